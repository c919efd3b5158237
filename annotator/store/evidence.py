"""The evidence concordance in SQL: every span with its document's metadata, filtered, sorted and paged by
the database, plus the group counts, chart counts and report passages under the same filter.

Why SQL-side: the evidence view must open in < 300 ms and re-filter in < 200 ms on 190,000 spans, so it
never loads rows it does not show — one count, then pages of :data:`PAGE` rows in a stable order (the
sort column, then the span id), each found by keyset from the neighbouring page's first or last row (or
by position after a jump) and then read by id (:func:`read_page`). Contexts are cut by the database (``substr`` counts
code points on SQLite and PostgreSQL alike), so an article never travels to the client for a row. The
filter is :class:`annotator.core.evidence.model.EvidenceFilter`; only portable SQL is used, and the same
tests run on both dialects (tests/team/test_evidence_sql.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, String, Text, case, cast, exists, func, select, type_coerce
from sqlalchemy.orm import Session

from annotator.core.evidence.charts import ChartData
from annotator.core.evidence.model import EvidenceFilter, EvidenceRow, Passage, until_bound
from annotator.core.model import GOLD_ANNOTATOR
from annotator.store.models import Annotator, Document, Label, Layer, Span
from annotator.store.repository.spans import json_value

CONTEXT = 60
"""Characters of context shown each side of a quote."""
PAGE = 200

SORT_COLUMNS = ("left", "quote", "right", "label", "title", "source", "date", "annotator", "note", "attributes",
                "span")
"""What the view can sort by (its columns, plus the span id: the order spans were made)."""
GROUPS = ("label", "document", "source", "annotator")


def _left_from() -> Any:
    return case((Span.start > CONTEXT, Span.start - CONTEXT), else_=0)


_TEXT_SORTS = frozenset({"left", "quote", "right", "title", "source", "annotator", "note"})


def _sort_expression(column: str, dialect: str) -> Any:
    """What ``column`` sorts by: text case-insensitively (``lower``) in code-point order on both dialects
    (PostgreSQL's locale collations would ignore punctuation and differ between servers)."""
    expression = _raw_sort(column)
    if column in _TEXT_SORTS:
        expression = func.lower(expression)
        if dialect == "postgresql":
            expression = expression.collate("C")
    return expression


def _raw_sort(column: str) -> Any:
    if column == "left":
        return func.substr(Document.text, _left_from() + 1, Span.start - _left_from())
    if column == "right":
        return func.substr(Document.text, Span.end + 1, CONTEXT)
    return {
        "quote": Span.quote, "label": Label.order, "title": Document.title,
        "source": func.coalesce(Document.source, ""), "date": func.coalesce(Document.published, ""),
        "annotator": Annotator.name, "note": func.coalesce(Span.note, ""),
        "attributes": cast(Span.attributes, Text), "span": Span.id,
    }[column]


def _joined(query: Select) -> Select:
    return (query.select_from(Span)
            .join(Layer, Span.layer_id == Layer.id)
            .join(Document, Layer.document_id == Document.id)
            .join(Annotator, Layer.annotator_id == Annotator.id)
            .join(Label, Span.label_id == Label.id))


def _where(query: Select, session: Session, flt: EvidenceFilter) -> Select:
    if flt.labels:
        query = query.where(Label.key.in_(flt.labels))
    if flt.annotators or flt.gold:
        names = list(flt.annotators) + ([GOLD_ANNOTATOR] if flt.gold else [])
        query = query.where(Annotator.name.in_(names))
    if flt.min_annotators > 1:
        # counted when spans are written (store/marks.py): distinct annotators other than gold
        query = query.where(Span.marked_by >= flt.min_annotators)
    if flt.sources:
        query = query.where(func.coalesce(Document.source, "").in_(flt.sources))
    day = func.substr(Document.published, 1, 10)
    if flt.since:
        query = query.where(day >= flt.since)
    if flt.until:
        query = query.where(day <= until_bound(flt.until))
    for key, value in flt.attributes:
        query = query.where(Span.attributes[key].as_string() == value)
    if flt.quote.strip():
        query = query.where(Span.quote.icontains(flt.quote.strip(), autoescape=True))
    if flt.doc_pks:
        query = query.where(Layer.document_id.in_(flt.doc_pks))
    if flt.span_ids:
        query = query.where(Span.id.in_(flt.span_ids))
    return query


_KEY_TABLES = {"left": "document", "right": "document", "title": "document", "source": "document",
               "date": "document", "annotator": "annotator", "label": "label"}


def _narrow(query: Select, flt: EvidenceFilter, sort: str | None = None) -> Select:
    """``query`` over spans joined only to the tables the filter (and the sort key) look at: every join
    follows a foreign key, so leaving one out never changes which spans match, and SQLite can then walk a
    narrow index instead of reading every article's row."""
    needs = _KEY_TABLES.get(sort or "")
    needs_document = bool(flt.sources or flt.since or flt.until) or needs == "document"
    needs_annotator = bool(flt.annotators or flt.gold) or needs == "annotator"
    query = query.select_from(Span)
    if needs_document or needs_annotator or flt.doc_pks:
        query = query.join(Layer, Span.layer_id == Layer.id)
    if needs_document:
        query = query.join(Document, Layer.document_id == Document.id)
    if needs_annotator:
        query = query.join(Annotator, Layer.annotator_id == Annotator.id)
    if flt.labels or needs == "label":
        query = query.join(Label, Span.label_id == Label.id)
    return query


def evidence_count(session: Session, flt: EvidenceFilter) -> int:
    """How many spans match (SQLite counts a narrow span index when the filter needs no other table)."""
    query = _narrow(select(func.count(Span.id)), flt)
    return session.connection().execute(_where(query, session, flt)).scalar_one()


Key = tuple[Any, int]
"""Where a row stands in a sort: (its sort key as the database computed it, its span id)."""


@dataclass(frozen=True, slots=True)
class EvidencePage:
    """Rows of one page, and the keys of its first and last row (to read the neighbouring pages by keyset)."""

    rows: list[EvidenceRow]
    first: Key | None
    last: Key | None


def read_page(session: Session, flt: EvidenceFilter, *, sort: str = "span", descending: bool = False,
              offset: int = 0, limit: int = PAGE, after: Key | None = None, before: Key | None = None) -> EvidencePage:
    """Up to ``limit`` matching rows in ``sort`` order (then span id): those right after the row whose key
    is ``after``, those right before ``before`` (still in list order), or those from position ``offset``.

    Keyset reading (``after``/``before``) costs the same at row 150,000 as at row 1: the database starts
    where the neighbouring page ended instead of counting off every row before it. Either way the page is
    found by a narrow query (span ids and the sort key, joined only to what the filter and key need, no
    context cut), then its rows are read by id, so only ``limit`` rows ever have their contexts cut.
    """
    if sort not in SORT_COLUMNS:
        raise ValueError(f"cannot sort by {sort!r}")
    key = _sort_expression(sort, session.get_bind().dialect.name)
    backwards = before is not None and after is None
    down = descending != backwards  # the direction the database walks
    query = _where(_narrow(select(Span.id, key), flt, sort), session, flt)
    edge = after if after is not None else before
    if edge is not None:  # the rows beyond the edge row in the walking direction (key, then span id)
        edge_key, edge_id = edge
        if sort == "span":
            query = query.where(Span.id < edge_id if down else Span.id > edge_id)
        elif down:
            query = query.where((key < edge_key) | ((key == edge_key) & (Span.id < edge_id)))
        else:
            query = query.where((key > edge_key) | ((key == edge_key) & (Span.id > edge_id)))
    order = [key.desc(), Span.id.desc()] if down else [key, Span.id]
    query = query.order_by(*(order[:1] if sort == "span" else order)).limit(limit)
    if edge is None and offset:
        query = query.offset(offset)
    conn = session.connection()
    found = [(r[0], r[1]) for r in conn.execute(query)]
    if backwards:
        found.reverse()
    by_id = _rows(session, [span_id for span_id, _key in found])
    rows = [by_id[span_id] for span_id, _key in found if span_id in by_id]
    first = (found[0][1], found[0][0]) if found else None
    last = (found[-1][1], found[-1][0]) if found else None
    return EvidencePage(rows, first, last)


def _rows(session: Session, ids: list[int]) -> dict[int, EvidenceRow]:
    """The concordance rows of spans ``ids``, contexts cut by the database."""
    if not ids:
        return {}
    left_from = _left_from()
    query = _joined(select(
        Span.id, Document.id, Document.doc_id, Document.title, Document.source, Document.published,
        Annotator.name, Label.key, Span.start, Span.end, Span.quote,
        func.substr(Document.text, left_from + 1, Span.start - left_from),
        func.substr(Document.text, Span.end + 1, CONTEXT),
        Span.note, type_coerce(Span.attributes, String),
    )).where(Span.id.in_(ids))
    return {r[0]: EvidenceRow(r[0], r[1], r[2], r[3] or r[2], r[4] or "", r[5] or "", r[6], r[7], r[8], r[9], r[10],
                              r[11] or "", r[12] or "", r[13] or "", json_value(r[14]))
            for r in session.connection().execute(query)}


def evidence_page(session: Session, flt: EvidenceFilter, *, sort: str = "span", descending: bool = False,
                  offset: int = 0, limit: int = PAGE) -> list[EvidenceRow]:
    """Rows ``offset`` … ``offset + limit`` of the matching spans, sorted by ``sort`` then span id."""
    return read_page(session, flt, sort=sort, descending=descending, offset=offset, limit=limit).rows


def evidence_groups(session: Session, flt: EvidenceFilter, by: str) -> list[tuple[Any, str, int]]:
    """(key, shown name, spans) of each group of the matching spans, largest first.

    The key narrows the filter to that group (:func:`narrowed`): a label key, a document's primary key, a
    source, an annotator's name.
    """
    key: Any  # a column or an expression (SQLAlchemy types the two apart)
    name: Any
    order: Any
    if by == "label":
        key, name, order = Label.key, Label.name, Label.order
    elif by == "document":
        key, name, order = Document.id, func.coalesce(Document.title, Document.doc_id), Document.id
    elif by == "source":
        key = name = order = func.coalesce(Document.source, "")
    elif by == "annotator":
        key = name = order = Annotator.name
    else:
        raise ValueError(f"cannot group by {by!r}")
    count = func.count(Span.id)
    query = _where(_joined(select(key, name, count)), session, flt).group_by(key, name, order)
    rows = session.connection().execute(query.order_by(count.desc(), order)).all()
    return [(r[0], r[1] or "", r[2]) for r in rows]


def narrowed(flt: EvidenceFilter, by: str, key: Any) -> EvidenceFilter:
    """``flt`` limited to one group of :func:`evidence_groups`."""
    from dataclasses import replace

    if by == "label":
        return replace(flt, labels=(key,))
    if by == "document":
        return replace(flt, doc_pks=(int(key),))
    if by == "source":
        return replace(flt, sources=(key,))
    if by == "annotator":
        return replace(flt, annotators=(key,), gold=False)
    raise ValueError(by)


def evidence_choices(session: Session, *, sources: bool = True) -> dict[str, list[str]]:
    """What the view's filter boxes offer: annotators with spans and (unless ``sources=False``: it reads
    every document's row) the documents' sources."""
    conn = session.connection()
    source = func.coalesce(Document.source, "")
    found = sorted(conn.execute(select(source).distinct()).scalars()) if sources else []
    annotators = list(conn.execute(select(Annotator.name).where(exists(select(Layer.id).where(
        Layer.annotator_id == Annotator.id, Layer.span_count > 0))).order_by(Annotator.name)).scalars())
    return {"sources": found, "annotators": annotators}


def chart_counts(session: Session, flt: EvidenceFilter) -> ChartData:
    """Spans per (label, month), per source and per annotator, under ``flt``."""
    conn = session.connection()
    month = func.coalesce(func.substr(Document.published, 1, 7), "")
    by_month: dict[tuple[str, str], int] = defaultdict(int)
    for label, m, n in conn.execute(_where(_joined(select(Label.key, month, func.count(Span.id))), session, flt)
                                    .group_by(Label.key, month)):
        by_month[(label, m if len(m) == 7 else "")] += n
    source = func.coalesce(Document.source, "")
    by_source = {s: n for s, n in conn.execute(
        _where(_joined(select(source, func.count(Span.id))), session, flt).group_by(source))}
    by_annotator = {a: n for a, n in conn.execute(
        _where(_joined(select(Annotator.name, func.count(Span.id))), session, flt).group_by(Annotator.name))}
    return ChartData(dict(by_month), by_source, by_annotator)


def report_passages(session: Session, flt: EvidenceFilter) -> Iterator[Passage]:
    """Every matching span as a :class:`Passage`, its quote cut from the stored text by the database.

    One row per span (several annotators marking the same extent give several; the report merges them).
    """
    length = Span.end - Span.start
    query = _joined(select(
        Document.id, Document.doc_id, Document.title, Document.source, Document.url, Document.published,
        Document.text_sha256, Label.key, Span.start, Span.end,
        func.substr(Document.text, Span.start + 1, case((length > 0, length), else_=0)),
        Annotator.name, Span.id, Span.note,
    ))
    query = _where(query, session, flt).order_by(Document.id, Span.start, Span.end, Label.key, Span.id)
    for r in session.connection().execution_options(yield_per=5000).execute(query):
        yield Passage(r[0], r[1], r[2] or "", r[3] or "", r[4] or "", r[5] or "", r[6], r[7], r[8], r[9],
                      r[10] or "", (r[11],), (r[12],), (r[13],) if r[13] else ())


__all__ = ["GROUPS", "PAGE", "SORT_COLUMNS", "EvidencePage", "Key", "chart_counts", "evidence_choices",
           "evidence_count", "evidence_groups", "evidence_page", "narrowed", "read_page", "report_passages"]


def build_report(session: Session, flt: EvidenceFilter, *, threshold: float | None = None,
                 min_sources: int = 1) -> Any:
    """The :class:`~annotator.core.evidence.report.ReportInput` for ``flt``: passages merged per extent,
    grouped into claims, claims reported by fewer than ``min_sources`` sources left out, and the charts."""
    from annotator.core.evidence.charts import all_charts
    from annotator.core.evidence.corroboration import DEFAULT_THRESHOLD, claims
    from annotator.core.evidence.model import merge_passages
    from annotator.core.evidence.report import ReportInput, describe_filter
    from annotator.store.repository.scheme import get_scheme

    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    scheme = get_scheme(session)
    labels = [(label.key, label.name, label.color) for label in scheme.labels]
    found = claims(merge_passages(list(report_passages(session, flt))), threshold)
    shown = [c for c in found if c.sources >= min_sources]
    charts = all_charts(chart_counts(session, flt), labels)
    return ReportInput(shown, labels, charts, describe_filter(flt, {k: n for k, n, _c in labels}), threshold,
                       min_sources, len(found) - len(shown))
