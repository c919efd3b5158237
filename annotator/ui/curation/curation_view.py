"""The curation view: every compared annotator's version of one document side by side, and the gold layer.

Each annotator gets a read-only text lane (an :class:`ArticleView` with that annotator's spans), the gold
layer a lane of its own on the right; the lanes scroll together. On the right, the disagreement groups
that the policy did not settle (``core.curation.plan_curation``); the curator resolves each by accepting
one version, by adding or editing a gold span with chosen boundaries, or by rejecting the group. Every
change is an undoable operation from ``ui/ops/curation.py`` (one transaction, role-checked by the store),
published through the session as ``Changes``, so this window also follows changes made elsewhere.

Opening a document whose gold layer is empty pre-accepts what the annotators agree on (per the chosen
policy) as one undoable command, so a curator spends time only on real disagreements.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core import curation as rules
from annotator.core.curation import (
    POLICIES,
    CurationPlan,
    DisagreementGroup,
    GroupKey,
    overlaps,
    plan_curation,
)
from annotator.core.model import GOLD_ANNOTATOR
from annotator.store import queries
from annotator.store import repository as repo
from annotator.store.queries import LoadedDocument
from annotator.store.repository import SpanView
from annotator.ui.annotate.article_view import ArticleView
from annotator.ui.annotate.span_index import IndexedSpan
from annotator.ui.ops.changes import Changes
from annotator.ui.ops.curation import CurationOps
from annotator.ui.ops.session import AnnotationSession

LANE_POINT_SIZE = 11.0
QUOTE_PREVIEW = 60
BANNER_STYLE = ("QLabel#curationBanner { background: #F0E442; color: #1a1a1a; padding: 6px 10px;"
                " font-weight: 600; border-radius: 3px; }")


def _short(text: str, limit: int = QUOTE_PREVIEW) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


class CurationView(QWidget):
    """Curate the gold layer of the documents in scope, one document at a time."""

    document_opened = Signal(int)

    def __init__(self, session: AnnotationSession, annotators: Sequence[str], doc_pks: Sequence[int], *,
                 policy: str = "unanimous", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowTitle("Curation — annotator")
        self.session = session
        self.store = session.store
        self.actor = session.annotator
        self.annotators = sorted(dict.fromkeys(annotators))
        self.doc_pks = list(doc_pks)
        self.ops = CurationOps(session, self)
        self.ops.report = self.show_message
        self.last_message = ""
        self.current: LoadedDocument | None = None
        self.versions: dict[str, list[SpanView]] = {}
        self.gold: list[SpanView] = []
        self.gold_status = "todo"
        self.plan = CurationPlan((), ())
        self._auto_accepted: set[int] = set()
        self._syncing = False
        self.scheme = session.scheme
        self.colors = {lbl.key: lbl.color for lbl in self.scheme.labels}
        self.problem = self.ops.permission_problem()
        self._build(policy)
        session.changed.connect(self._on_session_changed)
        self.ops.undo_stack.indexChanged.connect(self._on_undo_index)
        self.resize(1560, 900)

    # ================================================================== construction
    def _build(self, policy: str) -> None:
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.position = QLabel(self)
        self.prev_button = QPushButton("‹ Previous document", self)
        self.next_button = QPushButton("Next document ›", self)
        self.prev_button.clicked.connect(lambda: self.step_document(-1))
        self.next_button.clicked.connect(lambda: self.step_document(1))
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.position)
        top.addWidget(self.prev_button)
        top.addWidget(self.next_button)

        self.banner = QLabel(self)
        self.banner.setObjectName("curationBanner")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setWordWrap(True)
        self.banner.setText(self.problem or "")
        self.banner.setVisible(self.problem is not None)

        self.policy_combo = QComboBox(self)
        for key in POLICIES:
            self.policy_combo.addItem({"unanimous": "Unanimous (every annotator)",
                                       "majority": "Majority (more than half)"}.get(key, key), key)
        self.policy_combo.setCurrentIndex(max(0, self.policy_combo.findData(policy)))
        self.policy_combo.currentIndexChanged.connect(lambda _i: self._replan())
        self.pre_accept_button = QPushButton("Pre-accept agreed spans", self)
        self.pre_accept_button.setToolTip("Copy every span the policy accepts into gold (undoable)")
        self.pre_accept_button.clicked.connect(self.pre_accept)
        self.undo_button = QPushButton("Undo", self)
        self.redo_button = QPushButton("Redo", self)
        self.undo_button.clicked.connect(self.ops.undo_stack.undo)
        self.redo_button.clicked.connect(self.ops.undo_stack.redo)
        QShortcut(QKeySequence.StandardKey.Undo, self, self.ops.undo_stack.undo)
        QShortcut(QKeySequence("Ctrl+Shift+Z"), self, self.ops.undo_stack.redo)
        self.progress = QLabel(self)
        self.done_button = QPushButton("Mark gold done", self)
        self.done_button.setToolTip("Available when every disagreement group is resolved")
        self.done_button.clicked.connect(self.mark_gold_done)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Pre-accept policy:", self))
        bar.addWidget(self.policy_combo)
        bar.addWidget(self.pre_accept_button)
        bar.addSpacing(16)
        bar.addWidget(self.undo_button)
        bar.addWidget(self.redo_button)
        bar.addStretch(1)
        bar.addWidget(self.progress)
        bar.addWidget(self.done_button)

        legend = QHBoxLayout()
        legend.addWidget(QLabel("Labels:", self))
        for lbl in self.scheme.labels:
            chip = QLabel(self)
            chip.setText(f"<span style='background:{lbl.color}; color:{lbl.color}'>&nbsp;&nbsp;&nbsp;</span>"
                         f"&nbsp;{html.escape(lbl.name)}")
            legend.addWidget(chip)
            legend.addSpacing(8)
        legend.addStretch(1)

        # lanes: one per annotator, gold last
        lanes_box = QWidget(self)
        lanes = QHBoxLayout(lanes_box)
        lanes.setContentsMargins(0, 0, 0, 0)
        lanes.setSpacing(6)
        self.lane_views: dict[str, ArticleView] = {}
        self.lane_titles: dict[str, QLabel] = {}
        for name in [*self.annotators, GOLD_ANNOTATOR]:
            column = QWidget(lanes_box)
            col = QVBoxLayout(column)
            col.setContentsMargins(0, 0, 0, 0)
            col.setSpacing(2)
            head = QLabel(column)
            head.setTextFormat(Qt.TextFormat.RichText)
            head.setStyleSheet("QLabel { padding: 4px 8px; background: %s; border-radius: 3px; }"
                               % ("#dcecf7" if name == GOLD_ANNOTATOR else "#eeeeee"))
            view = ArticleView(column)
            view.set_label_colors(self.colors)
            view.set_point_size(LANE_POINT_SIZE)
            view.document().setDocumentMargin(12)
            view.setFrameShape(ArticleView.Shape.StyledPanel)
            view.verticalScrollBar().valueChanged.connect(lambda _v, v=view: self._sync_scroll(v))
            view.span_clicked.connect(lambda sid, who=name: self._lane_span_clicked(who, sid))
            col.addWidget(head)
            col.addWidget(view, 1)
            lanes.addWidget(column, 1)
            self.lane_views[name] = view
            self.lane_titles[name] = head

        # the groups and the curator's tools
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(QLabel("<b>Disagreements</b>", side))
        self.group_list = QListWidget(side)
        self.group_list.setAlternatingRowColors(True)
        self.group_list.currentRowChanged.connect(self._on_group_row)
        side_layout.addWidget(self.group_list, 2)

        box = QGroupBox("Versions in this group", side)
        box_layout = QVBoxLayout(box)
        self.versions_table = QTableWidget(0, 4, box)
        self.versions_table.setHorizontalHeaderLabels(["Annotator", "Label", "Characters", "Quote"])
        self.versions_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.versions_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.versions_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.versions_table.verticalHeader().setVisible(False)
        header = self.versions_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.versions_table.itemSelectionChanged.connect(self._on_version_selected)
        self.versions_table.cellDoubleClicked.connect(lambda _r, _c: self.accept_selected_version())
        box_layout.addWidget(self.versions_table)
        row = QHBoxLayout()
        self.accept_button = QPushButton("Accept this version", box)
        self.accept_button.setToolTip("Copy the selected annotator's span into gold")
        self.accept_button.clicked.connect(self.accept_selected_version)
        self.reject_button = QPushButton("Reject group", box)
        self.reject_button.setToolTip("Resolve the group with nothing in gold")
        self.reject_button.clicked.connect(self.reject_current_group)
        row.addWidget(self.accept_button)
        row.addWidget(self.reject_button)
        row.addStretch(1)
        box_layout.addLayout(row)
        side_layout.addWidget(box, 3)

        gold_box = QGroupBox("Gold span", side)
        form = QFormLayout(gold_box)
        self.gold_here = QListWidget(gold_box)
        self.gold_here.setMaximumHeight(80)
        self.gold_here.currentRowChanged.connect(self._on_gold_row)
        form.addRow("In gold here:", self.gold_here)
        self.label_combo = QComboBox(gold_box)
        for lbl in self.scheme.labels:
            self.label_combo.addItem(lbl.name, lbl.key)
        self.start_spin = QSpinBox(gold_box)
        self.end_spin = QSpinBox(gold_box)
        self.start_spin.valueChanged.connect(lambda _v: self._update_quote())
        self.end_spin.valueChanged.connect(lambda _v: self._update_quote())
        bounds = QHBoxLayout()
        bounds.addWidget(self.start_spin)
        bounds.addWidget(QLabel("to", gold_box))
        bounds.addWidget(self.end_spin)
        self.use_selection_button = QPushButton("Set from text selection", gold_box)
        self.use_selection_button.setToolTip("Take the boundaries from text selected in any lane")
        self.use_selection_button.clicked.connect(self.use_text_selection)
        bounds.addWidget(self.use_selection_button)
        form.addRow("Label:", self.label_combo)
        form.addRow("Characters:", bounds)
        self.quote_label = QLabel(gold_box)
        self.quote_label.setWordWrap(True)
        self.quote_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("Quote:", self.quote_label)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add to gold", gold_box)
        self.add_button.clicked.connect(self.add_edited_span)
        self.apply_button = QPushButton("Apply to selected gold span", gold_box)
        self.apply_button.clicked.connect(self.apply_edit_to_gold)
        self.remove_button = QPushButton("Remove from gold", gold_box)
        self.remove_button.clicked.connect(self.remove_selected_gold)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.remove_button)
        form.addRow(buttons)
        side_layout.addWidget(gold_box, 0)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(lanes_box)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([1000, 560])
        self.splitter.setChildrenCollapsible(False)

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #8a1c00;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addLayout(bar)
        layout.addLayout(legend)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.message)
        self._curation_widgets = [self.pre_accept_button, self.accept_button, self.reject_button, self.add_button,
                                  self.apply_button, self.remove_button, self.done_button,
                                  self.use_selection_button, self.label_combo, self.start_spin, self.end_spin]

    # ================================================================== documents
    def open_document(self, doc_pk: int, focus: tuple[int, int] | None = None) -> bool:
        """Show one document; pre-accept into an empty gold layer; select the group at ``focus``."""
        with self.store.session() as session:
            doc = queries.load_document(session, doc_pk)
            if doc is None:
                self.show_message(f"Document {doc_pk} no longer exists.")
                return False
            self.versions = {name: repo.list_spans(session, doc_pk, name) for name in self.annotators}
        if doc_pk not in self.doc_pks:
            self.doc_pks.append(doc_pk)
        self.current = doc
        self.ops.load_rejected(doc_pk)  # rejections are stored: a reopened document shows them resolved
        for name in self.annotators:
            spans = self.versions[name]
            self.lane_views[name].set_document(doc.text, [IndexedSpan(s.id, s.start, s.end, s.label) for s in spans])
            self.lane_titles[name].setText(f"<b>{html.escape(name)}</b> · {_count(len(spans), 'span')}")
        self.lane_views[GOLD_ANNOTATOR].set_document(doc.text, [])
        self.gold = []
        n = len(doc.text)
        for spin in (self.start_spin, self.end_spin):
            spin.setRange(0, n)
        self.title.setText(f"<b style='font-size:14pt'>{html.escape(doc.title)}</b>"
                           f"<br><span style='color:#555'>{html.escape(doc.doc_id)}</span>")
        index = self.doc_pks.index(doc_pk)
        self.position.setText(f"Document {index + 1} of {len(self.doc_pks)}")
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(self.doc_pks) - 1)
        self._reload_gold()
        self._replan(select_first=focus is None)
        if (self.problem is None and not self.gold and self.plan.accepted and doc_pk not in self._auto_accepted):
            self._auto_accepted.add(doc_pk)
            self.pre_accept()
        if focus is not None:
            self.focus_range(*focus)
        self.document_opened.emit(doc_pk)
        return True

    def step_document(self, step: int) -> None:
        if self.current is None:
            return
        index = self.doc_pks.index(self.current.pk) + step
        if 0 <= index < len(self.doc_pks):
            self.open_document(self.doc_pks[index])

    def _reload_gold(self) -> None:
        """Re-read gold and update its lane incrementally (no jump in scroll position)."""
        if self.current is None:
            return
        with self.store.session() as session:
            gold = repo.list_spans(session, self.current.pk, GOLD_ANNOTATOR)
            self.gold_status = queries.layer_status(session, self.current.pk, GOLD_ANNOTATOR)
        view = self.lane_views[GOLD_ANNOTATOR]
        new = {s.id: s for s in gold}
        old = {s.id: s for s in self.gold}
        for sid, span in old.items():
            if sid not in new or new[sid] != span:
                view.remove_span(sid)
        for sid, span in new.items():
            if sid not in old or old[sid] != span:
                view.add_span(IndexedSpan(span.id, span.start, span.end, span.label))
        self.gold = gold
        self.lane_titles[GOLD_ANNOTATOR].setText(
            f"<b>gold</b> · {_count(len(gold), 'span')} · {self.gold_status.replace('_', ' ')}")

    # ================================================================== planning and groups
    @property
    def policy(self) -> str:
        return str(self.policy_combo.currentData())

    @property
    def groups(self) -> tuple[DisagreementGroup, ...]:
        return self.plan.groups

    def _replan(self, select_first: bool = True) -> None:
        if self.current is None:
            return
        keep = self.group_list.currentRow()
        spans = {name: [(s.start, s.end, s.label) for s in self.versions.get(name, [])] for name in self.annotators}
        self.plan = plan_curation(spans, self.policy)
        self._fill_groups()
        if self.groups:
            row = 0 if select_first or keep < 0 else min(keep, len(self.groups) - 1)
            self.group_list.setCurrentRow(row)
        else:
            self._show_group(None)
        self._update_enabled()

    def group_key(self, group: DisagreementGroup) -> GroupKey:
        return rules.group_key(group)

    def _gold_tuples(self) -> list[tuple[int, int, str]]:
        return [(span.start, span.end, span.label) for span in self.gold]

    def _rejected_keys(self) -> set[GroupKey]:
        if self.current is None:
            return set()
        pk = self.current.pk
        return self.ops.rejected[pk] if pk in self.ops.rejected else self.ops.load_rejected(pk)

    def group_state(self, group: DisagreementGroup) -> str:
        """"accepted", "rejected" or "open": the rule is ``core.curation.group_state``."""
        if self.current is None:
            return "open"
        return rules.group_state(group, self._gold_tuples(), self._rejected_keys())

    def unresolved(self) -> int:
        if self.current is None:
            return len(self.groups)
        return rules.unresolved(self.groups, self._gold_tuples(), self._rejected_keys())

    def _fill_groups(self) -> None:
        row = self.group_list.currentRow()
        self.group_list.blockSignals(True)
        self.group_list.clear()
        text = self.current.text if self.current else ""
        marks = {"open": "○", "accepted": "✓", "rejected": "✗"}
        for n, group in enumerate(self.groups, 1):
            state = self.group_state(group)
            who = "; ".join(f"{name}: {', '.join(sorted({self._label_name(sp[2]) for sp in spans})) or '—'}"
                            for name, spans in group.versions.items())
            item = QListWidgetItem(f"{marks[state]} {n}. “{_short(text[group.start:group.end], 42)}”\n     {who}")
            item.setData(Qt.ItemDataRole.UserRole, state)
            if state != "open":
                item.setForeground(QColor("#4d4d4d"))
            item.setToolTip(f"characters {group.start}–{group.end} · {state}")
            self.group_list.addItem(item)
        if 0 <= row < self.group_list.count():
            self.group_list.setCurrentRow(row)
        self.group_list.blockSignals(False)
        total = len(self.groups)
        left = self.unresolved()
        self.progress.setText(f"{total - left} of {total} groups resolved" if total else "No disagreements")

    def _label_name(self, key: str) -> str:
        label = self.scheme.get(key)
        return label.name if label else key

    def current_group(self) -> DisagreementGroup | None:
        row = self.group_list.currentRow()
        return self.groups[row] if 0 <= row < len(self.groups) else None

    def select_group(self, index: int) -> None:
        self.group_list.setCurrentRow(index)

    def _on_group_row(self, row: int) -> None:
        self._show_group(self.groups[row] if 0 <= row < len(self.groups) else None)

    def _show_group(self, group: DisagreementGroup | None) -> None:
        table = self.versions_table
        table.setRowCount(0)
        self.gold_here.clear()
        if group is None or self.current is None:
            self._update_enabled()
            return
        text = self.current.text
        for name, spans in group.versions.items():
            for sp in spans or [None]:
                r = table.rowCount()
                table.insertRow(r)
                cells = [name, "", "", "(nothing marked here)"]
                if sp is not None:
                    label = self.scheme.get(sp[2])
                    cells = [name, label.name if label else sp[2], f"{sp[0]}–{sp[1]}", _short(text[sp[0]:sp[1]])]
                for c, value in enumerate(cells):
                    item = QTableWidgetItem(value)
                    item.setData(Qt.ItemDataRole.UserRole, (name, sp))
                    if c == 1 and sp is not None:
                        item.setBackground(QColor(self.colors.get(sp[2], "#cccccc")).lighter(150))
                    table.setItem(r, c, item)
        self._fill_gold_here(group)
        self._load_editor(group.pending[0] if group.pending else (group.start, group.end, self.scheme.keys()[0]))
        self.focus_range(group.start, group.end, select=False)
        self._update_enabled()

    def _fill_gold_here(self, group: DisagreementGroup) -> None:
        self.gold_here.blockSignals(True)
        self.gold_here.clear()
        here = set(rules.gold_in_group(self._gold_tuples(), group))
        for span in self.gold:
            if (span.start, span.end, span.label) in here:
                item = QListWidgetItem(f"{span.label} {span.start}–{span.end} “{_short(span.quote, 40)}”")
                item.setData(Qt.ItemDataRole.UserRole, span.id)
                self.gold_here.addItem(item)
        self.gold_here.blockSignals(False)

    def focus_range(self, start: int, end: int, *, select: bool = True) -> None:
        """Scroll every lane to ``start`` and (``select``) pick the group holding it."""
        if select:
            for i, group in enumerate(self.groups):
                if group.start < max(end, start + 1) and start < group.end:
                    self.group_list.setCurrentRow(i)
                    break
        for name, view in self.lane_views.items():
            spans = self.gold if name == GOLD_ANNOTATOR else self.versions.get(name, [])
            inside = [s for s in spans if overlaps((s.start, s.end), start, end)]
            if inside:
                view.select_span(inside[0].id, scroll=True)
            else:
                view.select_span(None, scroll=False)
                self._scroll_to(view, start)

    def _scroll_to(self, view: ArticleView, cp: int) -> None:
        cursor = QTextCursor(view.document())
        cursor.setPosition(view.bridge.to_qt(min(cp, len(view.text))))
        view.setTextCursor(cursor)
        view.ensureCursorVisible()

    def _sync_scroll(self, source: ArticleView) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            bar = source.verticalScrollBar()
            fraction = bar.value() / bar.maximum() if bar.maximum() else 0.0
            for view in self.lane_views.values():
                if view is not source:
                    other = view.verticalScrollBar()
                    other.setValue(round(fraction * other.maximum()))
        finally:
            self._syncing = False

    def _lane_span_clicked(self, who: str, span_id: int) -> None:
        if span_id < 0:
            return
        spans = self.gold if who == GOLD_ANNOTATOR else self.versions.get(who, [])
        span = next((s for s in spans if s.id == span_id), None)
        if span is not None:
            self.focus_range(span.start, span.end)

    # ================================================================== editor
    def _load_editor(self, span: tuple[int, int, str]) -> None:
        start, end, label = span
        self.start_spin.setValue(start)
        self.end_spin.setValue(end)
        index = self.label_combo.findData(label)
        if index >= 0:
            self.label_combo.setCurrentIndex(index)
        self._update_quote()

    def editor_values(self) -> tuple[int, int, str]:
        return self.start_spin.value(), self.end_spin.value(), str(self.label_combo.currentData())

    def _update_quote(self) -> None:
        if self.current is None:
            return
        start, end, _ = self.editor_values()
        if end <= start:
            self.quote_label.setText("<i>the end must come after the start</i>")
        else:
            # always from the stored text, in code points (never read back from a widget)
            self.quote_label.setText(html.escape(_short(self.current.text[start:end], 200)))

    def _on_version_selected(self) -> None:
        rows = self.versions_table.selectionModel().selectedRows()
        if not rows:
            self._update_enabled()
            return
        name, sp = _version_of(self.versions_table, rows[0].row())
        if sp is not None:
            self._load_editor(sp)
            view = self.lane_views[name]
            match = next((s for s in self.versions.get(name, []) if (s.start, s.end, s.label) == tuple(sp)), None)
            if match is not None:
                view.select_span(match.id, scroll=True)
        self._update_enabled()

    def _on_gold_row(self, _row: int) -> None:
        span = self.selected_gold()
        if span is not None:
            self._load_editor((span.start, span.end, span.label))
            self.lane_views[GOLD_ANNOTATOR].select_span(span.id, scroll=True)
        self._update_enabled()

    def selected_version(self) -> tuple[str, tuple[int, int, str] | None] | None:
        rows = self.versions_table.selectionModel().selectedRows()
        if not rows:
            return None
        return _version_of(self.versions_table, rows[0].row())

    def select_version(self, annotator: str, index: int = 0) -> bool:
        """Select the ``index``-th row of ``annotator`` in the versions table (keyboard-free helper)."""
        seen = 0
        for r in range(self.versions_table.rowCount()):
            name, _sp = _version_of(self.versions_table, r)
            if name == annotator:
                if seen == index:
                    self.versions_table.selectRow(r)
                    return True
                seen += 1
        return False

    def selected_gold(self) -> SpanView | None:
        item = self.gold_here.currentItem()
        if item is None:
            return None
        sid = item.data(Qt.ItemDataRole.UserRole)
        return next((s for s in self.gold if s.id == sid), None)

    def use_text_selection(self) -> None:
        """Boundaries from text selected in a lane (gold first); offsets in code points via the bridge."""
        for name in [GOLD_ANNOTATOR, *self.annotators]:
            selection = self.lane_views[name].selection_cp()
            if selection is not None:
                self.start_spin.setValue(selection[0])
                self.end_spin.setValue(selection[1])
                return
        self.show_message("Select some text in one of the lanes first.")

    # ================================================================== curation actions
    def pre_accept(self) -> bool:
        """Copy the spans the policy accepts (and gold lacks) into gold, as one undoable command."""
        if self.current is None:
            return False
        have = {(s.start, s.end, s.label) for s in self.gold}
        todo = [sp for sp in self.plan.accepted if sp not in have]
        if not todo:
            self.show_message("Every span the policy accepts is already in gold.", error=False)
            return True
        return self.ops.add_gold(self.current.pk, todo, f"Pre-accept {len(todo)} agreed spans ({self.policy})")

    def accept_selected_version(self) -> bool:
        chosen = self.selected_version()
        if self.current is None or chosen is None:
            return False
        name, sp = chosen
        if sp is None:
            self.show_message(f"{name} marked nothing here: use “Reject group” to keep gold empty here.")
            return False
        if sp in {(s.start, s.end, s.label) for s in self.gold}:
            group = self.current_group()
            if group is not None and sp in group.accepted and self.group_state(group) == "open":
                # The pre-accepted (majority) version is kept: the group is resolved with nothing more added,
                # stored like a rejection of the other versions (group_state shows it as accepted).
                return self.ops.reject(self.current.pk, self.group_key(group),
                                       f"Keep the pre-accepted {sp[2]} {sp[0]}–{sp[1]}")
            self.show_message("That span is already in gold.", error=False)
            return True
        return self.ops.add_gold(self.current.pk, [sp], f"Accept {name}'s {sp[2]} {sp[0]}–{sp[1]}")

    def _checked_editor(self) -> tuple[int, int, str] | None:
        start, end, label = self.editor_values()
        if end <= start:
            self.show_message("The end must come after the start.")
            return None
        return start, end, label

    def add_edited_span(self) -> bool:
        values = self._checked_editor()
        if self.current is None or values is None:
            return False
        return self.ops.add_gold(self.current.pk, [values], f"Add gold {values[2]} {values[0]}–{values[1]}")

    def apply_edit_to_gold(self) -> bool:
        span = self.selected_gold()
        values = self._checked_editor()
        if self.current is None or span is None or values is None:
            return False
        return self.ops.update_gold(self.current.pk, span, *values)

    def remove_selected_gold(self) -> bool:
        span = self.selected_gold()
        if self.current is None or span is None:
            return False
        return self.ops.remove_gold(self.current.pk, span)

    def reject_current_group(self) -> bool:
        group = self.current_group()
        if self.current is None or group is None:
            return False
        return self.ops.reject(self.current.pk, self.group_key(group))

    def mark_gold_done(self) -> bool:
        if self.current is None:
            return False
        left = self.unresolved()
        if left:
            self.show_message(f"{left} group(s) are still open: resolve each before marking gold done.")
            return False
        return self.ops.set_gold_status(self.current.pk, self.gold_status, "done")

    # ================================================================== feedback
    def _on_session_changed(self, changes: Changes) -> None:
        """Any change to the open document — here, in the main window or a colleague's — is shown at once."""
        if not shiboken6.isValid(self) or self.current is None:
            return
        if changes.corpus or changes.scheme or self.current.pk in changes.touched_documents():
            if changes.decisions and self.current.pk in changes.decisions:
                self.ops.load_rejected(self.current.pk)
            self._on_changed(self.current.pk)

    def _on_changed(self, doc_pk: int) -> None:
        if self.current is None or doc_pk != self.current.pk:
            return
        self._reload_gold()
        self._fill_groups()
        group = self.current_group()
        if group is not None:
            self._fill_gold_here(group)
        self._update_enabled()

    def _on_undo_index(self, _index: int) -> None:
        # The stack announces a last index change while the window is being destroyed.
        if shiboken6.isValid(self) and shiboken6.isValid(self.ops.undo_stack):
            self._update_enabled()

    def _update_enabled(self) -> None:
        can = self.problem is None and self.current is not None
        for widget in self._curation_widgets:
            widget.setEnabled(can)
        if not can:
            self.undo_button.setEnabled(False)
            self.redo_button.setEnabled(False)
            return
        group = self.current_group()
        chosen = self.selected_version()
        self.accept_button.setEnabled(group is not None and chosen is not None and chosen[1] is not None)
        self.reject_button.setEnabled(group is not None and self.group_state(group) == "open")
        self.apply_button.setEnabled(self.selected_gold() is not None)
        self.remove_button.setEnabled(self.selected_gold() is not None)
        self.pre_accept_button.setEnabled(bool(self.plan.accepted))
        self.done_button.setEnabled(self.unresolved() == 0 and self.gold_status != "done")
        self.undo_button.setEnabled(self.ops.undo_stack.canUndo())
        self.redo_button.setEnabled(self.ops.undo_stack.canRedo())

    def show_message(self, message: str, *, error: bool = True) -> None:
        """Say it in the window (no modal dialog: a test or a screenshot must never block)."""
        self.last_message = message
        self.message.setStyleSheet("color: #8a1c00;" if error else "color: #1a5e1a;")
        self.message.setText(message)


def _version_of(table: QTableWidget, row: int) -> tuple[str, tuple[int, int, str] | None]:
    """The (annotator, span or None) a versions-table row was filled with; Qt may hand a tuple back as a list."""
    item = table.item(row, 0)
    name, sp = item.data(Qt.ItemDataRole.UserRole) if item is not None else ("", None)
    return name, ((int(sp[0]), int(sp[1]), str(sp[2])) if sp is not None else None)
