"""Honest quality: per-label overlap precision, recall and F1 on held-out documents, and a learning curve.

Why overlap: an analyst who accepts "worked 16 hours" where the reference says "worked 16 hours a day"
has been helped, and the agreement view counts spans the same way (docs/architecture.md §6: same label,
at least one shared character, one-to-one maximum matching). Exact figures are given beside it.

The learning curve trains on the first 10, 25, 50, 100, 400… training documents (the seeded order of
:func:`.tagger.split_documents`) and scores each on the same held-out documents, so an analyst sees
whether more labelling still helps.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from annotator.core.agreement.span_f1 import hopcroft_karp

CURVE_SIZES = (10, 25, 50, 100, 400)
Spans = list[tuple[int, int, str]]


@dataclass(frozen=True, slots=True)
class LabelScore:
    """One label's figures: true positives, predicted, reference, and precision / recall / F1 (None: 0/0)."""

    tp: int
    predicted: int
    reference: int
    exact_tp: int

    @property
    def precision(self) -> float | None:
        return self.tp / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.reference if self.reference else None

    @property
    def f1(self) -> float | None:
        total = self.predicted + self.reference
        return 2 * self.tp / total if total else None

    def as_dict(self) -> dict[str, Any]:
        def r(v: float | None) -> float | None:
            return None if v is None else round(v, 4)

        return {"precision": r(self.precision), "recall": r(self.recall), "f1": r(self.f1), "tp": self.tp,
                "predicted": self.predicted, "reference": self.reference,
                "exact_f1": r(2 * self.exact_tp / (self.predicted + self.reference))
                if self.predicted + self.reference else None}


def overlap_tp(reference: Spans, predicted: Spans) -> int:
    """One-to-one maximum matching of same-label spans sharing at least one character."""
    edges: list[tuple[int, int]] = []
    for i, (rs, re_, rl) in enumerate(reference):
        for j, (ps, pe, pl) in enumerate(predicted):
            if rl == pl and ps < re_ and rs < pe:
                edges.append((i, j))
    return len(hopcroft_karp(edges)) if edges else 0


def score(pairs: Iterable[tuple[Spans, Spans]], labels: list[str]) -> dict[str, LabelScore]:
    """Per label (and ``"*"`` for all of them) over (reference, predicted) pairs, one pair per document."""
    acc = {label: [0, 0, 0, 0] for label in [*labels, "*"]}
    for reference, predicted in pairs:
        for label in labels:
            ref = [s for s in reference if s[2] == label]
            pred = [s for s in predicted if s[2] == label]
            tp = overlap_tp(ref, pred)
            exact = len({(s, e) for s, e, _l in ref} & {(s, e) for s, e, _l in pred})
            for key in (label, "*"):
                a = acc[key]
                a[0] += tp
                a[1] += len(pred)
                a[2] += len(ref)
                a[3] += exact
    return {k: LabelScore(*v) for k, v in acc.items()}


def scores_dict(scores: dict[str, LabelScore]) -> dict[str, dict[str, Any]]:
    return {k: v.as_dict() for k, v in scores.items()}


def curve_sizes(n_train: int, sizes: Iterable[int] = CURVE_SIZES) -> list[int]:
    """The curve's points below ``n_train``, and ``n_train`` itself (the model actually stored)."""
    points = [n for n in sizes if n < n_train]
    return [*points, n_train] if n_train else points
