"""Each analyst's span agreement with the others over time, on the documents they share.

Why a module of its own: the team dashboard asks "is this analyst drifting away from the others?", which
the agreement report (one figure over one scope) does not answer. The matching itself is the report's:
``span_f1.exact_matches`` and ``span_f1.overlap_matches`` (docs/architecture.md §6), run once per pair of
analysts over all the documents both finished, on the global character axis, so a whole corpus is a
handful of vectorised passes.

For analyst A, a document counts in the period (ISO week) in which A's layer was marked done; the true
positives and span counts against every partner on that document are pooled, and F1 = 2·tp / (|A| + |B|)
per period, exact (start, end, label) and overlap (same label, one shared character, one-to-one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from annotator.core.agreement.span_f1 import SpanSet, exact_matches, f1, overlap_matches


@dataclass(frozen=True)
class SharedSpans:
    """Spans of done layers on documents at least two analysts finished, as parallel integer arrays.

    ``doc`` is a dense document index (0..n_docs-1), ``analyst`` an index into the caller's name list;
    ``period[analyst, doc]`` is the index of the period (in the caller's sorted period list) in which that
    analyst's layer of the document was marked done, -1 when they have no done layer there.
    """

    doc: np.ndarray
    analyst: np.ndarray
    start: np.ndarray
    end: np.ndarray
    label: np.ndarray
    period: np.ndarray


@dataclass(frozen=True)
class PeriodAgreement:
    """Pooled counts for one analyst in one period; the F1 values follow from them."""

    documents: int
    tp_exact: int
    tp_overlap: int
    own: int
    others: int

    @property
    def exact(self) -> float | None:
        return f1(self.tp_exact, self.own, self.others)

    @property
    def overlap(self) -> float | None:
        return f1(self.tp_overlap, self.own, self.others)


def agreement_over_time(data: SharedSpans, n_analysts: int, n_periods: int) -> list[dict[int, PeriodAgreement]]:
    """Per analyst index: period index → pooled agreement with every other analyst on shared documents."""
    n_docs = data.period.shape[1] if data.period.ndim == 2 else 0
    tp_e = np.zeros((n_analysts, n_periods), np.int64)
    tp_o = np.zeros_like(tp_e)
    own = np.zeros_like(tp_e)
    others = np.zeros_like(tp_e)
    stride = int(data.end.max()) + 1 if data.end.size else 1
    for i in range(n_analysts):
        for j in range(i + 1, n_analysts):
            shared = (data.period[i] >= 0) & (data.period[j] >= 0)
            if not shared.any():
                continue
            a = _spans_of(data, i, shared, stride)
            b = _spans_of(data, j, shared, stride)
            ea, _eb = exact_matches(a, b)
            oa, _ob = overlap_matches(a, b)
            per_doc = {
                "exact": np.bincount(a.doc[ea], minlength=n_docs),
                "overlap": np.bincount(a.doc[oa], minlength=n_docs),
                i: np.bincount(a.doc, minlength=n_docs),
                j: np.bincount(b.doc, minlength=n_docs),
            }
            where = np.flatnonzero(shared)
            for me, partner in ((i, j), (j, i)):
                periods = data.period[me, where]
                np.add.at(tp_e[me], periods, per_doc["exact"][where])
                np.add.at(tp_o[me], periods, per_doc["overlap"][where])
                np.add.at(own[me], periods, per_doc[me][where])
                np.add.at(others[me], periods, per_doc[partner][where])
    result: list[dict[int, PeriodAgreement]] = []
    finished = data.period >= 0
    shared_by_two = finished.sum(axis=0) >= 2 if n_docs else np.zeros(0, bool)
    for me in range(n_analysts):
        counted = np.bincount(data.period[me, finished[me] & shared_by_two], minlength=n_periods)
        result.append({int(p): PeriodAgreement(int(counted[p]), int(tp_e[me, p]), int(tp_o[me, p]),
                                               int(own[me, p]), int(others[me, p]))
                       for p in np.flatnonzero(counted)})
    return result


def _spans_of(data: SharedSpans, analyst: int, shared: np.ndarray, stride: int) -> SpanSet:
    """One analyst's spans on the shared documents, placed on the global axis (document × stride)."""
    keep = (data.analyst == analyst) & shared[data.doc]
    doc = data.doc[keep]
    offset = doc.astype(np.int64) * stride
    return SpanSet(data.start[keep] + offset, data.end[keep] + offset, data.label[keep], doc)


def shared_spans(rows: Sequence[tuple[int, int, int, int, int]] | np.ndarray,
                 layers: Sequence[tuple[int, int, int]] | np.ndarray, n_analysts: int) -> SharedSpans:
    """Build :class:`SharedSpans` from (doc, analyst, start, end, label) rows and (doc, analyst, period) layers.

    ``doc`` values may be any integers (database keys); they are renumbered densely here.
    """
    layer_arr = np.asarray(layers, dtype=np.int64).reshape(-1, 3)
    keys, dense = np.unique(layer_arr[:, 0], return_inverse=True)
    period = np.full((n_analysts, keys.size), -1, np.int64)
    period[layer_arr[:, 1], dense] = layer_arr[:, 2]
    arr = np.asarray(rows, dtype=np.int64).reshape(-1, 5)
    doc = np.searchsorted(keys, arr[:, 0]) if keys.size else np.zeros(0, np.int64)
    known = (doc < keys.size) & (keys[np.minimum(doc, max(keys.size - 1, 0))] == arr[:, 0]) if keys.size else doc >= 0
    arr, doc = arr[known], doc[known]
    return SharedSpans(doc, arr[:, 1], arr[:, 2], arr[:, 3], arr[:, 4], period)
