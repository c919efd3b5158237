"""The one mechanism every undoable action runs through: a store transaction, an undo step, one ``Changes``.

A :class:`StoreCommand` holds ids and values, never widgets, so undo and redo keep working after the analyst
has moved to another document. ``apply`` and ``revert`` each run one ``store.write()`` transaction and return
the :class:`~annotator.ui.ops.changes.Changes` they made; :func:`push_once` runs a new command once and puts it
on an undo stack only when it succeeded. Whatever the outcome, the session publishes exactly one
``Changes``: what the step changed, or — when the database refused it — the document to re-read so the views
match the database again; the refusal itself reaches the analyst as one readable line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.core.errors import AnnotatorError
from annotator.store.errors import describe_failure
from annotator.ui.ops.changes import Changes
from annotator.ui.ops.session import AnnotationSession


class StoreCommand(QUndoCommand):
    """An undoable change whose ``apply``/``revert`` each run in their own transaction and report ``Changes``."""

    def __init__(self, session: AnnotationSession, doc_pk: int | None, text: str, *,
                 actor: str | None = None) -> None:
        super().__init__(text)
        self.session = session
        self.doc_pk = doc_pk
        self.actor = actor or session.annotator
        self.skip_next_redo = False
        self.report: Callable[[str], None] | None = None
        """Where a refusal's reason goes (default: the session's ``failure``, a box in the main window)."""

    def apply(self) -> Changes:
        raise NotImplementedError

    def revert(self) -> Changes:
        raise NotImplementedError

    def write(self, action: Callable[[Any], Any]) -> Any:
        """Run ``action(session)`` in one store transaction and return its result."""
        with self.session.store.write() as db:
            return action(db)

    def refused(self) -> Changes:
        """What views must refresh after a refused step (default: re-read the document)."""
        return Changes(reload=frozenset({self.doc_pk})) if self.doc_pk is not None else Changes()

    def run(self, step: Callable[[], Changes]) -> bool:
        try:
            changes = step()
        except AnnotatorError as exc:  # the store turns every driver error into a StoreError
            (self.report or self.session.fail)(describe_failure(exc))
            self.session.publish(self.refused())
            return False
        self.session.publish(changes)
        return True

    def redo(self) -> None:
        if self.skip_next_redo:
            self.skip_next_redo = False
            return
        if not self.run(self.apply):
            self.setObsolete(True)

    def undo(self) -> None:
        if not self.run(self.revert):
            self.setObsolete(True)


class DocumentCommand(StoreCommand):
    """A command on one document (a layer's spans or status, gold, a curation decision): ``doc_pk`` is set."""

    doc_pk: int

    def __init__(self, session: AnnotationSession, doc_pk: int, text: str, *, actor: str | None = None) -> None:
        super().__init__(session, doc_pk, text, actor=actor)


def push_once(undo_stack: QUndoStack, command: StoreCommand) -> bool:
    """Run ``command`` once; only a command that succeeded goes on the undo stack (without re-running)."""
    if not command.run(command.apply):
        return False
    command.skip_next_redo = True
    undo_stack.push(command)
    return True
