"""Details of the selected span: its quote, label, note, the typed attributes its label defines (a form:
:mod:`annotator.ui.annotate.attribute_form`) and free attributes (``key: value`` lines, typed as JSON where
the type would otherwise be lost: see annotator.core.attribute_lines).

Edits are applied when the analyst presses *Apply* (or Ctrl+Return in a field), each as one undoable
operation, so a half-typed note is never written on every keystroke. The panel follows the session's
selected span and re-shows it when an operation (an undo, say) changes it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFormLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from annotator.core.attribute_lines import format_attribute_lines, parse_attribute_lines
from annotator.core.errors import AnnotatorError
from annotator.core.scheme_parts import AttributeDef
from annotator.store.repository import SpanView
from annotator.ui.annotate.attribute_form import AttributeForm
from annotator.ui.annotate.span_relations import SpanRelations
from annotator.ui.common.theme import readable, set_text_colour
from annotator.ui.ops.changes import Changes
from annotator.ui.ops.operations import Operations
from annotator.ui.ops.session import AnnotationSession


class SpanDetails(QWidget):
    def __init__(self, session: AnnotationSession, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.ops = ops
        self.span: SpanView | None = None
        self.quote = QLabel(self)
        self.quote.setWordWrap(True)
        self.quote.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label = QLabel(self)
        self.note = QPlainTextEdit(self)
        self.note.setPlaceholderText("Note on this span")
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(70)
        self.attributes = QPlainTextEdit(self)
        self.attributes.setPlaceholderText("key: value, one per line")
        self.attributes.setTabChangesFocus(True)
        self.attributes.setMaximumHeight(60)
        self.apply = QPushButton("Apply", self)
        self.apply.setToolTip("Save note and attributes (Ctrl+Return)")
        self.error = QLabel(self)
        set_text_colour(self.error, readable("#D55E00", self.error.palette()))
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Label", self.label)
        form.addRow("Note", self.note)
        self.typed = AttributeForm(self)  # the label's typed attributes (hours per day, currency, ...)
        form.addRow(self.typed)
        form.addRow("Attributes", self.attributes)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 6)
        layout.addWidget(self.quote)
        layout.addLayout(form)
        self.relations = SpanRelations(session, ops, self)  # the span's relations: Enter goes, Delete unlinks
        layout.addWidget(self.relations)
        layout.addWidget(self.error)
        layout.addWidget(self.apply, alignment=Qt.AlignmentFlag.AlignRight)
        self.apply.clicked.connect(self.commit)
        for field in (self.note, self.attributes):
            field.installEventFilter(self)
        self.show_span(None)
        self.set_read_only(session.read_only)
        session.span_selected.connect(lambda _sid, _reveal: self._show_selected())
        session.document_opened.connect(self._show_selected)
        session.changed.connect(self._on_changed)

    def _show_selected(self) -> None:
        span = self.session.selected_span()
        self.show_span(span, self.session.label_name(span.label) if span is not None else "")

    def _on_changed(self, changes: Changes) -> None:
        if self.span is None or changes.scheme or any(d.span_id == self.span.id for d in changes.spans) \
                or self.session.doc_pk in changes.reload:
            self._show_selected()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """Ctrl+Return in a field applies the edit.

        The window's "mark done" action has the same key; a field-local QShortcut beside it made Qt see
        an ambiguous shortcut and do nothing, so the key is claimed here before the shortcut map sees it.
        """
        if (event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier == Qt.KeyboardModifier.ControlModifier):
            event.accept()
            if event.type() == QEvent.Type.KeyPress:
                self.commit()
            return True
        return super().eventFilter(watched, event)

    def show_span(self, span: SpanView | None, label_name: str = "") -> None:
        self.span = span
        self.error.clear()
        enabled = span is not None
        for widget in (self.note, self.attributes, self.apply):
            widget.setEnabled(enabled)
        if span is None:
            self.quote.setText("<i>No span selected.</i> Select text and press a label key.")
            self.label.clear()
            self.note.clear()
            self.attributes.clear()
            self.typed.show_definitions([], {})
            return
        quote = span.quote if len(span.quote) <= 300 else span.quote[:299] + "…"
        self.quote.setText(f"“{_escape(quote)}”")
        self.label.setText(label_name or span.label)
        self.note.setPlainText(span.note or "")
        definitions = self._definitions(span)
        self.typed.show_definitions(definitions, span.attributes)
        self.typed.set_read_only(self.note.isReadOnly())
        for editor in self.typed.editors.values():
            editor.installEventFilter(self)  # Ctrl+Return applies from the form too
        defined = {d.key for d in definitions}
        self.attributes.setPlainText(format_attribute_lines(
            {key: value for key, value in span.attributes.items() if key not in defined}))
        self.attributes.setPlaceholderText("other attributes, key: value, one per line" if defined
                                           else "key: value, one per line")

    def _definitions(self, span: SpanView) -> list[AttributeDef]:
        label = self.session.scheme.get(span.label)
        return list(label.attributes) if label is not None else []

    def set_read_only(self, read_only: bool) -> None:
        self.note.setReadOnly(read_only)
        self.attributes.setReadOnly(read_only)
        self.typed.set_read_only(read_only)
        self.apply.setVisible(not read_only)

    def commit(self) -> None:
        span = self.span
        if span is None:
            return
        try:
            attributes = parse_attribute_lines(self.attributes.toPlainText())
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        try:
            typed = self.typed.values()  # a wrong kind is refused here, with what is expected
        except AnnotatorError as exc:
            self.error.setText(f"{exc.reason}; nothing was stored.")
            return
        clash = next((key for key in attributes if key in self.typed.editors), None)
        if clash is not None:
            self.error.setText(f"“{clash}” is a typed attribute of {self.session.label_name(span.label)}: "
                               "set it in the form above; nothing was stored.")
            return
        self.error.clear()
        # A value shown as text and not edited keeps its stored type (an imported 3 must not become "3").
        attributes = {key: span.attributes[key] if key in span.attributes and value == f"{span.attributes[key]}"
                      else value for key, value in attributes.items()}
        attributes.update(typed)
        note = self.note.toPlainText().strip() or None
        if note != (span.note or None):
            self.ops.update_span(span, note=note)
            span = self.session.spans.get(span.id, span)
        if attributes != dict(span.attributes):
            self.ops.update_span(span, attributes=attributes)
        missing = self.typed.missing_required()
        if missing:
            self.error.setText(f"Still to fill (required): {', '.join(missing)}.")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
