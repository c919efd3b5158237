"""Inter-annotator agreement: coefficients, α_U, span F1, the report and renderers (docs/architecture.md §6).

Callers build an :class:`AgreementInput` (plain strings and tuples, no store types) and get an
:class:`AgreementReport` back from :func:`compute_agreement`; ``render_text`` and ``render_html`` turn
a report into a terminal table or a self-contained HTML page.
"""

from annotator.core.agreement.render_html import render_html
from annotator.core.agreement.render_text import render_text
from annotator.core.agreement.report import AgreementCancelled, AgreementInput, compute_agreement
from annotator.core.agreement.results import (
    AgreementReport,
    Disagreement,
    DocumentResult,
    LabelResult,
    PairResult,
)

__all__ = [
    "AgreementCancelled",
    "AgreementInput",
    "AgreementReport",
    "Disagreement",
    "DocumentResult",
    "LabelResult",
    "PairResult",
    "compute_agreement",
    "render_html",
    "render_text",
]
