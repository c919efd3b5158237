"""The existing store tests, agreement and bulk import, run again on a real PostgreSQL server.

``tests/store/test_store.py``'s repository tests use the ``store`` fixture; importing them here and defining
``store`` for this module runs the very same test bodies against PostgreSQL (tests that are about
SQLite itself — pragmas, files — stay SQLite-only). The agreement report and a multi-batch import are
compared between the dialects: the same input must give the same JSON and the same export bytes.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import tests.store.test_store as sqlite_store_tests
from annotator.cli import main
from annotator.store.database import Store, open_store

pytestmark = pytest.mark.postgres

_SQLITE_ONLY = ("sqlite", "migrations_equals_the_models")  # the latter: see test_team_store's own version
for _name, _test in list(vars(sqlite_store_tests).items()):
    if (_name.startswith("test_") and callable(_test) and "store" in inspect.signature(_test).parameters
            and not any(word in _name for word in _SQLITE_ONLY)):
        globals()[f"{_name}_on_postgres"] = _test


@pytest.fixture
def store(pg_url: str) -> Iterator[Store]:
    """This module's ``store`` is a fresh PostgreSQL database (overrides the SQLite one in conftest)."""
    opened = open_store(pg_url)
    yield opened
    opened.close()


def test_store_tests_were_picked_up() -> None:
    assert {"test_span_lifecycle_and_counts_on_postgres", "test_roles_are_enforced_in_the_store_on_postgres"} <= set(globals())


ARTICLE = ("Workers on the quay said shifts ran for fourteen hours, and minders kept their passports. "
           "Most of the wages were sent home through an agent.")


def _span(phrase: str, label: str) -> dict:
    start = ARTICLE.index(phrase)
    return {"start": start, "end": start + len(phrase), "label": label}


def _agreement_input(path: Path) -> Path:
    layers = {
        "ana": [_span("fourteen hours", "working_hours"), _span("minders", "surveillance")],
        "Bo": [_span("fourteen hours", "working_hours"), _span("wages", "remittance")],
        "cy": [_span("fourteen hours", "working_hours"), _span("minders kept", "surveillance")],
    }
    lines = [json.dumps({"doc_id": "alpha", "text": ARTICLE, "annotator": name, "status": "done", "spans": spans})
             for name, spans in layers.items()]
    # A second document whose id sorts first only in code-point order: alpha_U's continuum order differs
    # (and so would its value) if a dialect ordered documents by locale.
    second = "Minders kept the passports; the wages were late."
    for name in layers:
        spans = [{"start": 0, "end": 7, "label": "surveillance"}] if name != "cy" else []
        lines.append(json.dumps({"doc_id": "Zeta", "text": second, "annotator": name, "status": "done", "spans": spans}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_agreement_is_the_same_on_both_dialects(pg_url: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    source = _agreement_input(tmp_path / "layers.jsonl")
    reports = []
    for url in ("sqlite:///" + str(tmp_path / "a.sqlite3"), pg_url):
        assert main(["import", str(source), "--db", url]) == 0
        capsys.readouterr()
        assert main(["agreement", "--json", "--db", url]) == 0
        reports.append(json.loads(capsys.readouterr().out))
    assert reports[0] == reports[1]
    # Code-point order ("Bo" before "ana") on both, whatever the server's collation says.
    assert reports[1]["annotators"] == ["Bo", "ana", "cy"] and reports[1]["documents"] == 2


def test_a_multi_batch_import_exports_the_same_bytes(pg_url: str, tmp_path: Path) -> None:
    """More records than one import batch (1,000), with layers: the bulk path on each dialect."""
    lines = []
    for i in range(1200):
        body = f"Report {i}: the night shift at site {i * 7} lasted {10 + i % 9} hours."
        spans = [{"start": body.index("night shift"), "end": body.index("night shift") + 11, "label": "working_hours"}]
        lines.append(json.dumps({"doc_id": f"r-{i:05d}", "text": body, "annotator": f"a{i % 3}",
                                 "status": "done", "spans": spans if i % 4 else []}))
    source = tmp_path / "many.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outputs = []
    for url, out in (("sqlite:///" + str(tmp_path / "m.sqlite3"), tmp_path / "s.jsonl"), (pg_url, tmp_path / "p.jsonl")):
        assert main(["import", str(source), "--db", url]) == 0
        assert main(["export", "-o", str(out), "--db", url]) == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[1].count(b"\n") == 1200


def test_curation_on_postgres_respects_roles_and_undo(qtbot, store: Store) -> None:
    from annotator.core.model import GOLD_ANNOTATOR
    from annotator.store import repository as repo
    from annotator.store.agreement_scope import documents_in_scope
    from annotator.ui.ops.curation import CurationOps
    from annotator.ui.ops.session import AnnotationSession
    from tests.team.test_both_dialects import _doc

    with store.write() as session:
        repo.ensure_default_scheme(session)
        repo.get_or_create_annotator(session, "lead")  # admin
        doc, _ = repo.add_document(session, _doc(ARTICLE))
        for name in ("ana", "Bo"):
            repo.add_span(session, doc.id, name, 0, 7, "surveillance", actor=name)
            repo.set_status(session, doc.id, name, "done", actor=name)
        assert documents_in_scope(session, ["ana", "Bo"]) == [doc.id]
    refused = CurationOps(AnnotationSession(store, "ana"))
    assert refused.permission_problem() is not None
    with qtbot.waitSignal(refused.session.failure) as failure:
        assert not refused.add_gold(doc.id, [(0, 7, "surveillance")], ARTICLE)
    assert "curator" in failure.args[0]
    ops = CurationOps(AnnotationSession(store, "lead"))
    assert ops.permission_problem() is None
    assert ops.add_gold(doc.id, [(0, 7, "surveillance"), (8, 10, "working_hours")], ARTICLE)
    with store.session() as session:
        assert [(s.start, s.end) for s in repo.list_spans(session, doc.id, GOLD_ANNOTATOR)] == [(0, 7), (8, 10)]
    ops.undo_stack.undo()
    with store.session() as session:
        assert repo.list_spans(session, doc.id, GOLD_ANNOTATOR) == []
