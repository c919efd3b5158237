"""Backups and health checks of a store (``annotator db backup`` / ``db check``); the command line
prints what these return."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from annotator.core.scheme import case_clashes
from annotator.store.database import Store, describe_url, open_store
from annotator.store.migrating import backup_sqlite, check_schema_version, head_revision
from annotator.store.models import Label


def integrity_problems(store: Store) -> list[str]:
    """SQLite's own integrity and foreign-key checks; empty when the file is sound."""
    if store.dialect != "sqlite":
        return []
    try:
        with store.engine.connect() as conn:
            rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").all()]
            fk = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
    except DBAPIError as exc:  # damage bad enough that the check itself cannot run
        return [f"SQLite cannot read the file ({str(exc.orig or exc).strip().splitlines()[0]})"]
    # One result row may hold many problems, one per line.
    problems = [line for r in rows if r != "ok" for line in str(r).splitlines() if line.strip()]
    problems += [f"foreign key broken in table {row[0]} row {row[1]}" for row in fk]
    return problems


@dataclass(frozen=True)
class Backup:
    """Where an online backup came from (described without password) and the file it wrote."""

    source: str
    target: Path


def backup_store(db: str | None, output: Path) -> Backup:
    """Copy the SQLite store ``db`` to ``output`` with SQLite's online backup (readers and writers may go on)."""
    store = open_store(db, migrate=False, read_only=True)
    try:
        target = backup_sqlite(store, output)
    finally:
        store.close()
    return Backup(describe_url(store.url), target)


@dataclass(frozen=True)
class Health:
    """What ``annotator db check`` found: the schema revision, SQLite's integrity problems, row counts
    (only for a sound file) and pairs of label keys that differ only in case."""

    where: str
    """The database, described without its password."""
    path: str
    """The file (or described URL) an error names."""
    revision: str | None
    head: str
    problems: list[str]
    counts: dict[str, int | None]
    clashes: list[tuple[str, str]]


def check_store(db: str | None) -> Health:
    """Check the store ``db`` without migrating or writing to it."""
    store = open_store(db, migrate=False, read_only=True)
    try:
        revision = check_schema_version(store)
        problems = integrity_problems(store)
        counts: dict[str, int | None] = {}
        clashes: list[tuple[str, str]] = []
        if revision and not problems:  # counting rows through damaged pages would fail half-way
            with store.session() as session:
                counts = {
                    name: session.execute(text(f"SELECT COUNT(*) FROM {name}")).scalar()
                    for name in ("documents", "layers", "spans")
                }
                clashes = case_clashes(session.scalars(select(Label.key).order_by(Label.id)))
    finally:
        store.close()
    return Health(
        where=describe_url(store.url),
        path=str(store.sqlite_path or describe_url(store.url)),
        revision=revision,
        head=head_revision(),
        problems=problems,
        counts=counts,
        clashes=clashes,
    )
