"""The team dashboard window: per analyst assigned, done, approved, returned, spans per hour of work, label
drift and agreement, with a label-mix chart and an agreement-over-time chart, exportable as CSV.

Why this shape: a lead checks who is behind and who drifts, then acts in the main window, so this is a
read-only window beside it. Its figures come from ``store.dashboard.dashboard`` — SQL aggregates, but on
a large corpus still a noticeable read — run on a worker thread (``ui/common/workers.py``) so the window
opens at once and stays responsive; any change in the session (``session.changed``) schedules one new
read, and an answer that a newer read has overtaken is dropped. Choosing a row shows that analyst in the
label chart and thickens their line in the agreement chart.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.team_stats import AnalystFigures, DashboardData, dashboard_csv
from annotator.core.wording import plural
from annotator.ui.common.flat_table import FlatTableModel, Index
from annotator.ui.common.workers import Worker
from annotator.ui.ops.changes import Changes
from annotator.ui.ops.session import AnnotationSession
from annotator.ui.team.dashboard_charts import AgreementChart, LabelMixChart

REFRESH_DELAY_MS = 400
"""Edits in a row (a burst of tagging) cause one re-read, this long after the last one."""


def _number(value: float | None, digits: int) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


class DashboardModel(FlatTableModel):
    """One row per analyst; numbers right-aligned, missing figures shown as a dash."""

    columns: ClassVar[tuple[str, ...]] = ("Analyst", "Assigned", "Done", "Approved", "Returned", "Spans", "Hours",
                                          "Spans / hour", "Label drift", "Exact F1", "Overlap F1", "Shared docs")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_: DashboardData | None = None

    def set_data(self, data: DashboardData | None) -> None:
        self.beginResetModel()
        self.data_ = data
        self.endResetModel()

    def row_total(self) -> int:
        return len(self.data_.analysts) if self.data_ else 0

    def analyst(self, row: int) -> AnalystFigures | None:
        if self.data_ is None or not 0 <= row < len(self.data_.analysts):
            return None
        return self.data_.analysts[row]

    def cells(self, a: AnalystFigures) -> list[str]:
        assert self.data_ is not None
        last = a.agreement[-1] if a.agreement else None
        return [a.name, f"{a.assigned:,}", f"{a.done:,}", f"{a.approved:,}", f"{a.returned:,}", f"{a.spans:,}",
                f"{a.hours:.1f}", _number(a.spans_per_hour, 1), _number(self.data_.drift(a), 2),
                _number(last.exact if last else None, 2), _number(last.overlap if last else None, 2),
                f"{sum(p.documents for p in a.agreement):,}"]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        a = self.analyst(index.row())
        if a is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cells(a)[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (9, 10) and a.agreement:
            return f"Latest week ({a.agreement[-1].period}); {len(a.agreement)} weeks in the chart"
        return None


class DashboardView(QWidget):
    """The dashboard window; ``loaded`` fires after each read has been shown (or has failed)."""

    loaded = Signal()

    def __init__(self, session: AnnotationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.session = session
        self.setWindowTitle("Team dashboard")
        self.setObjectName("team_dashboard")
        self.data: DashboardData | None = None
        self.last_error = ""
        self._worker: Worker | None = None
        self._running: set[Worker] = set()
        self._generation = 0
        self._refresh = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._refresh.timeout.connect(self.reload)
        self._build()
        self.resize(1100, 680)
        session.changed.connect(self._on_changed)

    def _build(self) -> None:
        self.summary = QLabel("Reading the figures…", self)
        self.summary.setWordWrap(True)
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.clicked.connect(lambda _c=False: self.reload())
        self.export_button = QPushButton("Export CSV…", self)
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(lambda _c=False: self.ask_export())
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.export_button)
        self.model = DashboardModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._row_chosen)
        labels = {label.key: (label.name, label.color) for label in self.session.scheme.labels}
        self.label_chart = LabelMixChart(self, labels)
        self.agreement_chart = AgreementChart(self)
        charts = QSplitter(Qt.Orientation.Horizontal, self)
        charts.addWidget(self.label_chart)
        charts.addWidget(self.agreement_chart)
        charts.setSizes([400, 600])
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(charts)
        split.setSizes([200, 440])
        column = QVBoxLayout(self)
        column.addLayout(top)
        column.addWidget(split, 1)

    # ------------------------------------------------------------------------------------------ reading
    def reload(self) -> Worker:
        """Read the figures on a worker thread; the newest read wins."""
        self._generation += 1
        generation = self._generation
        store, viewer = self.session.store, self.session.annotator

        def work(_progress: Callable[[float, str], None], _cancelled: Callable[[], bool]) -> DashboardData:
            from annotator.store.dashboard import dashboard

            with store.session() as db:
                return dashboard(db, viewer)

        if self._worker is not None:
            self._worker.cancel()
        worker = self._worker = Worker(work, self)
        worker.succeeded.connect(lambda data: self._arrived(generation, data, ""))
        worker.failed.connect(lambda message: self._arrived(generation, None, message))
        self._running.add(worker)
        worker.finished.connect(lambda: self._running.discard(worker))
        worker.finished.connect(worker.deleteLater)
        if self.data is None:
            self.summary.setText("Reading the figures…")
        worker.start()
        return worker

    def _arrived(self, generation: int, data: DashboardData | None, failure: str) -> None:
        if generation != self._generation:
            return  # a newer read is on its way
        self._worker = None
        if data is None:
            self.last_error = failure
            self.summary.setText(f"The figures could not be read: {failure}")
            self.loaded.emit()
            return
        self.last_error = ""
        chosen = self.selected_name()
        self.data = data
        self.model.set_data(data)
        self.export_button.setEnabled(bool(data.analysts))
        self.summary.setText(self._summary_text(data))
        names = [a.name for a in data.analysts]
        row = names.index(chosen) if chosen in names else 0
        if names:
            self.table.selectRow(row)
        self._show_charts()
        self.loaded.emit()

    @staticmethod
    def _summary_text(data: DashboardData) -> str:
        if not data.analysts:
            return "No analyst has an assignment or a layer yet."
        done = sum(a.done for a in data.analysts)
        assigned = sum(a.assigned for a in data.analysts)
        return (f"{plural(len(data.analysts), 'analyst')} · {plural(assigned, 'assignment')} · "
                f"{plural(done, 'layer')} done · {plural(sum(a.spans for a in data.analysts), 'span')}. Hours of work: five-minute slots with spans, "
                "in sittings split after 30 minutes without one.")

    def selected_name(self) -> str:
        a = self.model.analyst(self.table.currentIndex().row())
        return a.name if a is not None else ""

    def _row_chosen(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_charts()

    def _show_charts(self) -> None:
        name = self.selected_name()
        self.label_chart.set_data(self.data, name)
        self.agreement_chart.set_data(self.data, name)

    def _on_changed(self, changes: Changes) -> None:
        if changes.spans or changes.statuses or changes.reload or changes.corpus or changes.scheme:
            self._refresh.start()

    # ------------------------------------------------------------------------------------------ export
    def ask_export(self) -> None:
        path, _chosen = QFileDialog.getSaveFileName(self, "Export dashboard", "team-dashboard.csv",
                                                    "CSV table (*.csv)")
        if path:
            self.export_csv(Path(path))

    def export_csv(self, path: Path) -> bool:
        """Write the table shown (``core.team_stats.dashboard_csv``) to ``path``; a failure is one message."""
        from annotator.core.errors import AnnotatorError
        from annotator.core.safe_io import write_text

        if self.data is None:
            return False
        try:
            write_text(path, "\ufeff" + dashboard_csv(self.data))  # a BOM, as the evidence table: Excel reads UTF-8
        except AnnotatorError as exc:
            self.session.fail(str(exc))
            return False
        self.session.say(f"Dashboard written to {path}")
        return True

    def wait_for_worker(self, msecs: int = 10000) -> None:
        """Let every running read end (the store must not close under it)."""
        for worker in list(self._running):
            worker.wait(msecs)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self._refresh.stop()
        super().closeEvent(event)

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self.data is None and self._worker is None:
            self.reload()
