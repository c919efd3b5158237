"""Span tallies (migration 0013) for bulk loads: the per-row triggers paused, the counts added in one go.

Why: the triggers that keep ``span_label_tallies`` and ``span_slot_tallies`` cost a few microseconds per
span — a third more time for a large import. The importer knows every span it inserts (analyst, label,
creation time), so it pauses the insert trigger for its own transaction and adds the counts itself, one
row per (analyst, label) and (analyst, slot) per batch:

* SQLite: the insert trigger is dropped inside the import's write transaction and created again, exactly
  as it was, by :meth:`PausedTallies.restore` (the way ``bulk.DeferredIndexes`` treats indexes). SQLite
  has one writer at a time and DDL is transactional, so no other connection ever writes without it; a
  failed import rolls the drop back.
* PostgreSQL: ``SET LOCAL annotator.tallies_paused = 'on'`` — the trigger function returns at once for
  this transaction's rows, while colleagues' transactions keep counting their own spans.

Deletes, relabels and everything else still go through the triggers.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from annotator.core.team_stats import slot_of

INSERT_TRIGGER = "spans_tally_ai"
EPOCH = datetime(1970, 1, 1)


class PausedTallies:
    """Collects the tallies of spans a bulk load inserts while the insert trigger is paused."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.labels: Counter[tuple[int, int]] = Counter()
        self.slots: Counter[tuple[int, int]] = Counter()
        self.trigger_sql: str | None = None
        connection = session.connection()
        self.sqlite = connection.dialect.name == "sqlite"
        if self.sqlite:
            self.trigger_sql = connection.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (INSERT_TRIGGER,)).scalar()
            if self.trigger_sql is not None:
                connection.exec_driver_sql(f"DROP TRIGGER {INSERT_TRIGGER}")
        else:
            connection.exec_driver_sql("SET LOCAL annotator.tallies_paused = 'on'")

    def add(self, annotator_id: int, label_id: int, created: datetime, count: int = 1) -> None:
        """Count ``count`` spans inserted for ``annotator_id`` with ``label_id`` at ``created`` (naive UTC)."""
        self.labels[(annotator_id, label_id)] += count
        self.slots[(annotator_id, slot_of((created - EPOCH).total_seconds()))] += count

    def flush(self) -> None:
        """Add the counts collected so far to the tallies (one statement per table)."""
        conn = self.session.connection()
        if self.labels:
            conn.execute(text("INSERT INTO span_label_tallies (annotator_id, label_id, n) VALUES (:a, :k, :n) "
                              "ON CONFLICT (annotator_id, label_id) DO UPDATE SET n = span_label_tallies.n + "
                              "excluded.n"), [{"a": a, "k": k, "n": n} for (a, k), n in self.labels.items()])
        if self.slots:
            conn.execute(text("INSERT INTO span_slot_tallies (annotator_id, slot, n) VALUES (:a, :s, :n) "
                              "ON CONFLICT (annotator_id, slot) DO UPDATE SET n = span_slot_tallies.n + excluded.n"),
                         [{"a": a, "s": s, "n": n} for (a, s), n in self.slots.items()])
        self.labels.clear()
        self.slots.clear()

    def restore(self) -> None:
        """Flush, and let the trigger count again (at the end of the load, in the same transaction)."""
        self.flush()
        conn = self.session.connection()
        if self.sqlite and self.trigger_sql is not None:
            conn.exec_driver_sql(self.trigger_sql)
            self.trigger_sql = None
        elif not self.sqlite:
            conn.exec_driver_sql("SET LOCAL annotator.tallies_paused = 'off'")
