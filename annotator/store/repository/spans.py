"""Spans: add, change, delete and list the tagged spans of a layer (the app's hot path).

Why a module of its own: every tag, undo and redo lands here. One SELECT answers every check (offsets,
label, owner, role) and the database cuts the quote, then the layer's bookkeeping and the span's write
follow (fused into one statement on PostgreSQL, ``store.span_sql``), so tagging a 1 MB article costs a
few milliseconds. :class:`SpanView` is what leaves the store: no ORM object reaches the UI.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from types import EllipsisType
from typing import Any

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from annotator.core.errors import AnnotatorError, RepeatedSpan
from annotator.core.model import STATUS_IN_PROGRESS
from annotator.core.text import check_bounds
from annotator.store import span_sql as sql
from annotator.store.models import Annotator, Label, Layer, Span, utcnow
from annotator.store.repository.annotators import check_can_write, refuse
from annotator.store.repository.layers import insert_layer
from annotator.store.repository.plumbing import (
    combines_writes,
    core_connection,
    inserted_id,
    refresh_if_loaded,
)


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
    so tagging a 1 MB article does not ship its text to Python, and probes the layer's index for an
    identical span, which is refused), then the layer's bookkeeping and the INSERT follow, fused into one
    statement on PostgreSQL.
    """
    conn = core_connection(session)
    cut_from, cut_len = _cut(start, end)
    row = conn.execute(sql.ADD_LOOKUP, {
        "document_id": document_id, "label": label, "owner": annotator,
        "actor": None if actor is None or actor == annotator else actor,
        "cut_from": cut_from, "cut_len": cut_len,
        "span_start": _offset_param(start), "span_end": _offset_param(end)}).first()
    if row is None:
        check_can_write(session, annotator, actor)  # the refusal, if any, comes first as it always did
        raise AnnotatorError(f"document {document_id} does not exist")
    length, quote, label_id, owner_id, layer_id, role, repeat = row
    refuse(annotator, actor, role)
    problem = check_bounds(length, start, end)
    if problem:
        raise AnnotatorError(problem)
    if label_id is None:
        raise AnnotatorError(f"unknown label {label!r}")
    if repeat:  # core/repeats.py: a layer never holds the same span twice
        raise RepeatedSpan(f"{annotator}'s layer already has the span {start}-{end} {label!r} (“{quote}”); "
                             "an identical span is not stored twice")
    now = utcnow()
    values: dict[str, Any] = {"v_start": start, "v_end_": end, "v_label_id": label_id, "v_quote": quote,
                              "v_attributes": attributes or {}, "v_note": note, "v_created": now, "v_updated": now}
    with_id = span_id is not None
    if with_id:
        values["v_id"] = span_id
    if layer_id is None:
        layer_id = insert_layer(session, document_id, annotator, owner_id, status=STATUS_IN_PROGRESS, span_count=1,
                                 now=now)
        insert = sql.INSERT_SPAN[with_id]
    elif combines_writes(conn):
        values.update(layer_pk=layer_id, now=now)
        insert = sql.INSERT_SPAN_WITH_LAYER[with_id]
    else:
        conn.execute(sql.LAYER_GAINED_SPAN, {"layer_pk": layer_id, "now": now})
        insert = sql.INSERT_SPAN[with_id]
    values["v_layer_id"] = layer_id
    result = conn.execute(insert, values)
    if span_id is not None:
        new_id = span_id
    elif insert is sql.INSERT_SPAN_WITH_LAYER[False]:
        new_id = result.scalar_one()
    else:
        new_id = inserted_id(result)
    refresh_if_loaded(session, Layer, layer_id)
    return SpanView(new_id, start, end, label, quote, note, dict(attributes or {}))


def delete_span(session: Session, span_id: int, *, actor: str | None = None) -> SpanView:
    """Delete a span and return what it was (for undo): one SELECT, then the DELETE and the layer's count."""
    conn = core_connection(session)
    row = conn.execute(sql.SPAN_LOOKUP, {"span_id": span_id, "actor": actor, "new_label": None}).first()
    if row is None:
        raise AnnotatorError(f"span {span_id} no longer exists")
    layer_id, start, end, label, quote, note, attributes, owner, role, _ = row
    refuse(owner, actor, role)
    now = utcnow()
    # A span deleted by another session since the SELECT is refused: counting it again would make the
    # layer's span_count wrong.
    if combines_writes(conn):
        gone = conn.execute(sql.DELETE_SPAN_WITH_LAYER, {"span_id": span_id, "now": now}).rowcount == 1
    else:
        gone = conn.execute(sql.DELETE_SPAN, {"span_id": span_id}).rowcount == 1
        if gone:
            conn.execute(sql.LAYER_LOST_SPAN, {"layer_pk": layer_id, "now": now})
    if not gone:
        raise AnnotatorError(f"span {span_id} no longer exists")
    _forget_span(session, span_id)
    refresh_if_loaded(session, Layer, layer_id)
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
    note: str | None | EllipsisType = ...,  # ... = leave the note alone (None clears it)
    attributes: dict[str, Any] | None = None,
) -> SpanView:
    """Change a span's label, boundaries, note or attributes; returns the new state.

    New boundaries are checked against the document's length and the new quote is cut by the database,
    in the same SELECT that finds the span, its owner and the new label.
    """
    conn = core_connection(session)
    recut = start is not None or end is not None
    params: dict[str, Any] = {"span_id": span_id, "actor": actor, "new_label": label}
    if recut:
        params.update(new_start=_offset_param(start), new_end=_offset_param(end))
    row = conn.execute(sql.SPAN_LOOKUP_RECUT if recut else sql.SPAN_LOOKUP, params).first()
    if row is None:
        raise AnnotatorError(f"span {span_id} no longer exists")
    layer_id, old_start, old_end, old_label, quote, old_note, old_attributes, owner, role, label_id = row[:10]
    refuse(owner, actor, role)
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
    if not isinstance(note, EllipsisType):
        new_note = note
        changed.append("note")
        values["v_note"] = new_note
    new_attributes = old_attributes or {}
    if attributes is not None:
        new_attributes = dict(attributes)
        changed.append("attributes")
        values["v_attributes"] = new_attributes
    # The layer's ``updated`` is what live views poll (store/changes.py), so an edit must touch it too.
    if combines_writes(conn):
        found = conn.execute(sql.span_update_with_layer(tuple(changed)), values).rowcount == 1
    else:
        found = conn.execute(sql.span_update(tuple(changed)), values).rowcount == 1
        if found:
            conn.execute(sql.LAYER_TOUCHED, {"layer_pk": layer_id, "now": now})
    if not found:
        raise AnnotatorError(f"span {span_id} no longer exists")
    refresh_if_loaded(session, Span, span_id)
    refresh_if_loaded(session, Layer, layer_id)
    return SpanView(span_id, new_start, new_end, label if label is not None else old_label, quote, new_note,
                    dict(new_attributes))


def list_spans(session: Session, document_id: int, annotator: str) -> list[SpanView]:
    """``annotator``'s spans on a document in text order — fast enough for 10,000 spans per open.

    Core rows on the session's connection (no ORM objects), attributes read as text and decoded only
    when not empty (psycopg hands PostgreSQL's JSON over already decoded; ``json_value`` takes both).
    """
    rows = session.connection().execute(
        select(Span.id, Span.start, Span.end, Label.key, Span.quote, Span.note, type_coerce(Span.attributes, String))
        .join(Label, Span.label_id == Label.id)
        .join(Layer, Span.layer_id == Layer.id)
        .join(Annotator, Layer.annotator_id == Annotator.id)
        .where(Layer.document_id == document_id, Annotator.name == annotator)
        .order_by(Span.start, Span.end, Span.id)
    ).all()
    return [SpanView(r[0], r[1], r[2], r[3], r[4], r[5], {} if r[6] == "{}" else json_value(r[6])) for r in rows]


def json_value(raw: object) -> dict[str, Any]:
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
