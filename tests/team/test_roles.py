"""``annotator db role NAME ROLE``: only an admin assigns roles, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from annotator.cli import main
from annotator.core.errors import AnnotatorError, PermissionDenied
from annotator.core.model import GOLD_ANNOTATOR
from annotator.store import repository as repo
from annotator.store.database import open_store
from annotator.store.roles import assign_role, roles
from tests.team.test_both_dialects import _doc


def _roles(url: str) -> dict[str, str]:
    store = open_store(url)
    try:
        with store.session() as session:
            return dict(roles(session))
    finally:
        store.close()


def test_admin_assigns_roles_and_others_are_refused(any_store_url: str, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # The first person to touch a database becomes its admin.
    assert main(["db", "role", "ben", "annotator", "--db", any_store_url, "--annotator", "lead"]) == 0
    assert _roles(any_store_url) == {"lead": "admin", "ben": "annotator"}
    # Acting user from the top-level option, and from ANNOTATOR_USER.
    assert main(["--annotator", "lead", "db", "role", "cara", "curator", "--db", any_store_url]) == 0
    monkeypatch.setenv("ANNOTATOR_USER", "ben")
    capsys.readouterr()
    assert main(["db", "role", "ben", "admin", "--db", any_store_url]) == 1
    err = capsys.readouterr().err
    assert err == "annotator: ben may not assign roles: that needs the admin role (ask an admin)\n"
    assert _roles(any_store_url) == {"lead": "admin", "ben": "annotator", "cara": "curator"}


def test_a_curator_made_by_the_admin_may_then_write_gold(any_store) -> None:
    with any_store.write() as session:
        repo.ensure_default_scheme(session)
        doc, _ = repo.add_document(session, _doc("Phones were confiscated at the gate."))
        assign_role(session, "lead", "lead", "admin")
    with pytest.raises(PermissionDenied), any_store.write() as session:
        repo.add_span(session, doc.id, GOLD_ANNOTATOR, 0, 6, "surveillance", actor="ben")
    with any_store.write() as session:
        assign_role(session, "lead", "ben", "curator")
    with any_store.write() as session:
        repo.add_span(session, doc.id, GOLD_ANNOTATOR, 0, 6, "surveillance", actor="ben")
    with pytest.raises(PermissionDenied, match="admin role"), any_store.write() as session:
        assign_role(session, "ben", "ben", "admin")


def test_role_rules(store) -> None:
    with store.write() as session:
        assign_role(session, "lead", "ben", "annotator")
    for actor, name, role, message in (
        ("lead", "lead", "annotator", "only admin"),
        ("lead", GOLD_ANNOTATOR, "annotator", "reserved owner"),
        ("lead", "ben", "boss", "not one of"),
        (None, "ben", "curator", "say who you are"),
    ):
        with pytest.raises(AnnotatorError, match=message), store.write() as session:
            assign_role(session, actor, name, role)
    with store.write() as session:
        assign_role(session, "lead", "ben", "admin")
        assign_role(session, "ben", "lead", "annotator")  # fine now: ben is still admin
        assert dict(roles(session)) == {"ben": "admin", "lead": "annotator"}
