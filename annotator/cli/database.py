"""``annotator db backup | check | copy | role``: maintenance of a store from the command line.

The store modules (``store.maintenance``, ``store.copying``, ``store.roles``) do the work and return what
they found; the lines printed here are the ones scripts and the README rely on.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from annotator.cli.common import EXIT_OK
from annotator.core.errors import AnnotatorError


def run_db(args: argparse.Namespace) -> int:
    handler = {"backup": _backup, "check": _check, "copy": _copy, "role": _role}.get(args.db_command)
    if handler is None:
        raise AnnotatorError(f"unknown db command {args.db_command}")
    return handler(args)


def _backup(args: argparse.Namespace) -> int:
    from annotator.store.maintenance import backup_store

    backup = backup_store(args.db, Path(args.output))
    print(f"backed up {backup.source} to {backup.target}")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from annotator.store.maintenance import check_store

    health = check_store(args.db)
    for problem in health.problems:
        print(f"problem: {problem}")
    if health.revision == health.head:
        state = "current"
    else:
        state = f"will be migrated from {health.revision} to {health.head} on next open"
    print(f"{health.where}: schema {health.revision or 'none'} ({state}); "
          + ", ".join(f"{v} {k}" for k, v in health.counts.items()))
    if health.problems:
        raise AnnotatorError(f"the database file is damaged: {len(health.problems)} integrity problems (listed "
                             "above); restore a backup", path=health.path)
    for first, second in health.clashes:  # allowed before keys were compared without case; still works
        print(f"warning: labels {first!r} and {second!r} differ only in case; a new label could not do this. "
              "Rename an unused one in Edit → Tag scheme… to tell them apart")
    print("integrity: ok")
    return EXIT_OK


def _copy(args: argparse.Namespace) -> int:
    """``db copy --to URL`` / ``--from URL``: the --db store is the source or the target."""
    from annotator.cli.common import refuse_in_memory
    from annotator.store.copying import copy_database

    source, target = (args.db, args.to) if args.to is not None else (args.from_, args.db)
    refuse_in_memory(target)
    result = copy_database(source, target)
    print(f"copied {result.summary.describe()} from {result.source} to {result.target}")
    return EXIT_OK


def _role(args: argparse.Namespace) -> int:
    """``db role NAME ROLE``, acting as --annotator / ANNOTATOR_USER / the saved setting."""
    from annotator.cli.common import refuse_in_memory
    from annotator.config import acting_annotator
    from annotator.store.roles import change_role

    refuse_in_memory(args.db)
    previous = change_role(args.db, acting_annotator(getattr(args, "annotator", None)), args.name, args.role)
    was = f" (was {previous})" if previous else " (new annotator)"
    print(f"{args.name} is now {args.role}{was}")
    return EXIT_OK
