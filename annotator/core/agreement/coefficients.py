"""Chance-corrected agreement coefficients for nominal data.

Everything here works on two small summaries instead of raw ratings, so the character-level report
can feed in a histogram of a few hundred distinct rating patterns (with weights) rather than millions
of characters:

* a **contingency table** (rows = rater 1's category, columns = rater 2's) for the two-rater
  coefficients (Cohen's κ, Scott's π, percent agreement);
* a **count matrix** ``counts[u, c]`` = how many raters put unit ``u`` in category ``c``, with an
  optional ``weights[u]`` saying how many units share that row. Missing ratings are simply absent from
  the counts, which is how Krippendorff's α and Gwet's AC1 handle missing data.

A coefficient that is not defined for the data (one category, one rater, no pairable units) is
``None`` — never NaN — so the JSON and the renderers can say "n/a" instead of spreading NaN.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

_EPS = 1e-12


def _table(table: Sequence[Sequence[float]] | np.ndarray) -> np.ndarray:
    t = np.asarray(table, dtype=np.float64)
    if t.ndim != 2 or t.shape[0] != t.shape[1]:
        raise ValueError("a contingency table must be square (same categories for both raters)")
    return t


def _kappa_like(po: float, pe: float) -> float | None:
    # 1 − pe == 0 means chance alone explains every agreement: the ratio is undefined, not 1 or 0.
    if 1.0 - pe <= _EPS:
        return None
    return float((po - pe) / (1.0 - pe))


def cohen_kappa_parts(table: Sequence[Sequence[float]] | np.ndarray) -> tuple[float | None, float, float]:
    """Cohen's κ with its observed and chance agreement (each rater's own marginals)."""
    t = _table(table)
    n = t.sum()
    if n <= 0:
        return None, 0.0, 0.0
    po = float(np.trace(t) / n)
    pe = float(np.dot(t.sum(axis=1), t.sum(axis=0)) / (n * n))
    return _kappa_like(po, pe), po, pe


def cohen_kappa(table: Sequence[Sequence[float]] | np.ndarray) -> float | None:
    """Cohen's (1960) κ from a two-rater contingency table."""
    return cohen_kappa_parts(table)[0]


def scott_pi(table: Sequence[Sequence[float]] | np.ndarray) -> float | None:
    """Scott's π: like κ, but chance agreement uses the two raters' pooled marginals."""
    t = _table(table)
    n = t.sum()
    if n <= 0:
        return None
    po = float(np.trace(t) / n)
    pooled = (t.sum(axis=1) + t.sum(axis=0)) / (2.0 * n)
    return _kappa_like(po, float(np.dot(pooled, pooled)))


def table_to_counts(table: Sequence[Sequence[float]] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Turn a two-rater table into (count rows, weights): one row per non-empty cell.

    Lets the multi-rater coefficients (α, AC1) run on two-rater tables without expanding them.
    """
    t = _table(table)
    k = t.shape[0]
    rows, weights = [], []
    for i in range(k):
        for j in range(k):
            if t[i, j] > 0:
                row = np.zeros(k)
                row[i] += 1
                row[j] += 1
                rows.append(row)
                weights.append(t[i, j])
    if not rows:
        return np.zeros((0, k)), np.zeros(0)
    return np.array(rows), np.array(weights, dtype=np.float64)


def coders_to_counts(coders_x_units: Sequence[Sequence[object]]) -> tuple[np.ndarray, list[object]]:
    """Count matrix (units × categories) from a coders × units table where ``None`` is missing.

    Categories are ordered by first appearance sorted by ``repr``-stable key, returned alongside.
    """
    values = sorted({v for row in coders_x_units for v in row if v is not None}, key=lambda v: (str(type(v)), v))
    index = {v: i for i, v in enumerate(values)}
    n_units = max((len(r) for r in coders_x_units), default=0)
    counts = np.zeros((n_units, len(values)))
    for row in coders_x_units:
        for u, v in enumerate(row):
            if v is not None:
                counts[u, index[v]] += 1
    return counts, values


def _counts(counts: np.ndarray | Sequence[Sequence[float]], weights: np.ndarray | Sequence[float] | None
            ) -> tuple[np.ndarray, np.ndarray]:
    c = np.asarray(counts, dtype=np.float64)
    if c.ndim != 2:
        raise ValueError("counts must be a units × categories matrix")
    w = np.ones(c.shape[0]) if weights is None else np.asarray(weights, dtype=np.float64)
    return c, w


@dataclass(frozen=True)
class AlphaParts:
    """Krippendorff's α with the observed and expected disagreement it is made of."""

    alpha: float | None
    observed: float | None
    expected: float | None
    pairable_values: float


def krippendorff_alpha_parts(counts: np.ndarray | Sequence[Sequence[float]],
                             weights: np.ndarray | Sequence[float] | None = None) -> AlphaParts:
    """Nominal α from a count matrix; units with fewer than two values are not pairable and drop out.

    Uses only the diagonal of the coincidence matrix: o_cc = Σ_u n_uc(n_uc − 1)/(m_u − 1), and
    n_c = Σ_u n_uc over pairable units; D_o = 1 − Σ o_cc / n, D_e = 1 − Σ n_c(n_c − 1) / (n(n − 1)).
    """
    c, w = _counts(counts, weights)
    m = c.sum(axis=1)
    keep = m >= 2
    c, w, m = c[keep], w[keep], m[keep]
    n_c = (c * w[:, None]).sum(axis=0)
    n = float(n_c.sum())
    if n <= 1:
        return AlphaParts(None, None, None, n)
    o_diag = float(((c * (c - 1.0)).sum(axis=1) / (m - 1.0) * w).sum())
    d_o = 1.0 - o_diag / n
    d_e = 1.0 - float((n_c * (n_c - 1.0)).sum()) / (n * (n - 1.0))
    d_o = max(d_o, 0.0) if abs(d_o) < _EPS else d_o
    if d_e <= _EPS:
        return AlphaParts(None, d_o, d_e, n)
    return AlphaParts(float(1.0 - d_o / d_e), d_o, d_e, n)


def krippendorff_alpha(counts: np.ndarray | Sequence[Sequence[float]],
                       weights: np.ndarray | Sequence[float] | None = None) -> float | None:
    """Krippendorff's α (nominal, missing data allowed) from a count matrix."""
    return krippendorff_alpha_parts(counts, weights).alpha


def fleiss_kappa_parts(counts: np.ndarray | Sequence[Sequence[float]],
                       weights: np.ndarray | Sequence[float] | None = None
                       ) -> tuple[float | None, float | None, float | None]:
    """Fleiss' (1971) κ with P̄ and P_e. Needs the same number (≥ 2) of raters on every unit."""
    c, w = _counts(counts, weights)
    keep = w > 0
    c, w = c[keep], w[keep]
    if c.shape[0] == 0:
        return None, None, None
    m = c.sum(axis=1)
    if not np.all(m == m[0]) or m[0] < 2:
        return None, None, None
    raters = float(m[0])
    n_units = float(w.sum())
    p_i = (c * (c - 1.0)).sum(axis=1) / (raters * (raters - 1.0))
    p_bar = float((p_i * w).sum() / n_units)
    p_j = (c * w[:, None]).sum(axis=0) / (n_units * raters)
    p_e = float((p_j * p_j).sum())
    return _kappa_like(p_bar, p_e), p_bar, p_e


def fleiss_kappa(counts: np.ndarray | Sequence[Sequence[float]],
                 weights: np.ndarray | Sequence[float] | None = None) -> float | None:
    """Fleiss' κ for several raters (constant number per unit)."""
    return fleiss_kappa_parts(counts, weights)[0]


def fleiss_kappa_per_category(counts: np.ndarray | Sequence[Sequence[float]],
                              weights: np.ndarray | Sequence[float] | None = None) -> list[float | None]:
    """Fleiss' category-specific κ_j = 1 − Σ_u n_uj(m − n_uj) / (N m (m − 1) p_j q_j).

    Equal to Fleiss' κ on the data collapsed to "category j or not", which is what the per-label
    figures use.
    """
    c, w = _counts(counts, weights)
    keep = w > 0
    c, w = c[keep], w[keep]
    if c.shape[0] == 0:
        return [None] * c.shape[1]
    m = c.sum(axis=1)
    if not np.all(m == m[0]) or m[0] < 2:
        return [None] * c.shape[1]
    raters = float(m[0])
    n_units = float(w.sum())
    out: list[float | None] = []
    for j in range(c.shape[1]):
        p = float((c[:, j] * w).sum() / (n_units * raters))
        denom = n_units * raters * (raters - 1.0) * p * (1.0 - p)
        if denom <= _EPS:
            out.append(None)
            continue
        out.append(float(1.0 - (c[:, j] * (raters - c[:, j]) * w).sum() / denom))
    return out


def randolph_kappa(counts: np.ndarray | Sequence[Sequence[float]],
                   weights: np.ndarray | Sequence[float] | None = None,
                   n_categories: int | None = None) -> float | None:
    """Randolph's free-marginal multi-rater κ: Fleiss' P̄ against a uniform chance of 1/q."""
    c, _ = _counts(counts, weights)
    q = c.shape[1] if n_categories is None else n_categories
    _, p_bar, _ = fleiss_kappa_parts(counts, weights)
    if p_bar is None or q < 2:
        return None
    return _kappa_like(p_bar, 1.0 / q)


def gwet_ac1_parts(counts: np.ndarray | Sequence[Sequence[float]],
                   weights: np.ndarray | Sequence[float] | None = None,
                   n_categories: int | None = None) -> tuple[float | None, float | None, float | None]:
    """Gwet's AC1 (multi-rater, missing data allowed) with its p_a and p_e.

    p_a averages Σ_k r_ik(r_ik − 1) / (r_i(r_i − 1)) over units rated at least twice; π_k averages
    r_ik / r_i over units rated at least once; p_e = Σ π_k(1 − π_k) / (q − 1). ``q`` defaults to the
    number of columns (the categories in the data); it must be ≥ 2.
    """
    c, w = _counts(counts, weights)
    q = c.shape[1] if n_categories is None else n_categories
    m = c.sum(axis=1)
    rated = (m >= 1) & (w > 0)
    pairable = (m >= 2) & (w > 0)
    if not pairable.any() or q < 2:
        return None, None, None
    cp, wp, mp = c[pairable], w[pairable], m[pairable]
    p_a = float((((cp * (cp - 1.0)).sum(axis=1) / (mp * (mp - 1.0))) * wp).sum() / wp.sum())
    cr, wr, mr = c[rated], w[rated], m[rated]
    pi = ((cr / mr[:, None]) * wr[:, None]).sum(axis=0) / wr.sum()
    p_e = float((pi * (1.0 - pi)).sum() / (q - 1.0))
    return _kappa_like(p_a, p_e), p_a, p_e


def gwet_ac1(counts: np.ndarray | Sequence[Sequence[float]],
             weights: np.ndarray | Sequence[float] | None = None,
             n_categories: int | None = None) -> float | None:
    """Gwet's AC1 from a count matrix."""
    return gwet_ac1_parts(counts, weights, n_categories)[0]


def krippendorff_alpha_interval(coders_x_units: Sequence[Sequence[float | None]] | np.ndarray) -> float | None:
    """Krippendorff's α with the interval metric δ² = (a − b)², missing data allowed (``None`` or NaN).

    Document fields of kind ``number`` are compared with it. Units with fewer than two values drop out.
    Over ordered pairs of values, Σ_{i≠j} (v_i − v_j)² = 2·m·Σ(v − v̄)², so both disagreements come from
    centred sums of squares (no coincidence matrix, no loss of precision on large values):
    D_o = Σ_u 2·m_u·SS_u/(m_u − 1) / n and D_e = 2·n·SS/(n(n − 1)), SS over all pairable values.
    """
    v = np.array([[np.nan if x is None else x for x in row] for row in coders_x_units], dtype=np.float64)
    if v.ndim != 2 or v.size == 0:
        return None
    present = ~np.isnan(v)
    m = present.sum(axis=0)
    keep = m >= 2
    v, present, m = v[:, keep], present[:, keep], m[keep]
    n = float(m.sum())
    if n <= 1:
        return None
    filled = np.where(present, v, 0.0)
    unit_mean = filled.sum(axis=0) / m
    ss_unit = (np.where(present, v - unit_mean, 0.0) ** 2).sum(axis=0)
    d_o = float((2.0 * m * ss_unit / (m - 1.0)).sum() / n)
    values = v[present]
    d_e = float(2.0 * ((values - values.mean()) ** 2).sum() / (n - 1.0))
    if d_e <= _EPS * max(1.0, float(np.abs(values).max()) ** 2):
        return None
    return float(1.0 - d_o / d_e)
