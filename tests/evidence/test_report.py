"""The cited report: exact quotes, hostile metadata kept as text, identical bytes, the command line."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.cli import main
from annotator.core.evidence.model import EvidenceFilter
from annotator.core.evidence.report import render
from annotator.core.evidence.report_markdown import quote_block
from annotator.core.formats.articles import document_from_text
from annotator.store import repository as repo
from annotator.store.database import open_store
from annotator.store.evidence import build_report
from tests.evidence.builders import build
from tests.strategies import text_and_span


class Quotes(HTMLParser):
    """The text inside every ``<div class="quote">``, and every tag and attribute seen."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.quotes: list[str] = []
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self._in = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag == "div" and ("class", "quote") in attrs:
            self._in = True
            self.quotes.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "div":
            self._in = False

    def handle_data(self, data: str) -> None:
        if self._in:
            self.quotes[-1] += data


def unquote_markdown(block: str) -> str:
    """The inverse of the Markdown rules (report_markdown's docstring), written independently."""
    lines = []
    for line in block.split("\n"):
        assert line.startswith("> ")
        line = line[2:]
        if line.endswith("\\") and not line.endswith("\\\\") or re.search(r"(?<!\\)(\\\\)*\\$", line):
            line = line[:-1]
        line = re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), line)
        lines.append(re.sub(r"\\(.)", r"\1", line))
    return "\n".join(lines)


quote_texts = text_and_span().map(lambda t: t[0][t[1]:t[2]]).filter(lambda q: "\x00" not in q)


@settings(max_examples=200, deadline=None)
@given(quote_texts)
def test_markdown_quote_block_gives_back_the_exact_quote(quote: str) -> None:
    block = quote_block(quote)
    assert unquote_markdown(block) == quote
    assert "<" not in block.replace("\\<", "")  # never raw markup


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(st.lists(text_and_span(), min_size=1, max_size=4))
def test_every_quote_in_a_report_equals_its_document_slice(tmp_path_factory: pytest.TempPathFactory,
                                                           docs: list[tuple[str, int, int]]) -> None:
    store = open_store(tmp_path_factory.mktemp("r") / "r.sqlite3")
    expected: list[str] = []
    try:
        with store.write() as session:
            repo.ensure_default_scheme(session)
            for i, (text, start, end) in enumerate(docs):
                row, new = repo.add_document(session, document_from_text(text + f"\n#{i}", {"title": f"<{i}>"}))
                repo.add_span(session, row.id, "ana", start, end, "injury", actor="ana")
                expected.append(text[start:end])
        with store.session() as session:
            report = build_report(session, EvidenceFilter())
    finally:
        store.close()
    parser = Quotes()
    parser.feed(render(report, "html"))
    assert sorted(parser.quotes) == sorted(expected)
    markdown = render(report, "markdown")
    blocks = re.findall(r"(?m)^(> .*(?:\n> .*)*)", markdown)
    assert sorted(unquote_markdown(b) for b in blocks) == sorted(expected)


@pytest.fixture
def report_db(tmp_path: Path) -> Path:
    db = tmp_path / "e.sqlite3"
    store = open_store(db)
    build(store)
    store.close()
    return db


def test_hostile_metadata_stays_text_and_the_report_loads_nothing(report_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert main(["report", "--db", str(report_db), "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    parser = Quotes()
    parser.feed(page)
    tags = {tag for tag, _attrs in parser.tags}
    assert "script" not in tags and "img" not in tags and "iframe" not in tags
    hrefs = [v for _t, attrs in parser.tags for k, v in attrs if k in ("href", "src")]
    assert hrefs and all(h and h.startswith("https://") for h in hrefs)  # javascript: never becomes a link
    assert "javascript:alert(1)" in html.unescape(page) and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not re.search(r"(?i)\son\w+=", re.sub(r"&lt;.*?&gt;", "", page))  # no event handler attributes
    assert not re.search(r"(?i)(src|href)=\"?(http|//)", page.replace('href="https://ledger', "")
                         .replace('href="https://post', ""))
    assert "Content-Security-Policy" in page and "@media print" in page
    assert {"Guards watched the dormitory", "<script>alert(1)</script>"} <= set(parser.quotes)
    markdown = tmp_path / "r.md"
    assert main(["report", "--db", str(report_db), "-o", str(markdown)]) == 0
    md = markdown.read_text(encoding="utf-8")
    unescaped_markup = md.replace("\\<", "")
    assert "<script" not in unescaped_markup and "<img" not in unescaped_markup and "\\<script\\>" in md
    assert "(javascript" not in md and "<javascript" not in md


def test_same_data_same_bytes_and_the_claims(report_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    assert main(["report", "--db", str(report_db), "-o", str(first)]) == 0
    assert main(["report", "--db", str(report_db), "-o", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    page = first.read_text(encoding="utf-8")
    # the two re-told "18 hours a day" passages are one claim from two outlets; the dormitory watch too
    assert "reported by 2 documents / 2 sources, earliest 2024-03-05" in page
    assert page.count("<svg") == 3
    out = capsys.readouterr().out
    assert "Report written to" in out and "corroborated" in out


def test_selection_options(report_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "s.md"
    assert main(["report", "--db", str(report_db), "-o", str(out), "--label", "working_hours", "remittance",
                 "--annotator", "ana", "--annotator", "ben", "--since", "2024-03", "--until", "2024-04-30",
                 "--min-sources", "2"]) == 0
    md = out.read_text(encoding="utf-8")
    assert "## Working hours" in md and "## Remittance" in md and "## Surveillance" not in md
    assert "marked by ana\\, ben" in md and "cy" not in md.split("## Working hours")[1]
    gold = tmp_path / "g.md"
    assert main(["report", "--db", str(report_db), "-o", str(gold), "--gold"]) == 0
    assert "marked by gold" in gold.read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "message"), [
    (["-o", "x.pdf"], "the report is written as .html or .md"),
    (["-o", "x.html", "--since", "May"], "--since: 'May' is not a date"),
    (["-o", "x.html", "--since", "2024-05", "--until", "2024-01"], "is after --until"),
    (["-o", "x.html", "--label", "nope"], "--label: no label nope"),
    (["-o", "x.html", "--annotator", "zed"], "--annotator: nobody named zed"),
    (["-o", "x.html", "--min-sources", "0"], "--min-sources must be 1 or more"),
    (["-o", "x.html", "--similarity", "2"], "--similarity"),
])
def test_bad_input_is_one_line(report_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                               args: list[str], message: str) -> None:
    args = [a if a != "x.html" and a != "x.pdf" else str(tmp_path / a) for a in args]
    assert main(["report", "--db", str(report_db), *args]) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_gold_and_annotator_together_is_a_usage_error(report_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["report", "--db", str(report_db), "-o", "x.html", "--gold", "--annotator", "ana"])
    assert exc.value.code == 2


def test_parser_default_similarity_is_the_documented_one() -> None:
    from annotator.cli.parser import build_parser
    from annotator.core.evidence.corroboration import DEFAULT_THRESHOLD

    assert build_parser().parse_args(["report", "-o", "x.md"]).similarity == DEFAULT_THRESHOLD
