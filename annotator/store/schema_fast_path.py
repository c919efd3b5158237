"""The schema fast path: open a current database, or create a new SQLite file, without alembic.

Why a module of its own: importing alembic costs about 0.2 s and replaying every revision another
~0.13 s, more than a small CLI command itself. Nearly every open finds a database already at the newest
revision, recognised here with one query against the revision read from the version files' plain
assignments; a new SQLite file receives the migrations' recorded result (``migrations/sqlite_head.sql``)
in one transaction. Anything unusual (files not in the simple form, a stale script, a non-empty file)
falls back to the migrations in ``migrating.py``; ``tests/store/test_bulk_import.py`` checks that the
recorded script equals what the migrations build. After adding a migration, regenerate it with
``python -c 'from annotator.store.schema_fast_path import write_sqlite_snapshot; write_sqlite_snapshot()'``.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from annotator.store.database import Store

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE)


@functools.lru_cache(maxsize=1)
def head_from_files() -> str | None:
    """The newest migration's revision, read from the plain assignments in the version files.

    Importing alembic costs about 0.2 s, more than a small CLI import itself; a database that is already
    at the head (nearly every open) needs none of it. ``None`` when the files are not the simple
    ``revision = "…"`` / ``down_revision = "…"`` form (or are missing, as in a bytecode-only bundle) or do
    not form one chain, and callers then ask alembic.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    try:
        sources = [path.read_text(encoding="utf-8") for path in (MIGRATIONS_DIR / "versions").glob("*.py")]
    except OSError:
        return None
    for source in sources:
        found = {name: value for name, value in _ASSIGNMENT.findall(source)}
        try:
            revision = ast.literal_eval(found["revision"])
            parent = ast.literal_eval(found.get("down_revision", "None"))
        except (KeyError, ValueError, SyntaxError):
            return None
        if not isinstance(revision, str) or not (parent is None or isinstance(parent, str)):
            return None
        revisions.add(revision)
        if parent is not None:
            parents.add(parent)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def is_at_head(conn: Connection) -> bool:
    """True when the database's schema revision is this program's newest (one query, no alembic)."""
    head = head_from_files()
    if head is None:
        return False
    try:
        rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    except DBAPIError:  # no version table yet (a new database): the full path creates it
        return False
    return len(rows) == 1 and rows[0][0] == head


SQLITE_SNAPSHOT = MIGRATIONS_DIR / "sqlite_head.sql"
"""The schema (and seed rows) that the migrations build in a new SQLite file, recorded as one script."""


def create_from_snapshot(store: Store) -> bool:
    """Give a new, empty SQLite file the migrations' result in one transaction, without alembic.

    Importing alembic and replaying every revision costs ~0.13 s, as much as parsing a third of a
    20,000-article import. The script is used only when it was recorded at this program's head revision
    (``tests/store/test_bulk_import.py`` checks it equals what the migrations build); otherwise, or if anything
    fails (another process created the schema first), the caller runs the migrations as usual.
    """
    path = store.sqlite_path
    head = head_from_files()
    if path is None or head is None:
        return False
    try:
        script = SQLITE_SNAPSHOT.read_text(encoding="utf-8")
    except OSError:
        return False
    if not script.startswith(f"-- revision {head}\n"):
        return False
    with store.engine.connect() as conn:
        if conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar():
            return False  # not empty: only the migrations may change it
        conn.rollback()
        raw = conn.connection.driver_connection
        if raw is None:  # a connection SQLAlchemy has already invalidated: let the migrations do it
            return False
        try:
            raw.executescript(script)  # BEGIN IMMEDIATE ... COMMIT, inside the script
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                raw.execute("ROLLBACK")
            return False
    return True


def sqlite_schema_script(path: Path, revision: str) -> str:
    """The snapshot script of an SQLite database built by the migrations (tables, indexes, triggers, rows).

    Shadow tables of virtual tables (FTS5) are left out: creating the virtual table creates them.
    Regenerate the packaged script after adding a migration with ``write_sqlite_snapshot()``.
    """
    con = sqlite3.connect(path)
    try:
        kinds = {row[1]: row[2] for row in con.execute("PRAGMA table_list")}
        lines = [f"-- revision {revision}", "-- Generated by annotator.store.schema_fast_path.write_sqlite_snapshot(); do not edit.",
                 "BEGIN IMMEDIATE;"]
        objects = con.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid").fetchall()
        for _kind, name, sql in objects:
            if kinds.get(name) != "shadow":
                lines.append(f"{sql};")
        for kind, name, _sql in objects:
            if kind == "table" and kinds.get(name) == "table":
                for row in con.execute(f'SELECT * FROM "{name}" ORDER BY rowid'):
                    lines.append(f'INSERT INTO "{name}" VALUES ({", ".join(_sql_literal(v) for v in row)});')
        lines.append("COMMIT;")
        return "\n".join(lines) + "\n"
    finally:
        con.close()


def _sql_literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise ValueError(f"unexpected value {value!r} in a seed row")


def write_sqlite_snapshot(target: Path = SQLITE_SNAPSHOT) -> Path:
    """Build a database with the migrations (alembic) in a temporary folder and record its script."""
    import tempfile

    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    from annotator.store.database import Store, configure_sqlite
    from annotator.store.migrating import head_revision, upgrade_schema

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "head.sqlite3"
        engine = create_engine(f"sqlite:///{path}")
        configure_sqlite(engine, read_only=False)
        store = Store(engine, sessionmaker(engine), f"sqlite:///{path}")
        try:
            upgrade_schema(store)
        finally:
            engine.dispose()
        target.write_text(sqlite_schema_script(path, head_revision()), encoding="utf-8")
    return target
