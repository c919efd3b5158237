"""Which analysts' relations a curator may take into gold: those whose two spans are already in gold.

Why a rule of its own: gold relations link gold spans, so a relation an analyst drew can be offered only
once both of its spans exist in gold exactly (same start, end and label — the match agreement uses for
relations, docs/architecture.md §6); it is then offered once, with every analyst who drew it, unless gold
already holds it. Pure data in and out, so the curation window, a report or a script count the same offers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from annotator.core.curation import Span

LayerRelations = tuple[Mapping[int, Span], Iterable[tuple[int, int, str]]]
"""One layer: span id → (start, end, label), and its relations as (source id, target id, type key)."""


@dataclass(frozen=True, slots=True)
class RelationOffer:
    """A relation between two gold spans that analysts drew and gold does not hold yet."""

    source: Span
    target: Span
    label: str
    annotators: tuple[str, ...]


def relation_offers(versions: Mapping[str, LayerRelations], gold: LayerRelations) -> list[RelationOffer]:
    """The analysts' relations whose both spans are in gold and that gold lacks, in text order."""
    gold_spans, gold_relations = gold
    in_gold = set(gold_spans.values())
    held = {(gold_spans[s], gold_spans[t], key) for s, t, key in gold_relations if s in gold_spans and t in gold_spans}
    who: dict[tuple[Span, Span, str], set[str]] = {}
    for name, (spans, relations) in versions.items():
        for source_id, target_id, key in relations:
            source, target = spans.get(source_id), spans.get(target_id)
            if source is None or target is None or source not in in_gold or target not in in_gold:
                continue
            if (source, target, key) not in held:
                who.setdefault((source, target, key), set()).add(name)
    return [RelationOffer(source, target, key, tuple(sorted(names)))
            for (source, target, key), names in sorted(who.items())]


def gold_span_id(gold_spans: Mapping[int, Span], span: Span) -> int | None:
    """The id of a gold span with exactly these offsets and label (the lowest, should there be two)."""
    return min((sid for sid, value in gold_spans.items() if value == span), default=None)
