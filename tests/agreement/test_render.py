"""Text and HTML renderings of an agreement report."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from annotator.core.agreement import AgreementInput, compute_agreement, render_html, render_text


def _report():
    text = 'The <script>alert("x")</script> crew & "guards" worked 20 hours.'
    return compute_agreement(AgreementInput(
        annotators=["<b>eve</b>", "bob"],
        documents=[("doc<1>", text)],
        spans={"<b>eve</b>": {"doc<1>": [(4, 31, "injury"), (52, 62, "working_hours")]},
               "bob": {"doc<1>": [(52, 62, "working_hours")]}},
        labels=["working_hours", "injury", "sanctions"],
    ))


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data):
        self.text.append(data)


def test_html_escapes_user_text_and_is_self_contained() -> None:
    page = render_html(_report(), title="Q3 <review>")
    p = _Collector()
    p.feed(page)
    assert "script" not in p.tags and "b" not in p.tags
    assert not {"img", "link", "iframe", "object"} & set(p.tags)
    assert not [v for k, v in p.attrs if k in ("src", "href")]
    assert "http://" not in page and "https://" not in page
    text = "".join(p.text)
    assert '<script>alert("x")</script>' in text  # shown as text, not markup
    assert "<b>eve</b>" in text and "doc<1>" in text and "Q3 <review>" in text
    for section in ("Overall", "Per label", "Pairwise Cohen", "Confusion matrix", "Per document", "Disagreements"):
        assert section in text
    assert "n/a" in text  # the unused label


def test_text_render_shows_na_and_pairs() -> None:
    out = render_text(_report())
    assert "<b>eve</b> / bob" in out  # sorted: "<" before "b"
    sanctions = next(line for line in out.splitlines() if line.startswith("sanctions"))
    assert "n/a" in sanctions
    assert re.search(r"Span F1 exact \(mean of pairs\)\s+0\.667", out)
