"""The learned recommender in the app: train (on request or in the background), thresholds, and ordering
the document list by what the model would learn most from.

Why one controller: the Model window, the Suggestions tab, the document list and the main window's menus
all touch the model, and only one training may run at a time. The main window creates one
:class:`ModelTools` and adds its actions to the Tools menu; nothing here is imported by the main window
beyond that.

* **Training** runs on a :class:`~annotator.ui.common.workers.Worker` thread, which only waits for the two
  training processes (``core.model_suggest.tagger``), so the window stays responsive; progress and Cancel
  reach it through signals. The stored model is one row (``store.models_store``); afterwards
  ``Changes(suggestions=True)`` makes the Suggestions tab recompute.
* **Background retraining**: after :data:`RETRAIN_AFTER` new spans, when a model already exists, the same
  training runs without a window; the status bar says when it starts and what it scored.
* **Thresholds** per label (the model's probability below which a suggestion is not offered) are the
  analyst's own settings; the Suggestions tab reads them.
* **Active learning**: "most likely to contain label X" and "model least certain" score the undone
  documents on a worker thread and show the ranking in the document list (a search or filter leaves it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from annotator.core.model_suggest.tagger import TrainingCancelled, unavailable_reason
from annotator.store import models_store
from annotator.ui.annotate.document_list import DocumentList
from annotator.ui.annotate.suggestion_list import DEFAULT_THRESHOLD, SuggestionPanel
from annotator.ui.common.workers import Cancelled, Work, Worker
from annotator.ui.ops.changes import Changes
from annotator.ui.ops.session import AnnotationSession

RETRAIN_AFTER = 50
"""New spans (any layer, by anyone in this window) after which an existing model retrains in the background."""
SOURCES = (("Every analyst's done layers", "all"), ("My done layers", "mine"), ("The gold layer", "gold"))


def training_work(session: AnnotationSession, source: str, curve: bool) -> Work:
    """The work function of one training: read the layers, fit, store; raises Cancelled when asked to stop."""
    from annotator.core.model_suggest.training import fit

    store, who = session.store, session.annotator

    def work(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> Any:
        with store.session() as db:
            docs, described = models_store.training_documents(
                db, annotators=[who] if source == "mine" else None, gold=source == "gold")
            known = models_store.label_keys(db)
        try:
            run = fit(docs, known, source=described, curve=curve, progress=progress, cancelled=cancelled)
        except TrainingCancelled:
            raise Cancelled from None
        if cancelled():
            raise Cancelled
        with store.write() as db:
            models_store.save_model(db, run.model, trained_by=who, trained_on=run.trained_on, scores=run.scores)
        return run

    return work


class ModelTools(QObject):
    """Actions, the one training at a time, thresholds and the document-list ranking."""

    training_started = Signal()
    training_progress = Signal(float, str)
    training_finished = Signal(bool, str)  # succeeded, message

    def __init__(self, session: AnnotationSession, ops: Any, window: QWidget, suggestions: SuggestionPanel,
                 documents: DocumentList, settings: QSettings) -> None:
        super().__init__(window)
        self.session, self.ops, self.window = session, ops, window
        self.suggestions, self.documents, self.settings = suggestions, documents, settings
        self.reason = unavailable_reason()
        self.worker: Worker | None = None
        self.rank_worker: Worker | None = None
        self.new_spans = 0
        self.retrain_after = RETRAIN_AFTER
        self.model_window: Any = None
        self.model_action = QAction("Suggestion model…", window)
        self.model_action.setShortcut("Ctrl+Shift+M")
        self.model_action.setStatusTip("Train the suggestion model, see how good it is, edit pattern rules")
        self.model_action.triggered.connect(lambda _checked=False: self.open_window())
        self.order_menu = QMenu("Order documents by model", window)
        self.order_menu.aboutToShow.connect(self._fill_order_menu)
        self.order_menu.menuAction().setStatusTip(self.reason or "Put the undone documents the model would learn "
                                                  "most from first")
        self.suggestions.thresholds = self.thresholds()
        session.changed.connect(self._on_changed)

    # ------------------------------------------------------------------ thresholds
    def thresholds(self) -> dict[str, float]:
        found: dict[str, float] = {}
        for label in self.session.scheme.labels:
            value = self.settings.value(f"model/threshold/{label.key}")
            try:
                found[label.key] = float(value) if value is not None else DEFAULT_THRESHOLD
            except (TypeError, ValueError):
                found[label.key] = DEFAULT_THRESHOLD
        return found

    def set_threshold(self, label: str, value: float) -> None:
        value = max(0.0, min(1.0, float(value)))
        self.settings.setValue(f"model/threshold/{label}", value)
        self.suggestions.thresholds = self.thresholds()
        self.suggestions.refresh()

    # ------------------------------------------------------------------ training
    def is_training(self) -> bool:
        return self.worker is not None

    def train(self, source: str = "all", *, curve: bool = False, background: bool = False) -> bool:
        """Start a training (False, with the reason in the status bar, when one cannot start)."""
        s = self.session
        reason = self.reason or (f"read-only ({s.read_only_reason})" if s.read_only else None)
        if reason is None and self.worker is not None:
            reason = "a training is already running"
        if reason is not None:
            s.say(f"The model was not trained: {reason}.")
            return False
        worker = Worker(training_work(s, source, curve), self.window)
        self.worker = worker
        self.new_spans = 0
        worker.progressed.connect(self.training_progress)
        worker.succeeded.connect(lambda run: self._trained(run, background))
        worker.failed.connect(lambda message: self._failed(message, background))
        worker.finished.connect(worker.deleteLater)
        worker.start()
        self.training_started.emit()
        if background:
            s.say("Retraining the suggestion model in the background…")
        return True

    def cancel_training(self) -> None:
        if self.worker is not None:
            self.worker.cancel()

    def _trained(self, run: Any, background: bool) -> None:
        self.worker = None
        overall = (run.scores.get("held_out") or {}).get("*", {}).get("f1")
        on = run.trained_on
        message = (f"Suggestion model trained on {on['documents']} documents ({on['spans']} spans)"
                   + (f": overlap F1 {overall:.2f} on {on['held_out_documents']} held-out documents." if overall
                      is not None else "; too few documents to hold some out for a score."))
        self.session.publish(Changes(suggestions=True))
        self.session.say(message, 10000)
        self.training_finished.emit(True, message)

    def _failed(self, message: str, background: bool) -> None:
        self.worker = None
        text = "Training cancelled." if message == "Cancelled." else f"The model was not trained: {message}"
        if background:
            self.session.say(text, 10000)
        self.training_finished.emit(False, text)

    def _on_changed(self, changes: Changes) -> None:
        """Count new spans; after enough, retrain an existing model in the background."""
        added = sum(1 for delta in changes.spans if delta.added)
        if not added:
            return
        self.new_spans += added
        if self.new_spans < self.retrain_after or self.reason or self.worker is not None or self.session.read_only:
            return
        with self.session.store.session() as db:
            info = models_store.model_info(db)
        if info is not None:
            source = "gold" if info.trained_on.get("gold") else "all"
            self.train(source, background=True)

    # ------------------------------------------------------------------ active learning
    def _fill_order_menu(self) -> None:
        menu = self.order_menu
        menu.clear()
        if self.reason:
            menu.addAction(self.reason).setEnabled(False)
            return
        likely = menu.addMenu("Most likely to contain")
        for label in self.session.scheme.labels:
            action = likely.addAction(label.name)
            action.triggered.connect(lambda _c=False, key=label.key: self.order_by(key))
        menu.addAction("Model least certain").triggered.connect(lambda _c=False: self.order_by(None))
        menu.addSeparator()
        usual = menu.addAction("Usual order")
        usual.setEnabled(self.documents.model.order is not None)
        usual.triggered.connect(lambda _c=False: self.clear_order())

    def order_by(self, label: str | None) -> bool:
        """Rank the undone documents off the UI thread; the list shows the ranking when it arrives."""
        s = self.session
        with s.store.session() as db:
            try:
                model = models_store.load_model(db)
            except Exception as exc:  # AnnotatorError: a damaged model
                s.say(str(exc))
                return False
        if model is None:
            s.say("Train the suggestion model first (Tools → Suggestion model…).")
            return False
        if self.rank_worker is not None:
            self.rank_worker.cancel()
        store, who = s.store, s.annotator
        what = f"most likely to contain {s.label_name(label)}" if label else "model least certain"

        def work(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> list[int]:
            with store.session() as db:
                return models_store.rank_documents(db, who, model, label=label, progress=progress,
                                                   cancelled=cancelled)

        worker = Worker(work, self.window)
        self.rank_worker = worker
        worker.succeeded.connect(lambda pks: self._ranked(worker, pks, what))
        worker.failed.connect(lambda message: s.say(f"The documents were not ordered: {message}"))
        worker.finished.connect(lambda: self._rank_ended(worker))
        worker.finished.connect(worker.deleteLater)
        worker.start()
        s.say(f"Ordering the undone documents by “{what}”…")
        return True

    def _ranked(self, worker: Worker, pks: list[int], what: str) -> None:
        if worker is not self.rank_worker:
            return
        self.rank_worker = None
        self.documents.model.set_order(pks)
        self.documents.show_current(self.session.doc_pk)
        self.session.say(f"{len(pks)} undone documents ordered by “{what}”; a search or filter returns to the "
                         "usual order.", 10000)

    def _rank_ended(self, worker: Worker) -> None:
        if self.rank_worker is worker:
            self.rank_worker = None

    def clear_order(self) -> None:
        self.documents.model.set_order(None)
        self.documents.show_current(self.session.doc_pk)

    # ------------------------------------------------------------------ window and teardown
    def open_window(self) -> Any:
        from annotator.ui.annotate.model_window import ModelWindow

        if self.model_window is None:
            self.model_window = ModelWindow(self, self.window)
        self.model_window.refresh()
        self.model_window.show()
        self.model_window.raise_()
        self.model_window.activateWindow()
        return self.model_window

    def shutdown(self, msecs: int = 10000) -> None:
        """Stop a running training or ranking before the window (and the store) goes away."""
        for worker in (self.worker, self.rank_worker):
            if worker is not None:
                worker.cancel()
                worker.wait(msecs)
