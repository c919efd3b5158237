"""The agreement window's Overview page: overall and per-label figures, pair matrices, and how to read them.

Each overall figure carries a one-line reading aid from ``core.agreement.reading`` (Krippendorff's
cut-offs for α, Landis & Koch's bands for κ), and the page says in one sentence why observed agreement and
AC1 are high when most text is unmarked — a number without its convention misleads more than it informs.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QComboBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.agreement import AgreementReport
from annotator.core.agreement.reading import UNMARKED_NOTE, kappa_reading, reading
from annotator.core.scheme import Scheme
from annotator.ui.agreement.heatmap import (
    HeatmapWidget,
    fit_height,
    format_figure,
    scale_colour,
    text_colour,
    wrap_header,
)

OVERALL_ROWS = (
    ("krippendorff_alpha", "Krippendorff's α (characters)"),
    ("fleiss_kappa", "Fleiss' κ"),
    ("gwet_ac1", "Gwet's AC1"),
    ("alpha_u", "Krippendorff's α_U (unitizing)"),
    ("cohen_kappa_mean", "Cohen's κ, mean of pairs"),
    ("span_f1_exact", "Span F1, exact (mean of pairs)"),
    ("span_f1_exact_unlabeled", "Span F1, exact boundaries, any label"),
    ("span_f1_overlap", "Span F1, overlap (mean of pairs)"),
)
PER_LABEL_COLUMNS = (
    ("krippendorff_alpha", "α"),
    ("cohen_kappa_mean", "Cohen's κ (mean)"),
    ("alpha_u", "α_U"),
    ("span_f1_exact", "F1 exact"),
    ("span_f1_overlap", "F1 overlap"),
)
PAIR_MEASURES = (
    ("span_f1_overlap", "Span F1 (overlap)"),
    ("span_f1_exact", "Span F1 (exact)"),
    ("span_f1_exact_unlabeled", "Span F1 (exact boundaries, any label)"),
)



def _figure_item(value: float | None, coloured: bool = True) -> QTableWidgetItem:
    item = QTableWidgetItem(format_figure(value))
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if coloured:
        colour = scale_colour(value, 0.0, 1.0)
        item.setBackground(colour)
        item.setForeground(text_colour(colour))
    return item


def _read_only_table(rows: int, headers: list[str], parent: QWidget) -> QTableWidget:
    table = QTableWidget(rows, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    for column, text in enumerate(headers):
        header = table.horizontalHeaderItem(column)
        if header is not None:
            header.setToolTip(text)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    return table



SIDE_BY_SIDE_WIDTH = 1100
"""Below this width (px) the overall and per-label tables stand one above the other."""


class OverviewPage(QWidget):
    """Overall and per-label figures above the pair matrices: the whole picture on one page."""

    def __init__(self, scheme: Scheme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scheme = scheme
        self.report: AgreementReport | None = None
        self._build()

    def _build(self) -> None:
        page = self
        self.overall_table = _read_only_table(len(OVERALL_ROWS), ["Measure", "Value", "How to read it"], page)
        self.overall_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.overall_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.overall_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.overall_table.setColumnWidth(1, 70)
        self.overall_table.setWordWrap(False)
        for r, (_key, name) in enumerate(OVERALL_ROWS):
            self.overall_table.setItem(r, 0, QTableWidgetItem(name))
        self.per_label_table = _read_only_table(
            0, ["Label", *[h for _k, h in PER_LABEL_COLUMNS], "Characters"], page)
        self.per_label_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # Label names are never cut; the figures share what is left and their headings wrap.
        self.per_label_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for table in (self.overall_table, self.per_label_table):
            table.verticalHeader().setDefaultSectionSize(28)
            table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
            table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            wrap_header(table, fit=True)
        fit_height(self.overall_table)
        self.kappa_map = HeatmapWidget("Cohen's κ per pair (characters)", page)
        self.f1_map = HeatmapWidget("Span F1 per pair", page)
        self.f1_measure = QComboBox(page)
        for key, name in PAIR_MEASURES:
            self.f1_measure.addItem(name, key)
        self.f1_measure.currentIndexChanged.connect(lambda _i: self._fill_pairs())
        self.unmarked_note = QLabel(UNMARKED_NOTE, page)
        self.unmarked_note.setWordWrap(True)
        self.kappa_reading = QLabel(page)
        self.kappa_reading.setWordWrap(True)
        overall = QVBoxLayout()
        overall.addWidget(QLabel("<b>Overall</b>", page))
        overall.addWidget(self.overall_table)
        overall.addWidget(self.unmarked_note)
        overall.addStretch(1)
        per_label = QVBoxLayout()
        per_label.addWidget(QLabel("<b>Per label</b>", page))
        per_label.addWidget(self.per_label_table)
        per_label.addStretch(1)
        # Side by side on a wide screen, one above the other on a narrow one (see resizeEvent).
        self.figures_row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.figures_row.addLayout(overall, 2)
        self.figures_row.addLayout(per_label, 3)
        self.figures_row.setSpacing(12)
        kappa_box = QVBoxLayout()
        kappa_box.addWidget(self.kappa_map)
        kappa_box.addWidget(self.kappa_reading)
        kappa_box.addStretch(1)
        f1_box = QVBoxLayout()
        f1_box.addWidget(self.f1_map)
        f1_box.addWidget(self.f1_measure)
        f1_box.addStretch(1)
        self.pairs_row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.pairs_row.addLayout(kappa_box, 1)
        self.pairs_row.addLayout(f1_box, 1)
        self.pairs_row.setSpacing(12)
        layout = QVBoxLayout(page)
        layout.addLayout(self.figures_row)
        layout.addLayout(self.pairs_row, 1)
        layout.setSpacing(10)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        """Stack the figure tables below :data:`SIDE_BY_SIDE_WIDTH` and the pair maps below half of it."""
        super().resizeEvent(event)
        width = event.size().width()
        wide, narrow = QBoxLayout.Direction.LeftToRight, QBoxLayout.Direction.TopToBottom
        self.figures_row.setDirection(wide if width >= SIDE_BY_SIDE_WIDTH else narrow)
        self.pairs_row.setDirection(wide if width >= SIDE_BY_SIDE_WIDTH // 2 else narrow)

    def show_report(self, r: AgreementReport) -> None:
        self.report = r
        values = {**r.overall, **r.overall_extra}
        for row, (key, _name) in enumerate(OVERALL_ROWS):
            self.overall_table.setItem(row, 1, _figure_item(values.get(key)))
            aid = QTableWidgetItem(reading(key, values.get(key)))
            aid.setToolTip(aid.text())
            self.overall_table.setItem(row, 2, aid)
        self.per_label_table.setRowCount(len(r.labels))
        for row, key in enumerate(r.labels):
            lr = r.per_label[key]
            label = self.scheme.get(key)
            self.per_label_table.setItem(row, 0, QTableWidgetItem(label.name if label else key))
            for c, (attr, _h) in enumerate(PER_LABEL_COLUMNS, 1):
                self.per_label_table.setItem(row, c, _figure_item(getattr(lr, attr)))
            count = QTableWidgetItem(f"{lr.characters:,}")
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.per_label_table.setItem(row, len(PER_LABEL_COLUMNS) + 1, count)
        fit_height(self.per_label_table)
        self._fill_pairs()

    def pair_matrix(self, measure: str) -> list[list[float | None]]:
        """Annotator × annotator values of a pair measure (the diagonal is left undefined)."""
        r = self.report
        if r is None:
            return []
        index = {name: i for i, name in enumerate(r.annotators)}
        n = len(r.annotators)
        matrix: list[list[float | None]] = [[None] * n for _ in range(n)]
        for pair in r.pairs:
            a, b = index[pair.annotators[0]], index[pair.annotators[1]]
            matrix[a][b] = matrix[b][a] = getattr(pair, measure)
        return matrix

    def _fill_pairs(self) -> None:
        r = self.report
        if r is None:
            return
        self.kappa_map.set_matrix(r.annotators, r.annotators, self.pair_matrix("cohen_kappa"), 0.0, 1.0,
                                  "κ (below 0 shown as 0)")
        kappas = [p.cohen_kappa for p in r.pairs if p.cohen_kappa is not None]
        mean = sum(kappas) / len(kappas) if kappas else None
        self.kappa_reading.setText(f"Mean κ {format_figure(mean)}: {kappa_reading(mean)}. Bands: below 0 poor, "
                                   "to .20 slight, .40 fair, .60 moderate, .80 substantial, above almost perfect.")
        measure = str(self.f1_measure.currentData())
        self.f1_map.title.setText(f"<b>{html.escape(self.f1_measure.currentText())} per pair</b>")
        self.f1_map.set_matrix(r.annotators, r.annotators, self.pair_matrix(measure), 0.0, 1.0, "F1")

