"""Snapshots of a SQLite database's content, to prove that a refused operation changed nothing.

A snapshot is every row of every table (read with the plain ``sqlite3`` module, not our own code, so a
bug in the store cannot hide itself), plus the integrity check. Two snapshots are equal exactly when no
committed data differs.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


def _read_only_uri(path: Path) -> str:
    # On read-only media SQLite cannot create the WAL index; nothing can change the file there.
    immutable = "" if os.access(path.parent, os.W_OK) else "&immutable=1"
    return f"file:{path}?mode=ro{immutable}"


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """All rows of all ordinary tables, sorted, keyed by table name (FTS shadow tables included)."""
    conn = sqlite3.connect(_read_only_uri(path), uri=True)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
        )]
        return {name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in names}
    finally:
        conn.close()


def integrity(path: Path) -> str:
    """``PRAGMA integrity_check`` as one string ('ok' when sound), plus any foreign-key violation."""
    conn = sqlite3.connect(str(path))
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()
    result = "; ".join(rows)
    if fk:
        result += f"; foreign keys broken: {fk[:5]}"
    return result


def counts(path: Path) -> dict[str, int]:
    """Row counts of the annotation tables."""
    conn = sqlite3.connect(_read_only_uri(path), uri=True)
    try:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("documents", "labels", "annotators", "layers", "spans")}
    finally:
        conn.close()
