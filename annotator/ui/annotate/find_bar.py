"""The find bar under the article: find a phrase in the open document and make it the selection.

Keyboard tagging used to cost about fifteen key presses per span, most of them moving the caret. Here
``/`` (or Ctrl+F while the article has the focus; elsewhere Ctrl+F searches the document list) opens the
bar, typing selects the first match after the caret at once, Enter hands the keyboard back to the article
with the match selected — so the next key is a label key — and while the bar is open Enter / Shift+Enter
in the article (and F3 / Shift+F3 anywhere) step to the next / previous match. Escape closes the bar.

Matching (case, accents and whitespace folded, code-point offsets) is :mod:`annotator.core.find`; the
match is selected through :meth:`AnnotationSession.request_text`, like a suggestion row, and the folded
text is computed once per document.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from annotator.core.find import FoldedText
from annotator.ui.annotate.article_view import ArticleView
from annotator.ui.ops.session import AnnotationSession

_NONE = Qt.KeyboardModifier.NoModifier
_SHIFT = Qt.KeyboardModifier.ShiftModifier
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def _mods(event: QKeyEvent) -> Qt.KeyboardModifier:
    return event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier


class FindBar(QWidget):
    """A hidden-until-needed row: query field, "3 of 12", previous / next, close."""

    def __init__(self, session: AnnotationSession, article: ArticleView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.article = article
        self.field = QLineEdit(self)
        self.field.setPlaceholderText("Find in the article…")
        self.field.setAccessibleName("Find in the article")
        self.field.setClearButtonEnabled(True)
        self.count = QLabel("", self)
        self.count.setObjectName("findCount")
        self.count.setMinimumWidth(90)
        self.previous_button = QToolButton(self)
        self.previous_button.setText("↑")
        self.previous_button.setToolTip("Previous match (Shift+Enter, Shift+F3)")
        self.next_button = QToolButton(self)
        self.next_button.setText("↓")
        self.next_button.setToolTip("Next match (Enter, F3)")
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setToolTip("Close (Esc)")
        self.close_button.setAutoRaise(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(32, 4, 32, 4)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.next_button)
        layout.addWidget(self.close_button)
        self.act_next = QAction("Find next in the article", self)
        self.act_next.setShortcut(QKeySequence("F3"))
        self.act_next.triggered.connect(lambda _c=False: self.step(1))
        self.act_previous = QAction("Find previous in the article", self)
        self.act_previous.setShortcut(QKeySequence("Shift+F3"))
        self.act_previous.triggered.connect(lambda _c=False: self.step(-1))
        self.act_find = QAction("Find in the article…", self)  # its keys are the article's own (/ and Ctrl+F)
        self.act_find.triggered.connect(lambda _c=False: self.open())
        self.matches: list[tuple[int, int]] = []
        self.current = -1
        self._folded: FoldedText | None = None
        self._shown_first = False
        """The match typing selected has not yet been handed to the article with Enter."""
        self.field.textChanged.connect(self._search)
        self.field.installEventFilter(self)
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.close_button.clicked.connect(self.close_bar)
        article.installEventFilter(self)
        session.document_opened.connect(self._document_opened)
        self.hide()

    # ------------------------------------------------------------------ opening and closing
    def open(self) -> None:
        """Show the bar with the keyboard in its field (the previous query selected, ready to replace)."""
        self.show()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()
        if self.field.text():
            self._search(self.field.text())

    def close_bar(self) -> None:
        """Hide the bar and give the keyboard back to the article; the current match stays selected."""
        self.hide()
        self.article.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _document_opened(self) -> None:
        self._folded = None
        self.matches, self.current = [], -1
        if self.isVisible() and self.field.text():
            self._search(self.field.text(), select=False)

    # ------------------------------------------------------------------ searching
    def _folded_text(self) -> FoldedText | None:
        doc = self.session.document
        if doc is None:
            return None
        if self._folded is None or self._folded.text is not doc.text:
            self._folded = FoldedText.of(doc.text)
        return self._folded

    def _caret(self) -> int:
        cursor = self.article.textCursor()
        return self.article.bridge.to_cp(cursor.selectionStart())

    def _search(self, query: str, *, select: bool = True) -> None:
        folded = self._folded_text()
        self.matches = folded.find_all(query) if folded is not None else []
        self.current = -1
        self._shown_first = False
        if self.matches and select:
            caret = self._caret()
            self.current = next((i for i, (s, _e) in enumerate(self.matches) if s >= caret), 0)
            self._select_current()
            self._shown_first = True
        elif select and self.article.selection_cp() is not None:
            self.article.clear_selection()  # the previous query's match must not be tagged by mistake
        self._show_count()

    def step(self, direction: int) -> None:
        """Select the next (+1) or previous (-1) match, wrapping around; opens the bar when it is closed."""
        if not self.isVisible():
            self.open()
            if not self.field.text():
                return
        if not self.matches:
            self._show_count()
            return
        selection = self.article.selection_cp()
        if 0 <= self.current < len(self.matches) and selection == self.matches[self.current]:
            self.current = (self.current + direction) % len(self.matches)
        else:  # the caret moved (or the match was tagged): continue from where the caret is now
            caret = self._caret()
            if direction > 0:
                self.current = next((i for i, (s, _e) in enumerate(self.matches) if s >= caret), 0)
            else:
                before = [i for i, (s, _e) in enumerate(self.matches) if s < caret]
                self.current = before[-1] if before else len(self.matches) - 1
        self._select_current()
        self._show_count()

    def _select_current(self) -> None:
        start, end = self.matches[self.current]
        self.session.request_text(start, end)

    def _show_count(self) -> None:
        if not self.field.text().strip():
            self.count.setText("")
        elif not self.matches:
            self.count.setText("No match")
        else:
            self.count.setText(f"{self.current + 1} of {len(self.matches)}" if self.current >= 0
                               else f"{len(self.matches)} matches")

    # ------------------------------------------------------------------ keys
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if not isinstance(event, QKeyEvent) or event.type() not in (QEvent.Type.KeyPress,
                                                                    QEvent.Type.ShortcutOverride):
            return super().eventFilter(watched, event)
        handled = self._field_key(event) if watched is self.field else (
            self._article_key(event) if watched is self.article else False)
        if handled:
            event.accept()  # a ShortcutOverride accepted here keeps Ctrl+F from the window's document search
            return event.type() == QEvent.Type.KeyPress
        return super().eventFilter(watched, event)

    def _field_key(self, event: QKeyEvent) -> bool:
        key, mods = event.key(), _mods(event)
        if key == Qt.Key.Key_Escape and mods == _NONE:
            if event.type() == QEvent.Type.KeyPress:
                self.close_bar()
            return True
        if key in _ENTER and mods in (_NONE, _SHIFT):
            if event.type() == QEvent.Type.KeyPress:
                if self._shown_first and mods == _NONE:
                    self._select_current()  # the match typing found: hand it to the article as it is
                else:
                    self.step(-1 if mods == _SHIFT else 1)
                self._shown_first = False
                if self.matches:
                    self.article.setFocus(Qt.FocusReason.OtherFocusReason)  # a label key now tags the match
            return True
        return False

    def _article_key(self, event: QKeyEvent) -> bool:
        key, mods = event.key(), _mods(event)
        opens = (key == Qt.Key.Key_F and mods == Qt.KeyboardModifier.ControlModifier) or (
            event.text() == "/" and mods in (_NONE, _SHIFT))
        if opens:
            if event.type() == QEvent.Type.KeyPress:
                self.open()
            return True
        if not self.isVisible():
            return False
        if key in _ENTER and mods in (_NONE, _SHIFT):
            if event.type() == QEvent.Type.KeyPress:
                self.step(-1 if mods == _SHIFT else 1)
            return True
        if key == Qt.Key.Key_Escape and mods == _NONE:
            if event.type() == QEvent.Type.KeyPress:
                self.hide()  # the first Escape closes the bar; the next one clears the selection as before
            return True
        return False
