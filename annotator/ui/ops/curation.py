"""Curation actions as undoable operations: pre-accept, accept a version, edit, remove, reject, mark done,
and pick a document field's value into gold.

The same machinery as tagging (:mod:`annotator.ui.ops.command`): every command holds ids and values, each
apply/revert is one ``store.write()`` transaction with ``actor`` = the acting user, so the store's role
check (gold needs curator or admin) applies to every write and every undo, and each step publishes one
``Changes`` through the session — so the curation window, the main window and any other view showing that
document refresh from the same signal. Curation keeps its own undo stack (the curation window's Undo).

A rejection puts nothing into gold; it is stored as a curation decision (``store.decisions``), so a
reopened document shows the group as resolved. :attr:`CurationOps.rejected` caches each document's
rejected groups, read from the store when the document is opened (:meth:`CurationOps.load_rejected`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoStack

from annotator.core.curation import GroupKey
from annotator.core.model import CURATING_ROLES, GOLD_ANNOTATOR
from annotator.store import decisions
from annotator.store import repository as repo
from annotator.store.repository import RelationView, SpanView
from annotator.ui.ops.changes import Changes, SpanDelta, StatusDelta, merge
from annotator.ui.ops.command import DocumentCommand, push_once
from annotator.ui.ops.relation_commands import (
    RelationKey,
    drop_disallowed,
    find_relation,
    restore_relations,
    take_relations,
)
from annotator.ui.ops.session import AnnotationSession

GoldSpan = tuple[int, int, str]
GOLD_ADJUST_MERGE_ID = 0x601D
"""Undo-merge id of gold boundary steps (any id other commands on the curation stack do not use)."""


class CurationOps(QObject):
    """Runs curation commands for the session's acting user, with one undo stack shared by every document."""

    def __init__(self, session: AnnotationSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.store = session.store
        self.actor = session.annotator
        self.undo_stack = QUndoStack(self)
        self.rejected: dict[int, set[GroupKey]] = {}
        self.report: Callable[[str], None] | None = None
        """Where refusals go (the curation window's message line); default: the session's ``failure``."""

    # -------------------------------------------------------------- permission
    def permission_problem(self) -> str | None:
        """Why the acting user cannot curate (read-only database, missing role), or None when they can."""
        if self.session.read_only:
            return "The database is open read-only: curation is disabled."
        with self.store.session() as session:
            role = repo.role_of(session, self.actor)
        if role in CURATING_ROLES:
            return None
        return (f"{self.actor} has the role “{role or 'none'}”: writing the gold layer needs the curator role. "
                "You can look at the versions, but curation actions are disabled. An admin can grant the role "
                f"with: annotator db role {self.actor} curator")

    # -------------------------------------------------------------- public actions
    def add_gold(self, doc_pk: int, spans: Sequence[GoldSpan], text: str) -> bool:
        """Copy spans into the gold layer (pre-accept, accept one version, or add an edited span)."""
        if not spans:
            return True
        return self.push(AddGoldSpans(self, doc_pk, list(spans), text))

    def replace_gold(self, doc_pk: int, remove: Sequence[SpanView], add: Sequence[GoldSpan], text: str, *,
                     decision: tuple[GroupKey, bool] | None = None) -> bool:
        """Swap gold spans for others in one step (accepting another version of a resolved group).

        ``decision`` (group key, rejected) also sets the group's stored decision in the same transaction, so
        one undo restores the spans and the decision together.
        """
        command = ReplaceGoldSpans(self, doc_pk, list(remove), list(add), text)
        if decision is not None and decision[1] != self.is_rejected(doc_pk, decision[0]):
            command.decision = decision
        return self.push(command)

    def remove_gold(self, doc_pk: int, span: SpanView) -> bool:
        return self.push(ReplaceGoldSpans(self, doc_pk, [span], [], f"Remove gold {span.label}"))

    def update_gold(self, doc_pk: int, before: SpanView, start: int, end: int, label: str, *,
                    mergeable: bool = False) -> bool:
        """New boundaries or label for a gold span; ``mergeable`` key presses in a row are one undo step."""
        if (before.start, before.end, before.label) == (start, end, label):
            return True
        return self.push(UpdateGoldSpan(self, doc_pk, before, start, end, label, mergeable=mergeable))

    def add_gold_relation(self, doc_pk: int, key: RelationKey, text: str) -> bool:
        """Link two gold spans (an analyst's relation accepted into gold): one undo step."""
        return self.push(AddGoldRelation(self, doc_pk, key, text))

    def reject(self, doc_pk: int, key: GroupKey, text: str | None = None) -> bool:
        """Resolve a group with nothing added to gold (``text`` names the step in the undo history)."""
        if self.is_rejected(doc_pk, key):
            return True
        command = RejectGroup(self, doc_pk, key)
        if text:
            command.setText(text)
        return self.push(command)

    def set_gold_field(self, doc_pk: int, key: str, value: Any, text: str) -> bool:
        """Set (``None``: clear) one document field of gold, e.g. to an analyst's value; one undo step."""
        return self.push(SetGoldField(self, doc_pk, key, value, text))

    def set_gold_status(self, doc_pk: int, old: str, new: str) -> bool:
        if old == new:
            return True
        return self.push(SetGoldStatus(self, doc_pk, old, new))

    def is_rejected(self, doc_pk: int, key: GroupKey) -> bool:
        if doc_pk not in self.rejected:
            self.load_rejected(doc_pk)
        return key in self.rejected.get(doc_pk, set())

    def load_rejected(self, doc_pk: int) -> set[GroupKey]:
        """(Re)read the document's rejected groups from the store, e.g. when it is opened."""
        with self.store.session() as session:
            self.rejected[doc_pk] = decisions.rejected_groups(session, doc_pk)
        return self.rejected[doc_pk]

    # -------------------------------------------------------------- machinery
    def push(self, command: CurationCommand) -> bool:
        """Run the command once; only one that succeeded goes on the undo stack."""
        if self.session.read_only:
            (self.report or self.session.fail)("The database is open read-only: curation is disabled.")
            return False
        command.report = self.report
        return push_once(self.undo_stack, command)


class CurationCommand(DocumentCommand):
    """An undoable curation step on one document's gold layer."""

    def __init__(self, ops: CurationOps, doc_pk: int, text: str) -> None:
        super().__init__(ops.session, doc_pk, text, actor=ops.actor)
        self.ops = ops

    def refused(self) -> Changes:
        self.ops.load_rejected(self.doc_pk)  # the cache must match the database again
        return Changes(reload=frozenset({self.doc_pk}), decisions=frozenset({self.doc_pk}))

    def gold(self, added: Sequence[SpanView] = (), removed: Sequence[SpanView] = ()) -> Changes:
        deltas = [SpanDelta(self.doc_pk, GOLD_ANNOTATOR, v.id, None, before=v) for v in removed]
        deltas += [SpanDelta(self.doc_pk, GOLD_ANNOTATOR, v.id, v) for v in added]
        return Changes(spans=tuple(deltas))


class ReplaceGoldSpans(CurationCommand):
    """Remove some gold spans and add others in one transaction; undo brings back exactly the old ones."""

    def __init__(self, ops: CurationOps, doc_pk: int, remove: list[SpanView], add: list[GoldSpan],
                 text: str) -> None:
        super().__init__(ops, doc_pk, text)
        self.removed = remove
        self.spans = add
        self.added: list[SpanView] = []
        self.relations: list[RelationView] = []
        """Gold relations the removed spans took with them (the store's cascade): undo stores them again."""
        self.decision: tuple[GroupKey, bool] | None = None
        """(group key, rejected) to set with the spans; undo sets the opposite."""

    def _decide(self, db: Any, rejected: bool) -> None:
        if self.decision is None:
            return
        (start, end), actor = self.decision[0], self.actor
        if rejected:
            decisions.reject_group(db, self.doc_pk, start, end, actor=actor)
        else:
            decisions.unreject_group(db, self.doc_pk, start, end, actor=actor)

    def _cache(self, rejected: bool) -> Changes:
        if self.decision is None:
            return Changes()
        keys = self.ops.rejected.setdefault(self.doc_pk, set())
        (keys.add if rejected else keys.discard)(self.decision[0])
        return Changes(decisions=frozenset({self.doc_pk}))

    def apply(self) -> Changes:
        actor, old_ids = self.actor, [v.id for v in self.added]

        def swap(db: Any) -> list[SpanView]:
            self.relations = take_relations(db, [view.id for view in self.removed])
            for view in self.removed:
                repo.delete_span(db, view.id, actor=actor)
            self._decide(db, self.decision is not None and self.decision[1])
            return [repo.add_span(db, self.doc_pk, GOLD_ANNOTATOR, start, end, label, actor=actor,
                                  span_id=old_ids[i] if i < len(old_ids) else None)
                    for i, (start, end, label) in enumerate(self.spans)]

        self.added = self.write(swap)
        structure = Changes(structure=frozenset({(self.doc_pk, GOLD_ANNOTATOR)}) if self.relations else frozenset())
        return merge([self.gold(added=self.added, removed=self.removed), structure,
                      self._cache(self.decision is not None and self.decision[1])])

    def revert(self) -> Changes:
        actor = self.actor

        def swap_back(db: Any) -> list[SpanView]:
            for view in self.added:
                repo.delete_span(db, view.id, actor=actor)
            self._decide(db, self.decision is not None and not self.decision[1])
            back = [repo.add_span(db, self.doc_pk, GOLD_ANNOTATOR, v.start, v.end, v.label, actor=actor,
                                  span_id=v.id, note=v.note, attributes=v.attributes) for v in self.removed]
            restore_relations(db, self.relations, {old.id: new.id for old, new in zip(self.removed, back, strict=True)},
                              actor)
            return back

        restored = self.write(swap_back)
        structure = Changes(structure=frozenset({(self.doc_pk, GOLD_ANNOTATOR)}) if self.relations else frozenset())
        return merge([self.gold(added=restored, removed=self.added), structure,
                      self._cache(self.decision is not None and not self.decision[1])])


class AddGoldSpans(ReplaceGoldSpans):
    """Add spans to gold in one transaction; redo restores them under the same ids."""

    def __init__(self, ops: CurationOps, doc_pk: int, spans: list[GoldSpan], text: str) -> None:
        super().__init__(ops, doc_pk, [], spans, text)

    @property
    def ids(self) -> list[int]:
        return [view.id for view in self.added]


class UpdateGoldSpan(CurationCommand):
    """New boundaries and/or label for a gold span; the repository recomputes its quote from the text."""

    def __init__(self, ops: CurationOps, doc_pk: int, before: SpanView, start: int, end: int, label: str, *,
                 mergeable: bool = False) -> None:
        super().__init__(ops, doc_pk, f"Edit gold span {start}–{end}")
        self.span_id = before.id
        self.view = before
        self.before = (before.start, before.end, before.label)
        self.after = (start, end, label)
        self.mergeable = mergeable
        self.dropped: list[RelationView] = []
        """Gold relations the last relabel removed (the new label did not allow them), for the next step."""

    def id(self) -> int:
        return GOLD_ADJUST_MERGE_ID

    def mergeWith(self, other: object) -> bool:  # noqa: N802 (Qt API)
        """Boundary key presses in a row on one gold span are one undo step (from the first press's values)."""
        if not (isinstance(other, UpdateGoldSpan) and self.mergeable and other.mergeable
                and (other.span_id, other.doc_pk) == (self.span_id, self.doc_pk)):
            return False
        self.after, self.view = other.after, other.view
        if self.after == self.before:
            self.setObsolete(True)  # moved there and back: nothing is left to undo
        return True

    def _set(self, values: GoldSpan) -> Changes:
        start, end, label = values
        before, restoring = self.view, self.dropped
        relabel = label != before.label

        def update(db: Any) -> tuple[SpanView, list[RelationView]]:
            view = repo.update_span(db, self.span_id, actor=self.actor, start=start, end=end, label=label)
            dropped: list[RelationView] = []
            if relabel:  # gold keeps no relation its scheme refuses; undo brings those back with the label
                dropped = drop_disallowed(db, self.session.scheme, self.doc_pk, GOLD_ANNOTATOR, view.id, self.actor)
                restore_relations(db, restoring, {}, self.actor)
            return view, dropped

        self.view, dropped = self.write(update)
        if relabel:
            self.dropped = dropped
        changes = Changes(spans=(SpanDelta(self.doc_pk, GOLD_ANNOTATOR, self.span_id, self.view, before=before),))
        if relabel and (dropped or restoring):
            changes = merge([changes, Changes(structure=frozenset({(self.doc_pk, GOLD_ANNOTATOR)}))])
        return changes

    def apply(self) -> Changes:
        return self._set(self.after)

    def revert(self) -> Changes:
        return self._set(self.before)


class AddGoldRelation(CurationCommand):
    """An analyst's relation accepted into gold, between the two matching gold spans."""

    def __init__(self, ops: CurationOps, doc_pk: int, key: RelationKey, text: str) -> None:
        super().__init__(ops, doc_pk, text)
        self.key = key

    def _changes(self) -> Changes:
        return Changes(structure=frozenset({(self.doc_pk, GOLD_ANNOTATOR)}))

    def apply(self) -> Changes:
        source, target, label = self.key
        self.write(lambda db: repo.add_relation(db, source, target, label, actor=self.actor))
        return self._changes()

    def revert(self) -> Changes:
        self.write(lambda db: repo.delete_relation(db, find_relation(db, self.key).id, actor=self.actor))
        return self._changes()


class RejectGroup(CurationCommand):
    """Resolve a group with nothing in gold: a stored decision, role-checked like every curation step."""

    def __init__(self, ops: CurationOps, doc_pk: int, key: GroupKey) -> None:
        super().__init__(ops, doc_pk, f"Reject group {key[0]}–{key[1]}")
        self.key = key

    def apply(self) -> Changes:
        start, end = self.key
        self.write(lambda db: decisions.reject_group(db, self.doc_pk, start, end, actor=self.actor))
        self.ops.rejected.setdefault(self.doc_pk, set()).add(self.key)
        return Changes(decisions=frozenset({self.doc_pk}))

    def revert(self) -> Changes:
        start, end = self.key
        self.write(lambda db: decisions.unreject_group(db, self.doc_pk, start, end, actor=self.actor))
        self.ops.rejected.get(self.doc_pk, set()).discard(self.key)
        return Changes(decisions=frozenset({self.doc_pk}))


class SetGoldStatus(CurationCommand):
    def __init__(self, ops: CurationOps, doc_pk: int, old: str, new: str) -> None:
        super().__init__(ops, doc_pk, f"Mark gold {new.replace('_', ' ')}")
        self.old, self.new = old, new

    def _set(self, status: str) -> Changes:
        self.write(lambda db: repo.set_status(db, self.doc_pk, GOLD_ANNOTATOR, status, actor=self.actor))
        return Changes(statuses=(StatusDelta(self.doc_pk, GOLD_ANNOTATOR, status),))

    def apply(self) -> Changes:
        return self._set(self.new)

    def revert(self) -> Changes:
        return self._set(self.old)


class SetGoldField(CurationCommand):
    """One document field of gold set to a value (an analyst's, picked by the curator) or cleared."""

    def __init__(self, ops: CurationOps, doc_pk: int, key: str, value: Any, text: str) -> None:
        super().__init__(ops, doc_pk, text)
        self.key, self.value = key, value
        self.previous: Any = None

    def _set(self, value: Any) -> Any:
        return self.write(lambda db: repo.set_document_field(db, self.doc_pk, GOLD_ANNOTATOR, self.key, value,
                                                             actor=self.actor))

    def apply(self) -> Changes:
        self.previous = self._set(self.value)
        return Changes(structure=frozenset({(self.doc_pk, GOLD_ANNOTATOR)}))

    def revert(self) -> Changes:
        self._set(self.previous)
        return Changes(structure=frozenset({(self.doc_pk, GOLD_ANNOTATOR)}))
