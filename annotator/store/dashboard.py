"""The team dashboard's figures, aggregated in SQL: per analyst assigned, done, approved, returned, spans,
hours of work, label counts, and agreement on shared documents over time.

Why a module of its own: a lead opens the dashboard on a corpus of 100,000 documents and expects it at
once (under a second on SQLite and PostgreSQL, ``bench/bench_dashboard.py``), so every count is a
``GROUP BY`` on the server and Python only sees one row per analyst, label or work session — never one per
span — except for agreement, which needs the spans of the documents two analysts finished (only those).

Hours of work follow ``core.team_stats``: span creation times cut into sessions at gaps over 30 minutes,
each session at least 5 minutes. The sessions are found in SQL with window functions (``LAG`` for the gap
to the previous span, a running ``SUM`` of "gap too long" flags numbering the sessions), so the server
returns one row per session. The gold layer is not an analyst and is left out of every figure.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, literal_column, or_, select
from sqlalchemy.orm import Session

from annotator.core.agreement.over_time import agreement_over_time, shared_spans
from annotator.core.model import GOLD_ANNOTATOR, REVIEW_APPROVED, REVIEW_RETURNED, STATUS_DONE
from annotator.core.team_stats import (
    SESSION_GAP,
    AgreementPoint,
    AnalystFigures,
    DashboardData,
    WorkSession,
    hours_of_work,
    iso_week,
)
from annotator.store import repository as repo
from annotator.store.models import Annotator, Assignment, Label, Layer, LayerReview, Span


def _epoch(column: Any, dialect: str) -> ColumnElement[Any]:
    """Seconds since 1970 of a naive UTC timestamp column, in the dialect's own arithmetic."""
    if dialect == "sqlite":
        return (func.julianday(column) - literal_column("2440587.5")) * literal_column("86400.0")
    return func.extract("epoch", column)


def work_sessions_by_analyst(session: Session, gap: float = SESSION_GAP) -> dict[int, list[WorkSession]]:
    """Annotator id → work sessions from span creation times (the rule of ``core.team_stats.work_sessions``)."""
    ts = _epoch(Span.created, session.get_bind().dialect.name)
    timed = (select(Layer.annotator_id.label("who"), ts.label("ts"),
                    (ts - func.lag(ts).over(partition_by=Layer.annotator_id, order_by=Span.created)).label("gap"))
             .join(Layer, Span.layer_id == Layer.id).subquery())
    starts = case((or_(timed.c.gap.is_(None), timed.c.gap > gap), 1), else_=0)
    numbered = select(timed.c.who, timed.c.ts, func.sum(starts).over(
        partition_by=timed.c.who, order_by=(timed.c.ts, starts.desc()), rows=(None, 0)).label("sid")).subquery()
    rows = session.execute(select(numbered.c.who, func.min(numbered.c.ts), func.max(numbered.c.ts), func.count())
                           .group_by(numbered.c.who, numbered.c.sid))
    found: dict[int, list[WorkSession]] = defaultdict(list)
    for who, first, last, count in rows:
        found[who].append(WorkSession(float(first), float(last), int(count)))
    for sessions in found.values():
        sessions.sort(key=lambda s: s.start)
    return dict(found)


def _counts(session: Session, query: Any) -> dict[Any, int]:
    return {tuple(row[:-1]) if len(row) > 2 else row[0]: int(row[-1]) for row in session.execute(query)}


def _agreement(session: Session, analysts: dict[int, str]) -> dict[int, tuple[AgreementPoint, ...]]:
    """Annotator id → agreement points per ISO week of their done layers on documents shared with others."""
    ids = list(analysts)
    index = {pk: i for i, pk in enumerate(ids)}
    done = (select(Layer.document_id).where(Layer.status == STATUS_DONE, Layer.annotator_id.in_(ids))
            .group_by(Layer.document_id).having(func.count(Layer.id) >= 2))
    layer_rows = session.execute(select(Layer.document_id, Layer.annotator_id, Layer.updated).where(
        Layer.status == STATUS_DONE, Layer.annotator_id.in_(ids), Layer.document_id.in_(done))).all()
    if not layer_rows:
        return {}
    weeks: dict[Any, str] = {}
    for _doc, _who, when in layer_rows:
        day = when.date() if isinstance(when, datetime) else when
        if day not in weeks:
            weeks[day] = iso_week(datetime(day.year, day.month, day.day))
    periods = sorted(set(weeks.values()))
    period_index = {p: i for i, p in enumerate(periods)}
    layers = [(doc, index[who], period_index[weeks[when.date()]]) for doc, who, when in layer_rows]
    spans = session.execute(
        select(Layer.document_id, Layer.annotator_id, Span.start, Span.end, Span.label_id)
        .join(Layer, Span.layer_id == Layer.id)
        .where(Layer.status == STATUS_DONE, Layer.annotator_id.in_(ids), Layer.document_id.in_(done))).all()
    data = shared_spans([(doc, index[who], s, e, lab) for doc, who, s, e, lab in spans], layers, len(ids))
    per_analyst = agreement_over_time(data, len(ids), len(periods))
    return {ids[i]: tuple(AgreementPoint(periods[p], pa.documents, pa.exact, pa.overlap)
                          for p, pa in sorted(found.items()))
            for i, found in enumerate(per_analyst) if found}


def dashboard(session: Session) -> DashboardData:
    """Every analyst's figures (by name), the scheme's labels and the team's label counts."""
    assigned = _counts(session, select(Assignment.annotator_id, func.count()).group_by(Assignment.annotator_id))
    statuses = _counts(session, select(Layer.annotator_id, Layer.status, func.count())
                       .group_by(Layer.annotator_id, Layer.status))
    reviews = _counts(session, select(Layer.annotator_id, LayerReview.state, func.count())
                      .join(Layer, LayerReview.layer_id == Layer.id).group_by(Layer.annotator_id, LayerReview.state))
    label_rows = session.execute(select(Layer.annotator_id, Label.key, func.count(Span.id))
                                 .join(Layer, Span.layer_id == Layer.id).join(Label, Span.label_id == Label.id)
                                 .group_by(Layer.annotator_id, Label.key)).all()
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
    sessions = work_sessions_by_analyst(session) if analysts else {}
    agreement = _agreement(session, analysts) if len(analysts) >= 2 else {}
    figures = tuple(AnalystFigures(
        name=name, assigned=assigned.get(pk, 0), done=statuses.get((pk, STATUS_DONE), 0),
        approved=reviews.get((pk, REVIEW_APPROVED), 0), returned=reviews.get((pk, REVIEW_RETURNED), 0),
        spans=sum(per_label[pk].values()), hours=hours_of_work(sessions.get(pk, [])),
        label_counts=dict(per_label[pk]), agreement=agreement.get(pk, ()))
        for pk, name in analysts.items())
    return DashboardData(figures, labels, team)
