"""Prodigy JSONL: token-aligned export, exact round trip, and imports of good and broken task files."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.formats import get_format
from annotator.core.model import SpanRecord
from tests.formats.helpers import DATA, SCHEME, char_spans, doc_of, read_all, span_set, texts, token_spans

FMT = get_format("prodigy")


@settings(max_examples=60, deadline=None)
@given(st.data(), texts())
def test_round_trip_keeps_every_span(tmp_path_factory, data: st.DataObject, text: str) -> None:
    spans = data.draw(char_spans(text))
    out = tmp_path_factory.mktemp("p") / "out.jsonl"
    items = [doc_of(text, spans)]
    FMT.write(items, out, SCHEME)
    docs, errors, _ = read_all("prodigy", out)
    assert errors == []
    assert span_set(docs) == span_set(items)
    again = out.with_name("again.jsonl")
    FMT.write(docs, again, SCHEME)
    assert again.read_bytes() == out.read_bytes()


@settings(max_examples=60, deadline=None)
@given(st.data(), texts())
def test_token_indices_point_at_the_span_and_token_end_is_inclusive(tmp_path_factory, data: st.DataObject, text: str) -> None:
    spans = data.draw(token_spans(text))
    out = tmp_path_factory.mktemp("p") / "out.jsonl"
    report = FMT.write([doc_of(text, spans)], out, SCHEME)
    assert report.problems == []
    task = json.loads(out.read_text(encoding="utf-8"))
    assert task["_annotator_id"] == "analyst-a"
    for tok in task["tokens"]:
        assert text[tok["start"] : tok["end"]] == tok["text"]
    for span in task["spans"]:
        assert task["tokens"][span["token_start"]]["start"] == span["start"]
        assert task["tokens"][span["token_end"]]["end"] == span["end"]
        assert text[span["start"] : span["end"]] == span["text"]


def test_span_off_token_boundaries_is_reported_not_hidden(tmp_path: Path) -> None:
    text = "Crews worked 22-hour days."
    out = tmp_path / "o.jsonl"
    report = FMT.write([doc_of(text, [SpanRecord(14, 20, "working_hours", text[14:20])])], out, SCHEME)
    assert len(report.problems) == 1 and "not on token boundaries" in report.problems[0]
    span = json.loads(out.read_text(encoding="utf-8"))["spans"][0]
    assert (span["start"], span["end"], "token_start" in span) == (14, 20, False)


def test_import_sample_file() -> None:
    texts_ = json.loads((DATA / "sample_texts.json").read_text(encoding="utf-8"))
    docs, errors, ctx = read_all("prodigy", DATA / "prodigy_good.jsonl")
    assert errors == []
    assert len(docs) == 2  # the rejected task is skipped
    assert any("line 3" in n and "'reject'" in n for n in ctx.notices)
    first = docs[0]
    assert first.document.doc_id == "yard-1" and first.document.meta["source"] == "Sample Wire"
    assert first.layers[0].annotator == "analyst-a"
    assert [(s.text, s.label) for s in first.layers[0].spans] == [("22-hour days", "working_hours")]
    assert first.document.text == texts_["T1"]
    assert [s.text for s in docs[1].layers[0].spans] == ["Minders", "passports were held"]


def test_import_broken_file_names_each_bad_line() -> None:
    path = DATA / "prodigy_broken.jsonl"
    docs, errors, _ = read_all("prodigy", path)
    assert len(docs) == 1
    messages = [str(e) for e in errors]
    assert messages[0].startswith(f"{path}, line 2: not valid JSON")
    assert messages[1].startswith(f"{path}, line 3: span #1 (working_hours): offsets")
    assert "token_end is inclusive" in messages[1]
    assert messages[2] == f"{path}, line 4: span #1 (surveillance): quote 'Guards' does not occur in the text"


def test_crlf_task_offsets_counting_the_cr_are_mapped(tmp_path: Path) -> None:
    raw = "First line.\r\nWorkers were watched.\r\n"
    s = raw.index("watched")
    path = tmp_path / "crlf.jsonl"
    task = {"text": raw, "spans": [{"start": s, "end": s + 7, "label": "surveillance", "text": "watched"}], "answer": "accept"}
    path.write_text(json.dumps(task) + "\n", encoding="utf-8")
    docs, errors, ctx = read_all("prodigy", path)
    assert errors == []
    span = docs[0].layers[0].spans[0]
    assert docs[0].document.text[span.start : span.end] == "watched" and span.start == s - 1
    assert any("\\r\\n" in n for n in ctx.notices)
