"""CoNLL IOB2 export: tags rebuild the token-aligned spans exactly; overlaps and misaligned spans are
listed in the report, never dropped silently."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.formats import get_format
from annotator.core.formats.conll import choose_non_overlapping
from annotator.core.model import LayerRecord, SpanRecord
from annotator.core.tokenize import tokenize
from tests.formats.helpers import SCHEME, doc_of, texts, token_spans

FMT = get_format("conll").with_comments()  # the comment lines tell this file's blocks apart


def parse_conll(content: str) -> list[tuple[dict[str, str], list[tuple[str, str]]]]:
    """(comments, [(token, tag)]) per document block, as a CoNLL consumer would read the file."""
    blocks: list[tuple[dict[str, str], list[tuple[str, str]]]] = []
    for line in content.split("\n"):
        if line.startswith("# doc_id = "):
            blocks.append(({"doc_id": line[11:]}, []))
        elif line.startswith("# annotator = "):
            blocks[-1][0]["annotator"] = line[14:]
        elif line:
            token, tag = line.split("\t")
            blocks[-1][1].append((token, tag))
    return blocks


def spans_from_tags(text: str, tags: list[tuple[str, str]]) -> set[tuple[int, int, str]]:
    tokens = tokenize(text)
    assert [t.text for t in tokens] == [tok for tok, _ in tags]
    spans, open_ = set(), None
    for tok, (_, tag) in zip(tokens, tags, strict=True):
        if tag.startswith("B-") or tag == "O":
            if open_:
                spans.add(tuple(open_))
            open_ = [tok.start, tok.end, tag[2:]] if tag != "O" else None
        else:
            assert open_ is not None and tag[2:] == open_[2], "I- must continue a span of the same label"
            open_[1] = tok.end
    if open_:
        spans.add(tuple(open_))
    return spans


@settings(max_examples=60, deadline=None)
@given(st.data(), texts())
def test_tags_rebuild_kept_spans_and_report_the_rest(tmp_path_factory, data: st.DataObject, text: str) -> None:
    spans = data.draw(token_spans(text))
    out = tmp_path_factory.mktemp("c") / "out.conll"
    report = FMT.write([doc_of(text, spans)], out, SCHEME)
    kept, dropped = choose_non_overlapping(spans)
    ((comments, tags),) = parse_conll(out.read_text(encoding="utf-8"))
    assert comments == {"doc_id": "d-1", "annotator": "analyst-a"}
    assert spans_from_tags(text, tags) == {(s.start, s.end, s.label) for s in kept}
    overlaps = [p for p in report.problems if "overlaps another span; dropped" in p]
    assert len(overlaps) == len(dropped)
    assert all("crosses the line break" in p for p in report.problems if p not in overlaps)
    # valid IOB2: no sentence opens with I- (strict readers such as seqeval's would split the span)
    for sentence in out.read_text(encoding="utf-8").split("\n\n"):
        first = next((line for line in sentence.split("\n") if line and not line.startswith("#")), None)
        assert first is None or not first.split("\t")[1].startswith("I-"), sentence


def test_overlap_and_misaligned_and_blank_spans_are_reported(tmp_path: Path) -> None:
    text = "Crews worked 22-hour days.\nGuards   watched."
    s = text.index("22-hour")
    spans = [
        SpanRecord(s, s + 12, "working_hours", "22-hour days"),
        SpanRecord(s + 3, s + 7, "injury", "hour"),  # overlaps the first
        SpanRecord(text.index("uards"), text.index("uards") + 5, "surveillance", "uards"),  # inside a token
        SpanRecord(text.index("   "), text.index("   ") + 3, "sanctions", "   "),  # whitespace only
    ]
    item = doc_of(text, spans)
    item.layers.append(LayerRecord("analyst-b", "done", []))
    out = tmp_path / "o.conll"
    report = FMT.write([item], out, SCHEME)
    assert len(report.problems) == 3
    gap = text.index("   ")
    assert f"d-1 (analyst-a): span {gap}-{gap + 3} sanctions '   ' covers no token; dropped" in report.problems
    assert any("'uards' is not on token boundaries; written as 27-33 'Guards'" in p for p in report.problems)
    assert any("span 16-20 injury 'hour' overlaps another span; dropped" in p for p in report.problems)
    content = out.read_text(encoding="utf-8")
    assert content.startswith("# doc_id = d-1\n# annotator = analyst-a\nCrews\tO\nworked\tO\n22\tB-working_hours\n-\tI-working_hours\n")
    assert "days\tI-working_hours\n.\tO\n\nGuards\tB-surveillance\nwatched\tO\n" in content
    assert len(parse_conll(content)) == 2  # one block per layer


def test_a_span_across_a_line_keeps_its_sentences_together_and_comments_are_optional(tmp_path: Path) -> None:
    text = "Crews worked 22-hour\ndays at the yard.\nGuards watched."
    start = text.index("22-hour")
    end = text.index("days") + 4
    item = doc_of(text, [SpanRecord(start, end, "working_hours", text[start:end])])
    out = tmp_path / "plain.conll"
    report = get_format("conll").write([item], out, SCHEME)  # the default: no comment lines
    content = out.read_text(encoding="utf-8")
    assert "#" not in content
    assert content.startswith("Crews\tO\nworked\tO\n22\tB-working_hours\n-\tI-working_hours\nhour\tI-working_hours\n"
                              "days\tI-working_hours\nat\tO\n")
    assert ".\tO\n\nGuards\tO\n" in content  # the next line break, outside the span, still splits
    assert report.problems == ["d-1 (analyst-a): a working_hours span crosses the line break before 'days'; its "
                               "sentences are written as one (an I- tag cannot open a sentence in IOB2)"]
