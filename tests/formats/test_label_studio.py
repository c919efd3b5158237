"""Label Studio JSON: tasks with annotations per annotator, predictions from a chosen layer, value.text
always written and trusted on import (offsets from old UTF-16 versions are converted), and the config."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.formats import get_format
from annotator.core.formats.label_studio import LabelStudio, labeling_config
from annotator.core.model import AnnotatedDocument, LayerRecord, SpanRecord
from annotator.core.scheme import Label, Scheme
from tests.formats.helpers import DATA, SCHEME, char_spans, doc_of, read_all, span_set, texts

FMT = get_format("label-studio")


@settings(max_examples=60, deadline=None)
@given(st.data(), st.lists(texts(), min_size=1, max_size=3))
def test_round_trip_keeps_every_span_of_every_layer(tmp_path_factory, data: st.DataObject, many: list[str]) -> None:
    items = []
    for i, text in enumerate(many):
        item = doc_of(text, data.draw(char_spans(text)), doc_id=f"d-{i}")
        item.layers.append(LayerRecord("analyst-b", "in_progress", data.draw(char_spans(text))))
        items.append(item)
    out = tmp_path_factory.mktemp("ls") / "out.json"
    report = FMT.write(items, out, SCHEME)
    assert report.documents == len(many)
    docs, errors, ctx = read_all("label-studio", out)
    assert errors == [] and ctx.notices == []
    assert span_set(docs) == span_set(items)
    assert [lay.status for lay in docs[0].layers] == ["done", "in_progress"]
    again = out.with_name("again.json")
    FMT.write(docs, again, SCHEME)
    assert again.read_bytes() == out.read_bytes()


def test_written_tasks_carry_value_text_and_predictions(tmp_path: Path) -> None:
    text = "Two welders 🔥 were burned at the plant."
    s = text.index("were burned")
    item = doc_of(text, [SpanRecord(s, s + 11, "injury", "were burned", note="two men")])
    item.layers.append(LayerRecord("gold", "done", [SpanRecord(s, s + 11, "injury", "were burned")]))
    out = tmp_path / "o.json"
    LabelStudio(predictions_from="gold").write([item], out, SCHEME)
    task = json.loads(out.read_text(encoding="utf-8"))[0]
    assert task["data"]["text"] == text and task["data"]["doc_id"] == "d-1"
    value = task["annotations"][0]["result"][0]["value"]
    assert value == {"start": s, "end": s + 11, "text": "were burned", "labels": ["injury"]}
    assert task["annotations"][0]["annotator"] == "analyst-a"
    assert task["annotations"][0]["result"][0]["meta"] == {"text": ["two men"]}
    assert task["predictions"][0]["model_version"] == "gold"
    assert len(task["annotations"]) == 1


def test_old_export_with_utf16_offsets_is_converted() -> None:
    path = DATA / "label_studio_old_utf16.json"
    texts_ = json.loads((DATA / "sample_texts.json").read_text(encoding="utf-8"))
    docs, errors, ctx = read_all("label-studio", path)
    assert errors == []
    first = docs[0]
    assert first.document.text == texts_["T4"] and first.document.meta["source"] == "Sample Wire"
    by_annotator = {lay.annotator: [(s.text, s.label) for s in lay.spans] for lay in first.layers}
    assert by_annotator == {
        "label-studio-user-3": [("were burned", "injury"), ("no gloves or masks", "injury")],
        "gold": [("were burned", "injury")],
    }
    assert any(f"{path}, line 2: annotation #1 result #1 offsets" in n and "UTF-16" in n for n in ctx.notices)
    assert any("cancelled" in n for n in ctx.notices)
    # the task-level choices result is a document field of that layer now (the import refuses the unknown
    # key "mood" unless --add-labels), no longer ignored
    assert first.layers[0].doc_fields == {"mood": "grim"}
    assert docs[1].layers[0].annotator == "analyst-b"


def test_broken_file_names_task_line_and_reason() -> None:
    path = DATA / "label_studio_broken.json"
    docs, errors, _ = read_all("label-studio", path)
    assert len(docs) == 1
    messages = [str(e) for e in errors]
    assert messages[0].startswith(f"{path}, line ")
    assert messages[0].endswith("annotation #1 result #1 (working_hours): quote '36-hour shifts' does not occur in the text")
    line = int(messages[0].split("line ")[1].split(":")[0])
    assert path.read_text(encoding="utf-8").split("\n")[line - 1].strip() == "{"
    assert messages[1].endswith("task has no text in 'data'")


def test_not_json_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('[{"data": {"text": "a"}}\n{"data": 1}]', encoding="utf-8")
    docs, errors, _ = read_all("label-studio", path)
    assert len(docs) == 1 and str(errors[0]) == f"{path}, line 2: not valid JSON (expected ',' or ']' after task)"


def test_labeling_config_lists_labels_with_colours_and_escapes() -> None:
    scheme = Scheme([*SCHEME.labels, Label("odd", 'Say "hi" & <go>', "#123456", "", "Hint <b>", 9)])
    xml = labeling_config(scheme)
    root = ET.fromstring(xml)
    labels = root.find("Labels")
    assert labels is not None and labels.get("name") == "label" and labels.get("toName") == "text"
    values = [(lbl.get("value"), lbl.get("background")) for lbl in labels.findall("Label")]
    assert values[:5] == [(lb.key, lb.color) for lb in SCHEME.labels]
    assert values[5] == ("odd", "#123456")
    assert labels.findall("Label")[0].get("hotkey") == "1"
    assert root.find("Text").get("value") == "$text"


def test_unannotated_document_is_a_task_without_annotations(tmp_path: Path) -> None:
    item = AnnotatedDocument(doc_of("Just text.", []).document, [])
    FMT.write([item], tmp_path / "o.json", SCHEME)
    assert json.loads((tmp_path / "o.json").read_text(encoding="utf-8"))[0]["annotations"] == []
