"""The Suggestion model window: train with progress and Cancel, honest held-out scores, thresholds, the
learning curve, and the pattern rules.

Why a window of its own: the analyst should see how good the suggestions are before trusting them —
per-label precision, recall and F1 on documents the model never saw, and whether more labelling still
helps (the curve) — and set, per label, how sure the model must be before it suggests. Training runs
through :class:`~annotator.ui.annotate.model_tools.ModelTools` (off the UI thread); the rules are saved
through :meth:`Operations.save_patterns` (one undo step).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.model_suggest.patterns import export_patterns, parse_patterns
from annotator.store import models_store
from annotator.ui.annotate.learning_curve import LearningCurveChart
from annotator.ui.annotate.model_tools import SOURCES, ModelTools

SCORE_COLUMNS = ("Label", "Precision", "Recall", "F1", "Held-out spans", "Threshold")


def _fmt(value: object) -> str:
    return "—" if value is None else f"{float(value):.2f}"  # type: ignore[arg-type]


class ModelWindow(QDialog):
    """Quality (scores, thresholds, curve, Train/Cancel) and Pattern rules, in two tabs."""

    def __init__(self, tools: ModelTools, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tools = tools
        self.session = tools.session
        self.setWindowTitle("Suggestion model")
        self.resize(640, 560)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.source = QComboBox(self)
        for text, value in SOURCES:
            self.source.addItem(text, value)
        self.curve = QCheckBox("Learning curve", self)
        self.curve.setChecked(True)
        self.curve.setToolTip("Also train on the first 10, 25, 50, 100, 400 training documents and score each")
        self.train_button = QPushButton("Train", self)
        self.cancel_button = QPushButton("Cancel", self)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.progress_text = QLabel(self)
        self.scores = QTableWidget(0, len(SCORE_COLUMNS), self)
        self.scores.setHorizontalHeaderLabels(SCORE_COLUMNS)
        self.scores.verticalHeader().hide()
        self.scores.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.scores.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.chart = LearningCurveChart(self)

        quality = QWidget(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("Learn from", self))
        row.addWidget(self.source, 1)
        row.addWidget(self.curve)
        row.addWidget(self.train_button)
        row.addWidget(self.cancel_button)
        box = QVBoxLayout(quality)
        box.addWidget(self.status)
        box.addLayout(row)
        box.addWidget(self.progress)
        box.addWidget(self.progress_text)
        box.addWidget(self.scores, 1)
        box.addWidget(self.chart)

        rules = QWidget(self)
        self.rules_edit = QPlainTextEdit(self)
        self.rules_edit.setPlaceholderText('{"label": "injury", "pattern": "fell from the scaffold"}\n'
                                           '{"label": "sanctions", "regex": "in violation of (UN )?sanctions"}')
        self.rules_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.rules_message = QLabel(self)
        self.rules_message.setWordWrap(True)
        self.save_rules = QPushButton("Save rules", self)
        self.import_rules = QPushButton("Import…", self)
        self.export_rules = QPushButton("Export…", self)
        buttons = QHBoxLayout()
        for button in (self.save_rules, self.import_rules, self.export_rules):
            buttons.addWidget(button)
        buttons.addStretch(1)
        rules_box = QVBoxLayout(rules)
        rules_box.addWidget(QLabel("One rule per line, Prodigy's patterns.jsonl shape (see docs/examples/"
                                   "patterns.jsonl); rules suggest before any model exists.", self))
        rules_box.addWidget(self.rules_edit, 1)
        rules_box.addWidget(self.rules_message)
        rules_box.addLayout(buttons)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(quality, "Quality")
        self.tabs.addTab(rules, "Pattern rules")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

        self.train_button.clicked.connect(self.train)
        self.cancel_button.clicked.connect(tools.cancel_training)
        self.save_rules.clicked.connect(self.save_patterns)
        self.import_rules.clicked.connect(self.import_patterns)
        self.export_rules.clicked.connect(self.export_patterns)
        tools.training_progress.connect(self._progressed)
        tools.training_started.connect(self._update_buttons)
        tools.training_finished.connect(self._finished)
        self._update_buttons()

    # ------------------------------------------------------------------ quality
    def refresh(self) -> None:
        """Show the stored model's record and scores, and the stored rules."""
        reason = self.tools.reason
        with self.session.store.session() as db:
            info = models_store.model_info(db)
            try:
                rules = models_store.load_patterns(db)
                self.rules_edit.setPlainText(export_patterns(rules))
            except AnnotatorError as exc:
                self.rules_message.setText(str(exc))
        if reason:
            self.status.setText(f"The model is unavailable: {reason}. Pattern rules still work.")
        elif info is None:
            self.status.setText("No model yet. Mark some documents done (at least 5 examples of a label), then Train.")
        else:
            on = info.trained_on
            self.status.setText(
                f"Trained {on.get('trained_at', info.created)} by {info.trained_by} on {on.get('documents')} "
                f"documents ({on.get('spans')} spans, {on.get('rejections', 0)} rejected suggestions); scores on "
                f"{on.get('held_out_documents')} held-out documents the model never saw.")
        held = (info.scores.get("held_out") if info else None) or {}
        labels = [lbl for lbl in self.session.scheme.labels]
        thresholds = self.tools.thresholds()
        self.scores.setRowCount(len(labels) + 1)
        for r, label in enumerate(labels):
            figures = held.get(label.key)
            values = [label.name, *(_fmt(figures.get(k)) if figures else "—" for k in ("precision", "recall", "f1")),
                      str(figures.get("reference", 0)) if figures else "not trained"]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.scores.setItem(r, c, item)
            spin = QDoubleSpinBox(self.scores)
            spin.setRange(0.0, 1.0)
            spin.setSingleStep(0.05)
            spin.setDecimals(2)
            spin.setValue(thresholds.get(label.key, 0.5))
            spin.setToolTip(f"Offer the model's {label.name} suggestions from this probability up")
            spin.valueChanged.connect(lambda v, key=label.key: self.tools.set_threshold(key, v))
            self.scores.setCellWidget(r, 5, spin)
        total = held.get("*")
        last = len(labels)
        for c, value in enumerate(["All labels", *(_fmt(total.get(k)) if total else "—" for k in
                                                   ("precision", "recall", "f1")),
                                   str(total.get("reference", 0)) if total else ""]):
            item = QTableWidgetItem(value)
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            if c:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.scores.setItem(last, c, item)
        self.chart.set_points((info.scores.get("curve") if info else None) or [])
        self._update_buttons()

    def train(self) -> bool:
        self.progress.setValue(0)
        self.progress_text.setText("Starting…")
        started = self.tools.train(self.source.currentData(), curve=self.curve.isChecked())
        if not started:
            self.progress_text.setText(self.session_message())
        return started

    def session_message(self) -> str:
        return "The model cannot be trained here: " + (self.tools.reason or "see the status bar")

    def _progressed(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(fraction * 1000))
        self.progress_text.setText(message)

    def _finished(self, ok: bool, message: str) -> None:
        self.progress_text.setText(message)
        if ok:
            self.progress.setValue(1000)
            self.refresh()
        self._update_buttons()

    def _update_buttons(self) -> None:
        running = self.tools.is_training()
        self.train_button.setEnabled(not running and not self.tools.reason and not self.session.read_only)
        self.cancel_button.setEnabled(running)

    # ------------------------------------------------------------------ rules
    def save_patterns(self) -> bool:
        try:
            new = parse_patterns(self.rules_edit.toPlainText(), "rules")
            with self.session.store.session() as db:
                old = models_store.load_patterns(db)
        except AnnotatorError as exc:
            self.rules_message.setText(str(exc))
            return False
        saved = self.tools.ops.save_patterns(old, new, report=self.rules_message.setText)
        if saved:
            self.rules_message.setText(f"Saved {len(new)} rule{'' if len(new) == 1 else 's'} (Ctrl+Z in the main "
                                       "window takes them back).")
        return saved

    def import_patterns(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import pattern rules", "", "Pattern rules (*.jsonl);;All files (*)")
        if not path:
            return
        from annotator.core.decoding import read_text_file

        try:
            text = read_text_file(Path(path)).text
            parse_patterns(text, path)
        except (AnnotatorError, OSError) as exc:
            self.rules_message.setText(str(exc))
            return
        self.rules_edit.setPlainText(text)
        self.save_patterns()

    def export_patterns(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export pattern rules", "patterns.jsonl", "Pattern rules (*.jsonl)")
        if not path:
            return
        try:
            with open(path, "w", encoding="utf-8") as f:
                f.write(self.rules_edit.toPlainText().rstrip("\n") + "\n")
        except OSError as exc:
            self.rules_message.setText(f"{path}: {exc.strerror or exc}")
            return
        self.rules_message.setText(f"Exported the rules to {path}.")
