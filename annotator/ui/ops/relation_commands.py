"""Undoable commands on the relations of one layer: link two spans, unlink them, and keep relations with spans.

Why a module of its own: a relation is named by its two spans and its type, never by its row id, because
the row id does not survive an undo — deleting a span takes its relations with it (a foreign-key cascade in
the store) and undoing that delete stores them again under new ids. So :class:`AddRelation` and
:class:`DeleteRelation` look the row up by (source, target, type) each time they run, and the span commands
use :func:`take_relations` / :func:`restore_relations` to capture what a delete or relabel removes and put it
back in the same transaction as the span, so one undo restores both.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.scheme import Scheme
from annotator.store import repository as repo
from annotator.store.repository import RelationView
from annotator.ui.ops.changes import Changes
from annotator.ui.ops.command import DocumentCommand
from annotator.ui.ops.session import AnnotationSession

RelationKey = tuple[int, int, str]
"""(source span id, target span id, relation type key): how commands name a relation across undo steps."""


def relation_key(view: RelationView) -> RelationKey:
    return view.source_span_id, view.target_span_id, view.label


def find_relation(db: Any, key: RelationKey) -> RelationView:
    """The stored relation named by ``key`` (its id may have changed since it was made)."""
    source, target, label = key
    for view in repo.relations_touching(db, [source]):
        if relation_key(view) == key:
            return view
    raise AnnotatorError("that relation no longer exists (changed elsewhere)")


def take_relations(db: Any, span_ids: Iterable[int]) -> list[RelationView]:
    """The relations touching ``span_ids``, read before the spans go (the store's cascade removes them)."""
    return repo.relations_touching(db, list(span_ids))


def drop_disallowed(db: Any, scheme: Scheme, doc_pk: int, owner: str, span_id: int, actor: str) -> list[RelationView]:
    """Delete the relations of ``span_id`` that its (new) label no longer allows; returns them for undo.

    A relabel may not leave a relation the scheme refuses (``caused`` ends at an injury; the injury became
    a remittance): such relations go in the same transaction as the relabel.
    """
    touching = repo.relations_touching(db, [span_id])
    if not touching:
        return []
    labels = {view.id: view.label for view in repo.list_spans(db, doc_pk, owner)}
    dropped = []
    for view in touching:
        kind = scheme.relation_type(view.label)
        source, target = labels.get(view.source_span_id), labels.get(view.target_span_id)
        if kind is not None and source is not None and target is not None and kind.allows(source, target):
            continue
        repo.delete_relation(db, view.id, actor=actor)
        dropped.append(view)
    return dropped


def restore_relations(db: Any, views: Iterable[RelationView], span_ids: dict[int, int], actor: str) -> None:
    """Store ``views`` again, with span ids mapped through ``span_ids`` (old id → the restored span's id)."""
    for view in views:
        repo.add_relation(db, span_ids.get(view.source_span_id, view.source_span_id),
                          span_ids.get(view.target_span_id, view.target_span_id), view.label, actor=actor)


class AddRelation(DocumentCommand):
    """Link two spans of the acting annotator's layer with a relation type."""

    def __init__(self, session: AnnotationSession, doc_pk: int, key: RelationKey, text: str) -> None:
        super().__init__(session, doc_pk, text)
        self.key = key
        self.view: RelationView | None = None

    def _changes(self) -> Changes:
        return Changes(structure=frozenset({(self.doc_pk, self.actor)}))

    def apply(self) -> Changes:
        source, target, label = self.key
        self.view = self.write(lambda db: repo.add_relation(db, source, target, label, actor=self.actor))
        return self._changes()

    def revert(self) -> Changes:
        self.write(lambda db: repo.delete_relation(db, find_relation(db, self.key).id, actor=self.actor))
        return self._changes()


class DeleteRelation(AddRelation):
    """Remove one relation (the span panel's Delete); undo links the two spans again."""

    def apply(self) -> Changes:
        return AddRelation.revert(self)

    def revert(self) -> Changes:
        return AddRelation.apply(self)
