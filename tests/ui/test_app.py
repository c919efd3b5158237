"""The app around the article: first run, screenshot, read-only mode, document list, import/export, settings."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QImage

from annotator.config import load_settings
from annotator.store import repository as repo
from annotator.store.database import default_database_path, open_store
from annotator.store.queries import DocumentFilter, document_ids, next_undone
from annotator.ui.ops.changes import Changes
from annotator.ui.shell.app import run_app
from tests.ui_helpers import ANALYST, make_window


def test_first_run_imports_samples_and_screenshot_is_not_blank(qtbot, tmp_path, monkeypatch):
    shot = tmp_path / "shot.png"
    assert run_app(screenshot=str(shot)) == 0  # no dialog may block: the login name is taken
    assert load_settings()["annotator"]  # the name was saved
    store = open_store(default_database_path())
    try:
        with store.session() as session:
            pks = document_ids(session, None)
            texts = [repo.find_document(session, doc_id=None) for _ in ()]  # noqa: F841
            from annotator.store.queries import load_document

            docs = [load_document(session, pk) for pk in pks]
    finally:
        store.close()
    assert 4 <= len(docs) <= 6
    joined = "".join(d.text for d in docs)
    assert any(ord(ch) > 0xFFFF for ch in joined)  # an emoji
    assert any("\u0590" <= ch <= "\u08ff" for ch in joined)  # a right-to-left quotation
    assert any("\uac00" <= ch <= "\ud7a3" for ch in joined)  # a Korean name
    assert all(d.source and d.published and d.url for d in docs)
    image = QImage(str(shot))
    assert image.width() > 800 and image.height() > 500
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 20
    # Running again does not import the samples twice.
    assert run_app(screenshot=str(shot), doc=docs[1].doc_id) == 0
    store = open_store(default_database_path())
    with store.session() as session:
        assert len(document_ids(session, None)) == len(docs)
    store.close()


def test_screenshot_of_unknown_document_is_a_clear_error(tmp_path):
    from annotator.core.errors import AnnotatorError

    try:
        run_app(db=str(tmp_path / "x.sqlite3"), screenshot=str(tmp_path / "s.png"), doc="nope", annotator="a")
    except AnnotatorError as exc:
        assert "nope" in str(exc)
    else:
        raise AssertionError("expected an error")


def test_read_only_database_shows_banner_and_refuses_writes(qtbot, sample_store, db_path, tmp_path):
    with sample_store.session() as session:
        pk = document_ids(session, None)[0]
    ro = open_store(db_path, read_only=True)
    try:
        win = make_window(qtbot, ro, tmp_path / "ui.ini", read_only_reason="opened with --read-only")
        win.open_document(pk)
        assert win.banner.isVisible() and "Read-only" in win.banner.text()
        assert not win.label_bar.tag_actions["injury"].isEnabled()
        assert not win.act_done_next.isEnabled() and not win.act_import_files.isEnabled()
        assert win.act_export.isEnabled()
        win.article.select_cp(0, 8)
        qtbot.keyClick(win.article, Qt.Key.Key_1)
        assert win.tagging.tag_selection("injury") is None
        with ro.session() as session:
            assert repo.list_spans(session, pk, ANALYST) == []
        win.close()
    finally:
        ro.close()


def test_write_refused_by_database_is_reported(qtbot, sample_store, db_path, tmp_path):
    """A store that believes it can write but SQLite refuses: message shown, view matches database."""
    with sample_store.write() as session:
        pk = document_ids(session, None)[0]
        repo.get_or_create_annotator(session, ANALYST)
    sneaky = open_store(db_path, read_only=True)
    sneaky.read_only = False  # pretend: the write reaches SQLite and fails there
    try:
        win = make_window(qtbot, sneaky, tmp_path / "ui.ini")
        win.open_document(pk)
        win.article.select_cp(0, 8)
        win.tagging.tag_selection("injury")
        assert not win.banner.isVisible()
        assert win.last_error and "read-only" in win.last_error and "Traceback" not in win.last_error
        assert len(win.article.index) == 0 and win.ops.undo_stack.count() == 0
        win.close()
    finally:
        sneaky.close()


def test_document_list_search_and_filters(qtbot, window, sample_store):
    model = window.docs.model
    assert model.rowCount() == 5
    window.docs.search.setText("logging")
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=2000)
    assert "logging" in model.document_row(0).title.lower()
    window.docs.search.setText("remit")  # prefix of nothing in titles; FTS prefix over text
    qtbot.waitUntil(lambda: model.rowCount() != 1 or "logging" not in model.document_row(0).title.lower(), timeout=2000)
    window.docs.search.clear()
    qtbot.waitUntil(lambda: model.rowCount() == 5, timeout=2000)
    text = window.session.document.text
    window.article.select_cp(text.index("Welders"), text.index("Welders") + 7)
    window.tagging.tag_selection("sanctions")
    assert model.document_row(0).span_count == 1 and model.document_row(0).status == "in_progress"
    window.docs.label.setCurrentIndex(window.docs.label.findData("sanctions"))
    assert model.rowCount() == 1
    window.docs.label.setCurrentIndex(0)
    window.docs.status.setCurrentIndex(window.docs.status.findData("todo"))
    assert model.rowCount() == 4
    with sample_store.session() as session:
        assert len(document_ids(session, ANALYST, DocumentFilter(search='"quoted" OR'))) == 0  # no injection
        assert next_undone(session, ANALYST, None) == document_ids(session, None)[0]


def test_import_and_export_run_in_workers(qtbot, window, sample_store, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("A new article about remittances.\n\nBody 😊.", encoding="utf-8")
    (folder / "bad.jsonl").write_text("{not json\n", encoding="utf-8")
    window.start_import([str(folder)])
    qtbot.waitUntil(lambda: window.docs.model.rowCount() == 6, timeout=10000)
    qtbot.waitUntil(lambda: window.last_error is not None, timeout=2000)
    assert "bad.jsonl" in window.last_error and "Traceback" not in window.last_error
    text = window.session.document.text
    window.article.select_cp(text.index("Welders"), text.index("Welders") + 7)
    window.tagging.tag_selection("injury")
    out = tmp_path / "out.jsonl"
    # Waiting on the worker's own signal can miss it: a quick export may finish before the wait connects.
    window.last_export_message = None
    window.start_export(out)
    qtbot.waitUntil(lambda: window.last_export_message is not None, timeout=10000)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 6
    assert any(s["text"] == "Welders" for rec in lines for s in rec.get("spans", []))
    failed_to = tmp_path / "missing" / "out.jsonl"
    window.last_error = None
    window.start_export(failed_to)
    qtbot.waitUntil(lambda: window.last_error is not None, timeout=10000)
    assert "does not exist" in window.last_error


def test_settings_zoom_and_last_document_survive_restart(qtbot, sample_store, tmp_path):
    win = make_window(qtbot, sample_store, tmp_path / "ui.ini")
    win.open_initial()
    size = win.article.point_size()
    qtbot.keyClick(win.article, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert win.article.point_size() == size + 1
    qtbot.keyClick(win.article, Qt.Key.Key_J)
    second = win.session.document.pk
    win.close()
    again = make_window(qtbot, sample_store, tmp_path / "ui.ini")
    again.open_initial()
    assert again.session.document.pk == second and again.article.point_size() == size + 1
    again.close()


def test_help_lists_shortcuts_and_tools_menu_hook(qtbot, window):
    dialog = window.show_shortcuts()
    rows = {name: keys for group in dialog.visible_rows().values() for name, keys in group}
    assert rows["Working hours"] == "1"
    assert "Ctrl+Return" in rows["Mark done and open next undone"]
    assert "F1" in rows["Keyboard shortcuts"]
    assert rows["Evidence…"] == "Ctrl+Shift+V"
    assert rows["Team dashboard…"] == "Ctrl+Shift+D"
    dialog.close()
    assert [a.text() for a in window.tools_menu.actions()] == ["Agreement…", "Curate…", "Suggestion model…",
                                                               "Order documents by model", "Evidence…",
                                                               "Team dashboard…"]
    hit = []
    action = QAction("Agreement…", window)
    action.triggered.connect(lambda: hit.append(1))
    window.add_tool_action(action)
    assert window.tools_menu.menuAction().isVisible()
    action.trigger()
    assert hit == [1]


def test_open_document_of_another_annotator_is_view_only(qtbot, window, sample_store):
    pk = window.session.document.pk
    with sample_store.write() as session:
        repo.add_span(session, pk, "analyst-b", 0, 8, "injury")
    assert window.open_document(pk, "analyst-b")
    assert [s.quote for s in window.session.spans.values()] == ["Shipyard"]
    assert not window.label_bar.tag_actions["injury"].isEnabled()
    window.session.publish(Changes(reload=frozenset({pk})))
    assert len(window.article.index) == 1


def test_samples_live_in_resources():
    from annotator.resources_path import samples_dir

    manifest = json.loads((samples_dir() / "manifest.json").read_text(encoding="utf-8"))
    assert all((samples_dir() / entry["file"]).is_file() for entry in manifest["articles"])
    assert Path(samples_dir()).name == "samples"
