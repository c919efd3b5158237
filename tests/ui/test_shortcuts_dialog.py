"""F1 lists the shortcuts grouped by area, and the filter field narrows them as you type."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.ui.dialogs.shortcuts_dialog import ShortcutsDialog


def test_shortcuts_are_grouped_by_area(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: len(window.findChildren(ShortcutsDialog)) == 1)
    dialog = window.findChildren(ShortcutsDialog)[0]
    qtbot.waitExposed(dialog)
    rows = dialog.visible_rows()
    assert list(rows) == ["File", "Edit", "Labels", "Document fields", "Span boundaries", "Document", "View", "Tools", "Help"]
    names = {group: [name for name, _keys in entries] for group, entries in rows.items()}
    assert "Import files…" in names["File"]
    assert "Undo" in names["Edit"] and "Working hours" not in names["Edit"]
    assert ("Working hours", "1") in rows["Labels"]
    assert "Working hours (exact selection)" in names["Labels"]
    assert "Move span start one character left" in names["Span boundaries"]
    assert "Mark done and open next undone" in names["Document"]
    assert "Zoom in" in names["View"]
    assert names["Tools"]  # every group has at least one entry
    assert ("Keyboard shortcuts", "F1") in rows["Help"]
    qtbot.waitUntil(dialog.filter.hasFocus)  # typing filters at once


def test_typing_filters_by_action_name_or_key(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    dialog = window.show_shortcuts()
    qtbot.waitExposed(dialog)
    dialog.filter.setFocus()
    qtbot.keyClicks(dialog.filter, "zoom")
    assert {g: [n for n, _k in e] for g, e in dialog.visible_rows().items()} == {
        "View": ["Zoom in", "Zoom out"]}
    dialog.filter.clear()
    qtbot.keyClicks(dialog.filter, "ctrl+shift+e")
    assert dialog.visible_rows() == {"File": [("Export…", "Ctrl+Shift+E")]}
    dialog.filter.clear()
    qtbot.keyClicks(dialog.filter, "F1")
    assert dialog.visible_rows() == {"Help": [("Keyboard shortcuts", "F1")]}
    dialog.filter.clear()
    qtbot.keyClicks(dialog.filter, "no such thing")
    assert dialog.visible_rows() == {}
    assert dialog.empty.isVisible()
    dialog.filter.clear()
    assert len(dialog.visible_rows()) == 9 and not dialog.empty.isVisible()
    dialog.close()
