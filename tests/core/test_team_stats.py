"""The dashboard's pure rules (core.team_stats, core.agreement.over_time): work sessions and hours, drift,
ISO weeks, the CSV table, and agreement over time against the agreement report's own span matching."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.agreement.over_time import agreement_over_time, shared_spans
from annotator.core.agreement.span_f1 import SpanSet, exact_matches, overlap_matches
from annotator.core.team_stats import (
    MINIMUM_SESSION,
    SESSION_GAP,
    AgreementPoint,
    AnalystFigures,
    DashboardData,
    WorkSession,
    dashboard_csv,
    hours_of_work,
    iso_week,
    shares,
    total_variation,
    work_sessions,
)

times = st.lists(st.integers(0, 10 * 24 * 3600), max_size=60)


@given(times)
def test_sessions_split_exactly_at_gaps_over_thirty_minutes(stamps: list[int]) -> None:
    sessions = work_sessions(stamps)
    assert sum(s.spans for s in sessions) == len(stamps)
    ordered = sorted(stamps)
    for before, after in zip(sessions, sessions[1:], strict=False):
        assert after.start - before.end > SESSION_GAP
    position = 0
    for s in sessions:  # inside a session no step is longer than the gap
        inside = ordered[position:position + s.spans]
        assert inside[0] == s.start and inside[-1] == s.end
        assert all(b - a <= SESSION_GAP for a, b in zip(inside, inside[1:], strict=False))
        position += s.spans


@given(times)
def test_hours_count_each_session_at_least_the_minimum(stamps: list[int]) -> None:
    sessions = work_sessions(stamps)
    hours = hours_of_work(sessions)
    assert hours >= len(sessions) * MINIMUM_SESSION / 3600 - 1e-9
    if stamps:
        assert hours <= (max(stamps) - min(stamps) + len(sessions) * MINIMUM_SESSION) / 3600 + 1e-9
    else:
        assert hours == 0


def test_hours_of_a_worked_example() -> None:
    # 9:00–10:00 every 10 minutes (one session of an hour), then one span at 14:00 (5 minutes).
    stamps = [9 * 3600 + 600 * k for k in range(7)] + [14 * 3600]
    sessions = work_sessions(stamps)
    assert sessions == [WorkSession(9 * 3600, 10 * 3600, 7), WorkSession(14 * 3600, 14 * 3600, 1)]
    assert hours_of_work(sessions) == (3600 + 300) / 3600
    assert work_sessions([0, SESSION_GAP, 2 * SESSION_GAP + 1]) == [WorkSession(0, SESSION_GAP, 2),
                                                                   WorkSession(2 * SESSION_GAP + 1, 2 * SESSION_GAP + 1, 1)]


counts = st.dictionaries(st.sampled_from("abcde"), st.integers(0, 50), min_size=1)


@given(counts, counts)
def test_drift_is_a_distance_between_zero_and_one(p: dict[str, int], q: dict[str, int]) -> None:
    sp, sq = shares(p), shares(q)
    d = total_variation(sp, sq)
    assert 0 <= d <= 1 + 1e-9
    assert abs(d - total_variation(sq, sp)) < 1e-12
    assert total_variation(sp, sp) == 0


def test_drift_of_disjoint_and_equal_mixes() -> None:
    assert total_variation(shares({"a": 3}), shares({"b": 5})) == 1
    assert total_variation(shares({"a": 1, "b": 1}), shares({"a": 4, "b": 4})) == 0


def test_iso_week_sorts_in_time_order_across_the_new_year() -> None:
    assert iso_week(datetime(2026, 12, 31)) == "2026-W53"
    assert iso_week(datetime(2027, 1, 4)) == "2027-W01"
    assert iso_week(datetime(2026, 12, 31)) < iso_week(datetime(2027, 1, 4))


def test_csv_has_a_stable_header_and_neutralises_formulas() -> None:
    data = DashboardData((AnalystFigures("=HYPERLINK(1)", 3, 2, 1, 0, 4, 2.0, {"a": 3, "b": 1},
                                         (AgreementPoint("2026-W10", 2, 0.5, 0.75),)),
                          AnalystFigures("bo", 1, 0, 0, 1, 0, 0.0, {})), ("a", "b"), {"a": 3, "b": 1})
    rows = list(csv.reader(io.StringIO(dashboard_csv(data))))
    assert rows[0] == ["analyst", "assigned", "done", "approved", "returned", "spans", "hours", "spans_per_hour",
                       "label_drift", "agreement_exact_f1", "agreement_overlap_f1", "shared_documents",
                       "share:a", "share:b"]
    assert rows[1] == ["'=HYPERLINK(1)", "3", "2", "1", "0", "4", "2.00", "2.0", "0.000", "0.500", "0.750", "2",
                       "0.750", "0.250"]
    assert rows[2] == ["bo", "1", "0", "0", "1", "0", "0.00", "", "", "", "", "", "0.000", "0.000"]
    assert dashboard_csv(data).count("\r\n") == 3


def test_agreement_over_time_pools_the_report_s_own_matches_per_week() -> None:
    # Three analysts, three documents. doc 0: a+b (week 0 for both); doc 1: a+c (a week 1, c week 0);
    # doc 2: only b (not shared).
    spans = {
        (0, 0): [(0, 5, 1), (10, 15, 2)], (0, 1): [(0, 5, 1), (11, 15, 2), (20, 22, 1)],
        (1, 0): [(3, 8, 1)], (1, 2): [(3, 8, 2)],
        (2, 1): [(0, 4, 1)],
    }
    rows = [(doc * 7 + 100, who, s, e, lab) for (doc, who), found in spans.items() for s, e, lab in found]
    layers = [(100, 0, 0), (100, 1, 0), (107, 0, 1), (107, 2, 0), (114, 1, 2)]
    result = agreement_over_time(shared_spans(rows, layers, 3), 3, 3)
    a0, a1 = result[0][0], result[0][1]
    ab_a, ab_b = SpanSet.from_tuples(spans[(0, 0)]), SpanSet.from_tuples(spans[(0, 1)])
    assert a0.tp_exact == len(exact_matches(ab_a, ab_b)[0]) == 1
    assert a0.tp_overlap == len(overlap_matches(ab_a, ab_b)[0]) == 2
    assert (a0.documents, a0.own, a0.others) == (1, 2, 3)
    assert a0.exact == 2 * 1 / 5 and a0.overlap == 2 * 2 / 5
    assert (a1.documents, a1.tp_exact, a1.tp_overlap, a1.own, a1.others) == (1, 0, 0, 1, 1)
    assert set(result[1]) == {0} and result[1][0].others == 2  # b: only doc 0; doc 2 is not shared
    assert set(result[2]) == {0} and result[2][0].own == 1 and result[2][0].overlap == 0.0


def test_agreement_over_time_without_shared_documents_is_empty() -> None:
    data = shared_spans([(1, 0, 0, 3, 1)], [(1, 0, 0)], 2)
    assert agreement_over_time(data, 2, 1) == [{}, {}]
    assert agreement_over_time(shared_spans([], [], 0), 0, 0) == []
    assert np.asarray(data.period).shape == (2, 1)
