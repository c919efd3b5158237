"""Small visible things: where the status bar says the data lives, and a readable Title column."""

from __future__ import annotations

from pathlib import Path

from annotator.store.database import describe_location
from annotator.ui.annotate.document_list import TITLE_MIN_WIDTH
from tests.ui_helpers import ANALYST, make_window


def test_locations_are_plain_paths_and_urls_without_passwords(tmp_path: Path) -> None:
    assert describe_location(f"sqlite:///{tmp_path}/a b.sqlite3") == f"{tmp_path}/a b.sqlite3"
    assert describe_location("postgresql+psycopg://ana:s3cret@db.example:5432/team") == "postgresql://ana@db.example:5432/team"
    assert "s3cret" not in describe_location("postgresql+psycopg://ana:s3cret@db.example/team?sslmode=require")
    assert describe_location("sqlite://") == "in-memory database"


def test_status_bar_shows_the_database_file_as_a_path(qtbot, sample_store, tmp_path: Path) -> None:
    window = make_window(qtbot, sample_store, tmp_path / "ui.ini")
    assert window.who.text() == f"{ANALYST} · {sample_store.sqlite_path}"
    assert "sqlite:" not in window.who.text()


def test_title_column_takes_the_spare_width(qtbot, sample_store, tmp_path: Path) -> None:
    window = make_window(qtbot, sample_store, tmp_path / "ui.ini")
    header = window.docs.table.horizontalHeader()
    window.resize(1600, 850)
    window.splitter.setSizes([700, 600, 300])
    qtbot.waitUntil(lambda: window.docs.width() > 500)
    assert not any(header.isSectionHidden(c) for c in range(5))
    others = sum(header.sectionSize(c) for c in range(1, 5))
    assert header.sectionSize(0) >= window.docs.table.viewport().width() - others - 2
    assert header.sectionSize(0) > 200
    # Narrow: Source, then Date give way so the title keeps its room; no sideways scrolling.
    window.splitter.setSizes([window.docs.minimumWidth(), 900, 300])
    qtbot.waitUntil(lambda: header.isSectionHidden(1))
    assert header.isSectionHidden(2)
    assert header.sectionSize(0) >= 110
    window.splitter.setSizes([TITLE_MIN_WIDTH + 88 + 40 + 78 + 40, 800, 300])
    qtbot.waitUntil(lambda: not header.isSectionHidden(2))
    assert header.isSectionHidden(1) and header.sectionSize(0) >= TITLE_MIN_WIDTH
