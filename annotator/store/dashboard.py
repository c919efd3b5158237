"""The team dashboard's figures, aggregated in SQL: per analyst assigned, done, approved, returned, spans,
hours of work, label counts, and agreement on shared documents over time.

Why a module of its own: a lead opens the dashboard on a corpus of 100,000 documents and expects it at
once (under a second on SQLite and PostgreSQL, ``bench/bench_dashboard.py``), and a single pass over
600,000 spans already takes longer. So the counts are ``GROUP BY``s over assignments, layers and reviews,
label counts and hours of work come from the span tallies that triggers keep (migration 0010: spans per
analyst and label, and per analyst and five-minute slot), and only agreement reads spans — those of the
documents two analysts finished in the weeks charted.

Hours of work follow ``core.team_stats``: worked five-minute slots joined into sittings unless more
than 30 minutes lie between them. The gold layer is not an analyst and is left out of every figure.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotator.core.agreement.over_time import agreement_over_time, shared_spans
from annotator.core.model import GOLD_ANNOTATOR, REVIEW_APPROVED, REVIEW_RETURNED, STATUS_DONE
from annotator.core.team_stats import (
    AgreementPoint,
    AnalystFigures,
    DashboardData,
    hours_of_work,
    iso_week,
)
from annotator.store import repository as repo
from annotator.store.assignments import blind_for
from annotator.store.models import (
    Annotator,
    Assignment,
    Label,
    Layer,
    LayerReview,
    SpanLabelTally,
)

SQLITE_CHUNK = 900
"""Ids per ``IN (…)`` on SQLite, under the historic limit of 999 bound parameters."""

AGREEMENT_WEEKS = 12
"""How many weeks, up to the newest done layer's, the agreement chart covers."""


def hours_by_analyst(session: Session) -> dict[int, float]:
    """Annotator id → hours of work (``core.team_stats.hours_of_work``) from the slot tallies (migration 0013).

    Read in the primary key's order (analyst, slot) straight from the driver: 100,000 documents' worth of
    work is about 180,000 rows, and building a SQLAlchemy row for each would take longer than the sums.
    """
    cursor = session.connection().connection.cursor()  # the driver's own: plain tuples, no Row objects
    try:
        cursor.execute("SELECT annotator_id, slot FROM span_slot_tallies WHERE n > 0 ORDER BY annotator_id, slot")
        rows = cursor.fetchall()
    finally:
        cursor.close()
    if not rows:
        return {}
    table = np.array(rows, dtype=np.int64)
    bounds = np.flatnonzero(np.diff(table[:, 0])) + 1
    return {int(part[0, 0]): hours_of_work(part[:, 1]) for part in np.split(table, bounds)}


def _spans_of_layers(session: Session, layer_ids: list[int]) -> np.ndarray:
    """(layer_id, start, end, label_id) of every span of these layers, as an integer array.

    Through the driver's own cursor and the spans' (layer_id, start) index: tens of thousands of rows
    without a SQLAlchemy row each. SQLite takes the ids in chunks under its bound-parameter limit,
    PostgreSQL as one array.
    """
    cursor = session.connection().connection.cursor()
    found: list[tuple[int, int, int, int]] = []
    try:
        if session.get_bind().dialect.name == "sqlite":
            for i in range(0, len(layer_ids), SQLITE_CHUNK):
                chunk = layer_ids[i : i + SQLITE_CHUNK]
                cursor.execute("SELECT layer_id, start, end_, label_id FROM spans WHERE layer_id IN "
                               f"({', '.join('?' for _ in chunk)})", chunk)
                found.extend(cursor.fetchall())
        else:
            cursor.execute("SELECT layer_id, start, end_, label_id FROM spans WHERE layer_id = ANY(%s)", (layer_ids,))
            found.extend(cursor.fetchall())
    finally:
        cursor.close()
    return np.array(found, dtype=np.int64).reshape(-1, 4)


def _counts(session: Session, query: Any) -> dict[Any, int]:
    return {tuple(row[:-1]) if len(row) > 2 else row[0]: int(row[-1]) for row in session.execute(query)}


def _agreement(session: Session, analysts: dict[int, str]) -> dict[int, tuple[AgreementPoint, ...]]:
    """Annotator id → agreement points per ISO week of their done layers on documents shared with others.

    Only the last ``AGREEMENT_WEEKS`` weeks (counted back from the newest done layer) are charted, so the
    spans read are those of the recent shared documents — looked up by layer, through the spans' index —
    not of the whole corpus's history.
    """
    ids = list(analysts)
    index = {pk: i for i, pk in enumerate(ids)}
    finished = (Layer.status == STATUS_DONE) & Layer.annotator_id.in_(ids)
    newest = session.scalar(select(func.max(Layer.updated)).where(finished))
    if newest is None:
        return {}
    monday = newest.date() - timedelta(days=newest.weekday())
    cutoff = datetime(monday.year, monday.month, monday.day) - timedelta(weeks=AGREEMENT_WEEKS - 1)
    recent = select(Layer.document_id).where(finished, Layer.updated >= cutoff).distinct()
    by_doc: dict[int, list[tuple[int, int, datetime]]] = defaultdict(list)
    for layer_id, doc, who, when in session.execute(
            select(Layer.id, Layer.document_id, Layer.annotator_id, Layer.updated)
            .where(finished, Layer.document_id.in_(recent))):
        by_doc[doc].append((layer_id, who, when))
    shared = [(doc, layer) for doc, found in by_doc.items() if len(found) >= 2 for layer in found]
    if not shared:
        return {}
    weeks: dict[Any, str] = {}
    for _doc, (_layer, _who, when) in shared:
        if when.date() not in weeks:
            weeks[when.date()] = iso_week(when)
    periods = sorted(set(weeks.values()))
    period_index = {p: i for i, p in enumerate(periods)}
    layers = [(doc, index[who], period_index[weeks[when.date()]]) for doc, (_layer, who, when) in shared]
    owners = np.array(sorted((layer_id, doc, index[who]) for doc, (layer_id, who, _when) in shared), dtype=np.int64)
    spans = _spans_of_layers(session, owners[:, 0].tolist())
    at = np.searchsorted(owners[:, 0], spans[:, 0])  # every span's layer is one of ``owners``
    rows = np.column_stack((owners[at, 1], owners[at, 2], spans[:, 1:]))
    data = shared_spans(rows, layers, len(ids))
    per_analyst = agreement_over_time(data, len(ids), len(periods))
    first_week = iso_week(cutoff)
    return {ids[i]: tuple(AgreementPoint(periods[p], pa.documents, pa.exact, pa.overlap)
                          for p, pa in sorted(found.items()) if periods[p] >= first_week)
            for i, found in enumerate(per_analyst) if found}


def dashboard(session: Session, viewer: str | None = None) -> DashboardData:
    """Every analyst's figures (by name), the scheme's labels and the team's label counts.

    A ``viewer`` who annotates blind (``store.assignments.blind_for``: assignments exist, not a curator or
    admin) gets only their own row: colleagues' figures — their agreement above all — stay hidden, as
    their layers do; the team's label mix is an aggregate and stays. ``None`` is a trusted reader.
    """
    assigned = _counts(session, select(Assignment.annotator_id, func.count()).group_by(Assignment.annotator_id))
    statuses = _counts(session, select(Layer.annotator_id, Layer.status, func.count())
                       .group_by(Layer.annotator_id, Layer.status))
    reviews = _counts(session, select(Layer.annotator_id, LayerReview.state, func.count())
                      .join(Layer, LayerReview.layer_id == Layer.id).group_by(Layer.annotator_id, LayerReview.state))
    label_rows = session.execute(select(SpanLabelTally.annotator_id, Label.key, SpanLabelTally.n)
                                 .join(Label, SpanLabelTally.label_id == Label.id).where(SpanLabelTally.n > 0)).all()
    active = set(assigned) | {who for who, _status in statuses}
    analysts = {pk: name for pk, name in session.execute(
        select(Annotator.id, Annotator.name).where(Annotator.id.in_(active), Annotator.name != GOLD_ANNOTATOR)
        .order_by(Annotator.name))} if active else {}
    labels = tuple(repo.get_scheme(session).keys())
    per_label: dict[int, dict[str, int]] = defaultdict(dict)
    team: dict[str, int] = dict.fromkeys(labels, 0)
    for who, key, count in label_rows:
        if who in analysts:
            per_label[who][key] = int(count)
            team[key] = team.get(key, 0) + int(count)
    hours = hours_by_analyst(session) if analysts else {}
    agreement = _agreement(session, analysts) if len(analysts) >= 2 else {}
    figures = tuple(AnalystFigures(
        name=name, assigned=assigned.get(pk, 0), done=statuses.get((pk, STATUS_DONE), 0),
        approved=reviews.get((pk, REVIEW_APPROVED), 0), returned=reviews.get((pk, REVIEW_RETURNED), 0),
        spans=sum(per_label[pk].values()), hours=hours.get(pk, 0.0),
        label_counts=dict(per_label[pk]), agreement=agreement.get(pk, ()))
        for pk, name in analysts.items())
    if blind_for(session, viewer):
        figures = tuple(f for f in figures if f.name == viewer)
    return DashboardData(figures, labels, team)
