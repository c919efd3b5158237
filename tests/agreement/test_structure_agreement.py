"""Agreement on document fields, relations and typed attributes (core/agreement/structure.py).

Field figures are cross-checked on random data (hypothesis) against the reference packages the character
figures use: ``krippendorff.alpha`` (nominal and interval) and ``sklearn.metrics.cohen_kappa_score``,
given exactly the documents the contract says are compared (those where every annotator gave a value).
Relations and attributes are small rules, checked on hand-made cases.
"""

from __future__ import annotations

import itertools
from typing import Any

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from annotator.core.agreement import AgreementInput, compute_agreement, render_html, render_text
from annotator.core.agreement import coefficients as co
from annotator.core.agreement.structure import attribute_agreement, field_agreement, relation_agreement
from annotator.core.scheme_parts import AttributeDef, FieldDef, RelationType
from tests.agreement.reference import reference, same

SETTINGS = settings(max_examples=200, deadline=None)
NAMES = ["ana", "ben", "cai", "dee"]




# ---- interval α -----------------------------------------------------------------------------------

interval_data = st.integers(2, 4).flatmap(
    lambda coders: st.integers(1, 20).flatmap(
        lambda units: st.lists(
            st.lists(st.one_of(st.none(), st.integers(-5, 40), st.floats(-100, 100, allow_nan=False)),
                     min_size=units, max_size=units),
            min_size=coders, max_size=coders)))


@SETTINGS
@given(interval_data)
def test_interval_alpha_matches_the_krippendorff_package_with_missing_data(rows: list[list[float | None]]) -> None:
    data = np.array([[np.nan if v is None else v for v in r] for r in rows], dtype=float)
    ref = reference(krippendorff.alpha, reliability_data=data, level_of_measurement="interval")
    ours = co.krippendorff_alpha_interval(rows)
    if ref is None:
        assert ours is None
    elif ours is None:
        # the package divides by an expected disagreement that is zero up to rounding; so do we, then stop
        values = data[~np.isnan(data)]
        assert np.ptp(values) < 1e-6
    else:
        assert abs(ours - ref) < 1e-7 * max(1.0, abs(ref)), (ours, ref)


# ---- document fields against the packages ------------------------------------------------------------

def _values(draw: Any, n_annotators: int, n_docs: int, value: st.SearchStrategy[Any]) -> dict[str, dict[str, dict[str, Any]]]:
    cell = st.one_of(st.none(), value)
    return {NAMES[a]: {f"d{d:02}": ({} if (v := draw(cell)) is None else {"f": v}) for d in range(n_docs)}
            for a in range(n_annotators)}


@st.composite
def field_case(draw: Any, value: st.SearchStrategy[Any]) -> tuple[list[str], list[str], dict[str, Any]]:
    n_annotators = draw(st.integers(2, 4))
    n_docs = draw(st.integers(1, 25))
    return NAMES[:n_annotators], [f"d{d:02}" for d in range(n_docs)], _values(draw, n_annotators, n_docs, value)


def _complete_units(annotators: list[str], docs: list[str], values: dict[str, Any]) -> list[list[Any]]:
    """coders × documents, only documents where every annotator gave a value (the contract's rule)."""
    kept = [d for d in docs if all("f" in values[a][d] for a in annotators)]
    return [[values[a][d]["f"] for d in kept] for a in annotators]


def _reference_nominal(rows: list[list[Any]]) -> tuple[float | None, float | None]:
    codes = sorted({v for r in rows for v in r}, key=str)
    data = np.array([[codes.index(v) for v in r] for r in rows], dtype=float)
    alpha = reference(krippendorff.alpha, reliability_data=data, level_of_measurement="nominal") if data.size else None
    kappas = [reference(cohen_kappa_score, rows[a], rows[b]) for a, b in itertools.combinations(range(len(rows)), 2)]
    defined = [k for k in kappas if k is not None]
    return alpha, (sum(defined) / len(defined) if defined and rows[0] else None)


@SETTINGS
@given(field_case(st.sampled_from(["relevant", "partly", "not relevant"])))
def test_choice_field_alpha_and_kappa_match_krippendorff_and_sklearn(case: tuple[list[str], list[str], dict]) -> None:
    annotators, docs, values = case
    definition = FieldDef("f", "F", "choice", ["relevant", "partly", "not relevant"])
    result = field_agreement(annotators, docs, [definition], values)["f"]
    rows = _complete_units(annotators, docs, values)
    assert result.documents == len(rows[0])
    alpha, kappa = _reference_nominal(rows)
    same(result.krippendorff_alpha, alpha)
    same(result.cohen_kappa_mean, kappa)


@SETTINGS
@given(field_case(st.booleans()))
def test_bool_field_is_nominal_like_the_packages(case: tuple[list[str], list[str], dict]) -> None:
    annotators, docs, values = case
    result = field_agreement(annotators, docs, [FieldDef("f", "F", "bool")], values)["f"]
    rows = _complete_units(annotators, docs, values)
    alpha, kappa = _reference_nominal(rows)
    assert result.documents == len(rows[0]) and result.kind == "bool"
    same(result.krippendorff_alpha, alpha)
    same(result.cohen_kappa_mean, kappa)


@SETTINGS
@given(field_case(st.integers(0, 24)))
def test_number_field_uses_interval_alpha_and_has_no_kappa(case: tuple[list[str], list[str], dict]) -> None:
    annotators, docs, values = case
    result = field_agreement(annotators, docs, [FieldDef("f", "F", "number")], values)["f"]
    rows = _complete_units(annotators, docs, values)
    data = np.array(rows, dtype=float)
    ref = reference(krippendorff.alpha, reliability_data=data, level_of_measurement="interval") if data.size else None
    assert result.documents == len(rows[0]) and result.cohen_kappa_mean is None
    same(result.krippendorff_alpha, ref)


@SETTINGS
@given(field_case(st.lists(st.sampled_from(["a", "b", "c"]), unique=True).map(sorted)))
def test_each_option_of_a_multi_field_is_a_binary_field(case: tuple[list[str], list[str], dict]) -> None:
    annotators, docs, values = case
    results = field_agreement(annotators, docs, [FieldDef("f", "F", "multi", ["a", "b", "c"])], values)
    assert list(results) == ["f:a", "f:b", "f:c"]
    rows = _complete_units(annotators, docs, values)
    for option in "abc":
        binary = [[option in v for v in r] for r in rows]
        alpha, kappa = _reference_nominal(binary)
        assert results[f"f:{option}"].documents == len(rows[0])
        same(results[f"f:{option}"].krippendorff_alpha, alpha)
        same(results[f"f:{option}"].cohen_kappa_mean, kappa)


def test_fields_use_only_documents_every_annotator_judged_and_skip_text_and_dates() -> None:
    fields = [FieldDef("relevance", "R", "choice", ["yes", "no"]), FieldDef("why", "W", "text"),
              FieldDef("seen", "S", "date")]
    values = {"ana": {"d1": {"relevance": "yes", "why": "x"}, "d2": {"relevance": "no"}, "d3": {"relevance": "no"}},
              "ben": {"d1": {"relevance": "yes", "why": "x"}, "d2": {"relevance": "yes"},
                      "d3": {"relevance": "maybe"}}}  # "maybe" is no longer an option: as if not given
    result = field_agreement(["ana", "ben"], ["d1", "d2", "d3"], fields, values)
    assert list(result) == ["relevance"]
    assert result["relevance"].documents == 2
    assert result["relevance"].observed_agreement == 0.5
    # Krippendorff's α by hand: values yes,yes | no,yes → n=4, D_o = 2/4, D_e = 2·3·1/(4·3) = 1/2 → α = 0
    assert result["relevance"].krippendorff_alpha == pytest.approx(1 - (2 / 4) / (6 / 12))


# ---- relations -----------------------------------------------------------------------------------

CAUSED = RelationType("caused", "Caused", "#000000", [], [], True)
NEAR = RelationType("near", "Near", "#000000", [], [], False)
H, INJ, INJ2 = (0, 5, "hours"), (10, 15, "injury"), (20, 25, "injury")


def test_relations_match_on_both_exact_endpoints_and_the_type() -> None:
    relations = {
        "ana": {"d": [(H, INJ, "caused"), (H, INJ2, "caused"), (INJ, INJ2, "near")]},
        "ben": {"d": [(H, INJ, "caused"),                      # match
                      ((0, 6, "hours"), INJ2, "caused"),       # source one character longer: no match
                      (INJ2, INJ, "near")]},                     # undirected, reversed: match
    }
    result = relation_agreement(["ana", "ben"], ["d"], ["hours", "injury"], [CAUSED, NEAR], relations)
    pair = result.pairs[0]
    assert (pair.tp, pair.fp, pair.fn) == (2, 1, 1)
    assert pair.f1 == pytest.approx(2 * 2 / 6) and result.span_f1_exact == pair.f1


def test_a_reversed_directed_relation_or_another_type_or_endpoint_label_does_not_match() -> None:
    relations = {"ana": {"d": [(H, INJ, "caused"), (H, INJ2, "caused"), (INJ, INJ2, "near")]},
                 "ben": {"d": [(INJ, H, "caused"), (H, (20, 25, "hours"), "caused"), (INJ, INJ2, "caused")]}}
    result = relation_agreement(["ana", "ben"], ["d"], ["hours", "injury"], [CAUSED, NEAR], relations)
    assert (result.pairs[0].tp, result.pairs[0].fp, result.pairs[0].fn) == (0, 3, 3)
    assert result.span_f1_exact == 0.0


def test_relation_matching_is_per_document_multiset_and_skips_unselected_labels() -> None:
    relations = {"ana": {"d1": [(H, INJ, "caused")], "d2": [(H, INJ, "caused")]},
                 "ben": {"d1": [(H, INJ, "caused"), (H, INJ, "caused")], "d2": [((0, 5, "other"), INJ, "caused")]}}
    result = relation_agreement(["ana", "ben"], ["d1", "d2"], ["hours", "injury"], [CAUSED], relations)
    # d1: one of ben's two identical links matches; d2: ben's only link starts at an uncompared label
    assert (result.pairs[0].tp, result.pairs[0].fp, result.pairs[0].fn) == (1, 1, 1)


def test_relation_f1_is_per_pair_and_averaged_and_undefined_without_relations() -> None:
    relations = {"ana": {"d": [(H, INJ, "caused")]}, "ben": {"d": [(H, INJ, "caused")]}, "cai": {"d": []}}
    result = relation_agreement(["ana", "ben", "cai"], ["d"], ["hours", "injury"], [CAUSED], relations)
    assert [(p.annotators, p.f1) for p in result.pairs] == [
        (("ana", "ben"), 1.0), (("ana", "cai"), 0.0), (("ben", "cai"), 0.0)]
    assert result.span_f1_exact == pytest.approx(1 / 3)
    empty = relation_agreement(["ana", "ben"], ["d"], ["hours"], [CAUSED], {})
    assert empty.pairs[0].f1 is None and empty.span_f1_exact is None


# ---- typed attributes ----------------------------------------------------------------------------

DEFS = {"hours": [AttributeDef("per_day", "number")],
        "injury": [AttributeDef("severity", "choice", ["minor", "fatal"])]}


def _attributes(names: list[str], spans: dict[str, dict[str, list[tuple[Any, ...]]]]) -> dict[str, Any]:
    """attribute_agreement on spans given with their attributes (as the store gives them: every span, plus
    those that carry attributes)."""
    plain = {who: {doc: [tuple(s[:3]) for s in lst] for doc, lst in per_doc.items()} for who, per_doc in spans.items()}
    return attribute_agreement(names, ["d"], ["hours", "injury"], DEFS, plain, spans)  # type: ignore[arg-type]


def test_attributes_are_compared_on_exactly_matched_spans_only() -> None:
    spans = {
        "ana": {"d": [(0, 5, "hours", {"per_day": 12}), (10, 15, "injury", {"severity": "fatal"}),
                      (20, 25, "injury", {"severity": "minor"}), (30, 35, "injury", {"severity": "minor"})]},
        "ben": {"d": [(0, 5, "hours", {"per_day": 12.0}),          # equal (12 == 12.0)
                      (10, 15, "injury", {"severity": "minor"}),    # differs
                      (20, 25, "injury", {}),                       # only one side has a value
                      (30, 36, "injury", {"severity": "minor"})]},  # not an exact match: not compared
    }
    result = _attributes(["ana", "ben"], spans)
    assert list(result) == ["hours:per_day", "injury:severity"]
    assert (result["hours:per_day"].agreement, result["hours:per_day"].compared) == (1.0, 1)
    severity = result["injury:severity"]
    assert (severity.agreement, severity.compared, severity.one_sided) == (0.0, 1, 1)


def test_attribute_agreement_pools_pairs_and_ignores_undefined_or_wrongly_typed_values() -> None:
    spans = {name: {"d": [(0, 5, "hours", {"per_day": value, "free": "x"})]}
             for name, value in (("ana", 10), ("ben", 10), ("cai", "ten"))}
    result = _attributes(["ana", "ben", "cai"], spans)
    # ana/ben equal; cai's "ten" is not a number, so both pairs with cai are one-sided; "free" is not defined
    assert list(result) == ["hours:per_day", "injury:severity"]
    assert (result["hours:per_day"].agreement, result["hours:per_day"].compared,
            result["hours:per_day"].one_sided) == (1.0, 1, 2)


# ---- the report ----------------------------------------------------------------------------------

def test_the_report_json_has_the_new_parts_only_when_the_scheme_has_them() -> None:
    text = "Shifts ran twelve hours and one man died."
    base = dict(annotators=["ana", "ben"], documents=[("d", text)], labels=["hours", "injury"],
                spans={"ana": {"d": [(0, 5, "hours"), (10, 15, "injury")]},
                       "ben": {"d": [(0, 5, "hours"), (10, 15, "injury")]}})
    plain_report = compute_agreement(AgreementInput(**base))  # type: ignore[arg-type]
    plain = plain_report.to_json()
    assert not {"doc_fields", "relations", "attributes"} & set(plain)
    for rendered in (render_text(plain_report), render_html(plain_report)):
        assert "Document fields" not in rendered and "Relations" not in rendered and "Typed attributes" not in rendered
    full_report = compute_agreement(AgreementInput(
        **base,  # type: ignore[arg-type]
        fields=[FieldDef("relevance", "R", "choice", ["yes", "no"])],
        doc_fields={"ana": {"d": {"relevance": "yes"}}, "ben": {"d": {"relevance": "yes"}}},
        relation_types=[CAUSED],
        relations={"ana": {"d": [((0, 5, "hours"), (10, 15, "injury"), "caused")]},
                   "ben": {"d": [((0, 5, "hours"), (10, 15, "injury"), "caused")]}},
        attribute_defs=DEFS,
        span_attributes={"ana": {"d": [(10, 15, "injury", {"severity": "fatal"})]},
                         "ben": {"d": [(10, 15, "injury", {"severity": "fatal"})]}}))
    full = full_report.to_json()
    page = render_html(full_report)
    assert "<h2>Document fields</h2>" in page and "<td>relevance</td><td>choice</td>" in page
    assert "<h2>Relations</h2>" in page and "<td>ana / ben</td>" in page
    assert "<h2>Typed attributes</h2>" in page and "<td>injury:severity</td>" in page
    text = render_text(full_report)
    assert "Document fields" in text and "Relations (exact" in text and "mean F1 1.000" in text
    assert list(full)[:9] == ["annotators", "documents", "characters", "labels", "overall", "per_label", "pairs",
                              "confusion", "doc_fields"]
    assert full["doc_fields"] == {"relevance": {"krippendorff_alpha": None, "cohen_kappa_mean": None,
                                                "documents": 1}}
    assert full["relations"] == {"span_f1_exact": 1.0, "pairs": [
        {"annotators": ["ana", "ben"], "f1": 1.0, "tp": 1, "fp": 0, "fn": 0}]}
    assert full["attributes"] == {"hours:per_day": {"agreement": None, "compared": 0, "one_sided": 0},
                                  "injury:severity": {"agreement": 1.0, "compared": 1, "one_sided": 0}}
    assert {k: v for k, v in full.items() if k not in ("doc_fields", "relations", "attributes")} == plain
