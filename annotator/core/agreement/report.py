"""Compute the whole agreement report (docs/architecture.md §6) from plain spans; the report's
dataclasses and their JSON live in ``results.py``.

Pipeline, all vectorised: lay the documents in scope end to end (ascending ``doc_id``), paint each
annotator's label coverage into bit masks, histogram the joint masks into rating patterns, and compute
every character-level coefficient from that small histogram. Span F1 and α_U work on the same global
axis. Per-document figures and the disagreement list reuse the per-character pattern index.

Choices the contract leaves open, made here once:

* ``pairs[*].tp/fp/fn`` (also per label) count **exact** matches, the first annotator of the pair
  (alphabetical) being the reference: fn = its unmatched spans, fp = the other's.
* ``confusion`` pairs spans by overlap: same-label overlap matches first (the diagonal), then a
  maximum matching of the remaining spans that overlap with different labels; whatever is left is
  counted against ``O``. Rows are the first annotator of each pair, columns the second, summed over
  pairs.
* Gwet's AC1 counts q = 2 categories per label (covered or not) and, overall, the label sets that
  occur in the data.
* α_U always uses the full continuum (whitespace included): it measures unit boundaries, and
  dropping characters would move them.
* Spans with a label outside ``labels``, zero length, or a document outside ``documents`` are left
  out; a span outside its document's text is an input error.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from annotator.core.agreement import alpha_u as au
from annotator.core.agreement import coefficients as co
from annotator.core.agreement import span_f1 as sf
from annotator.core.agreement import structure as st
from annotator.core.agreement.results import (
    AgreementReport,
    Disagreement,
    DocumentResult,
    LabelResult,
    PairResult,
)
from annotator.core.agreement.units import (
    Patterns,
    category_counts,
    label_masks,
    merge_overlaps,
    non_whitespace,
    patterns,
)
from annotator.core.errors import AnnotatorError
from annotator.core.scheme_parts import AttributeDef, FieldDef, RelationType

CONTEXT_CHARS = 40
MAX_DISAGREEMENTS = 10_000
"""Disagreement records built eagerly; :meth:`AgreementReport.disagreements_in` gives any document's."""


class AgreementCancelled(Exception):
    """Raised inside :func:`compute_agreement` when the caller's ``cancelled()`` returns True."""


@dataclass
class AgreementInput:
    """What to compare: annotators, documents in scope, their spans and the label scheme.

    The scheme's fields, relation types and typed attributes are optional (see ``structure.py``): left
    empty, the report has no ``doc_fields``, ``relations`` or ``attributes``.
    """

    annotators: list[str]
    documents: list[tuple[str, str]]
    spans: dict[str, dict[str, list[tuple[int, int, str]]]]
    labels: list[str]
    fields: list[FieldDef] = field(default_factory=list)
    doc_fields: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    """Annotator → doc_id → field key → value."""
    relation_types: list[RelationType] = field(default_factory=list)
    relations: dict[str, dict[str, list[st.RelationItem]]] = field(default_factory=dict)
    """Annotator → doc_id → (source span, target span, relation type key)."""
    attribute_defs: dict[str, list[AttributeDef]] = field(default_factory=dict)
    """Label key → its typed attribute definitions."""
    span_attributes: dict[str, dict[str, list[st.AttributedSpan]]] = field(default_factory=dict)
    """Annotator → doc_id → the spans (of labels with attribute definitions) that carry attributes."""


def _mean(values: list[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


class _Ticker:
    """Progress and cancellation in one place, so every stage reports the same way."""

    def __init__(self, progress: Callable[[float], None] | None, cancelled: Callable[[], bool] | None):
        self.progress = progress
        self.cancelled = cancelled

    def __call__(self, fraction: float) -> None:
        if self.cancelled is not None and self.cancelled():
            raise AgreementCancelled()
        if self.progress is not None:
            self.progress(min(max(fraction, 0.0), 1.0))


def _span_sets(inp: AgreementInput, annotators: list[str], doc_ids: list[str], lengths: np.ndarray,
               base: np.ndarray, label_index: dict[str, int]) -> list[sf.SpanSet]:
    """Each annotator's spans on the global axis (validated, unknown labels dropped)."""
    sets = []
    for name in annotators:
        per_doc = inp.spans.get(name, {})
        items = [(d, lst) for d, doc_id in enumerate(doc_ids) if (lst := per_doc.get(doc_id))]
        flat = list(itertools.chain.from_iterable(lst for _, lst in items))
        count = len(flat)
        starts = np.fromiter((t[0] for t in flat), dtype=np.int64, count=count)
        ends = np.fromiter((t[1] for t in flat), dtype=np.int64, count=count)
        labs = np.fromiter((label_index.get(t[2], -1) for t in flat), dtype=np.int64, count=count)
        docs = np.repeat(np.array([d for d, _ in items], dtype=np.int64),
                         np.array([len(lst) for _, lst in items], dtype=np.int64))
        keep = (labs >= 0) & (ends != starts)
        bad = np.flatnonzero(keep & ~((starts >= 0) & (starts < ends) & (ends <= lengths[docs])))
        if bad.size:
            i = int(bad[0])
            d = int(docs[i])
            raise AnnotatorError(
                f"span {starts[i]}-{ends[i]} ({flat[i][2]}) of {name} lies outside document {doc_ids[d]} "
                f"({lengths[d]} characters)")
        off = base[docs[keep]]
        sets.append(sf.SpanSet(starts[keep] + off, ends[keep] + off, labs[keep], docs[keep]))
    return sets


def _label_set_name(mask: int, labels: list[str]) -> str | None:
    names = [labels[i] for i in range(len(labels)) if mask >> i & 1]
    return "+".join(names) if names else None


def compute_agreement(inp: AgreementInput, *, exclude_whitespace: bool = False,
                      progress: Callable[[float], None] | None = None,
                      cancelled: Callable[[], bool] | None = None) -> AgreementReport:
    """All agreement figures of docs/architecture.md §6 for the given annotators, documents and labels."""
    tick = _Ticker(progress, cancelled)
    tick(0.0)
    annotators = sorted(dict.fromkeys(inp.annotators))
    labels = list(dict.fromkeys(inp.labels))
    label_index = {k: i for i, k in enumerate(labels)}
    docs = sorted(inp.documents, key=lambda d: d[0])
    doc_ids = [d for d, _ in docs]
    lengths = np.array([len(t) for _, t in docs], dtype=np.int64)
    base = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    n_chars = int(base[-1])
    n_labels = len(labels)
    n_raters = len(annotators)

    sets = _span_sets(inp, annotators, doc_ids, lengths, base, label_index)
    tick(0.05)

    # --- character units -------------------------------------------------------------------------
    masks = []
    for i, s in enumerate(sets):
        masks.append(label_masks(s.start, s.end, s.label, n_labels, n_chars))
        tick(0.05 + 0.25 * (i + 1) / max(n_raters, 1))
    full_text = "".join(t for _, t in docs)
    keep = non_whitespace(full_text) if exclude_whitespace else None
    pats = patterns(masks, n_labels, keep) if n_raters else Patterns(np.zeros((0, 0), np.int64),
                                                                        np.zeros(0), None)
    del masks
    n_units = int(pats.weights.sum())
    tick(0.45)

    overall: dict[str, float | None] = {}
    extra: dict[str, float | None] = {}
    per_label: dict[str, LabelResult] = {}
    if n_raters and pats.masks.shape[0]:
        counts, cats = category_counts(pats.masks)
    else:
        counts, cats = np.zeros((0, 0)), np.zeros(0, np.int64)
    overall["krippendorff_alpha"] = co.krippendorff_alpha(counts, pats.weights) if counts.size else None
    overall["fleiss_kappa"] = co.fleiss_kappa(counts, pats.weights) if counts.size else None
    overall["gwet_ac1"] = co.gwet_ac1(counts, pats.weights) if counts.size else None

    bits = [((pats.masks >> lab) & 1) for lab in range(n_labels)]
    label_counts = []
    for lab, key in enumerate(labels):
        on = bits[lab].sum(axis=1).astype(np.float64) if n_raters else np.zeros(0)
        c2 = np.stack((n_raters - on, on), axis=1)
        label_counts.append(c2)
        covered = int(pats.weights[on > 0].sum()) if on.size else 0
        per_label[key] = LabelResult(
            krippendorff_alpha=co.krippendorff_alpha(c2, pats.weights) if c2.size else None,
            cohen_kappa_mean=None, alpha_u=None, span_f1_exact=None, span_f1_overlap=None,
            fleiss_kappa=co.fleiss_kappa(c2, pats.weights) if c2.size else None,
            gwet_ac1=co.gwet_ac1(c2, pats.weights, n_categories=2) if c2.size else None,
            characters=covered)
    tick(0.5)

    # --- pairs: Cohen's kappa and span F1 ---------------------------------------------------------
    cat_index = np.searchsorted(cats, pats.masks) if cats.size else np.zeros_like(pats.masks)
    pairs: list[PairResult] = []
    conf_labels = labels + ["O"]
    confusion = np.zeros((n_labels + 1, n_labels + 1), dtype=np.int64)
    doc_f1_sum = np.zeros(len(doc_ids))
    doc_f1_n = np.zeros(len(doc_ids))
    pair_list = list(itertools.combinations(range(n_raters), 2))
    for k, (a, b) in enumerate(pair_list):
        table = np.zeros((cats.size, cats.size))
        np.add.at(table, (cat_index[:, a], cat_index[:, b]), pats.weights)
        kappa = co.cohen_kappa(table) if table.sum() > 0 else None
        sa, sb = sets[a], sets[b]
        ea, _ = sf.exact_matches(sa, sb, labelled=True)
        ua, _ = sf.exact_matches(sa, sb, labelled=False)
        oa, ob = sf.overlap_matches(sa, sb)
        n_a = np.bincount(sa.label, minlength=n_labels)
        n_b = np.bincount(sb.label, minlength=n_labels)
        tp_l = np.bincount(sa.label[ea], minlength=n_labels)
        otp_l = np.bincount(sa.label[oa], minlength=n_labels)
        pl: dict[str, dict[str, Any]] = {}
        for lab, key in enumerate(labels):
            t2 = np.zeros((2, 2))
            np.add.at(t2, (bits[lab][:, a], bits[lab][:, b]), pats.weights)
            pl[key] = {
                "cohen_kappa": co.cohen_kappa(t2) if t2.sum() > 0 else None,
                "span_f1_exact": sf.f1(int(tp_l[lab]), int(n_a[lab]), int(n_b[lab])),
                "span_f1_overlap": sf.f1(int(otp_l[lab]), int(n_a[lab]), int(n_b[lab])),
                "tp": int(tp_l[lab]), "fp": int(n_b[lab] - tp_l[lab]), "fn": int(n_a[lab] - tp_l[lab]),
            }
        pairs.append(PairResult(
            annotators=(annotators[a], annotators[b]), cohen_kappa=kappa,
            span_f1_exact=sf.f1(ea.size, sa.size, sb.size),
            span_f1_exact_unlabeled=sf.f1(ua.size, sa.size, sb.size),
            span_f1_overlap=sf.f1(oa.size, sa.size, sb.size),
            tp=int(ea.size), fp=int(sb.size - ea.size), fn=int(sa.size - ea.size), per_label=pl))
        # per-document overlap F1 for this pair
        nd = np.bincount(sa.doc, minlength=len(doc_ids)) + np.bincount(sb.doc, minlength=len(doc_ids))
        td = np.bincount(sa.doc[oa], minlength=len(doc_ids))
        has = nd > 0
        doc_f1_sum[has] += 2.0 * td[has] / nd[has]
        doc_f1_n[has] += 1
        _add_confusion(confusion, sa, sb, oa, ob, n_labels)
        tick(0.5 + 0.3 * (k + 1) / max(len(pair_list), 1))

    overall["alpha_u"] = None
    overall["span_f1_exact"] = _mean([p.span_f1_exact for p in pairs])
    overall["span_f1_overlap"] = _mean([p.span_f1_overlap for p in pairs])
    extra["cohen_kappa_mean"] = _mean([p.cohen_kappa for p in pairs])
    extra["span_f1_exact_unlabeled"] = _mean([p.span_f1_exact_unlabeled for p in pairs])
    for key in labels:
        lr = per_label[key]
        lr.cohen_kappa_mean = _mean([p.per_label[key]["cohen_kappa"] for p in pairs])
        lr.span_f1_exact = _mean([p.per_label[key]["span_f1_exact"] for p in pairs])
        lr.span_f1_overlap = _mean([p.per_label[key]["span_f1_overlap"] for p in pairs])

    # --- alpha_U ------------------------------------------------------------------------------------
    parts = []
    for lab, key in enumerate(labels):
        units = []
        for s in sets:
            sel = s.label == lab
            units.append(merge_overlaps(s.start[sel], s.end[sel]))
        p = au.category_parts(units, 0, n_chars)
        parts.append(p)
        per_label[key].alpha_u = p.alpha
    if n_raters >= 2 and n_chars > 0:
        overall["alpha_u"] = au.overall_alpha(parts)
    tick(0.85)

    # --- per document and disagreements ---------------------------------------------------------------
    per_document, runs, run_total = _per_document(pats, counts, cat_index, n_raters, doc_ids, lengths, base,
                                                  keep, doc_f1_sum, doc_f1_n)
    tick(0.95)

    def build(start: int, end: int, d: int) -> Disagreement:
        p = int(pats.codes[start]) if pats.codes is not None else 0
        lo, hi = int(base[d]), int(base[d + 1])
        return Disagreement(
            doc_id=doc_ids[d], start=start - lo, end=end - lo,
            labels={annotators[r]: _label_set_name(int(pats.masks[p, r]), labels) for r in range(n_raters)},
            quote=full_text[start:end],
            before=full_text[max(lo, start - CONTEXT_CHARS):start],
            after=full_text[end:min(hi, end + CONTEXT_CHARS)])

    starts, ends, rdocs = runs
    disagreements = [build(int(starts[i]), int(ends[i]), int(rdocs[i]))
                     for i in range(min(MAX_DISAGREEMENTS, starts.size))]
    ordered = {k: overall[k] for k in ("krippendorff_alpha", "fleiss_kappa", "gwet_ac1", "alpha_u",
                                       "span_f1_exact", "span_f1_overlap")}
    doc_fields = (st.field_agreement(annotators, doc_ids, inp.fields, inp.doc_fields) if inp.fields else None)
    relations = (st.relation_agreement(annotators, doc_ids, labels, inp.relation_types, inp.relations)
                 if inp.relation_types else None)
    attributes = (st.attribute_agreement(annotators, doc_ids, labels, inp.attribute_defs, inp.spans,
                                         inp.span_attributes)
                  if st.attribute_keys(labels, inp.attribute_defs) else None)
    tick(1.0)
    return AgreementReport(
        annotators=annotators, doc_ids=doc_ids, characters=n_units, labels=labels, overall=ordered,
        per_label=per_label, pairs=pairs, confusion_labels=conf_labels, confusion=confusion.tolist(),
        per_document=per_document, disagreements=disagreements, disagreements_total=run_total,
        exclude_whitespace=exclude_whitespace, overall_extra=extra, _runs=runs, _builder=build,
        doc_fields=doc_fields, relations=relations, attributes=attributes)


def _add_confusion(confusion: np.ndarray, sa: sf.SpanSet, sb: sf.SpanSet, oa: np.ndarray, ob: np.ndarray,
                   n_labels: int) -> None:
    """Label × label counts: same-label matches, then cross-label overlap matches, the rest vs O."""
    np.add.at(confusion, (sa.label[oa], sb.label[ob]), 1)
    free_a = np.ones(sa.size, bool)
    free_a[oa] = False
    free_b = np.ones(sb.size, bool)
    free_b[ob] = False
    ra, _ = sf.subset(sa, free_a)
    rb, _ = sf.subset(sb, free_b)
    xa, xb = sf.maximum_matching(*sf.overlap_edges(ra, rb, same_label=False))
    np.add.at(confusion, (ra.label[xa], rb.label[xb]), 1)
    left_a = np.ones(ra.size, bool)
    left_a[xa] = False
    left_b = np.ones(rb.size, bool)
    left_b[xb] = False
    np.add.at(confusion, (ra.label[left_a], np.full(int(left_a.sum()), n_labels)), 1)
    np.add.at(confusion, (np.full(int(left_b.sum()), n_labels), rb.label[left_b]), 1)


def _per_document(pats: Patterns, counts: np.ndarray, cat_index: np.ndarray, n_raters: int, doc_ids: list[str],
                  lengths: np.ndarray, base: np.ndarray, keep: np.ndarray | None, f1_sum: np.ndarray,
                  f1_n: np.ndarray) -> tuple[list[DocumentResult], tuple[np.ndarray, np.ndarray, np.ndarray], int]:
    """Per-document α and observed agreement, plus the disagreement runs.

    Works on runs of one pattern (far fewer than characters): each run adds its length times the
    pattern's per-unit terms to its document. α per document needs Σ_c n_c², from per-annotator
    (document, category) totals.
    """
    n_docs = len(doc_ids)
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64))
    if pats.codes is None or n_raters == 0 or counts.size == 0:
        chars = lengths if keep is None else np.zeros(n_docs, np.int64)
        return [DocumentResult(d, int(chars[i]), None, None, None, 0) for i, d in enumerate(doc_ids)], empty, 0
    codes = pats.codes
    agree_p = np.all(pats.masks == pats.masks[:, :1], axis=1)
    r_start, r_end, r_doc = _runs(codes, base)
    pat = codes[r_start]
    valid = pat >= 0
    r_start, r_end, r_doc, pat = r_start[valid], r_end[valid], r_doc[valid], pat[valid]
    length = (r_end - r_start).astype(np.float64)
    chars = np.bincount(r_doc, weights=length, minlength=n_docs)
    agree = np.bincount(r_doc, weights=length * agree_p[pat], minlength=n_docs)
    o_doc = nc2 = None
    if n_raters >= 2:
        o_p = (counts * (counts - 1.0)).sum(axis=1) / (n_raters - 1.0)
        o_doc = np.bincount(r_doc, weights=length * o_p[pat], minlength=n_docs)
        k = counts.shape[1]
        keys = np.concatenate([r_doc * k + cat_index[pat, r] for r in range(n_raters)])
        w = np.tile(length, n_raters)
        if n_docs * k <= 20_000_000:
            n_c = np.bincount(keys, weights=w, minlength=n_docs * k)
            nc2 = (n_c.reshape(n_docs, k) ** 2).sum(axis=1)
        else:  # many label combinations: sparse (document, category) sums
            uniq, inv = np.unique(keys, return_inverse=True)
            n_c = np.bincount(inv.reshape(-1), weights=w)
            nc2 = np.bincount(uniq // k, weights=n_c * n_c, minlength=n_docs)
    bad = ~agree_p[pat]
    runs = (r_start[bad], r_end[bad], r_doc[bad])
    run_count = np.bincount(runs[2], minlength=n_docs)
    results = []
    for i, doc_id in enumerate(doc_ids):
        ch = chars[i]
        alpha = None
        if o_doc is not None and nc2 is not None and ch > 0:
            tot = n_raters * ch
            de = tot * tot - nc2[i]
            if de > 1e-9:
                alpha = float(1.0 - (tot - 1.0) * (tot - o_doc[i]) / de)
        results.append(DocumentResult(
            doc_id=doc_id, characters=int(ch), krippendorff_alpha=alpha,
            observed_agreement=float(agree[i] / ch) if ch > 0 else None,
            span_f1_overlap=float(f1_sum[i] / f1_n[i]) if f1_n[i] > 0 else None,
            disagreements=int(run_count[i])))
    return results, runs, int(runs[0].size)


def _runs(codes: np.ndarray, base: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Maximal runs of one pattern code inside one document: (starts, ends, document index)."""
    n = codes.size
    if n == 0:
        z = np.zeros(0, np.int64)
        return z, z, z
    change = np.empty(n, dtype=bool)
    change[0] = True
    np.not_equal(codes[1:], codes[:-1], out=change[1:])
    change[base[:-1][base[:-1] < n]] = True
    starts = np.flatnonzero(change)
    ends = np.append(starts[1:], n)
    docs = np.searchsorted(base, starts, side="right") - 1
    return starts.astype(np.int64), ends.astype(np.int64), docs.astype(np.int64)
