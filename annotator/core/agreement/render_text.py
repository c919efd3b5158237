"""Plain-text rendering of an agreement report for the terminal (``annotator agreement``).

Fixed-width tables, undefined values shown as "n/a", and no colour codes so the output can be piped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.core.agreement.results import AgreementReport

NA = "n/a"
WORST_DOCUMENTS = 10


def fmt(value: float | int | None, digits: int = 3) -> str:
    """A figure for display: "n/a" when undefined, integers as they are."""
    if value is None:
        return NA
    if isinstance(value, int):
        return str(value)
    return f"{value:.{digits}f}"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned first column, right-aligned others, a rule under the header."""
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def line(cells: Sequence[str]) -> str:
        out = [cells[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join(out).rstrip()

    return "\n".join([line(headers), "  ".join("-" * w for w in widths)] + [line(r) for r in rows])


def render_text(report: AgreementReport) -> str:
    """The report as readable terminal tables."""
    r = report
    parts = [
        f"Agreement of {', '.join(r.annotators) or '(no annotators)'} on {r.documents} document(s), "
        f"{r.characters} character units" + (" (whitespace excluded)" if r.exclude_whitespace else ""),
        "",
        "Overall",
        table(["figure", "value"], [
            ["Krippendorff's alpha (nominal, characters)", fmt(r.overall["krippendorff_alpha"])],
            ["Fleiss' kappa", fmt(r.overall["fleiss_kappa"])],
            ["Gwet's AC1", fmt(r.overall["gwet_ac1"])],
            ["Cohen's kappa (mean of pairs)", fmt(r.overall_extra.get("cohen_kappa_mean"))],
            ["Krippendorff's alpha_U (unitizing)", fmt(r.overall["alpha_u"])],
            ["Span F1 exact (mean of pairs)", fmt(r.overall["span_f1_exact"])],
            ["Span F1 exact, unlabeled (mean of pairs)", fmt(r.overall_extra.get("span_f1_exact_unlabeled"))],
            ["Span F1 overlap (mean of pairs)", fmt(r.overall["span_f1_overlap"])],
        ]),
        "",
        "Per label",
        table(["label", "chars", "alpha", "kappa", "fleiss", "AC1", "alpha_U", "F1 exact", "F1 overlap"], [
            [k, str(v.characters), fmt(v.krippendorff_alpha), fmt(v.cohen_kappa_mean), fmt(v.fleiss_kappa),
             fmt(v.gwet_ac1), fmt(v.alpha_u), fmt(v.span_f1_exact), fmt(v.span_f1_overlap)]
            for k, v in r.per_label.items()
        ]),
    ]
    if r.pairs:
        parts += ["", "Pairs (first annotator is the reference for fp/fn; tp/fp/fn count exact matches)",
                  table(["pair", "kappa", "F1 exact", "F1 unlabeled", "F1 overlap", "tp", "fp", "fn"], [
                      [" / ".join(p.annotators), fmt(p.cohen_kappa), fmt(p.span_f1_exact),
                       fmt(p.span_f1_exact_unlabeled), fmt(p.span_f1_overlap), str(p.tp), str(p.fp), str(p.fn)]
                      for p in r.pairs
                  ])]
        parts += ["", "Confusion (overlapping spans; rows = first annotator of each pair)",
                  table([""] + r.confusion_labels,
                        [[lab] + [str(x) for x in row] for lab, row in zip(r.confusion_labels, r.confusion,
                                                                            strict=True)])]
    docs = sorted((d for d in r.per_document if d.krippendorff_alpha is not None),
                  key=lambda d: d.krippendorff_alpha or 0.0)[:WORST_DOCUMENTS]  # never None here
    if docs:
        parts += ["", f"Least agreement (up to {WORST_DOCUMENTS} documents)",
                  table(["document", "chars", "alpha", "same", "F1 overlap", "disagreements"], [
                      [d.doc_id, str(d.characters), fmt(d.krippendorff_alpha), fmt(d.observed_agreement),
                       fmt(d.span_f1_overlap), str(d.disagreements)] for d in docs
                  ])]
    parts += structure_sections(r)
    parts += ["", f"{r.disagreements_total} disagreement run(s)"]
    return "\n".join(parts) + "\n"


FIELDS_HEADING = "Document fields (documents where every annotator gave a value; number: interval alpha)"
RELATIONS_HEADING = "Relations (exact: both end spans and the type match; first annotator is the reference)"
ATTRIBUTES_HEADING = "Typed attributes (on exactly matched spans, pooled over pairs)"


def structure_sections(r: AgreementReport) -> list[str]:
    """The document-field, relation and typed-attribute tables, for the parts the scheme has."""
    parts: list[str] = []
    if r.doc_fields is not None:
        parts += ["", FIELDS_HEADING, table(["field", "kind", "documents", "alpha", "kappa", "same"], [
            [k, v.kind, str(v.documents), fmt(v.krippendorff_alpha), fmt(v.cohen_kappa_mean),
             fmt(v.observed_agreement)] for k, v in r.doc_fields.items()
        ]) if r.doc_fields else "(no field of a kind that is compared: text and dates are not)"]
    if r.relations is not None:
        parts += ["", RELATIONS_HEADING + f"; mean F1 {fmt(r.relations.span_f1_exact)}"]
        if r.relations.pairs:
            parts.append(table(["pair", "F1", "tp", "fp", "fn"], [
                [" / ".join(p.annotators), fmt(p.f1), str(p.tp), str(p.fp), str(p.fn)] for p in r.relations.pairs
            ]))
    if r.attributes is not None:
        parts += ["", ATTRIBUTES_HEADING, table(["attribute", "agreement", "compared", "one-sided"], [
            [k, fmt(v.agreement), str(v.compared), str(v.one_sided)] for k, v in r.attributes.items()
        ])]
    return parts
