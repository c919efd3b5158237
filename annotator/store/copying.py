"""Copy a whole store between databases: SQLite to a team's PostgreSQL server, and back.

A copy is a move of the same data, not an export/import: every row keeps its id (so span ids in undo
history, notes and exported evidence still point to the right span), annotators keep their roles, and
labels keep their colours, order and attribute definitions, as do document fields and relation types. Rules
that keep it safe:

- the target must hold no annotation data (a merge would have to renumber ids; importing an export is
  the tool for that), so a copy can never overwrite a colleague's work;
- the source is read in one snapshot (REPEATABLE READ on PostgreSQL, one read transaction on SQLite),
  so colleagues writing during the copy cannot leave a span without its layer;
- the target is written in one transaction: an interrupted copy leaves it empty, not half-filled;
- PostgreSQL sequences are moved past the copied ids, so the next new span does not collide.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, Table, delete, func, insert, select
from sqlalchemy.exc import SQLAlchemyError

from annotator.core.errors import AnnotatorError
from annotator.store.database import Store, describe_url
from annotator.store.errors import StoreError
from annotator.store.marks import DeferredMarks
from annotator.store.migrating import current_revision
from annotator.store.models import Base

# Parents before children, so foreign keys hold at every step.
# Every table of the models, parents before children, so a table added later is never left behind.
# The search index state is the target's own (its FTS index is rebuilt from the copied documents), and so
# are the span tallies (its triggers count the copied spans).
LOCAL_TABLES = frozenset({"search_index", "span_label_tallies", "span_slot_tallies"})
TABLES = tuple(t.name for t in Base.metadata.sorted_tables if t.name not in LOCAL_TABLES)
# The scheme (labels, with their attribute definitions, document fields and relation types) of a fresh
# target is its default one, not data: it gives way to the source's scheme, ids included.
SCHEME_TABLES = ("relation_types", "field_defs", "labels")
DATA_TABLES = tuple(name for name in TABLES if name not in SCHEME_TABLES)
CHUNK = 2000
Progress = Callable[[str, int], None]


@dataclass
class CopySummary:
    """Rows copied per table, in copy order."""

    rows: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        return ", ".join(f"{count} {table}" for table, count in self.rows.items())


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _count(conn: Connection, name: str) -> int:
    return int(conn.execute(select(func.count()).select_from(_table(name))).scalar() or 0)


def check_target_empty(target: Store) -> None:
    """Refuse a target that already holds documents, annotators, layers, spans or anything hanging off them."""
    with target.translating(), target.engine.connect() as conn:
        held = {name: _count(conn, name) for name in DATA_TABLES}
    if any(held.values()):
        what = ", ".join(f"{n} {name}" for name, n in held.items() if n)
        raise AnnotatorError(
            f"the target {describe_url(target.url)} is not empty ({what}); a copy goes only into an empty "
            "database — to combine databases, export one and import it into the other"
        )


def copy_store(source: Store, target: Store, *, progress: Progress | None = None) -> CopySummary:
    """Copy every table from ``source`` into an empty ``target``: the scheme (labels with their attribute
    definitions, document fields, relation types), annotators, documents, layers, spans, field values,
    relations, reviews, assignments and the rest."""
    if source.url == target.url:
        raise AnnotatorError("the source and the target of a copy are the same database")
    with source.translating():
        source_rev = current_revision(source)
    with target.translating():
        target_rev = current_revision(target)
    if source_rev != target_rev:
        raise AnnotatorError(f"schema revisions differ (source {source_rev}, target {target_rev}); open both "
                             "with this version of annotator first")
    check_target_empty(target)
    summary = CopySummary()
    try:
        read = source.engine.connect()
        if source.dialect == "postgresql":
            read = read.execution_options(isolation_level="REPEATABLE READ")
        with read, read.begin(), target.engine.begin() as write:
            # The scheme of a fresh target (the default one) gives way to the source's, ids included.
            for name in SCHEME_TABLES:
                write.execute(delete(_table(name)))
            marks = DeferredMarks(write)  # counted once at the end, not per copied span (store/marks.py)
            marks.everything = True
            for name in TABLES:
                summary.rows[name] = _copy_table(read, write, _table(name), progress)
            marks.finish()
            if target.dialect == "postgresql":
                for name in TABLES:
                    write.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
                    )
            copied = {name: _count(write, name) for name in TABLES}
            if copied != summary.rows:
                raise AnnotatorError(f"the copy is incomplete ({copied} written, {summary.rows} read); nothing was kept")
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc.__class__.__name__).strip().splitlines()[0]
        raise StoreError(f"copy to {describe_url(target.url)} failed ({reason}); nothing was kept") from None
    return summary


def _copy_table(read: Connection, write: Connection, table: Table, progress: Progress | None) -> int:
    """Stream a table in id order, a chunk at a time, into the same table of the target."""
    last = None
    total = 0
    while True:
        query = select(table).order_by(table.c.id).limit(CHUNK)
        if last is not None:
            query = query.where(table.c.id > last)
        rows = [dict(row) for row in read.execute(query).mappings()]
        if not rows:
            return total
        write.execute(insert(table), rows)
        total += len(rows)
        last = rows[-1]["id"]
        if progress is not None:
            progress(table.name, total)


@dataclass(frozen=True)
class CopyResult:
    """A finished copy: the rows per table and both databases, described without passwords."""

    summary: CopySummary
    source: str
    target: str


def copy_database(source_url: str | None, target_url: str | None) -> CopyResult:
    """Open both databases (``None`` is the default store) and copy ``source_url`` into the empty ``target_url``."""
    from annotator.store.database import open_store

    source = open_store(source_url, must_exist=True)  # first: a missing source creates no target
    try:
        target = open_store(target_url)
        try:
            summary = copy_store(source, target)
        finally:
            target.close()
    finally:
        source.close()
    return CopyResult(summary, describe_url(source.url), describe_url(target.url))
