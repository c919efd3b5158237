"""The document-fields strip under the article header: the open layer's judgements of the whole article.

Relevance and source type are asked of every article, so they sit in view above the text, one compact
control per field of the scheme (:mod:`annotator.ui.annotate.field_controls`), wrapping onto more rows in a
narrow column (:class:`FlowLayout`) instead of widening the window. Each field's shortcut (e.g. Ctrl+Alt+R)
focuses it from anywhere in the window; a digit or letter then picks an option and Enter or Esc hands the
keyboard back to the article (:attr:`FieldsStrip.finished`). Every change is one operation
(:meth:`Operations.set_field`). On someone else's layer the controls show their values greyed, with a
tooltip naming whose they are; the strip is hidden when the scheme has no fields.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from annotator.ui.annotate.field_controls import FieldControl, control_for
from annotator.ui.common.flow_layout import FlowLayout, wrapping_policy
from annotator.ui.common.theme import readable, set_text_colour
from annotator.ui.ops.changes import Changes
from annotator.ui.ops.operations import Operations
from annotator.ui.ops.session import AnnotationSession

ERROR_COLOUR = "#8A1C00"


class FieldsStrip(QWidget):
    """Controls for the scheme's document fields, showing and setting the open layer's values."""

    finished = Signal()
    """The analyst is done with a field (Enter or Esc): the article should take the keyboard back."""

    def __init__(self, session: AnnotationSession, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldsStrip")
        self.session = session
        self.ops = ops
        self.controls: dict[str, FieldControl] = {}
        self.focus_actions: list[QAction] = []
        """One action per field with a shortcut ("Relevance field"), window-wide; the F1 list shows them."""
        self.last_error = ""
        self.setSizePolicy(wrapping_policy())
        self._layout = FlowLayout(self, spacing=2, row_spacing=0)
        self._layout.setContentsMargins(0, 2, 0, 2)
        self.error = QLabel("", self)
        self.error.setObjectName("fieldsError")
        self.error.setWordWrap(True)
        self._scheme_shown: list[Any] = []
        self.rebuild()
        session.document_opened.connect(self.refresh)
        session.changed.connect(self._on_changed)

    # ------------------------------------------------------------------ building
    def rebuild(self) -> None:
        """One control per field of the session's scheme (after a scheme change too)."""
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and widget is not self.error:
                widget.hide()
                widget.deleteLater()
        for action in self.focus_actions:
            self.removeAction(action)
            action.deleteLater()
        self.controls.clear()
        self.focus_actions = []
        fields = sorted(self.session.scheme.fields, key=lambda f: f.order)
        self._scheme_shown = [f.to_json() for f in fields]
        for definition in fields:
            control = control_for(definition, self, self._committer(definition.key), self.finished.emit,
                                  self._report)
            self.controls[definition.key] = control
            # the name travels with the first option: a wrapped row never starts with a lone option
            head = QWidget(self)
            head_layout = QHBoxLayout(head)
            head_layout.setContentsMargins(8 if definition is not fields[0] else 0, 0, 0, 0)
            head_layout.setSpacing(2)
            for widget in control.widgets[:2]:
                widget.setParent(head)
                head_layout.addWidget(widget)
            for widget in [head, *control.widgets[2:]]:
                self._layout.add_widget(widget)
                widget.show()
            if definition.shortcut:
                action = QAction(f"{definition.name} field", self)
                action.setShortcut(QKeySequence(definition.shortcut))
                action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
                action.triggered.connect(lambda _checked=False, key=definition.key: self.focus_field(key))
                self.addAction(action)
                self.focus_actions.append(action)
        self._layout.add_widget(self.error)
        self._report("")
        self.setVisible(bool(fields))
        self.refresh()

    def _committer(self, key: str) -> Callable[[Any], bool]:
        return lambda value: self.ops.set_field(key, value)

    # ------------------------------------------------------------------ following the session
    def refresh(self) -> None:
        """Show the open layer's values, editable only on your own layer of an open document."""
        s = self.session
        why_not = self.why_read_only()
        for key, control in self.controls.items():
            control.show_value(s.doc_fields.get(key) if s.document is not None else None)
            control.set_editable(why_not is None, why_not or "")

    def why_read_only(self) -> str | None:
        """The tooltip of greyed fields (whose layer is shown, or why nothing can change), None when editable."""
        s = self.session
        if s.document is None:
            return "Open a document to judge it."
        if s.layer_owner != s.annotator:
            return f"{s.layer_owner}'s layer: their values, shown read-only. Open your own layer to set yours."
        if s.read_only:
            return f"Read-only ({s.read_only_reason}): fields cannot be changed."
        return None

    def _on_changed(self, changes: Changes) -> None:
        s = self.session
        if changes.scheme and [f.to_json() for f in sorted(s.scheme.fields, key=lambda f: f.order)] != self._scheme_shown:
            self.rebuild()
            return
        if s.document is not None and ((s.document.pk, s.layer_owner) in changes.structure
                                       or s.document.pk in changes.reload):
            self.refresh()

    # ------------------------------------------------------------------ keys
    def focus_field(self, key: str) -> bool:
        """Put the keyboard on field ``key`` (its shortcut); on a read-only layer say why instead."""
        control = self.controls.get(key)
        if control is None:
            return False
        why_not = self.why_read_only()
        if why_not is not None:
            self.session.say(f"{control.definition.name}: {why_not}")
            return False
        control.focus()
        return True

    def _report(self, text: str) -> None:
        self.last_error = text
        set_text_colour(self.error, readable(ERROR_COLOUR, self.error.palette()))
        self.error.setText(text)
        self.error.setVisible(bool(text))
