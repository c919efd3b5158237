"""What a cited evidence report contains, independent of its format: the claims to cite, the charts,
the summary table and the words describing the selection.

``annotator report`` and File → Export report… build one :class:`ReportInput` (``store/evidence.py`` reads
the passages, :func:`~annotator.core.evidence.corroboration.claims` groups them) and hand it to
:func:`render`, which picks HTML or Markdown by the file's extension. Nothing here reads a clock or the
environment, so the same data always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from annotator.core.errors import AnnotatorError
from annotator.core.evidence.corroboration import DEFAULT_THRESHOLD, Claim
from annotator.core.evidence.model import EvidenceFilter

FORMATS = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown"}


@dataclass(frozen=True, slots=True)
class SummaryRow:
    label: str
    name: str
    passages: int
    claims: int
    corroborated: int
    documents: int


@dataclass(frozen=True, slots=True)
class ReportInput:
    """Everything a report shows. ``labels`` is (key, name, colour) in scheme order."""

    claims: Sequence[Claim]
    labels: Sequence[tuple[str, str, str]]
    charts: Sequence[tuple[str, str]] = ()
    selection: Sequence[str] = ()
    """Lines describing the filter ("labels: surveillance", "since 2024-01-01")."""
    threshold: float = DEFAULT_THRESHOLD
    min_sources: int = 1
    left_out: int = 0
    """Claims not shown because fewer than ``min_sources`` sources reported them."""
    title: str = "Evidence report"
    extra: dict[str, str] = field(default_factory=dict)

    def label_name(self, key: str) -> str:
        for k, name, _c in self.labels:
            if k == key:
                return name
        return key

    def label_order(self) -> list[str]:
        """Label keys with claims, in scheme order (labels unknown to the scheme last, by key)."""
        present = {c.label for c in self.claims}
        known = [k for k, _n, _c in self.labels if k in present]
        return known + sorted(present - set(known))

    def summary(self) -> list[SummaryRow]:
        rows = []
        for key in self.label_order():
            mine = [c for c in self.claims if c.label == key]
            rows.append(SummaryRow(key, self.label_name(key), sum(len(c.passages) for c in mine), len(mine),
                                   sum(1 for c in mine if c.corroborated),
                                   len({p.doc_pk for c in mine for p in c.passages})))
        return rows


def describe_filter(flt: EvidenceFilter, label_names: dict[str, str] | None = None) -> list[str]:
    """The selection in words, one line per part (an empty filter: "every span of every layer")."""
    names = label_names or {}
    lines = []
    if flt.labels:
        lines.append("labels: " + ", ".join(names.get(k, k) for k in flt.labels))
    if flt.annotators and flt.gold:
        lines.append("layers: " + ", ".join(flt.annotators) + " and gold")
    elif flt.annotators:
        lines.append("layers: " + ", ".join(flt.annotators))
    elif flt.gold:
        lines.append("layers: gold (curated)")
    else:
        lines.append("layers: every annotator's and gold")
    if flt.min_annotators > 1:
        lines.append(f"marked by at least {flt.min_annotators} annotators")
    if flt.sources:
        lines.append("sources: " + ", ".join(flt.sources))
    if flt.since:
        lines.append(f"published on or after {flt.since}")
    if flt.until:
        lines.append(f"published on or before {flt.until}")
    for key, value in flt.attributes:
        lines.append(f"attribute {key} = {value}")
    if flt.quote:
        lines.append(f"quote contains “{flt.quote}”")
    return lines


def format_for(path_suffix: str) -> str:
    """``html`` or ``markdown`` for an output file's extension; anything else is one clear error."""
    found = FORMATS.get(path_suffix.lower())
    if found is None:
        raise AnnotatorError(f"the report is written as .html or .md, not {path_suffix or 'a file without extension'}")
    return found


def render(report: ReportInput, fmt: str) -> str:
    if fmt == "html":
        from annotator.core.evidence.report_html import render_html

        return render_html(report)
    from annotator.core.evidence.report_markdown import render_markdown

    return render_markdown(report)
