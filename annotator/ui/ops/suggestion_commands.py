"""The undoable commands of the learned-suggestion loop: reject a suggestion, replace the pattern rules.

A rejection is data, not a view state: it is stored per document and annotator
(:mod:`annotator.store.models_store`) so the suggestion is not offered to that analyst again, in this
session or the next, and the next training uses it as negative evidence. Undo forgets it again. Saving
pattern rules replaces them all in one transaction; undo puts the previous ones back.
"""

from __future__ import annotations

from typing import Any

from annotator.core.model_suggest.patterns import PatternRule
from annotator.store import models_store
from annotator.ui.ops.changes import Changes
from annotator.ui.ops.command import StoreCommand
from annotator.ui.ops.session import AnnotationSession


class RejectSuggestions(StoreCommand):
    """Remember that the acting annotator rejected these (start, end, label) in one document."""

    def __init__(self, session: AnnotationSession, doc_pk: int, items: list[tuple[int, int, str]], text: str) -> None:
        super().__init__(session, doc_pk, text)
        self.items = items
        self.added: list[tuple[int, int, str]] = []

    def apply(self) -> Changes:
        doc_pk, actor = self.doc_pk, self.actor
        assert doc_pk is not None

        def add(db: Any) -> list[tuple[int, int, str]]:
            return [item for item in self.items if models_store.add_rejection(db, doc_pk, actor, *item)]

        self.added = self.write(add)
        return Changes(suggestions=True)

    def revert(self) -> Changes:
        doc_pk, actor = self.doc_pk, self.actor
        assert doc_pk is not None

        def remove(db: Any) -> None:
            for item in self.added:
                models_store.remove_rejection(db, doc_pk, actor, *item)

        self.write(remove)
        return Changes(suggestions=True)

    def refused(self) -> Changes:
        return Changes(suggestions=True)


class SavePatterns(StoreCommand):
    """Replace the stored pattern rules (checked against the scheme's labels by the store)."""

    def __init__(self, session: AnnotationSession, old: list[PatternRule], new: list[PatternRule]) -> None:
        super().__init__(session, None, f"Save {len(new)} pattern rule{'' if len(new) == 1 else 's'}")
        self.old, self.new = old, new

    def _store(self, rules: list[PatternRule]) -> Changes:
        self.write(lambda db: models_store.replace_patterns(db, rules, where="pattern rules"))
        return Changes(suggestions=True)

    def apply(self) -> Changes:
        return self._store(self.new)

    def revert(self) -> Changes:
        return self._store(self.old)
