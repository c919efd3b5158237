"""The curation window: every compared annotator's version of one document side by side, and the gold layer.

Each annotator gets a read-only text lane, the gold layer a lane of its own (``lanes.py``); beside them the
disagreement groups the policy did not settle (``group_list.py``), the versions of the current group and
the gold span editor (``gold_editor.py``). The curator resolves a group by accepting one version — which
*replaces* whatever gold the group held (``core.curation.accept_version``), so an extent never ends up with
two labels — by adding or editing a gold span, or by rejecting the group; all of it works from the
keyboard too (``keys.py``). Every change is an undoable operation from ``ui/ops/curation.py`` (one
transaction, role-checked by the store), published through the session as ``Changes``, so this window
also follows gold changed elsewhere. There is one such window per main window: asked to curate other
analysts or documents, it is reconfigured (:meth:`CurationView.configure`), never duplicated.

Opening a document whose gold layer is empty pre-accepts what the annotators agree on (per the chosen
policy) as one undoable command, so a curator spends time only on real disagreements.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core import curation as rules
from annotator.core.curation import POLICIES, CurationPlan, DisagreementGroup, GroupKey, plan_curation
from annotator.core.model import GOLD_ANNOTATOR
from annotator.store import queries
from annotator.store import repository as repo
from annotator.store.queries import LoadedDocument
from annotator.store.repository import RelationView, SpanView
from annotator.ui.annotate.article_view import ArticleView
from annotator.ui.common.window_fit import fit_to_screen
from annotator.ui.curation.actions import CurationActions
from annotator.ui.curation.fields_box import GoldFieldsBox
from annotator.ui.curation.gold_editor import GoldEditor
from annotator.ui.curation.group_list import GroupList
from annotator.ui.curation.keys import HELP_LINE, CurationKeys
from annotator.ui.curation.lanes import Lanes
from annotator.ui.curation.relation_box import RelationBox
from annotator.ui.curation.versions import VersionsBox
from annotator.ui.ops.curation import CurationOps
from annotator.ui.ops.session import AnnotationSession

BANNER_STYLE = ("QLabel#curationBanner { background: #F0E442; color: #1a1a1a; padding: 6px 10px;"
                " font-weight: 600; border-radius: 3px; }")
"""The role banner brings its own background and text (contrast 14:1), whatever the theme."""
PREFERRED_SIZE = (1560, 900)


class CurationView(CurationActions, QWidget):
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
        self.annotators: list[str] = []
        self.doc_pks = list(doc_pks)
        self.ops = CurationOps(session, self)
        self.ops.report = self.show_message
        self.last_message = ""
        self.current: LoadedDocument | None = None
        self.versions: dict[str, list[SpanView]] = {}
        self.gold: list[SpanView] = []
        self.gold_status = "todo"
        self.relations: dict[str, list[RelationView]] = {}
        """Each compared annotator's relations on the open document (offered to gold: ``relation_box.py``)."""
        self.gold_relations: list[RelationView] = []
        self.plan = CurationPlan((), ())
        self._auto_accepted: set[int] = set()
        self.scheme = session.scheme
        self.colors = {lbl.key: lbl.color for lbl in self.scheme.labels}
        self.label_names = {lbl.key: lbl.name for lbl in self.scheme.labels}
        self.problem = self.ops.permission_problem()
        self._build(policy)
        self.lanes.set_annotators(sorted(dict.fromkeys(annotators)))
        self.annotators = sorted(dict.fromkeys(annotators))
        session.changed.connect(self._on_session_changed)
        self.ops.undo_stack.indexChanged.connect(self._on_undo_index)
        fit_to_screen(self, *PREFERRED_SIZE)

    # ================================================================== construction
    def _build(self, policy: str) -> None:
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.position = QLabel(self)
        self.prev_button = QPushButton("‹ Previous", self)
        self.next_button = QPushButton("Next ›", self)
        self.prev_button.setToolTip("Previous document (Ctrl+PgUp)")
        self.next_button.setToolTip("Next document (Ctrl+PgDown)")
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
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Pre-accept:", self))
        bar.addWidget(self.policy_combo)
        bar.addWidget(self.pre_accept_button)
        bar.addSpacing(12)
        bar.addWidget(self.undo_button)
        bar.addWidget(self.redo_button)
        bar.addStretch(1)

        self.legend = QLabel(self)  # one wrapping label: six or sixteen labels fit any width
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setText("Labels: " + " &nbsp; ".join(
            f"<span style='background:{lbl.color}; color:{lbl.color}'>&nbsp;&nbsp;&nbsp;</span>&nbsp;"
            f"{html.escape(lbl.name)}" for lbl in self.scheme.labels))

        self.lanes = Lanes(self.colors, self)
        self.lanes.span_clicked.connect(self._lane_span_clicked)

        # the groups and the curator's tools, in a vertical splitter that a short window can share out
        groups = QWidget(self)
        groups_layout = QVBoxLayout(groups)
        groups_layout.setContentsMargins(0, 0, 0, 0)
        self.group_list = GroupList(groups)
        self.group_list.currentRowChanged.connect(self._on_group_row)
        groups_layout.addWidget(self.group_list, 1)
        status_row = QHBoxLayout()
        self.progress = QLabel(groups)
        self.progress.setWordWrap(True)
        self.done_button = QPushButton("Mark gold done", groups)
        self.done_button.setToolTip("Available when every disagreement group is resolved (Ctrl+Enter)")
        self.done_button.clicked.connect(self.mark_gold_done)
        status_row.addWidget(self.progress, 1)
        status_row.addWidget(self.done_button)
        groups_layout.addLayout(status_row)

        self.versions_box = VersionsBox(self)
        self.versions_table = self.versions_box.table
        self.accept_button = self.versions_box.accept_button
        self.reject_button = self.versions_box.reject_button
        self.versions_table.itemSelectionChanged.connect(self._on_version_selected)
        self.versions_table.cellDoubleClicked.connect(lambda _r, _c: self.accept_selected_version())
        self.accept_button.clicked.connect(self.accept_selected_version)
        self.reject_button.clicked.connect(self.reject_current_group)

        self.editor = GoldEditor(self.scheme, self)
        self.gold_here = self.editor.gold_here
        self.label_combo, self.start_spin, self.end_spin = (self.editor.label_combo, self.editor.start_spin,
                                                            self.editor.end_spin)
        self.quote_label = self.editor.quote_label
        self.use_selection_button = self.editor.use_selection_button
        self.add_button, self.apply_button, self.remove_button = (self.editor.add_button, self.editor.apply_button,
                                                                  self.editor.remove_button)
        self.gold_here.currentRowChanged.connect(self._on_gold_row)
        self.use_selection_button.clicked.connect(self.use_text_selection)
        self.add_button.clicked.connect(self.add_edited_span)
        self.apply_button.clicked.connect(self.apply_edit_to_gold)
        self.remove_button.clicked.connect(self.remove_selected_gold)

        # each analyst's document-field values beside gold's, on a tab beside the groups (no extra height:
        # the window must still fit a 640 px screen); the tab is hidden when the scheme has no fields
        self.fields_box = GoldFieldsBox(self.store, self.ops, self.scheme, self.show_message, self)
        self.fields_box.set_editable(self.problem is None)
        self.side_tabs = QTabWidget(self)
        self.side_tabs.addTab(groups, "Disagreements")
        self.side_tabs.addTab(self.fields_box, "Document fields")
        self.side_tabs.setTabVisible(1, bool(self.scheme.fields))
        self.fields_box.shown.connect(lambda differ: self.side_tabs.setTabText(
            1, f"Document fields ({differ} ≠)" if differ else "Document fields"))
        self.relation_box = RelationBox(self)  # analysts' relations between gold spans, to accept
        self.relation_box.accept_requested.connect(self.accept_relation)

        self.side = QSplitter(Qt.Orientation.Vertical, self)
        for part in (self.side_tabs, self.versions_box, self.editor):
            self.side.addWidget(part)
        self.side.setChildrenCollapsible(False)
        self.side.setStretchFactor(0, 3)
        self.side.setStretchFactor(1, 2)
        self.side.setStretchFactor(2, 0)
        self.side.setSizes([240, 220, 220])
        # under the lanes, whose column has height to spare (the side column has none at 1024x640)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.lanes, 1)
        left_layout.addWidget(self.relation_box)
        self.relation_box.setVisible(bool(self.scheme.relations))

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([1000, 560])
        self.splitter.setChildrenCollapsible(False)

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.help_line = QLabel(HELP_LINE, self)
        self.help_line.setWordWrap(True)
        self.keys = CurationKeys(self, accept=self.accept_version_row, reject=self.reject_current_group,
                                 group=self.step_group, document=self.step_document, done=self.mark_gold_done,
                                 move=self.move_boundary, to_selection=self.use_text_selection,
                                 undo=self.ops.undo_stack.undo, redo=self.ops.undo_stack.redo,
                                 fields=self.focus_fields)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 6)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addLayout(bar)
        layout.addWidget(self.legend)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.help_line)
        self._curation_widgets = [self.pre_accept_button, self.accept_button, self.reject_button, self.add_button,
                                  self.apply_button, self.remove_button, self.done_button,
                                  self.use_selection_button, self.label_combo, self.start_spin, self.end_spin,
                                  self.relation_box]
        self._apply_palette()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "lanes"):
            self._apply_palette()

    def _apply_palette(self) -> None:
        """Every colour of the window from its palette (again when the theme changes)."""
        self.lanes.apply_palette()
        self.group_list.apply_palette()
        self.versions_box.apply_palette()
        self.title.setText(self._title_html())
        self.show_message(self.last_message, error=self._message_is_error)

    @property
    def lane_views(self) -> dict[str, ArticleView]:
        return self.lanes.views

    @property
    def lane_titles(self) -> dict[str, QLabel]:
        return self.lanes.titles

    # ================================================================== scope
    def configure(self, annotators: Sequence[str], doc_pks: Sequence[int]) -> None:
        """Curate other analysts or documents in this same window (and with its undo history)."""
        wanted = sorted(dict.fromkeys(annotators))
        self.doc_pks = list(doc_pks)
        if wanted != self.annotators:
            self.annotators = wanted
            self.lanes.set_annotators(wanted)
            if self.current is not None:
                pk = self.current.pk
                self.current = None
                self.open_document(pk if pk in self.doc_pks else self.doc_pks[0])
        elif self.current is not None:
            self._show_position()

    # ================================================================== documents
    def open_document(self, doc_pk: int, focus: tuple[int, int] | None = None) -> bool:
        """Show one document; pre-accept into an empty gold layer; select the group at ``focus``."""
        with self.store.session() as session:
            doc = queries.load_document(session, doc_pk)
            if doc is None:
                self.show_message(f"Document {doc_pk} no longer exists.")
                return False
            self.versions = {name: repo.list_spans(session, doc_pk, name) for name in self.annotators}
            self.relations = {name: repo.document_relations(session, doc_pk, name) for name in self.annotators}
        if doc_pk not in self.doc_pks:
            self.doc_pks.append(doc_pk)
        self.current = doc
        self.ops.load_rejected(doc_pk)  # rejections are stored: a reopened document shows them resolved
        self.lanes.show_document(doc.text, self.versions)
        self.gold = []
        self.editor.set_text(doc.text)
        self.title.setText(self._title_html())
        self._show_position()
        self._reload_gold()
        self.fields_box.load(doc_pk, self.annotators)
        self._replan(select_first=focus is None)
        if (self.problem is None and not self.gold and self.plan.accepted and doc_pk not in self._auto_accepted):
            self._auto_accepted.add(doc_pk)
            self.pre_accept()
        if focus is not None:
            self.focus_range(*focus)
        self.document_opened.emit(doc_pk)
        return True

    def focus_fields(self) -> None:
        """F: the document-fields tab, with the keyboard in its table."""
        if self.side_tabs.isTabVisible(1):
            self.side_tabs.setCurrentWidget(self.fields_box)
            self.fields_box.focus_table()

    def _title_html(self) -> str:
        if self.current is None:
            return ""
        return (f"<b style='font-size:13pt'>{html.escape(self.current.title)}</b> "
                f"&nbsp;<span>{html.escape(self.current.doc_id)}</span>")

    def _show_position(self) -> None:
        assert self.current is not None
        index = self.doc_pks.index(self.current.pk)
        self.position.setText(f"Document {index + 1} of {len(self.doc_pks)}")
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(self.doc_pks) - 1)

    def step_document(self, step: int) -> None:
        if self.current is None:
            return
        index = self.doc_pks.index(self.current.pk) + step
        if 0 <= index < len(self.doc_pks):
            self.open_document(self.doc_pks[index])
        else:
            self.show_message("This is the " + ("last" if step > 0 else "first") + " document.", error=False)

    def _reload_gold(self) -> None:
        """Re-read gold and update its lane incrementally (no jump in scroll position)."""
        if self.current is None:
            return
        with self.store.session() as session:
            gold = repo.list_spans(session, self.current.pk, GOLD_ANNOTATOR)
            self.gold_status = queries.layer_status(session, self.current.pk, GOLD_ANNOTATOR)
            self.gold_relations = repo.document_relations(session, self.current.pk, GOLD_ANNOTATOR)
        self.lanes.update_gold(self.gold, gold, self.gold_status)
        self.gold = gold
        self.show_relations()

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
            self._show_group(self.groups[row])
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
        self.group_list.fill(self.groups, self.group_state, self.current.text if self.current else "",
                             lambda key: self.label_names.get(key, key))
        total, left = len(self.groups), self.unresolved()
        self.progress.setText(f"{total - left} of {total} groups resolved" if total else "No disagreements")

    def current_group(self) -> DisagreementGroup | None:
        row = self.group_list.currentRow()
        return self.groups[row] if 0 <= row < len(self.groups) else None

    def select_group(self, index: int) -> None:
        self.group_list.setCurrentRow(index)

    def step_group(self, step: int) -> None:
        """Next or previous group (N/P, J/K); at either end it stays and says so."""
        if not self.groups:
            self.show_message("This document has no disagreements.", error=False)
            return
        row = self.group_list.currentRow() + step
        if 0 <= row < len(self.groups):
            self.select_group(row)
            self.group_list.scrollToItem(self.group_list.item(row))
        else:
            self.show_message("This is the " + ("last" if step > 0 else "first") + " group.", error=False)

    def _on_group_row(self, row: int) -> None:
        self._show_group(self.groups[row] if 0 <= row < len(self.groups) else None)

    def _show_group(self, group: DisagreementGroup | None) -> None:
        self.versions_box.show_group(group, self.current.text if self.current else "", self.label_names,
                                     self.colors)
        if group is None or self.current is None:
            self.gold_here.clear()
            self._update_enabled()
            return
        self._fill_gold_here(group)
        self.editor.load(group.pending[0] if group.pending else (group.start, group.end, self.scheme.keys()[0]))
        self.focus_range(group.start, group.end, select=False)
        self._update_enabled()

    def _gold_in_group(self, group: DisagreementGroup) -> list[SpanView]:
        return [s for s in self.gold if rules.overlaps((s.start, s.end), group.start, group.end)]

    def _fill_gold_here(self, group: DisagreementGroup) -> None:
        self.editor.show_gold(self._gold_in_group(group), self.label_names)

    def focus_range(self, start: int, end: int, *, select: bool = True) -> None:
        """Scroll every lane to ``start`` and (``select``) pick the group holding it."""
        if select:
            for i, group in enumerate(self.groups):
                if group.start < max(end, start + 1) and start < group.end:
                    self.group_list.setCurrentRow(i)
                    break
        self.lanes.focus({**self.versions, GOLD_ANNOTATOR: self.gold}, start, end)

    def _lane_span_clicked(self, who: str, span_id: int) -> None:
        if span_id < 0:
            return
        spans = self.gold if who == GOLD_ANNOTATOR else self.versions.get(who, [])
        span = next((s for s in spans if s.id == span_id), None)
        if span is not None:
            self.focus_range(span.start, span.end)
