"""Opening a store: resolve the URL, configure the connection, migrate, hand out Sessions.

SQLite is configured for an annotation tool's needs: WAL so the app and a CLI import can work on one
file at once, ``synchronous=FULL`` so a committed span survives power loss (not only a crash), foreign
keys on, and a busy timeout so a second writer waits instead of failing with "database is locked".
Migrations run on open (``migrating.py``: backed up first, a newer schema refused). Opening is cheap in
the common cases (``schema_fast_path.py``): a database already at the newest revision is recognised with
one query, and a new SQLite file receives the migrations' recorded result, so neither imports alembic.
Driver errors leave the store as ``StoreError`` (``errors.py``).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from annotator.core.errors import AnnotatorError
from annotator.store.errors import StoreError, first_line, store_error
from annotator.store.schema_fast_path import create_from_snapshot, is_at_head

BUSY_TIMEOUT_MS = 30_000
WRITE_OPTION = "annotator_write"


def default_database_path() -> Path:
    """The default SQLite file, in platformdirs' per-user data directory."""
    from platformdirs import user_data_path

    return user_data_path("annotator", appauthor=False) / "annotator.sqlite3"


def resolve_url(url_or_path: str | os.PathLike[str] | None) -> str:
    """Turn ``--db`` / ``ANNOTATOR_DB`` (a path or an SQLAlchemy URL) into an SQLAlchemy URL."""
    value = os.fspath(url_or_path) if url_or_path is not None else os.environ.get("ANNOTATOR_DB") or ""
    if not value:
        value = str(default_database_path())
    if value.startswith("file:"):
        raise AnnotatorError("a file: URI is not accepted as a database; give a plain path or sqlite:///PATH",
                             path=value)
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
        Every SQLAlchemy error in the block leaves as a StoreError with a readable reason (store/errors.py).
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


def configure_sqlite(engine: Engine, read_only: bool) -> None:
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
    def _on_begin(conn: Connection) -> None:
        immediate = not read_only and conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


SQLITE_HEADER = b"SQLite format 3\x00"
NOT_OURS = "not an annotator database"


def identify_sqlite(path: Path) -> None:
    """Refuse a file that is not an annotator database, having only read it: nothing is written to it.

    Runs before the engine's first connection, whose pragmas (WAL mode) would change a foreign file's
    bytes. Our databases are recognised by their schema: an empty file or one without tables is new,
    a file with the ``alembic_version`` table is ours (the migrations then check its revision); an
    SQLite file holding other tables belongs to another application, and any other content is not
    SQLite at all. The check reads through ``immutable=1``, which never creates a journal, WAL or
    shared-memory file; a database with a live ``-wal`` file is left to the migrations' own check.
    """
    try:
        with open(path, "rb") as stream:
            header = stream.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise AnnotatorError(f"cannot read the database file ({exc.strerror or exc})", path=str(path)) from None
    if not header:
        return  # an empty file: a new database
    if header != SQLITE_HEADER:
        raise AnnotatorError(f"{NOT_OURS} (this file is not a database at all); nothing was changed", path=str(path))
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return
    uri = f"file:{quote(str(path))}?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.Error:
        return  # damaged or unreadable: the normal open says what is wrong
    if names and "alembic_version" not in names:
        shown = ", ".join(sorted(names)[:3]) + (", …" if len(names) > 3 else "")
        raise AnnotatorError(f"{NOT_OURS}: it is an SQLite file of another application (tables {shown}); "
                             "nothing was changed", path=str(path))


def _check_sqlite_location(path: Path, read_only: bool) -> None:
    if str(path).startswith("file:") or path.name.startswith("file:") or "/file:" in str(path):
        raise AnnotatorError("a file: URI is not accepted as a database; give a plain path or sqlite:///PATH",
                             path=str(path))
    if path.is_dir():
        raise AnnotatorError("is a folder, not a database file", path=str(path))
    try:
        mode = path.stat().st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        raise AnnotatorError("is not a regular file (a device or a pipe), so it cannot hold a database",
                             path=str(path))
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


def is_in_memory(url_or_path: str | os.PathLike[str] | None) -> bool:
    """True for an SQLite database that lives only in memory (``sqlite://``, ``:memory:``, ``mode=memory``)."""
    url = resolve_url(url_or_path)
    try:
        parsed = make_url(url)
    except ArgumentError:
        return False
    if parsed.get_backend_name() != "sqlite":
        return False
    database = parsed.database or ""
    return database in ("", ":memory:") or "mode=memory" in url


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
        if not is_in_memory(url):
            _check_sqlite_location(path, read_only)
            identify_sqlite(path)
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
        configure_sqlite(engine, read_only)
    store = Store(engine, sessionmaker(engine, expire_on_commit=False), url, read_only)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            at_head = is_at_head(conn)
        if at_head:
            pass  # the usual case: nothing to migrate or refuse, and alembic is never imported
        elif migrate and not read_only:
            if not create_from_snapshot(store):  # a new file gets the recorded schema at once
                from annotator.store.migrating import upgrade_schema

                upgrade_schema(store)
        else:
            from annotator.store.migrating import check_schema_version

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
