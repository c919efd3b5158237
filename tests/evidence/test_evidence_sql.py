"""The evidence concordance's SQL on SQLite and on a real PostgreSQL: every filter, sort, group, count."""

from __future__ import annotations

import itertools

import pytest

from annotator.core.evidence.model import EvidenceFilter
from annotator.store.database import open_store
from annotator.store.evidence import (
    SORT_COLUMNS,
    chart_counts,
    evidence_choices,
    evidence_count,
    evidence_groups,
    evidence_page,
    narrowed,
    report_passages,
)
from tests.evidence.builders import DOCS, build


@pytest.fixture
def evidence_store(any_store_url: str):  # type: ignore[no-untyped-def]
    store = open_store(any_store_url)
    pks = build(store)
    yield store, pks
    store.close()


def rows(store, flt: EvidenceFilter, **kw):  # type: ignore[no-untyped-def]
    with store.session() as session:
        count = evidence_count(session, flt)
        page = evidence_page(session, flt, **kw)
    assert count == len(page)  # the count and the rows agree for every filter
    return page


def test_every_span_is_a_row_with_its_context_and_metadata(evidence_store) -> None:  # type: ignore[no-untyped-def]
    store, pks = evidence_store
    all_rows = rows(store, EvidenceFilter())
    assert len(all_rows) == 11
    first = all_rows[0]
    text = DOCS[0][0]
    assert (first.doc_pk, first.annotator, first.label, first.title, first.source, first.published) == (
        pks[0], "ana", "surveillance", "Night watch", "Daily Ledger", "2024-03-05")
    assert first.quote == text[first.start:first.end] and first.left == "" and first.right == text[first.end:]
    assert first.attributes == {"certainty": "high"} and first.note == "checked"
    long_row = next(r for r in all_rows if r.label == "working_hours" and r.doc_pk == pks[1])
    assert long_row.left == DOCS[1][0][:long_row.start][-60:]


@pytest.mark.parametrize(("flt", "expected"), [
    (EvidenceFilter(labels=("surveillance",)), 5),
    (EvidenceFilter(labels=("surveillance", "remittance")), 8),
    (EvidenceFilter(annotators=("ana",)), 4),
    (EvidenceFilter(annotators=("ana", "cy")), 7),
    (EvidenceFilter(gold=True), 1),
    (EvidenceFilter(annotators=("cy",), gold=True), 4),
    (EvidenceFilter(min_annotators=2), 7),  # ana+ben on two extents (gold not counted), ana+cy on one
    (EvidenceFilter(min_annotators=3), 0),
    (EvidenceFilter(sources=("Daily Ledger",)), 5),
    (EvidenceFilter(sources=("",)), 1),
    (EvidenceFilter(since="2024-04"), 5),
    (EvidenceFilter(since="2024-04-03"), 2),
    (EvidenceFilter(until="2024-04-02"), 8),
    (EvidenceFilter(since="2024", until="2024"), 10),  # the undated one is out
    (EvidenceFilter(attributes=(("certainty", "high"),)), 3),
    (EvidenceFilter(attributes=(("certainty", "low"),)), 1),
    (EvidenceFilter(quote="WAGES"), 3),
    (EvidenceFilter(quote="18 hours"), 3),
    (EvidenceFilter(quote="100%_"), 0),  # LIKE wildcards are text
    (EvidenceFilter(quote="<script>"), 1),
    (EvidenceFilter(labels=("working_hours",), annotators=("ana",), since="2024-04"), 1),
])
def test_filters(evidence_store, flt: EvidenceFilter, expected: int) -> None:  # type: ignore[no-untyped-def]
    store, _pks = evidence_store
    found = rows(store, flt)
    assert len(found) == expected
    if flt.labels:
        assert {r.label for r in found} <= set(flt.labels)
    if flt.quote:
        assert all(flt.quote.casefold() in r.quote.casefold() for r in found)


@pytest.mark.parametrize("column", SORT_COLUMNS)
def test_sort_by_every_column_both_ways_is_stable_and_complete(evidence_store, column: str) -> None:  # type: ignore[no-untyped-def]
    store, _pks = evidence_store
    up = rows(store, EvidenceFilter(), sort=column)
    down = rows(store, EvidenceFilter(), sort=column, descending=True)
    assert sorted(r.span_id for r in up) == sorted(r.span_id for r in down)
    key = {"quote": lambda r: r.quote.lower(), "title": lambda r: r.title.lower(), "source": lambda r: r.source.lower(),
           "date": lambda r: r.published, "annotator": lambda r: r.annotator, "span": lambda r: r.span_id,
           "note": lambda r: r.note.lower()}.get(column)
    if key is not None:  # case-insensitive, code-point order on both dialects
        assert [key(r) for r in up] == sorted(key(r) for r in up)
        assert [key(r) for r in down] == sorted((key(r) for r in down), reverse=True)
    with store.session() as session:  # pages continue each other
        paged = [r.span_id for off in range(0, 13, 5)
                 for r in evidence_page(session, EvidenceFilter(), sort=column, offset=off, limit=5)]
    assert paged == [r.span_id for r in up]


def test_sort_by_label_follows_the_scheme(evidence_store) -> None:  # type: ignore[no-untyped-def]
    store, _pks = evidence_store
    labels = [r.label for r in rows(store, EvidenceFilter(), sort="label")]
    assert labels == sorted(labels, key=["working_hours", "injury", "surveillance", "remittance"].index)


def test_groups_charts_choices_and_report_passages(evidence_store) -> None:  # type: ignore[no-untyped-def]
    store, pks = evidence_store
    with store.session() as session:
        by_label = evidence_groups(session, EvidenceFilter(), "label")
        assert [(k, n) for k, _name, n in by_label] == [("surveillance", 5), ("working_hours", 3), ("remittance", 3)]
        by_doc = evidence_groups(session, EvidenceFilter(), "document")
        assert by_doc[0][:3] == (pks[0], "Night watch", 5)
        by_source = dict((k, n) for k, _name, n in evidence_groups(session, EvidenceFilter(), "source"))
        assert by_source == {"Daily Ledger": 5, "Harbour Post": 2, "<img src=x onerror=alert(1)>": 3, "": 1}
        for by in ("label", "document", "source", "annotator"):
            for key, _name, n in evidence_groups(session, EvidenceFilter(), by):
                assert evidence_count(session, narrowed(EvidenceFilter(), by, key)) == n
        charts = chart_counts(session, EvidenceFilter(labels=("surveillance",)))
        assert charts.by_label_month == {("surveillance", "2024-03"): 3, ("surveillance", "2024-04"): 1,
                                         ("surveillance", ""): 1}
        assert charts.by_annotator == {"ana": 1, "ben": 1, "gold": 1, "cy": 2}
        choices = evidence_choices(session)
        assert choices["annotators"] == ["ana", "ben", "cy", "gold"] and "" in choices["sources"]
        passages = list(report_passages(session, EvidenceFilter()))
    assert len(passages) == 11
    for p in passages:
        text = next(d[0] for d, pk in zip(DOCS, pks, strict=True) if pk == p.doc_pk)
        assert p.quote == text[p.start:p.end]


def keyset_pages(store, flt: EvidenceFilter, size: int, **kw):  # type: ignore[no-untyped-def]
    """Every row read forwards page by page from the previous page's last key, and backwards from the end
    by the following page's first key."""
    from annotator.store.evidence import read_page

    forwards, backwards = [], []
    with store.session() as session:
        page = read_page(session, flt, limit=size, **kw)
        while page.rows:
            forwards.extend(r.span_id for r in page.rows)
            assert page.last is not None
            page = read_page(session, flt, limit=size, after=page.last, **kw)
        total = evidence_count(session, flt)
        page = read_page(session, flt, limit=size, offset=max(0, total - size), **kw)  # a jump to the end
        while page.rows:
            backwards[:0] = [r.span_id for r in page.rows]
            assert page.first is not None
            page = read_page(session, flt, limit=size, before=page.first, **kw)
    return forwards, backwards


@pytest.mark.parametrize("column", SORT_COLUMNS)
def test_keyset_pages_equal_offset_pages_for_every_sort(evidence_store, column: str) -> None:  # type: ignore[no-untyped-def]
    """Keyset paging (the view's scrolling) and OFFSET paging give the same rows in the same order, for
    every sort column both ways, ties included (five rows share a source, many a label or a date, three a
    quote), and under a filter."""
    store, _pks = evidence_store
    for descending, flt in itertools.product(
            (False, True), (EvidenceFilter(), EvidenceFilter(min_annotators=2), EvidenceFilter(labels=("surveillance",)))):
        with store.session() as session:
            by_offset = [r.span_id for off in range(0, 12, 2)
                         for r in evidence_page(session, flt, sort=column, descending=descending, offset=off, limit=2)]
        assert len(by_offset) == len(set(by_offset)) == len(rows(store, flt))
        for size in (1, 2, 3):
            forwards, backwards = keyset_pages(store, flt, size, sort=column, descending=descending)
            assert forwards == by_offset, (flt, size)
            assert backwards == by_offset, (flt, size)
