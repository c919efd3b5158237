"""The main window's File menu work: import files or a folder, export through the dialog or as JSONL.

Kept apart from the window's layout and menus (``main_window.py``): both run on the worker thread with a
progress dialog (``ui/common/workers.py``) and report in the status bar, or in a box when there is
something to read (refused files, what a format could not express).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from annotator.ui.common.workers import Worker, export_work, import_work, run_with_progress

if TYPE_CHECKING:
    from annotator.core.formats.base import WriteReport
    from annotator.store.database import Store
    from annotator.store.importing import ImportSummary
    from annotator.ui.annotate.document_list import DocumentList
    from annotator.ui.dialogs.export_dialog import ExportChoice, ExportDialog
    from annotator.ui.ops.session import AnnotationSession

IMPORT_LINES_SHOWN = 12
"""Refused files and notes listed after an import; the rest are counted."""


class FileActions(QMainWindow):
    """A base of :class:`MainWindow`, which provides the session, settings, document list and messages."""

    session: AnnotationSession
    docs: DocumentList
    last_import_message: str | None
    last_export_message: str | None

    @property
    def store(self) -> Store:
        return self.session.store

    @property
    def annotator(self) -> str:
        return self.session.annotator

    settings: QSettings

    def show_error(self, message: str) -> None:
        raise NotImplementedError

    def open_document(self, doc_pk: int, annotator: str | None = None) -> bool:
        raise NotImplementedError

    # ================================================================== files
    def import_files(self) -> None:
        from annotator.ui.dialogs.export_dialog import import_filters

        filters = import_filters()
        paths, chosen = QFileDialog.getOpenFileNames(self, "Import files", "", ";;".join(f for f, _ in filters))
        if paths:
            self.start_import(paths, dict(filters).get(chosen))

    def import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import folder")
        if folder:
            self.start_import([folder])

    def start_import(self, paths: list[str], format_name: str | None = None) -> Worker:
        def done(summary: ImportSummary) -> None:
            self.docs.apply_filter()
            text = summary.describe()
            notes = [f"note: {notice}" for notice in summary.notices]
            if notes:  # skipped file types, re-anchored spans: the CLI prints them, the app must say them too
                text += f"; {len(notes)} note{'' if len(notes) == 1 else 's'}"
            shown = (summary.refused + notes)[:IMPORT_LINES_SHOWN]  # the box must fit on a laptop screen
            left_out = len(summary.refused) + len(notes) - len(shown)
            details = "\n".join(shown) + (f"\n… and {left_out} more." if left_out else "")
            self.last_import_message = text + ("\n\n" + details if details else "")
            if summary.refused:
                self.show_error(self.last_import_message)
            else:
                self.statusBar().showMessage(text, 10000)
                if notes:
                    box = QMessageBox(QMessageBox.Icon.Information, "Import finished", self.last_import_message,
                                      QMessageBox.StandardButton.Ok, self)
                    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                    box.setWindowModality(Qt.WindowModality.WindowModal)
                    box.open()
            if self.session.document is None and self.docs.model.pks:
                self.open_document(self.docs.model.pks[0])

        return run_with_progress(self, "Importing", import_work(self.store, paths, self.annotator, format_name),
                                 done, self.show_error)

    def export_jsonl(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export JSONL", "annotations.jsonl", "JSON Lines (*.jsonl)")
        if path:
            self.start_export(Path(path))

    def export_dialog(self) -> ExportDialog:
        """Ask for format, layers and destination (non-blocking), then export on the worker thread."""
        from annotator.ui.dialogs.export_dialog import ExportDialog

        dialog = ExportDialog(self.annotator, directory=str(self.settings.value("export_dir", "") or ""), parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(self._export_chosen)
        dialog.open()
        return dialog

    def _export_chosen(self, choice: ExportChoice) -> None:
        self.settings.setValue("export_dir", str(choice.path.parent))
        self.start_export(choice.path, choice.format_name, choice.annotators(self.annotator), choice.only_annotated)

    def start_export(self, path: Path, format_name: str = "jsonl", annotators: list[str] | None = None,
                     only_annotated: bool = False) -> Worker:
        from annotator.ui.dialogs.export_dialog import describe_report

        def done(report: WriteReport) -> None:
            summary, details = describe_report(report, path, format_name)
            self.last_export_message = details or summary
            self.statusBar().showMessage(summary, 10000)
            if details:
                box = QMessageBox(QMessageBox.Icon.Information, "Export finished", details,
                                  QMessageBox.StandardButton.Ok, self)
                box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                box.setWindowModality(Qt.WindowModality.WindowModal)
                box.open()

        work = export_work(self.store, path, format_name, annotators, only_annotated)
        return run_with_progress(self, "Exporting", work, done, self.show_error)

