"""Saving the tag scheme as an undoable operation (Edit → Tag scheme…, then Save; Undo restores the old one).

The store (:func:`annotator.store.scheme_admin.replace_scheme`) decides who may change the scheme and refuses
to drop a label that spans use, on every save, undo and redo alike.
"""

from __future__ import annotations

from annotator.core.scheme import Scheme
from annotator.store import scheme_admin
from annotator.ui.ops.changes import Changes
from annotator.ui.ops.command import StoreCommand
from annotator.ui.ops.session import AnnotationSession


class SaveScheme(StoreCommand):
    def __init__(self, session: AnnotationSession, before: Scheme, after: Scheme) -> None:
        super().__init__(session, None, "Edit tag scheme")
        self.before, self.after = before, after

    def _set(self, scheme: Scheme) -> Changes:
        self.write(lambda db: scheme_admin.replace_scheme(db, scheme, actor=self.actor))
        return Changes(scheme=True)

    def apply(self) -> Changes:
        return self._set(self.after)

    def revert(self) -> Changes:
        return self._set(self.before)
