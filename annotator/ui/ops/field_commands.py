"""Setting or clearing one document field of a layer, as one undoable command.

A document field (relevance, source type) is a judgement about the whole article, stored per layer like
spans (``store.repository.set_document_field``). Setting one is its own command rather than a span edit:
it touches no span, so it publishes ``Changes(structure={(doc, owner)})`` and only the views that show
fields (the fields strip, the document list's row) refresh. Undo restores the value the field had before
(or clears it), whatever that was, so a run of presses on one field undoes one press at a time.
"""

from __future__ import annotations

from typing import Any

from annotator.store import repository as repo
from annotator.ui.ops.changes import Changes
from annotator.ui.ops.command import DocumentCommand
from annotator.ui.ops.session import AnnotationSession


class SetDocumentField(DocumentCommand):
    """One field of ``owner``'s layer on one document set to ``value`` (``None`` clears it)."""

    def __init__(self, session: AnnotationSession, doc_pk: int, key: str, value: Any, text: str, *,
                 owner: str | None = None, actor: str | None = None) -> None:
        super().__init__(session, doc_pk, text, actor=actor)
        self.owner = owner or self.actor
        self.key = key
        self.value = value
        self.previous: Any = None

    def _set(self, value: Any) -> Any:
        return self.write(lambda db: repo.set_document_field(db, self.doc_pk, self.owner, self.key, value,
                                                             actor=self.actor))

    def _changes(self) -> Changes:
        return Changes(structure=frozenset({(self.doc_pk, self.owner)}))

    def apply(self) -> Changes:
        self.previous = self._set(self.value)
        return self._changes()

    def revert(self) -> Changes:
        self._set(self.previous)
        return self._changes()
