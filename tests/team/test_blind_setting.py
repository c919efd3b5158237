"""Blind annotation as a project setting (store/project_settings.py, ``annotator blind``), on both dialects.

Analysts a and b share a document; a's layer is done, b's is in progress. By default (assignments exist)
b cannot list or read a's layer; a lead turning blind mode off lets b see it, on hides it again, and
"default" goes back to "on because documents are assigned". On a server only a curator or admin may
change the setting; on a local file anyone may (like assigning).
"""

from __future__ import annotations

import pytest

from annotator.cli import main
from annotator.core.errors import PermissionDenied
from annotator.store import queries
from annotator.store import repository as repo
from annotator.store.assignments import assign
from annotator.store.database import open_store
from annotator.store.project_settings import BLIND, blind_mode, set_setting
from tests.ui_helpers import add_text


def _shared(store) -> int:  # type: ignore[no-untyped-def]
    with store.write() as session:
        repo.get_or_create_annotator(session, "lead")  # the first annotator: admin
        repo.ensure_default_scheme(session)
    pk = add_text(store, "Night shifts of fourteen hours were common at the yard.", "Shared")
    with store.write() as session:
        assign(session, "lead", ["a", "b"], overlap=1.0)
        repo.add_span(session, pk, "a", 0, 12, "working_hours", actor="a")
        repo.set_status(session, pk, "a", "done", actor="a")
        repo.add_span(session, pk, "b", 0, 5, "working_hours", actor="b")
    return pk


def _b_sees_a(store, pk: int) -> bool:  # type: ignore[no-untyped-def]
    with store.session() as session:
        owners = queries.layer_owners(session, pk, "b")
        try:
            spans = queries.layer_spans(session, pk, "a", "b")
        except PermissionDenied:
            assert "a" not in owners
            return False
    assert "a" in owners and [s.quote for s in spans] == ["Night shifts"]
    return True


def test_blind_off_lets_b_see_a_layer_and_on_hides_it(any_store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(any_store_url)
    try:
        pk = _shared(store)
        assert not _b_sees_a(store, pk)  # the default with assignments: blind
        capsys.readouterr()
        assert main(["blind", "status", "--db", any_store_url]) == 0
        assert capsys.readouterr().out == "blind annotation: on (the default: on once documents are assigned)\n"
        assert main(["blind", "off", "--db", any_store_url, "--annotator", "lead"]) == 0
        assert capsys.readouterr().out == "blind annotation: off (set for this project)\n"
        assert _b_sees_a(store, pk)
        assert main(["blind", "on", "--db", any_store_url, "--annotator", "lead"]) == 0
        assert not _b_sees_a(store, pk)
        assert main(["blind", "default", "--db", any_store_url, "--annotator", "lead"]) == 0
        assert capsys.readouterr().out.endswith("blind annotation: on (the default: on once documents are assigned)\n")
        with store.session() as session:
            assert blind_mode(session) == (True, True)
        assert not _b_sees_a(store, pk)
    finally:
        store.close()


def test_blind_on_without_assignments_hides_colleagues_layers(store) -> None:  # type: ignore[no-untyped-def]
    pk = add_text(store, "Cameras watched every corridor.", "Alone")
    with store.write() as session:
        repo.get_or_create_annotator(session, "lead")
        repo.add_span(session, pk, "a", 0, 7, "surveillance", actor="a")
    with store.session() as session:
        assert blind_mode(session) == (False, True)
        assert queries.layer_owners(session, pk, "b") == ["a"]
    with store.write() as session:
        set_setting(session, "b", BLIND, "on")  # a local file: anyone may
    with store.session() as session:
        assert queries.layer_owners(session, pk, "b") == []
        assert queries.layer_owners(session, pk, "lead") == ["a"]  # the admin is exempt


@pytest.mark.postgres
def test_only_a_curator_changes_blind_mode_on_a_server(pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(pg_url)
    try:
        pk = _shared(store)
        capsys.readouterr()
        assert main(["blind", "off", "--db", pg_url, "--annotator", "b"]) == 1
        assert capsys.readouterr().err == (
            "annotator: b may not change project settings: that needs the curator or admin role\n")
        assert not _b_sees_a(store, pk)
        with store.write() as session:
            repo.set_role(session, "b", "curator")
        assert main(["blind", "off", "--db", pg_url, "--annotator", "b"]) == 0
        with store.write() as session:
            repo.set_role(session, "b", "annotator")
        assert _b_sees_a(store, pk)
    finally:
        store.close()


def test_a_mistyped_mode_is_a_usage_error(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exit_info:
        main(["blind", "maybe", "--db", str(tmp_path / "x.sqlite3")])
    assert exit_info.value.code == 2 and "invalid choice: 'maybe'" in capsys.readouterr().err
