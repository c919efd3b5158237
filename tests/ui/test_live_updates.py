"""The app follows others' work: a second writer's documents and statuses appear without a restart."""

from __future__ import annotations

from pathlib import Path

from annotator.store.database import open_store
from annotator.ui.shell.app import watch_for_changes
from tests.ui_helpers import add_text, make_window


def test_another_writers_document_appears_in_the_list(qtbot, db_path: Path, tmp_path: Path) -> None:
    mine = open_store(db_path)
    add_text(mine, "Crews at the dock worked through the night.", "Dock")
    window = make_window(qtbot, mine, tmp_path / "ui.ini")
    watcher = watch_for_changes(window, mine)
    watcher._timer.setInterval(100)  # poll fast in the test; the app polls every 2 s
    try:
        qtbot.waitUntil(lambda: watcher.state == "connected", timeout=5000)
        assert window.docs.model.rowCount() == 1
        other = open_store(db_path)  # a second process's view of the same file (CLI import, colleague)
        add_text(other, "Wages were sent to the state bank.", "Wages")
        other.close()
        qtbot.waitUntil(lambda: window.docs.model.rowCount() == 2, timeout=5000)
        badge = window.statusBar().findChild(type(window.who), "connection_state")
        assert badge is not None and not badge.isVisible()
    finally:
        watcher.stop()
        mine.close()


def test_a_windows_own_edits_do_not_move_its_fingerprint(any_store) -> None:
    """The live view ignores its own user's layers; a colleague's edit still counts (both dialects)."""
    from annotator.store import repository as repo
    from annotator.store.changes import change_token

    doc = add_text(any_store, "Crews at the dock worked through the night.", "Dock")
    with any_store.write() as session:
        repo.add_span(session, doc, "lead", 0, 5, "working_hours", actor="lead")
    with any_store.session() as session:
        before = change_token(session, "lead")
    with any_store.write() as session:
        repo.add_span(session, doc, "lead", 10, 14, "injury", actor="lead")
        repo.set_status(session, doc, "lead", "done", actor="lead")
    with any_store.session() as session:
        assert change_token(session, "lead") == before
        assert change_token(session) != before
    with any_store.write() as session:
        repo.add_span(session, doc, "colleague", 6, 8, "injury", actor="colleague")
    with any_store.session() as session:
        assert change_token(session, "lead") != before


def test_imports_in_the_app_are_indexed_off_the_ui_thread(db_path: Path, tmp_path: Path) -> None:
    from annotator.store.search import pending_documents
    from annotator.ui.common.workers import import_work

    store = open_store(db_path)
    try:
        article = tmp_path / "a.txt"
        article.write_text("Welders on the night shift were paid in vouchers.", encoding="utf-8")
        messages: list[str] = []
        summary = import_work(store, [str(article)], "lead")(lambda f, m: messages.append(m), lambda: False)
        assert summary.documents_added == 1
        assert "Indexing the new documents for search…" in messages
        with store.session() as session:
            assert pending_documents(session) == 0
    finally:
        store.close()
