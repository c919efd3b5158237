"""The plain data of the evidence features: what to show (:class:`EvidenceFilter`), one concordance row
(:class:`EvidenceRow`) and one cited passage of a report (:class:`Passage`).

Kept in core so that the store (which answers a filter in SQL), the view and the report command share one
definition, and so the report renderers can be tested without a database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from annotator.core.errors import AnnotatorError

DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True, slots=True)
class EvidenceFilter:
    """Which spans are evidence. Every part is optional; empty tuples mean "any".

    ``annotators`` and ``gold`` choose layers (``gold=True`` alone: only the curated layer; neither: every
    layer). ``min_annotators`` keeps spans whose exact extent and label at least that many analysts (not
    gold) marked. ``since``/``until`` compare the first 10 characters of the document's ``published``
    (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; both inclusive); a document without a date is then left out.
    ``attributes`` are (key, value) pairs a span's attributes must all have; ``quote`` is text the quote
    contains (case-insensitive). ``doc_pks`` and ``span_ids`` narrow to one group (a document, a claim).
    """

    labels: tuple[str, ...] = ()
    annotators: tuple[str, ...] = ()
    gold: bool = False
    min_annotators: int = 1
    sources: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    attributes: tuple[tuple[str, str], ...] = ()
    quote: str = ""
    doc_pks: tuple[int, ...] = ()
    span_ids: tuple[int, ...] = ()


def check_date(value: str | None, option: str) -> str | None:
    """``value`` when it is a date the filter understands (``YYYY[-MM[-DD]]``), else one clear error."""
    if value is None or value == "":
        return None
    value = value.strip()
    if not DATE_RE.match(value):
        raise AnnotatorError(f"{option}: {value!r} is not a date (write YYYY, YYYY-MM or YYYY-MM-DD)")
    return value


def until_bound(value: str) -> str:
    """The upper bound for comparing 10-character dates: ``2024`` includes all of 2024, ``2024-05`` May."""
    return value + "\uffff"


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    """One concordance line of the evidence view."""

    span_id: int
    doc_pk: int
    doc_id: str
    title: str
    source: str
    published: str
    annotator: str
    label: str
    start: int
    end: int
    quote: str
    left: str
    right: str
    note: str
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Passage:
    """A cited passage of a report: one extent of one document with one label, and who marked it.

    ``quote`` is cut from the stored canonical text (``text[start:end]``), never taken from elsewhere.
    """

    doc_pk: int
    doc_id: str
    title: str
    source: str
    url: str
    published: str
    text_sha256: str
    label: str
    start: int
    end: int
    quote: str
    annotators: tuple[str, ...]
    span_ids: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def date(self) -> str:
        return self.published[:10]


def merge_passages(passages: list[Passage]) -> list[Passage]:
    """One passage per (document, start, end, label): who marked it, notes and span ids joined, sorted."""
    merged: dict[tuple[int, int, int, str], list[Passage]] = {}
    for p in passages:
        merged.setdefault((p.doc_pk, p.start, p.end, p.label), []).append(p)
    out = []
    for key in sorted(merged):
        group = merged[key]
        first = group[0]
        names = tuple(sorted({n for p in group for n in p.annotators}))
        ids = tuple(sorted({i for p in group for i in p.span_ids}))
        notes = tuple(sorted({n for p in group for n in p.notes if n}))
        out.append(Passage(first.doc_pk, first.doc_id, first.title, first.source, first.url, first.published,
                           first.text_sha256, first.label, first.start, first.end, first.quote, names, ids, notes))
    return out
