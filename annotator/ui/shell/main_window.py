"""The main window: document list | article with label bar | span list, suggestions and details.

The window owns the :class:`AnnotationSession` and :class:`Operations` and hands them to each widget; it keeps
only layout, menus, settings and files. What a key does lives with the widget it belongs to
(``annotate/tagging.py`` for label keys, ``annotate/span_adjust.py`` for boundaries), what changes data lives
in ``ops/``, and every view refreshes itself from the session's ``changed`` signal
(see ``docs/architecture.md``). Tests build as many windows as they like: nothing here is global.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QKeyCombination, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator import __version__
from annotator.store.database import Store, describe_location
from annotator.ui.agreement.agreement_tools import AgreementTools
from annotator.ui.annotate.article_binding import ArticleBinding
from annotator.ui.annotate.article_header import ArticleHeader
from annotator.ui.annotate.article_view import ARTICLE_KEYS, ArticleView
from annotator.ui.annotate.document_flow import next_undone
from annotator.ui.annotate.document_list import DocumentList
from annotator.ui.annotate.fields_strip import FieldsStrip
from annotator.ui.annotate.find_bar import FindBar
from annotator.ui.annotate.label_bar import LabelBar
from annotator.ui.annotate.layer_switch import LayerSwitch
from annotator.ui.annotate.model_tools import ModelTools
from annotator.ui.annotate.queue_progress import QueueProgress
from annotator.ui.annotate.relations import RelationController
from annotator.ui.annotate.span_adjust import SpanAdjuster
from annotator.ui.annotate.span_details import SpanDetails
from annotator.ui.annotate.span_list import SpanList
from annotator.ui.annotate.suggestion_list import SuggestionPanel
from annotator.ui.annotate.tagging import TaggingController
from annotator.ui.common.questions import ask
from annotator.ui.common.theme import style_banner
from annotator.ui.dialogs.shortcuts_dialog import ShortcutsDialog, menu_groups
from annotator.ui.ops.changes import Changes
from annotator.ui.ops.operations import Operations
from annotator.ui.ops.session import AnnotationSession
from annotator.ui.shell.file_actions import FileActions
from annotator.ui.shell.panel_layout import (
    ARTICLE_MIN_WIDTH,
    DEFAULT_SIZE,
    RIGHT_MIN_WIDTH,
    PanelLayout,
    PanelSplitter,
)
from annotator.ui.shell.window_settings import DEFAULT_POINT_SIZE, WindowSettings, default_settings

if TYPE_CHECKING:  # the dialogs and the import/export code load when first used
    from annotator.ui.dialogs.scheme_dialog import SchemeDialog

class MainWindow(FileActions, WindowSettings, PanelLayout):
    def __init__(self, store: Store, annotator: str, *, settings: QSettings | None = None,
                 read_only_reason: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings if settings is not None else default_settings()
        self.session = AnnotationSession(store, annotator, read_only_reason=read_only_reason, parent=self)
        self.ops = Operations(self.session, self)
        self.last_error: str | None = None
        self.last_export_message: str | None = None
        self.last_import_message: str | None = None
        self.keep_settings = True
        """False for a scripted screenshot: closing then saves no geometry, layout or last document."""
        self.setWindowTitle(f"annotator — {annotator}")
        self._build_widgets()
        self._build_actions()
        self._connect()
        self.docs.model.reload()
        self._restore_settings()
        self._update_enabled()

    # ================================================================== construction
    def _build_widgets(self) -> None:
        session, ops = self.session, self.ops
        self.docs = DocumentList(session.store, session.annotator, self._label_pairs(), self)
        self.header = ArticleHeader(session, self)
        self.label_bar = LabelBar(session.scheme, self)
        self.article = ArticleView(self)
        self.article_binding = ArticleBinding(session, self.article)
        self.tagging = TaggingController(session, ops, self.article)
        self.relations = RelationController(session, ops, self.article)  # R / Alt+drag links spans, arcs drawn
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        style_banner(self.banner, "readOnlyBanner")
        self.banner.setText(f"Read-only: {session.read_only_reason}. You can read and export; tagging and status "
                            "changes are off.")
        self.banner.setVisible(session.read_only)
        self.span_list = SpanList(session, self)
        self.details = SpanDetails(session, ops, self)

        centre = QWidget(self)
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        centre.setMinimumWidth(ARTICLE_MIN_WIDTH)
        head_box = QWidget(centre)
        head_layout = self.head_layout = QVBoxLayout(head_box)
        head_layout.setContentsMargins(32, 4, 32, 0)
        head_layout.addWidget(self.banner)
        head_layout.addWidget(self.header)
        self.layer_switch = LayerSwitch(session, head_box)  # whose layer the article shows (read-only if not yours)
        head_layout.addWidget(self.layer_switch)
        self.fields_strip = FieldsStrip(session, ops, head_box)  # document fields (relevance, source type)
        head_layout.addWidget(self.fields_strip)
        column.addWidget(head_box)
        column.addWidget(self.label_bar)
        column.addWidget(self.article, 1)
        self.find_bar = FindBar(session, self.article, centre)
        column.addWidget(self.find_bar)

        right = QSplitter(Qt.Orientation.Vertical, self)
        self.suggestions = SuggestionPanel(session, ops, self)  # phrases tagged elsewhere, offered here
        self.suggestions.marks_changed.connect(self.article.set_suggestion_marks)  # dashed, not spans
        self.side_tabs = QTabWidget(self)
        self.side_tabs.addTab(self.span_list, "Spans")
        self.side_tabs.addTab(self.suggestions, "Suggestions")
        right.addWidget(self.side_tabs)
        right.addWidget(self.details)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 1)
        # Below this width the span list shows only "…" and the details' fields wrap letter by letter; a
        # narrow window or an old saved layout takes the room from the article instead. (The document
        # list sets its own minimum, from its columns.)
        right.setMinimumWidth(RIGHT_MIN_WIDTH)
        self.splitter = PanelSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.docs)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(right)
        # A growing window gives a share to the side panels too (longer titles, quotes and notes on a wide
        # monitor); balance_panels keeps the article's column comfortable when it shrinks.
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 1)
        self.splitter.setSizes(self._default_panel_sizes(DEFAULT_SIZE[0]))
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self.article.column_moved.connect(self._align_header)
        self.splitter.resized.connect(self.balance_panels)
        self.connection_badge = QLabel(self)
        self.connection_badge.setObjectName("connection_state")
        self.connection_badge.hide()
        self.statusBar().addPermanentWidget(self.connection_badge)
        self.queue_progress = QueueProgress(session, self)  # "Queue: 3 of 40 done" once documents are assigned
        self.statusBar().addPermanentWidget(self.queue_progress)
        self.who = QLabel(self)
        self.statusBar().addPermanentWidget(self.who)
        self.who.setTextFormat(Qt.TextFormat.PlainText)
        self.who.setText(f"{session.annotator} · {describe_location(session.store.url)}")

    def _action(self, text: str, slot: Callable[[], object], keys: tuple[str, ...] | str | QKeySequence.StandardKey = (), *,
                writes: bool = False) -> QAction:
        action = QAction(text, self)
        if isinstance(keys, QKeySequence.StandardKey):
            action.setShortcuts(keys)
        elif isinstance(keys, str):
            action.setShortcut(QKeySequence(keys))
        elif keys:
            action.setShortcuts([QKeySequence(k) for k in keys])
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        if writes:
            self._write_actions.append(action)
        return action

    def _build_actions(self) -> None:
        self._write_actions: list[QAction] = []
        a = self._action
        menu = self.menuBar().addMenu("&File")
        self.act_import_files = a("Import files…", self.import_files, "Ctrl+O", writes=True)
        self.act_import_folder = a("Import folder…", self.import_folder, "Ctrl+Shift+O", writes=True)
        self.act_export_any = a("Export…", self.export_dialog, "Ctrl+Shift+E")
        self.act_export = a("Export JSONL…", self.export_jsonl, "Ctrl+E")
        menu.addActions([self.act_import_files, self.act_import_folder])
        menu.addSeparator()
        menu.addActions([self.act_export_any, self.act_export])
        self._file_menu, self._file_menu_export_end = menu, menu.addSeparator()
        # Some platforms (Windows, minimal Linux sessions) define no Quit key; Ctrl+Q then, so it is one everywhere.
        quit_keys = tuple(k.toString() for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)) or "Ctrl+Q"
        self.act_quit = a("Quit", self.close, quit_keys)
        menu.addAction(self.act_quit)

        menu = self.menuBar().addMenu("&Edit")
        self.act_undo = self.ops.undo_stack.createUndoAction(self, "Undo")
        self.act_undo.setShortcuts(QKeySequence.StandardKey.Undo)
        self.act_redo = self.ops.undo_stack.createRedoAction(self, "Redo")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addActions([self.act_undo, self.act_redo])
        menu.addActions([self.act_undo, self.act_redo])
        menu.addSeparator()
        self.act_delete = a("Delete span", lambda: self.tagging.delete_selected_span(), "Del", writes=True)
        self.act_delete.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.span_list.addAction(self.act_delete)
        self.act_cycle = a("Next label for span", lambda: self.tagging.cycle_label(1), "L", writes=True)
        self.act_cycle_back = a("Previous label for span", lambda: self.tagging.cycle_label(-1), "Shift+L",
                                writes=True)
        self.act_sticky = a("Sticky label", lambda: self.label_bar.sticky_button.toggle(), "S", writes=True)
        self.addAction(self.relations.act_link)
        menu.addActions([self.act_delete, self.act_cycle, self.act_cycle_back, self.act_sticky, self.relations.act_link])
        # start/end of the selected span by key, or set to the selection
        self.span_adjust = SpanAdjuster(self.session, self.ops, self.article, self)
        menu.addMenu(self.span_adjust.menu)
        menu.addSeparator()
        self.edit_menu = menu
        self._label_separator = menu.addSeparator()
        self.act_scheme = a("Tag scheme…", self.edit_scheme)
        menu.addAction(self.act_scheme)
        self._add_label_actions()

        menu = self.menuBar().addMenu("&Document")
        self.act_done_next = a("Mark done and open next undone", self.mark_done_and_next,
                               ("Ctrl+Return", "Ctrl+Enter"), writes=True)
        self.act_reopen = a("Mark in progress", lambda: self.set_status("in_progress"), "Ctrl+Shift+Return",
                            writes=True)
        self.act_next_doc = a("Next document", lambda: self.step_document(1), ("Ctrl+PgDown", "J"))
        self.act_prev_doc = a("Previous document", lambda: self.step_document(-1), ("Ctrl+PgUp", "K"))
        self.act_next_span = a("Next span", lambda: self.tagging.step_span(1), "N")
        self.act_prev_span = a("Previous span", lambda: self.tagging.step_span(-1), "P")
        self.act_search = a("Search documents", self.focus_search, "Ctrl+F")
        self.act_focus_text = a("Focus the article", self.article.setFocus, "Ctrl+T")
        menu.addActions([self.act_done_next, self.act_reopen])
        menu.addSeparator()
        menu.addActions([self.act_next_doc, self.act_prev_doc, self.act_next_span, self.act_prev_span])
        menu.addSeparator()
        menu.addActions([self.act_search, self.act_focus_text])
        bar = self.find_bar
        self.addActions([bar.act_find, bar.act_next, bar.act_previous])
        menu.addActions([bar.act_find, bar.act_next, bar.act_previous])

        menu = self.menuBar().addMenu("&View")
        menu.addAction(a("Zoom in", lambda: self.zoom(1), ("Ctrl+=", "Ctrl++")))
        menu.addAction(a("Zoom out", lambda: self.zoom(-1), "Ctrl+-"))
        menu.addAction(a("Actual size", lambda: self.zoom(0), "Ctrl+0"))
        menu.addSeparator()
        menu.addAction(a("Span list", lambda: self.show_side_tab(self.span_list), "Ctrl+Shift+L"))
        menu.addAction(a("Suggestions", lambda: self.show_side_tab(self.suggestions), "Ctrl+Shift+S"))
        menu.addSeparator()
        menu.addMenu(self.layer_switch.menu)
        self.addActions([self.layer_switch.act_next, self.layer_switch.act_mine])
        menu.addActions([self.layer_switch.act_next, self.layer_switch.act_mine])

        self.tools_menu = self.menuBar().addMenu("&Tools")
        self.tools_menu.menuAction().setVisible(False)
        self.agreement_tools = AgreementTools(self.session, self)
        self.add_tool_action(self.agreement_tools.agreement_action)
        self.add_tool_action(self.agreement_tools.curate_action)
        self.model_tools = ModelTools(self.session, self.ops, self, self.suggestions, self.docs, self.settings)
        self.add_tool_action(self.model_tools.model_action)  # train, scores, thresholds, pattern rules
        self.add_tool_action(self.model_tools.order_menu.menuAction())  # active learning
        from annotator.ui.evidence.evidence_tools import EvidenceTools  # evidence window: Tools → Evidence…

        self.evidence_tools = EvidenceTools(self.session, self.ops, self.open_document, self)
        self.add_tool_action(self.evidence_tools.evidence_action)
        self._file_menu.insertAction(self._file_menu_export_end, self.evidence_tools.report_action)
        self.addAction(self.evidence_tools.report_action)
        from annotator.ui.team.dashboard_tools import DashboardTools  # Tools → Team dashboard…

        self.dashboard_tools = DashboardTools(self.session, self)
        self.add_tool_action(self.dashboard_tools.action)

        from annotator.ui.team.team_tools import TeamTools  # assign, blind mode, approve / return a layer

        self.team_tools = TeamTools(self.session, self.ops, self)
        self.menuBar().addMenu(self.team_tools.menu)
        menu = self.menuBar().addMenu("&Help")
        menu.addAction(a("Keyboard shortcuts", self.show_shortcuts, "F1"))
        menu.addAction(a("About annotator", self.show_about))

    def show_side_tab(self, page: QWidget) -> None:
        """Bring a tab of the right-hand panel (span list or suggestions) forward, with the keyboard in it."""
        self.side_tabs.setCurrentWidget(page)
        page.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _connect(self) -> None:
        session = self.session
        session.failure.connect(self.show_error)
        session.message.connect(lambda text, msecs: self.statusBar().showMessage(text, msecs))
        session.message_withdrawn.connect(
            lambda text: self.statusBar().clearMessage() if self.statusBar().currentMessage() == text else None)
        session.changed.connect(self._on_changed)
        session.document_opened.connect(self._update_enabled)
        self.ops.ask = lambda question, answer: ask(self, question, answer)  # reopening a done document
        self.docs.document_activated.connect(self.open_document)
        self.layer_switch.layer_chosen.connect(
            lambda name: self.open_document(self.session.doc_pk, name) if self.session.doc_pk is not None else None)
        self.label_bar.label_triggered.connect(self.tagging.tag_selection)
        self.label_bar.sticky_changed.connect(self._set_sticky)
        self.fields_strip.finished.connect(lambda: self.article.setFocus(Qt.FocusReason.OtherFocusReason))

    def _set_sticky(self, key: str | None) -> None:
        self.tagging.sticky_label = key

    def _label_pairs(self) -> list[tuple[str, str]]:
        return [(label.key, label.name) for label in self.session.scheme.labels]

    def _add_label_actions(self) -> None:
        """The label bar's actions in the Edit menu (before "Tag scheme…") and as window shortcuts."""
        self.edit_menu.insertActions(self._label_separator,
                                     self.label_bar.all_actions()[: len(self.session.scheme.labels)])
        self.addActions(self.label_bar.all_actions())

    # ================================================================== scheme
    def edit_scheme(self) -> SchemeDialog:
        """Open the tag scheme editor (non-blocking); its Save is an undoable operation here."""
        from annotator.ui.dialogs.scheme_dialog import SchemeDialog

        labels = set(self.label_bar.all_actions())
        reserved = dict(ARTICLE_KEYS)  # keys the article handles itself; the window's actions win below
        for menu_action in self.menuBar().actions():  # Alt+F opens File: a label's Alt+key must not take it
            mnemonic = QKeySequence.mnemonic(menu_action.text()).toString()
            if mnemonic:
                reserved[mnemonic] = f"{menu_action.text().replace('&', '')} menu"
        reserved.update({seq.toString(): act.text().replace("&", "") for act in self.shortcut_actions()
                         if act not in labels for seq in act.shortcuts()})
        dialog = SchemeDialog(self.session, self.ops, reserved_shortcuts=reserved, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _rebuild_label_bar(self) -> None:
        """A saved (or undone) scheme: new label bar, shortcuts and menu entries."""
        old = self.label_bar
        for action in old.all_actions():
            self.removeAction(action)
            self.edit_menu.removeAction(action)
        parent = old.parentWidget()
        self.label_bar = LabelBar(self.session.scheme, parent)
        self.label_bar.set_inset(old.inset)
        layout = parent.layout() if parent is not None else None
        if layout is not None:  # the bar always sits in the central widget's layout
            layout.replaceWidget(old, self.label_bar)
        old.hide()
        old.deleteLater()
        self.label_bar.label_triggered.connect(self.tagging.tag_selection)
        self.label_bar.sticky_changed.connect(self._set_sticky)
        self.tagging.sticky_label = None
        self._add_label_actions()
        self.docs.set_labels(self._label_pairs())
        self._update_enabled()

    def _on_changed(self, changes: Changes) -> None:
        """The window's own share of a change: list rows, and the label bar when the scheme changed."""
        if changes.scheme:
            self._rebuild_label_bar()
        if changes.corpus:
            if self.docs.scope.isHidden():
                self.docs.set_up_queue()  # documents were just assigned (here or by a colleague): offer the queue
            self.docs.apply_filter()
        else:
            for pk in changes.touched_documents():
                self.docs.model.refresh_row(pk)

    # ================================================================== public hooks
    def add_tool_action(self, action: QAction) -> None:
        """Add an entry to the Tools menu (agreement, curation and other views plug in here)."""
        self.tools_menu.menuAction().setVisible(True)
        self.tools_menu.addAction(action)
        self.addAction(action)

    def open_document(self, doc_pk: int, annotator: str | None = None) -> bool:
        """Show document ``doc_pk`` with ``annotator``'s layer (default: the acting annotator's)."""
        ok = self.session.open(doc_pk, annotator)
        if ok:
            self.docs.show_current(doc_pk)
            if self.keep_settings:
                self.settings.setValue("last_document", doc_pk)
        return ok

    def _update_enabled(self) -> None:
        writable = self.session.writable
        for action in self._write_actions:
            action.setEnabled(writable)
        for action in (self.act_import_files, self.act_import_folder):
            action.setEnabled(not self.session.read_only)
        self.label_bar.set_enabled(writable)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        """Say why a label key did nothing: its action is disabled when tagging is off, so the key lands here."""
        blocked = self.session.tagging_blocked()
        if blocked is not None and self._is_label_key(event):
            self.session.say(blocked)
            event.accept()
            return
        super().keyPressEvent(event)

    def _is_label_key(self, event: QKeyEvent) -> bool:
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier  # keypad digits are the same label keys
        pressed = QKeySequence(QKeyCombination(mods, Qt.Key(event.key())))
        return any(seq.matches(pressed) == QKeySequence.SequenceMatch.ExactMatch
                   for action in self.label_bar.all_actions() for seq in action.shortcuts())

    # ================================================================== workflow
    def set_status(self, status: str) -> bool:
        return self.ops.set_status(status)

    def mark_done_and_next(self) -> None:
        """Mark the open document done and open the next undone one the document list shows (its filter)."""
        if self.session.document is None or not self.ops.set_status("done"):
            return
        if self.docs.current_filter() != self.docs.model.filter:  # typed, but the list's pause has not ended
            self.docs.apply_filter()
        target, why_not = next_undone(self.session, self.docs.model.filter, self.docs.model.document_sort)
        if target is None:
            self.statusBar().showMessage(why_not, 8000)
            return
        self.open_document(target)

    def step_document(self, step: int) -> None:
        target = self.docs.neighbour(self.session.doc_pk, step)
        if target is not None:
            self.open_document(target)

    def focus_search(self) -> None:
        self.docs.search.setFocus()
        self.docs.search.selectAll()

    def zoom(self, direction: int) -> None:
        size = DEFAULT_POINT_SIZE if direction == 0 else max(8.0, min(32.0, self.article.point_size() + direction))
        self.article.set_point_size(size)
        self.settings.setValue("font_size", size)

    def show_connection_state(self, state: str, reason: str) -> None:
        """The team server's connection state in the status bar (shown only when not plainly connected)."""
        from annotator.ui.common.live import CONNECTED

        self.connection_badge.setVisible(state != CONNECTED)
        self.connection_badge.setText(f"⚠ {state}" if state != CONNECTED else "")
        self.connection_badge.setToolTip(reason)
        if state != CONNECTED:
            self.statusBar().showMessage(
                f"Database connection {state}: edits cannot be saved until it reconnects (the app keeps trying)"
                if state == "offline" else f"Database connection {state}", 8000)

    def show_error(self, message: str) -> None:
        """Tell the user, without blocking (a test or a screenshot must never wait on a dialog)."""
        self.last_error = message
        self.statusBar().showMessage(message, 10000)
        box = QMessageBox(QMessageBox.Icon.Warning, "annotator", message, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()

    # ================================================================== dialogs
    def shortcut_actions(self) -> list[QAction]:
        return [act for act in self.actions() if not act.shortcut().isEmpty()]

    def show_shortcuts(self) -> ShortcutsDialog:
        rows = menu_groups(self.menuBar(), self.shortcut_actions() + self.fields_strip.focus_actions, renamed={self.span_adjust.menu: "Span boundaries"},
                           labels=self.label_bar.all_actions(), fields=self.fields_strip.focus_actions)
        dialog = ShortcutsDialog(rows, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, "About annotator",
                          f"<b>annotator {__version__}</b><br>Source-grounded tagging of news articles: exact spans,"
                          " agreement, curation, training-data export.", QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        s = self.settings
        if self.keep_settings:
            s.setValue("geometry", self.saveGeometry())
            s.setValue("window_state", self.saveState())
            s.setValue("splitter", self.splitter.saveState())
            s.setValue("font_size", self.article.point_size())
            s.setValue("document_sort", self.docs.sort_setting())
            if self.session.document is not None:
                s.setValue("last_document", self.session.document.pk)
            s.sync()
        self.suggestions.wait_for_workers()  # a running computation must end before the store may close
        self.model_tools.shutdown()
        if self.evidence_tools.view is not None:
            self.evidence_tools.view.wait_for_claims()  # its thread must end before the window is deleted
        self.dashboard_tools.shutdown()
        super().closeEvent(event)
