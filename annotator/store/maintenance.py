"""``annotator db``: backups and health checks of a store."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from annotator.core.errors import AnnotatorError
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


def run_db_command(args: argparse.Namespace) -> int:
    if args.db_command == "backup":
        store = open_store(args.db, migrate=False, read_only=True)
        try:
            target = backup_sqlite(store, Path(args.output))
        finally:
            store.close()
        print(f"backed up {describe_url(store.url)} to {target}")
        return 0
    if args.db_command == "check":
        store = open_store(args.db, migrate=False, read_only=True)
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
        for problem in problems:
            print(f"problem: {problem}")
        head = head_revision()
        state = "current" if revision == head else f"will be migrated from {revision} to {head} on next open"
        print(f"{describe_url(store.url)}: schema {revision or 'none'} ({state}); "
              + ", ".join(f"{v} {k}" for k, v in counts.items()))
        if problems:
            raise AnnotatorError(f"the database file is damaged: {len(problems)} integrity problems (listed above); "
                                 "restore a backup", path=str(store.sqlite_path or describe_url(store.url)))
        for first, second in clashes:  # allowed before keys were compared without case; still works
            print(f"warning: labels {first!r} and {second!r} differ only in case; a new label could not do this. "
                  "Rename an unused one in Edit → Tag scheme… to tell them apart")
        print("integrity: ok")
        return 0
    if args.db_command == "copy":
        from annotator.store.copying import run_copy_command

        return run_copy_command(args)
    if args.db_command == "role":
        from annotator.store.roles import run_role_command

        return run_role_command(args)
    raise AnnotatorError(f"unknown db command {args.db_command}")
