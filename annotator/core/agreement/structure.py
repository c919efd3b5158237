"""Agreement on what a scheme says beyond span labels: document fields, relations, typed attributes.

Analysts judge a document's fields, link spans and fill typed attributes, each in their own layer, so a
team needs to know whether they agree on those too (docs/architecture.md §6). The character pipeline of
``report.py`` does not apply — a field has one value per document, a relation joins two spans — so the
figures are computed here, from plain values, with the coefficients of ``coefficients.py``:

* **document fields**: per field, the units are the documents in scope where *every* compared annotator
  gave a value (a value that no longer fits the field's kind counts as none), so α and every pair's κ
  see the same documents, and ``documents`` says how many. ``choice`` and ``bool``: nominal α and the
  mean of pairwise Cohen's κ; ``number``: interval α (κ is not defined on a scale, so None); each option
  of a ``multi`` field is a yes/no field of its own, ``KEY:OPTION``; ``text`` and ``date`` are not
  compared.
* **relations**: exact F1 per pair — two relations match when both endpoint spans match exactly (start,
  end, label) and the relation type is the same; matched as multisets. The endpoints of an undirected
  type are compared in either order. Relations touching a span whose label is not compared are left out,
  as such spans are. tp/fp/fn take the first annotator (alphabetical) as the reference.
* **typed attributes** (``LABEL:KEY``, only those the scheme defines): on span pairs that match exactly
  (same start, end and label), the share whose two values are equal, pooled over all pairs; a pair
  where only one span has a value is counted apart (``one_sided``), not as a disagreement.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from annotator.core.agreement import coefficients as co
from annotator.core.agreement.results import (
    AttributeResult,
    FieldResult,
    RelationPairResult,
    RelationsResult,
)
from annotator.core.agreement.span_f1 import f1
from annotator.core.errors import AnnotatorError
from annotator.core.scheme_parts import AttributeDef, FieldDef, RelationType
from annotator.core.typed_values import COMPARABLE_KINDS

SpanKey = tuple[int, int, str]
"""(start, end, label key) of a span, the identity exact matching uses."""
RelationItem = tuple[SpanKey, SpanKey, str]
"""(source span, target span, relation type key)."""
AttributedSpan = tuple[int, int, str, Mapping[str, Any]]
"""(start, end, label key, the span's attributes)."""

_MISSING = object()


def _mean(values: Sequence[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


def _checked(definition: FieldDef | AttributeDef, value: Any) -> Any:
    """The value in canonical shape, or ``_MISSING`` when absent or no longer of the definition's kind."""
    if value is None:
        return _MISSING
    try:
        return definition.check(value)
    except AnnotatorError:
        return _MISSING


def _nominal(units: list[tuple[Any, ...]], n_raters: int) -> tuple[float | None, float | None]:
    """Nominal α and mean pairwise κ of complete units (one value per rater each)."""
    if not units or n_raters < 2:
        return None, None
    rows = [list(column) for column in zip(*units, strict=True)]
    counts, _ = co.coders_to_counts(rows)
    alpha = co.krippendorff_alpha(counts) if counts.size else None
    kappas: list[float | None] = []
    for a, b in itertools.combinations(range(n_raters), 2):
        cats = sorted({*rows[a], *rows[b]}, key=lambda v: (str(type(v)), v))
        index = {v: i for i, v in enumerate(cats)}
        table = np.zeros((len(cats), len(cats)))
        for x, y in zip(rows[a], rows[b], strict=True):
            table[index[x], index[y]] += 1
        kappas.append(co.cohen_kappa(table))
    return alpha, _mean(kappas)


def _observed(units: list[tuple[Any, ...]]) -> float | None:
    return sum(1 for u in units if all(v == u[0] for v in u)) / len(units) if units else None


def field_agreement(annotators: Sequence[str], doc_ids: Sequence[str], fields: Sequence[FieldDef],
                    values: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> dict[str, FieldResult]:
    """Per comparable field (``KEY:OPTION`` per option of a multi): α, mean κ and the documents used.

    ``values`` is annotator → doc_id → field key → value.
    """
    n = len(annotators)
    out: dict[str, FieldResult] = {}
    for definition in fields:
        if definition.kind not in COMPARABLE_KINDS:
            continue
        units: list[tuple[Any, ...]] = []
        for doc in doc_ids:
            unit = tuple(_checked(definition, values.get(name, {}).get(doc, {}).get(definition.key))
                         for name in annotators)
            if unit and all(v is not _MISSING for v in unit):
                units.append(unit)
        if definition.kind == "number":
            rows = [[float(u[r]) for u in units] for r in range(n)]
            alpha = co.krippendorff_alpha_interval(rows) if units and n >= 2 else None
            out[definition.key] = FieldResult("number", alpha, None, len(units), _observed(units))
        elif definition.kind == "multi":
            for option in definition.options:
                binary = [tuple(option in v for v in u) for u in units]
                alpha, kappa = _nominal(binary, n)
                out[f"{definition.key}:{option}"] = FieldResult("multi", alpha, kappa, len(units), _observed(binary))
        else:
            alpha, kappa = _nominal(units, n)
            out[definition.key] = FieldResult(definition.kind, alpha, kappa, len(units), _observed(units))
    return out


def relation_agreement(annotators: Sequence[str], doc_ids: Sequence[str], labels: Sequence[str],
                       relation_types: Sequence[RelationType],
                       relations: Mapping[str, Mapping[str, Sequence[RelationItem]]]) -> RelationsResult:
    """Exact relation F1 per pair of annotators and the mean over pairs.

    ``relations`` is annotator → doc_id → (source span, target span, type key).
    """
    directed = {rt.key: rt.directed for rt in relation_types}
    compared = set(labels)
    bags: list[Counter[tuple[Any, ...]]] = []
    for name in annotators:
        bag: Counter[tuple[Any, ...]] = Counter()
        per_doc = relations.get(name, {})
        for doc in doc_ids:
            for source, target, key in per_doc.get(doc, ()):
                if key not in directed or source[2] not in compared or target[2] not in compared:
                    continue
                ends = (tuple(source), tuple(target))
                if not directed[key]:
                    ends = (min(ends), max(ends))
                bag[(doc, ends[0], ends[1], key)] += 1
        bags.append(bag)
    pairs = []
    for a, b in itertools.combinations(range(len(annotators)), 2):
        tp = sum((bags[a] & bags[b]).values())
        n_a, n_b = sum(bags[a].values()), sum(bags[b].values())
        pairs.append(RelationPairResult((annotators[a], annotators[b]), f1(tp, n_a, n_b), tp, n_b - tp, n_a - tp))
    return RelationsResult(_mean([p.f1 for p in pairs]), pairs)


def attribute_keys(labels: Sequence[str], attribute_defs: Mapping[str, Sequence[AttributeDef]]) -> list[str]:
    """``LABEL:KEY`` of every typed attribute of the compared labels, in scheme order."""
    return [f"{label}:{d.key}" for label in labels for d in attribute_defs.get(label, ())]


def attribute_agreement(annotators: Sequence[str], doc_ids: Sequence[str], labels: Sequence[str],
                        attribute_defs: Mapping[str, Sequence[AttributeDef]],
                        spans: Mapping[str, Mapping[str, Sequence[SpanKey]]],
                        attributes: Mapping[str, Mapping[str, Sequence[AttributedSpan]]]) -> dict[str, AttributeResult]:
    """Per ``LABEL:KEY``: the share of equal values on exactly matched spans, pooled over pairs.

    ``spans`` is annotator → doc_id → every span (start, end, label); ``attributes`` the same for the spans
    that carry attributes, with them (a span absent there has none). Labels without typed attributes and
    attribute keys the scheme does not define are ignored.
    """
    defs = {label: list(attribute_defs.get(label, ())) for label in labels if attribute_defs.get(label)}
    equal: Counter[str] = Counter()
    compared: Counter[str] = Counter()
    one_sided: Counter[str] = Counter()
    grouped = [_by_span(spans.get(name, {}), attributes.get(name, {}), doc_ids, defs) for name in annotators]
    for a, b in itertools.combinations(range(len(annotators)), 2):
        for (doc, start, end, label), mine in grouped[a].items():
            theirs = grouped[b].get((doc, start, end, label))
            if not theirs:
                continue
            for attrs_a, attrs_b in zip(mine, theirs, strict=False):  # multiset: min(len) matches
                for definition in defs[label]:
                    key = f"{label}:{definition.key}"
                    va = _checked(definition, attrs_a.get(definition.key))
                    vb = _checked(definition, attrs_b.get(definition.key))
                    if va is not _MISSING and vb is not _MISSING:
                        compared[key] += 1
                        equal[key] += va == vb
                    elif va is not _MISSING or vb is not _MISSING:
                        one_sided[key] += 1
    return {key: AttributeResult(equal[key] / compared[key] if compared[key] else None, compared[key],
                                 one_sided[key])
            for key in attribute_keys(labels, defs)}


def _by_span(spans: Mapping[str, Sequence[SpanKey]], attributes: Mapping[str, Sequence[AttributedSpan]],
             doc_ids: Sequence[str], defs: Mapping[str, Sequence[AttributeDef]]
             ) -> dict[tuple[str, int, int, str], list[Mapping[str, Any]]]:
    """(doc, start, end, label) → the attributes of each such span, in a stable order (for duplicates)."""
    out: dict[tuple[str, int, int, str], list[Mapping[str, Any]]] = {}
    for doc in doc_ids:
        carried: dict[SpanKey, list[Mapping[str, Any]]] = {}
        for start, end, label, attrs in attributes.get(doc, ()):
            if label in defs and attrs:
                carried.setdefault((start, end, label), []).append(attrs)
        for start, end, label in spans.get(doc, ()):
            if label in defs and end > start:
                group = out.setdefault((doc, start, end, label), [])
                given = carried.get((start, end, label))
                group.append(given.pop() if given else {})
    for group in out.values():
        if len(group) > 1:
            group.sort(key=lambda attrs: json.dumps(attrs, sort_keys=True, default=str))
    return out
