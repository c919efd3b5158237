"""One compact control per document field, by kind: option chips, a checkbox, or a checked line edit.

Why a module of its own: the fields strip (:mod:`annotator.ui.annotate.fields_strip`) lays controls out
and follows the session; what a control looks like and which keys it takes depends only on the field's
kind, and lives here. Every control is keyboard-first: once focused (the field's shortcut), a digit picks
the option of that number, a letter the next option starting with it, Backspace/Delete clears, and
Enter/Esc hand the keyboard back to the article. Those keys — and any other printable key, which then does
nothing — are claimed before the window's shortcuts see them (label keys 1–5 would otherwise tag, J/K open
another document). A typed field stores its entry on Enter or when the keyboard leaves it. A control never stores anything itself: it calls
``commit(value)``, which runs the set-field operation, and shows what the session holds afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QToolButton, QWidget

from annotator.core.errors import AnnotatorError
from annotator.core.scheme_parts import FieldDef
from annotator.core.typed_values import parse_text, value_text

Commit = Callable[[Any], object]
PLACEHOLDER = {"number": "number", "date": "YYYY-MM-DD", "text": "text"}
EDIT_WIDTH = {"number": 90, "date": 110, "text": 200}
_RETURN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape)
_CLEAR_KEYS = (Qt.Key.Key_Backspace, Qt.Key.Key_Delete)


def plain_key(event: QKeyEvent) -> bool:
    """A key pressed without Ctrl, Alt or Meta (Shift and the keypad are allowed)."""
    mods = event.modifiers() & ~(Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier)
    return mods == Qt.KeyboardModifier.NoModifier


class FieldControl(QObject):
    """The widgets of one field in the strip and the keys they take; ``finished`` returns focus to the article."""

    def __init__(self, definition: FieldDef, parent: QWidget, commit: Commit, finished: Callable[[], None],
                 report: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.definition = definition
        self.commit = commit
        self.finished = finished
        self.report = report
        self.value: Any = None
        self.name = QLabel(f"{definition.name}:", parent)
        self.name.setObjectName(f"field_name_{definition.key}")
        tip = definition.guideline
        if definition.shortcut:
            tip = f"{tip}\n({definition.shortcut} to focus; then a number or first letter)".strip()
        self.name.setToolTip(tip)
        self.widgets: list[QWidget] = [self.name]

    def focus_widget(self) -> QWidget:
        raise NotImplementedError

    def show_value(self, value: Any) -> None:
        raise NotImplementedError

    def set_editable(self, editable: bool, why_not: str) -> None:
        for widget in self.widgets[1:]:
            widget.setEnabled(editable)
            widget.setToolTip(self.name.toolTip() if editable else why_not)
        self.name.setEnabled(editable)

    def focus(self) -> None:
        self.focus_widget().setFocus(Qt.FocusReason.ShortcutFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """The keys of a focused control: claimed from the window's shortcuts, then handled here."""
        if event.type() not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        if not plain_key(event) or not self.takes(event):
            return False
        event.accept()
        if event.type() == QEvent.Type.KeyPress:
            self.key(event)
        return True

    def takes(self, event: QKeyEvent) -> bool:
        return event.key() in _RETURN_KEYS or event.key() in _CLEAR_KEYS

    def key(self, event: QKeyEvent) -> None:
        if event.key() in _CLEAR_KEYS:
            self.commit(None)
        elif event.key() in _RETURN_KEYS:
            self.finished()


class OptionsControl(FieldControl):
    """``choice`` (one option; pressing the chosen one again clears it) and ``multi`` (options toggle)."""

    def __init__(self, definition: FieldDef, parent: QWidget, commit: Commit, finished: Callable[[], None],
                 report: Callable[[str], None]) -> None:
        super().__init__(definition, parent, commit, finished, report)
        self.buttons: list[QToolButton] = []
        for n, option in enumerate(definition.options):
            button = QToolButton(parent)
            button.setObjectName(f"field_{definition.key}_{n}")
            button.setText(f"{n + 1} {option}" if n < 9 else option)
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.clicked.connect(lambda _checked=False, o=option: self.pick(o))
            button.installEventFilter(self)
            self.buttons.append(button)
        self.widgets.extend(self.buttons)

    def focus_widget(self) -> QWidget:
        chosen = [b for b, o in zip(self.buttons, self.definition.options, strict=True) if self._has(o)]
        return (chosen or self.buttons)[0]

    def _has(self, option: str) -> bool:
        if self.definition.kind == "multi":
            return isinstance(self.value, list) and option in self.value
        return self.value == option

    def show_value(self, value: Any) -> None:
        self.value = value
        for button, option in zip(self.buttons, self.definition.options, strict=True):
            button.setChecked(self._has(option))
            font = button.font()
            font.setBold(self._has(option))
            button.setFont(font)

    def pick(self, option: str) -> None:
        """Choose (or toggle, for ``multi``) one option; choosing the chosen choice again clears the field."""
        if self.definition.kind == "multi":
            chosen = set(self.value or [])
            chosen ^= {option}
            self.commit(sorted(chosen) or None)
        else:
            self.commit(None if self.value == option else option)
        self.show_value(self.value)  # a refused change leaves the buttons as the session holds them
        focused = [b for b, o in zip(self.buttons, self.definition.options, strict=True) if o == option]
        if focused and any(b.hasFocus() for b in self.buttons):
            focused[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def takes(self, event: QKeyEvent) -> bool:
        """Every printable key: one naming no option does nothing (it must not tag or open a document)."""
        text = event.text()
        return super().takes(event) or (len(text) == 1 and text.isprintable() and text != " ")

    def key(self, event: QKeyEvent) -> None:
        option = self._option_for(event)
        if option is not None:
            self.pick(option)
        elif event.key() in _RETURN_KEYS or event.key() in _CLEAR_KEYS:
            super().key(event)

    def _option_for(self, event: QKeyEvent) -> str | None:
        """The option a digit (1–9) or a letter names; a letter steps through options starting with it."""
        options = self.definition.options
        text = event.text()
        if len(text) != 1 or not text.isprintable() or text == " ":
            return None
        if text.isdigit():
            n = int(text)
            return options[n - 1] if 1 <= n <= min(9, len(options)) else None
        starting = [i for i, option in enumerate(options) if option[:1].casefold() == text.casefold()]
        if not starting:
            return None
        current = next((i for i, b in enumerate(self.buttons) if b.hasFocus()), -1)
        after = [i for i in starting if i > current]
        return options[(after or starting)[0]]


class BoolControl(FieldControl):
    """A checkbox; an unset field shows partly checked ("not judged yet"). Space toggles, Y/N/1/0 set."""

    def __init__(self, definition: FieldDef, parent: QWidget, commit: Commit, finished: Callable[[], None],
                 report: Callable[[str], None]) -> None:
        super().__init__(definition, parent, commit, finished, report)
        self.box = QCheckBox(parent)
        self.box.setObjectName(f"field_{definition.key}")
        self.box.setTristate(True)
        self.box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.box.installEventFilter(self)
        self.box.clicked.connect(lambda _checked=False: self._toggle())
        self.widgets.append(self.box)

    def focus_widget(self) -> QWidget:
        return self.box

    def show_value(self, value: Any) -> None:
        self.value = value
        state = (Qt.CheckState.PartiallyChecked if value is None
                 else Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
        self.box.setCheckState(state)
        self.box.setText("not set" if value is None else "yes" if value else "no")

    def _toggle(self) -> None:
        self.commit(not self.value)
        self.show_value(self.value)

    def takes(self, event: QKeyEvent) -> bool:
        text = event.text()
        return super().takes(event) or (len(text) == 1 and text.isprintable())

    def key(self, event: QKeyEvent) -> None:
        text = event.text().casefold()
        if text == " ":
            self._toggle()
            return
        if text in ("y", "1", "n", "0"):
            self.commit(text in ("y", "1"))
            self.show_value(self.value)
        elif event.key() in _RETURN_KEYS or event.key() in _CLEAR_KEYS:
            super().key(event)


class TextControl(FieldControl):
    """``number``, ``date`` and ``text``: typed, checked with ``parse_text`` on Enter; Esc puts the value back."""

    def __init__(self, definition: FieldDef, parent: QWidget, commit: Commit, finished: Callable[[], None],
                 report: Callable[[str], None]) -> None:
        super().__init__(definition, parent, commit, finished, report)
        self.edit = QLineEdit(parent)
        self.edit.setObjectName(f"field_{definition.key}")
        self.edit.setPlaceholderText(PLACEHOLDER.get(definition.kind, ""))
        self.edit.setFixedWidth(EDIT_WIDTH.get(definition.kind, 160))
        self.edit.installEventFilter(self)
        self.widgets.append(self.edit)

    def focus_widget(self) -> QWidget:
        return self.edit

    def focus(self) -> None:
        super().focus()
        self.edit.selectAll()

    def show_value(self, value: Any) -> None:
        self.value = value
        self.edit.setText(value_text(value))

    def takes(self, event: QKeyEvent) -> bool:
        return event.key() in _RETURN_KEYS  # every other key is typing

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """Leaving the field with a changed entry stores it (or says why not and shows the stored value)."""
        if (event.type() == QEvent.Type.FocusOut and self.edit.text() != value_text(self.value)
                and not self.save()):
            self.show_value(self.value)
        return super().eventFilter(watched, event)

    def key(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.show_value(self.value)
            self.report("")
            self.finished()
            return
        if self.save():
            self.finished()

    def save(self) -> bool:
        """Check what was typed against the field's kind; store it, or say what is expected and keep focus."""
        try:
            value = parse_text(self.definition.kind, self.definition.options, self.edit.text())
        except AnnotatorError as exc:
            self.report(f"{self.definition.name}: {exc.reason}; nothing was stored.")
            return False
        self.report("")
        self.commit(value)
        self.show_value(self.value)
        return True


def control_for(definition: FieldDef, parent: QWidget, commit: Commit, finished: Callable[[], None],
                report: Callable[[str], None]) -> FieldControl:
    """The control that suits the field's kind."""
    if definition.kind in ("choice", "multi"):
        return OptionsControl(definition, parent, commit, finished, report)
    if definition.kind == "bool":
        return BoolControl(definition, parent, commit, finished, report)
    return TextControl(definition, parent, commit, finished, report)
