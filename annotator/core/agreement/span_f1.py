"""Span-level agreement between two annotators: exact, exact-unlabeled and overlap matching.

Spans live on the global character axis (documents concatenated), so one vectorised pass handles a
whole corpus; the document of a span is only needed to attribute matches per document.

* exact: same start, end and label, matched as multisets (two identical spans in one layer can match
  two identical spans in the other, never one);
* exact-unlabeled: same start and end;
* overlap: same label and at least one shared character, one-to-one, *maximum* bipartite matching.
  Candidate edges are found with ``searchsorted``; the (usual) components made of one edge are matched
  directly and only the remaining tangles go through Hopcroft–Karp.

F1 = 2·tp / (|A| + |B|); with A as the reference, fn = |A| − tp and fp = |B| − tp.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SpanSet:
    """One annotator's spans as parallel arrays on the global axis."""

    start: np.ndarray
    end: np.ndarray
    label: np.ndarray
    doc: np.ndarray

    @property
    def size(self) -> int:
        return int(self.start.size)

    @classmethod
    def from_tuples(cls, spans: Sequence[tuple[int, int, int]], doc: int = 0) -> SpanSet:
        """Spans of one document given as (start, end, label index)."""
        arr = np.array(list(spans), dtype=np.int64).reshape(-1, 3)
        return cls(arr[:, 0], arr[:, 1], arr[:, 2], np.full(arr.shape[0], doc, dtype=np.int64))


def f1(tp: float, n_a: float, n_b: float) -> float | None:
    """2·tp / (|A| + |B|), undefined (None) when neither side has a span."""
    return None if n_a + n_b == 0 else 2.0 * tp / (n_a + n_b)


def _keys(s: SpanSet, labelled: bool) -> np.ndarray:
    """One sortable row per span: (start, end[, label])."""
    cols = [s.start, s.end] + ([s.label] if labelled else [])
    return np.stack(cols, axis=1) if s.size else np.zeros((0, len(cols)), dtype=np.int64)


def exact_matches(a: SpanSet, b: SpanSet, *, labelled: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Multiset matching on identical keys: returns (indices into A, indices into B) of matched spans."""
    ka, kb = _keys(a, labelled), _keys(b, labelled)
    if ka.shape[0] == 0 or kb.shape[0] == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    both = np.concatenate((ka, kb))
    side = np.concatenate((np.zeros(ka.shape[0], np.int64), np.ones(kb.shape[0], np.int64)))
    own = np.concatenate((np.arange(ka.shape[0]), np.arange(kb.shape[0])))
    order = np.lexsort(tuple(both[:, i] for i in range(both.shape[1] - 1, -1, -1)))
    # group identical keys, then within a group pair the k-th A with the k-th B
    sk = both[order]
    new = np.ones(order.size, dtype=bool)
    new[1:] = np.any(sk[1:] != sk[:-1], axis=1)
    group = np.cumsum(new) - 1
    # rank within (group, side)
    gs = group * 2 + side[order]
    order2 = np.argsort(gs, kind="stable")
    gs_sorted = gs[order2]
    first = np.ones(gs_sorted.size, dtype=bool)
    first[1:] = gs_sorted[1:] != gs_sorted[:-1]
    starts = np.flatnonzero(first)
    rank_sorted = np.arange(gs_sorted.size) - np.repeat(starts, np.diff(np.append(starts, gs_sorted.size)))
    rank = np.empty_like(rank_sorted)
    rank[order2] = rank_sorted
    key = (group * (order.size + 1) + rank)
    sides = side[order]
    idx = own[order]
    a_key, a_idx = key[sides == 0], idx[sides == 0]
    b_key, b_idx = key[sides == 1], idx[sides == 1]
    _, ia, ib = np.intersect1d(a_key, b_key, assume_unique=True, return_indices=True)
    return a_idx[ia], b_idx[ib]


def overlap_edges(a: SpanSet, b: SpanSet, *, same_label: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """All (i, j) with span i of A and span j of B sharing a character (and a label if asked).

    B is sorted by (label, start); a B span overlapping A-span [s, e) starts in (s − maxlen_B, e), so
    each A span scans one contiguous range, filtered by B's end.
    """
    if a.size == 0 or b.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    span = int(max(a.end.max(), b.end.max())) + 1
    b_lab = b.label if same_label else np.zeros(b.size, np.int64)
    a_lab = a.label if same_label else np.zeros(a.size, np.int64)
    order = np.lexsort((b.start, b_lab))
    bkey = b_lab[order] * span + b.start[order]
    maxlen = int((b.end - b.start).max())
    lo_pos = np.maximum(a.start - maxlen + 1, 0)
    lo = np.searchsorted(bkey, a_lab * span + lo_pos, side="left")
    hi = np.searchsorted(bkey, a_lab * span + a.end, side="left")
    cnt = np.maximum(hi - lo, 0)
    total = int(cnt.sum())
    ia = np.repeat(np.arange(a.size), cnt)
    first = np.cumsum(cnt) - cnt
    jb = order[lo[ia] + (np.arange(total) - first[ia])]
    ok = b.end[jb] > a.start[ia]
    return ia[ok], jb[ok]


def hopcroft_karp(edges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Maximum bipartite matching (Hopcroft–Karp) on an edge list of (left, right) ids."""
    adj: dict[int, list[int]] = {}
    for u, v in edges:
        adj.setdefault(u, []).append(v)
    match_l: dict[int, int] = {}
    match_r: dict[int, int] = {}
    for u, vs in adj.items():  # greedy start: most vertices are matched before the first phase
        for v in vs:
            if v not in match_r:
                match_l[u] = v
                match_r[v] = u
                break
    inf = float("inf")
    while True:
        dist: dict[int, float] = {}
        queue: deque[int] = deque()
        for u in adj:
            if u not in match_l:
                dist[u] = 0
                queue.append(u)
        found = False
        while queue:
            u = queue.popleft()
            for v in adj[u]:
                w = match_r.get(v)
                if w is None:
                    found = True
                elif w not in dist:
                    dist[w] = dist[u] + 1
                    queue.append(w)
        if not found:
            break
        # iterative DFS along the layers from every free left vertex
        for root in [u for u in adj if u not in match_l]:
            stack = [(root, iter(adj[root]))]
            path: list[tuple[int, int]] = []
            while stack:
                u, it = stack[-1]
                advanced = False
                for v in it:
                    w = match_r.get(v)
                    if w is None:
                        path.append((u, v))
                        for pu, pv in path:
                            match_l[pu] = pv
                            match_r[pv] = pu
                        stack.clear()
                        advanced = True
                        break
                    if dist.get(w, inf) == dist[u] + 1:
                        path.append((u, v))
                        stack.append((w, iter(adj[w])))
                        advanced = True
                        break
                if not advanced:
                    dist[u] = inf  # dead end: never revisit in this phase
                    stack.pop()
                    if path:
                        path.pop()
    return sorted(match_l.items())


def maximum_matching(ia: np.ndarray, ib: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Maximum one-to-one matching over the edges (ia[k], ib[k]).

    Edges whose two ends have degree one are their own component and always matched; the rest go
    through Hopcroft–Karp, which keeps Python work proportional to the genuinely tangled spans.
    """
    if ia.size == 0:
        return ia, ib
    deg_a = np.bincount(ia)
    deg_b = np.bincount(ib)
    simple = (deg_a[ia] == 1) & (deg_b[ib] == 1)
    ma, mb = [ia[simple]], [ib[simple]]
    rest = ~simple
    if rest.any():
        pairs = hopcroft_karp(list(zip(ia[rest].tolist(), ib[rest].tolist(), strict=True)))
        if pairs:
            arr = np.array(pairs, dtype=np.int64)
            ma.append(arr[:, 0])
            mb.append(arr[:, 1])
    return np.concatenate(ma), np.concatenate(mb)


def overlap_matches(a: SpanSet, b: SpanSet) -> tuple[np.ndarray, np.ndarray]:
    """Same-label overlap matching (maximum, one-to-one)."""
    return maximum_matching(*overlap_edges(a, b, same_label=True))


def subset(s: SpanSet, keep: np.ndarray) -> tuple[SpanSet, np.ndarray]:
    """The spans selected by a boolean mask, with their original indices."""
    idx = np.flatnonzero(keep)
    return SpanSet(s.start[idx], s.end[idx], s.label[idx], s.doc[idx]), idx
