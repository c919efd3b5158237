"""doccano JSONL: both shapes, code points by default, and UTF-16 offsets from its browser UI detected
per file by where they put spans (doccano stores no quote)."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.formats import get_format
from annotator.core.formats._shared import CODE_POINTS, OffsetUnits, boundary_score
from annotator.core.model import SpanRecord
from annotator.core.offsets import Utf16Map
from tests.formats.helpers import DATA, SCHEME, doc_of, read_all, span_set, texts, token_spans


@settings(max_examples=60, deadline=None)
@given(st.data(), texts(), st.sampled_from(["doccano", "doccano-entities"]))
def test_round_trip_in_code_points(tmp_path_factory, data: st.DataObject, text: str, name: str) -> None:
    spans = data.draw(token_spans(text))
    out = tmp_path_factory.mktemp("d") / "out.jsonl"
    items = [doc_of(text, spans)]
    get_format(name).write(items, out, SCHEME)
    docs, errors, _ = read_all("doccano", out)
    assert errors == []
    assert span_set(docs) == span_set(items)
    again = out.with_name("again.jsonl")
    get_format(name).write(docs, again, SCHEME)
    assert again.read_bytes() == out.read_bytes()


@settings(max_examples=60, deadline=None)
@given(st.data(), texts())
def test_utf16_export_is_detected_and_converted_back(tmp_path_factory, data: st.DataObject, text: str) -> None:
    spans = data.draw(token_spans(text, words_only=True))
    out = tmp_path_factory.mktemp("d") / "out.jsonl"
    items = [doc_of(text, spans)]
    report = get_format("doccano-utf16").write(items, out, SCHEME)
    u16 = Utf16Map(text)
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["label"] == [[u16.to_utf16(s.start), u16.to_utf16(s.end), s.label]
                               for s in sorted(spans, key=lambda s: (s.start, s.end, s.label))]
    assert bool(report.problems) == (not u16.is_identity)
    docs, errors, _ = read_all("doccano", out)
    assert errors == []
    # Without a quote, UTF-16 offsets are only recognisable when read as code points some span would be
    # invalid or cut a word; when every span reads as a clean word either way the file is ambiguous.
    units = OffsetUnits(text)
    evidence = False
    for sp in spans:
        pair = units.convert(CODE_POINTS, u16.to_utf16(sp.start), u16.to_utf16(sp.end))
        evidence |= pair != (sp.start, sp.end) and (pair is None or boundary_score(text, *pair) < 2)
    if evidence:
        assert span_set(docs) == span_set(items)
    else:
        assert len(span_set(docs)) == len(span_set(items))


def test_browser_file_with_utf16_offsets_is_converted_and_reported() -> None:
    texts_ = json.loads((DATA / "sample_texts.json").read_text(encoding="utf-8"))
    docs, errors, ctx = read_all("doccano", DATA / "doccano_utf16.jsonl")
    assert errors == []
    assert [(s.text, s.label) for s in docs[0].layers[0].spans] == [
        ("went to the state", "remittance"), ("loyalty payments", "remittance")]
    assert [s.text for s in docs[1].layers[0].spans] == ["22-hour days", "one rest day a month"]
    assert docs[0].document.text == texts_["T3"]
    assert any("UTF-16" in n for n in ctx.notices)
    assert any(", line 1: 2 span(s) converted from UTF-16" in n for n in ctx.notices)


def test_entities_shape_and_id_kept_as_meta() -> None:
    docs, errors, ctx = read_all("doccano", DATA / "doccano_entities.jsonl")
    assert errors == [] and ctx.notices == []
    assert docs[0].document.meta["doccano_id"] == 7
    assert [(s.text, s.label) for s in docs[0].layers[0].spans] == [("loyalty payments", "remittance")]


def test_broken_file_names_each_bad_line() -> None:
    path = DATA / "doccano_broken.jsonl"
    docs, errors, _ = read_all("doccano", path)
    assert len(docs) == 1
    assert [str(e) for e in errors] == [
        f"{path}, line 2: span #1 (injury): offsets 4-400 are not a span of the text (11 code points)",
        f"{path}, line 3: label #1 is not a [start, end, label] triple (is this a sequence-labelling export?)",
        f"{path}, line 4: record has no 'text' string",
    ]


def test_code_point_file_with_emoji_is_not_mistaken_for_utf16(tmp_path: Path) -> None:
    text = "Pay 💰 went to the state, 🙁 loyalty payments too."
    s = text.index("loyalty payments")
    path = tmp_path / "cp.jsonl"
    path.write_text(json.dumps({"text": text, "label": [[s, s + 16, "remittance"]]}) + "\n", encoding="utf-8")
    docs, errors, ctx = read_all("doccano", path)
    assert errors == [] and ctx.notices == []
    assert docs[0].layers[0].spans[0].text == "loyalty payments"


def test_export_warns_that_doccano_ui_counts_utf16(tmp_path: Path) -> None:
    text = "Minders 👀 read every letter."
    span = SpanRecord(10, 14, "surveillance", "read")
    report = get_format("doccano").write([doc_of(text, [span])], tmp_path / "o.jsonl", SCHEME)
    assert len(report.problems) == 1 and "doccano-utf16" in report.problems[0]
