"""Team → Assign documents…: the ``annotator assign`` run with a live preview of what it would do.

Why a dialog with a preview: a lead choosing the overlap wants to see its consequence before anything is
written — how many documents each analyst gets and how many go to K analysts. The preview runs the same
pure planner the store uses (``core.assignment.plan_assignments``) over the same unassigned documents and
current loads, without writing; Assign then runs the store's assignment (which plans again inside its
locked transaction, so the numbers match unless a colleague assigned meanwhile) on a worker thread, as one
undoable operation whose ``Changes`` refresh the document list and the queue.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.assignment import overlap_count, plan_assignments
from annotator.core.errors import AnnotatorError
from annotator.core.model import GOLD_ANNOTATOR, MODEL_ANNOTATOR, ROLE_ANNOTATOR
from annotator.core.names import name_problem
from annotator.core.wording import plural
from annotator.store.assignments import assigned_loads, unassigned_documents
from annotator.store.roles import roles
from annotator.ui.common.workers import Worker, index_for_search
from annotator.ui.ops.changes import Changes
from annotator.ui.ops.operations import Operations
from annotator.ui.ops.session import AnnotationSession
from annotator.ui.ops.team_commands import AssignDocuments, assignment_work

PREVIEW_PAUSE_MS = 150
"""The preview is computed once the input has paused this long (typing a query, clicking a spin box)."""


class AssignDialog(QDialog):
    """Analysts, overlap, K, query and seed; a preview table; Assign writes (undoable, off the UI thread)."""

    def __init__(self, session: AnnotationSession, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.ops = session, ops
        self.setWindowTitle("Assign documents")
        self.analysts = QListWidget(self)
        self.analysts.setAccessibleName("Analysts")
        self.new_name = QLineEdit(self)
        self.new_name.setPlaceholderText("Add an analyst…")
        self.add_button = QPushButton("Add", self)
        self.overlap = QDoubleSpinBox(self)
        self.overlap.setRange(0.0, 1.0)
        self.overlap.setSingleStep(0.05)
        self.overlap.setDecimals(2)
        self.overlap.setToolTip("Share of the documents given to several analysts (0–1), for agreement")
        self.per_document = QSpinBox(self)
        self.per_document.setRange(1, 50)
        self.per_document.setValue(2)
        self.query = QLineEdit(self)
        self.query.setPlaceholderText("all unassigned documents (or the document list's search syntax)")
        self.seed = QSpinBox(self)
        self.seed.setRange(0, 2_000_000_000)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(["Analyst", "New documents", "In all"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.assign_button = self.buttons.addButton("Assign", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.assign)
        self.buttons.rejected.connect(self.reject)

        adder = QHBoxLayout()
        adder.addWidget(self.new_name, 1)
        adder.addWidget(self.add_button)
        form = QFormLayout()
        form.addRow("Overlap:", self.overlap)
        form.addRow("Analysts per overlap document:", self.per_document)
        form.addRow("Documents:", self.query)
        form.addRow("Seed:", self.seed)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Analysts:", self))
        layout.addWidget(self.analysts, 1)
        layout.addLayout(adder)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.resize(520, 560)

        self._documents: dict[str, list[str]] = {}  # query → unassigned doc_ids, read once per query
        self.counts: dict[str, int] = {}
        """The preview: new documents per analyst (what the table shows)."""
        self.shared = 0
        """The preview: how many documents go to K analysts."""
        self.worker: Worker | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_PAUSE_MS)
        self._timer.timeout.connect(self.update_preview)
        self.add_button.clicked.connect(self.add_analyst)
        self.new_name.installEventFilter(self)
        # Planning 100,000 documents takes about half a second: the preview waits for a pause in the input.
        self.analysts.itemChanged.connect(lambda _item: self._timer.start())
        self.overlap.valueChanged.connect(lambda _v: self._timer.start())
        self.per_document.valueChanged.connect(lambda _v: self._timer.start())
        self.seed.valueChanged.connect(lambda _v: self._timer.start())
        self.query.textChanged.connect(lambda _t: self._timer.start())
        self._fill_analysts()
        if not session.read_only:
            try:
                index_for_search(session.store)  # the preview searches without writing
            except AnnotatorError as exc:
                session.say(str(exc))
        self.update_preview()

    # ------------------------------------------------------------------ analysts
    def _fill_analysts(self) -> None:
        """Every known annotator but gold and the model; plain analysts are ticked, curators are not."""
        try:
            with self.session.store.session() as db:
                known = roles(db)
        except AnnotatorError as exc:
            self.session.say(str(exc))
            known = []
        for name, role in known:
            if name not in (GOLD_ANNOTATOR, MODEL_ANNOTATOR):
                self._add_item(name, checked=role == ROLE_ANNOTATOR)

    def _add_item(self, name: str, *, checked: bool) -> None:
        item = QListWidgetItem(name, self.analysts)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def add_analyst(self) -> None:
        """Add the typed name (ticked); a known name is ticked instead of added twice."""
        name = self.new_name.text().strip()
        problem = name_problem(name)
        if problem is not None:
            self.summary.setText(problem[0].upper() + problem[1:] + ".")
            return
        self.new_name.clear()
        for item in self.analyst_items():
            if item.text() == name:
                item.setCheckState(Qt.CheckState.Checked)
                return
        self._add_item(name, checked=True)

    def analyst_items(self) -> list[QListWidgetItem]:
        return [self.analysts.item(i) for i in range(self.analysts.count())]

    def chosen(self) -> list[str]:
        return [item.text() for item in self.analyst_items() if item.checkState() == Qt.CheckState.Checked]

    # ------------------------------------------------------------------ preview
    def _unassigned(self, query: str) -> list[str]:
        if query not in self._documents:
            with self.session.store.session() as db:
                self._documents = {query: list(unassigned_documents(db, query, index=False))}
        return self._documents[query]

    def update_preview(self) -> None:
        """Plan without writing and show it: new documents per analyst, and how many go to K analysts."""
        self._timer.stop()
        names, overlap, k = self.chosen(), self.overlap.value(), self.per_document.value()
        self.per_document.setEnabled(overlap > 0)
        self.counts, self.shared = {}, 0
        self.table.setRowCount(0)
        try:
            documents = self._unassigned(self.query.text().strip())
            with self.session.store.session() as db:
                loads = assigned_loads(db, names)
            plan = plan_assignments(documents, names, overlap=overlap, per_document=k, seed=self.seed.value(),
                                    load=loads) if names and documents else {}
            if names and not documents:
                plan_assignments([], names, overlap=overlap, per_document=k)  # still check the options
        except AnnotatorError as exc:
            self.summary.setText(str(exc)[0].upper() + str(exc)[1:] + ".")
            self.assign_button.setEnabled(False)
            return
        counts = Counter(name for group in plan.values() for name in group)
        self.counts = {name: counts.get(name, 0) for name in names}
        self.shared = overlap_count(overlap, len(documents)) if len(names) else 0
        if not names:
            self.summary.setText("Tick the analysts to assign documents to (or add a name).")
        elif not documents:
            self.summary.setText("No unassigned documents" + (" match the search." if self.query.text().strip()
                                                              else ": every document is assigned already."))
        else:
            self.summary.setText(f"{plural(len(documents), 'unassigned document')}: {self.shared} to {k} analysts, "
                                 f"{len(documents) - self.shared} to one.")
        self.table.setRowCount(len(names))
        for row, name in enumerate(names):
            for column, value in enumerate((name, str(self.counts[name]), str(self.counts[name] + loads.get(name, 0)))):
                item = QTableWidgetItem(value)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.assign_button.setEnabled(bool(plan) and self.worker is None)

    # ------------------------------------------------------------------ assigning
    def assign(self) -> None:
        """Run the store's assignment on a worker thread; one undo step, the document list refreshes."""
        if self.worker is not None or self.session.read_only:
            return
        if self._timer.isActive():  # Assign pressed within the pause: the options must be checkable first
            self.update_preview()
            if not self.assign_button.isEnabled():
                return
        command = AssignDocuments(self.session, self.chosen(), overlap=self.overlap.value(),
                                  per_document=self.per_document.value(), seed=self.seed.value(),
                                  search=self.query.text().strip())
        self.assign_button.setEnabled(False)
        self.summary.setText("Assigning…")
        worker = self.worker = Worker(assignment_work(command), self)
        worker.succeeded.connect(lambda plan: self._assigned(command, plan))
        worker.failed.connect(self._failed)
        worker.start()

    def _assigned(self, command: AssignDocuments, plan: dict[str, tuple[str, ...]]) -> None:
        self._finish_worker()
        self.ops.push_done(command, Changes(corpus=True))
        loads = Counter(name for group in plan.values() for name in group)
        shared = sum(1 for group in plan.values() if len(group) > 1)
        per = ", ".join(f"{name} {loads.get(name, 0)}" for name in command.names)
        self.session.say(f"Assigned {plural(len(plan), 'document')} ({shared} to {command.per_document} "
                         f"analysts): {per}." if plan else "No unassigned documents: nothing was assigned.")
        self.accept()

    def _failed(self, message: str) -> None:
        self._finish_worker()
        self.summary.setText(message)
        self._documents.clear()
        self.update_preview()
        self.summary.setText(message)

    def _finish_worker(self) -> None:
        if self.worker is not None:
            self.worker.wait()
            self.worker.deleteLater()
            self.worker = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """Enter in the name field adds the name; it must not reach the dialog and press Assign as well."""
        if (watched is self.new_name and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.add_analyst()
            return True
        return super().eventFilter(watched, event)

    def done(self, result: int) -> None:
        """Close, except while an assignment runs (its result must reach the undo stack and the message)."""
        if self.worker is not None:
            return
        super().done(result)
