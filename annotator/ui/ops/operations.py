"""Every user action that changes the open layer or the scheme, as one call each.

Widgets call these methods and nothing else to change data: each checks once whether the action is allowed
(read-only database, someone else's layer), says why not in the status bar when it is not, and otherwise
runs one command (:mod:`annotator.ui.ops.span_commands`) — one store transaction, one undo step, one
``Changes`` published through the session. This is Anki's ``aqt/operations`` pattern; curation has its own
stack and permission rule in :mod:`annotator.ui.ops.curation` but the same machinery.

A layer marked done is final for agreement, so no edit changes one silently: every span edit here (tag,
accept, delete, relabel, note, attributes, boundaries) first asks, once per document, whether to reopen it
(:meth:`Operations._reopened`); a yes marks it in progress as its own undo step and then makes the edits
that were waiting, a no changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoStack

from annotator.core.model import STATUS_DONE, STATUS_IN_PROGRESS
from annotator.core.repeats import span_key, split_repeats
from annotator.core.scheme import Scheme
from annotator.core.typed_values import value_text
from annotator.core.wording import plural
from annotator.store import queries
from annotator.store.repository import RelationView, SpanView
from annotator.ui.ops.changes import Changes
from annotator.ui.ops.command import StoreCommand, push_once
from annotator.ui.ops.field_commands import SetDocumentField
from annotator.ui.ops.relation_commands import AddRelation, DeleteRelation
from annotator.ui.ops.scheme_commands import SaveScheme
from annotator.ui.ops.session import AnnotationSession
from annotator.ui.ops.span_commands import AddSpans, AdjustBounds, DeleteSpan, SetStatus, UpdateSpan
from annotator.ui.ops.suggestion_commands import RejectSuggestions, SavePatterns
from annotator.ui.ops.team_commands import ReviewLayer, SetBlindMode

TAG_REFUSED = ("the tag was not added", "tag")
CHANGE_REFUSED = ("the span was not changed", "change spans")
ADJUST_REFUSED = ("the span was not changed", "adjust spans")
ACCEPT_REFUSED = ("the suggestion was not accepted", "accept suggestions")
REJECT_REFUSED = ("the suggestion was not rejected", "reject suggestions")
STATUS_REFUSED = ("the status was not changed", "mark documents")
FIELD_REFUSED = ("the document field was not changed", "judge documents")
LINK_REFUSED = ("the relation was not added", "link spans")
UNLINK_REFUSED = ("the relation was not removed", "remove relations")
REOPEN_QUESTION = "This document is marked done. Reopen it for editing?"

Ask = Callable[[str, Callable[[bool], None]], object]
"""Shows a yes/no question without blocking and calls back with the answer (the main window's box)."""


def _shorten(quote: str, limit: int = 60) -> str:
    """A quote for a status-bar line: one line, at most ``limit`` characters."""
    quote = " ".join(quote.split())
    return quote if len(quote) <= limit else quote[: limit - 1] + "…"


class Operations(QObject):
    """The acting annotator's data-changing actions on the session's open layer, with one undo stack."""

    def __init__(self, session: AnnotationSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.undo_stack = QUndoStack(self)
        self._stack_index = 0
        self._elsewhere: int | None = None
        self.ask: Ask | None = None
        """How to ask before reopening a done document; without it such edits are refused with the reason."""
        self._asking: int | None = None  # the document a reopen question is open for
        self._waiting: list[Callable[[], object]] = []  # edits made while it is open, run after a yes
        self._kept_done: int | None = None  # the open document the analyst chose to keep done
        session.changed.connect(self._note_elsewhere)
        session.document_opened.connect(self._forget_answers)
        self.undo_stack.indexChanged.connect(self._after_stack_step)

    # ------------------------------------------------------------------ spans
    def tag(self, start: int, end: int, label: str) -> SpanView | None:
        """Tag ``start``–``end`` of the open document with ``label``; the new span, or None when refused."""
        s = self.session
        if not self._allowed(TAG_REFUSED):
            return None
        assert s.document is not None
        same = next((v for v in s.spans.values() if span_key(v.start, v.end, v.label) == (start, end, label)), None)
        if same is not None:  # core/repeats.py: a layer holds each span once
            s.select_span(same.id, reveal=False)
            s.say(f"Already tagged {s.label_name(label)}: “{_shorten(same.quote)}” ({start}–{end}); nothing was added.")
            return None
        if not self._reopened(TAG_REFUSED, lambda: self.tag(start, end, label)):
            return None
        command = AddSpans(s, s.document.pk, [(start, end, label)], f"Tag {s.label_name(label)}")
        if not self._push(command):
            return None
        s.select_span(command.views[0].id, reveal=False)  # the new span is the one the next key acts on
        return command.views[0]

    def accept_suggestions(self, items: list[tuple[int, int, str]]) -> bool:
        """Tag several suggested spans at once: one transaction, one undo step."""
        s = self.session
        if not items or not self._allowed(ACCEPT_REFUSED):
            return False
        assert s.document is not None
        present = (span_key(v.start, v.end, v.label) for v in s.spans.values())
        items, repeated = split_repeats(items, lambda item: item, present)
        if not items:
            s.say("Already tagged just so: nothing was added.")
            return False
        if not self._reopened(ACCEPT_REFUSED, lambda: self.accept_suggestions(items)):
            return False
        if repeated:
            s.say(f"{plural(len(repeated), 'suggestion')} already tagged just so; left out.")
        command = AddSpans(s, s.document.pk, items, self._accept_text(items))
        if not self._push(command):
            return False
        s.select_span(command.views[-1].id, reveal=False)
        return True

    def reject_suggestions(self, items: list[tuple[int, int, str]]) -> bool:
        """Remember that the acting annotator rejected these suggestions in the open document (undoable)."""
        s = self.session
        if not items or not self._allowed(REJECT_REFUSED):
            return False
        assert s.document is not None
        return self._push(RejectSuggestions(s, s.document.pk, items, "Reject " + plural(len(items), "suggestion")))

    def save_patterns(self, old: list[Any], new: list[Any], *, report: Callable[[str], None] | None = None) -> bool:
        """Replace the suggestion pattern rules (``PatternRule`` lists); undoable."""
        s = self.session
        if s.read_only:
            (report or s.fail)(f"Read-only ({s.read_only_reason}): the pattern rules were not saved.")
            return False
        command = SavePatterns(s, old, new)
        command.report = report
        return self._push(command)

    def delete_span(self, span: SpanView) -> bool:
        if not self._allowed(CHANGE_REFUSED) or not self._reopened(CHANGE_REFUSED, lambda: self.delete_span(span)):
            return False
        assert self.session.document is not None
        return self._push(DeleteSpan(self.session, self.session.document.pk, span))

    def update_span(self, span: SpanView, **changes: Any) -> bool:
        """Label, note or attributes of a span of the open layer."""
        s = self.session
        if not self._allowed(CHANGE_REFUSED) or not self._reopened(CHANGE_REFUSED,
                                                                   lambda: self.update_span(span, **changes)):
            return False
        assert s.document is not None
        if "label" in changes and len(changes) == 1:
            text = f"Relabel {s.label_name(span.label)} → {s.label_name(changes['label'])}"
        else:
            text = f"Change {' and '.join(sorted(changes))} of {s.label_name(span.label)}"
        return self._push(UpdateSpan(s, s.document.pk, span, changes, text))

    def adjust_bounds(self, span: SpanView, start: int, end: int, *, mergeable: bool) -> bool:
        """New boundaries for a span; ``mergeable`` presses in a row on one span are one undo step."""
        if not self._allowed(ADJUST_REFUSED) or not self._reopened(
                ADJUST_REFUSED, lambda: self.adjust_bounds(span, start, end, mergeable=mergeable)):
            return False
        assert self.session.document is not None
        return self._push(AdjustBounds(self.session, self.session.document.pk, span, start, end,
                                       mergeable=mergeable))

    # ------------------------------------------------------------------ document fields
    def set_field(self, key: str, value: Any) -> bool:
        """Set (``None``: clear) document field ``key`` of the open layer; one undo step, refused like span edits."""
        s = self.session
        if not self._allowed(FIELD_REFUSED):
            return False
        assert s.document is not None
        definition = s.scheme.field_def(key)
        if definition is None:
            s.say(f"The scheme has no document field {key!r}: {FIELD_REFUSED[0]}.")
            return False
        if s.doc_fields.get(key) == value:
            return True
        if not self._reopened(FIELD_REFUSED, lambda: self.set_field(key, value)):
            return False
        text = (f"Clear {definition.name}" if value is None
                else f"Set {definition.name}: {_shorten(value_text(value), 40)}")
        return self._push(SetDocumentField(s, s.document.pk, key, value, text))

    # ------------------------------------------------------------------ relations
    def add_relation(self, source_id: int, target_id: int, key: str) -> bool:
        """Link two spans of the open layer with relation type ``key`` (checked against the scheme first)."""
        s = self.session
        if not self._allowed(LINK_REFUSED):
            return False
        source, target, kind = s.spans.get(source_id), s.spans.get(target_id), s.scheme.relation_type(key)
        if source is None or target is None or kind is None or source_id == target_id:
            s.say("Pick two different spans of this layer and a relation type of the scheme: "
                  "the relation was not added.")
            return False
        refusal = kind.refusal(source.label, target.label)
        if refusal is not None:
            s.say(f"{kind.name} cannot link {s.label_name(source.label)} to {s.label_name(target.label)} "
                  f"({refusal}): the relation was not added.")
            return False
        if any((r.source_span_id, r.target_span_id, r.label) == (source_id, target_id, key)
               for r in s.relations.values()):
            s.say(f"These two spans are already linked by {kind.name}: nothing was added.")
            return False
        if not self._reopened(LINK_REFUSED, lambda: self.add_relation(source_id, target_id, key)):
            return False
        assert s.document is not None
        text = f"Link {s.label_name(source.label)} → {s.label_name(target.label)} ({kind.name})"
        return self._push(AddRelation(s, s.document.pk, (source_id, target_id, key), text))

    def delete_relation(self, relation: RelationView) -> bool:
        """Remove one relation of the open layer (the spans stay)."""
        s = self.session
        if not self._allowed(UNLINK_REFUSED) or not self._reopened(UNLINK_REFUSED,
                                                                   lambda: self.delete_relation(relation)):
            return False
        assert s.document is not None
        kind = s.scheme.relation_type(relation.label)
        text = f"Remove relation {kind.name if kind is not None else relation.label}"
        key = (relation.source_span_id, relation.target_span_id, relation.label)
        return self._push(DeleteRelation(s, s.document.pk, key, text))

    # ------------------------------------------------------------------ layer and scheme
    def set_status(self, new: str) -> bool:
        s = self.session
        if not self._allowed(STATUS_REFUSED):
            return False
        assert s.document is not None
        if s.status == new:
            return True
        return self._push(SetStatus(s, s.document.pk, s.status, new))

    def save_scheme(self, scheme: Scheme, *, report: Callable[[str], None] | None = None) -> bool:
        """Replace the stored scheme (the store checks the role and labels in use); undoable.

        ``report`` receives the reason when the store refuses (the scheme dialog shows it in place).
        """
        s = self.session
        if s.read_only:
            (report or s.fail)(f"Read-only ({s.read_only_reason}): the tag scheme was not saved.")
            return False
        command = SaveScheme(s, s.scheme, scheme)
        command.report = report
        return self._push(command)

    # ------------------------------------------------------------------ team workflow
    def review_layer(self, state: str, comment: str = "") -> bool:
        """Approve (``"approved"``) or return (``"returned"``, with a comment) the colleague's layer shown.

        The store checks the curator role and that the layer is done; undo restores the review and status
        the layer had before.
        """
        s = self.session
        if s.read_only:
            s.say(f"Read-only ({s.read_only_reason}): the layer was not reviewed.")
            return False
        if s.document is None or s.layer_owner == s.annotator:
            s.say("Show an analyst's layer first (Layer switch above the article): the layer was not reviewed.")
            return False
        return self._push(ReviewLayer(s, s.document.pk, s.layer_owner, state, comment))

    def set_blind_mode(self, on: bool) -> bool:
        """Blind annotation on or off for the whole project (a curator or admin on a server); undoable."""
        s = self.session
        if s.read_only:
            s.say(f"Read-only ({s.read_only_reason}): blind annotation was not changed.")
            return False
        return self._push(SetBlindMode(s, on))

    def push_done(self, command: StoreCommand, changes: Changes) -> None:
        """A command whose first run already happened (on a worker thread): publish its changes, keep its undo."""
        self.session.publish(changes)
        command.skip_next_redo = True
        self.undo_stack.push(command)

    # ------------------------------------------------------------------ machinery
    def _accept_text(self, items: list[tuple[int, int, str]]) -> str:
        """The undo text of accepting suggestions, naming their labels: "Accept Injury suggestion"."""
        names = list(dict.fromkeys(self.session.label_name(label) for _, _, label in items))
        if len(items) == 1:
            return f"Accept {names[0]} suggestion"
        if len(names) == 1:
            return f"Accept {len(items)} {names[0]} suggestions"
        return f"Accept {len(items)} suggestions ({', '.join(names)})"

    def _allowed(self, refusal: tuple[str, str]) -> bool:
        reason = self.session.edit_blocked(*refusal)
        if reason is not None:
            self.session.say(reason)
            return False
        return True

    def _reopened(self, refusal: tuple[str, str], edit: Callable[[], object]) -> bool:
        """True when the open layer is not done; on a done one, ask (once per document) to reopen it.

        The question does not block: ``edit`` waits with any others made before the answer, and a yes marks
        the layer in progress (its own undo step) and then makes them; a no, or no way to ask, changes nothing.
        """
        s = self.session
        if s.status != STATUS_DONE:
            return True
        doc = s.doc_pk
        if self.ask is None or self._kept_done == doc:
            s.say(f"This document is marked done: {refusal[0]}. Mark it in progress (Document menu) to "
                  f"{refusal[1]} here.")
            return False
        self._waiting.append(edit)
        if self._asking != doc:
            self._asking = doc
            self.ask(REOPEN_QUESTION, lambda yes: self._answered(doc, yes))
        return False

    def _answered(self, doc: int | None, yes: bool) -> None:
        waiting, self._waiting, self._asking = self._waiting, [], None
        s = self.session
        if s.doc_pk != doc:  # another document was opened meanwhile: the edits were for this one
            return
        if not yes:
            self._kept_done = doc
            s.say("The document stays marked done; nothing was changed.")
            return
        if s.status == STATUS_DONE and not self.set_status(STATUS_IN_PROGRESS):
            return
        for edit in waiting:
            edit()

    def _forget_answers(self) -> None:
        """Another document is open: edits waiting for a question about the previous one are dropped."""
        doc = self.session.doc_pk
        if self._asking != doc:
            self._waiting.clear()
        if self._kept_done != doc:
            self._kept_done = None

    def _push(self, command: StoreCommand) -> bool:
        return push_once(self.undo_stack, command)

    def _note_elsewhere(self, changes: Changes) -> None:
        """Remember a change to a document that is not open (only undo/redo reach one) to say so after it."""
        others = [pk for pk in changes.touched_documents() if pk != self.session.doc_pk]
        if others:
            self._elsewhere = others[0]

    def _after_stack_step(self, index: int) -> None:
        """After an undo or redo that changed another document, name it: the open view shows no change."""
        previous, self._stack_index = self._stack_index, index
        doc_pk, self._elsewhere = self._elsewhere, None
        if doc_pk is None or index == previous:
            return
        undo = index < previous
        command = self.undo_stack.command(index if undo else index - 1)
        with self.session.store.session() as db:
            doc = queries.load_document(db, doc_pk)
        title = (doc.title or doc.doc_id) if doc is not None else f"document {doc_pk}"
        what = command.text() if command is not None else "change"
        self.session.say(f"{'Undo' if undo else 'Redo'}: {what} in “{title}” (not the open document).")
