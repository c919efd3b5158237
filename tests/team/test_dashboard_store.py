"""The dashboard's figures from the store (annotator.store.dashboard), on SQLite and on PostgreSQL.

Each figure is checked against a corpus written through the ordinary store functions (assign, add_span,
set_status, set_review) with known span times, so a wrong GROUP BY, a dialect's date arithmetic or a
window function that numbers sessions differently from ``core.team_stats`` shows here.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from annotator.core.model import DocumentRecord
from annotator.core.team_stats import hours_of_work, work_sessions
from annotator.core.text import text_sha256
from annotator.store import repository as repo
from annotator.store.assignments import assign, set_review
from annotator.store.dashboard import dashboard, work_sessions_by_analyst
from annotator.store.models import Annotator, Layer, Span

EPOCH = datetime(1970, 1, 1)
MONDAY = datetime(2026, 3, 2, 9, 0)


def _docs(store, count: int) -> list[int]:  # type: ignore[no-untyped-def]
    pks = []
    with store.write() as session:
        repo.get_or_create_annotator(session, "lead")  # the first annotator: admin
        repo.ensure_default_scheme(session)
        for i in range(count):
            body = f"Article {i}: the night shift lasted long and wages were never paid in full."
            doc, _new = repo.add_document(session, DocumentRecord(f"doc-{i:03d}", body, text_sha256(body), {}))
            pks.append(doc.id)
    return pks


def _tag(session, pk: int, who: str, spans: list[tuple[int, int, str]], when: list[datetime]) -> None:  # type: ignore[no-untyped-def]
    for (start, end, label), moment in zip(spans, when, strict=True):
        span = repo.add_span(session, pk, who, start, end, label, actor=who)
        session.execute(update(Span).where(Span.id == span.id).values(created=moment))


def test_counts_labels_hours_drift_and_agreement_on_both_dialects(any_store) -> None:
    pks = _docs(any_store, 3)
    with any_store.write() as session:
        assign(session, "lead", ["ana", "ben"], overlap=1.0, per_document=2, seed=1)  # both analysts, every document
        t = MONDAY
        # ana: doc 0 (three spans, 9:00–9:20) and doc 1 (one span after lunch); ben: doc 0 only.
        _tag(session, pks[0], "ana", [(0, 7, "injury"), (15, 26, "working_hours"), (46, 51, "remittance")],
             [t, t + timedelta(minutes=10), t + timedelta(minutes=20)])
        _tag(session, pks[1], "ana", [(15, 26, "working_hours")], [t + timedelta(hours=4)])
        _tag(session, pks[0], "ben", [(0, 7, "injury"), (15, 30, "working_hours")],
             [t + timedelta(days=1), t + timedelta(days=1, minutes=50)])
        for pk, who in ((pks[0], "ana"), (pks[1], "ana"), (pks[0], "ben")):
            repo.set_status(session, pk, who, "done", actor=who)
        session.execute(update(Layer).values(updated=MONDAY + timedelta(days=2)))  # all done in ISO week 10
        set_review(session, "lead", pks[0], "ana", "approved")
        set_review(session, "lead", pks[1], "ana", "returned", "check the dates")
    with any_store.session() as session:
        data = dashboard(session)
    assert [a.name for a in data.analysts] == ["ana", "ben"]  # the lead has neither assignment nor layer
    ana, ben = data.analyst("ana"), data.analyst("ben")
    assert (ana.assigned, ana.done, ana.approved, ana.returned, ana.spans) == (3, 1, 1, 1, 4)
    assert (ben.assigned, ben.done, ben.approved, ben.returned, ben.spans) == (3, 1, 0, 0, 2)
    assert ana.label_counts == {"injury": 1, "working_hours": 2, "remittance": 1}
    assert data.team_counts == {"working_hours": 3, "injury": 2, "surveillance": 0, "remittance": 1, "sanctions": 0}
    # ana: one session of 20 minutes + one lone span (5 minutes); ben: two lone spans 50 minutes apart.
    assert abs(ana.hours - 25 / 60) < 1e-6 and abs(ben.hours - 10 / 60) < 1e-6
    assert abs(ana.spans_per_hour - 4 / (25 / 60)) < 1e-6
    # drift: ana (¼ injury, ½ hours, ¼ remittance) vs team (2/6, 3/6, 1/6) → ½(1/12 + 0 + 1/12) = 1/12
    assert abs(data.drift(ana) - 1 / 12) < 1e-9
    # agreement on doc 0 only (doc 1 returned: ana's layer is back in progress): exact 1, overlap 2 of 3+2.
    (point,) = ana.agreement
    assert (point.period, point.documents) == ("2026-W10", 1)
    assert abs(point.exact - 2 / 5) < 1e-9 and abs(point.overlap - 4 / 5) < 1e-9
    assert ben.agreement == ana.agreement


def test_sql_work_sessions_match_the_core_rule(any_store) -> None:
    pks = _docs(any_store, 2)
    gaps = [5, 60, 1700, 1900, 7200, 40, 86400, 1799, 1801, 300] * 4
    moments, t = [], MONDAY
    for gap in gaps:
        t += timedelta(seconds=gap)
        moments.append(t)
    spans = [(k % 20, k % 20 + 1 + k // 20, "injury") for k in range(len(gaps))]
    with any_store.write() as session:
        half = len(spans) // 2  # the analyst's spans lie in two documents: sessions cross layers
        _tag(session, pks[0], "ana", spans[:half], moments[:half])
        _tag(session, pks[1], "ana", spans[half:], moments[half:])
        _tag(session, pks[0], "ben", spans[:3], moments[:3])
    expected = work_sessions([(m - EPOCH).total_seconds() for m in moments])
    with any_store.session() as session:
        found = work_sessions_by_analyst(session)
        ana = session.scalar(select(Annotator.id).where(Annotator.name == "ana"))
    got = found[ana]
    assert [s.spans for s in got] == [s.spans for s in expected]
    assert all(abs(a.start - b.start) < 0.01 and abs(a.end - b.end) < 0.01 for a, b in zip(got, expected, strict=True))
    assert abs(hours_of_work(got) - hours_of_work(expected)) < 1e-5


def test_an_empty_database_has_an_empty_dashboard(any_store) -> None:
    _docs(any_store, 1)
    with any_store.session() as session:
        data = dashboard(session)
    assert data.analysts == () and data.labels[0] == "working_hours"
