"""The main window: document list | article with label bar | span list, suggestions and details.

The window owns the :class:`AnnotationSession` and :class:`Operations` and hands them to each widget; it keeps
only layout, menus, settings and files. What a key does lives with the widget it belongs to
(``annotate/tagging.py`` for label keys, ``annotate/span_adjust.py`` for boundaries), what changes data lives
in ``ops/``, and every view refreshes itself from the session's ``changed`` signal
(see ``docs/architecture.md``). Tests build as many windows as they like: nothing here is global.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QByteArray, QKeyCombination, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator import __version__
from annotator.store import queries
from annotator.store.database import Store, describe_location
from annotator.ui.agreement.agreement_tools import AgreementTools
from annotator.ui.annotate.article_binding import ArticleBinding
from annotator.ui.annotate.article_header import ArticleHeader
from annotator.ui.annotate.article_view import ARTICLE_KEYS, ArticleView
from annotator.ui.annotate.document_list import DocumentList
from annotator.ui.annotate.label_bar import LabelBar
from annotator.ui.annotate.span_adjust import SpanAdjuster
from annotator.ui.annotate.span_details import SpanDetails
from annotator.ui.annotate.span_list import SpanList
from annotator.ui.annotate.suggestion_list import SuggestionPanel
from annotator.ui.annotate.tagging import TaggingController
from annotator.ui.common.workers import export_work, import_work, run_with_progress
from annotator.ui.dialogs.shortcuts_dialog import ShortcutsDialog
from annotator.ui.ops.changes import Changes
from annotator.ui.ops.operations import Operations
from annotator.ui.ops.session import AnnotationSession

DEFAULT_POINT_SIZE = 13.0
IMPORT_LINES_SHOWN = 12
"""Refused files and notes listed after an import; the rest are counted."""


def default_settings() -> QSettings:
    """QSettings in an INI file beside annotator's settings.json (isolated per user config dir)."""
    from annotator.config import config_path

    return QSettings(str(config_path().with_name("ui.ini")), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    def __init__(self, store: Store, annotator: str, *, settings: QSettings | None = None,
                 read_only_reason: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings if settings is not None else default_settings()
        self.session = AnnotationSession(store, annotator, read_only_reason=read_only_reason, parent=self)
        self.ops = Operations(self.session, self)
        self.last_error: str | None = None
        self.last_export_message: str | None = None
        self.last_import_message: str | None = None
        self.setWindowTitle(f"annotator — {annotator}")
        self._build_widgets()
        self._build_actions()
        self._connect()
        self.docs.model.reload()
        self._restore_settings()
        self._update_enabled()

    @property
    def store(self) -> Store:
        return self.session.store

    @property
    def annotator(self) -> str:
        return self.session.annotator

    # ================================================================== construction
    def _build_widgets(self) -> None:
        session, ops = self.session, self.ops
        self.docs = DocumentList(session.store, session.annotator, self._label_pairs(), self)
        self.header = ArticleHeader(session, self)
        self.label_bar = LabelBar(session.scheme, self)
        self.article = ArticleView(self)
        self.article_binding = ArticleBinding(session, self.article)
        self.tagging = TaggingController(session, ops, self.article)
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setObjectName("readOnlyBanner")
        self.banner.setStyleSheet("QLabel#readOnlyBanner { background: #F0E442; color: #1a1a1a; padding: 6px 10px;"
                                  " font-weight: 600; border-radius: 3px; }")
        self.banner.setText(f"Read-only: {session.read_only_reason}. You can read and export; tagging and status "
                            "changes are off.")
        self.banner.setVisible(session.read_only)
        self.span_list = SpanList(session, self)
        self.details = SpanDetails(session, ops, self)

        centre = QWidget(self)
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        head_box = QWidget(centre)
        head_layout = QVBoxLayout(head_box)
        head_layout.setContentsMargins(32, 4, 32, 0)
        head_layout.addWidget(self.banner)
        head_layout.addWidget(self.header)
        column.addWidget(head_box)
        column.addWidget(self.label_bar)
        column.addWidget(self.article, 1)

        right = QSplitter(Qt.Orientation.Vertical, self)
        self.suggestions = SuggestionPanel(session, ops, self)  # phrases tagged elsewhere, offered here
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
        right.setMinimumWidth(280)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.docs)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([440, 660, 380])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self.connection_badge = QLabel(self)
        self.connection_badge.setObjectName("connection_state")
        self.connection_badge.hide()
        self.statusBar().addPermanentWidget(self.connection_badge)
        self.who = QLabel(self)
        self.statusBar().addPermanentWidget(self.who)
        self.who.setTextFormat(Qt.TextFormat.PlainText)
        self.who.setText(f"{session.annotator} · {describe_location(session.store.url)}")

    def _action(self, text: str, slot, keys: tuple[str, ...] | str | QKeySequence.StandardKey = (), *,  # type: ignore[no-untyped-def]
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
        menu.addActions([self.act_delete, self.act_cycle, self.act_cycle_back, self.act_sticky])
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

        menu = self.menuBar().addMenu("&View")
        menu.addAction(a("Zoom in", lambda: self.zoom(1), ("Ctrl+=", "Ctrl++")))
        menu.addAction(a("Zoom out", lambda: self.zoom(-1), "Ctrl+-"))
        menu.addAction(a("Actual size", lambda: self.zoom(0), "Ctrl+0"))
        menu.addSeparator()
        menu.addAction(a("Span list", lambda: self.show_side_tab(self.span_list), "Ctrl+Shift+L"))
        menu.addAction(a("Suggestions", lambda: self.show_side_tab(self.suggestions), "Ctrl+Shift+S"))

        self.tools_menu = self.menuBar().addMenu("&Tools")
        self.tools_menu.menuAction().setVisible(False)
        self.agreement_tools = AgreementTools(self.session, self)
        self.add_tool_action(self.agreement_tools.agreement_action)
        self.add_tool_action(self.agreement_tools.curate_action)
        from annotator.ui.evidence.evidence_tools import EvidenceTools  # evidence window: Tools → Evidence…

        self.evidence_tools = EvidenceTools(self.session, self.ops, self.open_document, self)
        self.add_tool_action(self.evidence_tools.evidence_action)
        self._file_menu.insertAction(self._file_menu_export_end, self.evidence_tools.report_action)
        self.addAction(self.evidence_tools.report_action)

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
        session.changed.connect(self._on_changed)
        session.document_opened.connect(self._update_enabled)
        self.docs.document_activated.connect(self.open_document)
        self.label_bar.label_triggered.connect(self.tagging.tag_selection)
        self.label_bar.sticky_changed.connect(self._set_sticky)

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
    def edit_scheme(self):  # type: ignore[no-untyped-def]
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
        self.label_bar = LabelBar(self.session.scheme, old.parentWidget())
        old.parentWidget().layout().replaceWidget(old, self.label_bar)
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
        session = self.session
        if session.document is None or not self.ops.set_status("done"):
            return
        with session.store.session() as db:
            target = queries.next_undone(db, session.annotator, session.document.pk)
        if target is None:
            self.statusBar().showMessage("Every document is done. 🎉", 6000)
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

    def start_import(self, paths: list[str], format_name: str | None = None):  # type: ignore[no-untyped-def]
        def done(summary) -> None:  # type: ignore[no-untyped-def]
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

    def export_dialog(self):  # type: ignore[no-untyped-def]
        """Ask for format, layers and destination (non-blocking), then export on the worker thread."""
        from annotator.ui.dialogs.export_dialog import ExportDialog

        dialog = ExportDialog(self.annotator, directory=str(self.settings.value("export_dir", "") or ""), parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(self._export_chosen)
        dialog.open()
        return dialog

    def _export_chosen(self, choice) -> None:  # type: ignore[no-untyped-def]
        self.settings.setValue("export_dir", str(choice.path.parent))
        self.start_export(choice.path, choice.format_name, choice.annotators(self.annotator), choice.only_annotated)

    def start_export(self, path: Path, format_name: str = "jsonl", annotators: list[str] | None = None,  # type: ignore[no-untyped-def]
                     only_annotated: bool = False):
        from annotator.ui.dialogs.export_dialog import describe_report

        def done(report) -> None:  # type: ignore[no-untyped-def]
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

    # ================================================================== dialogs
    def shortcut_actions(self) -> list[QAction]:
        return [act for act in self.actions() if not act.shortcut().isEmpty()]

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(self.shortcut_actions(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, "About annotator",
                          f"<b>annotator {__version__}</b><br>Source-grounded tagging of news articles: exact spans,"
                          " agreement, curation, training-data export.", QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # ================================================================== settings
    def _restore_settings(self) -> None:
        s = self.settings
        geometry = s.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1420, 880)
        state = s.value("window_state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        splitter = s.value("splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        try:
            size = float(s.value("font_size", DEFAULT_POINT_SIZE))
        except (TypeError, ValueError):
            size = DEFAULT_POINT_SIZE
        self.article.set_point_size(size)

    def open_initial(self, doc_pk: int | None = None) -> None:
        """Open ``doc_pk``, else the last document seen, else the first in the list."""
        candidates = [doc_pk]
        with contextlib.suppress(TypeError, ValueError):
            candidates.append(int(self.settings.value("last_document", 0) or 0) or None)
        candidates.append(self.docs.model.pks[0] if self.docs.model.pks else None)
        for pk in candidates:
            if pk is not None and self.open_document(pk):
                return

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        s = self.settings
        s.setValue("geometry", self.saveGeometry())
        s.setValue("window_state", self.saveState())
        s.setValue("splitter", self.splitter.saveState())
        s.setValue("font_size", self.article.point_size())
        if self.session.document is not None:
            s.setValue("last_document", self.session.document.pk)
        s.sync()
        self.suggestions.wait_for_workers()  # a running computation must end before the store may close
        super().closeEvent(event)
