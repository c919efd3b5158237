"""The agreement view: choose who and what to compare, compute off the UI thread, read the figures.

The choice (annotators, labels, documents, in-progress layers) goes to ``store.agreement_scope.run_agreement``
(the job the command line runs too: scope rules, then ``compute_agreement``) inside a worker thread, with
its progress and cancel callbacks; the widgets only ever see the finished
report, delivered by a queued signal. Tables adapt the report (Qt models over its lists), the
per-document table sorts worst-first through a ``QSortFilterProxyModel``, and activating a
disagreement opens the curation view on that document with every version visible.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.agreement import AgreementReport, Disagreement, render_html
from annotator.core.errors import AnnotatorError
from annotator.store.agreement_scope import candidate_annotators
from annotator.ui.agreement.agreement_job import AgreementRun, agreement_work
from annotator.ui.agreement.heatmap import HeatmapWidget, format_count, wrap_header
from annotator.ui.agreement.models import SORT_ROLE, DisagreementsModel, DocumentsModel
from annotator.ui.agreement.overview import OVERALL_ROWS, PAIR_MEASURES, PER_LABEL_COLUMNS, OverviewPage
from annotator.ui.agreement.structure_page import StructurePage
from annotator.ui.common.palette_colours import message_colour
from annotator.ui.common.window_fit import fit_to_screen
from annotator.ui.common.workers import Worker
from annotator.ui.ops.session import AnnotationSession

__all__ = ["OVERALL_ROWS", "PAIR_MEASURES", "PER_LABEL_COLUMNS", "AgreementView", "DisagreementsModel",
           "DocumentsModel", "agreement_work"]
PREFERRED_SIZE = (1320, 860)
LIST_ROWS_SHOWN = 8
"""The annotator and label lists grow to this many rows before they scroll."""

def fit_list(widget: QListWidget, rows: int | None = None) -> None:
    """Make a short list as tall as its rows (up to :data:`LIST_ROWS_SHOWN`), so no row is half hidden."""
    shown = min(max(rows if rows is not None else widget.count(), 1), LIST_ROWS_SHOWN)
    row = widget.sizeHintForRow(0) if widget.count() else widget.fontMetrics().height() + 6
    widget.setFixedHeight(row * shown + 2 * widget.frameWidth() + 2)


# ================================================================================ the view
Curate = Callable[[Sequence[str], Sequence[int], "int | None", "tuple[int, int] | None"], Any]
"""Opens (or raises) the curation window: analysts, documents, the document to show, the range to focus."""


class AgreementView(QDialog):
    """Compare annotators on the documents they have finished; open disagreements for curation."""

    computed = Signal(object)
    """A report is shown (its :class:`AgreementRun`)."""
    compute_failed = Signal(str)
    disagreement_activated = Signal(int, int, int)
    """Document pk, start, end (code points) of a disagreement the user opened."""

    def __init__(self, session: AnnotationSession, parent: QWidget | None = None, *,
                 curate: Curate | None = None, curate_all: Callable[[], Any] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Agreement — annotator")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.session = session
        self.store = session.store
        self.annotator = session.annotator
        self._curate = curate
        self._curate_all = curate_all
        self.run: AgreementRun | None = None
        self.worker: Worker | None = None
        self.curation: Any = None
        self.last_error = ""
        self.scheme = session.scheme
        self._build()
        self.reload_annotators()
        self.disagreement_activated.connect(self.open_curation)
        # A separate top-level window: the main window's Tools → Curate… shortcut does not reach it.
        self.curate_action = QAction("Curate…", self)
        self.curate_action.setShortcut("Ctrl+Shift+G")
        self.curate_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.curate_action.setStatusTip("Curate the compared analysts' documents (at the selected disagreement)")
        self.curate_action.triggered.connect(lambda _checked=False: self.curate())
        self.addAction(self.curate_action)
        fit_to_screen(self, *PREFERRED_SIZE)

    # ------------------------------------------------------------------ construction
    def _build(self) -> None:
        choose = QGroupBox("Compare", self)
        grid = QGridLayout(choose)
        self.annotator_list = QListWidget(choose)
        self.label_list = QListWidget(choose)
        for lbl in self.scheme.labels:
            item = QListWidgetItem(lbl.name)
            item.setData(Qt.ItemDataRole.UserRole, lbl.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.label_list.addItem(item)
        fit_list(self.label_list)
        self.doc_filter = QLineEdit(choose)
        self.doc_filter.setPlaceholderText("all documents in scope (or: part of an id or title)")
        self.include_in_progress = QCheckBox("Include layers still in progress", choose)
        self.include_in_progress.toggled.connect(lambda _on: self.reload_annotators())
        self.exclude_whitespace = QCheckBox("Leave whitespace out of character units", choose)
        self.compute_button = QPushButton("Compute", choose)
        self.compute_button.setDefault(True)
        self.compute_button.clicked.connect(self.compute)
        self.cancel_button = QPushButton("Cancel", choose)
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar(choose)
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setTextVisible(False)
        self.progress_text = QLabel("", choose)
        grid.addWidget(QLabel("Annotators", choose), 0, 0)
        grid.addWidget(QLabel("Labels", choose), 0, 1)
        grid.addWidget(QLabel("Documents", choose), 0, 2)
        grid.addWidget(self.annotator_list, 1, 0, 3, 1)
        grid.addWidget(self.label_list, 1, 1, 3, 1)
        grid.addWidget(self.doc_filter, 1, 2)
        grid.addWidget(self.include_in_progress, 2, 2)
        grid.addWidget(self.exclude_whitespace, 3, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.compute_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.progress_text)
        grid.addLayout(buttons, 4, 0, 1, 3)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 2)

        self.summary = QLabel("Choose annotators and press Compute.", self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.save_button = QPushButton("Save HTML report…", self)
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save_html_dialog)
        head = QHBoxLayout()
        head.addWidget(self.summary, 1)
        head.addWidget(self.save_button)

        self.tabs = QTabWidget(self)
        overview = QScrollArea(self)  # in a short window the page scrolls instead of its tables overlapping
        overview.setWidgetResizable(True)
        overview.setFrameShape(QFrame.Shape.NoFrame)
        self.overview = OverviewPage(self.scheme, self)
        self.overall_table, self.per_label_table = self.overview.overall_table, self.overview.per_label_table
        self.kappa_map, self.f1_map, self.f1_measure = (self.overview.kappa_map, self.overview.f1_map,
                                                        self.overview.f1_measure)
        overview.setWidget(self.overview)
        self.tabs.addTab(overview, "Overview")
        self.tabs.addTab(self._confusion_tab(), "Confusion")
        self.tabs.addTab(self._documents_tab(), "Documents")
        self.tabs.addTab(self._disagreements_tab(), "Disagreements")
        self.structure = StructurePage(self.scheme, self)
        self.tabs.addTab(self.structure.scrolling(), "Fields and relations")
        self.tabs.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addWidget(choose)
        layout.addLayout(head)
        layout.addWidget(self.tabs, 1)

    def _confusion_tab(self) -> QWidget:
        page = QWidget(self)
        self.confusion_map = HeatmapWidget("Label confusion (overlapping spans, summed over pairs)", page)
        note = QLabel("Rows: the first annotator of each pair (alphabetical); columns: the second. "
                      "“O”: a span the other annotator had nothing overlapping.", page)
        note.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addWidget(self.confusion_map, 1)
        layout.addWidget(note)
        return page

    def _documents_tab(self) -> QWidget:
        page = QWidget(self)
        self.documents_model = DocumentsModel(page)
        self.documents_proxy = QSortFilterProxyModel(page)
        self.documents_proxy.setSourceModel(self.documents_model)
        self.documents_proxy.setSortRole(SORT_ROLE)
        self.documents_proxy.setFilterKeyColumn(-1)
        self.documents_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.documents_table = QTableView(page)
        self.documents_table.setModel(self.documents_proxy)
        self.documents_table.setSortingEnabled(True)
        self.documents_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.documents_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.documents_table.verticalHeader().setVisible(False)
        self.documents_table.setWordWrap(False)
        header = self.documents_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        wrap_header(self.documents_table)
        self.documents_table.activated.connect(self._document_activated)
        search = QLineEdit(page)
        search.setPlaceholderText("Filter documents…")
        search.textChanged.connect(self.documents_proxy.setFilterFixedString)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("Worst agreement first (click a header to sort; double-click to curate)", page))
        layout.addWidget(search)
        layout.addWidget(self.documents_table, 1)
        return page

    def _disagreements_tab(self) -> QWidget:
        page = QWidget(self)
        self.disagreements_model = DisagreementsModel(page)
        self.disagreements_model.names = {lbl.key: lbl.name for lbl in self.scheme.labels}
        self.disagreements_table = QTableView(page)
        self.disagreements_table.setModel(self.disagreements_model)
        self.disagreements_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.disagreements_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.disagreements_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.disagreements_table.verticalHeader().setVisible(False)
        self.disagreements_table.setWordWrap(False)
        wrap_header(self.disagreements_table)
        self.disagreements_table.activated.connect(self._disagreement_activated)
        self.disagreements_note = QLabel(page)
        open_button = QPushButton("Open in curation", page)
        open_button.clicked.connect(lambda: self._disagreement_activated(self.disagreements_table.currentIndex()))
        row = QHBoxLayout()
        row.addWidget(self.disagreements_note, 1)
        row.addWidget(open_button)
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(self.disagreements_table, 1)
        return page

    # ------------------------------------------------------------------ choices
    def reload_annotators(self) -> None:
        """Candidates for the current in-progress choice; earlier unchecks are kept."""
        unchecked = {self.annotator_list.item(i).text() for i in range(self.annotator_list.count())
                     if self.annotator_list.item(i).checkState() != Qt.CheckState.Checked}
        with self.store.session() as session:
            names = candidate_annotators(session, self.include_in_progress.isChecked())
        self.annotator_list.clear()
        for name in names:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked if name in unchecked else Qt.CheckState.Checked)
            self.annotator_list.addItem(item)
        rows = max(self.annotator_list.count(), self.label_list.count(), 3)
        fit_list(self.annotator_list, rows)
        fit_list(self.label_list, rows)
        if not names:
            self.summary.setText("No annotator has a layer marked done yet"
                                 + ("." if self.include_in_progress.isChecked()
                                    else " (tick “Include layers still in progress” to compare unfinished work)."))

    @staticmethod
    def _checked(widget: QListWidget, role: int = Qt.ItemDataRole.DisplayRole) -> list[str]:
        return [str(widget.item(i).data(role)) for i in range(widget.count())
                if widget.item(i).checkState() == Qt.CheckState.Checked]

    def chosen_annotators(self) -> list[str]:
        return self._checked(self.annotator_list)

    def chosen_labels(self) -> list[str]:
        return self._checked(self.label_list, Qt.ItemDataRole.UserRole)

    # ------------------------------------------------------------------ computing
    def compute(self) -> bool:
        """Start the computation on a worker thread; False when the choice cannot be computed."""
        if self.worker is not None:
            return False
        names, labels = self.chosen_annotators(), self.chosen_labels()
        if len(names) < 2:
            self._fail("Tick at least two annotators to compare.")
            return False
        if not labels:
            self._fail("Tick at least one label.")
            return False
        work = agreement_work(self.store, names, labels, self.doc_filter.text(),
                              self.include_in_progress.isChecked(), self.exclude_whitespace.isChecked(),
                              viewer=self.annotator)
        worker = Worker(work, self)
        worker.progressed.connect(self._on_progress)
        worker.succeeded.connect(self._on_result)
        worker.failed.connect(self._fail)
        worker.finished.connect(self._on_finished)
        self.worker = worker
        self.compute_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setValue(0)
        self.progress_text.setText("Starting…")
        worker.start()
        return True

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.progress_text.setText("Cancelling…")

    def _on_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(fraction * 1000))
        self.progress_text.setText(message)

    def _on_finished(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.deleteLater()
        self.compute_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _fail(self, message: str) -> None:
        self.last_error = message
        self.progress_text.setText("")
        self.progress.setValue(0)
        colour = message_colour(self.palette(), error=True).name()
        self.summary.setText(f"<span style='color:{colour}'>{html.escape(message)}</span>")
        self.compute_failed.emit(message)

    def _on_result(self, run: AgreementRun) -> None:
        self.run = run
        self.progress.setValue(1000)
        self.progress_text.setText("Done")
        self.show_report(run)
        self.computed.emit(run)

    # ------------------------------------------------------------------ showing
    @property
    def report(self) -> AgreementReport | None:
        return self.run.report if self.run else None

    def show_report(self, run: AgreementRun) -> None:
        r = run.report
        self.summary.setText(
            f"<b>{len(r.annotators)} annotators</b> ({html.escape(', '.join(r.annotators))}) · "
            f"<b>{r.documents:,}</b> documents · <b>{r.characters:,}</b> characters"
            f"{' (whitespace left out)' if r.exclude_whitespace else ''} · "
            f"{r.disagreements_total:,} disagreements")
        self.overview.show_report(r)
        self.structure.show_report(r)
        names = r.confusion_labels
        display = [(label.name if (label := self.scheme.get(k)) else k) for k in names]
        top = max((max(row) for row in r.confusion), default=0) or 1
        self.confusion_map.set_matrix(display, display, [[float(v) for v in row] for row in r.confusion],
                                      0.0, float(top), "span pairs", format_count)
        self.documents_model.set_rows(r.per_document, run.titles)
        self.documents_table.sortByColumn(3, Qt.SortOrder.AscendingOrder)
        self.disagreements_model.set_items(r.disagreements, r.annotators, run.titles)
        shown = len(r.disagreements)
        self.disagreements_note.setText(
            f"{r.disagreements_total:,} disagreements" + (f" (first {shown:,} listed)" if shown < r.disagreements_total
                                                           else "") + " — double-click one to curate that document")
        table = self.disagreements_table
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.resizeColumnsToContents()
        table.setColumnWidth(2, min(table.columnWidth(2), 320))
        # The context takes the width that is left (its cell tooltip has all of it): sized to its contents it
        # pushed the table, and the "Context" heading with it, past the right edge of a narrow window.
        header.setSectionResizeMode(header.count() - 1, QHeaderView.ResizeMode.Stretch)
        self.tabs.setEnabled(True)
        self.save_button.setEnabled(True)

    def pair_matrix(self, measure: str) -> list[list[float | None]]:
        """Annotator × annotator values of a pair measure (the diagonal is left undefined)."""
        return self.overview.pair_matrix(measure)

    # ------------------------------------------------------------------ navigation
    def _document_activated(self, index: QModelIndex) -> None:
        if not index.isValid() or self.run is None:
            return
        doc_id = self.documents_proxy.data(index, Qt.ItemDataRole.UserRole)
        pk = self.run.doc_pks.get(str(doc_id))
        if pk is not None:
            first = self.run.report.disagreements_in(str(doc_id))
            span = (first[0].start, first[0].end) if first else (0, 0)
            self.disagreement_activated.emit(pk, *span)

    def _disagreement_activated(self, index: QModelIndex) -> None:
        if not index.isValid() or self.run is None:
            return
        item = self.disagreements_model.data(index, Qt.ItemDataRole.UserRole)
        if not isinstance(item, Disagreement):
            return
        pk = self.run.doc_pks.get(item.doc_id)
        if pk is not None:
            self.disagreement_activated.emit(pk, item.start, item.end)

    def scope_pks(self) -> list[int]:
        """The documents of the report, in ``doc_id`` order (the curation view steps through these)."""
        if self.run is None:
            return []
        return [self.run.doc_pks[d] for d in self.run.report.doc_ids if d in self.run.doc_pks]

    def curate(self) -> Any:
        """Ctrl+Shift+G here: curate what the report compared, at the selected disagreement or document;
        before a report, the same as Tools → Curate…."""
        if self.run is None:
            if self._curate_all is not None:
                return self._curate_all()
            self._fail("Compute the agreement first: curation opens on the documents it compared.")
            return None
        if self.tabs.currentWidget() is self.disagreements_table.parentWidget():
            index = self.disagreements_table.currentIndex()
            if index.isValid():
                self._disagreement_activated(index)
                return self.curation
        index = self.documents_table.currentIndex()
        page = self.documents_table.parentWidget()
        if page is not None and self.tabs.currentIndex() == self.tabs.indexOf(page) and index.isValid():
            self._document_activated(index)
            return self.curation
        pks = self.scope_pks()
        if not pks:
            self._fail("The report has no documents to curate.")
            return None
        first = self.run.report.disagreements[0] if self.run.report.disagreements else None
        if first is not None and first.doc_id in self.run.doc_pks:
            return self.open_curation(self.run.doc_pks[first.doc_id], first.start, first.end)
        return self.open_curation(pks[0], 0, 0)

    def open_curation(self, doc_pk: int, start: int, end: int) -> Any:
        """Show the curation window on ``doc_pk`` at the disagreement (the main window's one, when it has one)."""
        if self.run is None:
            return None
        if self._curate is None:  # on its own (no main window): it keeps a curation window of its own
            from annotator.ui.agreement.agreement_tools import AgreementTools

            self._curate = AgreementTools(self.session, self).curate
        focus = (start, max(end, start + 1)) if end > start else None
        self.curation = self._curate(self.run.report.annotators, self.scope_pks(), doc_pk, focus)
        return self.curation

    # ------------------------------------------------------------------ files
    def save_html(self, path: Path) -> None:
        if self.report is None:
            raise AnnotatorError("compute the agreement first")
        try:
            path.write_text(render_html(self.report), encoding="utf-8")
        except OSError as exc:
            raise AnnotatorError(f"cannot write ({exc.strerror or exc})", path=str(path)) from None

    def save_html_dialog(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Save HTML report", "agreement.html", "HTML (*.html)")
        if not name:
            return
        try:
            self.save_html(Path(name))
        except AnnotatorError as exc:
            self._fail(str(exc))
        else:
            self.progress_text.setText(f"Saved {Path(name).name}")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self._stop_worker()
        super().closeEvent(event)

    def done(self, result: int) -> None:
        self._stop_worker()
        super().done(result)

    def _stop_worker(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.worker.wait(10_000)
