"""The "Layer:" switch and View → Show layer show another analyst's or the gold layer read-only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.store import repository as repo
from tests.ui_helpers import ANALYST, drag_select


def _layers(window, store):  # type: ignore[no-untyped-def]
    pk = window.session.document.pk
    other = window.docs.model.pks[1]
    with store.write() as session:
        repo.add_span(session, pk, ANALYST, 0, 8, "injury", actor=ANALYST)
        repo.add_span(session, pk, "bo", 9, 14, "remittance", actor="bo")
        repo.add_span(session, pk, "gold", 15, 23, "sanctions", actor="gold")
        repo.add_span(session, other, "cy", 0, 4, "injury", actor="cy")  # cy has no layer on this document
    window.open_document(pk)
    return pk


def _quotes(window) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(s.quote for s in window.session.spans.values())


def test_the_combo_lists_only_layers_of_this_document_and_a_click_shows_one(qtbot, window, sample_store) -> None:  # type: ignore[no-untyped-def]
    _layers(window, sample_store)
    switch = window.layer_switch
    assert [switch.combo.itemText(i) for i in range(switch.combo.count())] == [
        f"Mine ({ANALYST})", "bo", "Gold (curated)"]
    assert switch.combo.currentText() == f"Mine ({ANALYST})" and not switch.note.text()
    qtbot.mouseClick(switch.combo, Qt.MouseButton.LeftButton)
    view = switch.combo.view()
    qtbot.waitUntil(view.isVisible)
    qtbot.wait(QApplication.doubleClickInterval() + 100)  # the popup ignores a release this soon after opening
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(view.model().index(1, 0)).center())
    qtbot.waitUntil(lambda: window.session.layer_owner == "bo")
    assert _quotes(window) == ["crews"]
    assert switch.combo.currentText() == "bo"
    assert "Read-only: bo's layer" in switch.note.text()
    assert "layer of bo" in window.header.meta.text()


def test_keys_cycle_the_layers_and_go_back_to_mine(qtbot, window, sample_store) -> None:  # type: ignore[no-untyped-def]
    _layers(window, sample_store)
    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.session.layer_owner == "bo"
    qtbot.keyClick(window.article, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.session.layer_owner == "gold" and _quotes(window) == ["describe"]
    assert "Gold (curated)" in window.layer_switch.note.text()
    qtbot.keyClick(window.article, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert window.session.layer_owner == ANALYST and _quotes(window) == ["Shipyard"]
    assert not window.layer_switch.note.text()
    qtbot.keyClick(window.article, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.article, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.article, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # wraps around to mine
    assert window.session.layer_owner == ANALYST


def test_the_view_menu_lists_the_layers(qtbot, window, sample_store) -> None:  # type: ignore[no-untyped-def]
    _layers(window, sample_store)
    menu = window.layer_switch.menu
    assert menu.menuAction() in [a for m in window.menuBar().actions() if m.text() == "&View"
                                 for a in m.menu().actions()]
    menu.aboutToShow.emit()
    entries = [a.text() for a in menu.actions()]
    assert entries == [f"Mine ({ANALYST})", "bo", "Gold (curated)"]
    menu.actions()[2].trigger()
    assert window.session.layer_owner == "gold"
    menu.aboutToShow.emit()
    assert [a.isChecked() for a in menu.actions()] == [False, False, True]


def test_tagging_on_another_layer_is_refused_with_the_reason(qtbot, window, sample_store) -> None:  # type: ignore[no-untyped-def]
    pk = _layers(window, sample_store)
    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.session.layer_owner == "bo"
    text = window.session.document.text
    drag_select(qtbot, window.article, text, 24, 30)
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    assert "This is bo's layer, which only they can change: the tag was not added" in window.statusBar().currentMessage()
    with sample_store.session() as session:
        assert [s.quote for s in repo.list_spans(session, pk, "bo")] == ["crews"]
        assert len(repo.list_spans(session, pk, ANALYST)) == 1
