"""The keyboard reference (F1): every shortcut of the main window, grouped by area and searchable.

It is generated from the window's actions, grouped by the menu that holds them (label keys and span
boundary keys get their own groups), so a new action with a key appears here without editing this file.
Keys that are not actions (handled by the article itself) are listed from :data:`FIXED`. The filter field
narrows the list as you type, by action name or by key ("ctrl+f", "F3", "delete").
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMenuBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.ui.common.screen_fit import fit_to_available

GROUPS = ("File", "Edit", "Labels", "Document fields", "Span boundaries", "Document", "View", "Tools", "Help")
"""The order of the groups; an action in no known menu is listed under "Other" at the end."""

FIXED = [
    ("Edit", "Select text", "Shift+Arrows, Ctrl+Shift+Right/Left (by word), mouse drag"),
    ("Document", "Next / previous span", "Tab / Shift+Tab in the article, or N / P"),
    ("Edit", "Delete the selected span", "Delete"),
    ("Labels", "Tag without snapping to words", "Alt + label key"),
    ("Labels", "Tag with the sticky label", "Enter (after a keyboard selection)"),
    ("Edit", "Pick one of several stacked spans", "click the same word again"),
    ("Document", "Find in the article", "Ctrl+F or / in the article"),
    ("Document", "Next / previous match (find bar)", "Enter / Shift+Enter, F3 / Shift+F3"),
    ("Document", "Close the find bar", "Esc"),
    ("Document fields", "Pick an option of the focused field", "1–9 or its first letter (again: the next one)"),
    ("Document fields", "Set a yes/no field", "Y / N, Space toggles"),
    ("Document fields", "Clear the focused field", "Backspace / Delete"),
    ("Document fields", "Back to the article", "Enter / Esc"),
    ("Edit", "Link mode: next / previous target span", "Tab / Shift+Tab (or arrows) after R"),
    ("Edit", "Link mode: relation type by number", "1–9 after R"),
    ("Edit", "Link mode: link / cancel", "Enter / Esc"),
    ("Edit", "Link two spans with the mouse", "Alt + drag from span to span"),
    ("Edit", "Span panel relation: go to the other span / remove it", "Enter / Delete in the relation list"),
]


def keys_text(action: QAction) -> str:
    return ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty())


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str]]:
    """(action, keys) of every action with a key, then the article's own keys."""
    rows = [(action.text().replace("&", ""), keys_text(action)) for action in actions if keys_text(action)]
    return rows + [(name, keys) for _group, name, keys in FIXED]


def menu_groups(menu_bar: QMenuBar, actions: Iterable[QAction], *, renamed: dict[QMenu, str] | None = None,
                labels: Iterable[QAction] = (), fields: Iterable[QAction] = ()) -> list[tuple[str, str, str]]:
    """(group, action, keys) for ``actions``: the group is the top menu holding the action, a submenu's
    name from ``renamed``, "Labels" for ``labels`` (in a menu or not), "Document fields" for ``fields``,
    "Other" for the rest; then FIXED."""
    renamed = renamed or {}
    label_set = set(labels)
    field_set = set(fields)
    group_of: dict[QAction, str] = {}

    def walk(menu: QMenu, group: str) -> None:
        for entry in menu.actions():
            sub = entry.menu()
            if isinstance(sub, QMenu):
                walk(sub, renamed.get(sub, group))
            else:
                group_of.setdefault(entry, group)

    for top in menu_bar.actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            walk(menu, top.text().replace("&", ""))
    rows = []
    for action in actions:
        keys = keys_text(action)
        if keys:
            group = ("Labels" if action in label_set else "Document fields" if action in field_set
                     else group_of.get(action, "Other"))
            rows.append((group, action.text().replace("&", ""), keys))
    return rows + list(FIXED)


class ShortcutsDialog(QDialog):
    """A tree of groups and their shortcuts with a filter field above it (focused when it opens)."""

    def __init__(self, rows: list[tuple[str, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter by action or key…")
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName("Filter shortcuts")
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Action", "Keys"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.empty = QLabel("No shortcut matches.", self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        order = {name: i for i, name in enumerate(GROUPS)}
        self.groups: dict[str, QTreeWidgetItem] = {}
        for group in sorted({g for g, _n, _k in rows}, key=lambda g: order.get(g, len(GROUPS))):
            item = QTreeWidgetItem([group])
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)
            item.setFirstColumnSpanned(False)
            self.tree.addTopLevelItem(item)
            self.groups[group] = item
        for group, name, keys in rows:
            self.groups[group].addChild(QTreeWidgetItem([name, keys]))
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self.apply_filter)
        self.filter.setFocus()
        fit_to_available(self, QSize(620, 560))  # a long list scrolls inside a 640 px high screen

    def apply_filter(self, text: str) -> None:
        """Show the rows whose action or keys contain every word typed (ignoring case); hide empty groups."""
        words = text.lower().split()
        shown = 0
        for group in self.groups.values():
            visible = 0
            for i in range(group.childCount()):
                child = group.child(i)
                assert child is not None
                haystack = f"{child.text(0)} {child.text(1)}".lower()
                match = all(w in haystack for w in words)
                child.setHidden(not match)
                visible += match
            group.setHidden(not visible)
            shown += visible
        self.empty.setVisible(not shown)

    def visible_rows(self) -> dict[str, list[tuple[str, str]]]:
        """The rows shown now, by group (what a test or a screen reader sees)."""
        shown: dict[str, list[tuple[str, str]]] = {}
        for name, group in self.groups.items():
            children = [group.child(i) for i in range(group.childCount())]
            rows = [(c.text(0), c.text(1)) for c in children if c is not None and not c.isHidden()]
            if not group.isHidden():
                shown[name] = rows
        return shown
