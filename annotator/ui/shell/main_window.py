"""The main window: document list | article with label bar | span list and details.

The window wires widgets to :class:`Operations` and refreshes only what an operation reports as changed.
It receives the store and the acting annotator (no globals), so tests build as many windows as they like.
Hooks for other parts of the app: :meth:`add_tool_action` (the Tools menu), :meth:`open_document`, and
:meth:`refresh_from_store` — the slot a team-mode poller's ``data_changed`` signal connects to.
"""

from __future__ import annotations

import contextlib
import gc
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
from annotator.core.selection import span_from_selection
from annotator.store import queries
from annotator.store import repository as repo
from annotator.store.database import Store, describe_location
from annotator.store.queries import LoadedDocument
from annotator.store.repository import SpanView
from annotator.ui.annotate.article_header import ArticleHeader
from annotator.ui.annotate.article_view import ARTICLE_KEYS, ArticleView
from annotator.ui.annotate.document_list import DocumentList
from annotator.ui.annotate.label_bar import LabelBar
from annotator.ui.annotate.span_adjust import SpanAdjuster
from annotator.ui.annotate.span_details import SpanDetails
from annotator.ui.annotate.span_index import IndexedSpan
from annotator.ui.annotate.span_list import SpanList
from annotator.ui.annotate.suggestion_list import SuggestionPanel
from annotator.ui.common.workers import export_work, import_work, run_with_progress
from annotator.ui.dialogs.shortcuts_dialog import ShortcutsDialog
from annotator.ui.ops.operations import Operations, describe_failure

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
        self.store = store
        self.annotator = annotator
        self.settings = settings if settings is not None else default_settings()
        self.read_only = store.read_only or read_only_reason is not None
        self.last_error: str | None = None
        self.last_export_message: str | None = None
        self.last_import_message: str | None = None
        self.current: LoadedDocument | None = None
        self.layer_owner = annotator
        self.status = "todo"
        self.spans: dict[int, SpanView] = {}
        if not self.read_only:
            try:
                with store.write() as session:
                    repo.ensure_default_scheme(session)
                    repo.get_or_create_annotator(session, annotator)
            except Exception as exc:  # a write-protected file that SQLite only now refuses
                self.read_only = True
                read_only_reason = describe_failure(exc)
        with store.session() as session:
            self.scheme = repo.get_scheme(session)
        self.ops = Operations(store, annotator, self)
        self.ops.read_only = self.read_only
        self.setWindowTitle(f"annotator — {annotator}")
        self._build_widgets(read_only_reason)
        self._build_actions()
        self._connect()
        self.docs.model.reload()
        self._restore_settings()
        self._update_enabled()

    # ================================================================== construction
    def _build_widgets(self, read_only_reason: str | None) -> None:
        labels = [(lbl.key, lbl.name) for lbl in self.scheme.labels]
        self.docs = DocumentList(self.store, self.annotator, labels, self)
        self.header = ArticleHeader(self)
        self.label_bar = LabelBar(self.scheme, self)
        self.article = ArticleView(self)
        self.article.set_label_colors({lbl.key: lbl.color for lbl in self.scheme.labels})
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setObjectName("readOnlyBanner")
        self.banner.setStyleSheet("QLabel#readOnlyBanner { background: #F0E442; color: #1a1a1a; padding: 6px 10px;"
                                  " font-weight: 600; border-radius: 3px; }")
        reason = read_only_reason or ("opened read-only" if self.read_only else "")
        self.read_only_reason = reason
        self.banner.setText(f"Read-only: {reason}. You can read and export; tagging and status changes are off.")
        self.banner.setVisible(self.read_only)
        self.span_list = SpanList(self)
        self.span_list.span_model.set_scheme([(lbl.key, lbl.name, lbl.color) for lbl in self.scheme.labels])
        self.details = SpanDetails(self)
        self.details.set_read_only(self.read_only)

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
        self.suggestions = SuggestionPanel(self)  # phrases tagged elsewhere, offered here (a tab beside the spans)
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
        self.who = QLabel(self)
        self.statusBar().addPermanentWidget(self.who)
        self.who.setTextFormat(Qt.TextFormat.PlainText)
        self.who.setText(f"{self.annotator} · {describe_location(self.store.url)}")

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
        menu.addSeparator()
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
        self.act_delete = a("Delete span", self.delete_selected_span, "Del", writes=True)
        self.act_delete.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.span_list.addAction(self.act_delete)
        self.act_cycle = a("Next label for span", lambda: self.cycle_label(1), "L", writes=True)
        self.act_cycle_back = a("Previous label for span", lambda: self.cycle_label(-1), "Shift+L", writes=True)
        self.act_sticky = a("Sticky label", lambda: self.label_bar.sticky_button.toggle(), "S", writes=True)
        menu.addActions([self.act_delete, self.act_cycle, self.act_cycle_back, self.act_sticky])
        self.span_adjust = SpanAdjuster(self)  # start/end of the selected span by key, or set to the selection
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
        self.act_next_span = a("Next span", lambda: self.step_span(1), "N")
        self.act_prev_span = a("Previous span", lambda: self.step_span(-1), "P")
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

        menu = self.menuBar().addMenu("&Help")
        menu.addAction(a("Keyboard shortcuts", self.show_shortcuts, "F1"))
        menu.addAction(a("About annotator", self.show_about))

    def show_side_tab(self, page: QWidget) -> None:
        """Bring a tab of the right-hand panel (span list or suggestions) forward, with the keyboard in it."""
        self.side_tabs.setCurrentWidget(page)
        page.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _connect(self) -> None:
        ops = self.ops
        ops.span_added.connect(self._on_span_added)
        ops.span_removed.connect(self._on_span_removed)
        ops.span_changed.connect(self._on_span_changed)
        ops.status_changed.connect(self._on_status_changed)
        ops.failed.connect(self.show_error)
        ops.reload_needed.connect(self._on_reload_needed)
        self._stack_index = 0
        self._changed_elsewhere: int | None = None
        ops.undo_stack.indexChanged.connect(self._after_stack_step)
        self.docs.document_activated.connect(self.open_document)
        self.label_bar.label_triggered.connect(self.tag_selection)
        self.article.span_clicked.connect(lambda sid: self.select_span(sid if sid >= 0 else None, scroll=False))
        self.article.navigate_span.connect(self.step_span)
        self.article.delete_requested.connect(self.delete_selected_span)
        self.article.mouse_selection_finished.connect(self._sticky_tag)
        self.article.enter_pressed.connect(self._sticky_tag)
        self.span_list.span_picked.connect(lambda sid: self.select_span(sid, scroll=True))
        self.details.note_edited.connect(lambda sid, note: self._update_span(sid, note=note))
        self.details.attributes_edited.connect(lambda sid, attrs: self._update_span(sid, attributes=attrs))

    def _add_label_actions(self) -> None:
        """The label bar's actions in the Edit menu (before "Tag scheme…") and as window shortcuts."""
        self.edit_menu.insertActions(self._label_separator, self.label_bar.all_actions()[: len(self.scheme.labels)])
        self.addActions(self.label_bar.all_actions())

    # ================================================================== scheme
    def edit_scheme(self):  # type: ignore[no-untyped-def]
        """Open the tag scheme editor (non-blocking); saving it reloads labels, colours and shortcuts here."""
        from annotator.ui.dialogs.scheme_dialog import SchemeDialog

        labels = set(self.label_bar.all_actions())
        reserved = dict(ARTICLE_KEYS)  # keys the article handles itself; the window's actions win below
        for menu_action in self.menuBar().actions():  # Alt+F opens File: a label's Alt+key must not take it
            mnemonic = QKeySequence.mnemonic(menu_action.text()).toString()
            if mnemonic:
                reserved[mnemonic] = f"{menu_action.text().replace('&', '')} menu"
        reserved.update({seq.toString(): act.text().replace("&", "") for act in self.shortcut_actions()
                         if act not in labels for seq in act.shortcuts()})
        dialog = SchemeDialog(self.store, self.annotator, reserved_shortcuts=reserved, read_only=self.read_only,
                              parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.scheme_saved.connect(self.reload_scheme)
        dialog.open()
        return dialog

    def reload_scheme(self) -> None:
        """Re-read the scheme and rebuild what shows it: label bar, shortcuts, colours, filters, open document."""
        with self.store.session() as session:
            self.scheme = repo.get_scheme(session)
        old = self.label_bar
        for action in old.all_actions():
            self.removeAction(action)
            self.edit_menu.removeAction(action)
        self.label_bar = LabelBar(self.scheme, old.parentWidget())
        old.parentWidget().layout().replaceWidget(old, self.label_bar)
        old.hide()
        old.deleteLater()
        self.label_bar.label_triggered.connect(self.tag_selection)
        self._add_label_actions()
        colors = {lbl.key: lbl.color for lbl in self.scheme.labels}
        self.article.set_label_colors(colors)
        self.span_list.span_model.set_scheme([(lbl.key, lbl.name, lbl.color) for lbl in self.scheme.labels])
        self.docs.set_labels([(lbl.key, lbl.name) for lbl in self.scheme.labels])
        if self.current is not None:
            self._load(self.current.pk, self.layer_owner, keep_scroll=True)
        self._update_enabled()
        self.statusBar().showMessage("Tag scheme saved.", 5000)

    # ================================================================== public hooks
    def add_tool_action(self, action: QAction) -> None:
        """Add an entry to the Tools menu (agreement, curation and other views plug in here)."""
        self.tools_menu.menuAction().setVisible(True)
        self.tools_menu.addAction(action)
        self.addAction(action)

    def refresh_from_store(self, doc_pks: list[int] | None = None) -> None:
        """Re-read what others may have changed: the document list, and the open document if affected.

        Team mode's poller connects its ``data_changed`` signal here. ``None`` means "anything may have
        changed"; the open document is then reloaded too.
        """
        self.docs.apply_filter()
        if self.current is not None and (doc_pks is None or self.current.pk in doc_pks):
            self._load(self.current.pk, self.layer_owner, keep_scroll=True)

    def open_document(self, doc_pk: int, annotator: str | None = None) -> bool:
        """Show document ``doc_pk`` with ``annotator``'s layer (default: the acting annotator's)."""
        ok = self._load(doc_pk, annotator or self.annotator)
        if ok:
            self.docs.show_current(doc_pk)
            self.settings.setValue("last_document", doc_pk)
        return ok

    # ================================================================== loading
    def _load(self, doc_pk: int, owner: str, *, keep_scroll: bool = False) -> bool:
        scroll = self.article.verticalScrollBar().value()
        # Loading builds ~10,000 small objects for a large layer; a collector pass in the middle of that
        # costs more than the loading itself, so collection waits until the document is shown.
        gc.disable()
        try:
            return self._load_now(doc_pk, owner, keep_scroll, scroll)
        finally:
            gc.enable()

    def _load_now(self, doc_pk: int, owner: str, keep_scroll: bool, scroll: int) -> bool:
        with self.store.session() as session:
            doc = queries.load_document(session, doc_pk)
            if doc is None:
                self.statusBar().showMessage(f"Document {doc_pk} no longer exists.", 5000)
                return False
            spans = queries.layer_spans(session, doc_pk, owner)
            status = queries.layer_status(session, doc_pk, owner)
        self.current = doc
        self.layer_owner = owner
        self.status = status
        self.spans = {s.id: s for s in spans}
        self.article.set_document(doc.text, [IndexedSpan(s.id, s.start, s.end, s.label) for s in spans])
        if keep_scroll:
            self.article.verticalScrollBar().setValue(scroll)
        self.span_list.span_model.set_spans(spans)
        self.header.show_document(doc, status, owner if owner != self.annotator else "")
        self.details.show_span(None)
        self._update_enabled()
        self.suggestions.document_changed()
        return True

    def _update_enabled(self) -> None:
        writable = not self.read_only and self.current is not None and self.layer_owner == self.annotator
        for action in self._write_actions:
            action.setEnabled(writable)
        for action in (self.act_import_files, self.act_import_folder):
            action.setEnabled(not self.read_only)
        self.label_bar.set_enabled(writable)

    # ================================================================== tagging
    def edit_blocked(self, outcome: str, to_do: str) -> str | None:
        """Why the open layer cannot be changed right now, as a status-bar sentence that ends with
        ``outcome`` ("the tag was not added") and points to your own layer "to ``to_do``"; None when it can.
        """
        if self.read_only:
            if self.read_only_reason == "opened read-only":
                return f"Read-only: this database was opened read-only; {outcome}."
            return f"Read-only ({self.read_only_reason}): {outcome}."
        if self.current is None:
            return f"Open a document first: {outcome}."
        if self.layer_owner != self.annotator:
            return (f"This is {self.layer_owner}'s layer, which only they can change: {outcome}. "
                    f"Open your own layer to {to_do}.")
        return None

    def tagging_blocked(self) -> str | None:
        """Why a label key cannot tag right now (a status-bar sentence), or None when it can."""
        return self.edit_blocked("the tag was not added", "tag")

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        """Say why a label key did nothing: its action is disabled when tagging is off, so the key lands here."""
        blocked = self.tagging_blocked()
        if blocked is not None and self._is_label_key(event):
            self.statusBar().showMessage(blocked, 8000)
            event.accept()
            return
        super().keyPressEvent(event)

    def _is_label_key(self, event: QKeyEvent) -> bool:
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier  # keypad digits are the same label keys
        pressed = QKeySequence(QKeyCombination(mods, Qt.Key(event.key())))
        return any(seq.matches(pressed) == QKeySequence.SequenceMatch.ExactMatch
                   for action in self.label_bar.all_actions() for seq in action.shortcuts())

    def tag_selection(self, label: str, snap: bool = True) -> SpanView | None:
        """Store the article's selection as a span of ``label``; with no selection, relabel the selected span."""
        blocked = self.tagging_blocked()
        if blocked is not None:
            self.statusBar().showMessage(blocked, 8000)
            return None
        selection = self.article.selection_cp()
        if selection is None:
            span = self.spans.get(self.article.selected_span) if self.article.selected_span is not None else None
            if span is not None and span.label != label:
                self.ops.update_span(self.current.pk, span, label=label)
            return None
        bounds = span_from_selection(self.current.text, *selection, snap=snap)
        if bounds is None:
            self.statusBar().showMessage("Nothing to tag: the selection is only whitespace.", 4000)
            return None
        return self.ops.add_span(self.current.pk, bounds[0], bounds[1], label)

    def _sticky_tag(self) -> None:
        if self.label_bar.sticky_label and self.article.selection_cp() is not None:
            self.tag_selection(self.label_bar.sticky_label, True)

    def _update_span(self, span_id: int, **changes) -> None:  # type: ignore[no-untyped-def]
        span = self.spans.get(span_id)
        if span is not None and self.current is not None:
            self.ops.update_span(self.current.pk, span, **changes)

    def selected_span(self) -> SpanView | None:
        sid = self.article.selected_span
        return self.spans.get(sid) if sid is not None else None

    def select_span(self, span_id: int | None, *, scroll: bool = True) -> None:
        self.article.select_span(span_id, scroll=scroll)
        self.span_list.show_span(span_id)
        span = self.spans.get(span_id) if span_id is not None else None
        label = self.scheme.get(span.label) if span else None
        self.details.show_span(span, label.name if label else "")

    def delete_selected_span(self) -> None:
        span = self.selected_span()
        if span is not None and self.current is not None and not self.read_only:
            self.ops.delete_span(self.current.pk, span)

    def cycle_label(self, step: int) -> None:
        span = self.selected_span()
        keys = self.scheme.keys()
        if span is None or self.current is None or not keys:
            return
        index = keys.index(span.label) if span.label in keys else -1
        self.ops.update_span(self.current.pk, span, label=keys[(index + step) % len(keys)])

    def step_span(self, step: int) -> None:
        ids = self.article.index.ordered_ids()
        if not ids:
            return
        current = self.article.selected_span
        if current in ids:
            target = ids[(ids.index(current) + step) % len(ids)]
        else:
            cursor_cp = self.article.bridge.to_cp(self.article.textCursor().position())
            starts = self.article.index.by_id
            if step > 0:
                after = [sid for sid in ids if starts[sid].start >= cursor_cp]
                target = after[0] if after else ids[0]
            else:  # the nearest span before the caret, not always the article's last one
                before = [sid for sid in ids if starts[sid].start < cursor_cp]
                target = before[-1] if before else ids[-1]
        self.select_span(target, scroll=True)

    # ================================================================== workflow
    def set_status(self, status: str) -> bool:
        if self.current is None:
            return False
        return self.ops.set_status(self.current.pk, self.status, status)

    def mark_done_and_next(self) -> None:
        if self.current is None or not self.set_status("done"):
            return
        with self.store.session() as session:
            target = queries.next_undone(session, self.annotator, self.current.pk)
        if target is None:
            self.statusBar().showMessage("Every document is done. 🎉", 6000)
            return
        self.open_document(target)

    def step_document(self, step: int) -> None:
        target = self.docs.neighbour(self.current.pk if self.current else None, step)
        if target is not None:
            self.open_document(target)

    def focus_search(self) -> None:
        self.docs.search.setFocus()
        self.docs.search.selectAll()

    def zoom(self, direction: int) -> None:
        size = DEFAULT_POINT_SIZE if direction == 0 else max(8.0, min(32.0, self.article.point_size() + direction))
        self.article.set_point_size(size)
        self.settings.setValue("font_size", size)

    # ================================================================== operation results
    def _on_span_added(self, doc_pk: int, span: SpanView) -> None:
        self.docs.model.refresh_row(doc_pk)
        self._note_elsewhere(doc_pk)
        if self.current is None or doc_pk != self.current.pk or self.layer_owner != self.annotator:
            return
        self.spans[span.id] = span
        self.article.add_span(IndexedSpan(span.id, span.start, span.end, span.label))
        self.span_list.span_model.add(span)
        self.article.clear_selection()
        self.select_span(span.id, scroll=False)
        if self.status == "todo":
            self.status = "in_progress"
            self.header.show_document(self.current, self.status, "")

    def _on_span_removed(self, doc_pk: int, span_id: int) -> None:
        self.docs.model.refresh_row(doc_pk)
        self._note_elsewhere(doc_pk)
        if self.current is None or doc_pk != self.current.pk or self.layer_owner != self.annotator:
            return
        self.spans.pop(span_id, None)
        self.article.remove_span(span_id)
        self.span_list.span_model.remove(span_id)
        self.select_span(None, scroll=False)

    def _on_span_changed(self, doc_pk: int, span: SpanView) -> None:
        self.docs.model.refresh_row(doc_pk)
        self._note_elsewhere(doc_pk)
        if self.current is None or doc_pk != self.current.pk or self.layer_owner != self.annotator:
            return
        before = self.spans.get(span.id)
        self.spans[span.id] = span
        if before is not None and (before.start, before.end) != (span.start, span.end):  # boundaries adjusted
            self.article.move_span(IndexedSpan(span.id, span.start, span.end, span.label))
            self.span_list.span_model.remove(span.id)  # its row moves to keep the list in text order
            self.span_list.span_model.add(span)
        else:
            self.article.relabel_span(span.id, span.label)
            self.span_list.span_model.replace(span)
        if self.article.selected_span == span.id:
            self.select_span(span.id, scroll=False)

    def _on_status_changed(self, doc_pk: int, status: str) -> None:
        self.docs.model.refresh_row(doc_pk)
        self._note_elsewhere(doc_pk)
        if self.current is not None and doc_pk == self.current.pk and self.layer_owner == self.annotator:
            self.status = status
            self.header.show_document(self.current, status, "")

    def _note_elsewhere(self, doc_pk: int) -> None:
        """Remember a change to a document that is not open (only undo/redo reach one) to say so after it."""
        if self.current is None or doc_pk != self.current.pk:
            self._changed_elsewhere = doc_pk

    def _after_stack_step(self, index: int) -> None:
        """After an undo or redo that changed another document, name it: the open view shows no change."""
        previous, self._stack_index = self._stack_index, index
        doc_pk, self._changed_elsewhere = self._changed_elsewhere, None
        if doc_pk is None or index == previous:
            return
        undo = index < previous
        command = self.ops.undo_stack.command(index if undo else index - 1)
        row = self.docs.model.row_of(doc_pk)
        title = self.docs.model.document_row(row).title if row is not None else ""
        if not title:
            with self.store.session() as session:
                doc = queries.load_document(session, doc_pk)
            title = (doc.title or doc.doc_id) if doc is not None else f"document {doc_pk}"
        what = command.text() if command is not None else "change"
        self.statusBar().showMessage(f"{'Undo' if undo else 'Redo'}: {what} in “{title}” (not the open document).",
                                     8000)

    def _on_reload_needed(self, doc_pk: int) -> None:
        self.docs.model.refresh_row(doc_pk)
        if self.current is not None and doc_pk == self.current.pk:
            self._load(doc_pk, self.layer_owner, keep_scroll=True)

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
            if self.current is None and self.docs.model.pks:
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
        if self.current is not None:
            s.setValue("last_document", self.current.pk)
        s.sync()
        super().closeEvent(event)
