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
    SESSION_GAP,
    SLOT,
    AgreementPoint,
    AnalystFigures,
    DashboardData,
    dashboard_csv,
    hours_of_work,
    iso_week,
    shares,
    slot_of,
    total_variation,
)


def sittings(slots: set[int]) -> list[tuple[int, int]]:
    """The rule written out plainly (first and last slot of each sitting), as a reference for the sums."""
    found: list[tuple[int, int]] = []
    for slot in sorted(slots):
        if found and (slot - found[-1][1] - 1) * SLOT <= SESSION_GAP:
            found[-1] = (found[-1][0], slot)
        else:
            found.append((slot, slot))
    return found


@given(st.sets(st.integers(0, 3000), max_size=80))
def test_hours_are_the_sum_of_sittings_split_at_more_than_thirty_empty_minutes(slots: set[int]) -> None:
    expected = sum((last - first + 1) * SLOT for first, last in sittings(slots)) / 3600
    assert abs(hours_of_work(slots) - expected) < 1e-9
    assert hours_of_work(sorted(slots, reverse=True)) == hours_of_work(slots)  # order does not matter
    assert hours_of_work(slots) >= len(sittings(slots)) * SLOT / 3600 - 1e-9  # a sitting is at least one slot


def test_hours_of_a_worked_example() -> None:
    # Spans at 9:00, 9:10, …, 10:00 (one sitting 9:00–10:05) and one at 14:02 (the slot 14:00–14:05).
    stamps = [9 * 3600 + 600 * k for k in range(7)] + [14 * 3600 + 120]
    slots = {slot_of(ts) for ts in stamps}
    assert sittings(slots) == [(9 * 12, 10 * 12), (14 * 12, 14 * 12)]
    assert hours_of_work(slots) == (3900 + 300) / 3600
    # Exactly 30 empty minutes (six slots) keep a sitting; one more slot ends it.
    assert hours_of_work([0, 7]) == 8 * SLOT / 3600 and hours_of_work([0, 8]) == 2 * SLOT / 3600
    assert slot_of(SLOT - 0.001) == 0 and slot_of(SLOT) == 1
    assert hours_of_work([]) == 0


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
