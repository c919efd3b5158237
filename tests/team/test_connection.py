"""Team mode against a real server: losing it, getting it back, and keeping passwords out of settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.config import config_path, load_settings, save_settings, without_password
from annotator.core.errors import AnnotatorError
from annotator.store import repository as repo
from annotator.store.database import open_store
from tests.pg_server import PASSWORD, PASSWORD_USER, PostgresServer
from tests.team.test_both_dialects import _doc


def test_a_stopped_server_is_a_clear_error_and_a_restart_is_picked_up(pg_server: PostgresServer, pg_url: str,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(pg_url)
    try:
        with store.write() as session:
            repo.ensure_default_scheme(session)
            doc, _ = repo.add_document(session, _doc("Overtime was unpaid for months."))
            doc_id = doc.id
        pg_server.stop()
        try:
            for write in (True, False):
                with pytest.raises(AnnotatorError) as info, store.session(write=write) as session:
                    repo.add_span(session, doc_id, "ana", 0, 8, "working_hours", actor="ana")
                message = str(info.value)
                assert message.startswith(f"database postgresql+psycopg://postgres@127.0.0.1:{pg_server.port}/")
                assert "is unavailable" in message and "\n" not in message
            capsys.readouterr()
            assert main(["verify", "--db", pg_url]) == 1
            err = capsys.readouterr().err
            assert err.startswith("annotator: cannot open database") and err.count("\n") == 1
            assert "Traceback" not in err
        finally:
            pg_server.start()
        # The same Store works again: pool_pre_ping replaces the dead pooled connection.
        with store.write() as session:
            repo.add_span(session, doc_id, "ana", 0, 8, "working_hours", actor="ana")
        with store.session() as session:
            assert [s.quote for s in repo.list_spans(session, doc_id, "ana")] == ["Overtime"]
    finally:
        store.close()


def test_password_comes_from_pgpassword_or_a_pgpass_file(pg_server: PostgresServer, pg_url: str,
                                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = pg_url.rsplit("/", 1)[1]
    url = pg_server.url(database, user=PASSWORD_USER)  # no password in the URL
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "absent"))
    with pytest.raises(AnnotatorError, match="password"):
        open_store(url)
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    open_store(url).close()
    monkeypatch.delenv("PGPASSWORD")
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"{pg_server.host}:{pg_server.port}:*:{PASSWORD_USER}:{PASSWORD}\n", encoding="utf-8")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    open_store(url).close()
    # A password in the URL (e.g. from ANNOTATOR_DB) works too, and never shows up in messages.
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "absent"))
    open_store(pg_server.url(database, user=PASSWORD_USER, password=PASSWORD)).close()


def test_settings_never_hold_a_password() -> None:
    secret = "p%40ss-word"
    save_settings({"db": f"postgresql+psycopg://ana:{secret}@db.example:5432/team",
                   "recent": [f"postgresql://bob:{secret}@h/db?sslmode=require&password={secret}", "/tmp/a.sqlite3"]})
    raw = config_path().read_text(encoding="utf-8")
    assert secret not in raw and "pass" not in raw
    settings = load_settings()
    assert settings["db"] == "postgresql+psycopg://ana@db.example:5432/team"
    assert settings["recent"] == ["postgresql://bob@h/db?sslmode=require", "/tmp/a.sqlite3"]
    assert json.loads(raw) == settings


@pytest.mark.parametrize(("url", "expected"), [
    ("sqlite:////tmp/a b.sqlite3", "sqlite:////tmp/a b.sqlite3"),
    ("C:/data/annotator.sqlite3", "C:/data/annotator.sqlite3"),
    ("postgresql://:pw@h/db", "postgresql://h/db"),
    ("postgresql://ana@h:5433/db", "postgresql://ana@h:5433/db"),
    ("postgresql://ana:a:b@h/db", "postgresql://ana@h/db"),
])
def test_without_password_keeps_everything_else(url: str, expected: str) -> None:
    assert without_password(url) == expected
