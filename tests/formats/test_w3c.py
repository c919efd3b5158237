"""W3C Web Annotation: quote + position selectors on urn:sha256 targets; import resolves the text from
documents the caller already has, and places spans by position checked against the quote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.errors import AnnotatorError
from annotator.core.formats import get_format
from annotator.core.model import LayerRecord, SpanRecord
from annotator.core.text import text_sha256
from tests.formats.helpers import DATA, SCHEME, char_spans, doc_of, read_all, span_set, texts

FMT = get_format("w3c")


def resolver(items):
    known = {item.document.text_sha256: item.document for item in items}
    return known.get


@settings(max_examples=50, deadline=None)
@given(st.data(), st.lists(texts(), min_size=1, max_size=3, unique=True))
def test_round_trip(tmp_path_factory, data: st.DataObject, many: list[str]) -> None:
    items = []
    for i, text in enumerate(many):
        item = doc_of(text, data.draw(char_spans(text)), doc_id=f"d-{i}")
        item.layers.append(LayerRecord("analyst-b", "done", data.draw(char_spans(text))))
        items.append(item)
    out = tmp_path_factory.mktemp("w3c") / "out.jsonld"
    FMT.write(items, out, SCHEME)
    json.loads(out.read_text(encoding="utf-8"))  # one valid JSON document
    docs, errors, ctx = read_all("w3c", out, resolve_text=resolver(items))
    assert errors == [] and ctx.notices == []
    assert span_set(docs) == span_set(items)


def test_annotation_shape(tmp_path: Path) -> None:
    text = "Crews worked 22-hour days 😊 at the yard."
    s = text.index("22-hour")
    item = doc_of(text, [SpanRecord(s, s + 12, "working_hours", "22-hour days", note="per crew")])
    out = tmp_path / "o.jsonld"
    FMT.write([item], out, SCHEME)
    coll = json.loads(out.read_text(encoding="utf-8"))
    assert coll["@context"] == "http://www.w3.org/ns/anno.jsonld" and coll["type"] == "AnnotationCollection"
    ann = coll["first"]["items"][0]
    assert ann["type"] == "Annotation" and ann["creator"]["name"] == "analyst-a"
    assert ann["body"] == [{"type": "TextualBody", "purpose": "tagging", "value": "working_hours"},
                           {"type": "TextualBody", "purpose": "commenting", "value": "per crew"}]
    assert ann["target"]["source"] == "urn:sha256:" + text_sha256(text)
    quote, position = ann["target"]["selector"]
    assert quote == {"type": "TextQuoteSelector", "exact": "22-hour days", "prefix": "Crews worked ", "suffix": " 😊 at the yard."}
    assert position == {"type": "TextPositionSelector", "start": s, "end": s + 12}


def test_import_sample_collection_with_known_documents() -> None:
    path = DATA / "w3c_collection.jsonld"
    texts_ = json.loads((DATA / "sample_texts.json").read_text(encoding="utf-8"))
    known = doc_of(texts_["T1"], [], annotator=None, doc_id="yard-1")
    docs, errors, ctx = read_all("w3c", path, resolve_text=resolver([known]))
    assert len(docs) == 1 and docs[0].document.doc_id == "yard-1"
    layer = docs[0].layers[0]
    assert layer.annotator == "analyst-c"
    assert [(s.text, s.note) for s in layer.spans] == [("22-hour days", "shift length"), ("one rest day a month", None)]
    assert any("re-anchored from 26-38 to 25-37" in n and ", line 7: " in n for n in ctx.notices)
    assert len(errors) == 1
    line = int(str(errors[0]).split("line ")[1].split(":")[0])
    assert '"urn:x:3"' in path.read_text(encoding="utf-8").split("\n")[line]
    assert str(errors[0]).endswith("annotation: no document with text_sha256 0000000000000000… is in the corpus")


def test_import_without_documents_is_refused_clearly() -> None:
    with pytest.raises(AnnotatorError) as info:
        read_all("w3c", DATA / "w3c_collection.jsonld")
    assert "do not contain the text" in str(info.value)


def test_collection_and_page_have_ids_and_an_empty_export_has_no_empty_page(tmp_path: Path) -> None:
    text = "Crews worked 22-hour days."
    item = doc_of(text, [SpanRecord(13, 20, "working_hours", "22-hour")])
    out = tmp_path / "a.jsonld"
    FMT.write([item], out, SCHEME)
    coll = json.loads(out.read_text(encoding="utf-8"))
    assert coll["id"].startswith("urn:uuid:") and coll["first"]["id"].startswith("urn:uuid:")
    assert coll["id"] != coll["first"]["id"] and coll["first"]["items"]
    empty = tmp_path / "empty.jsonld"
    FMT.write([doc_of(text, [])], empty, SCHEME)
    coll = json.loads(empty.read_text(encoding="utf-8"))
    assert coll["type"] == "AnnotationCollection" and coll["total"] == 0 and coll["id"].startswith("urn:uuid:")
    assert "first" not in coll  # the model requires one or more items in a page
    docs, errors, ctx = read_all("w3c", empty, resolve_text=resolver([item]))
    assert docs == [] and errors == [] and ctx.notices == []
