"""The evidence window: every span of the corpus as a concordance line, filtered, sorted and grouped.

Opened from Tools → Evidence… It takes the main window's session and operations (architecture.md, "How to
add a view") and a callable that opens a document in the main window, so it never imports the window.
Filters become one :class:`EvidenceFilter` answered in SQL (``store.evidence``); "Group by" lists the
groups with their counts — labels, documents, sources, annotators, or claims (near-duplicate quotes,
``core.evidence.corroboration``) — and choosing one narrows the table to it. Enter (or a double click)
opens the passage in its article with the span selected; Relabel and Delete change the selected rows as
one undoable operation (``ui/ops/bulk_spans.py``). The Charts tab draws the same selection as SVG.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.evidence.corroboration import DEFAULT_THRESHOLD, claims
from annotator.core.evidence.model import EvidenceFilter, EvidenceRow, check_date, merge_passages
from annotator.core.wording import plural
from annotator.store import evidence as sql
from annotator.ui.common.workers import Worker
from annotator.ui.evidence.evidence_model import EvidenceModel
from annotator.ui.ops.bulk_spans import SpanRef, delete_spans, relabel_spans
from annotator.ui.ops.changes import Changes
from annotator.ui.ops.operations import Operations
from annotator.ui.ops.session import AnnotationSession

EVERYONE, GOLD_ONLY = "Every layer", "Gold (curated)"
GROUPINGS = (("No grouping", None), ("Label", "label"), ("Document", "document"), ("Source", "source"),
             ("Annotator", "annotator"), ("Claim (near-duplicate quotes)", "claim"))
FILTER_DELAY_MS = 150
MAX_CLAIM_ITEMS = 2000


class EvidenceView(QWidget):
    """A top-level window over the session's store."""

    claims_ready = Signal(int)
    """The claim list was filled (its number of rows), after grouping on the worker thread."""

    def __init__(self, session: AnnotationSession, ops: Operations, open_document: Callable[[int, str], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.session, self.ops, self.open_document = session, ops, open_document
        self.setWindowTitle("Evidence — every tagged passage")
        self.resize(1280, 760)
        self.model = EvidenceModel(session.store, self)
        self._base = EvidenceFilter()
        self._groups_generation = 0
        self._claims_worker: Worker | None = None
        self._group_filter: EvidenceFilter | None = None
        self._charts_stale = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FILTER_DELAY_MS)
        self._timer.timeout.connect(self.apply_filter)
        self._build()
        self.refresh_choices(sources=False)
        self.apply_filter()
        # The source list reads every document's row: fill it once the window shows, not before.
        QTimer.singleShot(0, self.refresh_choices)
        session.changed.connect(self._on_changed)

    # ================================================================== construction
    def _build(self) -> None:
        self.label_box = QComboBox(self)
        self.layer_box = QComboBox(self)
        self.marked_box = QSpinBox(self)
        self.marked_box.setRange(1, 50)
        self.marked_box.setPrefix("marked by ≥ ")
        self.marked_box.setSuffix(" analysts")
        self.source_box = QComboBox(self)
        self.since_edit, self.until_edit = QLineEdit(self), QLineEdit(self)
        self.since_edit.setPlaceholderText("from YYYY-MM-DD")
        self.until_edit.setPlaceholderText("to YYYY-MM-DD")
        self.attribute_edit = QLineEdit(self)
        self.attribute_edit.setPlaceholderText("attribute=value")
        self.quote_edit = QLineEdit(self)
        self.quote_edit.setPlaceholderText("Quote contains…")
        self.quote_edit.setClearButtonEnabled(True)
        for box in (self.label_box, self.layer_box, self.source_box):
            box.currentIndexChanged.connect(self._schedule)
        self.marked_box.valueChanged.connect(self._schedule)
        for edit in (self.since_edit, self.until_edit, self.attribute_edit, self.quote_edit):
            edit.textChanged.connect(self._schedule)
        filters = QHBoxLayout()
        for widget in (self.label_box, self.layer_box, self.marked_box, self.source_box, self.since_edit,
                       self.until_edit, self.attribute_edit, self.quote_edit):
            filters.addWidget(widget)
        filters.setStretch(7, 2)

        self.group_box = QComboBox(self)
        for text, key in GROUPINGS:
            self.group_box.addItem(text, key)
        self.group_box.currentIndexChanged.connect(lambda _i: self.refresh_groups())
        self.similarity_box = QDoubleSpinBox(self)
        self.similarity_box.setRange(0.05, 1.0)
        self.similarity_box.setSingleStep(0.05)
        self.similarity_box.setValue(DEFAULT_THRESHOLD)
        self.similarity_box.setPrefix("claims: similar ≥ ")
        self.similarity_box.setToolTip("How alike two quotes must be to count as one claim (docs/evidence.md)")
        self.similarity_box.valueChanged.connect(lambda _v: self.refresh_groups())
        self.relabel_box = QComboBox(self)
        self.relabel_button = QPushButton("Relabel selected", self)
        self.relabel_button.clicked.connect(self.relabel_selected)
        self.delete_button = QPushButton("Delete selected", self)
        self.delete_button.clicked.connect(self.delete_selected)
        self.report_button = QPushButton("Export report…", self)
        self.count_label = QLabel(self)
        actions = QHBoxLayout()
        actions.addWidget(QLabel("Group by", self))
        actions.addWidget(self.group_box)
        actions.addWidget(self.similarity_box)
        actions.addStretch(1)
        actions.addWidget(self.count_label)
        actions.addStretch(1)
        actions.addWidget(self.relabel_box)
        for button in (self.relabel_button, self.delete_button, self.report_button):
            actions.addWidget(button)

        self.table = QTableView(self)
        self.table.setModel(self.model)
        # No indicator first: enabling sorting sorts by the indicator's column, which would order the rows
        # by the left context (a sort of every matching span) while the header showed no order at all.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((230, 260, 230, 110, 160, 110, 80, 80, 100, 100)):
            header.resizeSection(col, width)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.open_action = QAction("Open passage", self.table)
        self.open_action.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        self.open_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.open_action.triggered.connect(lambda _c=False: self.open_row(self.table.currentIndex().row()))
        self.delete_action = QAction("Delete selected", self.table)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(lambda _c=False: self.delete_selected())
        self.table.addActions([self.open_action, self.delete_action])

        self.groups = QListWidget(self)
        self.groups.currentItemChanged.connect(self._group_chosen)
        self.groups.hide()
        self.charts = QWidget(self)
        self.chart_layout = QVBoxLayout(self.charts)
        scroll = QScrollArea(self)
        scroll.setWidget(self.charts)
        scroll.setWidgetResizable(True)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.table, "Passages")
        self.tabs.addTab(scroll, "Charts")
        self.tabs.currentChanged.connect(lambda _i: self.refresh_charts())
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.groups)
        split.addWidget(self.tabs)
        split.setSizes([300, 980])
        split.setStretchFactor(1, 1)
        column = QVBoxLayout(self)
        column.addLayout(filters)
        column.addLayout(actions)
        column.addWidget(split, 1)

    def refresh_choices(self, *, sources: bool = True) -> None:
        """Fill the filter boxes from the scheme and the store (keeping what is chosen)."""
        with self.session.store.session() as db:
            choices = sql.evidence_choices(db, sources=sources)
        labels = [(label.key, label.name, label.color) for label in self.session.scheme.labels]
        self.model.set_scheme(labels)
        _fill(self.label_box, [("Every label", None)] + [(name, key) for key, name, _c in labels])
        _fill(self.relabel_box, [(f"→ {name}", key) for key, name, _c in labels])
        _fill(self.layer_box, [(EVERYONE, None), (GOLD_ONLY, "gold")] + [
            (name, name) for name in choices["annotators"] if name != "gold"])
        if sources:
            _fill(self.source_box, [("Every source", None)] + [(s or "(no source)", s) for s in choices["sources"]])
        elif not self.source_box.count():
            self.source_box.addItem("Every source", None)

    # ================================================================== filtering
    def _schedule(self, *_args: Any) -> None:
        self._timer.start()

    def current_filter(self) -> EvidenceFilter | None:
        """The filter the boxes describe; None (and the reason shown) when a box holds something invalid."""
        try:
            since = check_date(self.since_edit.text(), "from")
            until = check_date(self.until_edit.text(), "to")
        except AnnotatorError as exc:
            self._problem(str(exc))
            return None
        attributes: tuple[tuple[str, str], ...] = ()
        text = self.attribute_edit.text().strip()
        if text:
            key, sep, value = text.partition("=")
            if not sep or not key.strip():
                self._problem("attribute filter: write key=value")
                return None
            attributes = ((key.strip(), value.strip()),)
        layer = self.layer_box.currentData()
        label = self.label_box.currentData()
        source = self.source_box.currentData()
        return EvidenceFilter(labels=(label,) if label else (), annotators=(layer,) if layer and layer != "gold" else (),
                              gold=layer == "gold", min_annotators=self.marked_box.value(),
                              sources=(source,) if source is not None else (), since=since, until=until,
                              attributes=attributes, quote=self.quote_edit.text())

    def _problem(self, text: str) -> None:
        self.count_label.setText(f"⚠ {text}")
        self.count_label.setStyleSheet("color: #b00020;")

    def apply_filter(self) -> None:
        """Re-query with the boxes' filter (and the chosen group), now."""
        self._timer.stop()
        flt = self.current_filter()
        if flt is None:
            return
        self._base = flt
        self._group_filter = None
        self.refresh_groups()
        self._show(flt)

    def _show(self, flt: EvidenceFilter) -> None:
        try:
            self.model.reload(flt)
        except AnnotatorError as exc:
            self._problem(str(exc))
            return
        self.count_label.setStyleSheet("")
        n = self.model.row_total()
        self.count_label.setText(f"{n:,} passage{'' if n == 1 else 's'}")  # with thousands separators
        self._charts_stale = True
        self.refresh_charts()

    # ================================================================== groups
    def refresh_groups(self) -> None:
        by = self.group_box.currentData()
        self.similarity_box.setVisible(by == "claim")
        self._groups_generation += 1
        self.groups.blockSignals(True)
        self.groups.clear()
        self.groups.setVisible(by is not None)
        if by == "claim":
            self._start_claims()
        elif by is not None:
            with self.session.store.session() as db:
                found = sql.evidence_groups(db, self._base, by)
            for key, name, count in found:
                shown = self.session.label_name(key) if by == "label" else (name or "(none)")
                self._add_group(f"{shown}  ({count:,})", sql.narrowed(self._base, by, key))
        self.groups.blockSignals(False)

    def _start_claims(self) -> None:
        """Group near-duplicate quotes into claims on a worker thread: on a large corpus it takes seconds."""
        generation, base, threshold = self._groups_generation, self._base, self.similarity_box.value()
        store, names = self.session.store, {lbl.key: lbl.name for lbl in self.session.scheme.labels}
        busy = QListWidgetItem("Grouping passages into claims…", self.groups)
        busy.setFlags(Qt.ItemFlag.NoItemFlags)

        def work(_progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> list[tuple[str, EvidenceFilter]]:
            with store.session() as db:
                passages = merge_passages(list(sql.report_passages(db, base)))
            rows = []
            for claim in claims(passages, threshold)[:MAX_CLAIM_ITEMS]:
                if cancelled():
                    break
                first = " ".join(claim.passages[0].quote.split())
                text = (f"{names.get(claim.label, claim.label)} · {plural(claim.documents, 'doc')} / "
                        f"{plural(claim.sources, 'source')} · {claim.earliest or 'undated'}\n{first[:90]}")
                ids = tuple(sorted(i for p in claim.passages for i in p.span_ids))
                rows.append((text, replace(base, span_ids=ids)))
            return rows

        if self._claims_worker is not None:
            self._claims_worker.cancel()
        worker = self._claims_worker = Worker(work, self)
        worker.succeeded.connect(lambda rows: self._claims_arrived(generation, rows))
        worker.failed.connect(lambda message: self._claims_arrived(generation, [], message))
        worker.finished.connect(worker.deleteLater)
        worker.start()

    def _claims_arrived(self, generation: int, rows: list[tuple[str, EvidenceFilter]], failure: str = "") -> None:
        if generation != self._groups_generation:
            return  # the grouping or the filter changed meanwhile: a newer computation is on its way
        self._claims_worker = None
        self.groups.blockSignals(True)
        self.groups.clear()
        if failure:
            self._problem(failure)
        for text, flt in rows:
            self._add_group(text, flt)
        self.groups.blockSignals(False)
        self.claims_ready.emit(len(rows))

    def wait_for_claims(self, msecs: int = 10000) -> None:
        """Let a running grouping end (before the window, and perhaps the store, goes away)."""
        if self._claims_worker is not None:
            self._claims_worker.cancel()
            self._claims_worker.wait(msecs)

    def _add_group(self, text: str, flt: EvidenceFilter) -> None:
        item = QListWidgetItem(text, self.groups)
        item.setData(Qt.ItemDataRole.UserRole, flt)
        item.setToolTip(text)

    def _group_chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None = None) -> None:
        self._group_filter = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        self._show(self._group_filter or self._base)

    # ================================================================== charts
    def refresh_charts(self) -> None:
        """Draw the charts of the shown selection (only when the Charts tab is visible)."""
        if not self._charts_stale or self.tabs.currentIndex() != 1:
            return
        from annotator.core.evidence.charts import all_charts

        with self.session.store.session() as db:
            data = sql.chart_counts(db, self.model.filter)
        labels = [(label.key, label.name, label.color) for label in self.session.scheme.labels]
        while self.chart_layout.count():
            item = self.chart_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for title, svg in all_charts(data, labels):
            chart = QSvgWidget(self.charts)
            chart.load(QByteArray(svg.encode("utf-8")))
            chart.setFixedSize(chart.renderer().defaultSize())
            chart.setToolTip(title)
            self.chart_layout.addWidget(chart)
        self.chart_layout.addStretch(1)
        self._charts_stale = False

    # ================================================================== acting on rows
    def selected_rows(self) -> list[EvidenceRow]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        found = [self.model.row_at(r) for r in rows]
        return [row for row in found if row is not None]

    def open_row(self, row: int) -> bool:
        """Open the passage of table row ``row`` in the main window, with its span selected."""
        found = self.model.row_at(row)
        if found is None:
            return False
        if not self.open_document(found.doc_pk, found.annotator):
            return False
        self.session.select_span(found.span_id)
        window = self.parentWidget()
        if window is not None:
            window.raise_()
            window.activateWindow()
        return True

    def _refs(self) -> list[SpanRef]:
        return [SpanRef(r.span_id, r.doc_pk, r.annotator) for r in self.selected_rows()]

    def relabel_selected(self) -> bool:
        label = self.relabel_box.currentData()
        refs = self._refs()
        if not refs or label is None:
            self.session.say("Select the passages to relabel first.")
            return False
        return relabel_spans(self.ops, refs, label)

    def delete_selected(self) -> bool:
        refs = self._refs()
        if not refs:
            self.session.say("Select the passages to delete first.")
            return False
        return delete_spans(self.ops, refs)

    # ================================================================== changes
    def _on_changed(self, changes: Changes) -> None:
        if changes.scheme:
            self.refresh_choices()
        if changes.spans or changes.corpus or changes.reload or changes.scheme:
            selected = self.table.currentIndex().row()
            self.refresh_groups()
            self._show(self._group_filter or self._base)
            if 0 <= selected < self.model.row_total():
                self.table.selectRow(selected)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.wait_for_claims()
        super().closeEvent(event)


def _fill(box: QComboBox, items: list[tuple[str, Any]]) -> None:
    """Replace a combo box's items, keeping the chosen one when it is still offered."""
    chosen = box.currentData()
    box.blockSignals(True)
    box.clear()
    for text, data in items:
        box.addItem(text, data)
    index = box.findData(chosen) if chosen is not None else 0
    box.setCurrentIndex(max(0, index))
    box.blockSignals(False)
