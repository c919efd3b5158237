"""compute_agreement end to end: every figure recomputed character by character on random corpora.

The references here are deliberately naive (a Python loop per character, Counter for exact spans, a
plain augmenting-path matcher for overlap) and are compared with the vectorised report, and with the
reference packages where one exists.
"""

from __future__ import annotations

import json
import math
import warnings
from collections import Counter

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

from annotator.core.agreement import AgreementCancelled, AgreementInput, compute_agreement
from annotator.core.agreement import alpha_u as au
from annotator.core.errors import AnnotatorError

LABELS = ["injury", "sanctions", "remittance"]


@st.composite
def corpora(draw: st.DrawFn, max_annotators: int = 3) -> AgreementInput:
    n_docs = draw(st.integers(1, 4))
    docs = []
    for i in range(n_docs):
        text = draw(st.text(alphabet="ab c\n\t😊é", min_size=0, max_size=40))
        docs.append((f"doc-{draw(st.integers(0, 99)):02d}-{i}", text))
    names = [f"ann{k}" for k in range(draw(st.integers(1, max_annotators)))]
    spans: dict[str, dict[str, list[tuple[int, int, str]]]] = {}
    for name in names:
        per_doc = {}
        for doc_id, text in docs:
            if len(text) == 0:
                continue
            lst = []
            for _ in range(draw(st.integers(0, 4))):
                s = draw(st.integers(0, len(text) - 1))
                e = draw(st.integers(s + 1, len(text)))
                lst.append((s, e, draw(st.sampled_from(LABELS))))
            per_doc[doc_id] = lst
        spans[name] = per_doc
    draw(st.randoms()).shuffle(docs)
    return AgreementInput(annotators=list(reversed(names)), documents=docs, spans=spans, labels=list(LABELS))


def _ref(fn, *args, **kwargs) -> float | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            v = float(fn(*args, **kwargs))
        except (ValueError, ZeroDivisionError):
            return None
    return None if math.isnan(v) else v


def _same(ours: float | None, ref: float | None, what: str) -> None:
    if ref is None:
        assert ours is None, what
    else:
        assert ours is not None and abs(ours - ref) < 1e-9, (what, ours, ref)


def _char_labels(inp: AgreementInput, exclude_whitespace: bool) -> tuple[list[str], list[list[frozenset]]]:
    """Per annotator (sorted), per kept character (docs sorted), the set of labels covering it."""
    names = sorted(inp.annotators)
    docs = sorted(inp.documents)
    out: list[list[frozenset]] = []
    for name in names:
        seq = []
        for doc_id, text in docs:
            spans = inp.spans.get(name, {}).get(doc_id, [])
            for i, ch in enumerate(text):
                if exclude_whitespace and ch.isspace():
                    continue
                seq.append(frozenset(lab for s, e, lab in spans if s <= i < e))
        out.append(seq)
    return names, out


def _max_matching(a: list[tuple[int, int, str]], b: list[tuple[int, int, str]]) -> int:
    """Plain Kuhn augmenting paths over same-label overlapping spans."""
    adj = {i: [j for j, y in enumerate(b) if x[2] == y[2] and x[0] < y[1] and y[0] < x[1]]
           for i, x in enumerate(a)}
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in adj[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    return sum(augment(i, set()) for i in adj)


def _f1(tp: int, n_a: int, n_b: int) -> float | None:
    return None if n_a + n_b == 0 else 2 * tp / (n_a + n_b)


@settings(max_examples=120, deadline=None)
@given(corpora(), st.booleans())
def test_report_matches_naive_recomputation(inp: AgreementInput, exclude_ws: bool) -> None:
    report = compute_agreement(inp, exclude_whitespace=exclude_ws)
    names, chars = _char_labels(inp, exclude_ws)
    assert report.annotators == names
    n = len(chars[0])
    assert report.characters == n
    cats = sorted({c for seq in chars for c in seq}, key=sorted)
    code = {c: i for i, c in enumerate(cats)}
    data = np.array([[code[c] for c in seq] for seq in chars], dtype=float).reshape(len(names), n)

    # overall character-level coefficients
    _same(report.overall["krippendorff_alpha"],
          _ref(krippendorff.alpha, reliability_data=data, level_of_measurement="nominal") if n else None,
          "alpha")
    if len(names) >= 2 and n:
        table = np.zeros((n, max(len(cats), 1)))
        for r in range(len(names)):
            np.add.at(table, (np.arange(n), data[r].astype(int)), 1)
        _same(report.overall["fleiss_kappa"], _ref(sm_fleiss, table), "fleiss")
    else:
        assert report.overall["fleiss_kappa"] is None

    # per label: binary coverage units
    for lab in LABELS:
        binary = np.array([[1.0 if lab in c else 0.0 for c in seq] for seq in chars]).reshape(len(names), n)
        _same(report.per_label[lab].krippendorff_alpha,
              _ref(krippendorff.alpha, reliability_data=binary, level_of_measurement="nominal") if n else None,
              f"alpha {lab}")

    # pairs: Cohen's kappa and span F1
    docs = sorted(inp.documents)
    assert [tuple(p.annotators) for p in report.pairs] == [
        (names[i], names[j]) for i in range(len(names)) for j in range(i + 1, len(names))]
    for p in report.pairs:
        i, j = names.index(p.annotators[0]), names.index(p.annotators[1])
        ref_k = _ref(cohen_kappa_score, data[i], data[j]) if n else None
        if ref_k is not None and len(set(data[i]) | set(data[j])) == 1:
            ref_k = None  # sklearn reports 1.0 or nan for a single category; we call it undefined
        _same(p.cohen_kappa, ref_k, "kappa")
        tp = utp = otp = n_a = n_b = 0
        for doc_id, _ in docs:
            a = [s for s in inp.spans.get(names[i], {}).get(doc_id, [])]
            b = [s for s in inp.spans.get(names[j], {}).get(doc_id, [])]
            n_a, n_b = n_a + len(a), n_b + len(b)
            tp += sum((Counter(a) & Counter(b)).values())
            utp += sum((Counter(x[:2] for x in a) & Counter(x[:2] for x in b)).values())
            otp += _max_matching(a, b)
        _same(p.span_f1_exact, _f1(tp, n_a, n_b), "f1 exact")
        _same(p.span_f1_exact_unlabeled, _f1(utp, n_a, n_b), "f1 unlabeled")
        _same(p.span_f1_overlap, _f1(otp, n_a, n_b), "f1 overlap")
        assert (p.tp, p.fp, p.fn) == (tp, n_b - tp, n_a - tp)

    # alpha_U on the concatenated continuum
    base, records = 0, []
    for doc_id, text in docs:
        for r, name in enumerate(names):
            for s, e, lab in inp.spans.get(name, {}).get(doc_id, []):
                records.append((s + base, e + base, r, lab))
        base += len(text)
    parts, overall_u = au.alpha_u(records, begin=0, end=base, raters=len(names)) if base else ({}, None)
    for lab in LABELS:
        _same(report.per_label[lab].alpha_u, parts[lab].alpha if lab in parts else None, f"alpha_u {lab}")
    if len(names) >= 2:
        _same(report.overall["alpha_u"], overall_u, "alpha_u")

    # per document alpha and the disagreement runs
    offset = 0
    runs = []
    for d, (doc_id, text) in zip(report.per_document, docs, strict=True):
        assert d.doc_id == doc_id
        kept = [k for k, ch in enumerate(text) if not (exclude_ws and ch.isspace())]
        sub = data[:, offset:offset + len(kept)]
        assert d.characters == len(kept)
        _same(d.krippendorff_alpha,
              _ref(krippendorff.alpha, reliability_data=sub, level_of_measurement="nominal") if kept else None,
              "doc alpha")
        prev = None
        for col, k in enumerate(kept):
            pattern = tuple(chars[r][offset + col] for r in range(len(names)))
            disagree = len(set(pattern)) > 1
            contiguous = prev is not None and prev[1] == k and prev[2] == pattern
            if disagree and contiguous:
                runs[-1] = (doc_id, runs[-1][1], k + 1)
            elif disagree:
                runs.append((doc_id, k, k + 1))
            prev = (doc_id, k + 1, pattern) if disagree else None
        offset += len(kept)
    got = [(x.doc_id, x.start, x.end) for x in report.disagreements]
    assert got == runs
    assert report.disagreements_total == len(runs)
    for x in report.disagreements:
        text = dict(docs)[x.doc_id]
        assert x.quote == text[x.start:x.end]
        assert text[:x.start].endswith(x.before) and text[x.end:].startswith(x.after)
    json.dumps(report.to_json(), allow_nan=False)


def _small() -> AgreementInput:
    text = "Workers said shifts ran 22 hours; one was hurt.\nPay went home."
    return AgreementInput(
        annotators=["b", "a"],
        documents=[("d2", text), ("d1", "Nothing to see here.")],
        spans={"a": {"d2": [(13, 32, "working_hours"), (34, 46, "injury")]},
               "b": {"d2": [(13, 32, "working_hours"), (38, 46, "injury"), (48, 61, "remittance")]}},
        labels=["working_hours", "injury", "remittance", "sanctions"],
    )


def test_json_has_exactly_the_contract_keys() -> None:
    out = compute_agreement(_small()).to_json()
    assert list(out) == ["annotators", "documents", "characters", "labels", "overall", "per_label", "pairs",
                         "confusion", "per_document", "disagreements"]
    assert out["annotators"] == ["a", "b"]
    assert out["documents"] == 2
    assert set(out["overall"]) == {"krippendorff_alpha", "fleiss_kappa", "gwet_ac1", "alpha_u",
                                   "span_f1_exact", "span_f1_overlap"}
    assert set(out["per_label"]["injury"]) == {"krippendorff_alpha", "cohen_kappa_mean", "alpha_u",
                                               "span_f1_exact", "span_f1_overlap"}
    pair = out["pairs"][0]
    assert set(pair) == {"annotators", "cohen_kappa", "span_f1_exact", "span_f1_exact_unlabeled",
                         "span_f1_overlap", "tp", "fp", "fn", "per_label"}
    assert (pair["tp"], pair["fp"], pair["fn"]) == (1, 2, 1)
    assert pair["span_f1_overlap"] == pytest.approx(2 * 2 / 5)
    # the sanctions label is unused: undefined, and JSON null rather than NaN
    assert out["per_label"]["sanctions"]["krippendorff_alpha"] is None
    json.dumps(out, allow_nan=False)


def test_confusion_counts_overlaps_and_unmatched() -> None:
    inp = AgreementInput(
        annotators=["a", "b"], documents=[("d", "x" * 30)],
        spans={"a": {"d": [(0, 5, "x"), (10, 15, "x"), (20, 25, "y")]},
               "b": {"d": [(0, 5, "x"), (12, 18, "y")]}},
        labels=["x", "y"])
    r = compute_agreement(inp)
    assert r.confusion_labels == ["x", "y", "O"]
    # x~x matched; a's x(10-15) overlaps b's y(12-18); a's y(20-25) has nothing
    assert r.confusion == [[1, 1, 0], [0, 0, 1], [0, 0, 0]]


@pytest.mark.parametrize("case", ["one annotator", "no spans", "empty documents", "no documents",
                                  "no labels", "no annotators"])
def test_degenerate_inputs_never_crash_or_nan(case: str) -> None:
    inp = _small()
    if case == "one annotator":
        inp.annotators = ["a"]
    elif case == "no spans":
        inp.spans = {}
    elif case == "empty documents":
        inp.documents = [("d1", ""), ("d2", "")]
        inp.spans = {}
    elif case == "no documents":
        inp.documents = []
    elif case == "no labels":
        inp.labels = []
    elif case == "no annotators":
        inp.annotators = []
    r = compute_agreement(inp)
    out = r.to_json()
    json.dumps(out, allow_nan=False)
    from annotator.core.agreement import render_html, render_text
    text = render_text(r)
    assert "nan" not in text.lower().replace("annotator", "")
    assert "NaN" not in render_html(r)
    if case in ("one annotator", "no annotators"):
        assert out["pairs"] == [] and out["overall"]["krippendorff_alpha"] is None
        assert out["overall"]["alpha_u"] is None and "n/a" in text
    if case == "no spans":
        # everyone said "O" everywhere: one category, so the chance-corrected figures are undefined
        assert out["overall"]["krippendorff_alpha"] is None
        assert out["pairs"][0]["span_f1_exact"] is None


def test_exclude_whitespace_drops_units() -> None:
    inp = _small()
    all_chars = compute_agreement(inp).characters
    some = compute_agreement(inp, exclude_whitespace=True).characters
    whitespace = sum(ch.isspace() for _, t in inp.documents for ch in t)
    assert all_chars - some == whitespace > 0


def test_span_outside_document_is_an_input_error() -> None:
    inp = _small()
    inp.spans["a"]["d1"] = [(5, 500, "injury")]
    with pytest.raises(AnnotatorError, match="outside document d1"):
        compute_agreement(inp)


def test_progress_is_monotone_and_cancel_stops() -> None:
    seen: list[float] = []
    compute_agreement(_small(), progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(AgreementCancelled):
        compute_agreement(_small(), cancelled=cancelled)


def test_disagreements_in_document_is_not_capped() -> None:
    r = compute_agreement(_small())
    assert r.disagreements_in("d2") == [d for d in r.disagreements if d.doc_id == "d2"]
    assert r.disagreements_in("d1") == [] and r.disagreements_in("missing") == []
    d = r.disagreements_in("d2")[0]
    assert d.labels == {"a": "injury", "b": None} and d.quote == "one "
