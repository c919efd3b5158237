"""Layers: one annotator's work on one document, with its status and span count.

Why a module of its own: a layer is created on the first write to it (with the permission check), and its
status and ``span_count``/``updated`` bookkeeping is what the document list and live views read without
touching spans; ``insert_layer`` is shared with the first span added to a document.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.core.errors import AnnotatorError
from annotator.core.model import LAYER_STATUSES, STATUS_TODO
from annotator.store import span_sql as sql
from annotator.store.models import Annotator, Layer, utcnow
from annotator.store.repository.annotators import check_can_write, get_or_create_annotator, refuse
from annotator.store.repository.plumbing import core_connection, inserted_id, refresh_if_loaded


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
    conn = core_connection(session)
    role, layer_id, owner_id = conn.execute(
        sql.STATUS_LOOKUP, {"actor": actor, "document_id": document_id, "owner": annotator}).one()
    refuse(annotator, actor, role)
    now = utcnow()
    if layer_id is None:
        return insert_layer(session, document_id, annotator, owner_id, status=status, span_count=0, now=now)
    conn.execute(sql.LAYER_STATUS, {"layer_pk": layer_id, "new_status": status, "now": now})
    refresh_if_loaded(session, Layer, layer_id)
    return layer_id


def insert_layer(session: Session, document_id: int, owner: str, owner_id: int | None, *, status: str,
                  span_count: int, now: datetime) -> int:
    """A new layer for ``owner`` (creating the annotator, ORM path: rare and with the first-admin rule)."""
    if owner_id is None:
        owner_id = get_or_create_annotator(session, owner).id
    result = session.connection().execute(sql.INSERT_LAYER, {
        "document_id": document_id, "annotator_id": owner_id, "status": status, "span_count": span_count,
        "updated": now})
    return inserted_id(result)
