"""Choosing what agreement is computed on, from the store (docs/architecture.md §6 scope rules).

Scope: the documents where every compared annotator has a layer marked ``done`` (optionally also
``in_progress``). The gold layer is never an annotator being compared. Everything is read with a few
set-based queries so 20,000 documents × 3 annotators load in about a second; the layers' document fields,
relations and typed span attributes are read the same way, per chunk of documents, and only when the
scheme defines them.

:func:`run_agreement` is the whole job (scope, layers, ``compute_agreement``) that both the command line
and the agreement view run, so the two can never choose or compute differently.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, Text, func, or_, select, type_coerce
from sqlalchemy.orm import Session, aliased

from annotator.core.agreement import (
    AgreementCancelled,
    AgreementInput,
    AgreementReport,
    compute_agreement,
)
from annotator.core.errors import AnnotatorError
from annotator.core.model import GOLD_ANNOTATOR, STATUS_DONE, STATUS_IN_PROGRESS
from annotator.core.scheme import Scheme
from annotator.core.typed_values import COMPARABLE_KINDS
from annotator.store import repository as repo
from annotator.store.assignments import blind_for
from annotator.store.models import (
    Annotator,
    Document,
    FieldDefinition,
    Label,
    Layer,
    LayerField,
    Relation,
    RelationDefinition,
    Span,
)

if TYPE_CHECKING:
    from annotator.store.database import Store

CHUNK = 900


def _statuses(include_in_progress: bool) -> tuple[str, ...]:
    return (STATUS_DONE, STATUS_IN_PROGRESS) if include_in_progress else (STATUS_DONE,)


def candidate_annotators(session: Session, include_in_progress: bool = False) -> list[str]:
    """Annotators (not gold) with at least one layer in an eligible status."""
    rows = session.scalars(
        select(Annotator.name)
        .join(Layer, Layer.annotator_id == Annotator.id)
        .where(Layer.status.in_(_statuses(include_in_progress)), Annotator.name != GOLD_ANNOTATOR)
        .group_by(Annotator.name)
        .order_by(Annotator.name)
    )
    return list(rows)


def _scope_query(names: Sequence[str], statuses: Sequence[str]) -> Select:
    """Primary keys of documents where every one of ``names`` has a layer in one of ``statuses``."""
    return (
        select(Layer.document_id)
        .join(Annotator, Layer.annotator_id == Annotator.id)
        .where(Annotator.name.in_(list(names)), Layer.status.in_(list(statuses)))
        .group_by(Layer.document_id)
        .having(func.count(Layer.id) == len(names))
    )


def documents_in_scope(session: Session, annotators: Sequence[str], include_in_progress: bool = False) -> list[int]:
    """Primary keys (in ``doc_id`` order) of the documents every one of ``annotators`` finished.

    The agreement scope rule (docs/architecture.md §6) without loading any text: the curation view steps
    through these.
    """
    names = sorted(set(annotators))
    if not names:
        return []
    scoped = _scope_query(names, _statuses(include_in_progress)).subquery()
    return list(session.scalars(
        select(Document.id).join(scoped, scoped.c.document_id == Document.id).order_by(Document.doc_id)
    ))


def doc_ids_matching(session: Session, fragment: str) -> list[str]:
    """``doc_id`` of every document whose id or title contains ``fragment`` (case-insensitive)."""
    pattern = f"%{fragment.strip()}%"
    return list(session.scalars(
        select(Document.doc_id).where(or_(Document.doc_id.ilike(pattern), Document.title.ilike(pattern)))
    ))


def document_keys(session: Session, doc_ids: Sequence[str]) -> dict[str, tuple[int, str]]:
    """``doc_id`` → (primary key, title), for linking a report's documents back to the app."""
    found: dict[str, tuple[int, str]] = {}
    ids = list(doc_ids)
    for i in range(0, len(ids), CHUNK):
        rows = session.execute(
            select(Document.id, Document.doc_id, Document.title).where(Document.doc_id.in_(ids[i : i + CHUNK]))
        )
        for pk, doc_id, title in rows:
            found[doc_id] = (pk, title or "")
    return found


def build_input(
    session: Session,
    annotators: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    doc_ids: Sequence[str] | None = None,
    *,
    include_in_progress: bool = False,
    viewer: str | None = None,
) -> AgreementInput:
    """The AgreementInput for the chosen annotators, labels and (optionally) documents.

    A ``viewer`` annotating blind (store/assignments.py) gets only documents where their own layer is done.
    """
    statuses = _statuses(include_in_progress)
    names = sorted(set(annotators)) if annotators else candidate_annotators(session, include_in_progress)
    known = set(repo.annotators_of(session))
    missing = [n for n in names if n not in known]
    if missing:
        raise AnnotatorError(f"no annotator called {', '.join(map(repr, missing))} in this database")
    if not names:
        raise AnnotatorError("no annotator has a layer marked done yet (use --include-in-progress to compare unfinished work)")
    scheme = repo.get_scheme(session)
    scheme_keys = scheme.keys()
    if labels:
        unknown = [key for key in labels if key not in scheme_keys]
        if unknown:
            raise AnnotatorError(f"unknown label {', '.join(map(repr, unknown))}; the scheme has {', '.join(scheme_keys)}")
        chosen_labels = [key for key in scheme_keys if key in set(labels)]
    else:
        chosen_labels = list(scheme_keys)

    in_scope = _scope_query(names, statuses)
    if blind_for(session, viewer):
        own, me = aliased(Layer), aliased(Annotator)
        own_done = (select(own.document_id).join(me, own.annotator_id == me.id)
                    .where(me.name == viewer, own.status == STATUS_DONE))
        in_scope = in_scope.where(Layer.document_id.in_(own_done))
    if doc_ids:
        in_scope = in_scope.join(Document, Document.id == Layer.document_id).where(Document.doc_id.in_(list(doc_ids)))
    document_pks = list(session.scalars(in_scope))
    documents: list[tuple[str, str]] = []
    spans: dict[str, dict[str, list[tuple[int, int, str]]]] = {name: {} for name in names}
    label_filter = set(chosen_labels)
    extras = _StructureReader(scheme, names, chosen_labels)
    conn = session.connection()
    for i in range(0, len(document_pks), CHUNK):
        chunk = document_pks[i : i + CHUNK]
        pk_to_id: dict[int, str] = {}
        for pk, doc_id, text in conn.execute(select(Document.id, Document.doc_id, Document.text).where(Document.id.in_(chunk))):
            pk_to_id[pk] = doc_id
            documents.append((doc_id, text))
            for name in names:
                spans[name][doc_id] = []
        # Typed attributes ride on this one pass over the layers' spans: a second query filtered by label
        # let SQLite walk the label index over the whole table for every chunk (4× slower at 5,000 documents).
        # They come as text, decoded only for labels with definitions and when not empty.
        typed = extras.attribute_defs
        rows = conn.execute(
            select(Layer.document_id, Annotator.name, Span.start, Span.end, Label.key,
                   *([type_coerce(Span.attributes, Text)] if typed else []))
            .join(Layer, Span.layer_id == Layer.id)
            .join(Annotator, Layer.annotator_id == Annotator.id)
            .join(Label, Span.label_id == Label.id)
            .where(Layer.document_id.in_(chunk), Annotator.name.in_(names))
        )
        for pk, name, start, end, key, *attributes in rows:
            if key in label_filter:
                spans[name][pk_to_id[pk]].append((start, end, key))
                if typed and key in typed and attributes[0] and attributes[0] != "{}":
                    extras.add_attributes(name, pk_to_id[pk], start, end, key, attributes[0])
        extras.read_chunk(conn, chunk, pk_to_id)
    return AgreementInput(annotators=names, documents=documents, spans=spans, labels=chosen_labels,
                          fields=list(scheme.fields), doc_fields=extras.fields,
                          relation_types=list(scheme.relations), relations=extras.relations,
                          attribute_defs=extras.attribute_defs, span_attributes=extras.attributes)


class _StructureReader:
    """Collects the document fields, relations and typed span attributes of the compared layers, chunk by chunk.

    Each part is read only when the scheme defines it (a comparable field, a relation type, a compared
    label with typed attributes), so a labels-only scheme costs nothing more than before.
    """

    def __init__(self, scheme: Scheme, names: list[str], labels: list[str]) -> None:
        self.names = names
        self.labels = set(labels)
        self.field_keys = [f.key for f in scheme.fields if f.kind in COMPARABLE_KINDS]
        self.with_relations = bool(scheme.relations)
        self.attribute_defs = {label.key: list(label.attributes) for label in scheme.labels
                               if label.key in self.labels and label.attributes}
        self.fields: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in names}
        self.relations: dict[str, dict[str, list[Any]]] = {name: {} for name in names}
        self.attributes: dict[str, dict[str, list[Any]]] = {name: {} for name in names}

    def add_attributes(self, name: str, doc_id: str, start: int, end: int, label: str, raw: Any) -> None:
        """One span (of a label with typed attributes) that carries attributes; read with the spans.

        ``raw`` is the stored JSON text (SQLite) or already a dict (PostgreSQL's driver decodes ``json``).
        """
        if isinstance(raw, str):
            try:
                raw = json.loads(raw)
            except ValueError:
                raw = {}
        self.attributes[name].setdefault(doc_id, []).append((start, end, label, raw if isinstance(raw, dict) else {}))

    def read_chunk(self, conn: Any, chunk: list[int], pk_to_id: dict[int, str]) -> None:
        """Document fields and relations of the layers on these documents (attributes come with the spans)."""
        owner = (Layer.document_id.in_(chunk), Annotator.name.in_(self.names))
        if self.field_keys:
            rows = conn.execute(
                select(Layer.document_id, Annotator.name, FieldDefinition.key, LayerField.value)
                .join(Layer, LayerField.layer_id == Layer.id)
                .join(Annotator, Layer.annotator_id == Annotator.id)
                .join(FieldDefinition, LayerField.field_id == FieldDefinition.id)
                .where(*owner, FieldDefinition.key.in_(self.field_keys)))
            for pk, name, key, value in rows:
                self.fields[name].setdefault(pk_to_id[pk], {})[key] = value
        if self.with_relations:
            source, target = aliased(Span), aliased(Span)
            source_label, target_label = aliased(Label), aliased(Label)
            rows = conn.execute(
                select(Layer.document_id, Annotator.name, source.start, source.end, source_label.key,
                       target.start, target.end, target_label.key, RelationDefinition.key)
                .select_from(Relation)
                .join(Layer, Relation.layer_id == Layer.id)
                .join(Annotator, Layer.annotator_id == Annotator.id)
                .join(RelationDefinition, Relation.type_id == RelationDefinition.id)
                .join(source, Relation.source_span_id == source.id)
                .join(target, Relation.target_span_id == target.id)
                .join(source_label, source.label_id == source_label.id)
                .join(target_label, target.label_id == target_label.id)
                .where(*owner))
            for pk, name, s_start, s_end, s_label, t_start, t_end, t_label, key in rows:
                self.relations[name].setdefault(pk_to_id[pk], []).append(
                    ((s_start, s_end, s_label), (t_start, t_end, t_label), key))


class EmptyScope(AnnotatorError):
    """No document has a layer in an eligible status by every compared annotator: nothing to compare."""


@dataclass(frozen=True)
class AgreementJob:
    """What one agreement computation produced: its scope, the report, and how to find its documents."""

    scope: AgreementInput
    """The annotators, labels, documents and spans compared (after the scope rules)."""
    report: AgreementReport
    doc_pks: dict[str, int] = field(default_factory=dict)
    """``doc_id`` → primary key, to open a reported document in the app."""
    titles: dict[str, str] = field(default_factory=dict)
    include_in_progress: bool = False


def run_agreement(
    store: Store,
    annotators: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    *,
    doc_filter: str = "",
    include_in_progress: bool = False,
    exclude_whitespace: bool = False,
    progress: Callable[[float, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    viewer: str | None = None,
) -> AgreementJob:
    """The agreement job, for the command line and the agreement view alike: scope, layers, figures.

    ``annotators`` None (or empty) compares every candidate (:func:`candidate_annotators`); ``labels`` None
    every label of the scheme; ``doc_filter`` keeps the documents whose id or title contains it. The
    store is read in one session, closed before the (long) computation. ``progress(fraction, message)``
    and ``cancelled()`` are passed to ``compute_agreement``, which raises ``AgreementCancelled``.
    Raises :class:`EmptyScope` when no document is in scope, ``AnnotatorError`` for unknown names.
    """
    if progress is not None:
        progress(0.0, "Reading the layers in scope…")
    with store.session() as session:
        doc_ids: list[str] | None = None
        if doc_filter.strip():
            doc_ids = doc_ids_matching(session, doc_filter)
            if not doc_ids:
                raise AnnotatorError(f"no document id or title contains {doc_filter.strip()!r}")
        inp = build_input(session, annotators, labels, doc_ids, include_in_progress=include_in_progress,
                          viewer=viewer)
        if not inp.documents:
            which = "done or in progress" if include_in_progress else "marked done"
            raise EmptyScope(f"no document has a layer {which} by every one of {', '.join(inp.annotators)}; "
                             "nothing to compare")
        keys = document_keys(session, [d for d, _ in inp.documents])
    if cancelled is not None and cancelled():
        raise AgreementCancelled
    report = compute_agreement(
        inp, exclude_whitespace=exclude_whitespace, cancelled=cancelled,
        progress=None if progress is None else lambda f: progress(0.1 + 0.9 * f, "Computing agreement…"),
    )
    return AgreementJob(inp, report, {doc_id: pk for doc_id, (pk, _t) in keys.items()},
                        {doc_id: title for doc_id, (_pk, title) in keys.items()}, include_in_progress)


def agreement_report(
    db: str | None,
    annotators: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    *,
    include_in_progress: bool = False,
    exclude_whitespace: bool = False,
) -> AgreementReport:
    """Open the store ``db`` and run :func:`run_agreement` on it (the command line's entry)."""
    from annotator.store.database import open_store

    store = open_store(db, must_exist=True)
    try:
        job = run_agreement(store, annotators, labels, include_in_progress=include_in_progress,
                            exclude_whitespace=exclude_whitespace)
    except EmptyScope as exc:
        if include_in_progress:
            raise
        raise EmptyScope(f"{exc} (use --include-in-progress to include unfinished layers)") from None
    finally:
        store.close()
    return job.report
