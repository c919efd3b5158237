"""The cited evidence report as Markdown (CommonMark), for pasting into a document or a wiki.

Data never becomes markup: every ASCII punctuation character of a quote or a metadata field is
backslash-escaped (CommonMark allows escaping any of them), so ``*``, ``<script>``, ``[x](y)`` and ``|``
are shown as typed. A quote is a block quote whose lines are the quote's lines, ending in ``\\`` (a hard
line break) except the last, so an empty line of the quote is a line holding only that ``\\``; spaces and
tabs at a line's ends are written as ``&#32;``/``&#9;`` so no renderer drops them. A URL is a link only
when it is http(s) without spaces or angle brackets. Charts are embedded as SVG ``data:`` images.
"""

from __future__ import annotations

import base64
import re
import string

from annotator.core.evidence.corroboration import Claim
from annotator.core.evidence.model import Passage
from annotator.core.evidence.report import ReportInput

_PUNCT = frozenset(string.punctuation)
_AUTOLINK = re.compile(r"^https?://[^\s<>\x00-\x1f\x7f]+$", re.IGNORECASE)
_EDGE = {" ": "&#32;", "\t": "&#9;"}


def escape(text: str) -> str:
    """``text`` with every ASCII punctuation character backslash-escaped (line breaks kept)."""
    return "".join("\\" + ch if ch in _PUNCT else ch for ch in text)


def inline(text: str) -> str:
    """A metadata field on one line: whitespace runs as single spaces, then escaped."""
    return escape(" ".join(text.split()))


def _line(line: str) -> str:
    body = escape(line)
    lead = len(line) - len(line.lstrip(" \t"))
    if lead == len(line):
        return "".join(_EDGE[ch] for ch in line)
    trail = len(line) - len(line.rstrip(" \t"))
    head = "".join(_EDGE[ch] for ch in line[:lead])
    tail = "".join(_EDGE[ch] for ch in line[len(line) - trail:]) if trail else ""
    return head + body[lead:len(body) - trail] + tail


def quote_block(quote: str) -> str:
    """The quote as a Markdown block quote that renders as exactly its characters."""
    lines = [_line(line) for line in quote.split("\n")]
    return "\n".join("> " + line + ("\\" if i < len(lines) - 1 else "") for i, line in enumerate(lines))


def _url(url: str) -> str:
    url = url.strip()
    if not url:
        return "no URL"
    if _AUTOLINK.match(url):
        return f"<{url}>"
    return inline(url) + " (not a web address)"


def _citation(p: Passage) -> str:
    notes = "".join(f"  \n  Note: {inline(n)}" for n in p.notes)
    return (quote_block(p.quote) + "\n\n"
            f"— **{inline(p.title or p.doc_id)}**, {inline(p.source or 'unknown source')}, "
            f"{inline(p.date or 'undated')}. {_url(p.url)}  \n"
            f"Document {inline(p.doc_id)} · SHA\\-256 `{p.text_sha256}` · characters {p.start}–{p.end} · "
            f"marked by {inline(', '.join(p.annotators))}{notes}\n")


def _claim(number: int, claim: Claim) -> str:
    head = (f"### Claim {number}: reported by {claim.documents} document{'s' if claim.documents != 1 else ''} / "
            f"{claim.sources} source{'s' if claim.sources != 1 else ''}, earliest {inline(claim.earliest or 'undated')}"
            + (" (corroborated)" if claim.corroborated else ""))
    return head + "\n\n" + "\n".join(_citation(p) for p in claim.passages)


def render_markdown(report: ReportInput) -> str:
    out = [f"# {inline(report.title)}", ""]
    out.extend(inline(line) + "  " for line in report.selection)
    out.append(f"Claims group passages of one label whose quotes are near\\-duplicates (content\\-word similarity "
               f"≥ {report.threshold:g}, docs/evidence\\.md); quotes are exact slices of each document's canonical "
               "text\\.")
    out += ["", "## Summary", ""]
    summary = report.summary()
    if summary:
        out.append("| Label | Passages | Claims | Corroborated claims (≥ 2 sources) | Documents |")
        out.append("|---|---:|---:|---:|---:|")
        out.extend(f"| {inline(r.name)} | {r.passages} | {r.claims} | {r.corroborated} | {r.documents} |"
                   for r in summary)
    else:
        out.append("No passage matches this selection\\.")
    if report.min_sources > 1:
        out += ["", f"Only claims reported by at least {report.min_sources} sources are shown; {report.left_out} "
                f"other claim{'s were' if report.left_out != 1 else ' was'} left out\\."]
    if report.charts:
        out += ["", "## Charts", ""]
        for title, svg in report.charts:
            data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
            out.append(f"![{inline(title)}](data:image/svg+xml;base64,{data})")
            out.append("")
    for key in report.label_order():
        out += ["", f"## {inline(report.label_name(key))}", ""]
        number = 0
        for claim in report.claims:
            if claim.label == key:
                number += 1
                out.append(_claim(number, claim))
    return "\n".join(out).rstrip("\n") + "\n"
