"""``spans.marked_by`` (store/marks.py, migration 0012) on SQLite and a real PostgreSQL: after every kind of
write — the app's add, delete, relabel and boundary moves, a bulk import, a layer deleted, ``db copy``, an
old database migrated with repeated spans in one layer — each span's count equals a count made here from
the rows, and "marked by ≥ N" selects exactly those spans."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from annotator.core.evidence.model import EvidenceFilter
from annotator.core.model import GOLD_ANNOTATOR
from annotator.store import repository as repo
from annotator.store.copying import copy_store
from annotator.store.database import open_store
from annotator.store.evidence import evidence_count, evidence_page
from annotator.store.importing import import_paths
from annotator.store.migrating import _alembic_config
from annotator.store.models import Annotator, Layer, Span
from tests.evidence.builders import DOCS, build

NAMES = ("ana", "ben", "cy", GOLD_ANNOTATOR)


def expected_and_stored(store) -> tuple[dict[int, int], dict[int, int]]:  # type: ignore[no-untyped-def]
    """(span id → distinct non-gold annotators of its extent, counted here; span id → stored marked_by)."""
    with store.session() as session:
        rows = session.execute(select(Span.id, Layer.document_id, Span.start, Span.end, Span.label_id,
                                      Annotator.name, Span.marked_by)
                               .join(Layer, Span.layer_id == Layer.id)
                               .join(Annotator, Layer.annotator_id == Annotator.id)).all()
    who: dict[tuple[int, int, int, int], set[str]] = defaultdict(set)
    for _id, doc, start, end, label, name, _marked in rows:
        if name != GOLD_ANNOTATOR:
            who[(doc, start, end, label)].add(name)
    expected = {r[0]: len(who[(r[1], r[2], r[3], r[4])]) for r in rows}
    return expected, {r[0]: r[6] for r in rows}


def assert_marks_hold(store) -> dict[int, int]:  # type: ignore[no-untyped-def]
    expected, stored = expected_and_stored(store)
    assert stored == expected
    with store.session() as session:
        for n in (2, 3):
            wanted = sorted(i for i, m in expected.items() if m >= n)
            flt = EvidenceFilter(min_annotators=n)
            assert evidence_count(session, flt) == len(wanted)
            assert [r.span_id for r in evidence_page(session, flt, limit=10_000)] == wanted
    return expected


def test_the_app_s_writes_keep_every_count(any_store) -> None:  # type: ignore[no-untyped-def]
    store = any_store
    pks = build(store)
    expected = assert_marks_hold(store)
    assert sorted(expected.values()) == [1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2]  # the gold span counts ana and ben
    rng = random.Random(5)
    for step in range(60):
        doc = rng.randrange(len(DOCS))
        text_len = len(DOCS[doc][0])
        with store.session() as session:
            ids = list(session.scalars(select(Span.id).order_by(Span.id)))
        with store.write() as session:
            action = rng.random()
            if action < 0.45 or not ids:  # tag an extent someone may already have (few choices: many repeats)
                start = rng.choice((0, 7, 15))
                name = rng.choice(NAMES)
                label = rng.choice(("surveillance", "injury"))
                try:
                    repo.add_span(session, pks[doc], name, start, min(text_len, start + 6), label, actor=name)
                except Exception:  # an identical span in that layer is refused; that is not what is tested
                    continue
            elif action < 0.65:
                repo.delete_span(session, rng.choice(ids))
            elif action < 0.85:
                repo.update_span(session, rng.choice(ids), label=rng.choice(("surveillance", "injury")))
            else:
                span = session.get(Span, rng.choice(ids))
                assert span is not None
                repo.update_span(session, span.id, start=rng.choice((0, 7, 15)), end=span.end if span.end > 15 else 21)
        if step % 10 == 9:
            assert_marks_hold(store)
    assert_marks_hold(store)


def test_a_deleted_layer_no_longer_counts(any_store) -> None:  # type: ignore[no-untyped-def]
    pks = build(any_store)
    with any_store.write() as session:  # no app action deletes a layer; the trigger keeps counts right anyway
        layer = repo.get_layer(session, pks[0], "ben")
        assert layer is not None
        session.execute(text("DELETE FROM spans WHERE layer_id = :l"), {"l": layer.id})
        session.execute(text("DELETE FROM layers WHERE id = :l"), {"l": layer.id})
    expected = assert_marks_hold(any_store)
    assert max(expected.values()) == 2  # only the remittance extent in document 2 (ana and cy) is left at 2


def _record(i: int, name: str, spans: list[tuple[int, int, str]]) -> dict:  # type: ignore[type-arg]
    return {"text": f"Record {i} says the guards watched the crews.", "doc_id": f"r{i}", "annotator": name,
            "spans": [{"start": s, "end": e, "label": lab} for s, e, lab in spans]}


def test_imports_into_an_empty_and_a_filled_store_count_once_at_the_end(any_store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = tmp_path / "a.jsonl"
    lines = []
    for i in range(30):
        for name in ("ana", "ben", GOLD_ANNOTATOR)[: 1 + i % 3]:
            lines.append(_record(i, name, [(0, 6, "injury"), (17, 23, "surveillance")][: 1 + (i + len(name)) % 2]))
    first.write_text("\n".join(json.dumps(r) for r in lines) + "\n", encoding="utf-8")
    assert not import_paths(any_store, [first]).refused
    expected = assert_marks_hold(any_store)
    assert set(expected.values()) == {0, 1, 2}  # 0: an extent only gold marked
    second = tmp_path / "b.jsonl"  # a third analyst on documents already there: their old spans recounted
    second.write_text("\n".join(json.dumps(_record(i, "cy", [(0, 6, "injury")])) for i in range(0, 30, 2)) + "\n",
                      encoding="utf-8")
    assert not import_paths(any_store, [second]).refused
    expected = assert_marks_hold(any_store)
    assert 3 in expected.values()
    with any_store.write() as session:  # the triggers are back after the import
        repo.add_span(session, repo.find_document(session, doc_id="r1").id, "cy", 0, 6, "injury", actor="cy")
    assert_marks_hold(any_store)


def test_db_copy_both_ways_keeps_the_counts(tmp_path: Path, pg_url: str) -> None:
    local = open_store(tmp_path / "a.sqlite3")
    build(local)
    server = open_store(pg_url)
    back = open_store(tmp_path / "b.sqlite3")
    try:
        copy_store(local, server)
        assert assert_marks_hold(server) == assert_marks_hold(local)
        with server.write() as session:  # triggers work after a copy
            first_doc = session.scalars(select(Layer.document_id).order_by(Layer.id)).first()
            repo.add_span(session, first_doc, "cy", 0, 28, "surveillance", actor="cy")
        copy_store(server, back)
        assert assert_marks_hold(back) == assert_marks_hold(server)
    finally:
        for store in (local, server, back):
            store.close()


OLD_TEXT = "Guards watched the dormitory every night."


def _old_database(url: str) -> None:
    """A database at revision 0009 written with plain SQL, holding a span twice in one layer (old
    databases may: the rule against identical spans came later)."""
    from alembic import command

    engine = create_engine(url)
    config = _alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0009")
        when = "2025-01-02 03:04:05"
        conn.execute(text("INSERT INTO documents (doc_id, text_sha256, text, length, title, meta, created) "
                          "VALUES ('old-1', :sha, :text, :n, 'Old', '{}', :when)"),
                     {"sha": "0" * 64, "text": OLD_TEXT, "n": len(OLD_TEXT), "when": when})
        conn.execute(text("INSERT INTO labels (key, name, color, shortcut, guideline, sort_order) "
                          "VALUES ('surveillance', 'Surveillance', '#0072B2', '1', '', 0)"))
        for name in ("ana", "ben", GOLD_ANNOTATOR):
            conn.execute(text("INSERT INTO annotators (name, role, created) VALUES (:n, 'annotator', :when)"),
                         {"n": name, "when": when})
            conn.execute(text("INSERT INTO layers (document_id, annotator_id, status, span_count, updated) "
                              "SELECT d.id, a.id, 'done', 0, :when FROM documents d, annotators a WHERE a.name = :n"),
                         {"n": name, "when": when})
        # ana twice on one extent, gold once on it: one analyst, so "marked by ≥ 2" must not list it;
        # ana and ben on the other extent: two.
        for name, start, end in (("ana", 0, 6), ("ana", 0, 6), (GOLD_ANNOTATOR, 0, 6), ("ana", 7, 14),
                                 ("ben", 7, 14)):
            conn.execute(text(
                "INSERT INTO spans (layer_id, start, end_, label_id, quote, attributes, created, updated) "
                "SELECT y.id, :s, :e, l.id, :q, '{}', :when, :when FROM layers y JOIN annotators a "
                "ON a.id = y.annotator_id, labels l WHERE a.name = :n"),
                {"s": start, "e": end, "q": OLD_TEXT[start:end], "when": when, "n": name})
    engine.dispose()


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_an_old_database_with_repeated_spans_counts_distinct_analysts(dialect: str, tmp_path: Path,
                                                                     request: pytest.FixtureRequest) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}" if dialect == "sqlite" else request.getfixturevalue("pg_empty_url")
    _old_database(url)
    store = open_store(url)  # migrates to the head, counting existing spans
    try:
        expected = assert_marks_hold(store)
        assert sorted(expected.values()) == [1, 1, 1, 2, 2]
        with store.session() as session:
            assert evidence_count(session, EvidenceFilter(min_annotators=2)) == 2
        with store.write() as session:  # ben marks the first extent too: now ana and ben, on all four rows
            doc = repo.find_document(session, doc_id="old-1")
            repo.add_span(session, doc.id, "ben", 0, 6, "surveillance", actor="ben")
        expected = assert_marks_hold(store)
        assert sorted(expected.values()) == [2, 2, 2, 2, 2, 2]
    finally:
        store.close()


def test_two_analysts_marking_one_extent_at_the_same_moment_both_count(pg_url: str) -> None:
    """PostgreSQL, READ COMMITTED: ben's trigger must wait for ana's uncommitted span (the document's
    advisory lock) and then count it; without the lock each transaction would see only its own span."""
    import threading

    first, second = open_store(pg_url), open_store(pg_url)
    try:
        pks = build(first)
        start = DOCS[3][0].index("dormitory")
        done = threading.Event()

        def ben() -> None:
            with second.write() as session:
                repo.add_span(session, pks[3], "ben", start, start + 9, "injury", actor="ben")
            done.set()

        with first.write() as session:
            repo.add_span(session, pks[3], "ana", start, start + 9, "injury", actor="ana")
            other = threading.Thread(target=ben)
            other.start()
            assert not done.wait(0.5)  # ben waits for ana's transaction
        other.join(10)
        assert done.is_set()
        expected = assert_marks_hold(first)
        with first.session() as session:
            both = session.scalars(select(Span.marked_by).where(Span.start == start, Span.end == start + 9)).all()
        assert both == [2, 2] and max(expected.values()) == 2
    finally:
        first.close()
        second.close()
