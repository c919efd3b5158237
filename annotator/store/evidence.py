"""The evidence concordance in SQL: every span with its document's metadata, filtered, sorted and paged by
the database, plus the group counts, chart counts and report passages under the same filter.

Why SQL-side: the evidence view must open in < 300 ms and re-filter in < 200 ms on 190,000 spans, so it
never loads rows it does not show — one count, then pages of :data:`PAGE` rows by ``LIMIT``/``OFFSET``
in a stable order (the sort column, then the span id). Contexts are cut by the database (``substr`` counts
code points on SQLite and PostgreSQL alike), so an article never travels to the client for a row. The
filter is :class:`annotator.core.evidence.model.EvidenceFilter`; only portable SQL is used, and the same
tests run on both dialects (tests/team/test_evidence_sql.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
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


def evidence_count(session: Session, flt: EvidenceFilter) -> int:
    """How many spans match, joining only the tables the filter looks at (every join follows a foreign
    key, so leaving one out never changes the count; SQLite then counts the narrow span index alone)."""
    query = select(func.count(Span.id)).select_from(Span)
    needs_document = bool(flt.sources or flt.since or flt.until)
    if needs_document or flt.annotators or flt.gold or flt.doc_pks:
        query = query.join(Layer, Span.layer_id == Layer.id)
    if needs_document:
        query = query.join(Document, Layer.document_id == Document.id)
    if flt.annotators or flt.gold:
        query = query.join(Annotator, Layer.annotator_id == Annotator.id)
    if flt.labels:
        query = query.join(Label, Span.label_id == Label.id)
    return session.connection().execute(_where(query, session, flt)).scalar_one()


def evidence_page(session: Session, flt: EvidenceFilter, *, sort: str = "span", descending: bool = False,
                  offset: int = 0, limit: int = PAGE) -> list[EvidenceRow]:
    """Rows ``offset`` … ``offset + limit`` of the matching spans, sorted by ``sort`` then span id."""
    if sort not in SORT_COLUMNS:
        raise ValueError(f"cannot sort by {sort!r}")
    left_from = _left_from()
    query = _joined(select(
        Span.id, Document.id, Document.doc_id, Document.title, Document.source, Document.published,
        Annotator.name, Label.key, Span.start, Span.end, Span.quote,
        func.substr(Document.text, left_from + 1, Span.start - left_from),
        func.substr(Document.text, Span.end + 1, CONTEXT),
        Span.note, type_coerce(Span.attributes, String),
    ))
    query = _where(query, session, flt)
    key = _sort_expression(sort, session.get_bind().dialect.name)
    order = [key.desc(), Span.id.desc()] if descending else [key, Span.id]
    if sort == "span":
        order = order[:1]
    query = query.order_by(*order).offset(offset).limit(limit)
    return [EvidenceRow(r[0], r[1], r[2], r[3] or r[2], r[4] or "", r[5] or "", r[6], r[7], r[8], r[9], r[10],
                        r[11] or "", r[12] or "", r[13] or "", json_value(r[14]))
            for r in session.connection().execute(query)]


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


__all__ = ["GROUPS", "PAGE", "SORT_COLUMNS", "chart_counts", "evidence_choices", "evidence_count",
           "evidence_groups", "evidence_page", "narrowed", "report_passages"]


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
