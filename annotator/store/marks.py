"""How many analysts marked each span's extent: ``spans.marked_by``, kept by the database (migration 0012).

Why stored: the evidence filter "marked by ≥ N analysts" asks, for every matching span, how many
annotators other than ``gold`` have a span of the same document, start, end and label. Asked per span at
filter time that is a lookup into every other layer of the document — 0.3–0.5 s on 200,000 spans, over
the view's 200 ms budget. Stored on the span, the filter is a comparison (``ix_spans_label_marked``).

Who keeps it: triggers, so no writer can forget it (the app's operations, scripts, ``db copy``, a
colleague's session). After a span is added, deleted or moved (its layer, offsets or label changed) the
triggers recount the extent and write the count on each of its spans; after a layer is deleted, its
document's spans are recounted. The count is of *distinct* annotators: old databases may hold the same
span twice in one layer, which is one analyst, not two. On PostgreSQL the recount first takes a
transaction-scoped advisory lock on the document, so two analysts marking the same extent at the same
moment cannot both count only themselves (the second waits, then sees the first's committed span).

Bulk writers (import, copy) suspend the triggers for their transaction (:class:`DeferredMarks`) and
recount the documents they touched once at the end, set-based: a per-row recount would cost a sixth more
on an import into SQLite, and on a SQLite import into an empty table the span indexes are not there yet
(``bulk.DeferredIndexes``), so each per-row recount would read the whole table.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection

LOCK_CLASS = 7468210
"""First key of PostgreSQL's two-key advisory lock on one document's marks (the second is the document id)."""

DEFER_SETTING = "annotator.defer_marks"
"""PostgreSQL setting (transaction-local) under which the triggers leave the counts to :class:`DeferredMarks`."""

TRIGGERS = ("spans_marked_ai", "spans_marked_ad", "spans_marked_au", "layers_marked_ad")
"""The SQLite triggers of migration 0012 (PostgreSQL has ``spans_marked`` and ``layers_marked``)."""

_CHUNK = 500

COUNT_SQL = (
    "(SELECT count(DISTINCT y.annotator_id) FROM layers AS y CROSS JOIN spans AS s"
    " WHERE y.document_id = (SELECT document_id FROM layers WHERE id = spans.layer_id)"
    " AND s.layer_id = y.id AND s.start = spans.start AND s.end_ = spans.end_ AND s.label_id = spans.label_id"
    " AND y.annotator_id NOT IN (SELECT id FROM annotators WHERE name = 'gold'))"
)
"""The count for the ``spans`` row being updated. ``CROSS JOIN`` keeps SQLite's join order (layers of the
document first, then ``ix_spans_layer_start``), instead of reading every span of the label."""


GROUPED_SQL = (
    "WITH extent AS (SELECT l.document_id, s.start, s.end_, s.label_id, count(DISTINCT l.annotator_id) AS n"
    " FROM spans AS s JOIN layers AS l ON l.id = s.layer_id"
    " WHERE l.annotator_id NOT IN (SELECT id FROM annotators WHERE name = 'gold'){where}"
    " GROUP BY l.document_id, s.start, s.end_, s.label_id),"
    " wanted AS (SELECT s.id, coalesce(e.n, 0) AS n FROM spans AS s JOIN layers AS l ON l.id = s.layer_id"
    " LEFT JOIN extent AS e ON e.document_id = l.document_id AND e.start = s.start AND e.end_ = s.end_"
    " AND e.label_id = s.label_id{where_all})"
    " UPDATE spans SET marked_by = wanted.n FROM wanted"
    " WHERE spans.id = wanted.id AND spans.marked_by IS DISTINCT FROM wanted.n"
)
"""PostgreSQL's recount: every extent counted once with ``GROUP BY``, then joined back to its spans.

The correlated form (:data:`COUNT_SQL` per row) is what SQLite plans well; on PostgreSQL, right after a
bulk load (no statistics yet) it ran for minutes on 600,000 spans, where grouping takes seconds."""


def recount(conn: Connection, documents: Iterable[int] | None = None) -> None:
    """Write the count on every span of ``documents`` (all spans when None), in one statement per chunk."""
    postgres = conn.dialect.name == "postgresql"
    if documents is None:
        if postgres:
            conn.exec_driver_sql(GROUPED_SQL.format(where="", where_all=""))
        else:
            conn.exec_driver_sql(f"UPDATE spans SET marked_by = {COUNT_SQL}")
        return
    ordered = sorted(set(documents))
    for i in range(0, len(ordered), _CHUNK):
        chunk = ordered[i : i + _CHUNK]
        marks = ", ".join(str(int(pk)) for pk in chunk)
        if postgres:  # in document order, so two bulk writers never deadlock
            conn.exec_driver_sql(f"SELECT count(pg_advisory_xact_lock({LOCK_CLASS}, d)) FROM "
                                 f"(SELECT unnest(ARRAY[{marks}]) AS d ORDER BY 1) AS locked")
            only = f" AND l.document_id IN ({marks})"
            conn.exec_driver_sql(GROUPED_SQL.format(where=only, where_all=" WHERE" + only[4:]))
            continue
        conn.exec_driver_sql(f"UPDATE spans SET marked_by = {COUNT_SQL} "
                             f"WHERE layer_id IN (SELECT id FROM layers WHERE document_id IN ({marks}))")


class DeferredMarks:
    """The marks triggers suspended for one bulk-writing transaction; :meth:`finish` recounts.

    SQLite: the triggers are dropped inside the caller's transaction and created again, exactly as they
    were, by :meth:`finish` (other connections never see the table without them; a rollback restores
    them). PostgreSQL: a transaction-local setting the trigger function reads, so nothing is locked and
    colleagues' writes keep their own counts.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.pending: list[str] = []
        self.documents: set[int] = set()
        """Documents whose spans changed while the triggers were suspended (the writer adds them)."""
        self.everything = False
        """Recount every span (a load into an empty table) instead of :attr:`documents`."""
        self.active = True
        if conn.dialect.name == "sqlite":
            found = conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
                f"({', '.join(repr(name) for name in TRIGGERS)}) ORDER BY name").all()
            for name, sql in found:
                conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
                self.pending.append(sql)
        elif conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT set_config('{DEFER_SETTING}', 'on', true)")

    def finish(self) -> None:
        """Recount what changed and put the triggers back (idempotent)."""
        if not self.active:
            return
        self.active = False
        if self.conn.dialect.name == "postgresql":
            self.conn.exec_driver_sql(f"SELECT set_config('{DEFER_SETTING}', 'off', true)")
        if self.everything:
            recount(self.conn)
        elif self.documents:
            recount(self.conn, self.documents)
        while self.pending:
            self.conn.exec_driver_sql(self.pending.pop(0))


__all__ = ["COUNT_SQL", "DEFER_SETTING", "LOCK_CLASS", "TRIGGERS", "DeferredMarks", "recount"]
