"""Tools → Evidence… and File → Export report…: the evidence window (at most one per main window) and
the cited report written on a worker thread.

The main window creates one :class:`EvidenceTools` with its session, operations and ``open_document``
and puts the two actions in its menus; the report runs ``store.evidence.build_report`` and
``core.evidence.report.render`` — the same code as ``annotator report`` — off the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QWidget

from annotator.core.evidence.model import EvidenceFilter
from annotator.ui.common.workers import Worker, run_with_progress
from annotator.ui.ops.operations import Operations
from annotator.ui.ops.session import AnnotationSession

if TYPE_CHECKING:
    from annotator.ui.evidence.evidence_view import EvidenceView


class EvidenceTools:
    """The two actions, the one evidence window, and report export."""

    def __init__(self, session: AnnotationSession, ops: Operations, open_document: Callable[[int, str], bool],
                 parent: QWidget) -> None:
        self.session, self.ops, self.open_document, self.parent = session, ops, open_document, parent
        self.view: EvidenceView | None = None
        self.last_report: str | None = None
        self.evidence_action = QAction("Evidence…", parent)
        self.evidence_action.setShortcut("Ctrl+Shift+V")
        self.evidence_action.setStatusTip("Every tagged passage of the corpus, with its source, claims and charts")
        self.evidence_action.triggered.connect(lambda _checked=False: self.open_view())
        self.report_action = QAction("Export report…", parent)
        self.report_action.setStatusTip("A cited evidence report (HTML or Markdown) of every tagged passage")
        self.report_action.triggered.connect(lambda _checked=False: self.ask_report(EvidenceFilter()))

    def open_view(self) -> EvidenceView:
        from annotator.ui.evidence.evidence_view import EvidenceView

        if self.view is None:
            self.view = EvidenceView(self.session, self.ops, self.open_document, self.parent)
            self.view.report_button.clicked.connect(lambda _c=False: self.ask_report(self.view_filter()))
        self.view.show()
        self.view.raise_()
        self.view.activateWindow()
        return self.view

    def view_filter(self) -> EvidenceFilter:
        return self.view.model.filter if self.view is not None else EvidenceFilter()

    def ask_report(self, flt: EvidenceFilter) -> None:
        path, _chosen = QFileDialog.getSaveFileName(self.parent, "Export report", "evidence-report.html",
                                                    "HTML page (*.html);;Markdown (*.md)")
        if path:
            self.export_report(Path(path), flt)

    def export_report(self, path: Path, flt: EvidenceFilter) -> Worker:
        """Write the report of ``flt`` to ``path`` (.html or .md) on a worker thread."""
        store = self.session.store

        def work(progress: Callable[[float, str], None], _cancelled: Callable[[], bool]) -> str:
            from annotator.core.evidence.report import format_for, render
            from annotator.core.safe_io import write_text
            from annotator.store.evidence import build_report

            fmt = format_for(path.suffix)
            progress(0.1, "Reading passages")
            with store.session() as db:
                report = build_report(db, flt)
            progress(0.7, "Writing")
            write_text(path, render(report, fmt))
            return f"Report written to {path}: {len(report.claims)} claims"

        def done(message: str) -> None:
            self.last_report = message
            self.session.say(message)

        def failed(message: str) -> None:
            self.last_report = message
            self.session.fail(message)

        return run_with_progress(self.parent, "Exporting report", work, done, failed)


__all__ = ["EvidenceTools"]
