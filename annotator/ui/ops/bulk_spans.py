"""Relabel or delete many spans at once — across documents — as one undoable operation.

The evidence view selects rows from the whole corpus; changing them one command per span would fill the
undo stack with hundreds of steps and publish hundreds of ``Changes``. :class:`BulkSpans` changes them all
in one store transaction (the store checks each span's owner again) and publishes one ``Changes`` with a
``SpanDelta`` per span, so every view — the open article, the document list, the evidence view — refreshes
once. Only the acting annotator's own spans may change: :func:`relabel_spans` and :func:`delete_spans`
refuse a selection holding anyone else's span, with the same sentence the article uses for someone
else's layer, and change nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.wording import plural
from annotator.store import repository as repo
from annotator.store.repository import RelationView, SpanView
from annotator.ui.ops.changes import Changes, SpanDelta
from annotator.ui.ops.command import StoreCommand
from annotator.ui.ops.operations import Operations
from annotator.ui.ops.relation_commands import drop_disallowed, restore_relations, take_relations
from annotator.ui.ops.session import AnnotationSession


@dataclass(frozen=True, slots=True)
class SpanRef:
    """A span chosen outside the open document: where it is and whose layer holds it."""

    span_id: int
    doc_pk: int
    owner: str


class BulkSpans(StoreCommand):
    """Relabel (``label`` given) or delete (``label=None``) spans of the acting annotator, in one step."""

    def __init__(self, session: AnnotationSession, refs: Sequence[SpanRef], label: str | None, text: str) -> None:
        super().__init__(session, None, text)
        self.refs = list(refs)
        self.label = label
        self.before: dict[int, SpanView] = {}
        self.after: dict[int, SpanView] = {}
        self.relations: list[RelationView] = []
        """Relations the deleted spans took with them (the store's cascade): undo stores them again."""

    def refused(self) -> Changes:
        return Changes(reload=frozenset(ref.doc_pk for ref in self.refs))

    def _read_before(self) -> dict[int, SpanView]:
        """The spans as they are now: what undo restores (the store re-checks everything on write)."""
        wanted = {ref.span_id for ref in self.refs}
        found: dict[int, SpanView] = {}
        with self.session.store.session() as db:
            for doc_pk in sorted({ref.doc_pk for ref in self.refs}):
                found.update((v.id, v) for v in repo.list_spans(db, doc_pk, self.actor) if v.id in wanted)
        missing = wanted - set(found)
        if missing:
            raise AnnotatorError(f"{plural(len(missing), 'span')} no longer exist{'s' if len(missing) == 1 else ''}"
                                 " (changed elsewhere); nothing was changed")
        return found

    def apply(self) -> Changes:
        if not self.before:
            self.before = self._read_before()
        actor, label = self.actor, self.label

        def change(db: Any) -> dict[int, SpanView]:
            after = {}
            if label is None:
                self.relations = take_relations(db, [ref.span_id for ref in self.refs])
            for ref in self.refs:
                if label is None:
                    repo.delete_span(db, ref.span_id, actor=actor)
                else:
                    after[ref.span_id] = repo.update_span(db, ref.span_id, actor=actor, label=label)
            if label is not None:  # relations the new label does not allow go too (undo brings them back)
                self.relations = [view for ref in self.refs for view in drop_disallowed(
                    db, self.session.scheme, ref.doc_pk, ref.owner, ref.span_id, actor)]
            return after

        self.after = self.write(change)
        return Changes(spans=tuple(SpanDelta(ref.doc_pk, ref.owner, ref.span_id, self.after.get(ref.span_id),
                                             before=self.before[ref.span_id]) for ref in self.refs),
                       structure=self._structure())

    def _structure(self) -> frozenset[tuple[int, str]]:
        """The layers whose relations a delete (or its undo) changed."""
        touched = {view.source_span_id for view in self.relations}
        return frozenset((ref.doc_pk, ref.owner) for ref in self.refs if ref.span_id in touched
                         or any(view.target_span_id == ref.span_id for view in self.relations))

    def revert(self) -> Changes:
        actor, before = self.actor, self.before

        def restore(db: Any) -> dict[int, SpanView]:
            out = {}
            for ref in self.refs:
                old = before[ref.span_id]
                if self.label is None:
                    out[ref.span_id] = repo.add_span(db, ref.doc_pk, actor, old.start, old.end, old.label, actor=actor,
                                                     span_id=old.id, note=old.note, attributes=old.attributes)
                else:
                    out[ref.span_id] = repo.update_span(db, ref.span_id, actor=actor, label=old.label)
            restore_relations(db, self.relations, {old: view.id for old, view in out.items()}, actor)
            return out

        restored = self.write(restore)
        return Changes(spans=tuple(SpanDelta(ref.doc_pk, ref.owner, ref.span_id, restored[ref.span_id],
                                             before=self.after.get(ref.span_id)) for ref in self.refs),
                       structure=self._structure())


def _blocked(ops: Operations, refs: Sequence[SpanRef], outcome: str, to_do: str) -> bool:
    s = ops.session
    if not refs:
        return True
    if s.read_only:
        s.say(s.edit_blocked(outcome, to_do) or "")
        return True
    others = sorted({ref.owner for ref in refs if ref.owner != s.annotator})
    if others:
        s.say(f"This is {others[0]}'s layer, which only they can change: {outcome}. "
              f"Select only your own spans ({s.annotator}) to {to_do}.")
        return True
    return False


def relabel_spans(ops: Operations, refs: Sequence[SpanRef], label: str) -> bool:
    """Give every span in ``refs`` the label ``label``: one transaction, one undo step."""
    outcome = "no span was relabelled" if len(refs) != 1 else "the span was not relabelled"
    if _blocked(ops, refs, outcome, "relabel them"):
        return False
    text = f"Relabel {plural(len(refs), 'span')} → {ops.session.label_name(label)}"
    return ops._push(BulkSpans(ops.session, refs, label, text))


def delete_spans(ops: Operations, refs: Sequence[SpanRef]) -> bool:
    """Delete every span in ``refs``: one transaction, one undo step."""
    outcome = "no span was deleted" if len(refs) != 1 else "the span was not deleted"
    if _blocked(ops, refs, outcome, "delete them"):
        return False
    return ops._push(BulkSpans(ops.session, refs, None, f"Delete {plural(len(refs), 'span')}"))
