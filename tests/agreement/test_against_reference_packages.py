"""Our coefficients against reference packages on hundreds of random cases (hypothesis).

References (test-only dependencies): ``krippendorff.alpha`` (nominal, with missing data),
``sklearn.metrics.cohen_kappa_score`` and ``statsmodels.stats.inter_rater.fleiss_kappa``. Where the
reference says the value is undefined (raises or returns NaN), ours must be None.
"""

from __future__ import annotations

import krippendorff
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

from annotator.core.agreement import alpha_u as au
from annotator.core.agreement import coefficients as co
from tests.agreement.reference import reference, same

SETTINGS = settings(max_examples=250, deadline=None)




coders_units = st.integers(2, 5).flatmap(
    lambda n_coders: st.integers(1, 25).flatmap(
        lambda n_units: st.lists(
            st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=n_units, max_size=n_units),
            min_size=n_coders, max_size=n_coders)))


@SETTINGS
@given(coders_units)
def test_alpha_matches_krippendorff_package(rows: list[list[int | None]]) -> None:
    data = np.array([[np.nan if v is None else v for v in r] for r in rows], dtype=float)
    ref = reference(krippendorff.alpha, reliability_data=data, level_of_measurement="nominal")
    counts, _ = co.coders_to_counts(rows)
    ours = co.krippendorff_alpha(counts) if counts.size else None
    if ref is not None and counts.size:
        same(ours, ref)
    elif ref is None:
        # the package raises when fewer than two values exist; we say "undefined" there too
        assert ours is None


two_raters = st.integers(1, 60).flatmap(
    lambda n: st.tuples(st.lists(st.integers(0, 3), min_size=n, max_size=n),
                        st.lists(st.integers(0, 3), min_size=n, max_size=n)))


@SETTINGS
@given(two_raters)
def test_cohen_kappa_matches_sklearn(pair: tuple[list[int], list[int]]) -> None:
    a, b = pair
    table = np.zeros((4, 4))
    for x, y in zip(a, b, strict=True):
        table[x, y] += 1
    same(co.cohen_kappa(table), reference(cohen_kappa_score, a, b))


@SETTINGS
@given(two_raters)
def test_two_rater_alpha_from_table_matches_krippendorff(pair: tuple[list[int], list[int]]) -> None:
    a, b = pair
    table = np.zeros((4, 4))
    for x, y in zip(a, b, strict=True):
        table[x, y] += 1
    counts, weights = co.table_to_counts(table)
    ref = reference(krippendorff.alpha, reliability_data=np.array([a, b], float), level_of_measurement="nominal")
    same(co.krippendorff_alpha(counts, weights), ref)


ratings = st.integers(2, 6).flatmap(
    lambda raters: st.lists(st.lists(st.integers(0, 3), min_size=raters, max_size=raters),
                            min_size=1, max_size=30))


@SETTINGS
@given(ratings)
def test_fleiss_matches_statsmodels(subjects: list[list[int]]) -> None:
    table = np.zeros((len(subjects), 4))
    for i, row in enumerate(subjects):
        for v in row:
            table[i, v] += 1
    ref = reference(sm_fleiss, table, method="fleiss")
    # weights: collapsing identical rows must not change the value
    uniq, inverse = np.unique(table, axis=0, return_inverse=True)
    weights = np.bincount(inverse.reshape(-1)).astype(float)
    same(co.fleiss_kappa(table), ref)
    same(co.fleiss_kappa(uniq, weights), ref)
    ref_rand = reference(sm_fleiss, table, method="randolph")
    same(co.randolph_kappa(table), ref_rand)


@SETTINGS
@given(ratings)
def test_weighted_rows_equal_expanded_rows(subjects: list[list[int]]) -> None:
    """The report feeds pattern histograms with weights: they must equal the expanded data."""
    table = np.zeros((len(subjects), 4))
    for i, row in enumerate(subjects):
        for v in row:
            table[i, v] += 1
    uniq, inverse = np.unique(table, axis=0, return_inverse=True)
    weights = np.bincount(inverse.reshape(-1)).astype(float)
    same(co.krippendorff_alpha(uniq, weights), co.krippendorff_alpha(table))
    same(co.gwet_ac1(uniq, weights, n_categories=4), co.gwet_ac1(table, n_categories=4))


def test_undefined_values_are_none_not_nan() -> None:
    one_category = np.array([[3.0], [3.0]])
    assert co.krippendorff_alpha(one_category) is None
    assert co.fleiss_kappa(one_category) is None
    assert co.gwet_ac1(one_category) is None  # q = 1
    assert co.cohen_kappa([[5.0, 0.0], [0.0, 0.0]]) is None
    assert co.cohen_kappa([[0.0, 0.0], [0.0, 0.0]]) is None
    single_rater = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert co.krippendorff_alpha(single_rater) is None
    assert co.fleiss_kappa(single_rater) is None
    assert co.gwet_ac1(single_rater) is None
    assert co.krippendorff_alpha(np.zeros((0, 2))) is None


# --- alpha_U: vectorised implementation vs a direct segment-by-segment reading of the definition ---

def _partition(units: list[tuple[int, int]], begin: int, end: int) -> list[tuple[int, int, bool]]:
    segs, pos = [], begin
    for s, e in sorted(units):
        if s > pos:
            segs.append((pos, s, False))
        segs.append((s, e, True))
        pos = e
    if pos < end:
        segs.append((pos, end, False))
    return segs


def _distance(a: tuple[int, int, bool], b: tuple[int, int, bool]) -> float:
    (s1, e1, u1), (s2, e2, u2) = a, b
    if u1 and u2:
        return (s1 - s2) ** 2 + (e1 - e2) ** 2
    if u1 and not u2 and s2 <= s1 and e1 <= e2:
        return (e1 - s1) ** 2
    if u2 and not u1 and s1 <= s2 and e2 <= e1:
        return (e2 - s2) ** 2
    return 0.0


def _reference_alpha_u(per_rater: list[list[tuple[int, int]]], begin: int, end: int) -> tuple[float, float]:
    r_count, length = len(per_rater), end - begin
    parts = [_partition(u, begin, end) for u in per_rater]
    obs = 0.0
    for i in range(r_count):
        for j in range(i + 1, r_count):
            for a in parts[i]:
                for b in parts[j]:
                    if a[0] < b[1] and b[0] < a[1]:
                        obs += _distance(a, b)
    d_o = 2 * obs / (r_count * (r_count - 1) * length**2)
    units = [e - s for u in per_rater for s, e in u]
    gaps = [e - s for p in parts for s, e, is_unit in p if not is_unit]
    n_c = len(units)
    num = 0.0
    for ln in units:
        num += (n_c - 1) * (2 * ln**3 - 3 * ln**2 + ln) / 3
        num += ln * ln * sum(g - ln + 1 for g in gaps if g >= ln)
    num *= 2 / length
    den = r_count * length * (r_count * length - 1) - sum(ln * (ln - 1) for ln in units)
    return d_o, num / den


@st.composite
def unitizations(draw: st.DrawFn) -> tuple[list[list[tuple[int, int]]], int]:
    length = draw(st.integers(1, 60))
    raters = draw(st.integers(2, 4))
    out = []
    for _ in range(raters):
        cuts = sorted(draw(st.sets(st.integers(0, length), max_size=10)))
        units = [(cuts[k], cuts[k + 1]) for k in range(len(cuts) - 1) if draw(st.booleans())]  # may touch
        out.append(units)
    return out, length


@SETTINGS
@given(unitizations())
def test_alpha_u_matches_direct_definition(case: tuple[list[list[tuple[int, int]]], int]) -> None:
    per_rater, length = case
    arrays = [(np.array([s for s, _ in u], np.int64), np.array([e for _, e in u], np.int64)) for u in per_rater]
    parts = au.category_parts(arrays, 0, length)
    d_o, d_e = _reference_alpha_u(per_rater, 0, length)
    assert abs(parts.observed - d_o) < 1e-9
    assert abs(parts.expected - d_e) < 1e-9


# --- span matching and character painting against brute force ---------------------------------------

small_spans = st.lists(st.tuples(st.integers(0, 20), st.integers(1, 6), st.integers(0, 2)), max_size=12).map(
    lambda xs: [(s, s + ln, lab) for s, ln, lab in xs])


def _brute_max_matching(edges: list[tuple[int, int]]) -> int:
    """Largest set of vertex-disjoint edges, by exhaustive search (tiny graphs only)."""
    best = 0

    def go(k: int, used_l: frozenset, used_r: frozenset, size: int) -> None:
        nonlocal best
        best = max(best, size)
        if size + (len(edges) - k) <= best:
            return
        for i in range(k, len(edges)):
            u, v = edges[i]
            if u not in used_l and v not in used_r:
                go(i + 1, used_l | {u}, used_r | {v}, size + 1)

    go(0, frozenset(), frozenset(), 0)
    return best


@settings(max_examples=300, deadline=None)
@given(small_spans, small_spans)
def test_overlap_matching_is_maximum(a: list, b: list) -> None:
    from annotator.core.agreement import span_f1 as sf

    sa, sb = sf.SpanSet.from_tuples(a), sf.SpanSet.from_tuples(b)
    ia, ib = sf.overlap_matches(sa, sb)
    edges = [(i, j) for i, x in enumerate(a) for j, y in enumerate(b)
             if x[2] == y[2] and x[0] < y[1] and y[0] < x[1]]
    assert set(zip(ia.tolist(), ib.tolist(), strict=True)) <= set(edges)
    assert len(set(ia.tolist())) == ia.size and len(set(ib.tolist())) == ib.size  # one-to-one
    assert ia.size == _brute_max_matching(edges)


@settings(max_examples=300, deadline=None)
@given(small_spans, small_spans)
def test_exact_matching_is_multiset_intersection(a: list, b: list) -> None:
    from collections import Counter

    from annotator.core.agreement import span_f1 as sf

    sa, sb = sf.SpanSet.from_tuples(a), sf.SpanSet.from_tuples(b)
    ia, ib = sf.exact_matches(sa, sb)
    assert ia.size == sum((Counter(a) & Counter(b)).values())
    assert all(a[i] == b[j] for i, j in zip(ia.tolist(), ib.tolist(), strict=True))
    ua, _ = sf.exact_matches(sa, sb, labelled=False)
    assert ua.size == sum((Counter(x[:2] for x in a) & Counter(x[:2] for x in b)).values())


@settings(max_examples=200, deadline=None)
@given(small_spans, st.integers(26, 40))
def test_label_masks_match_naive_painting(spans: list, n: int) -> None:
    from annotator.core.agreement.units import label_masks

    arr = np.array(spans, dtype=np.int64).reshape(-1, 3)
    mask = label_masks(arr[:, 0], arr[:, 1], arr[:, 2], 3, n)
    naive = [sum(1 << lab for lab in {x[2] for x in spans if x[0] <= i < x[1]}) for i in range(n)]
    assert mask.tolist() == naive
