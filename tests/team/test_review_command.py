"""``annotator review approve|return|list`` through the real command line, on SQLite and PostgreSQL.

A curator approves one analyst's done layer and returns another's with a comment (which puts it back in
progress); every refusal is one line: not a curator, a layer not done, an unknown document or analyst,
a return without a comment.
"""

from __future__ import annotations

import json

import pytest

from annotator.cli import main
from annotator.store import repository as repo
from annotator.store.assignments import review_of
from annotator.store.database import open_store
from annotator.store.models import Document
from tests.ui_helpers import add_text


def _prepare(url: str) -> str:
    store = open_store(url)
    try:
        with store.write() as session:
            repo.get_or_create_annotator(session, "lead")  # the first annotator: admin
        pk = add_text(store, "Night shifts of fourteen hours were common at the yard.", "Shared")
        with store.write() as session:
            for name in ("a", "b", "c"):
                repo.add_span(session, pk, name, 0, 5, "working_hours", actor=name)
            repo.set_status(session, pk, "a", "done", actor="a")
            repo.set_status(session, pk, "b", "done", actor="b")
            return session.get(Document, pk).doc_id
    finally:
        store.close()


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_curator_approves_and_returns_layers_and_lists_them(
        any_store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    doc_id = _prepare(any_store_url)
    db = ("--db", any_store_url)
    code, out, err = _run(capsys, "review", "approve", doc_id, "--annotator", "a", "--by", "lead", *db)
    assert (code, err) == (0, "") and out == f"{doc_id}: a's layer approved\n"
    code, out, err = _run(capsys, "--annotator", "lead", "review", "return", doc_id, "--annotator", "b",
                          "--comment", "tag the fourteen hours", *db)
    assert (code, err) == (0, "") and out == f"{doc_id}: b's layer returned (back in their queue)\n"
    code, out, _ = _run(capsys, "review", "list", "--json", *db)
    listed = json.loads(out)
    assert [(r["doc_id"], r["annotator"], r["state"], r["by"], r["comment"]) for r in listed] == [
        (doc_id, "a", "approved", "lead", ""), (doc_id, "b", "returned", "lead", "tag the fourteen hours")]
    assert all(r["at"].endswith("Z") for r in listed)
    code, out, _ = _run(capsys, "review", "list", "--state", "returned", *db)
    lines = out.splitlines()
    assert lines[-1] == "1 reviewed layer" and lines[0].split("\t")[:4] == [doc_id, "b", "returned", "lead"]
    store = open_store(any_store_url)
    try:
        with store.session() as session:
            pk = repo.find_document(session, doc_id=doc_id).id
            assert repo.get_layer(session, pk, "b").status == "in_progress"  # back in b's queue
            assert repo.get_layer(session, pk, "a").status == "done"
            assert review_of(session, pk, "b").comment == "tag the fourteen hours"
    finally:
        store.close()


def test_refusals_are_one_line_each(any_store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    doc_id = _prepare(any_store_url)
    db = ("--db", any_store_url)
    cases = [
        (("review", "approve", doc_id, "--annotator", "a", "--by", "b"),
         "b may not review layers: that needs the curator or admin role"),
        (("review", "approve", doc_id, "--annotator", "c", "--by", "lead"),
         "c's layer can be reviewed only once it is marked done"),
        (("review", "approve", "no-such-doc", "--annotator", "a", "--by", "lead"),
         "no document with doc_id 'no-such-doc'"),
        (("review", "approve", doc_id, "--annotator", "zed", "--by", "lead"), "no annotator called 'zed'"),
        (("review", "return", doc_id, "--annotator", "a", "--by", "lead"),
         "returning a layer needs a comment that tells the analyst what to change"),
    ]
    for args, reason in cases:
        code, out, err = _run(capsys, *args, *db)
        assert (code, out, err) == (1, "", f"annotator: {reason}\n"), args
    code, out, _ = _run(capsys, "review", "list", *db)
    assert (code, out) == (0, "0 reviewed layers\n")
