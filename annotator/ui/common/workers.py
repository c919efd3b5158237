"""Slow work (import, export) on a worker thread, with a progress dialog and a cancel button.

The worker never touches a widget: it reports through queued signals, and the dialog lives in the UI
thread. The work function receives ``progress(fraction, message)`` and ``cancelled()`` callables, the
same ones the command line passes, so the store code is shared. Failures arrive as readable text
(AnnotatorError's message), never as a traceback.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from annotator.core.errors import AnnotatorError
from annotator.store.database import Store

Work = Callable[[Callable[[float, str], None], Callable[[], bool]], Any]


class Cancelled(Exception):
    """Raised inside work that noticed the cancel request."""


class Worker(QThread):
    progressed = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, work: Work, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        try:
            result = self.work(lambda f, m: self.progressed.emit(float(f), str(m)), self._cancel.is_set)
        except Cancelled:
            self.failed.emit("Cancelled.")
        except AnnotatorError as exc:  # StoreError included: the store words driver errors itself
            self.failed.emit(str(exc))
        except OSError as exc:
            self.failed.emit(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
        except Exception as exc:  # a bug: still tell the user in one line rather than crash the thread
            self.failed.emit(f"Unexpected error ({exc.__class__.__name__}: {exc}).")
        else:
            self.succeeded.emit(result)


def run_with_progress(parent: QWidget, title: str, work: Work, on_success: Callable[[Any], None],
                      on_failure: Callable[[str], None]) -> Worker:
    """Start ``work`` on a thread behind a modal progress dialog; callbacks run in the UI thread."""
    dialog = QProgressDialog(title, "Cancel", 0, 1000, parent)
    dialog.setWindowTitle(title)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    worker = Worker(work, parent)

    def show_progress(fraction: float, message: str) -> None:
        dialog.setValue(int(fraction * 1000))
        dialog.setLabelText(message)

    worker.progressed.connect(show_progress)
    dialog.canceled.connect(worker.cancel)
    worker.finished.connect(worker.deleteLater)  # only once the thread has really ended

    def finish() -> None:
        dialog.close()
        dialog.deleteLater()

    def succeeded(result: object) -> None:
        finish()
        on_success(result)

    def failed(message: str) -> None:
        finish()
        on_failure(message)

    worker.succeeded.connect(succeeded)
    worker.failed.connect(failed)
    worker.start()
    return worker


def import_work(store: Store, paths: list[str], annotator: str, format_name: str | None = None) -> Work:
    """Import files and folders; ``format_name`` forces a format (None: detect each file's format)."""
    from annotator.store.importing import import_paths

    def work(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> Any:
        summary = import_paths(store, paths, annotator=annotator, actor=annotator, format_name=format_name,
                               progress=progress, cancelled=cancelled)
        if summary.documents_added:
            progress(1.0, "Indexing the new documents for search…")
            index_for_search(store)  # here, off the UI thread, rather than on the first search
        return summary

    return work


def index_for_search(store: Store) -> int:
    """Add documents imported since the last update to the search index (0 on servers, or read-only)."""
    from annotator.store.search import pending_documents, update_search_index

    if store.read_only:
        return 0
    with store.session() as session:
        if not pending_documents(session):
            return 0
    with store.write() as session:
        return update_search_index(session)


def export_work(store: Store, out: Path, format_name: str = "jsonl", annotators: list[str] | None = None,
                only_annotated: bool = False) -> Work:
    """Export in any writable format (``store.exporting.export_to``: nothing appears at ``out`` unless the
    whole export succeeded); ``annotators`` limits the layers, ``only_annotated`` drops documents without one.
    """
    from annotator.store.exporting import ExportCancelled, export_to

    def work(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> Any:
        try:
            report = export_to(store, out, format_name, annotators, only_annotated=only_annotated,
                               progress=lambda n, total: progress(n / total, f"Exported {n:,} of {total:,} documents"),
                               cancelled=cancelled)
        except ExportCancelled:
            raise Cancelled from None
        progress(1.0, "Export finished")
        return report

    return work
