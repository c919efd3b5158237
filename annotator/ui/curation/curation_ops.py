"""Curation actions as undoable commands: pre-accept, accept a version, edit, remove, reject, mark done.

Like the tagging operations (``operations.py``), every command holds ids and values, never widgets, and
each apply/revert is one ``store.write()`` transaction through the repository with ``actor`` = the acting
user, so the store's role check (gold needs curator or admin) applies to every write and every undo.
After a change :class:`CurationOps` emits ``changed(doc_pk)`` and the curation view re-reads that
document. A refused write is reported through ``failed`` as one readable line.

A rejection puts nothing into gold; it is stored as a curation decision (``store.decisions``), so a
reopened document shows the group as resolved. :attr:`CurationOps.rejected` caches each document's
rejected groups, read from the store when the document is opened (:meth:`CurationOps.load_rejected`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from annotator.core.model import GOLD_ANNOTATOR
from annotator.store import decisions
from annotator.store import repository as repo
from annotator.store.database import Store, StoreSession
from annotator.store.repository import SpanView
from annotator.ui.ops.operations import StoreCommand, push_once

GoldSpan = tuple[int, int, str]
GroupKey = tuple[int, int]
CURATING_ROLES = ("curator", "admin")


class CurationOps(QObject):
    """Runs curation commands for one acting user, with one undo stack shared by every document."""

    changed = Signal(int)
    """The gold layer or the resolved groups of this document changed."""
    failed = Signal(str)

    def __init__(self, store: Store, actor: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.actor = actor
        self.undo_stack = QUndoStack(self)
        self.rejected: dict[int, set[GroupKey]] = {}

    # -------------------------------------------------------------- permission
    def permission_problem(self) -> str | None:
        """Why the acting user cannot curate (read-only database, missing role), or None when they can."""
        if self.store.read_only:
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

    def remove_gold(self, doc_pk: int, span: SpanView) -> bool:
        return self.push(RemoveGoldSpan(self, doc_pk, span))

    def update_gold(self, doc_pk: int, before: SpanView, start: int, end: int, label: str) -> bool:
        if (before.start, before.end, before.label) == (start, end, label):
            return True
        return self.push(UpdateGoldSpan(self, doc_pk, before, start, end, label))

    def reject(self, doc_pk: int, key: GroupKey, text: str | None = None) -> bool:
        """Resolve a group with nothing added to gold (``text`` names the step in the undo history)."""
        if self.is_rejected(doc_pk, key):
            return True
        command = RejectGroup(self, doc_pk, key)
        if text:
            command.setText(text)
        return self.push(command)

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
        if self.store.read_only:
            self.failed.emit("The database is open read-only: curation is disabled.")
            return False
        return push_once(self.undo_stack, command)

    def write(self, action: Callable[[StoreSession], Any]) -> Any:
        with self.store.write() as session:
            return action(session)


class CurationCommand(StoreCommand):
    """An undoable curation step; the curation view refreshes after every step, failed or not."""

    ops: CurationOps  # type: ignore[assignment]

    def after_failure(self) -> None:
        self.ops.changed.emit(self.doc_pk)

    def after_success(self) -> None:
        self.ops.changed.emit(self.doc_pk)


class AddGoldSpans(CurationCommand):
    """Add spans to gold in one transaction; redo restores them under the same ids."""

    def __init__(self, ops: CurationOps, doc_pk: int, spans: list[GoldSpan], text: str) -> None:
        super().__init__(ops, doc_pk, text)
        self.spans = spans
        self.ids: list[int] = []

    def apply(self) -> None:
        actor, old_ids = self.ops.actor, list(self.ids)

        def add(session: StoreSession) -> list[int]:
            made = []
            for i, (start, end, label) in enumerate(self.spans):
                view = repo.add_span(session, self.doc_pk, GOLD_ANNOTATOR, start, end, label, actor=actor,
                                     span_id=old_ids[i] if i < len(old_ids) else None)
                made.append(view.id)
            return made

        self.ids = self.ops.write(add)

    def revert(self) -> None:
        actor = self.ops.actor

        def remove(session: StoreSession) -> None:
            for span_id in self.ids:
                repo.delete_span(session, span_id, actor=actor)

        self.ops.write(remove)


class RemoveGoldSpan(CurationCommand):
    def __init__(self, ops: CurationOps, doc_pk: int, span: SpanView) -> None:
        super().__init__(ops, doc_pk, f"Remove gold {span.label}")
        self.span = span

    def apply(self) -> None:
        self.span = self.ops.write(lambda s: repo.delete_span(s, self.span.id, actor=self.ops.actor))

    def revert(self) -> None:
        sp = self.span
        self.ops.write(lambda s: repo.add_span(s, self.doc_pk, GOLD_ANNOTATOR, sp.start, sp.end, sp.label,
                                               actor=self.ops.actor, span_id=sp.id, note=sp.note,
                                               attributes=sp.attributes))


class UpdateGoldSpan(CurationCommand):
    """New boundaries and/or label for a gold span; the repository recomputes its quote from the text."""

    def __init__(self, ops: CurationOps, doc_pk: int, before: SpanView, start: int, end: int, label: str) -> None:
        super().__init__(ops, doc_pk, f"Edit gold span {start}–{end}")
        self.span_id = before.id
        self.before = (before.start, before.end, before.label)
        self.after = (start, end, label)

    def _set(self, values: GoldSpan) -> None:
        start, end, label = values
        self.ops.write(lambda s: repo.update_span(s, self.span_id, actor=self.ops.actor, start=start, end=end,
                                                  label=label))

    def apply(self) -> None:
        self._set(self.after)

    def revert(self) -> None:
        self._set(self.before)


class RejectGroup(CurationCommand):
    """Resolve a group with nothing in gold: a stored decision, role-checked like every curation step."""

    def __init__(self, ops: CurationOps, doc_pk: int, key: GroupKey) -> None:
        super().__init__(ops, doc_pk, f"Reject group {key[0]}–{key[1]}")
        self.key = key

    def apply(self) -> None:
        start, end = self.key
        self.ops.write(lambda s: decisions.reject_group(s, self.doc_pk, start, end, actor=self.ops.actor))
        self.ops.rejected.setdefault(self.doc_pk, set()).add(self.key)

    def revert(self) -> None:
        start, end = self.key
        self.ops.write(lambda s: decisions.unreject_group(s, self.doc_pk, start, end, actor=self.ops.actor))
        self.ops.rejected.get(self.doc_pk, set()).discard(self.key)


class SetGoldStatus(CurationCommand):
    def __init__(self, ops: CurationOps, doc_pk: int, old: str, new: str) -> None:
        super().__init__(ops, doc_pk, f"Mark gold {new.replace('_', ' ')}")
        self.old, self.new = old, new

    def _set(self, status: str) -> None:
        self.ops.write(lambda s: repo.set_status(s, self.doc_pk, GOLD_ANNOTATOR, status, actor=self.ops.actor))

    def apply(self) -> None:
        self._set(self.new)

    def revert(self) -> None:
        self._set(self.old)
