"""The scheme editor's tabs beyond labels: document fields, per-label attribute definitions, relation types.

Why a module of its own: the label table (:mod:`annotator.ui.dialogs.scheme_dialog`) has its own rules
(locked keys, colour warnings, label shortcuts); the three other parts are plain lists of records from
``core.scheme_parts`` edited in a table each — one row per record, text cells typed in place, a pick list
for the kind, a check box for yes/no columns, options and label lists written comma-separated. The tables
edit the records in place; the dialog builds the scheme from them and lists every problem
(``core.scheme.scheme_problems`` plus :func:`parts_problems`) before anything is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.scheme import OKABE_ITO, Label, check_label_key
from annotator.core.scheme_parts import AttributeDef, FieldDef, RelationType
from annotator.core.typed_values import KINDS_WITH_OPTIONS, VALUE_KINDS


def split_list(text: str) -> list[str]:
    """Comma-separated entries of a cell ("USD, EUR" → ["USD", "EUR"]), blanks dropped."""
    return [part.strip() for part in text.split(",") if part.strip()]


def join_list(items: list[str]) -> str:
    return ", ".join(items)


@dataclass(frozen=True)
class Column:
    """One column of a parts table: how a record's value shows and how a typed cell sets it."""

    title: str
    get: Callable[[Any], Any]
    set: Callable[[Any, Any], None]
    widget: str = "text"  # "text", "list" (comma-separated), "kind" (pick list) or "check"
    width: int = 110
    tip: str = ""


class PartsTable(QWidget):
    """A table over a list of records, with Add and Remove; ``records`` is edited in place."""

    def __init__(self, columns: list[Column], make: Callable[[int], Any], noun: str, *, editable: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self.make = make
        self.noun = noun
        self.editable = editable
        self.records: list[Any] = []
        self._filling = False
        self.table = QTableWidget(0, len(columns), self)
        self.table.setHorizontalHeaderLabels([c.title for c in columns])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        for n, column in enumerate(columns):
            header.resizeSection(n, column.width)
            item = self.table.horizontalHeaderItem(n)
            if item is not None and column.tip:
                item.setToolTip(column.tip)
        header.setStretchLastSection(True)
        self.table.itemChanged.connect(self._on_item_changed)
        self.add_button = QPushButton(f"Add {noun}", self)
        self.remove_button = QPushButton("Remove", self)
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.add_button.setEnabled(editable)
        self.remove_button.setEnabled(editable)

    def set_records(self, records: list[Any]) -> None:
        self.records = records
        self.fill()

    def fill(self, select: int | None = None) -> None:
        self._filling = True
        try:
            self.table.setRowCount(len(self.records))
            for row, record in enumerate(self.records):
                for col, column in enumerate(self.columns):
                    self._fill_cell(row, col, column, record)
        finally:
            self._filling = False
        if select is not None and 0 <= select < len(self.records):
            self.table.selectRow(select)

    def _fill_cell(self, row: int, col: int, column: Column, record: Any) -> None:
        value = column.get(record)
        if column.widget == "kind":
            combo = QComboBox(self.table)
            combo.addItems(list(VALUE_KINDS))
            combo.setCurrentText(value)
            combo.setEnabled(self.editable)
            combo.currentTextChanged.connect(lambda text, r=record, c=column: self._set(r, c, text))
            self.table.setCellWidget(row, col, combo)
            return
        item = QTableWidgetItem()
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if column.widget == "check":
            if self.editable:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
            item.setCheckState(Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
        else:
            item.setText(join_list(value) if column.widget == "list" else str(value))
            if self.editable:
                flags |= Qt.ItemFlag.ItemIsEditable
        item.setFlags(flags)
        if column.tip:
            item.setToolTip(column.tip)
        self.table.setItem(row, col, item)

    def _set(self, record: Any, column: Column, value: Any) -> None:
        column.set(record, value)
        if column.widget == "kind":  # options belong to choice and multi only: another kind drops them
            if value not in KINDS_WITH_OPTIONS:
                record.options = []
            self.fill(self.selected_row())

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or not 0 <= item.row() < len(self.records):
            return
        column = self.columns[item.column()]
        record = self.records[item.row()]
        if column.widget == "check":
            column.set(record, item.checkState() == Qt.CheckState.Checked)
        elif column.widget == "list":
            column.set(record, split_list(item.text()))
        else:
            column.set(record, item.text().strip() if column.title in ("Key", "Shortcut", "Colour") else item.text())

    def set_cell(self, row: int, column: int, text: str) -> None:
        """Type ``text`` into a cell as a user would (the same path as editing in place)."""
        item = self.table.item(row, column)
        if item is not None and item.flags() & Qt.ItemFlag.ItemIsEditable:
            item.setText(text)

    def set_kind(self, row: int, kind: str) -> None:
        """Pick ``kind`` in a row's kind list, as a user would."""
        col = next(n for n, c in enumerate(self.columns) if c.widget == "kind")
        combo = self.table.cellWidget(row, col)
        assert isinstance(combo, QComboBox)
        combo.setCurrentText(kind)

    def selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def add(self) -> None:
        self.records.append(self.make(len(self.records)))
        self.fill(len(self.records) - 1)
        self.table.setFocus()

    def remove_selected(self) -> bool:
        row = self.selected_row()
        if row < 0:
            return False
        del self.records[row]
        self.fill(min(row, len(self.records) - 1))
        return True


def _new_key(prefix: str, taken: list[str]) -> str:
    n = len(taken) + 1
    while f"{prefix}_{n}" in taken:
        n += 1
    return f"{prefix}_{n}"


OPTIONS_TIP = "Options of a choice or multi, separated by commas"


def fields_table(fields: list[FieldDef], *, editable: bool, parent: QWidget) -> PartsTable:
    """Document fields: key, name, kind, options, shortcut, guideline."""
    def make(n: int) -> FieldDef:
        key = _new_key("field", [f.key for f in fields])
        return FieldDef(key, key.replace("_", " ").capitalize(), "choice", ["yes", "no"], order=n)

    def set_attr(name: str) -> Callable[[Any, Any], None]:
        return lambda record, value: setattr(record, name, value)

    table = PartsTable([
        Column("Key", lambda f: f.key, set_attr("key"), width=100),
        Column("Name", lambda f: f.name, set_attr("name"), width=110),
        Column("Kind", lambda f: f.kind, set_attr("kind"), "kind", 90),
        Column("Options", lambda f: f.options, set_attr("options"), "list", 190, OPTIONS_TIP),
        Column("Shortcut", lambda f: f.shortcut, set_attr("shortcut"), width=90,
               tip="Focuses the field in the strip above the article, e.g. Ctrl+Alt+R"),
        Column("Guideline", lambda f: f.guideline, set_attr("guideline"), width=200),
    ], make, "field", editable=editable, parent=parent)
    table.set_records(fields)
    return table


def relations_table(relations: list[RelationType], *, editable: bool, parent: QWidget) -> PartsTable:
    """Relation types: key, name, colour, from labels, to labels, directed."""
    def make(n: int) -> RelationType:
        key = _new_key("relation", [r.key for r in relations])
        return RelationType(key, key.replace("_", " ").capitalize(), OKABE_ITO[(n + 5) % len(OKABE_ITO)], order=n)

    def set_attr(name: str) -> Callable[[Any, Any], None]:
        return lambda record, value: setattr(record, name, value.upper() if name == "color" else value)

    ends_tip = "Label keys, separated by commas; empty: any label"
    table = PartsTable([
        Column("Key", lambda r: r.key, set_attr("key")),
        Column("Name", lambda r: r.name, set_attr("name"), width=120),
        Column("Colour", lambda r: r.color, set_attr("color"), width=90, tip="#RRGGBB"),
        Column("From labels", lambda r: r.sources, set_attr("sources"), "list", 190, ends_tip),
        Column("To labels", lambda r: r.targets, set_attr("targets"), "list", 190, ends_tip),
        Column("Directed", lambda r: r.directed, set_attr("directed"), "check", 70),
    ], make, "relation type", editable=editable, parent=parent)
    table.set_records(relations)
    return table


class AttributesEditor(QWidget):
    """A label picker over a table of that label's attribute definitions (key, kind, options, required)."""

    def __init__(self, labels: list[Label], *, editable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.labels = labels
        self.picker = QComboBox(self)
        self.picker.setObjectName("attributeLabel")

        def make(_n: int) -> AttributeDef:
            label = self.current_label()
            return AttributeDef(_new_key("attribute", [a.key for a in label.attributes] if label else []), "text")

        def set_attr(name: str) -> Callable[[Any, Any], None]:
            return lambda record, value: setattr(record, name, value)

        self.table = PartsTable([
            Column("Key", lambda a: a.key, set_attr("key"), width=140),
            Column("Kind", lambda a: a.kind, set_attr("kind"), "kind", 90),
            Column("Options", lambda a: a.options, set_attr("options"), "list", 260, OPTIONS_TIP),
            Column("Required", lambda a: a.required, set_attr("required"), "check", 80),
        ], make, "attribute", editable=editable, parent=self)
        row = QHBoxLayout()
        row.addWidget(QLabel("Attributes of label:", self))
        row.addWidget(self.picker, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        self.picker.currentIndexChanged.connect(self._show_label)
        self.refresh_labels()

    def current_label(self) -> Label | None:
        index = self.picker.currentIndex()
        return self.labels[index] if 0 <= index < len(self.labels) else None

    def refresh_labels(self) -> None:
        """The picker after labels were added, removed, renamed or reordered on the Labels tab."""
        current = self.current_label()
        self.picker.blockSignals(True)
        self.picker.clear()
        self.picker.addItems([f"{label.name} ({label.key})" for label in self.labels])
        index = next((n for n, label in enumerate(self.labels) if label is current), 0)
        self.picker.setCurrentIndex(index if self.labels else -1)
        self.picker.blockSignals(False)
        self._show_label()

    def pick(self, key: str) -> None:
        index = next((n for n, label in enumerate(self.labels) if label.key == key), -1)
        self.picker.setCurrentIndex(index)

    def _show_label(self) -> None:
        label = self.current_label()
        self.table.set_records(label.attributes if label is not None else [])
        self.table.add_button.setEnabled(self.table.editable and label is not None)


def parts_problems(labels: list[Label], fields: list[FieldDef]) -> list[str]:
    """What ``core.scheme.scheme_problems`` leaves to the scheme file's parser: keys, kinds and pick lists."""
    problems: list[str] = []
    for label in labels:
        for definition in label.attributes:
            problems.extend(_record_problems(f"Label {label.key}, attribute {definition.key or '(no key)'}",
                                             definition.key, definition.kind, definition.options))
    for n, field in enumerate(fields, 1):
        problems.extend(_record_problems(f"Field {n} ({field.key or 'no key'})", None, field.kind, field.options))
    return problems


def _record_problems(where: str, key: str | None, kind: str, options: list[str]) -> list[str]:
    problems: list[str] = []
    if key is not None:
        try:
            check_label_key(key)
        except AnnotatorError:
            problems.append(f"{where}: the key must start with a letter and use only letters, digits, '_', '.' "
                            "or '-' (no spaces).")
    if kind in KINDS_WITH_OPTIONS and not options:
        problems.append(f"{where}: a {kind} needs at least one option (separated by commas).")
    return problems
