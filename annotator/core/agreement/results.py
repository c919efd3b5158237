"""The agreement report as data: per pair, per label, per document, the disagreements, and their JSON.

Kept apart from the computation (``report.py``) because everything that only shows or serialises a
report — the command line's ``--json``, the text and HTML renderings, the agreement view — needs these
plain dataclasses and never the numpy pipeline that fills them. ``to_json`` gives the object of
docs/architecture.md §6; a figure that is undefined (no data, zero expected disagreement) is ``None``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class PairResult:
    """Agreement of two annotators (first = reference for fp/fn)."""

    annotators: tuple[str, str]
    cohen_kappa: float | None
    span_f1_exact: float | None
    span_f1_exact_unlabeled: float | None
    span_f1_overlap: float | None
    tp: int
    fp: int
    fn: int
    per_label: dict[str, dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return {
            "annotators": list(self.annotators),
            "cohen_kappa": self.cohen_kappa,
            "span_f1_exact": self.span_f1_exact,
            "span_f1_exact_unlabeled": self.span_f1_exact_unlabeled,
            "span_f1_overlap": self.span_f1_overlap,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "per_label": self.per_label,
        }


@dataclass
class LabelResult:
    """Per-label figures; the JSON carries the contract's five, the renderers show all."""

    krippendorff_alpha: float | None
    cohen_kappa_mean: float | None
    alpha_u: float | None
    span_f1_exact: float | None
    span_f1_overlap: float | None
    fleiss_kappa: float | None = None
    gwet_ac1: float | None = None
    characters: int = 0
    """Characters covered by this label for at least one annotator."""

    def to_json(self) -> dict[str, Any]:
        return {
            "krippendorff_alpha": self.krippendorff_alpha,
            "cohen_kappa_mean": self.cohen_kappa_mean,
            "alpha_u": self.alpha_u,
            "span_f1_exact": self.span_f1_exact,
            "span_f1_overlap": self.span_f1_overlap,
        }


@dataclass
class DocumentResult:
    """Agreement on one document, for sorting worst-first."""

    doc_id: str
    characters: int
    krippendorff_alpha: float | None
    observed_agreement: float | None
    """Share of characters on which all annotators chose the same label set."""
    span_f1_overlap: float | None
    disagreements: int

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "characters": self.characters,
            "krippendorff_alpha": self.krippendorff_alpha,
            "observed_agreement": self.observed_agreement,
            "span_f1_overlap": self.span_f1_overlap,
            "disagreements": self.disagreements,
        }


@dataclass
class Disagreement:
    """A maximal run of characters where the annotators' label sets differ (and stay the same)."""

    doc_id: str
    start: int
    end: int
    labels: dict[str, str | None]
    """Annotator -> its label there ("a+b" for a combination), None when it marked nothing."""
    quote: str
    before: str
    after: str

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "start": self.start,
            "end": self.end,
            "labels": self.labels,
            "quote": self.quote,
            "before": self.before,
            "after": self.after,
        }


@dataclass
class FieldResult:
    """Agreement on one document field (or one option ``KEY:OPTION`` of a ``multi`` field)."""

    kind: str
    """``choice``/``bool`` (nominal), ``number`` (interval α, no κ), ``multi`` (this option, yes or no)."""
    krippendorff_alpha: float | None
    cohen_kappa_mean: float | None
    documents: int
    """Documents in scope where every compared annotator gave the field a value."""
    observed_agreement: float | None = None
    """Share of those documents where all values are equal (shown, not in the JSON contract)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "krippendorff_alpha": self.krippendorff_alpha,
            "cohen_kappa_mean": self.cohen_kappa_mean,
            "documents": self.documents,
        }


@dataclass
class RelationPairResult:
    """Exact relation matches of two annotators (the first is the reference for fp/fn)."""

    annotators: tuple[str, str]
    f1: float | None
    tp: int
    fp: int
    fn: int

    def to_json(self) -> dict[str, Any]:
        return {"annotators": list(self.annotators), "f1": self.f1, "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class RelationsResult:
    """Relation agreement: exact F1 per pair and their mean."""

    span_f1_exact: float | None
    pairs: list[RelationPairResult]

    def to_json(self) -> dict[str, Any]:
        return {"span_f1_exact": self.span_f1_exact, "pairs": [p.to_json() for p in self.pairs]}


@dataclass
class AttributeResult:
    """One typed attribute (``LABEL:KEY``) on exactly matched spans, pooled over pairs."""

    agreement: float | None
    """Share of compared span pairs whose two values are equal; None when none was compared."""
    compared: int
    """Matched span pairs where both spans carry a value."""
    one_sided: int
    """Matched span pairs where only one of the two carries a value (not in ``agreement``)."""

    def to_json(self) -> dict[str, Any]:
        return {"agreement": self.agreement, "compared": self.compared, "one_sided": self.one_sided}


@dataclass
class AgreementReport:
    """Everything the CLI, the agreement view and the HTML report show."""

    annotators: list[str]
    doc_ids: list[str]
    characters: int
    labels: list[str]
    overall: dict[str, float | None]
    per_label: dict[str, LabelResult]
    pairs: list[PairResult]
    confusion_labels: list[str]
    confusion: list[list[int]]
    per_document: list[DocumentResult]
    disagreements: list[Disagreement]
    disagreements_total: int
    exclude_whitespace: bool = False
    overall_extra: dict[str, float | None] = field(default_factory=dict)
    """Figures beyond the contract's ``overall`` (cohen_kappa_mean, exact-unlabeled F1, …)."""
    doc_fields: dict[str, FieldResult] | None = None
    """Per document field (``KEY:OPTION`` for a multi option); None when the scheme has no fields."""
    relations: RelationsResult | None = None
    """None when the scheme has no relation types."""
    attributes: dict[str, AttributeResult] | None = None
    """Per ``LABEL:KEY`` typed attribute; None when no compared label defines attributes."""
    _runs: tuple[np.ndarray, np.ndarray, np.ndarray] | None = field(default=None, repr=False, compare=False)
    _builder: Callable[[int, int, int], Disagreement] | None = field(default=None, repr=False, compare=False)

    @property
    def documents(self) -> int:
        return len(self.doc_ids)

    def to_json(self) -> dict[str, Any]:
        """The object of docs/architecture.md §6 plus ``per_document``, ``disagreements``; undefined = null.

        ``doc_fields``, ``relations`` and ``attributes`` appear only when the scheme has fields, relation
        types or typed attributes, so the output for a labels-only scheme is what it always was.
        """
        payload: dict[str, Any] = {
            "annotators": list(self.annotators),
            "documents": self.documents,
            "characters": self.characters,
            "labels": list(self.labels),
            "overall": dict(self.overall),
            "per_label": {k: v.to_json() for k, v in self.per_label.items()},
            "pairs": [p.to_json() for p in self.pairs],
            "confusion": {"labels": list(self.confusion_labels), "matrix": [list(r) for r in self.confusion]},
        }
        if self.doc_fields is not None:
            payload["doc_fields"] = {k: v.to_json() for k, v in self.doc_fields.items()}
        if self.relations is not None:
            payload["relations"] = self.relations.to_json()
        if self.attributes is not None:
            payload["attributes"] = {k: v.to_json() for k, v in self.attributes.items()}
        payload["per_document"] = [d.to_json() for d in self.per_document]
        payload["disagreements"] = [d.to_json() for d in self.disagreements]
        return payload

    def disagreements_in(self, doc_id: str) -> list[Disagreement]:
        """Every disagreement of one document (not capped like :attr:`disagreements`)."""
        if self._runs is None or self._builder is None or doc_id not in self.doc_ids:
            return []
        d = self.doc_ids.index(doc_id)
        starts, ends, docs = self._runs
        sel = np.flatnonzero(docs == d)
        return [self._builder(int(starts[i]), int(ends[i]), d) for i in sel]
