"""Character units: paint span coverage over a corpus and summarise it as rating patterns.

The report treats every code point of every document in scope as one unit. Instead of one Python
object per character, the whole corpus is laid out on one global axis (documents concatenated in
ascending ``doc_id``), each annotator's coverage of each label is painted with a difference array and
``np.cumsum``, and the labels covering a character are packed into a bitmask. The R annotators' masks
are packed again into one integer *pattern code* per character, and a ``bincount`` of those codes is
all the coefficients need: a few hundred distinct patterns with their frequencies instead of millions
of characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

MAX_LABELS = 62
"""Label masks are int64 bit sets."""


def merge_overlaps(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted, disjoint intervals: overlapping ones merged, merely touching ones kept apart.

    Touching units stay separate because α_U (like DKPro) sees two adjacent units as two units.
    """
    starts = np.asarray(starts, dtype=np.int64)
    ends = np.asarray(ends, dtype=np.int64)
    if starts.size == 0:
        return starts.copy(), ends.copy()
    order = np.lexsort((ends, starts))
    s, e = starts[order], ends[order]
    run_max = np.maximum.accumulate(e)
    new = np.ones(s.size, dtype=bool)
    new[1:] = s[1:] >= run_max[:-1]
    first = np.flatnonzero(new)
    return s[first], np.maximum.reduceat(e, first)


@lru_cache(maxsize=1)
def _whitespace_table() -> np.ndarray:
    """Lookup table of ``str.isspace`` for code points up to the last whitespace character."""
    top = 0x3001
    return np.array([chr(c).isspace() for c in range(top)], dtype=bool)


def non_whitespace(text: str) -> np.ndarray:
    """Boolean per code point: True where the character is not whitespace (``str.isspace``)."""
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    table = _whitespace_table()
    small = cps < table.size
    ws = np.zeros(cps.size, dtype=bool)
    ws[small] = table[cps[small]]
    return ~ws


def mask_dtype(n_labels: int) -> type[np.signedinteger[Any]]:
    """Smallest signed integer type whose non-negative range holds one bit per label.

    Signed, because the painting cumsum runs over +bit/−bit differences.
    """
    if n_labels > MAX_LABELS:
        raise ValueError(f"at most {MAX_LABELS} labels can be compared at once")
    for dt, bits in ((np.int8, 7), (np.int16, 15), (np.int32, 31)):
        if n_labels <= bits:
            return dt
    return np.int64


def label_masks(starts: np.ndarray, ends: np.ndarray, labels: np.ndarray, n_labels: int, n: int
                ) -> np.ndarray:
    """Per character, the bit set of labels that cover it (one annotator), in one cumsum.

    After merging overlaps within each label, a label's coverage is 0 or 1 everywhere, so adding
    +2^label at each start and −2^label at each end and taking one running sum yields the bit set
    directly, with no per-label pass over the characters.
    """
    dt = mask_dtype(n_labels)
    diff = np.zeros(n + 1, dtype=dt)
    for lab in range(n_labels):
        sel = labels == lab
        if not sel.any():
            continue
        ms, me = merge_overlaps(starts[sel], ends[sel])
        bit = dt(1) << dt(lab)
        np.add.at(diff, ms, bit)
        np.subtract.at(diff, me, bit)
    return np.cumsum(diff[:n], dtype=dt)


@dataclass(frozen=True)
class Patterns:
    """Distinct rating patterns over the character units with their frequencies.

    ``masks[p, r]`` is annotator r's label bit set in pattern p; ``weights[p]`` is how many characters
    show that pattern. ``codes`` (optional) maps each kept character to its pattern index, used for the
    per-document figures and the disagreement list.
    """

    masks: np.ndarray
    weights: np.ndarray
    codes: np.ndarray | None


def patterns(masks: list[np.ndarray], n_labels: int, keep: np.ndarray | None = None) -> Patterns:
    """Histogram of the annotators' joint label masks per character.

    Uses an integer code + ``bincount`` when the R masks fit in 24 bits (the usual 5 labels × 3
    annotators is 15 bits), otherwise ``np.unique`` over rows.
    """
    n_raters = len(masks)
    n = masks[0].size if masks else 0
    if keep is None:
        keep = np.ones(n, dtype=bool)
    bits = max(n_labels, 1) * n_raters
    if bits <= 24:
        code = np.zeros(n, dtype=np.int32)
        for r, m in enumerate(masks):
            code |= m.astype(np.int32) << np.int32(n_labels * r)
        kept = code[keep] if not keep.all() else code
        hist = np.bincount(kept, minlength=1)
        present = np.flatnonzero(hist)
        lut = np.full(hist.size, -1, dtype=np.int32)
        lut[present] = np.arange(present.size)
        pm = np.zeros((present.size, n_raters), dtype=np.int64)
        label_bits = (1 << n_labels) - 1
        for r in range(n_raters):
            pm[:, r] = (present >> (n_labels * r)) & label_bits
        if kept is code:
            idx = lut[code]
        else:
            idx = np.full(n, -1, dtype=np.int32)
            idx[keep] = lut[kept]
        return Patterns(pm, hist[present].astype(np.float64), idx)
    stacked = np.stack([m.astype(np.int64) for m in masks], axis=1) if masks else np.zeros((n, 0), np.int64)
    uniq, inverse, counts = np.unique(stacked[keep], axis=0, return_inverse=True, return_counts=True)
    idx = np.full(n, -1, dtype=np.int32)
    idx[keep] = inverse.reshape(-1)
    return Patterns(uniq, counts.astype(np.float64), idx)


def category_counts(pattern_values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Count matrix (patterns × categories) from per-pattern per-rater category values.

    Returns (counts, categories) where categories are the distinct values, sorted.
    """
    cats, inv = np.unique(pattern_values, return_inverse=True)
    inv = inv.reshape(pattern_values.shape)
    counts = np.zeros((pattern_values.shape[0], cats.size))
    for r in range(pattern_values.shape[1]):
        np.add.at(counts, (np.arange(pattern_values.shape[0]), inv[:, r]), 1.0)
    return counts, cats
