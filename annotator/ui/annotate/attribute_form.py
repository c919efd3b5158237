"""The selected span's typed attributes as a form: the label's attribute definitions, one row each.

A label may define typed attributes (``working_hours``: ``hours_per_day``, a number; ``remittance``:
amount, currency, period). Typed into free ``key: value`` lines they would be stored however they were
typed ("ten", "USD " with a space); here each gets the control its kind needs — a pick list for
``choice``, toggle chips for ``multi``, a checkbox for ``bool``, a line edit checked with
``core.typed_values.parse_text`` for ``number``, ``date`` and ``text`` — and :meth:`AttributeForm.values`
refuses a wrong value with what is expected, before anything is stored. Required attributes are marked
with ``*``. The span panel (:mod:`annotator.ui.annotate.span_details`) saves the values with the free
attributes through the update-span operation, as one undo step.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLineEdit, QToolButton, QWidget

from annotator.core.errors import AnnotatorError
from annotator.core.scheme_parts import AttributeDef
from annotator.core.typed_values import check_value, kind_name, parse_text, value_text

NO_VALUE = "—"
"""The first entry of a pick list: no value."""


class AttributeForm(QWidget):
    """Rows for one label's :class:`AttributeDef` list; shows a span's values and reads them back checked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.definitions: list[AttributeDef] = []
        self.editors: dict[str, QWidget] = {}
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.hide()

    # ------------------------------------------------------------------ showing
    def show_definitions(self, definitions: list[AttributeDef], values: dict[str, Any]) -> None:
        """Rebuild the rows for ``definitions`` and show ``values`` (the span's stored attributes)."""
        while self.form.rowCount():
            self.form.removeRow(0)
        self.editors = {}
        self.definitions = list(definitions)
        for definition in self.definitions:
            editor = self._editor(definition)
            self.editors[definition.key] = editor
            name = definition.key.replace("_", " ")
            text = f"{name} *" if definition.required else name
            self.form.addRow(text, editor)
            label = self.form.labelForField(editor)
            tip = f"{definition.key}: {kind_name(definition.kind)}" + (" (required)" if definition.required else "")
            if label is not None:
                label.setToolTip(tip)
            editor.setToolTip(tip)
            self._show(definition, values.get(definition.key))
        self.setVisible(bool(self.definitions))

    def _editor(self, definition: AttributeDef) -> QWidget:
        key = definition.key
        if definition.kind == "choice":
            combo = QComboBox(self)
            combo.addItems([NO_VALUE, *definition.options])
            combo.setObjectName(f"attribute_{key}")
            return combo
        if definition.kind == "multi":
            chips = QWidget(self)
            row = QHBoxLayout(chips)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(2)
            for option in definition.options:
                chip = QToolButton(chips)
                chip.setText(option)
                chip.setCheckable(True)
                chip.setAutoRaise(True)
                chip.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
                row.addWidget(chip)
            row.addStretch(1)
            chips.setObjectName(f"attribute_{key}")
            return chips
        if definition.kind == "bool":
            box = QCheckBox(self)
            box.setTristate(True)
            box.setObjectName(f"attribute_{key}")
            box.stateChanged.connect(lambda _state, b=box: b.setText(_bool_text(b.checkState())))
            return box
        edit = QLineEdit(self)
        edit.setObjectName(f"attribute_{key}")
        edit.setPlaceholderText({"number": "a number", "date": "YYYY-MM-DD"}.get(definition.kind, ""))
        return edit

    def _show(self, definition: AttributeDef, value: Any) -> None:
        editor = self.editors[definition.key]
        if isinstance(editor, QComboBox):
            index = editor.findText(value) if isinstance(value, str) else -1
            if index < 0 and value is not None:  # a stored value that is no longer an option stays visible
                editor.addItem(str(value))
                index = editor.count() - 1
            editor.setCurrentIndex(max(0, index))
        elif isinstance(editor, QCheckBox):
            editor.setCheckState(Qt.CheckState.PartiallyChecked if value is None
                                 else Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
            editor.setText(_bool_text(editor.checkState()))
        elif isinstance(editor, QLineEdit):
            editor.setText(value_text(value))
        else:
            chosen = set(value) if isinstance(value, list) else set()
            for chip in editor.findChildren(QToolButton):
                chip.setChecked(chip.text() in chosen)

    def set_read_only(self, read_only: bool) -> None:
        for editor in self.editors.values():
            if isinstance(editor, QLineEdit):
                editor.setReadOnly(read_only)
            else:
                editor.setEnabled(not read_only)

    # ------------------------------------------------------------------ reading back
    def values(self) -> dict[str, Any]:
        """Every attribute given a value, in its kind's shape; :class:`AnnotatorError` for the first wrong one.

        The message names the attribute and what it expects ("hours per day: expected a number, got
        'ten'"), so the span panel can show it and store nothing.
        """
        found: dict[str, Any] = {}
        for definition in self.definitions:
            try:
                value = self._read(definition)
            except AnnotatorError as exc:
                raise AnnotatorError(f"{definition.key.replace('_', ' ')}: {exc.reason}") from None
            if value is not None:
                found[definition.key] = value
        return found

    def missing_required(self) -> list[str]:
        """Required attributes left without a value (said after saving; a span may be completed later)."""
        try:
            given = self.values()
        except AnnotatorError:
            return []
        return [d.key for d in self.definitions if d.required and d.key not in given]

    def _read(self, definition: AttributeDef) -> Any:
        editor = self.editors[definition.key]
        if isinstance(editor, QComboBox):
            text = editor.currentText()
            return None if editor.currentIndex() == 0 else check_value("choice", definition.options, text)
        if isinstance(editor, QCheckBox):
            state = editor.checkState()
            return None if state == Qt.CheckState.PartiallyChecked else state == Qt.CheckState.Checked
        if isinstance(editor, QLineEdit):
            return parse_text(definition.kind, definition.options, editor.text())
        chosen = [chip.text() for chip in editor.findChildren(QToolButton) if chip.isChecked()]
        return sorted(chosen) or None


def _bool_text(state: Qt.CheckState) -> str:
    """What a yes/no checkbox says beside it (partly checked: not judged yet)."""
    return {Qt.CheckState.Checked: "yes", Qt.CheckState.Unchecked: "no"}.get(state, "not set")
