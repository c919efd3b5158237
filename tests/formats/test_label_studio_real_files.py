"""Label Studio files that the real application produced (label-studio 1.23.2, 2026-11-24, see
bench/interop_label_studio.py), and properties built on what those files showed.

``label_studio_1_23_editor.json``: plain tasks (one with ``\\r\\n`` line ends) annotated by selecting text in
Label Studio's editor in headless Chromium, then exported as JSON. ``label_studio_1_23_export_of_ours.json``:
our own export imported into Label Studio and exported again. The article text in both is ours.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.formats import get_format
from annotator.core.formats.label_studio import LabelStudio
from annotator.core.model import SpanRecord
from annotator.core.text import canonicalize
from tests.formats.helpers import DATA, SCHEME, char_spans, doc_of, read_all, span_set, texts

EDITOR = DATA / "label_studio_1_23_editor.json"
OURS = DATA / "label_studio_1_23_export_of_ours.json"


def spans_of(path: Path) -> dict[str, list[tuple[int, int, str, str, str | None]]]:
    docs, errors, _ = read_all("label-studio", path)
    assert errors == []
    return {d.document.doc_id: sorted((s.start, s.end, s.text, s.label, lay.annotator)
                                      for lay in d.layers for s in lay.spans) for d in docs}


def test_editor_offsets_are_code_points_counting_each_cr_and_lf() -> None:
    """The facts in the file itself: what the editor stored for a selection after emoji and across CRLF."""
    tasks = json.loads(EDITOR.read_text(encoding="utf-8"))
    raw = tasks[0]["data"]["text"]
    assert "\r\n" in raw and "🌙" in raw
    stored = {r["value"]["labels"][0]: r["value"] for r in tasks[0]["annotations"][0]["result"]}
    # After three astral characters: UTF-16 indices would be 3 higher; the editor counted code points.
    assert raw[stored["injury"]["start"]:stored["injury"]["end"]] == "welder was burned"
    # After two CRLFs, an emoji: code points of the text as imported, the '\r' counted.
    assert raw[stored["remittance"]["start"]:stored["remittance"]["end"]] == "went home"
    # Across a CRLF the quote has one backslash-n per '\r' and per '\n'.
    assert stored["surveillance"]["text"] == "hour.\\n\\nManagers read"


def test_editor_export_reads_back_onto_the_canonical_text() -> None:
    docs, errors, ctx = read_all("label-studio", EDITOR)
    assert errors == []
    by_doc = {d.document.doc_id: d for d in docs}
    crlf = by_doc["ls-emoji-crlf"]
    assert "\r" not in crlf.document.text
    spans = {(s.text, s.label) for lay in crlf.layers for s in lay.spans}
    assert spans == {("welder was burned", "injury"), ("hour.\nManagers read", "surveillance"),
                     ("went home", "remittance")}
    for lay in crlf.layers:
        for s in lay.spans:
            assert crlf.document.text[s.start:s.end] == s.text
    assert [lay.annotator for lay in crlf.layers] == ["label-studio-user-1"]
    assert spans_of(EDITOR)["ls-cyrillic-korean"] == [
        (58, 65, "하루 12시간", "working_hours", "label-studio-user-1"),
        (125, 142, "cameras 📷 watched", "surveillance", "label-studio-user-1"),
    ]
    # Only the spans after a '\r' were moved, and each move is reported.
    moved = [n for n in ctx.notices if "converted" in n]
    assert len(moved) == 2 and all("code points of the text with \\r\\n" in n for n in moved)
    assert any("68-88" in n and "68-87" in n for n in moved)


def test_our_export_after_label_studio_keeps_spans_and_the_layer_name() -> None:
    docs, errors, ctx = read_all("label-studio", OURS)
    assert errors == []
    got = spans_of(OURS)
    assert got["ls-emoji-crlf"] == [
        (38, 55, "welder was burned", "injury", "analyst-a"),
        (45, 72, "was burned on her 𝟏𝟐th hour", "working_hours", "analyst-a"),
        (68, 101, "hour.\nManagers read every message", "surveillance", "analyst-a"),
        (122, 139, "Wages 💸 went home", "remittance", "analyst-a"),
    ]
    assert got["ls-cyrillic-korean"][2] == (75, 86, "cafe\u0301 owner", "remittance", "analyst-a")
    # Label Studio dropped our annotation-level key: the name came from the results.
    tasks = json.loads(OURS.read_text(encoding="utf-8"))
    assert "annotator" not in tasks[0]["annotations"][0]
    # The gold layer went in as predictions; the export lists them by id, which is reported, not an error.
    assert tasks[0]["predictions"] and all(isinstance(p, int) for p in tasks[0]["predictions"])
    skipped = [n for n in ctx.notices if "prediction #1 skipped" in n]
    assert len(skipped) == 2 and not any("converted" in n or "re-anchored" in n for n in ctx.notices)
    assert all(lay.annotator != "gold" for d in docs for lay in d.layers)


def test_writer_names_the_annotator_in_every_result(tmp_path: Path) -> None:
    item = doc_of("Minders read every letter.", [SpanRecord(8, 12, "surveillance", "read")])
    out = tmp_path / "o.json"
    LabelStudio().write([item], out, SCHEME)
    task = json.loads(out.read_text(encoding="utf-8"))[0]
    assert [r["annotator"] for r in task["annotations"][0]["result"]] == ["analyst-a"]
    # Read back as Label Studio returns it (annotation-level key gone): the name survives.
    del task["annotations"][0]["annotator"]
    task["annotations"][0]["completed_by"] = 1
    out.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    docs, errors, _ = read_all("label-studio", out)
    assert errors == [] and docs[0].layers[0].annotator == "analyst-a"


def test_results_naming_different_annotators_fall_back_to_the_user(tmp_path: Path) -> None:
    value = {"start": 0, "end": 3, "text": "Two", "labels": ["injury"]}
    results = [{"type": "labels", "value": value, "annotator": "a"}, {"type": "labels", "value": value, "annotator": "b"}]
    path = tmp_path / "t.json"
    path.write_text(json.dumps([{"data": {"text": "Two men."}, "annotations": [{"completed_by": 4, "result": results}]}]),
                    encoding="utf-8")
    docs, errors, _ = read_all("label-studio", path)
    assert errors == [] and docs[0].layers[0].annotator == "label-studio-user-4"


def test_backslash_n_quote_with_wrong_offsets_is_re_anchored(tmp_path: Path) -> None:
    text = "Shift one.\nShift two ended at dawn."
    value = {"start": 0, "end": 4, "text": "one.\\nShift two", "labels": ["working_hours"]}
    path = tmp_path / "t.json"
    path.write_text(json.dumps([{"data": {"text": text}, "annotations": [{"result": [{"type": "labels", "value": value}]}]}]),
                    encoding="utf-8")
    docs, errors, ctx = read_all("label-studio", path)
    assert errors == []
    span = docs[0].layers[0].spans[0]
    assert (span.start, span.end, span.text) == (6, 20, "one.\nShift two")
    assert any("re-anchored" in n for n in ctx.notices)


def editor_value(raw: str, start: int, end: int) -> tuple[int, int, str]:
    """What Label Studio 1.23's editor stores for a selection of canonical ``start``-``end`` (as the fixtures
    show): code points of the raw text, each CR and LF one; the quote with each CR and LF as backslash-n."""
    # A boundary before canonical position c lies after c characters and every '\r' dropped before it.
    dropped = [m.start() - n for n, m in enumerate(re.finditer("\r\n", raw))]  # canonical positions
    s, e = (c + sum(1 for d in dropped if d < c) for c in (start, end))
    return s, e, re.sub(r"[\r\n]", lambda _m: "\\n", raw[s:e])


@settings(max_examples=60, deadline=None)
@given(st.data(), texts(), st.booleans())
def test_editor_shaped_results_read_back_exactly(tmp_path_factory, data: st.DataObject, text: str, crlf: bool) -> None:
    raw = text.replace("\n", "\r\n") if crlf else text
    canonical = canonicalize(raw)
    spans = data.draw(char_spans(canonical))
    results = []
    for s in spans:
        start, end, quote = editor_value(raw, s.start, s.end)
        results.append({"from_name": "label", "to_name": "text", "type": "labels",
                        "value": {"start": start, "end": end, "text": quote, "labels": [s.label]}})
    path = tmp_path_factory.mktemp("ls") / "t.json"
    task = {"data": {"text": raw, "doc_id": "d-1"}, "annotations": [{"completed_by": 1, "result": results}]}
    path.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    docs, errors, ctx = read_all("label-studio", path)
    assert errors == []
    item = doc_of(canonical, spans, annotator="label-studio-user-1")
    assert span_set(docs) == span_set([item])
    assert not any("re-anchored" in n for n in ctx.notices)
    # And through our own writer and reader once more, unchanged.
    out = path.with_name("again.json")
    get_format("label-studio").write(docs, out, SCHEME)
    again, errors, ctx = read_all("label-studio", out)
    assert errors == [] and ctx.notices == [] and span_set(again) == span_set([item])


def test_our_annotation_edited_in_the_editor_keeps_its_spans() -> None:
    """``label_studio_1_23_edited_in_editor.json``: our export imported, then one annotation given one more
    span in Label Studio's editor and saved. The editor rewrote that annotation's results without our
    ``annotator`` key (so that layer comes back under the Label Studio user) but kept our quotes."""
    path = DATA / "label_studio_1_23_edited_in_editor.json"
    tasks = json.loads(path.read_text(encoding="utf-8"))
    assert all("annotator" not in r for r in tasks[0]["annotations"][0]["result"])
    got = spans_of(path)
    assert got["ls-emoji-crlf"][-1] == (150, 156, "broker", "sanctions", "label-studio-user-1")
    assert [s[:4] for s in got["ls-emoji-crlf"][:4]] == [s[:4] for s in spans_of(OURS)["ls-emoji-crlf"]]
    assert {s[4] for s in got["ls-cyrillic-korean"]} == {"analyst-a"}  # not edited: the name survives


def test_snapshot_export_with_full_predictions_gives_the_gold_layer_back() -> None:
    """``label_studio_1_23_snapshot_with_predictions.json``: the same project exported through an export
    snapshot with ``serialization_options.predictions.only_id = false``: predictions come in full."""
    path = DATA / "label_studio_1_23_snapshot_with_predictions.json"
    got = spans_of(path)
    assert [s for s in got["ls-emoji-crlf"] if s[4] == "gold"] == [(38, 55, "welder was burned", "injury", "gold")]
    assert [s for s in got["ls-cyrillic-korean"] if s[4] == "gold"] == [(133, 142, "📷 watched", "surveillance", "gold")]
    assert [s for s in got["ls-emoji-crlf"] if s[4] == "analyst-a"] == spans_of(OURS)["ls-emoji-crlf"]
