"""Cheap "has anything changed?" checks for live views in team mode.

A live view polls every couple of seconds, so the check must cost one round trip and touch no span rows:
it reads a fingerprint made of counts and timestamps kept on the small tables (documents, annotators,
labels, layers). Every span write goes through the repository, which keeps ``layers.span_count`` and
``layers.updated`` current (add, delete and edit all touch the layer), so the fingerprint moves with
every span change without scanning ``spans``.

On PostgreSQL the layer part is the exact sum of the layers' ``updated`` epochs rather than their maximum:
annotators' clocks may disagree, and an edit stamped by a clock running behind would not move a maximum.
(Label edits that change only a colour or name are not detected; schemes change rarely and views reload
them when opened.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, func, select
from sqlalchemy.orm import Session

from annotator.core.model import ROLE_ANNOTATOR
from annotator.store.database import Store
from annotator.store.models import Annotator, Document, Label, Layer


@dataclass(frozen=True, slots=True)
class ChangeToken:
    """A fingerprint of the store's state; two equal tokens mean nothing a view shows has changed."""

    values: tuple[Any, ...]


def change_token(session: Session, ignore_annotator: str | None = None) -> ChangeToken:
    """The current fingerprint, in one query.

    ``ignore_annotator`` leaves that annotator's own layers out: a window already shows its user's own
    edits, so their tagging must not make it reload the document list every few seconds.
    """
    layer_clock: ColumnElement[Any]
    if session.get_bind().dialect.name == "postgresql":
        layer_clock = func.coalesce(func.sum(func.extract("epoch", Layer.updated)), 0)
    else:
        layer_clock = func.max(Layer.updated)

    def over_layers(expression: ColumnElement[Any]) -> ScalarSelect[Any]:
        query = select(expression)
        if ignore_annotator is not None:
            mine = select(Annotator.id).where(Annotator.name == ignore_annotator).scalar_subquery()
            query = query.where(Layer.annotator_id.is_distinct_from(mine))
        return query.scalar_subquery()

    parts = [
        select(func.count(Document.id)).scalar_subquery(),
        select(func.max(Document.id)).scalar_subquery(),
        over_layers(func.count(Layer.id)),
        over_layers(func.coalesce(func.sum(Layer.span_count), 0)),
        over_layers(layer_clock),
        select(func.count(Annotator.id)).scalar_subquery(),
        select(func.count(Annotator.id)).where(Annotator.role != ROLE_ANNOTATOR).scalar_subquery(),
        select(func.count(Label.id)).scalar_subquery(),
    ]
    row = session.execute(select(*parts)).one()
    return ChangeToken(tuple(str(v) if v is not None else None for v in row))


def current_token(store: Store, ignore_annotator: str | None = None) -> ChangeToken:
    """The fingerprint read in its own short transaction (safe to call from a worker thread)."""
    with store.session() as session:
        return change_token(session, ignore_annotator)


def changed_layers(session: Session, since: datetime) -> list[tuple[int, str, datetime]]:
    """Layers updated after ``since`` (document id, annotator, updated), oldest first.

    Lets a view that knows *that* something changed refresh only the documents it shows.
    """
    rows = session.execute(
        select(Layer.document_id, Annotator.name, Layer.updated)
        .join(Annotator, Layer.annotator_id == Annotator.id)
        .where(Layer.updated > since)
        .order_by(Layer.updated)
    )
    return [(d, n, u) for d, n, u in rows]
