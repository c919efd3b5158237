"""Schema migrations with alembic, and the SQLite backups taken before them.

Why a module of its own: this is the slow path of opening a store (``database.open_store`` imports it
only when ``schema_fast_path`` cannot vouch for the schema), and the one place that imports alembic. A
database written by a newer annotator is refused rather than damaged, an SQLite file is backed up with
the online backup API before any migration touches it, and two app instances starting at once on a
PostgreSQL server do not both migrate.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect

from annotator.core.errors import AnnotatorError, SchemaTooNew
from annotator.store.database import Store, describe_url
from annotator.store.errors import StoreError
from annotator.store.schema_fast_path import MIGRATIONS_DIR

if TYPE_CHECKING:  # alembic itself is imported only when a migration check runs
    from alembic.config import Config


def _alembic_config() -> Config:
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
