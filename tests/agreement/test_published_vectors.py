"""Every published agreement example in tests/data/agreement_vectors.json, reproduced.

The file collects published agreement examples (facts with their sources). Values we do not
implement (ordinal/ratio α, NLTK's multi-kappa variant) are skipped with the reason; interval α is the
one document fields of kind ``number`` use.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from annotator.core.agreement import alpha_u as au
from annotator.core.agreement import coefficients as co

VECTORS = json.loads((Path(__file__).resolve().parents[1] / "data" / "agreement_vectors.json").read_text(encoding="utf-8"))


def tol(expected: float) -> float:
    """1e-6, or half a unit in the last place for values the source rounded to 3-5 decimals.

    Short exact values (0.7, 0.85) keep 1e-6: they are exact, not rounded.
    """
    text = repr(float(expected))
    decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 6
    return 0.5 * 10.0**-decimals + 1e-12 if decimals in (3, 4, 5) else 1e-6


def close(actual: float | None, expected: float) -> None:
    assert actual is not None
    assert abs(actual - expected) <= tol(expected), (actual, expected)


TABLE_CASES = sorted(k for k, v in VECTORS.items() if "table_rows_r1_cols_r2" in v)
CODER_CASES = sorted(k for k, v in VECTORS.items() if "coders_x_units" in v)
ALPHA_U_CASES = sorted(k for k, v in VECTORS.items() if k.startswith("alphaU"))
NOT_IMPLEMENTED = {
    "ordinal": "ordinal α is not implemented (labels are nominal)",
    "ratio": "ratio α is not implemented (labels are nominal)",
    "nltk_multi_kappa_davies_fleiss": "NLTK's Davies-Fleiss multi-kappa variant is not one of our figures",
}


def test_all_vector_groups_are_covered() -> None:
    """A new kind of vector in the file must not pass unnoticed."""
    covered = set(TABLE_CASES) | set(CODER_CASES) | set(ALPHA_U_CASES) | {"fleiss_1971"}
    assert set(VECTORS) - {"_legend"} == covered


@pytest.mark.parametrize("name", TABLE_CASES)
def test_contingency_tables(name: str) -> None:
    case = VECTORS[name]
    table = np.array(case["table_rows_r1_cols_r2"], dtype=float)
    exp = case["expect"]
    kappa, po, pe = co.cohen_kappa_parts(table)
    counts, weights = co.table_to_counts(table)
    ac1, _, ac1_pe = co.gwet_ac1_parts(counts, weights)
    checked = 0
    for key, value in exp.items():
        actual = {
            "po": po, "pe": pe, "kappa": kappa, "scott_pi": co.scott_pi(table),
            "alpha_nominal": co.krippendorff_alpha(counts, weights), "ac1": ac1, "ac1_pe": ac1_pe,
        }[key]
        close(actual, value)
        checked += 1
    assert checked == len(exp)


def test_fleiss_1971() -> None:
    case = VECTORS["fleiss_1971"]
    coders = [list(col) for col in zip(*case["ratings_per_subject"], strict=True)]
    counts, cats = co.coders_to_counts(coders)
    exp = case["expect"]
    kappa, p_bar, p_e = co.fleiss_kappa_parts(counts)
    close(kappa, exp["kappa"])
    close(p_bar, exp["P_bar"])
    close(p_e, exp["P_e"])
    per_cat = co.fleiss_kappa_per_category(counts)
    for cat, value in exp["kappa_per_category"].items():
        close(per_cat[cats.index(int(cat))], value)
        # the category-specific kappa is Fleiss' kappa of the "cat or not" collapse (our per-label figure)
        j = cats.index(int(cat))
        binary = np.stack((counts.sum(axis=1) - counts[:, j], counts[:, j]), axis=1)
        close(co.fleiss_kappa(binary), value)
    close(co.krippendorff_alpha(counts), exp["alpha_nominal"])
    ac1, _, ac1_pe = co.gwet_ac1_parts(counts)
    close(ac1, exp["ac1"])
    close(ac1_pe, exp["ac1_pe"])
    close(co.randolph_kappa(counts), exp["randolph_free_marginal"])


def test_fleiss_1971_nltk_variant_is_not_ours() -> None:
    pytest.skip(NOT_IMPLEMENTED["nltk_multi_kappa_davies_fleiss"])


def _two_coder_table(rows: list[list[object]]) -> np.ndarray:
    values = sorted({v for r in rows for v in r}, key=str)
    t = np.zeros((len(values), len(values)))
    for a, b in zip(rows[0], rows[1], strict=True):
        t[values.index(a), values.index(b)] += 1
    return t


CODER_VALUES = [(name, key) for name in CODER_CASES for key in VECTORS[name]["expect"]]


@pytest.mark.parametrize(("name", "key"), CODER_VALUES)
def test_coders_by_units(name: str, key: str) -> None:
    case = VECTORS[name]
    rows = case["coders_x_units"]
    value = case["expect"][key]
    if key in NOT_IMPLEMENTED:
        pytest.skip(NOT_IMPLEMENTED[key])
    counts, _ = co.coders_to_counts(rows)
    parts = co.krippendorff_alpha_parts(counts)
    ac1, pa, pe = co.gwet_ac1_parts(counts)
    if key in ("nominal", "alpha"):
        close(parts.alpha, value)
    elif key == "interval":
        close(co.krippendorff_alpha_interval([[None if v in (None, "*", ".") else float(v) for v in r]
                                              for r in rows]), value)
    elif key == "Do":
        close(parts.observed, value)
    elif key == "De":
        close(parts.expected, value)
    elif key == "ac1":
        close(ac1, value)
    elif key == "ac1_pa":
        close(pa, value)
    elif key == "ac1_pe":
        close(pe, value)
    elif key == "kappa":
        close(co.cohen_kappa(_two_coder_table(rows)), value)
    elif key == "scott_pi":
        close(co.scott_pi(_two_coder_table(rows)), value)
    else:
        raise AssertionError(f"unhandled expected value {key}")


@pytest.mark.parametrize("name", ALPHA_U_CASES)
def test_alpha_u(name: str) -> None:
    case = VECTORS[name]
    begin, end = case["continuum"]
    parts, overall = au.alpha_u(case["units"], begin=begin, end=end, raters=case["raters"])
    exp = case["expect"]
    if "Do" in exp and isinstance(exp["Do"], dict):  # layout: {Do: {cat: v}, De: {...}, alpha: {...}}
        for cat in exp["alpha"]:
            close(parts[cat].observed, exp["Do"][cat])
            close(parts[cat].expected, exp["De"][cat])
            close(parts[cat].alpha, exp["alpha"][cat])
    else:  # layout: {cat: {Do, De, alpha}}
        for cat, values in exp.items():
            if cat == "overall":
                continue
            close(parts[cat].observed, values["Do"])
            close(parts[cat].expected, values["De"])
            close(parts[cat].alpha, values["alpha"])
    if "overall" in exp:
        close(overall, exp["overall"])


def test_alpha_u_l24_scaled_by_50000() -> None:
    """The L24 example with every position ×50000 (continuous-limit values asserted by DKPro)."""
    case = VECTORS["alphaU_kripp1995_L24"]
    k = 50_000
    units = [(s * k, e * k, r, c) for s, e, r, c in case["units"]]
    parts, _ = au.alpha_u(units, begin=0, end=24 * k, raters=2)
    for cat, value in case["scaled_x50000_alpha"].items():
        close(parts[cat].alpha, value)
    for cat, value in case["P_paper_values_as_asserted_in_dkpro_pm0.02"].items():
        assert abs(parts[cat].alpha - value) <= 0.02
