"""The SQL of the tagging hot path: prepared once, executed with parameters by ``repository``.

Ten annotators tagging against one server spend most of an operation's time in the client, not the
server: building ORM objects, tracking them in the session and compiling statements costs milliseconds of
CPU per tag, and on a small machine the clients queue behind each other. So the four writes an annotator
makes all day (add, change and delete a span; set a layer's status) run as Core statements on the session's
connection, built once here with named parameters so SQLAlchemy's compiled cache serves every later call,
and shaped so that one SELECT answers every question an operation asks before it writes (does the document
exist and how long is it, what is the quote, which label id, which layer, who owns it, what role the acting
user has). Nothing is cached between transactions: labels, layers and roles are read in that same SELECT,
so a label added by the scheme editor or a role changed by an admin counts at once.

The statements use only portable SQL (LEFT JOIN, ``substr``, ``coalesce``, ``CASE``), so they behave the
same on SQLite and PostgreSQL; ``substr`` counts characters (code points) on both.
"""

from __future__ import annotations

import functools
from typing import Any, cast

from sqlalchemy import Integer, String, Table, and_, bindparam, case, exists, func, insert, select, update
from sqlalchemy.sql import Delete, Insert, Select, Update
from sqlalchemy.sql.elements import BindParameter, ColumnElement

from annotator.core.model import STATUS_IN_PROGRESS, STATUS_TODO
from annotator.store.models import Annotator, Document, Label, Layer, Span

documents = cast(Table, Document.__table__)
labels = cast(Table, Label.__table__)
people = cast(Table, Annotator.__table__)
layers = cast(Table, Layer.__table__)
spans = cast(Table, Span.__table__)

_owner = people.alias("owner")
_actor = people.alias("actor")
_new_label = labels.alias("new_label")

INT32_MAX = 2**31 - 1
"""PostgreSQL's ``substr`` takes 32-bit integers; larger offsets are invalid for any stored text anyway."""


def _int(name: str) -> BindParameter[int]:
    return bindparam(name, type_=Integer)


def _text(name: str) -> BindParameter[str]:
    return bindparam(name, type_=String)


def _add_lookup() -> Select:
    """Everything ``add_span`` must know, in one row (no row: the document does not exist).

    Columns: document length, the quote cut at (``cut_from``, ``cut_len``), the label's id, the owner's
    annotator id, the owner's layer id on this document, the acting user's role, and whether that layer
    already holds the span (``span_start``, ``span_end``, label): one probe of ``ix_spans_layer_start``.
    Missing things are NULL.
    """
    repeat = exists(select(spans.c.id).where(
        spans.c.layer_id == layers.c.id, spans.c.start == _int("span_start"), spans.c.end_ == _int("span_end"),
        spans.c.label_id == labels.c.id))
    return (
        select(documents.c.length,
               func.substr(documents.c.text, _int("cut_from"), _int("cut_len")),
               labels.c.id, _owner.c.id, layers.c.id, _actor.c.role, repeat)
        .select_from(
            documents
            .outerjoin(labels, labels.c.key == _text("label"))
            .outerjoin(_owner, _owner.c.name == _text("owner"))
            .outerjoin(layers, and_(layers.c.document_id == documents.c.id, layers.c.annotator_id == _owner.c.id))
            .outerjoin(_actor, _actor.c.name == _text("actor"))
        )
        .where(documents.c.id == _int("document_id"))
    )


def _span_lookup(recut: bool) -> Select:
    """Everything ``update_span``/``delete_span`` must know about one span, in one row (none: it is gone).

    Columns: layer id, start, end, label key, quote, note, attributes, layer owner's name, the acting
    user's role, the id of the label named ``new_label`` (NULL if none), and with ``recut`` also the
    document's length and its text cut at the new boundaries (``new_start``/``new_end``, NULL meaning
    "unchanged"), so changing a boundary never ships the article to the client.
    """
    columns: list[ColumnElement[Any]] = [spans.c.layer_id, spans.c.start, spans.c.end_, labels.c.key, spans.c.quote, spans.c.note,
               spans.c.attributes, _owner.c.name, _actor.c.role, _new_label.c.id]
    source = (
        spans
        .join(labels, labels.c.id == spans.c.label_id)
        .join(layers, layers.c.id == spans.c.layer_id)
        .join(_owner, _owner.c.id == layers.c.annotator_id)
        .outerjoin(_actor, _actor.c.name == _text("actor"))
        .outerjoin(_new_label, _new_label.c.key == _text("new_label"))
    )
    if recut:
        new_start = func.coalesce(_int("new_start"), spans.c.start)
        new_end = func.coalesce(_int("new_end"), spans.c.end_)
        # A reversed pair would make PostgreSQL's substr fail; it is refused in Python before use anyway.
        length = case((new_end > new_start, new_end - new_start), else_=0)
        columns += [documents.c.length, func.substr(documents.c.text, new_start + 1, length)]
        source = source.join(documents, documents.c.id == layers.c.document_id)
    return select(*columns).select_from(source).where(spans.c.id == _int("span_id"))


def _status_lookup() -> Select:
    """The acting user's role, the owner's layer id on the document and the owner's annotator id."""
    owner_layer = (
        select(layers.c.id).join(_owner, _owner.c.id == layers.c.annotator_id)
        .where(layers.c.document_id == _int("document_id"), _owner.c.name == _text("owner"))
    )
    return select(
        select(people.c.role).where(people.c.name == _text("actor")).scalar_subquery(),
        owner_layer.scalar_subquery(),
        select(people.c.id).where(people.c.name == _text("owner")).scalar_subquery(),
    )


ADD_LOOKUP = _add_lookup()
SPAN_LOOKUP = _span_lookup(recut=False)
SPAN_LOOKUP_RECUT = _span_lookup(recut=True)
STATUS_LOOKUP = _status_lookup()

INSERT_LAYER: Insert = insert(layers)
DELETE_SPAN: Delete = spans.delete().where(spans.c.id == _int("span_id"))

LAYER_GAINED_SPAN: Update = (
    update(layers).where(layers.c.id == _int("layer_pk"))
    .values(span_count=layers.c.span_count + 1,
            status=case((layers.c.status == STATUS_TODO, STATUS_IN_PROGRESS), else_=layers.c.status),
            updated=bindparam("now", type_=layers.c.updated.type))
)
"""A span was added: count it, start a 'todo' layer, and move the live views' fingerprint."""

LAYER_LOST_SPAN: Update = (
    update(layers).where(layers.c.id == _int("layer_pk"))
    .values(span_count=layers.c.span_count - 1, updated=bindparam("now", type_=layers.c.updated.type))
)

LAYER_TOUCHED: Update = (
    update(layers).where(layers.c.id == _int("layer_pk"))
    .values(updated=bindparam("now", type_=layers.c.updated.type))
)
"""A span of the layer changed: live views watch ``layers.updated`` (store/changes.py)."""

LAYER_STATUS: Update = (
    update(layers).where(layers.c.id == _int("layer_pk"))
    .values(status=_text("new_status"), updated=bindparam("now", type_=layers.c.updated.type))
)

_SPAN_VALUES = ("layer_id", "start", "end_", "label_id", "quote", "attributes", "note", "created", "updated")


def _insert_span(with_id: bool) -> Insert:
    """INSERT of a span from parameters ``v_<column>`` (``v_id`` too when undo restores an old id)."""
    names = ("id", *_SPAN_VALUES) if with_id else _SPAN_VALUES
    return insert(spans).values({name: bindparam(f"v_{name}", type_=spans.c[name].type) for name in names})


INSERT_SPAN = {with_id: _insert_span(with_id) for with_id in (False, True)}
"""Keyed by "with an explicit id"."""

# PostgreSQL runs a data-modifying statement inside WITH, so there each write is one statement: the
# span's change and the layer's bookkeeping travel together (one round trip and one execution less per
# tag). SQLite has no such WITH; there the two statements run one after the other, which costs little
# in-process. The combined forms take the same parameters as the pair they replace.
INSERT_SPAN_WITH_LAYER = {
    with_id: _insert_span(with_id).add_cte(LAYER_GAINED_SPAN.returning(layers.c.id).cte("layer_gained"))
    for with_id in (False, True)
}
INSERT_SPAN_WITH_LAYER[False] = INSERT_SPAN_WITH_LAYER[False].returning(spans.c.id)
"""The new id comes back as the result's only value (no implicit RETURNING for a statement with WITH)."""


def _then_layer(changed_span: Update | Delete, layer_update: Update) -> Update:
    """``layer_update`` applied to the layer of the span that ``changed_span`` hit (none if it hit none).

    ``layer_pk`` is not needed: the layer comes from the span statement's RETURNING, so the result's row
    count is 1 exactly when the span was still there.
    """
    hit = changed_span.returning(spans.c.layer_id).cte("span_hit")
    return layer_update.where(layers.c.id.in_(select(hit.c.layer_id)))


SPAN_FIELDS = ("label_id", "bounds", "note", "attributes")


@functools.lru_cache(maxsize=16)
def span_update(changed: tuple[str, ...]) -> Update:
    """UPDATE of one span setting only ``changed`` (names from SPAN_FIELDS) and ``updated``.

    One statement object per combination, so each is compiled once. Parameters are ``v_`` + the field
    (``bounds`` sets start, end and quote from ``v_start``, ``v_end``, ``v_quote``), ``now`` and ``span_id``.
    """
    values: dict[str, object] = {"updated": bindparam("now", type_=spans.c.updated.type)}
    for field in changed:
        if field == "bounds":
            values.update(start=_int("v_start"), end_=_int("v_end"), quote=bindparam("v_quote", type_=spans.c.quote.type))
        else:
            values[field] = bindparam(f"v_{field}", type_=spans.c[field].type)
    return update(spans).where(spans.c.id == _int("span_id")).values(values)


@functools.lru_cache(maxsize=16)
def span_update_with_layer(changed: tuple[str, ...]) -> Update:
    """PostgreSQL: ``span_update(changed)`` and the layer's ``updated`` in one statement."""
    return _then_layer(span_update(changed), _LAYER_TOUCHED_ANY)


_LAYER_TOUCHED_ANY = update(layers).values(updated=bindparam("now", type_=layers.c.updated.type))
_LAYER_LOST_ANY = update(layers).values(span_count=layers.c.span_count - 1,
                                        updated=bindparam("now", type_=layers.c.updated.type))
DELETE_SPAN_WITH_LAYER: Update = _then_layer(DELETE_SPAN, _LAYER_LOST_ANY)
