"""A real PostgreSQL server for team-mode tests (docs/architecture.md §8): started once a session, not mocked.

Why this shape:
- One server per test session (initdb costs a second or two); every test gets its own database cloned
  with ``CREATE DATABASE … TEMPLATE`` from a template that already holds the migrated schema, so a test
  starts from a clean, current store in a few tens of milliseconds.
- The databases use an ICU collation (``en-US``) rather than the C locale, because real servers sort
  text by locale rules and store code must not silently depend on SQLite's byte order.
- Durability is switched off (``fsync=off`` …): the data is thrown away anyway and it keeps the suite fast.
- Without PostgreSQL binaries the team-mode tests are skipped with a reason — except under CI (env ``CI``
  set), where a missing server is a broken build and fails loudly.

``PostgresServer`` is also used by ``bench/bench_team_load.py``.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

SUPERUSER = "postgres"
TEMPLATE_DB = "annotator_template"
PASSWORD_USER = "teamuser"
PASSWORD = "s3cret-pw"


def find_bindir() -> Path | None:
    """The directory holding initdb and pg_ctl (Debian keeps them out of PATH), or None.

    ``PG_BINDIR``, when set, is the only place looked at (to pick a version, or to test the fallback).
    """
    explicit = os.environ.get("PG_BINDIR")
    if explicit:
        candidates = [explicit]
    else:
        candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
        on_path = shutil.which("initdb")
        if on_path:
            candidates.append(str(Path(on_path).parent))
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    return None


def _version_key(path: str) -> int:
    try:
        return int(Path(path).parent.name)
    except ValueError:
        return 0


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """A throw-away PostgreSQL cluster in a temporary folder, listening on 127.0.0.1.

    When running as root the server runs as the ``postgres`` user (PostgreSQL refuses to run as root).
    Authentication is ``trust`` for the superuser and SCRAM for ``teamuser``, so tests can check that a
    password supplied out of band (PGPASSWORD) is what lets a user in.
    """

    def __init__(self, bindir: Path, *, durable: bool = False) -> None:
        self.bindir = bindir
        self.durable = durable  # production-like commits (fsync, synchronous_commit) for benchmarks
        self.port = free_port()
        self.host = "127.0.0.1"
        self.root = Path(tempfile.mkdtemp(prefix="annotator-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.as_postgres = os.geteuid() == 0
        self._counter = itertools.count(1)
        if self.as_postgres:
            shutil.chown(self.root, SUPERUSER, SUPERUSER)
            self.root.chmod(0o700)

    # ----------------------------------------------------------------------------------------- processes
    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", SUPERUSER, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, cwd=self.root, timeout=120)
        if check and result.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(args[:2])} failed: {result.stderr.strip()}\n{log}")
        return result

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "-E", "UTF8", "--no-locale",
                  "--auth=trust", "--no-sync", "--no-instructions")
        hba = self.data / "pg_hba.conf"
        hba.write_text(
            f"local all {SUPERUSER} trust\n"
            f"host all {SUPERUSER} 127.0.0.1/32 trust\n"
            "host all all 127.0.0.1/32 scram-sha-256\n",
            encoding="utf-8",
        )

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses={self.host} -k {self.root} -c max_connections=200"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def cleanup(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    # ----------------------------------------------------------------------------------------- databases
    def url(self, database: str, user: str = SUPERUSER, password: str | None = None) -> str:
        auth = user if password is None else f"{user}:{password}"
        return f"postgresql+psycopg://{auth}@{self.host}:{self.port}/{database}"

    def admin_execute(self, *statements: str) -> None:
        """Run statements on the maintenance database in autocommit (CREATE/DROP DATABASE need it)."""
        import psycopg

        with psycopg.connect(host=self.host, port=self.port, user=SUPERUSER, dbname="postgres",
                             autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    def prepare_template(self) -> None:
        """A migrated, ICU-collated database that every test database is cloned from."""
        from annotator.store.database import open_store

        self.admin_execute(
            f"CREATE DATABASE {TEMPLATE_DB} TEMPLATE template0 ENCODING 'UTF8' "
            "LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'",
            f"CREATE ROLE {PASSWORD_USER} LOGIN SUPERUSER PASSWORD '{PASSWORD}'",
        )
        store = open_store(self.url(TEMPLATE_DB))
        store.close()
        self.admin_execute(f"ALTER DATABASE {TEMPLATE_DB} IS_TEMPLATE true")

    def create_database(self, *, empty: bool = False) -> str:
        """A new database (migrated, or ``empty`` with no schema at all); returns its name."""
        name = f"t{os.getpid()}_{next(self._counter)}"
        if empty:
            self.admin_execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' "
                               "LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'")
        else:
            self.admin_execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE_DB}")
        return name

    def drop_database(self, name: str) -> None:
        self.admin_execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def wait_until_accepting(self, timeout: float = 30.0) -> None:
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            try:
                psycopg.connect(host=self.host, port=self.port, user=SUPERUSER, dbname="postgres").close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)


def start_server(*, durable: bool = False) -> PostgresServer:
    """Start a fresh server with its template database, or raise LookupError when PostgreSQL is absent."""
    bindir = find_bindir()
    if bindir is None:
        raise LookupError("PostgreSQL binaries (initdb, pg_ctl) not found; install Debian's postgresql package")
    server = PostgresServer(bindir, durable=durable)
    try:
        server.init()
        server.start()
        server.prepare_template()
    except BaseException:
        server.cleanup()
        raise
    return server


# --------------------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """The session's PostgreSQL server; skipped without binaries unless CI is set (then it fails)."""
    try:
        server = start_server()
    except LookupError as exc:
        if in_ci():
            pytest.fail(f"{exc} (CI is set, so team-mode tests must run)", pytrace=False)
        pytest.skip(str(exc))
    yield server
    server.cleanup()


@pytest.fixture
def pg_url(pg_server: PostgresServer) -> Iterator[str]:
    """A ``postgresql+psycopg://`` URL of a fresh, migrated database, dropped after the test."""
    name = pg_server.create_database()
    yield pg_server.url(name)
    pg_server.drop_database(name)


@pytest.fixture
def pg_empty_url(pg_server: PostgresServer) -> Iterator[str]:
    """A URL of a fresh database with no schema at all (for migration tests)."""
    name = pg_server.create_database(empty=True)
    yield pg_server.url(name)
    pg_server.drop_database(name)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a fresh, empty store on each dialect: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return "sqlite:///" + str(tmp_path / "annotator.sqlite3")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def any_store(any_store_url: str):  # type: ignore[no-untyped-def]
    """An open Store on each dialect (closed after the test)."""
    from annotator.store.database import open_store

    opened = open_store(any_store_url)
    yield opened
    opened.close()
