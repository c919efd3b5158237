"""Planning who annotates which document: one analyst each, a planned share of documents to several.

Agreement is only as good as the overlap it is computed on, so the overlap is planned rather than left to
chance: every document goes to one analyst, ``round(overlap × n)`` of them (rounded half up) to
``per_document`` analysts, and the load is balanced so that, starting from the same load, the analysts'
counts differ by at most one. The plan is a pure function of its inputs and the seed, so a lead can
preview it and a test can check it; the store (``store/assignments.py``) applies it in one transaction.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence

from annotator.core.errors import AnnotatorError


def overlap_count(overlap: float, documents: int) -> int:
    """How many of ``documents`` go to several analysts: ``overlap × documents`` rounded half up."""
    return int(math.floor(overlap * documents + 0.5))


def check_plan_options(annotators: Sequence[str], overlap: float, per_document: int) -> None:
    """One clear sentence for options no plan can satisfy."""
    if not annotators:
        raise AnnotatorError("name at least one analyst to assign documents to")
    if len(set(annotators)) != len(annotators):
        raise AnnotatorError("each analyst may be named only once")
    if not (0.0 <= overlap <= 1.0) or math.isnan(overlap):
        raise AnnotatorError(f"the overlap must be a fraction between 0 and 1, not {overlap}")
    if per_document < 1:
        raise AnnotatorError(f"documents per analyst group must be at least 1, not {per_document}")
    if overlap > 0 and per_document > len(annotators):
        raise AnnotatorError(f"{per_document} analysts per overlap document needs at least {per_document} "
                             f"analysts, but only {len(annotators)} were named")


def plan_assignments(documents: Sequence[str], annotators: Sequence[str], *, overlap: float = 0.0,
                     per_document: int = 2, seed: int = 0,
                     load: Mapping[str, int] | None = None) -> dict[str, tuple[str, ...]]:
    """Each document's analysts (in the analysts' given order), deterministic for ``seed``.

    ``documents`` are the ids to plan (their order does not matter: they are sorted before the seeded
    shuffle picks the overlap documents); ``load`` is what each analyst already has, so a later run tops up
    the least loaded first. Every pick takes the least-loaded analysts, ties broken by a seeded order.
    """
    check_plan_options(annotators, overlap, per_document)
    rng = random.Random(seed)
    ordered = sorted(set(documents))
    rng.shuffle(ordered)
    shared = overlap_count(overlap, len(ordered))
    tie_order = list(annotators)
    rng.shuffle(tie_order)
    rank = {name: i for i, name in enumerate(tie_order)}
    counts = {name: (load or {}).get(name, 0) for name in annotators}
    position = {name: i for i, name in enumerate(annotators)}
    plan: dict[str, tuple[str, ...]] = {}
    for index, doc in enumerate(ordered):
        k = per_document if index < shared else 1
        chosen = sorted(annotators, key=lambda name: (counts[name], rank[name]))[:k]
        for name in chosen:
            counts[name] += 1
        plan[doc] = tuple(sorted(chosen, key=position.__getitem__))
    return dict(sorted(plan.items()))
