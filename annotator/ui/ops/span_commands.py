"""The undoable commands on one analyst's layer: tag, delete, edit, adjust boundaries, accept, set status.

Each returns the :class:`~annotator.ui.ops.changes.Changes` it made; :class:`~annotator.ui.ops.command.StoreCommand`
publishes them. The layer is always the acting annotator's own (:class:`Operations` checks that once, before
a command is made); the store checks it again on every write, undo and redo included.
"""

from __future__ import annotations

from typing import Any

from annotator.store import repository as repo
from annotator.store.repository import RelationView, SpanView
from annotator.ui.ops.changes import Changes, SpanDelta, StatusDelta, merge
from annotator.ui.ops.command import DocumentCommand
from annotator.ui.ops.relation_commands import drop_disallowed, restore_relations, take_relations
from annotator.ui.ops.session import AnnotationSession

ADJUST_MERGE_ID = 0x5BAD


def _added(cmd: DocumentCommand, views: list[SpanView]) -> Changes:
    return Changes(spans=tuple(SpanDelta(cmd.doc_pk, cmd.actor, v.id, v) for v in views))


def _removed(cmd: DocumentCommand, views: list[SpanView]) -> Changes:
    return Changes(spans=tuple(SpanDelta(cmd.doc_pk, cmd.actor, v.id, None, before=v) for v in views))


class AddSpans(DocumentCommand):
    """Tag one or more spans in one transaction (a label key, accepting suggestions); redo keeps their ids."""

    def __init__(self, session: AnnotationSession, doc_pk: int, items: list[tuple[int, int, str]], text: str) -> None:
        super().__init__(session, doc_pk, text)
        self.items = items
        self.views: list[SpanView] = []

    def apply(self) -> Changes:
        old, actor = self.views, self.actor

        def add_all(db: Any) -> list[SpanView]:
            return [repo.add_span(db, self.doc_pk, actor, start, end, label, actor=actor,
                                  span_id=old[i].id if old else None, note=old[i].note if old else None,
                                  attributes=old[i].attributes if old else None)
                    for i, (start, end, label) in enumerate(self.items)]

        self.views = self.write(add_all)
        return _added(self, self.views)

    def revert(self) -> Changes:
        ids = [view.id for view in self.views]
        self.write(lambda db: [repo.delete_span(db, span_id, actor=self.actor) for span_id in ids])
        return _removed(self, self.views)


class DeleteSpan(DocumentCommand):
    """Delete one span; its relations go with it (the store's cascade) and one undo restores both."""

    def __init__(self, session: AnnotationSession, doc_pk: int, span: SpanView) -> None:
        super().__init__(session, doc_pk, f"Delete {session.label_name(span.label)}")
        self.span = span
        self.relations: list[RelationView] = []

    def _structure(self) -> Changes:
        return Changes(structure=frozenset({(self.doc_pk, self.actor)}) if self.relations else frozenset())

    def apply(self) -> Changes:
        def delete(db: Any) -> SpanView:
            self.relations = take_relations(db, [self.span.id])
            return repo.delete_span(db, self.span.id, actor=self.actor)

        self.span = self.write(delete)
        return merge([_removed(self, [self.span]), self._structure()])

    def revert(self) -> Changes:
        sp = self.span

        def restore(db: Any) -> SpanView:
            view = repo.add_span(db, self.doc_pk, self.actor, sp.start, sp.end, sp.label, actor=self.actor,
                                 span_id=sp.id, note=sp.note, attributes=sp.attributes)
            restore_relations(db, self.relations, {sp.id: view.id}, self.actor)
            return view

        view = self.write(restore)
        self.span = view
        return merge([_added(self, [view]), self._structure()])


class UpdateSpan(DocumentCommand):
    """Label, note or attributes of one span, or its boundaries (the store cuts the new quote)."""

    FIELDS = ("label", "note", "attributes", "start", "end")

    def __init__(self, session: AnnotationSession, doc_pk: int, before: SpanView, changes: dict[str, Any],
                 text: str) -> None:
        unknown = set(changes) - set(self.FIELDS)
        if unknown:
            raise ValueError(f"cannot change {unknown}")
        super().__init__(session, doc_pk, text)
        self.span_id = before.id
        self.after = changes
        self.before = {key: getattr(before, key) for key in changes}
        self.view_before = before
        self.dropped: list[RelationView] = []
        """Relations the last relabel removed (the new label did not allow them): the next step restores them."""

    def _set(self, values: dict[str, Any]) -> Changes:
        before = self.session.spans.get(self.span_id, self.view_before)
        restoring = self.dropped

        def update(db: Any) -> tuple[SpanView, list[RelationView]]:
            view = repo.update_span(db, self.span_id, actor=self.actor, **values)
            dropped: list[RelationView] = []
            if "label" in values:  # a relabel takes the relations the new label does not allow (undo: back)
                dropped = drop_disallowed(db, self.session.scheme, self.doc_pk, self.actor, view.id, self.actor)
                restore_relations(db, restoring, {}, self.actor)
            return view, dropped

        view, self.dropped = self.write(update)
        changes = Changes(spans=(SpanDelta(self.doc_pk, self.actor, view.id, view, before=before),))
        if self.dropped or restoring:
            changes = merge([changes, Changes(structure=frozenset({(self.doc_pk, self.actor)}))])
        return changes

    def apply(self) -> Changes:
        return self._set(self.after)

    def revert(self) -> Changes:
        return self._set(self.before)


class AdjustBounds(UpdateSpan):
    """New offsets for one span; presses in a row on one span merge into one undo step."""

    def __init__(self, session: AnnotationSession, doc_pk: int, before: SpanView, start: int, end: int, *,
                 mergeable: bool) -> None:
        super().__init__(session, doc_pk, before, {"start": start, "end": end},
                         f"Adjust {session.label_name(before.label)} span")
        self.mergeable = mergeable

    def id(self) -> int:
        return ADJUST_MERGE_ID

    def mergeWith(self, other: object) -> bool:  # noqa: N802 (Qt API)
        """Key presses in a row on the same span are one undo step (from the first press's offsets)."""
        if not (isinstance(other, AdjustBounds) and self.mergeable and other.mergeable
                and other.span_id == self.span_id and other.doc_pk == self.doc_pk):
            return False
        self.after = other.after
        if self.after == self.before:
            self.setObsolete(True)  # moved there and back: nothing is left to undo
        return True


class SetStatus(DocumentCommand):
    def __init__(self, session: AnnotationSession, doc_pk: int, old: str, new: str) -> None:
        super().__init__(session, doc_pk, f"Mark {new.replace('_', ' ')}")
        self.old, self.new = old, new

    def _set(self, status: str) -> Changes:
        self.write(lambda db: repo.set_status(db, self.doc_pk, self.actor, status, actor=self.actor))
        return Changes(statuses=(StatusDelta(self.doc_pk, self.actor, status),))

    def apply(self) -> Changes:
        return self._set(self.new)

    def revert(self) -> Changes:
        return self._set(self.old)
