"""The agreement window's "Fields & relations" page: document fields, relation F1 per pair, typed attributes.

A scheme with document fields, relation types or typed attributes asks analysts for judgements the span
figures do not cover (core/agreement/structure.py computes them); this page shows each part the scheme
has as a small table, with the rule it was computed by in one line above it, and says plainly when the
scheme has none, so an empty page is never mistaken for perfect agreement.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.agreement import AgreementReport
from annotator.core.scheme import Scheme
from annotator.ui.agreement.heatmap import fit_height, format_figure, wrap_header
from annotator.ui.agreement.overview import _figure_item, _read_only_table

FIELD_HEADERS = ["Field", "Kind", "Documents", "α", "Cohen's κ (mean)", "Same value"]
RELATION_HEADERS = ["Pair", "F1 (exact)", "tp", "fp", "fn"]
ATTRIBUTE_HEADERS = ["Label", "Attribute", "Same value", "Compared", "One-sided"]
NONE_NOTE = ("The scheme has no document fields, relation types or typed attributes: there is nothing to "
             "compare beyond the spans.")


def _count(value: int) -> QTableWidgetItem:
    item = QTableWidgetItem(f"{value:,}")
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class StructurePage(QWidget):
    """Three headed tables; a part the scheme lacks is hidden with its heading."""

    def __init__(self, scheme: Scheme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scheme = scheme
        self.fields_heading = QLabel("<b>Document fields</b>", self)
        self.fields_note = QLabel(
            "On the documents where every compared analyst gave a value. Choice and yes/no fields: nominal α "
            "and Cohen's κ; numbers: interval α (κ is not defined); each option of a multiple choice is "
            "compared as yes/no. Text and date fields are not compared.", self)
        self.fields_table = _read_only_table(0, FIELD_HEADERS, self)
        self.relations_heading = QLabel("<b>Relations</b>", self)
        self.relations_note = QLabel(self)
        self.relations_table = _read_only_table(0, RELATION_HEADERS, self)
        self.attributes_heading = QLabel("<b>Typed attributes</b>", self)
        self.attributes_note = QLabel(
            "On spans both analysts marked exactly alike (start, end, label), pooled over pairs: the share with "
            "equal values. One-sided: only one of the two spans has a value.", self)
        self.attributes_table = _read_only_table(0, ATTRIBUTE_HEADERS, self)
        self.none_note = QLabel(NONE_NOTE, self)
        layout = QVBoxLayout(self)
        for widget in (self.none_note, self.fields_heading, self.fields_note, self.fields_table,
                       self.relations_heading, self.relations_note, self.relations_table,
                       self.attributes_heading, self.attributes_note, self.attributes_table):
            if isinstance(widget, QLabel):
                widget.setWordWrap(True)
            else:
                widget.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
                widget.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
                widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                wrap_header(widget, fit=True)
            layout.addWidget(widget)
        layout.addStretch(1)

    def scrolling(self) -> QScrollArea:
        """The page in a scroll area (as the tab shows it): many fields scroll instead of squeezing rows."""
        area = QScrollArea(self.parentWidget())
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(self)
        return area

    def _field_name(self, key: str) -> str:
        base, _, option = key.partition(":")
        definition = self.scheme.field_def(base)
        name = definition.name if definition else base
        return f"{name}: {option}" if option else name

    def show_report(self, r: AgreementReport) -> None:
        fields = r.doc_fields or {}
        self.fields_table.setRowCount(len(fields))
        for row, (key, field) in enumerate(fields.items()):
            name = QTableWidgetItem(self._field_name(key))
            name.setToolTip(key)
            self.fields_table.setItem(row, 0, name)
            self.fields_table.setItem(row, 1, QTableWidgetItem(field.kind))
            self.fields_table.setItem(row, 2, _count(field.documents))
            self.fields_table.setItem(row, 3, _figure_item(field.krippendorff_alpha))
            self.fields_table.setItem(row, 4, _figure_item(field.cohen_kappa_mean))
            self.fields_table.setItem(row, 5, _figure_item(field.observed_agreement))
        pairs = r.relations.pairs if r.relations else []
        self.relations_table.setRowCount(len(pairs))
        for row, pair in enumerate(pairs):
            self.relations_table.setItem(row, 0, QTableWidgetItem(" / ".join(pair.annotators)))
            self.relations_table.setItem(row, 1, _figure_item(pair.f1))
            for column, value in enumerate((pair.tp, pair.fp, pair.fn), 2):
                self.relations_table.setItem(row, column, _count(value))
        mean = format_figure(r.relations.span_f1_exact) if r.relations else "—"
        self.relations_note.setText(
            f"Mean F1 <b>{html.escape(mean)}</b>. Two relations match when both end spans match exactly (start, "
            "end, label) and the type is the same; the first analyst of a pair is the reference for fp and fn.")
        attributes = r.attributes or {}
        self.attributes_table.setRowCount(len(attributes))
        for row, (key, result) in enumerate(attributes.items()):
            label_key, _, attribute = key.partition(":")
            label = self.scheme.get(label_key)
            self.attributes_table.setItem(row, 0, QTableWidgetItem(label.name if label else label_key))
            self.attributes_table.setItem(row, 1, QTableWidgetItem(attribute))
            self.attributes_table.setItem(row, 2, _figure_item(result.agreement))
            self.attributes_table.setItem(row, 3, _count(result.compared))
            self.attributes_table.setItem(row, 4, _count(result.one_sided))
        parts = ((r.doc_fields, (self.fields_heading, self.fields_note, self.fields_table)),
                 (r.relations, (self.relations_heading, self.relations_note, self.relations_table)),
                 (r.attributes, (self.attributes_heading, self.attributes_note, self.attributes_table)))
        for present, widgets in parts:
            for widget in widgets:
                widget.setVisible(present is not None)
        self.none_note.setVisible(all(present is None for present, _w in parts))
        for table in (self.fields_table, self.relations_table, self.attributes_table):
            fit_height(table)
