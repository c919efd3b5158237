"""What several command handlers share: exit codes, opening the ``--db`` store, writing a small output
file, and the progress line on stderr.

Kept free of heavy imports (SQLAlchemy is imported inside :func:`open_from_args`) so that importing a
handler module costs nothing until the command runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.errors import AnnotatorError

if TYPE_CHECKING:  # imported for real inside open_from_args
    from annotator.store.database import Store

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_MISMATCH = 0, 1, 2, 3


def open_from_args(args: argparse.Namespace, *, read_only: bool = False, must_exist: bool = False,
                   stores: bool = False) -> Store:
    """The store named by ``--db`` (or ``ANNOTATOR_DB``, or the default file), honouring ``--read-only``.

    ``stores``: the command keeps what it writes (import, scheme import), so an in-memory database, which
    would throw it away on exit, is refused.
    """
    from annotator.store.database import open_store

    if stores:
        refuse_in_memory(args.db)
    return open_store(args.db, read_only=read_only or getattr(args, "read_only", False), must_exist=must_exist)


def refuse_in_memory(db: str | None) -> None:
    """Refuse an in-memory database for a command that stores: its work would vanish when it exits."""
    from annotator.store.database import describe_url, is_in_memory, resolve_url

    if is_in_memory(db):
        raise AnnotatorError(f"the database {describe_url(resolve_url(db))} lives only in memory, so what this "
                             "command stores would be thrown away on exit; give a database file or server")


def is_existing_sqlite(db: str | None) -> bool:
    """True when ``db`` resolves to an SQLite file that exists."""
    from annotator.store.database import resolve_url

    url = resolve_url(db)
    return url.startswith("sqlite:///") and Path(url[len("sqlite:///"):]).exists()


class ProgressLine:
    """A one-line progress indicator on stderr, shown only when stderr is a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.last = ""

    def __call__(self, fraction: float, message: str) -> None:
        if not self.enabled:
            return
        width = 30
        filled = int(width * max(0.0, min(1.0, fraction)))
        line = f"\r[{'#' * filled}{'.' * (width - filled)}] {fraction:4.0%} {message[:60]:<60}"
        if line != self.last:
            sys.stderr.write(line)
            sys.stderr.flush()
            self.last = line

    def close(self) -> None:
        if self.enabled and self.last:
            sys.stderr.write("\r" + " " * len(self.last) + "\r")
            sys.stderr.flush()
