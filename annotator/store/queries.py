"""Read-only queries behind the app's document list: ids by filter, rows by page, next undone document.

The document list must stay fast on 100,000 documents, so the app never loads rows it does not show:
it asks for the matching ids once (one indexed query of integers) and then for the rows of the page the
user is looking at. Search uses SQLite's FTS5 index (``documents_fts``, migration 0002) and falls back to
``LIKE`` on other databases (store/search.py). Status and span count are those of one annotator's layer: a document without
a layer is "todo" for that annotator.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, and_, exists, or_, select
from sqlalchemy import text as sql_text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from annotator.core.model import STATUS_DONE, STATUS_TODO
from annotator.store import repository as repo
from annotator.store.models import Annotator, Document, Label, Layer, Span
from annotator.store.repository import SpanView
from annotator.store.search import filter_by_search, update_search_index


@dataclass(frozen=True, slots=True)
class DocumentFilter:
    """What the document list shows: a search string, one layer status, one label (all optional)."""

    search: str = ""
    status: str | None = None
    label: str | None = None


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


def _fts_query(search: str) -> str:
    """User words as an FTS5 query: each word quoted (no operator injection), the last one a prefix."""
    words = [w for w in re.split(r"\s+", search.strip()) if w]
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    if quoted:
        quoted[-1] += "*"
    return " ".join(quoted)


def _filtered(session: Session, query: Select, annotator: str | None, flt: DocumentFilter) -> Select:
    aid = annotator_id(session, annotator)
    if flt.search.strip():
        if session.get_bind().dialect.name == "sqlite":
            # New documents reach the FTS5 index in batches (store/search.py); bring it up to date
            # unless the database is read-only, then search what is indexed.
            try:
                with session.begin_nested():
                    update_search_index(session)
            except SQLAlchemyError:
                pass
            match = sql_text("SELECT rowid FROM documents_fts WHERE documents_fts MATCH :q").bindparams(
                q=_fts_query(flt.search)
            )
            query = query.where(Document.id.in_(match.columns(rowid=Document.id.type).subquery().select()))
        else:
            query = filter_by_search(query, session, flt.search)
    if flt.status:
        if aid is None:
            if flt.status != STATUS_TODO:
                return query.where(False)
        else:
            layer_status = (
                select(Layer.status)
                .where(Layer.document_id == Document.id, Layer.annotator_id == aid)
                .scalar_subquery()
            )
            if flt.status == STATUS_TODO:
                query = query.where(or_(layer_status.is_(None), layer_status == STATUS_TODO))
            else:
                query = query.where(layer_status == flt.status)
    if flt.label:
        if aid is None:
            return query.where(False)
        query = query.where(
            exists(
                select(Span.id)
                .join(Layer, Span.layer_id == Layer.id)
                .join(Label, Span.label_id == Label.id)
                .where(Layer.document_id == Document.id, Layer.annotator_id == aid, Label.key == flt.label)
            )
        )
    return query


def document_ids(session: Session, annotator: str | None, flt: DocumentFilter | None = None) -> list[int]:
    """Primary keys of the matching documents in import order."""
    query = _filtered(session, select(Document.id), annotator, flt or DocumentFilter())
    # Core, not ORM, execution: 100,000 integers through the ORM's row machinery take ~10x longer.
    return list(session.connection().execute(query.order_by(Document.id)).scalars())


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
    return {
        r[0]: DocumentRow(r[0], r[1], r[2] or r[1], r[3] or "", r[4] or "", r[5] or STATUS_TODO, r[6] or 0)
        for r in rows
    }


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


def next_undone(session: Session, annotator: str | None, after_pk: int | None) -> int | None:
    """The next document (in list order, wrapping around) that ``annotator`` has not marked done."""
    aid = annotator_id(session, annotator)
    query = select(Document.id)
    if aid is not None:
        done = exists(select(Layer.id).where(Layer.document_id == Document.id, Layer.annotator_id == aid,
                                             Layer.status == STATUS_DONE))
        query = query.where(~done)
    if after_pk is not None:
        found = session.scalar(query.where(Document.id > after_pk).order_by(Document.id).limit(1))
        if found is not None:
            return found
        query = query.where(Document.id != after_pk)
    return session.scalar(query.order_by(Document.id).limit(1))


def layer_status(session: Session, pk: int, annotator: str) -> str:
    status = session.scalar(
        select(Layer.status).join(Annotator, Layer.annotator_id == Annotator.id)
        .where(Layer.document_id == pk, Annotator.name == annotator)
    )
    return status or STATUS_TODO


def layer_spans(session: Session, pk: int, annotator: str) -> list[SpanView]:
    """``annotator``'s spans on a document, in text order (the article view's query)."""
    return repo.list_spans(session, pk, annotator)
