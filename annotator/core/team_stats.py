"""The team dashboard's rules: hours of work from span timestamps, label drift, periods, the CSV table.

Why in core: these are judgement calls a lead must be able to read and trust, so each is one small pure
function with its own tests, shared by the store (which aggregates in SQL) and the dashboard window.

* **Hours of work.** Time is cut into five-minute slots (``SLOT``); a slot in which the analyst created
  at least one span is worked. Worked slots form one sitting unless more than ``SESSION_GAP`` (30
  minutes) of unworked slots lie between them; a sitting lasts from the start of its first slot to the
  end of its last, so at least five minutes: one span after a long pause still took reading time.
  Hours = the sum of sittings (:func:`hours_of_work`); spans per hour = spans / hours. Slots rather than single timestamps,
  because the store keeps spans per (analyst, slot) up to date in a small table (migration 0010) and the
  dashboard must not read every span.
* **Drift.** An analyst's label distribution (share of their spans per label) against the team's (share
  of all analysts' spans): the total variation distance ½·Σ|p − q|, 0 (same mix) to 1 (no label in common).
* **Periods.** Agreement over time is grouped by the ISO week (``2026-W18``) in which the analyst's layer
  was marked done.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from annotator.core.formats.csv_evidence import neutralize

SLOT = 5 * 60
"""Seconds per time slot: hours of work are reckoned from the slots in which an analyst created spans."""

SESSION_GAP = 30 * 60
"""An empty stretch longer than this between two worked slots ends a sitting."""


def slot_of(timestamp: float) -> int:
    """The slot (``SLOT`` seconds wide, counted from 1970) of a time in seconds since 1970."""
    return int(timestamp // SLOT)


MAX_JOINED_STEP = SESSION_GAP // SLOT + 1
"""Two worked slots this many slots apart or fewer (at most 30 empty minutes between them) share a sitting."""


def hours_of_work(slots: Iterable[int]) -> float:
    """Hours in the sittings made of these worked slots (distinct; any order).

    Each worked slot counts five minutes, and the empty slots inside a sitting (steps of at most
    ``MAX_JOINED_STEP`` between consecutive worked slots) count too: a sitting lasts from the start of its
    first slot to the end of its last.
    """
    ordered = np.unique(slots if isinstance(slots, np.ndarray) else np.fromiter(slots, dtype=np.int64))
    steps = np.diff(ordered)
    filled = steps[(steps > 1) & (steps <= MAX_JOINED_STEP)] - 1
    return (ordered.size + int(filled.sum())) * SLOT / 3600.0


def spans_per_hour(spans: int, hours: float) -> float | None:
    """Spans per hour of work; None when no work was recorded."""
    return spans / hours if hours > 0 else None


def shares(counts: Mapping[str, int]) -> dict[str, float]:
    """Each key's share of the total (all zero when the total is zero)."""
    total = sum(counts.values())
    return {key: (n / total if total else 0.0) for key, n in counts.items()}


def total_variation(p: Mapping[str, float], q: Mapping[str, float]) -> float:
    """½·Σ|p − q| over the union of keys: 0 for identical distributions, 1 for disjoint ones."""
    return 0.5 * sum(abs(p.get(key, 0.0) - q.get(key, 0.0)) for key in set(p) | set(q))


def iso_week(moment: datetime) -> str:
    """The ISO week of a time, as ``YYYY-Www`` (sorts in time order)."""
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


# --------------------------------------------------------------------------------------------- the figures
@dataclass(frozen=True)
class AgreementPoint:
    """One analyst's span agreement in one period, pooled over their shared done documents and partners.

    ``exact``/``overlap`` are F1 = 2·tp / (|A| + |B|) (docs/architecture.md §6), None without spans.
    """

    period: str
    documents: int
    exact: float | None
    overlap: float | None


@dataclass(frozen=True)
class AnalystFigures:
    name: str
    assigned: int
    done: int
    approved: int
    returned: int
    spans: int
    hours: float
    label_counts: dict[str, int]
    agreement: tuple[AgreementPoint, ...] = ()

    @property
    def spans_per_hour(self) -> float | None:
        return spans_per_hour(self.spans, self.hours)


@dataclass(frozen=True)
class DashboardData:
    """Everything the dashboard shows: per analyst figures, the labels in scheme order, the team's counts."""

    analysts: tuple[AnalystFigures, ...]
    labels: tuple[str, ...]
    team_counts: dict[str, int] = field(default_factory=dict)

    def drift(self, analyst: AnalystFigures) -> float | None:
        """Total variation distance of the analyst's label mix from the team's (None without spans)."""
        if not analyst.spans:
            return None
        return total_variation(shares(analyst.label_counts), shares(self.team_counts))

    def analyst(self, name: str) -> AnalystFigures:
        return next(a for a in self.analysts if a.name == name)


CSV_COLUMNS = ("analyst", "assigned", "done", "approved", "returned", "spans", "hours", "spans_per_hour",
               "label_drift", "agreement_exact_f1", "agreement_overlap_f1", "shared_documents")
"""The dashboard CSV's fixed columns; one ``share:<label>`` column per label follows, in scheme order."""


def _pooled(points: Sequence[AgreementPoint]) -> tuple[str, str, str]:
    """Latest period's exact and overlap F1 and the documents behind all periods (empty cells when none)."""
    if not points:
        return "", "", ""
    last = points[-1]
    fmt = lambda v: "" if v is None else f"{v:.3f}"  # noqa: E731
    return fmt(last.exact), fmt(last.overlap), str(sum(p.documents for p in points))


def dashboard_rows(data: DashboardData) -> list[list[str]]:
    """The table as text cells, header first: stable column order, numbers rounded for a spreadsheet.

    The agreement columns are the latest period's figures; ``shared_documents`` counts all periods.
    """
    header = list(CSV_COLUMNS) + [f"share:{label}" for label in data.labels]
    rows = [header]
    for a in data.analysts:
        rate = a.spans_per_hour
        drift = data.drift(a)
        share = shares({label: a.label_counts.get(label, 0) for label in data.labels})
        rows.append([a.name, str(a.assigned), str(a.done), str(a.approved), str(a.returned), str(a.spans),
                     f"{a.hours:.2f}", "" if rate is None else f"{rate:.1f}", "" if drift is None else f"{drift:.3f}",
                     *_pooled(a.agreement), *(f"{share[label]:.3f}" for label in data.labels)])
    return rows


def dashboard_csv(data: DashboardData) -> str:
    """The dashboard as CSV text (CRLF rows, every cell CSV-injection safe like the evidence table)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in dashboard_rows(data):
        writer.writerow([neutralize(cell) for cell in row])
    return out.getvalue()
