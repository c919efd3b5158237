"""Repository functions: every read and write of annotations goes through here.

Each function takes the caller's Session and never commits: the caller's ``store.write()`` block is the
transaction (one user action, one commit). Writes to a layer check who is acting (``actor``): an
annotator writes only their own layer, and the gold layer only with the curator or admin role. The check
lives here, in the store, so neither the UI nor a script can bypass it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, String, func, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from annotator.core.errors import AnnotatorError, PermissionDenied
from annotator.core.model import (
    CURATING_ROLES,
    GOLD_ANNOTATOR,
    LAYER_STATUSES,
    ROLE_ADMIN,
    ROLE_ANNOTATOR,
    ROLE_CURATOR,
    ROLES,
    STATUS_IN_PROGRESS,
    STATUS_TODO,
    AnnotatedDocument,
    DocumentRecord,
    LayerRecord,
    SpanRecord,
)
from annotator.core.scheme import Label as LabelRecord
from annotator.core.scheme import Scheme, check_label_key, check_new_key, default_scheme
from annotator.core.text import check_bounds, check_offsets
from annotator.store import span_sql as sql
from annotator.store.models import Annotator, Document, Label, Layer, Span, utcnow

ANNOTATOR_NAME_MAX = 100


# ---------------------------------------------------------------------------------------------- scheme
def ensure_default_scheme(session: Session) -> None:
    """Give an empty database the default five labels."""
    if session.scalar(select(func.count(Label.id))) == 0:
        for label in default_scheme().labels:
            session.add(_label_row(label))
        session.flush()


def _label_row(label: LabelRecord) -> Label:
    return Label(
        key=label.key,
        name=label.name,
        color=label.color,
        shortcut=label.shortcut,
        guideline=label.guideline,
        order=label.order,
    )


def get_scheme(session: Session) -> Scheme:
    rows = session.scalars(select(Label).order_by(Label.order, Label.id)).all()
    return Scheme(
        [LabelRecord(r.key, r.name, r.color, r.shortcut, r.guideline, r.order) for r in rows]
    )


def label_ids(session: Session) -> dict[str, int]:
    return dict(session.execute(select(Label.key, Label.id)).all())


def save_scheme(session: Session, scheme: Scheme) -> None:
    """Create or update labels from a scheme; labels not in it are kept (spans may use them).

    Every key is checked before anything is written, so a refused scheme changes nothing.
    """
    existing = {row.key: row for row in session.scalars(select(Label))}
    for label in scheme.labels:
        check_label_key(label.key)
        if label.key not in existing:
            check_new_key(label.key, existing)
    for label in scheme.labels:
        row = existing.get(label.key)
        if row is None:
            session.add(_label_row(label))
        else:
            row.name, row.color, row.shortcut = label.name, label.color, label.shortcut
            row.guideline, row.order = label.guideline, label.order
    session.flush()


def add_label(session: Session, label: LabelRecord) -> Label:
    check_label_key(label.key)
    check_new_key(label.key, session.scalars(select(Label.key)).all())
    row = _label_row(label)
    session.add(row)
    session.flush()
    return row


# ---------------------------------------------------------------------------------------------- people
def check_annotator_name(name: str) -> str:
    """Annotator names are short, printable and not blank; returns the stripped name."""
    if not isinstance(name, str) or not name.strip():
        raise AnnotatorError("an annotator name must not be empty")
    name = name.strip()
    if len(name) > ANNOTATOR_NAME_MAX or any(ord(ch) < 32 for ch in name):
        raise AnnotatorError(f"annotator name {name[:40]!r} is too long or contains control characters")
    return name


def get_or_create_annotator(session: Session, name: str) -> Annotator:
    """The annotator called ``name``; the first one created in a database becomes its admin."""
    name = check_annotator_name(name)
    row = session.scalar(select(Annotator).where(Annotator.name == name))
    if row is None:
        first = session.scalar(select(func.count(Annotator.id))) == 0
        role = ROLE_CURATOR if name == GOLD_ANNOTATOR else (ROLE_ADMIN if first else ROLE_ANNOTATOR)
        row = Annotator(name=name, role=role)
        session.add(row)
        session.flush()
    return row


def set_role(session: Session, name: str, role: str) -> None:
    if role not in ROLES:
        raise AnnotatorError(f"role {role!r} is not one of {', '.join(ROLES)}")
    get_or_create_annotator(session, name).role = role
    session.flush()


def role_of(session: Session, name: str) -> str | None:
    return session.scalar(select(Annotator.role).where(Annotator.name == name))


def check_can_write(session: Session, layer_owner: str, actor: str | None) -> None:
    """Refuse a write to ``layer_owner``'s layer by ``actor`` unless it is theirs or they may curate.

    ``actor=None`` means a trusted system operation (an admin's import, a migration).
    """
    if actor is None or actor == layer_owner:
        return
    problem = write_refusal(layer_owner, actor, role_of(session, actor))
    if problem:
        raise PermissionDenied(problem)


def write_refusal(layer_owner: str, actor: str | None, role: str | None) -> str | None:
    """Why ``actor`` (whose role is ``role``) may not write ``layer_owner``'s layer, or None if they may.

    The rule itself, without a query: the hot write paths read the role in the same SELECT as everything
    else they need, so the check is exact (a role changed a moment ago counts) and costs no round trip.
    """
    if actor is None or actor == layer_owner:
        return None
    if layer_owner == GOLD_ANNOTATOR:
        if role in CURATING_ROLES:
            return None
        return f"{actor} may not change the gold layer: that needs the curator role"
    if role == ROLE_ADMIN:
        return None
    return f"{actor} may not change {layer_owner}'s layer: each annotator edits only their own"


# ---------------------------------------------------------------------------------------------- documents
def document_values(record: DocumentRecord) -> dict[str, Any]:
    """Column values of a document row from a record (shared by single and bulk inserts)."""
    meta = record.meta
    return {
        "doc_id": record.doc_id,
        "text_sha256": record.text_sha256,
        "text": record.text,
        "length": len(record.text),
        "title": str(meta.get("title") or "")[:500],
        "source": _opt(meta.get("source"), 500),
        "url": _opt(meta.get("url"), None),
        "published": _opt(meta.get("published"), 40),
        "filename": _opt(meta.get("filename"), 500),
        "meta": {k: v for k, v in meta.items() if k not in ("title", "source", "url", "published", "filename")},
        "created": utcnow(),
    }


def _opt(value: object, limit: int | None) -> str | None:
    if value in (None, ""):
        return None
    text = str(value)
    return text if limit is None else text[:limit]


def document_record(row: Document) -> DocumentRecord:
    meta: dict[str, Any] = {
        "title": row.title,
        "source": row.source,
        "url": row.url,
        "published": row.published,
        "filename": row.filename,
    }
    meta.update(row.meta or {})
    return DocumentRecord(row.doc_id, row.text, row.text_sha256, {k: v for k, v in meta.items() if v not in (None, "")})


def count_documents(session: Session) -> int:
    return session.scalar(select(func.count(Document.id))) or 0


def find_document(session: Session, *, sha256: str | None = None, doc_id: str | None = None) -> Document | None:
    if sha256 is not None:
        row = session.scalar(select(Document).where(Document.text_sha256 == sha256))
        if row is not None:
            return row
    if doc_id is not None:
        return session.scalar(select(Document).where(Document.doc_id == doc_id))
    return None


def add_document(session: Session, record: DocumentRecord) -> tuple[Document, bool]:
    """Store a document unless the same text is already there; returns the row and whether it is new.

    A ``doc_id`` already used by a *different* text gets a suffix, so ids stay unique without losing either.
    """
    existing = find_document(session, sha256=record.text_sha256)
    if existing is not None:
        return existing, False
    values = document_values(record)
    values["doc_id"] = unique_doc_id(session, record.doc_id, record.text_sha256)
    row = Document(**values)
    session.add(row)
    session.flush()
    return row, True


def unique_doc_id(session: Session, wanted: str, sha256: str) -> str:
    if session.scalar(select(Document.id).where(Document.doc_id == wanted)) is None:
        return wanted
    return f"{wanted}-{sha256[:8]}"


# ---------------------------------------------------------------------------------------------- layers
def get_layer(session: Session, document_id: int, annotator: str) -> Layer | None:
    return session.scalar(
        select(Layer).join(Annotator).where(Layer.document_id == document_id, Annotator.name == annotator)
    )


def get_or_create_layer(session: Session, document_id: int, annotator: str, actor: str | None = None) -> Layer:
    layer = get_layer(session, document_id, annotator)
    if layer is None:
        check_can_write(session, annotator, actor)
        owner = get_or_create_annotator(session, annotator)
        layer = Layer(document_id=document_id, annotator_id=owner.id, status=STATUS_TODO, span_count=0)
        session.add(layer)
        session.flush()
    return layer


def set_status(session: Session, document_id: int, annotator: str, status: str, actor: str | None = None) -> int:
    """Set the status of ``annotator``'s layer on a document (creating the layer); returns the layer's id."""
    if status not in LAYER_STATUSES:
        raise AnnotatorError(f"status {status!r} is not one of {', '.join(LAYER_STATUSES)}")
    conn = _core(session)
    role, layer_id, owner_id = conn.execute(
        sql.STATUS_LOOKUP, {"actor": actor, "document_id": document_id, "owner": annotator}).one()
    _refuse(annotator, actor, role)
    now = utcnow()
    if layer_id is None:
        return _insert_layer(session, document_id, annotator, owner_id, status=status, span_count=0, now=now)
    conn.execute(sql.LAYER_STATUS, {"layer_pk": layer_id, "new_status": status, "now": now})
    _refresh_if_loaded(session, Layer, layer_id)
    return layer_id


# ---------------------------------------------------------------------------------------------- spans
@dataclass(frozen=True, slots=True)
class SpanView:
    """A stored span as the app and exporters see it (no ORM object escapes to the UI)."""

    id: int
    start: int
    end: int
    label: str
    quote: str
    note: str | None
    attributes: dict[str, Any]


def _core(session: Session) -> Connection:
    """The session's connection for Core statements, after writing out anything the ORM still holds.

    Core statements bypass the session's autoflush, so a label or document added through the ORM and not
    yet flushed must be written first for the SELECTs below to see it (a no-op when nothing is pending).
    """
    session.flush()
    return session.connection()


def _combines_writes(conn: Connection) -> bool:
    """True where a span's write and its layer's bookkeeping go in one statement (see span_sql)."""
    return conn.dialect.name == "postgresql"


def _refuse(layer_owner: str, actor: str | None, role: str | None) -> None:
    problem = write_refusal(layer_owner, actor, role)
    if problem:
        raise PermissionDenied(problem)


def _refresh_if_loaded(session: Session, model: type[Layer] | type[Span], row_id: int) -> None:
    """Bring an ORM object that a caller already loaded in this session up to date after a Core write.

    The app's writes use fresh sessions (nothing loaded, nothing to do); a script that holds a Layer while
    adding spans would otherwise read a stale ``span_count`` from it.
    """
    if session.identity_map:
        loaded = session.identity_map.get(identity_key(model, row_id))
        if loaded is not None:
            session.refresh(loaded)


def _insert_layer(session: Session, document_id: int, owner: str, owner_id: int | None, *, status: str,
                  span_count: int, now: datetime) -> int:
    """A new layer for ``owner`` (creating the annotator, ORM path: rare and with the first-admin rule)."""
    if owner_id is None:
        owner_id = get_or_create_annotator(session, owner).id
    result = session.connection().execute(sql.INSERT_LAYER, {
        "document_id": document_id, "annotator_id": owner_id, "status": status, "span_count": span_count,
        "updated": now})
    return result.inserted_primary_key[0]


def _cut(start: object, end: object) -> tuple[int, int]:
    """``substr`` arguments (1-based start, length) for offsets, or a harmless empty cut for invalid ones.

    Invalid offsets (not integers, negative, reversed, beyond 32 bits) are refused by ``check_bounds``
    before the quote is used, but the SELECT that reads the document's length cuts the quote in the same
    go, and PostgreSQL rejects a negative length, so it must never receive one.
    """
    if (isinstance(start, int) and isinstance(end, int) and not isinstance(start, bool)
            and not isinstance(end, bool) and 0 <= start < end <= sql.INT32_MAX):
        return start + 1, end - start
    return 1, 0


def _offset_param(value: object) -> int | None:
    """A boundary for the recut SELECT: the value when it could be valid, else None ("unchanged").

    An invalid value is refused by ``check_bounds`` before the quote it produced is used.
    """
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= sql.INT32_MAX:
        return value
    return None


def add_span(
    session: Session,
    document_id: int,
    annotator: str,
    start: int,
    end: int,
    label: str,
    *,
    actor: str | None = None,
    note: str | None = None,
    attributes: dict[str, Any] | None = None,
    span_id: int | None = None,
) -> SpanView:
    """Store a span on ``annotator``'s layer of a document, checking offsets and label.

    ``span_id`` lets undo/redo restore a deleted span under its old id (below the id sequence's value,
    since the id came from it, so later inserts never collide). In the usual case one SELECT answers
    every check (the database cuts the quote: SQL ``substr`` counts code points on SQLite and PostgreSQL,
    so tagging a 1 MB article does not ship its text to Python), then the layer's bookkeeping and the
    INSERT follow, fused into one statement on PostgreSQL.
    """
    conn = _core(session)
    cut_from, cut_len = _cut(start, end)
    row = conn.execute(sql.ADD_LOOKUP, {
        "document_id": document_id, "label": label, "owner": annotator,
        "actor": None if actor is None or actor == annotator else actor,
        "cut_from": cut_from, "cut_len": cut_len}).first()
    if row is None:
        check_can_write(session, annotator, actor)  # the refusal, if any, comes first as it always did
        raise AnnotatorError(f"document {document_id} does not exist")
    length, quote, label_id, owner_id, layer_id, role = row
    _refuse(annotator, actor, role)
    problem = check_bounds(length, start, end)
    if problem:
        raise AnnotatorError(problem)
    if label_id is None:
        raise AnnotatorError(f"unknown label {label!r}")
    now = utcnow()
    values: dict[str, Any] = {"v_start": start, "v_end_": end, "v_label_id": label_id, "v_quote": quote,
                              "v_attributes": attributes or {}, "v_note": note, "v_created": now, "v_updated": now}
    with_id = span_id is not None
    if with_id:
        values["v_id"] = span_id
    if layer_id is None:
        layer_id = _insert_layer(session, document_id, annotator, owner_id, status=STATUS_IN_PROGRESS, span_count=1,
                                 now=now)
        insert = sql.INSERT_SPAN[with_id]
    elif _combines_writes(conn):
        values.update(layer_pk=layer_id, now=now)
        insert = sql.INSERT_SPAN_WITH_LAYER[with_id]
    else:
        conn.execute(sql.LAYER_GAINED_SPAN, {"layer_pk": layer_id, "now": now})
        insert = sql.INSERT_SPAN[with_id]
    values["v_layer_id"] = layer_id
    result = conn.execute(insert, values)
    if with_id:
        new_id = span_id
    elif insert is sql.INSERT_SPAN_WITH_LAYER[False]:
        new_id = result.scalar_one()
    else:
        new_id = result.inserted_primary_key[0]
    _refresh_if_loaded(session, Layer, layer_id)
    return SpanView(new_id, start, end, label, quote, note, dict(attributes or {}))


def delete_span(session: Session, span_id: int, *, actor: str | None = None) -> SpanView:
    """Delete a span and return what it was (for undo): one SELECT, then the DELETE and the layer's count."""
    conn = _core(session)
    row = conn.execute(sql.SPAN_LOOKUP, {"span_id": span_id, "actor": actor, "new_label": None}).first()
    if row is None:
        raise AnnotatorError(f"span {span_id} no longer exists")
    layer_id, start, end, label, quote, note, attributes, owner, role, _ = row
    _refuse(owner, actor, role)
    now = utcnow()
    # A span deleted by another session since the SELECT is refused: counting it again would make the
    # layer's span_count wrong.
    if _combines_writes(conn):
        gone = conn.execute(sql.DELETE_SPAN_WITH_LAYER, {"span_id": span_id, "now": now}).rowcount == 1
    else:
        gone = conn.execute(sql.DELETE_SPAN, {"span_id": span_id}).rowcount == 1
        if gone:
            conn.execute(sql.LAYER_LOST_SPAN, {"layer_pk": layer_id, "now": now})
    if not gone:
        raise AnnotatorError(f"span {span_id} no longer exists")
    _forget_span(session, span_id)
    _refresh_if_loaded(session, Layer, layer_id)
    return SpanView(span_id, start, end, label, quote, note, dict(attributes or {}))


def _forget_span(session: Session, span_id: int) -> None:
    """Drop a deleted span's ORM object, if a caller loaded one, so the session never writes it back."""
    if session.identity_map:
        loaded = session.identity_map.get(identity_key(Span, span_id))
        if loaded is not None:
            session.expunge(loaded)


def update_span(
    session: Session,
    span_id: int,
    *,
    actor: str | None = None,
    label: str | None = None,
    start: int | None = None,
    end: int | None = None,
    note: str | None | type[Ellipsis] = ...,
    attributes: dict[str, Any] | None = None,
) -> SpanView:
    """Change a span's label, boundaries, note or attributes; returns the new state.

    New boundaries are checked against the document's length and the new quote is cut by the database,
    in the same SELECT that finds the span, its owner and the new label.
    """
    conn = _core(session)
    recut = start is not None or end is not None
    params: dict[str, Any] = {"span_id": span_id, "actor": actor, "new_label": label}
    if recut:
        params.update(new_start=_offset_param(start), new_end=_offset_param(end))
    row = conn.execute(sql.SPAN_LOOKUP_RECUT if recut else sql.SPAN_LOOKUP, params).first()
    if row is None:
        raise AnnotatorError(f"span {span_id} no longer exists")
    layer_id, old_start, old_end, old_label, quote, old_note, old_attributes, owner, role, label_id = row[:10]
    _refuse(owner, actor, role)
    now = utcnow()
    values: dict[str, Any] = {"span_id": span_id, "now": now}
    changed: list[str] = []
    if label is not None:
        if label_id is None:
            raise AnnotatorError(f"unknown label {label!r}")
        changed.append("label_id")
        values["v_label_id"] = label_id
    new_start, new_end = old_start, old_end
    if recut:
        length, new_quote = row[10], row[11]
        new_start = old_start if start is None else start
        new_end = old_end if end is None else end
        problem = check_bounds(length, new_start, new_end)
        if problem:
            raise AnnotatorError(problem)
        quote = new_quote
        changed.append("bounds")
        values.update(v_start=new_start, v_end=new_end, v_quote=quote)
    new_note = old_note
    if note is not ...:
        new_note = note  # type: ignore[assignment]
        changed.append("note")
        values["v_note"] = new_note
    new_attributes = old_attributes or {}
    if attributes is not None:
        new_attributes = dict(attributes)
        changed.append("attributes")
        values["v_attributes"] = new_attributes
    # The layer's ``updated`` is what live views poll (store/changes.py), so an edit must touch it too.
    if _combines_writes(conn):
        found = conn.execute(sql.span_update_with_layer(tuple(changed)), values).rowcount == 1
    else:
        found = conn.execute(sql.span_update(tuple(changed)), values).rowcount == 1
        if found:
            conn.execute(sql.LAYER_TOUCHED, {"layer_pk": layer_id, "now": now})
    if not found:
        raise AnnotatorError(f"span {span_id} no longer exists")
    _refresh_if_loaded(session, Span, span_id)
    _refresh_if_loaded(session, Layer, layer_id)
    return SpanView(span_id, new_start, new_end, label if label is not None else old_label, quote, new_note,
                    dict(new_attributes))


def span_view(span: Span) -> SpanView:
    return SpanView(span.id, span.start, span.end, span.label.key, span.quote, span.note, dict(span.attributes or {}))


def list_spans(session: Session, document_id: int, annotator: str) -> list[SpanView]:
    """``annotator``'s spans on a document in text order — fast enough for 10,000 spans per open.

    Core rows on the session's connection (no ORM objects), attributes read as text and decoded only
    when not empty (psycopg hands PostgreSQL's JSON over already decoded; ``_json_value`` takes both).
    """
    rows = session.connection().execute(
        select(Span.id, Span.start, Span.end, Label.key, Span.quote, Span.note, type_coerce(Span.attributes, String))
        .join(Label, Span.label_id == Label.id)
        .join(Layer, Span.layer_id == Layer.id)
        .join(Annotator, Layer.annotator_id == Annotator.id)
        .where(Layer.document_id == document_id, Annotator.name == annotator)
        .order_by(Span.start, Span.end, Span.id)
    ).all()
    return [SpanView(r[0], r[1], r[2], r[3], r[4], r[5], {} if r[6] == "{}" else _json_value(r[6])) for r in rows]


def annotators_of(session: Session) -> list[str]:
    return list(session.scalars(select(Annotator.name).order_by(Annotator.name)))


# ---------------------------------------------------------------------------------------------- reading out
def iter_annotated_documents(
    session: Session,
    annotators: Sequence[str] | None = None,
    *,
    statuses: Iterable[str] | None = None,
    chunk: int = 500,
) -> Iterator[AnnotatedDocument]:
    """Every document in ``doc_id`` order with its layers (all, or those of ``annotators``), streamed.

    Reads in chunks of documents with one query for their layers and one for their spans, so memory
    stays flat on 100,000 documents and the number of queries grows with chunks, not rows.
    """
    names = list(annotators) if annotators else None
    status_set = set(statuses) if statuses else None
    labels = {lid: key for key, lid in label_ids(session).items()}
    # Core execution on the session's connection: no ORM row processing on 100,000s of rows, and JSON
    # columns read as text and decoded only when not empty (most spans have no attributes).
    conn = session.connection()
    attrs_text = type_coerce(Span.attributes, String)
    meta_text = type_coerce(Document.meta, String)
    # Code-point order on every dialect: a PostgreSQL database's locale collation would sort ids differently.
    order_key = Document.doc_id.collate("C") if conn.dialect.name == "postgresql" else Document.doc_id
    last = ""
    while True:
        docs = conn.execute(
            select(Document.id, Document.doc_id, Document.text, Document.text_sha256, Document.title,
                   Document.source, Document.url, Document.published, Document.filename, meta_text)
            .where(order_key > last)
            .order_by(order_key)
            .limit(chunk)
        ).all()
        if not docs:
            return
        last = docs[-1][1]
        ids = [d[0] for d in docs]
        layer_query = (
            select(Layer.id, Layer.document_id, Annotator.name, Layer.status)
            .join(Annotator, Layer.annotator_id == Annotator.id)
            .where(Layer.document_id.in_(ids))
        )
        if names is not None:
            layer_query = layer_query.where(Annotator.name.in_(names))
        if status_set is not None:
            layer_query = layer_query.where(Layer.status.in_(status_set))
        layer_rows = conn.execute(layer_query).all()
        spans_by_layer: dict[int, list[SpanRecord]] = {row[0]: [] for row in layer_rows}
        if layer_rows:
            span_rows = conn.execute(
                select(Span.layer_id, Span.start, Span.end, Span.label_id, Span.quote, attrs_text, Span.note)
                .where(Span.layer_id.in_(list(spans_by_layer)))
                .order_by(Span.layer_id, Span.start, Span.end, Span.id)
            ).all()
            for layer_id, start, end, label_id, quote, attrs, note in span_rows:
                spans_by_layer[layer_id].append(
                    SpanRecord(start, end, labels[label_id], quote, {} if attrs == "{}" else _json_value(attrs), note)
                )
        layers_by_doc: dict[int, list[LayerRecord]] = {}
        for layer_id, document_id, name, status in layer_rows:
            layers_by_doc.setdefault(document_id, []).append(LayerRecord(name, status, spans_by_layer[layer_id]))
        for did, doc_id, text, sha, title, source, url, published, filename, meta in docs:
            merged: dict[str, Any] = {"title": title, "source": source, "url": url, "published": published,
                                      "filename": filename}
            merged.update(_json_value(meta))
            record = DocumentRecord(doc_id, text, sha, {k: v for k, v in merged.items() if v not in (None, "")})
            layers = sorted(layers_by_doc.get(did, []), key=lambda lay: lay.annotator or "")
            yield AnnotatedDocument(record, layers)


def _json_value(raw: object) -> dict[str, Any]:
    """A JSON column read as text (SQLite) or already decoded (PostgreSQL drivers), as a dict."""
    if raw is None or raw == "{}" or raw == "null":
        return {}
    if isinstance(raw, dict):
        return raw
    try:
        value = json.loads(raw) if isinstance(raw, str | bytes) else raw
    except ValueError:  # a hand-edited database; the span itself is still good
        return {}
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True, slots=True)
class QuoteMismatch:
    doc_id: str
    annotator: str
    span_id: int
    start: int
    end: int
    stored_quote: str
    actual: str


def verify_quotes(session: Session) -> Iterator[QuoteMismatch]:
    """Every span whose stored quote differs from its document's text at its offsets."""
    rows = session.execute(
        select(Document.doc_id, Annotator.name, Span.id, Span.start, Span.end, Span.quote, Document.id)
        .join(Layer, Span.layer_id == Layer.id)
        .join(Document, Layer.document_id == Document.id)
        .join(Annotator, Layer.annotator_id == Annotator.id)
        .order_by(Document.id, Span.id)
    )
    cache: tuple[int, str] | None = None
    for doc_id, name, span_id, start, end, quote, did in rows:
        if cache is None or cache[0] != did:
            cache = (did, session.scalar(select(Document.text).where(Document.id == did)) or "")
        actual = cache[1][start:end]
        if actual != quote or check_offsets(cache[1], start, end):
            yield QuoteMismatch(doc_id, name, span_id, start, end, quote, actual)
