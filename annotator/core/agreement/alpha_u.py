"""Krippendorff's α_U for unitizing, following DKPro Agreement's ``KrippendorffAlphaUnitizingAgreement``.

Model (Krippendorff 1995; 2004): each rater partitions the continuum [B, B + L) for a category into
units of that category and gaps. For every pair of raters, every pair of overlapping segments (one from
each rater's partition) contributes a distance:

* unit vs unit that share at least one position: (Δbegin)² + (Δend)²;
* unit lying entirely inside the other rater's gap: length²;
* anything else (gap vs gap, partial unit/gap overlap): 0.

D_o(c) = 2 Σ distances / (R (R − 1) L²). D_e(c) considers every possible placement of each unit:

    D_e(c) = (2 / L) Σ_units [ (N_c − 1)(2l³ − 3l² + l)/3 + l² Σ_{gaps g ≥ l} (g − l + 1) ]
             / (R L (R L − 1) − Σ_units l(l − 1))

with N_c the number of units of c over all raters and the gaps pooled over all raters. Category α is
1 − D_o/D_e; the overall figure is 1 − Σ_c D_o(c) / Σ_c D_e(c).

Everything is vectorised over units (searchsorted for overlapping pairs and for the gap sums), so a
corpus-sized continuum with hundreds of thousands of units takes milliseconds. Units of one rater and
one category must not overlap (DKPro's precondition); :func:`merge_overlaps` makes them so by merging
overlapping units, keeping units that merely touch separate (as DKPro would see them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from annotator.core.agreement.units import merge_overlaps


@dataclass(frozen=True)
class AlphaUParts:
    """α_U for one category (or overall) with its disagreements; ``alpha`` is None when D_e is 0."""

    alpha: float | None
    observed: float
    expected: float


def _overlap_pairs(a_s: np.ndarray, a_e: np.ndarray, b_s: np.ndarray, b_e: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i, j) where unit i of A and unit j of B share a position.

    Both sides are sorted and internally disjoint, so B's ends are sorted too and the overlapping Bs
    of each A form one contiguous index range.
    """
    lo = np.searchsorted(b_e, a_s, side="right")
    hi = np.searchsorted(b_s, a_e, side="left")
    cnt = np.maximum(hi - lo, 0)
    total = int(cnt.sum())
    ia = np.repeat(np.arange(a_s.size), cnt)
    first = np.cumsum(cnt) - cnt
    ib = lo[ia] + (np.arange(total) - first[ia])
    return ia, ib


def observed_sum(a_s: np.ndarray, a_e: np.ndarray, b_s: np.ndarray, b_e: np.ndarray) -> float:
    """Σ of DKPro's segment distances between two raters' partitions for one category."""
    ia, ib = _overlap_pairs(a_s, a_e, b_s, b_e)
    d1 = (a_s[ia] - b_s[ib]).astype(np.float64)
    d2 = (a_e[ia] - b_e[ib]).astype(np.float64)
    total = float((d1 * d1 + d2 * d2).sum())
    lonely_a = np.bincount(ia, minlength=a_s.size) == 0 if a_s.size else np.zeros(0, bool)
    lonely_b = np.bincount(ib, minlength=b_s.size) == 0 if b_s.size else np.zeros(0, bool)
    la = (a_e - a_s)[lonely_a].astype(np.float64)
    lb = (b_e - b_s)[lonely_b].astype(np.float64)
    return total + float((la * la).sum()) + float((lb * lb).sum())


def gaps(starts: np.ndarray, ends: np.ndarray, begin: int, end: int) -> np.ndarray:
    """Positive gap lengths of one rater's partition of [begin, end)."""
    lefts = np.concatenate(([begin], ends))
    rights = np.concatenate((starts, [end]))
    g = rights - lefts
    return g[g > 0]


def expected_numerator_denominator(units: Sequence[tuple[np.ndarray, np.ndarray]], begin: int, length: int
                                   ) -> tuple[float, float]:
    """The numerator and denominator of D_e for one category (units per rater, sorted, disjoint)."""
    n_raters = len(units)
    lengths = np.concatenate([e - s for s, e in units]).astype(np.float64) if units else np.zeros(0)
    n_c = lengths.size
    all_gaps = np.sort(np.concatenate([gaps(s, e, begin, begin + length) for s, e in units])
                       if units else np.zeros(0)).astype(np.float64)
    # suffix sums: Σ_{g ≥ l} (g − l + 1) = Σ_{g ≥ l} g − count · (l − 1)
    suffix = np.concatenate((np.cumsum(all_gaps[::-1])[::-1], [0.0]))
    idx = np.searchsorted(all_gaps, lengths, side="left")
    count = all_gaps.size - idx
    sum2 = suffix[idx] - count * (lengths - 1.0)
    sum1 = (n_c - 1.0) * (2.0 * lengths**3 - 3.0 * lengths**2 + lengths) / 3.0
    numerator = float((sum1 + lengths * lengths * sum2).sum()) * 2.0 / length
    rl = float(n_raters) * float(length)
    denominator = rl * (rl - 1.0) - float((lengths * (lengths - 1.0)).sum())
    return numerator, denominator


def category_parts(units: Sequence[tuple[np.ndarray, np.ndarray]], begin: int, length: int) -> AlphaUParts:
    """D_o, D_e and α_U for one category; ``units[r]`` = (starts, ends) of rater r, sorted and disjoint."""
    n_raters = len(units)
    if n_raters < 2 or length <= 0:
        return AlphaUParts(None, 0.0, 0.0)
    obs = 0.0
    for r1 in range(n_raters):
        for r2 in range(r1 + 1, n_raters):
            obs += observed_sum(units[r1][0], units[r1][1], units[r2][0], units[r2][1])
    d_o = 2.0 * obs / (n_raters * (n_raters - 1) * float(length) ** 2)
    num, den = expected_numerator_denominator(units, begin, length)
    d_e = num / den if den > 0 else 0.0
    if d_e <= 0.0:
        return AlphaUParts(None, d_o, d_e)
    return AlphaUParts(1.0 - d_o / d_e, d_o, d_e)


def alpha_u(records: Iterable[tuple[int, int, int, object]], *, begin: int, end: int, raters: int
            ) -> tuple[dict[object, AlphaUParts], float | None]:
    """α_U per category and overall from (start, end, rater, category) records on [begin, end).

    Same-category overlaps within one rater are merged first. Returns ({category: parts}, overall).
    """
    by_cat: dict[object, list[list[tuple[int, int]]]] = {}
    for s, e, r, c in records:
        if not (0 <= r < raters):
            raise ValueError(f"rater {r} outside 0..{raters - 1}")
        by_cat.setdefault(c, [[] for _ in range(raters)])[r].append((s, e))
    parts: dict[object, AlphaUParts] = {}
    for cat, per_rater in by_cat.items():
        units = []
        for lst in per_rater:
            arr = np.array(lst, dtype=np.int64).reshape(-1, 2)
            units.append(merge_overlaps(arr[:, 0], arr[:, 1]))
        parts[cat] = category_parts(units, begin, end - begin)
    return parts, overall_alpha(parts.values())


def overall_alpha(parts: Iterable[AlphaUParts]) -> float | None:
    """1 − Σ D_o / Σ D_e over categories (DKPro averages both, which cancels)."""
    plist = list(parts)
    d_o = sum(p.observed for p in plist)
    d_e = sum(p.expected for p in plist)
    return None if d_e <= 0 else 1.0 - d_o / d_e
