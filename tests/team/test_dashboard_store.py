"""The dashboard's figures from the store (annotator.store.dashboard), on SQLite and on PostgreSQL.

Each figure is checked against a corpus written through the ordinary store functions (assign, add_span,
set_status, set_review) with known span times, so a wrong GROUP BY, a dialect's date arithmetic or a
window function that numbers sessions differently from ``core.team_stats`` shows here.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select, text, update

from annotator.core.model import DocumentRecord
from annotator.core.team_stats import slot_of
from annotator.core.text import text_sha256
from annotator.store import repository as repo
from annotator.store.assignments import assign, set_review
from annotator.store.copying import copy_database
from annotator.store.dashboard import dashboard
from annotator.store.database import open_store
from annotator.store.importing import import_paths
from annotator.store.models import Annotator, Layer, Span, SpanLabelTally, SpanSlotTally

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
    # ana: slots 9:00, 9:10, 9:20 (one sitting, 9:00–9:25) + 13:00 alone (5 min); ben: 9:00 and 9:50, 45
    # empty minutes apart, two sittings of 5 minutes.
    assert abs(ana.hours - 30 / 60) < 1e-6 and abs(ben.hours - 10 / 60) < 1e-6
    assert abs(ana.spans_per_hour - 8) < 1e-6
    # drift: ana (¼ injury, ½ hours, ¼ remittance) vs team (2/6, 3/6, 1/6) → ½(1/12 + 0 + 1/12) = 1/12
    assert abs(data.drift(ana) - 1 / 12) < 1e-9
    # agreement on doc 0 only (doc 1 returned: ana's layer is back in progress): exact 1, overlap 2 of 3+2.
    (point,) = ana.agreement
    assert (point.period, point.documents) == ("2026-W10", 1)
    assert abs(point.exact - 2 / 5) < 1e-9 and abs(point.overlap - 4 / 5) < 1e-9
    assert ben.agreement == ana.agreement
    with any_store.session() as session:
        as_ben = dashboard(session, "ben")  # an analyst annotating blind: only their own row
        as_lead = dashboard(session, "lead")  # the admin sees everyone
    assert [a.name for a in as_ben.analysts] == ["ben"] and as_ben.analysts[0] == ben
    assert as_ben.team_counts == data.team_counts
    assert [a.name for a in as_lead.analysts] == ["ana", "ben"]


def _recount(session) -> tuple[dict, dict]:  # type: ignore[no-untyped-def]
    """Spans per (analyst, label) and per (analyst, slot), counted from the spans themselves."""
    labels: dict[tuple[int, int], int] = Counter()
    slots: dict[tuple[int, int], int] = Counter()
    for who, label, created in session.execute(select(Layer.annotator_id, Span.label_id, Span.created)
                                               .join(Layer, Span.layer_id == Layer.id)):
        labels[(who, label)] += 1
        slots[(who, slot_of((created - EPOCH).total_seconds()))] += 1
    return dict(labels), dict(slots)


def _tallies(session) -> tuple[dict, dict]:  # type: ignore[no-untyped-def]
    labels = {(w, k): n for w, k, n in session.execute(
        select(SpanLabelTally.annotator_id, SpanLabelTally.label_id, SpanLabelTally.n))}
    slots = {(w, k): n for w, k, n in session.execute(
        select(SpanSlotTally.annotator_id, SpanSlotTally.slot, SpanSlotTally.n))}  # no rows left at 0
    return labels, slots


def test_the_tallies_follow_every_kind_of_write(any_store, any_store_url: str, tmp_path: Path) -> None:
    """Triggers keep span tallies (migration 0013) equal to a recount after adds, relabels, moves in time,
    deletions, a layer's and a document's deletion by raw SQL, an import, and in a ``db copy``."""
    pks = _docs(any_store, 4)
    moments = [MONDAY + timedelta(seconds=s) for s in (0, 40, 299, 300, 2000, 90000)]
    with any_store.write() as session:
        _tag(session, pks[0], "ana", [(0, 7, "injury"), (8, 13, "injury"), (15, 26, "working_hours")], moments[:3])
        _tag(session, pks[1], "ana", [(0, 7, "sanctions"), (15, 26, "remittance")], moments[3:5])
        _tag(session, pks[2], "ben", [(0, 7, "injury"), (15, 30, "working_hours")], moments[4:6])
        _tag(session, pks[3], "ben", [(0, 7, "injury")], moments[:1])
    with any_store.session() as session:
        assert _tallies(session) == _recount(session)
        first = session.scalars(select(Span.id).order_by(Span.id)).all()
    with any_store.write() as session:
        repo.update_span(session, first[0], actor="ana", label="surveillance")
        repo.update_span(session, first[1], actor="ana", end=12)  # offsets only: the tallies do not move
        session.execute(update(Span).where(Span.id == first[2]).values(created=MONDAY + timedelta(days=3)))
        repo.delete_span(session, first[3], actor="ana")
    with any_store.session() as session:
        assert _tallies(session) == _recount(session)
    with any_store.write() as session:
        session.execute(text("DELETE FROM layers WHERE document_id = :d"), {"d": pks[2]})
        session.execute(text("DELETE FROM documents WHERE id = :d"), {"d": pks[3]})
    with any_store.session() as session:
        labels, slots = _tallies(session)
        assert (labels, slots) == _recount(session)
        ben = session.scalar(select(Annotator.id).where(Annotator.name == "ben"))
        assert not any(who == ben for who, _k in labels)
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"doc_id": "new", "text": "Cameras in the dormitory.", "annotator": "cy",
                                  "status": "done", "spans": [{"start": 0, "end": 7, "label": "surveillance"}]})
                      + "\n", encoding="utf-8")
    import_paths(any_store, [source], actor="lead")
    with any_store.session() as session:
        tallies = _tallies(session)
        assert tallies == _recount(session) and sum(tallies[0].values()) == 5
    copy_url = str(tmp_path / "copy.sqlite3")
    copy_database(any_store_url, copy_url)
    copy = open_store(copy_url)
    try:
        with copy.session() as session:
            assert _tallies(session) == tallies
    finally:
        copy.close()


def test_an_empty_database_has_an_empty_dashboard(any_store) -> None:
    _docs(any_store, 1)
    with any_store.session() as session:
        data = dashboard(session)
    assert data.analysts == () and data.labels[0] == "working_hours"
