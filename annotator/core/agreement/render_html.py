"""A self-contained HTML agreement report: one file, inline CSS, no scripts, no network, no images.

Every piece of user text (annotator names, labels, document ids, quotes) goes through ``html.escape``,
so a quote containing markup shows as text. Heat-map colours are computed here as inline styles.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from annotator.core.agreement.render_text import (
    ATTRIBUTES_HEADING,
    FIELDS_HEADING,
    NA,
    RELATIONS_HEADING,
    fmt,
)

if TYPE_CHECKING:
    from annotator.core.agreement.results import AgreementReport

MAX_HTML_DISAGREEMENTS = 2000
MAX_HTML_DOCUMENTS = 500

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em;color:#222;max-width:80em}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ddd;padding:.25em .6em}
th{background:#f4f4f4;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
td.na{color:#888;text-align:right}.quote{background:#fde8a8}.ctx{color:#666}
.small{color:#666;font-size:.9em}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _heat(value: float | None) -> str:
    """Background for a figure in [-1, 1]: red (poor) through yellow to green (good)."""
    if value is None:
        return ""
    v = max(0.0, min(1.0, value))
    hue = int(120 * v)
    return f' style="background:hsl({hue},70%,82%)"'


def _num(value: float | int | None, heat: bool = False) -> str:
    if value is None:
        return f'<td class="na">{NA}</td>'
    style = _heat(float(value)) if heat else ""
    return f'<td class="n"{style}>{_e(fmt(value))}</td>'


def _table(headers: Sequence[str], rows: Sequence[str]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def render_html(report: AgreementReport, title: str = "Agreement report") -> str:
    """The report as one self-contained HTML page."""
    r = report
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f'<p>Annotators: {_e(", ".join(r.annotators) or "none")}. Documents: {r.documents}. '
        f"Character units: {r.characters}"
        + (" (whitespace excluded)" if r.exclude_whitespace else "") + ".</p>",
        "<h2>Overall</h2>",
    ]
    overall_rows = [
        ("Krippendorff's α (nominal, characters)", r.overall["krippendorff_alpha"]),
        ("Fleiss' κ", r.overall["fleiss_kappa"]),
        ("Gwet's AC1", r.overall["gwet_ac1"]),
        ("Cohen's κ (mean of pairs)", r.overall_extra.get("cohen_kappa_mean")),
        ("Krippendorff's α_U (unitizing)", r.overall["alpha_u"]),
        ("Span F1 exact (mean of pairs)", r.overall["span_f1_exact"]),
        ("Span F1 exact, unlabeled", r.overall_extra.get("span_f1_exact_unlabeled")),
        ("Span F1 overlap (mean of pairs)", r.overall["span_f1_overlap"]),
    ]
    out.append(_table(["figure", "value"], [f"<tr><td>{_e(k)}</td>{_num(v, True)}</tr>" for k, v in overall_rows]))

    out.append("<h2>Per label</h2>")
    out.append(_table(
        ["label", "characters", "α", "κ (mean)", "Fleiss κ", "AC1", "α_U", "F1 exact", "F1 overlap"],
        [f"<tr><td>{_e(k)}</td>{_num(v.characters)}{_num(v.krippendorff_alpha, True)}"
         f"{_num(v.cohen_kappa_mean, True)}{_num(v.fleiss_kappa, True)}{_num(v.gwet_ac1, True)}"
         f"{_num(v.alpha_u, True)}{_num(v.span_f1_exact, True)}{_num(v.span_f1_overlap, True)}</tr>"
         for k, v in r.per_label.items()]))

    if r.pairs:
        out.append(_pair_matrix(r, "cohen_kappa", "Pairwise Cohen's κ (characters)"))
        out.append(_pair_matrix(r, "span_f1_overlap", "Pairwise span F1 (overlap)"))
        out.append("<h2>Pairs</h2>")
        out.append(_table(
            ["pair", "κ", "F1 exact", "F1 unlabeled", "F1 overlap", "tp", "fp", "fn"],
            [f"<tr><td>{_e(' / '.join(p.annotators))}</td>{_num(p.cohen_kappa, True)}"
             f"{_num(p.span_f1_exact, True)}{_num(p.span_f1_exact_unlabeled, True)}"
             f"{_num(p.span_f1_overlap, True)}{_num(p.tp)}{_num(p.fp)}{_num(p.fn)}</tr>" for p in r.pairs]))
        out.append('<p class="small">tp/fp/fn count exact matches; the first annotator is the reference.</p>')
        out.append("<h2>Confusion matrix</h2>")
        out.append('<p class="small">Overlapping spans between each pair; rows: first annotator, columns: '
                   "second; O = no overlapping span.</p>")
        out.append(_table([""] + r.confusion_labels, [
            f"<tr><th>{_e(lab)}</th>" + "".join(_num(int(x)) for x in row) + "</tr>"
            for lab, row in zip(r.confusion_labels, r.confusion, strict=True)]))

    out.extend(_structure(r))

    docs = sorted(r.per_document, key=lambda d: (d.krippendorff_alpha is None,
                                                 d.krippendorff_alpha if d.krippendorff_alpha is not None else 0))
    out.append("<h2>Per document (least agreement first)</h2>")
    if len(docs) > MAX_HTML_DOCUMENTS:
        out.append(f'<p class="small">Showing {MAX_HTML_DOCUMENTS} of {len(docs)} documents.</p>')
    out.append(_table(["document", "characters", "α", "same label set", "F1 overlap", "disagreements"], [
        f"<tr><td>{_e(d.doc_id)}</td>{_num(d.characters)}{_num(d.krippendorff_alpha, True)}"
        f"{_num(d.observed_agreement, True)}{_num(d.span_f1_overlap, True)}{_num(d.disagreements)}</tr>"
        for d in docs[:MAX_HTML_DOCUMENTS]]))

    out.append("<h2>Disagreements</h2>")
    shown = r.disagreements[:MAX_HTML_DISAGREEMENTS]
    out.append(f'<p class="small">{r.disagreements_total} run(s) of characters where the annotators\' '
               f"label sets differ; showing {len(shown)}.</p>")
    out.append(_table(["document", "offsets"] + list(r.annotators) + ["text"], [
        f"<tr><td>{_e(d.doc_id)}</td><td class=\"n\">{d.start}–{d.end}</td>"
        + "".join(f"<td>{_e(d.labels.get(a) or 'O')}</td>" for a in r.annotators)
        + f'<td><span class="ctx">{_e(d.before)}</span><span class="quote">{_e(d.quote)}</span>'
          f'<span class="ctx">{_e(d.after)}</span></td></tr>'
        for d in shown]))
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _structure(r: AgreementReport) -> list[str]:
    """Document fields, relations and typed attributes, for the parts the scheme has."""
    out: list[str] = []
    if r.doc_fields is not None:
        out.append("<h2>Document fields</h2>")
        out.append(f'<p class="small">{_e(FIELDS_HEADING)}; a multi field is compared option by option '
                   "(FIELD:OPTION).</p>")
        out.append(_table(["field", "kind", "documents", "α", "κ (mean)", "same value"], [
            f"<tr><td>{_e(k)}</td><td>{_e(v.kind)}</td>{_num(v.documents)}{_num(v.krippendorff_alpha, True)}"
            f"{_num(v.cohen_kappa_mean, True)}{_num(v.observed_agreement, True)}</tr>"
            for k, v in r.doc_fields.items()]))
    if r.relations is not None:
        out.append("<h2>Relations</h2>")
        out.append(f'<p class="small">{_e(RELATIONS_HEADING)}. Mean F1: {_e(fmt(r.relations.span_f1_exact))}.</p>')
        out.append(_table(["pair", "F1", "tp", "fp", "fn"], [
            f"<tr><td>{_e(' / '.join(p.annotators))}</td>{_num(p.f1, True)}{_num(p.tp)}{_num(p.fp)}{_num(p.fn)}</tr>"
            for p in r.relations.pairs]))
    if r.attributes is not None:
        out.append("<h2>Typed attributes</h2>")
        out.append(f'<p class="small">{_e(ATTRIBUTES_HEADING)}; one-sided: only one of the two spans has a '
                   "value.</p>")
        out.append(_table(["attribute", "agreement", "compared", "one-sided"], [
            f"<tr><td>{_e(k)}</td>{_num(v.agreement, True)}{_num(v.compared)}{_num(v.one_sided)}</tr>"
            for k, v in r.attributes.items()]))
    return out


def _pair_matrix(r: AgreementReport, attr: str, heading: str) -> str:
    """Annotator × annotator heat map of one pairwise figure (diagonal blank)."""
    index = {name: i for i, name in enumerate(r.annotators)}
    n = len(r.annotators)
    grid: list[list[float | None]] = [[None] * n for _ in range(n)]
    for p in r.pairs:
        i, j = index[p.annotators[0]], index[p.annotators[1]]
        value = getattr(p, attr)
        grid[i][j] = grid[j][i] = value
    rows = []
    for i, name in enumerate(r.annotators):
        cells = "".join("<td></td>" if i == j else _num(grid[i][j], True)
                        for j in range(n))
        rows.append(f"<tr><th>{_e(name)}</th>{cells}</tr>")
    return f"<h2>{_e(heading)}</h2>" + _table([""] + list(r.annotators), rows)
