"""Opening a store: resolve the URL, configure the connection, migrate, hand out Sessions.

SQLite is configured for an annotation tool's needs: WAL so the app and a CLI import can work on one
file at once, ``synchronous=FULL`` so a committed span survives power loss (not only a crash), foreign
keys on, and a busy timeout so a second writer waits instead of failing with "database is locked".
Migrations run on open; an SQLite file is backed up (online backup API) before any migration touches it,
and a database written by a newer version of annotator is refused rather than damaged. Opening is
cheap in the common cases: a database already at the newest revision is recognised with one query, and
a new SQLite file receives the migrations' recorded result (``migrations/sqlite_head.sql``), so neither
imports alembic.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from annotator.core.errors import AnnotatorError, SchemaTooNew
from annotator.store.errors import StoreError, first_line, store_error

BUSY_TIMEOUT_MS = 30_000
WRITE_OPTION = "annotator_write"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def default_database_path() -> Path:
    """The default SQLite file, in platformdirs' per-user data directory."""
    from platformdirs import user_data_path

    return user_data_path("annotator", appauthor=False) / "annotator.sqlite3"


def resolve_url(url_or_path: str | os.PathLike[str] | None) -> str:
    """Turn ``--db`` / ``ANNOTATOR_DB`` (a path or an SQLAlchemy URL) into an SQLAlchemy URL."""
    value = os.fspath(url_or_path) if url_or_path is not None else os.environ.get("ANNOTATOR_DB") or ""
    if not value:
        value = str(default_database_path())
    if "://" in value:
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            value = "postgresql+psycopg://" + value.split("://", 1)[1]
        return value
    return "sqlite:///" + str(Path(value).expanduser().absolute())


def describe_url(url: str) -> str:
    """The URL as it may be shown to a user: never with its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def describe_location(url: str) -> str:
    """Where the data lives, for a status bar: an SQLite file as its plain path, a server URL without password."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return url
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            return database.removeprefix("file:")
        return "in-memory database"
    shown = URL.create(parsed.get_backend_name(), parsed.username, None, parsed.host, parsed.port, parsed.database)
    return shown.render_as_string(hide_password=False)


StoreSession = Session
"""What ``Store.session()`` yields, named for type hints in layers that do not import SQLAlchemy (the UI)."""


@dataclass
class Store:
    """An open database: its engine, a Session factory, and what kind of database it is."""

    engine: Engine
    sessions: sessionmaker[Session]
    url: str
    read_only: bool = False

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def sqlite_path(self) -> Path | None:
        database = self.engine.url.database
        if self.dialect == "sqlite" and database and database != ":memory:":
            return Path(database.removeprefix("file:"))  # read-only stores use a file: URI
        return None

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """One unit of work: committed when the block ends normally, rolled back otherwise.

        ``write=True`` takes SQLite's write lock at the start of the transaction (``BEGIN IMMEDIATE``), so
        concurrent writers queue on the busy timeout instead of one failing with "database is locked"
        when it upgrades a read lock; readers use a deferred transaction and never block writers (WAL).
        """
        if write and self.read_only:
            raise StoreError(f"the database {describe_url(self.url)} is open read-only; nothing was changed")
        session = self.sessions()
        try:
            if write:
                session.connection(execution_options={WRITE_OPTION: True})
            yield session
            session.commit()
        except SQLAlchemyError as exc:
            # A server that went away, a full disk, a locked or damaged file is the environment, not a bug:
            # one clear line (store/errors.py). The transaction is rolled back, so the last committed state
            # stays on disk.
            _quiet_rollback(session)
            raise self._translated(exc, write) from (None if isinstance(exc, DBAPIError) else exc)
        except BaseException:
            _quiet_rollback(session)
            raise
        finally:
            session.close()

    @contextmanager
    def translating(self, *, write: bool = False) -> Iterator[None]:
        """Turn any SQLAlchemy error in the block into a StoreError (for code using connections directly)."""
        try:
            yield
        except SQLAlchemyError as exc:
            raise self._translated(exc, write) from (None if isinstance(exc, DBAPIError) else exc)

    def _translated(self, exc: SQLAlchemyError, write: bool) -> StoreError:
        return store_error(exc, describe_url(self.url), write=write, busy_timeout_s=BUSY_TIMEOUT_MS // 1000)

    def write(self) -> contextlib.AbstractContextManager[Session]:
        """Shorthand for ``session(write=True)``: one user action that changes data."""
        return self.session(write=True)

    def close(self) -> None:
        self.engine.dispose()


def _quiet_rollback(session: Session) -> None:
    """Roll back, ignoring a second failure of a connection that is already gone."""
    with contextlib.suppress(SQLAlchemyError):
        session.rollback()


def _configure_sqlite(engine: Engine, read_only: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (pysqlite's legacy mode).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        immediate = not read_only and conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _check_sqlite_location(path: Path, read_only: bool) -> None:
    if path.is_dir():
        raise AnnotatorError("is a folder, not a database file", path=str(path))
    if read_only:
        if not path.exists():
            raise AnnotatorError("no such database file", path=str(path))
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AnnotatorError(f"cannot create the database folder ({exc.strerror or exc})", path=str(path)) from None
    if path.exists() and not os.access(path, os.W_OK):
        raise AnnotatorError("the database file is not writable (open it read-only with --read-only)", path=str(path))
    if not path.exists() and not os.access(path.parent, os.W_OK):
        raise AnnotatorError("cannot create the database here: the folder is not writable", path=str(path))


def open_store(url_or_path: str | os.PathLike[str] | None = None, *, read_only: bool = False, migrate: bool = True,
               must_exist: bool = False) -> Store:
    """Open (creating and migrating if needed) the database named by a path or URL.

    ``must_exist`` is for commands that only read a store (export, agreement, the source of a copy): a
    mistyped SQLite path is refused instead of becoming a new empty database that "succeeds" with nothing.

    Raises AnnotatorError with a readable reason for an unusable location, an unknown URL scheme, a
    server that cannot be reached, or a schema newer than this program.
    """
    url = resolve_url(url_or_path)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise AnnotatorError(f"not a database path or URL: {url}") from None
    connect_args: dict[str, object] = {}
    engine_url = url
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        if must_exist and not path.is_file():
            raise AnnotatorError("no such database file", path=str(path))
        _check_sqlite_location(path, read_only)
        connect_args = {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        if read_only:
            params = "mode=ro"
            if not os.access(path.parent, os.W_OK) and not Path(f"{path}-shm").exists():
                # Read-only media (a CD, a read-only share): SQLite cannot create the WAL index beside
                # the file, and nobody can change the file through this folder, so open it as immutable.
                params += "&immutable=1"
            engine_url = f"sqlite:///file:{path}?{params}&uri=true"
    try:
        engine = create_engine(engine_url, connect_args=connect_args,
                               pool_pre_ping=parsed.get_backend_name() != "sqlite")
    except ImportError as exc:
        hint = " (pip install 'annotator[postgres]')" if parsed.get_driver_name() == "psycopg" else ""
        raise AnnotatorError(
            f"cannot use database {describe_url(url)}: its driver is not installed ({exc}){hint}"
        ) from None
    except ArgumentError as exc:
        raise AnnotatorError(f"cannot use database {describe_url(url)}: {exc}") from None
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, read_only)
    store = Store(engine, sessionmaker(engine, expire_on_commit=False), url, read_only)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            at_head = _is_at_head(conn)
        if at_head:
            pass  # the usual case: nothing to migrate or refuse, and alembic is never imported
        elif migrate and not read_only:
            if not _create_from_snapshot(store):  # a new file gets the recorded schema at once
                upgrade_schema(store)
        else:
            check_schema_version(store)
    except DBAPIError as exc:  # OperationalError, and DatabaseError for a file that is not SQLite
        engine.dispose()
        raise StoreError(f"cannot open database {describe_url(url)}: {first_line(exc)}") from None
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StoreError(f"cannot open database {describe_url(url)}: {exc.__class__.__name__}") from None
    except AnnotatorError:
        engine.dispose()
        raise
    return store


_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE)


@functools.lru_cache(maxsize=1)
def _head_from_files() -> str | None:
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


def _is_at_head(conn: Connection) -> bool:
    """True when the database's schema revision is this program's newest (one query, no alembic)."""
    head = _head_from_files()
    if head is None:
        return False
    try:
        rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    except DBAPIError:  # no version table yet (a new database): the full path creates it
        return False
    return len(rows) == 1 and rows[0][0] == head


SQLITE_SNAPSHOT = MIGRATIONS_DIR / "sqlite_head.sql"
"""The schema (and seed rows) that the migrations build in a new SQLite file, recorded as one script."""


def _create_from_snapshot(store: Store) -> bool:
    """Give a new, empty SQLite file the migrations' result in one transaction, without alembic.

    Importing alembic and replaying every revision costs ~0.13 s, as much as parsing a third of a
    20,000-article import. The script is used only when it was recorded at this program's head revision
    (``tests/store/test_bulk_import.py`` checks it equals what the migrations build); otherwise, or if anything
    fails (another process created the schema first), the caller runs the migrations as usual.
    """
    path = store.sqlite_path
    head = _head_from_files()
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
        lines = [f"-- revision {revision}", "-- Generated by annotator.store.database.write_sqlite_snapshot(); do not edit.",
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

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "head.sqlite3"
        engine = create_engine(f"sqlite:///{path}")
        _configure_sqlite(engine, read_only=False)
        store = Store(engine, sessionmaker(engine), f"sqlite:///{path}")
        try:
            upgrade_schema(store)
        finally:
            engine.dispose()
        target.write_text(sqlite_schema_script(path, head_revision()), encoding="utf-8")
    return target


def _alembic_config():  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head() or ""


def current_revision(store: Store) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with store.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check_schema_version(store: Store) -> str | None:
    """Refuse a database whose schema revision this program does not know (written by a newer version)."""
    from alembic.script import ScriptDirectory

    revision = current_revision(store)
    if revision is None:
        return None
    script = ScriptDirectory.from_config(_alembic_config())
    try:
        script.get_revision(revision)
    except Exception:  # alembic raises several types for an unknown revision
        raise SchemaTooNew(
            f"the database {describe_url(store.url)} was written by a newer version of annotator "
            f"(schema {revision}); upgrade annotator to open it"
        ) from None
    return revision


def upgrade_schema(store: Store) -> None:
    """Bring the schema to the newest revision, backing up an existing SQLite file first."""
    from alembic import command

    revision = check_schema_version(store)
    head = head_revision()
    if revision == head:
        return
    path = store.sqlite_path
    if revision is not None and path is not None:
        backup_sqlite(store, path.with_name(f"{path.name}.before-{head}-{datetime.now():%Y%m%d-%H%M%S}.bak"))
    elif revision is None and _has_foreign_tables(store):
        raise AnnotatorError(f"the database {describe_url(store.url)} holds tables that are not annotator's")
    config = _alembic_config()
    with store.engine.begin() as conn:
        if store.dialect == "postgresql":
            # Two app instances starting at once must not both migrate.
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7468207)")
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def _has_foreign_tables(store: Store) -> bool:
    names = set(inspect(store.engine).get_table_names())
    return bool(names - {"alembic_version", "documents_fts"} - {n for n in names if n.startswith("documents_fts")}) and (
        "documents" not in names
    )


def backup_sqlite(store: Store, target: Path) -> Path:
    """Copy a live SQLite database to ``target`` with SQLite's online backup API (consistent under WAL)."""
    source_path = store.sqlite_path
    if source_path is None:
        raise AnnotatorError("backups are made of SQLite databases; use pg_dump for PostgreSQL")
    target = Path(target)
    if target.exists():
        raise AnnotatorError("the backup file already exists", path=str(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"backup failed ({exc})", path=str(target)) from None
    return target
