"""Read-only queries behind the app's document list: ids by filter, rows by page, next undone document.

The document list must stay fast on 1,000,000 documents, so the app never loads rows or ids it does not
show: it asks how many documents match (:func:`document_count`, a count over the narrow ``ix_documents_id``
index, migration 0006) and then for the rows of the page the user is looking at (:func:`document_page`),
found by keyset (the ids after the previous page's last) or, after a jump, by position along that index.
Search uses SQLite's FTS5 index (``documents_fts``, migration 0002) and falls back to ``LIKE`` on other
databases (store/search.py). Status and span count are those of one annotator's layer: a document without
a layer is "todo" for that annotator.

A list sorted by a column (:class:`DocumentSort`) is ordered by that key and then the id (a total order)
and read by position: the ids of a page come from a narrow query (for title and date along
``ix_documents_title`` / ``ix_documents_published``, migration 0009, without touching the articles), then
their rows in one ``IN`` query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, Select, and_, case, exists, false, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, aliased

from annotator.core.model import GOLD_ANNOTATOR, STATUS_DONE, STATUS_IN_PROGRESS, STATUS_TODO, ReviewRecord
from annotator.store import repository as repo
from annotator.store.assignments import (  # noqa: F401 - has_assignments: for the app
    assigned_to,
    check_may_read_layer,
    has_assignments,
    hidden_layers,
    review_of,
)
from annotator.store.models import Annotator, Document, Label, Layer, Span
from annotator.store.repository import SpanView
from annotator.store.search import filter_by_search, update_search_index


@dataclass(frozen=True, slots=True)
class DocumentFilter:
    """What the document list shows: a search string, one layer status, one label (all optional), and
    ``queue``: only the documents assigned to the annotator (the team workflow's "my queue")."""

    search: str = ""
    status: str | None = None
    label: str | None = None
    queue: bool = False


SORT_KEYS = ("title", "published", "status", "spans")


@dataclass(frozen=True, slots=True)
class DocumentSort:
    """The list's order by one column (``SORT_KEYS``), ties broken by import order; None means import order."""

    key: str
    descending: bool = False

    def __post_init__(self) -> None:
        if self.key not in SORT_KEYS:
            raise ValueError(f"cannot sort documents by {self.key!r}")


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """One line of the document list."""

    pk: int
    doc_id: str
    title: str
    source: str
    published: str
    status: str
    span_count: int


@dataclass(frozen=True, slots=True)
class LoadedDocument:
    """Everything the article view needs about a document (its stored canonical text included)."""

    pk: int
    doc_id: str
    text: str
    title: str
    source: str
    url: str
    published: str


def annotator_id(session: Session, name: str | None) -> int | None:
    if not name:
        return None
    return session.scalar(select(Annotator.id).where(Annotator.name == name))


def _filtered(session: Session, query: Select, annotator: str | None, flt: DocumentFilter, *,
              update_index: bool = True) -> Select:
    aid = annotator_id(session, annotator)
    if flt.search.strip():
        # New documents reach SQLite's FTS5 index in batches (store/search.py); bring it up to date
        # unless the database is read-only, then search what is indexed. (The list does this once
        # per search, when it counts the hits, not again for every page.)
        if update_index and session.get_bind().dialect.name == "sqlite":
            try:
                with session.begin_nested():
                    update_search_index(session)
            except SQLAlchemyError:
                pass
        query = filter_by_search(query, session, flt.search)
    # Status and label are tested against the set of documents that have such a layer or span (found
    # through ix_layers_annotator_status / ix_spans_label), not by a subquery per document: on 1,000,000
    # documents that per-row test read every article's page, several times slower, on every page read.
    if flt.status:
        if aid is None:
            if flt.status != STATUS_TODO:
                return query.where(false())
        elif flt.status == STATUS_TODO:  # no layer yet, or one still at "todo"
            started = select(Layer.document_id).where(Layer.annotator_id == aid, Layer.status != STATUS_TODO)
            query = query.where(Document.id.not_in(started))
        else:
            query = query.where(Document.id.in_(
                select(Layer.document_id).where(Layer.annotator_id == aid, Layer.status == flt.status)))
    if flt.queue:
        query = query.where(Document.id.in_(assigned_to(aid)))
    if flt.label:
        if aid is None:
            return query.where(false())
        query = query.where(Document.id.in_(
            select(Layer.document_id)
            .join(Span, Span.layer_id == Layer.id)
            .join(Label, Span.label_id == Label.id)
            .where(Layer.annotator_id == aid, Label.key == flt.label)
        ))
    return query


def document_ids(session: Session, annotator: str | None, flt: DocumentFilter | None = None) -> list[int]:
    """Primary keys of the matching documents in import order."""
    query = _filtered(session, select(Document.id), annotator, flt or DocumentFilter())
    # Core, not ORM, execution: 100,000 integers through the ORM's row machinery take ~10x longer.
    return list(session.connection().execute(query.order_by(Document.id)).scalars())


def document_count(session: Session, annotator: str | None, flt: DocumentFilter | None = None, *,
                   update_index: bool = True) -> int:
    """How many documents match ``flt`` (SQLite counts the entries of the narrow ``ix_documents_id``)."""
    query = _filtered(session, select(func.count()).select_from(Document), annotator, flt or DocumentFilter(),
                      update_index=update_index)
    return session.connection().execute(query).scalar_one()


def document_page(session: Session, annotator: str | None, flt: DocumentFilter | None = None, *,
                  after: int | None = None, before: int | None = None, offset: int = 0,
                  limit: int = 200) -> list[DocumentRow]:
    """Up to ``limit`` rows of the matching documents in list order (by id), read in one indexed query.

    ``after`` (a primary key) gives the rows that follow it, ``before`` the rows that precede it (still in
    list order), otherwise the rows from position ``offset`` on: the id there is found first, counting
    along the index without touching the documents themselves.
    """
    flt = flt or DocumentFilter()
    aid = annotator_id(session, annotator)
    if after is None and before is None and offset > 0:
        anchor = session.connection().execute(
            _filtered(session, select(Document.id), annotator, flt, update_index=False)
            .order_by(Document.id).limit(1).offset(offset)
        ).scalar()
        if anchor is None:
            return []
        after = anchor - 1
    join_on = and_(Layer.document_id == Document.id, Layer.annotator_id == (aid if aid is not None else -1))
    query = _filtered(
        session,
        select(Document.id, Document.doc_id, Document.title, Document.source, Document.published,
               Layer.status, Layer.span_count).outerjoin(Layer, join_on),
        annotator, flt, update_index=False,
    )
    if before is not None:
        query = query.where(Document.id < before).order_by(Document.id.desc())
    else:
        if after is not None:
            query = query.where(Document.id > after)
        query = query.order_by(Document.id)
    rows = [_row(r) for r in session.connection().execute(query.limit(limit))]
    return rows[::-1] if before is not None else rows


def document_position(session: Session, annotator: str | None, flt: DocumentFilter | None, pk: int) -> int | None:
    """The row of document ``pk`` in the list of the documents matching ``flt`` (None when it is not there)."""
    flt = flt or DocumentFilter()
    conn = session.connection()
    listed = _filtered(session, select(Document.id), annotator, flt, update_index=False).where(Document.id == pk)
    if conn.execute(listed).first() is None:
        return None
    before = _filtered(session, select(func.count()).select_from(Document), annotator, flt, update_index=False)
    return conn.execute(before.where(Document.id < pk)).scalar_one()


def _row(r: Row) -> DocumentRow:
    return DocumentRow(r[0], r[1], r[2] or r[1], r[3] or "", r[4] or "", r[5] or STATUS_TODO, r[6] or 0)


def document_rows(session: Session, pks: Sequence[int], annotator: str | None) -> dict[int, DocumentRow]:
    """The list rows of ``pks`` (one page) with ``annotator``'s status and span count."""
    if not pks:
        return {}
    aid = annotator_id(session, annotator)
    join_on = and_(Layer.document_id == Document.id, Layer.annotator_id == (aid if aid is not None else -1))
    rows = session.execute(
        select(Document.id, Document.doc_id, Document.title, Document.source, Document.published,
               Layer.status, Layer.span_count)
        .outerjoin(Layer, join_on)
        .where(Document.id.in_(list(pks)))
    ).all()
    return {r[0]: _row(r) for r in rows}


def _sort_key(sort: DocumentSort) -> Any:  # a column or an expression: SQLAlchemy types them apart
    """The SQL expression a sort orders by (status in workflow order: to do, in progress, done)."""
    if sort.key == "title":
        return Document.title
    if sort.key == "published":
        return Document.published
    if sort.key == "status":
        return case({STATUS_TODO: 0, STATUS_IN_PROGRESS: 1, STATUS_DONE: 2},
                    value=func.coalesce(Layer.status, STATUS_TODO), else_=3)
    return func.coalesce(Layer.span_count, 0)


def _sorted(session: Session, columns: Sequence[Any], annotator: str | None, flt: DocumentFilter,
            sort: DocumentSort) -> tuple[Select, list[Any]]:
    """``columns`` of the matching documents and the ORDER BY of ``sort`` (layers joined only if it needs them)."""
    query = select(*columns).select_from(Document)
    if sort.key in ("status", "spans"):
        aid = annotator_id(session, annotator)
        query = query.outerjoin(Layer, and_(Layer.document_id == Document.id,
                                            Layer.annotator_id == (aid if aid is not None else -1)))
    key = _sort_key(sort)
    order = [key.desc(), Document.id.desc()] if sort.descending else [key, Document.id]
    return _filtered(session, query, annotator, flt, update_index=False), order


def sorted_page(session: Session, annotator: str | None, flt: DocumentFilter | None, sort: DocumentSort, *,
                offset: int = 0, limit: int = 200) -> list[DocumentRow]:
    """Up to ``limit`` rows from position ``offset`` of the matching documents in ``sort`` order.

    The ids come from a narrow query (an index walk for title and date), the rows from one ``IN`` query,
    so skipping deep into the list never reads the skipped articles or their layers' rows twice.
    """
    query, order = _sorted(session, [Document.id], annotator, flt or DocumentFilter(), sort)
    pks = list(session.connection().execute(query.order_by(*order).limit(limit).offset(offset)).scalars())
    found = document_rows(session, pks, annotator)
    return [found[pk] for pk in pks if pk in found]


def sorted_position(session: Session, annotator: str | None, flt: DocumentFilter | None, sort: DocumentSort,
                    pk: int) -> int | None:
    """The row of document ``pk`` in the ``sort`` order of the matching documents (None when not listed).

    Numbered by ``row_number()`` over the sorted ids: one pass, and NULL dates take their place like any key.
    """
    query, order = _sorted(session, [Document.id], annotator, flt or DocumentFilter(), sort)
    numbered = query.add_columns(func.row_number().over(order_by=order).label("n")).subquery()
    found = session.connection().execute(select(numbered.c.n).where(numbered.c.id == pk)).scalar()
    return None if found is None else found - 1


def load_document(session: Session, pk: int) -> LoadedDocument | None:
    row = session.execute(
        select(Document.id, Document.doc_id, Document.text, Document.title, Document.source, Document.url,
               Document.published).where(Document.id == pk)
    ).first()
    if row is None:
        return None
    return LoadedDocument(row[0], row[1], row[2], row[3] or row[1], row[4] or "", row[5] or "", row[6] or "")


def find_document_pk(session: Session, ref: str) -> int | None:
    """The primary key of a document named by its public ``doc_id`` or, failing that, its number."""
    pk = session.scalar(select(Document.id).where(Document.doc_id == ref))
    if pk is None and ref.isdigit():
        pk = session.scalar(select(Document.id).where(Document.id == int(ref)))
    return pk


def next_undone(session: Session, annotator: str | None, after_pk: int | None,
                flt: DocumentFilter | None = None, sort: DocumentSort | None = None) -> int | None:
    """The next document (in list order, wrapping around) that ``annotator`` has not marked done.

    With ``flt`` only documents the list shows under that filter count, found in the same query (the
    search index is read as the list last brought it up to date), so Ctrl+Enter never opens a document
    that is not in the filtered list. With ``sort`` "next" follows the list's column order (numbered by
    ``row_number()`` like :func:`sorted_position`), so the document below the open one is the one opened.
    """
    aid = annotator_id(session, annotator)
    mine = aliased(Layer)  # not correlated with the layer a status or span-count sort joins
    done = exists(select(mine.id).where(mine.document_id == Document.id, mine.annotator_id == aid,
                                        mine.status == STATUS_DONE)) if aid is not None else None
    if sort is not None:
        return _next_undone_sorted(session, annotator, after_pk, flt or DocumentFilter(), sort, done)
    query = _filtered(session, select(Document.id), annotator, flt or DocumentFilter(), update_index=False)
    if done is not None:
        query = query.where(~done)
    if after_pk is not None:
        found = session.scalar(query.where(Document.id > after_pk).order_by(Document.id).limit(1))
        if found is not None:
            return found
        query = query.where(Document.id != after_pk)
    return session.scalar(query.order_by(Document.id).limit(1))


def _next_undone_sorted(session: Session, annotator: str | None, after_pk: int | None, flt: DocumentFilter,
                        sort: DocumentSort, done: Any) -> int | None:
    """:func:`next_undone` in a column order: the first undone row below the open one, else from the top."""
    query, order = _sorted(session, [Document.id], annotator, flt, sort)
    flag = done if done is not None else false()
    numbered = query.add_columns(func.row_number().over(order_by=order).label("n"), flag.label("done")).subquery()
    undone = select(numbered.c.id).where(~numbered.c.done).order_by(numbered.c.n).limit(1)
    if after_pk is not None:
        here = select(numbered.c.n).where(numbered.c.id == after_pk).scalar_subquery()
        found = session.scalar(undone.where(numbered.c.n > here))
        if found is not None:
            return found
        undone = undone.where(numbered.c.id != after_pk)
    return session.scalar(undone)


def layer_owners(session: Session, pk: int, viewer: str | None = None) -> list[str]:
    """The annotators who have a layer on document ``pk``, by name, with the gold layer last.

    A ``viewer`` annotating blind (store/assignments.py) gets only their own until it is done.
    """
    names = session.scalars(
        select(Annotator.name).join(Layer, Layer.annotator_id == Annotator.id).where(Layer.document_id == pk)
    ).all()
    if viewer is not None and hidden_layers(session, pk, viewer):
        names = [name for name in names if name == viewer]
    return sorted(names, key=lambda name: (name == GOLD_ANNOTATOR, name.casefold(), name))


def layer_status(session: Session, pk: int, annotator: str) -> str:
    status = session.scalar(
        select(Layer.status).join(Annotator, Layer.annotator_id == Annotator.id)
        .where(Layer.document_id == pk, Annotator.name == annotator)
    )
    return status or STATUS_TODO


def layer_review(session: Session, pk: int, annotator: str) -> ReviewRecord | None:
    """A curator's review of ``annotator``'s layer on a document (approved, or returned with a comment)."""
    return review_of(session, pk, annotator)


def layer_spans(session: Session, pk: int, annotator: str, viewer: str | None = None) -> list[SpanView]:
    """``annotator``'s spans on a document, in text order (the article view's query).

    Refused when ``viewer`` annotates blind and may not see ``annotator``'s layer yet.
    """
    check_may_read_layer(session, pk, annotator, viewer)
    return repo.list_spans(session, pk, annotator)
