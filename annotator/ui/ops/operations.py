"""User actions that change data: one action = one undoable command = one ``store.write()`` transaction.

Commands hold document and span ids, never widgets, so undo and redo keep working after the analyst has
moved to another document. After each write :class:`Operations` emits a signal naming exactly what
changed (a span added, removed or changed; a status), so every view refreshes only that. A write the
database refuses is reported through :attr:`Operations.failed` with a readable reason, and
:attr:`Operations.reload_needed` asks the views to re-read the document so they match the database again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.core.errors import AnnotatorError
from annotator.store import repository as repo
from annotator.store.database import Store
from annotator.store.errors import describe_failure
from annotator.store.repository import SpanView


class Operations(QObject):
    """Runs data-changing commands against the store for one acting annotator."""

    span_added = Signal(int, object)  # document pk, SpanView
    span_removed = Signal(int, int)  # document pk, span id
    span_changed = Signal(int, object)  # document pk, SpanView
    status_changed = Signal(int, str)  # document pk, status
    failed = Signal(str)
    reload_needed = Signal(int)  # document pk

    def __init__(self, store: Store, annotator: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.annotator = annotator
        self.undo_stack = QUndoStack(self)
        self.read_only = store.read_only

    # -------------------------------------------------------------- public actions
    def add_span(self, doc_pk: int, start: int, end: int, label: str) -> SpanView | None:
        command = AddSpan(self, doc_pk, start, end, label)
        return command.view if self._push(command) else None

    def delete_span(self, doc_pk: int, span: SpanView) -> bool:
        return self._push(DeleteSpan(self, doc_pk, span))

    def update_span(self, doc_pk: int, before: SpanView, **changes: Any) -> bool:
        return self._push(UpdateSpan(self, doc_pk, before, changes))

    def set_status(self, doc_pk: int, old: str, new: str) -> bool:
        if old == new:
            return True
        return self._push(SetStatus(self, doc_pk, old, new))

    # -------------------------------------------------------------- machinery
    def _push(self, command: StoreCommand) -> bool:
        """Run the command once; only a command that succeeded goes on the undo stack."""
        if self.read_only:
            self.failed.emit("The database is open read-only: changes are disabled.")
            return False
        return push_once(self.undo_stack, command)

    def write(self, action: Callable[[Any], Any]) -> Any:
        with self.store.write() as session:
            return action(session)


def push_once(undo_stack: QUndoStack, command: StoreCommand) -> bool:
    """Run ``command`` once; only a command that succeeded goes on the undo stack (without re-running)."""
    if not command.run(command.apply):
        return False
    command.skip_next_redo = True
    undo_stack.push(command)
    return True


class StoreCommand(QUndoCommand):
    """An undoable change whose ``apply``/``revert`` each run in their own transaction."""

    def __init__(self, ops: Operations, doc_pk: int, text: str) -> None:
        super().__init__(text)
        self.ops = ops
        self.doc_pk = doc_pk
        self.skip_next_redo = False

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def run(self, step: Callable[[], None]) -> bool:
        try:
            step()
        except AnnotatorError as exc:  # StoreError included: the store translates driver errors
            self.ops.failed.emit(describe_failure(exc))
            self.after_failure()
            return False
        self.after_success()
        return True

    def after_failure(self) -> None:
        """The step was not saved: views must re-read the document from the database."""
        self.ops.reload_needed.emit(self.doc_pk)

    def after_success(self) -> None:
        """Hook for commands whose views refresh after every step (the specific signals cover the rest)."""

    def redo(self) -> None:
        if self.skip_next_redo:
            self.skip_next_redo = False
            return
        if not self.run(self.apply):
            self.setObsolete(True)

    def undo(self) -> None:
        if not self.run(self.revert):
            self.setObsolete(True)


class AddSpan(StoreCommand):
    def __init__(self, ops: Operations, doc_pk: int, start: int, end: int, label: str) -> None:
        super().__init__(ops, doc_pk, f"Tag {label}")
        self.start, self.end, self.label = start, end, label
        self.view: SpanView | None = None

    def apply(self) -> None:
        ops = self.ops
        old = self.view
        self.view = ops.write(lambda s: repo.add_span(
            s, self.doc_pk, ops.annotator, self.start, self.end, self.label, actor=ops.annotator,
            span_id=old.id if old else None, note=old.note if old else None,
            attributes=old.attributes if old else None))
        ops.span_added.emit(self.doc_pk, self.view)

    def revert(self) -> None:
        assert self.view is not None
        span_id = self.view.id
        self.ops.write(lambda s: repo.delete_span(s, span_id, actor=self.ops.annotator))
        self.ops.span_removed.emit(self.doc_pk, span_id)


class DeleteSpan(StoreCommand):
    def __init__(self, ops: Operations, doc_pk: int, span: SpanView) -> None:
        super().__init__(ops, doc_pk, f"Delete {span.label}")
        self.span = span

    def apply(self) -> None:
        self.span = self.ops.write(lambda s: repo.delete_span(s, self.span.id, actor=self.ops.annotator))
        self.ops.span_removed.emit(self.doc_pk, self.span.id)

    def revert(self) -> None:
        sp = self.span
        view = self.ops.write(lambda s: repo.add_span(
            s, self.doc_pk, self.ops.annotator, sp.start, sp.end, sp.label, actor=self.ops.annotator,
            span_id=sp.id, note=sp.note, attributes=sp.attributes))
        self.ops.span_added.emit(self.doc_pk, view)


class UpdateSpan(StoreCommand):
    """Label, note or attributes of one span (boundaries are fixed once tagged; re-tag to change them)."""

    FIELDS = ("label", "note", "attributes")

    def __init__(self, ops: Operations, doc_pk: int, before: SpanView, changes: dict[str, Any]) -> None:
        unknown = set(changes) - set(self.FIELDS)
        if unknown:
            raise ValueError(f"cannot change {unknown}")
        super().__init__(ops, doc_pk, "Change " + ", ".join(sorted(changes)))
        self.span_id = before.id
        self.after = changes
        self.before = {key: getattr(before, key) for key in changes}

    def _set(self, values: dict[str, Any]) -> None:
        view = self.ops.write(lambda s: repo.update_span(s, self.span_id, actor=self.ops.annotator, **values))
        self.ops.span_changed.emit(self.doc_pk, view)

    def apply(self) -> None:
        self._set(self.after)

    def revert(self) -> None:
        self._set(self.before)


class SetStatus(StoreCommand):
    def __init__(self, ops: Operations, doc_pk: int, old: str, new: str) -> None:
        super().__init__(ops, doc_pk, f"Mark {new.replace('_', ' ')}")
        self.old, self.new = old, new

    def _set(self, status: str) -> None:
        ops = self.ops
        ops.write(lambda s: repo.set_status(s, self.doc_pk, ops.annotator, status, actor=ops.annotator))
        ops.status_changed.emit(self.doc_pk, status)

    def apply(self) -> None:
        self._set(self.new)

    def revert(self) -> None:
        self._set(self.old)
