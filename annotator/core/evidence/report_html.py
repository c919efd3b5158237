"""The cited evidence report as one self-contained HTML page.

Safe by construction: every piece of data — quotes, titles, sources, URLs, names, notes — goes through
``html.escape``; a URL becomes a link only when it is ``http``/``https`` (so ``javascript:`` stays text);
the page has no script, loads nothing (a Content-Security-Policy forbids any load but its inline style and
the inline SVG charts), and prints well (no backgrounds needed, claims not split across pages). Quotes
keep their exact characters: ``white-space: pre-wrap``, so spaces and line breaks show as in the text.
"""

from __future__ import annotations

import html
import re

from annotator.core.evidence.corroboration import Claim
from annotator.core.evidence.model import Passage
from annotator.core.evidence.report import ReportInput

_SAFE_URL = re.compile(r"^https?://[^\s\x00-\x1f\x7f]+$", re.IGNORECASE)

_CSS = """
body{font:15px/1.5 Georgia,"Times New Roman",serif;margin:2em auto;color:#1a1a1a;max-width:52em;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.3em;margin-top:2em;border-bottom:2px solid #333}
h3{font-size:1.05em;margin:1.4em 0 .4em;font-family:Helvetica,Arial,sans-serif}
.meta,.cite,.small{font-family:Helvetica,Arial,sans-serif;font-size:.82em;color:#444}
table{border-collapse:collapse;margin:.6em 0;font-family:Helvetica,Arial,sans-serif;font-size:.9em}
th,td{border:1px solid #bbb;padding:.25em .6em;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
blockquote{margin:.5em 0 .2em 0;padding:.2em .8em;border-left:4px solid var(--c,#888)}
.quote{white-space:pre-wrap}
.claim{break-inside:avoid;page-break-inside:avoid}
.charts svg{max-width:100%;height:auto;display:block;margin:.6em 0}
.sha{font-family:monospace;font-size:.95em;word-break:break-all}
.tag{display:inline-block;padding:0 .4em;border-radius:3px;background:#eee;font-size:.8em}
@media print{body{margin:0;max-width:none;font-size:11pt}h2{break-after:avoid}.charts{break-inside:avoid}
a{color:inherit}}
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _url(url: str) -> str:
    url = url.strip()
    if not url:
        return "no URL"
    if _SAFE_URL.match(url):
        return f'<a href="{_e(url)}" rel="noreferrer noopener">{_e(url)}</a>'
    return f"<span>{_e(url)}</span> (not a web address)"


def _citation(p: Passage) -> str:
    notes = "".join(f"<br>Note: {_e(n)}" for n in p.notes)
    return (f'<blockquote><div class="quote">{_e(p.quote)}</div></blockquote>'
            f'<div class="cite">— <b>{_e(p.title or p.doc_id)}</b>, {_e(p.source or "unknown source")}, '
            f'{_e(p.date or "undated")}. {_url(p.url)}<br>'
            f'Document {_e(p.doc_id)} · SHA-256 <span class="sha">{_e(p.text_sha256)}</span> · '
            f'characters {p.start}–{p.end} · marked by {_e(", ".join(p.annotators))}{notes}</div>')


def _claim(number: int, claim: Claim, colour: str) -> str:
    head = (f"Claim {number}: reported by {claim.documents} document{'s' if claim.documents != 1 else ''} / "
            f"{claim.sources} source{'s' if claim.sources != 1 else ''}, earliest {_e(claim.earliest or 'undated')}")
    tag = ' <span class="tag">corroborated</span>' if claim.corroborated else ""
    body = "".join(f'<li>{_citation(p)}</li>' for p in claim.passages)
    return (f'<section class="claim" style="--c:{_e(colour)}"><h3>{head}{tag}</h3>'
            f'<ol class="passages">{body}</ol></section>')


def render_html(report: ReportInput) -> str:
    colours = {k: c for k, _n, c in report.labels}
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(report.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(report.title)}</h1>",
        '<p class="meta">' + "<br>".join(_e(line) for line in report.selection) + "<br>"
        f"Claims group passages of one label whose quotes are near-duplicates (content-word similarity ≥ "
        f"{report.threshold:g}, docs/evidence.md); quotes are exact slices of each document's canonical text.</p>",
        "<h2>Summary</h2>",
    ]
    summary = report.summary()
    if summary:
        rows = "".join(f'<tr><td>{_e(r.name)}</td><td class="n">{r.passages}</td><td class="n">{r.claims}</td>'
                       f'<td class="n">{r.corroborated}</td><td class="n">{r.documents}</td></tr>' for r in summary)
        out.append("<table><thead><tr><th>Label</th><th>Passages</th><th>Claims</th>"
                   "<th>Corroborated claims (≥ 2 sources)</th><th>Documents</th></tr></thead>"
                   f"<tbody>{rows}</tbody></table>")
    else:
        out.append("<p>No passage matches this selection.</p>")
    if report.min_sources > 1:
        out.append(f'<p class="small">Only claims reported by at least {report.min_sources} sources are shown; '
                   f"{report.left_out} other claim{'s were' if report.left_out != 1 else ' was'} left out.</p>")
    if report.charts:
        out.append('<h2>Charts</h2><div class="charts">')
        out.extend(f"<figure>{svg}</figure>" for _title, svg in report.charts)
        out.append("</div>")
    for key in report.label_order():
        out.append(f"<h2>{_e(report.label_name(key))}</h2>")
        number = 0
        for claim in report.claims:
            if claim.label == key:
                number += 1
                out.append(_claim(number, claim, colours.get(key, "#888888")))
    out.append("</body></html>\n")
    return "\n".join(out)
