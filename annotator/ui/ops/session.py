"""The annotating session: the state every view of the main window shows, in one small object.

Before this object existed the main window held the open document, the acting annotator, the scheme and
"why can't I edit" itself, and other modules reached into the window for them. Now the window owns one
:class:`AnnotationSession` and hands it (with :class:`~annotator.ui.ops.operations.Operations`) to each widget
in ``__init__`` — napari's "widgets receive their model". A widget reads the state here and listens to:

- :attr:`document_opened` — another document or layer is shown (or the same one was re-read);
- :attr:`changed` — one :class:`~annotator.ui.ops.changes.Changes` per operation, refused write or colleague's
  edit; the session has already brought its own state (spans, status) up to date when it is emitted;
- :attr:`span_selected` — the selected span (article click, span list, a new tag);
- :attr:`message` / :attr:`failure` — a status-bar line, or a refusal the analyst must see;
- :attr:`message_withdrawn` — a status-bar line that is no longer true (cleared if it is still shown);
- :attr:`text_requested` — "select these code points in the article" (a suggestion row, a search hit).

Nothing here knows about widgets; ``docs/architecture.md`` draws the flow.
"""

from __future__ import annotations

import gc
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, Signal

from annotator.core.errors import AnnotatorError, PermissionDenied
from annotator.core.model import ReviewRecord
from annotator.core.scheme import Scheme
from annotator.store import queries
from annotator.store import repository as repo
from annotator.store.database import Store
from annotator.store.errors import describe_failure
from annotator.store.queries import LoadedDocument
from annotator.store.repository import RelationView, SpanView
from annotator.ui.ops.changes import Changes

STATUS_MESSAGE_MS = 8000


class AnnotationSession(QObject):
    """The store, who is acting, the scheme, and the open document's layer with its spans."""

    changed = Signal(object)  # Changes
    document_opened = Signal()
    span_selected = Signal(object, bool)  # span id or None; whether to scroll it into view
    message = Signal(str, int)  # text, milliseconds to show it
    message_withdrawn = Signal(str)  # text said earlier that must not stay in view
    failure = Signal(str)
    text_requested = Signal(int, int)  # code points to select in the article

    def __init__(self, store: Store, annotator: str, *, read_only_reason: str | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.annotator = annotator
        self.read_only = store.read_only or read_only_reason is not None
        if not self.read_only:
            try:
                with store.write() as session:
                    repo.ensure_default_scheme(session)
                    repo.get_or_create_annotator(session, annotator)
            except AnnotatorError as exc:  # a write-protected file that SQLite only now refuses
                self.read_only = True
                read_only_reason = describe_failure(exc)
        self.read_only_reason = read_only_reason or ("opened read-only" if self.read_only else "")
        with store.session() as session:
            self.scheme: Scheme = repo.get_scheme(session)
        self.document: LoadedDocument | None = None
        self.layer_owner = annotator
        self.status = "todo"
        self.spans: dict[int, SpanView] = {}
        self.selected_span_id: int | None = None
        self.review: ReviewRecord | None = None
        """The open layer's review (a curator's approved / returned with a comment), if any."""
        self.doc_fields: dict[str, Any] = {}
        """The open layer's document-field values (field key → value in its kind's shape)."""
        self.relations: dict[int, RelationView] = {}
        """The open layer's relations by id; both ends are always spans in :attr:`spans`."""

    # ------------------------------------------------------------------ questions views ask
    @property
    def doc_pk(self) -> int | None:
        return self.document.pk if self.document is not None else None

    @property
    def own_layer_open(self) -> bool:
        return self.document is not None and self.layer_owner == self.annotator

    @property
    def writable(self) -> bool:
        """The open layer can be changed by the acting annotator now."""
        return not self.read_only and self.own_layer_open

    def selected_span(self) -> SpanView | None:
        return self.spans.get(self.selected_span_id) if self.selected_span_id is not None else None

    def label_name(self, key: str) -> str:
        label = self.scheme.get(key)
        return label.name if label is not None else key

    def edit_blocked(self, outcome: str, to_do: str) -> str | None:
        """Why the open layer cannot be changed now, as a status-bar sentence ending with ``outcome``
        ("the tag was not added") and pointing to your own layer "to ``to_do``"; None when it can.
        """
        if self.read_only:
            if self.read_only_reason == "opened read-only":
                return f"Read-only: this database was opened read-only; {outcome}."
            return f"Read-only ({self.read_only_reason}): {outcome}."
        if self.document is None:
            return f"Open a document first: {outcome}."
        if self.layer_owner != self.annotator:
            return (f"This is {self.layer_owner}'s layer, which only they can change: {outcome}. "
                    f"Open your own layer to {to_do}.")
        return None

    def tagging_blocked(self) -> str | None:
        """Why a label key cannot tag right now (a status-bar sentence), or None when it can."""
        return self.edit_blocked("the tag was not added", "tag")

    # ------------------------------------------------------------------ telling the analyst
    def say(self, text: str, msecs: int = STATUS_MESSAGE_MS) -> None:
        self.message.emit(text, msecs)

    def withdraw(self, text: str) -> None:
        """Take back a status-bar line that an undo or another document made untrue (if still shown)."""
        self.message_withdrawn.emit(text)

    def fail(self, text: str) -> None:
        self.failure.emit(text)

    # ------------------------------------------------------------------ opening and selecting
    def open(self, doc_pk: int, owner: str | None = None) -> bool:
        """Read document ``doc_pk`` with ``owner``'s layer (default: the acting annotator's) and announce it."""
        owner = owner or self.annotator
        # Loading builds ~10,000 small objects for a large layer; a collector pass in the middle of that
        # costs more than the loading itself, so collection waits until the document is read.
        gc.disable()
        try:
            with self.store.session() as session:
                doc = queries.load_document(session, doc_pk)
                if doc is None:
                    self.say(f"Document {doc_pk} no longer exists.", 5000)
                    return False
                spans = queries.layer_spans(session, doc_pk, owner, self.annotator)
                status = queries.layer_status(session, doc_pk, owner)
                review = queries.layer_review(session, doc_pk, owner)
                # read after layer_spans, whose blind-mode check also covers the layer's fields and relations
                doc_fields, relations = repo.document_structure(session, doc_pk, owner)
        except PermissionDenied as exc:  # blind annotation: a colleague's layer is not readable yet
            self.say(str(exc), 8000)
            return False
        finally:
            gc.enable()
        self.document, self.layer_owner, self.status = doc, owner, status
        self.review = review
        self.spans = {s.id: s for s in spans}
        self.doc_fields, self.relations = doc_fields, {r.id: r for r in relations}
        self.selected_span_id = None
        if review is not None and review.state == "returned" and owner == self.annotator:
            said = f": {review.comment}" if review.comment else ""
            self.say(f"Returned by {review.by}{said}", 15000)
        self.document_opened.emit()
        return True

    def select_span(self, span_id: int | None, *, reveal: bool = True) -> None:
        """Make ``span_id`` the selected span of every view (None: no span); ``reveal`` scrolls to it."""
        if span_id is not None and span_id not in self.spans:
            span_id = None
        self.selected_span_id = span_id
        self.span_selected.emit(span_id, reveal)

    def request_text(self, start: int, end: int) -> None:
        """Ask the article to select ``start``–``end`` (code points of the open document)."""
        if self.document is not None and 0 <= start <= end <= len(self.document.text):
            self.text_requested.emit(start, end)

    # ------------------------------------------------------------------ changes
    def reload_scheme(self) -> None:
        with self.store.session() as session:
            self.scheme = repo.get_scheme(session)

    def publish(self, changes: Changes) -> None:
        """Bring the session's own state up to date with ``changes``, then tell every view.

        Operations call this after each store write (and after a refused one), the live watcher after a
        colleague's edit; views never change the session's spans themselves.
        """
        if changes.scheme:
            self.reload_scheme()
        doc = self.document
        if doc is not None:
            if changes.corpus and self.layer_owner != self.annotator and doc.pk not in changes.reload:
                # someone else's layer is shown and anything may have changed: re-read it like a reload
                changes = replace(changes, reload=changes.reload | {doc.pk})
            if changes.corpus or doc.pk in changes.reviews or doc.pk in changes.reload:
                self._reread_review()
            if doc.pk in changes.reload:
                self._reread_layer()
            else:
                for delta in changes.span_deltas(doc.pk, self.layer_owner):
                    if delta.span is None:
                        self.spans.pop(delta.span_id, None)
                        if self.selected_span_id == delta.span_id:
                            self.selected_span_id = None
                    else:
                        self.spans[delta.span_id] = delta.span
                if (doc.pk, self.layer_owner) in changes.structure or any(
                    delta.removed for delta in changes.span_deltas(doc.pk, self.layer_owner)
                ):  # a removed span takes its relations with it
                    self._reread_structure()
                status = changes.status_of(doc.pk, self.layer_owner)
                if status is not None:
                    self.status = status
                elif self.status == "todo" and any(d.added for d in changes.span_deltas(doc.pk, self.layer_owner)):
                    self.status = "in_progress"  # the store starts a layer's work with its first span
        self.changed.emit(changes)

    def _reread_review(self) -> None:
        assert self.document is not None
        try:
            with self.store.session() as session:
                self.review = queries.layer_review(session, self.document.pk, self.layer_owner)
        except AnnotatorError as exc:
            self.say(str(exc))

    def _reread_layer(self) -> None:
        assert self.document is not None
        try:
            with self.store.session() as session:
                spans = queries.layer_spans(session, self.document.pk, self.layer_owner, self.annotator)
                self.status = queries.layer_status(session, self.document.pk, self.layer_owner)
                doc_fields, relations = repo.document_structure(session, self.document.pk, self.layer_owner)
        except AnnotatorError as exc:
            self.say(str(exc))
            return
        self.spans = {s.id: s for s in spans}
        self.doc_fields, self.relations = doc_fields, {r.id: r for r in relations}
        if self.selected_span_id not in self.spans:
            self.selected_span_id = None

    def _reread_structure(self) -> None:
        """Re-read the open layer's fields and relations (after a change to them or a removed span)."""
        assert self.document is not None
        try:
            with self.store.session() as session:
                doc_fields, relations = repo.document_structure(session, self.document.pk, self.layer_owner)
        except AnnotatorError as exc:
            self.say(str(exc))
            return
        self.doc_fields, self.relations = doc_fields, {r.id: r for r in relations}
