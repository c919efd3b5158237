"""Property tests: native JSONL through a real store keeps every quote equal to text[start:end], and a
layer's document fields and relations survive writing and reading back whatever order its spans came in."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.errors import AnnotatorError
from annotator.core.formats.base import ReadContext
from annotator.core.formats.native_jsonl import document_line, parse_record, write_jsonl
from annotator.core.model import DocumentRecord, LayerRecord, RelationRecord, SpanRecord
from annotator.core.text import canonicalize, text_sha256
from annotator.store import repository as repo
from annotator.store.database import open_store
from annotator.store.importing import import_paths
from tests.strategies import tricky_text

LABELS = ["working_hours", "injury", "surveillance", "remittance", "sanctions"]


@st.composite
def raw_record(draw: st.DrawFn) -> dict:
    """A record whose text may contain \\r\\n; spans carry offsets into the RAW text plus their quote."""
    raw = draw(tricky_text)
    if not raw.strip():
        raw = "text " + raw
    spans = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(raw) - 1))
        end = draw(st.integers(start + 1, len(raw)))
        quote = raw[start:end]
        if "\r" in quote[:1] or "\n" in quote[-1:] or "\r" in quote[-1:]:
            continue  # a quote that begins or ends inside a line break has no canonical counterpart
        spans.append({"start": start, "end": end, "label": draw(st.sampled_from(LABELS)), "text": quote})
    return {"text": raw, "annotator": draw(st.sampled_from(["ana", "bo"])), "status": "done", "spans": spans}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(raw_record(), min_size=1, max_size=4))
def test_import_export_keeps_every_quote(records: list[dict]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        src = folder / "in.jsonl"
        src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        store = open_store(folder / "db.sqlite3")
        try:
            summary = import_paths(store, [src])
            assert not summary.refused, summary.refused
            out = io.StringIO()
            with store.session() as session:
                write_jsonl(repo.iter_annotated_documents(session), out)
                assert list(repo.verify_quotes(session)) == []
        finally:
            store.close()
    exported = [json.loads(line) for line in out.getvalue().split("\n") if line]
    for record in exported:
        assert "\r" not in record["text"]
        for span in record["spans"]:
            assert record["text"][span["start"] : span["end"]] == span["text"]
    # every span given survives, re-anchored onto the canonical text when \r\n moved it
    wanted = {(r["text"].replace("\r\n", "\n").replace("\r", "\n"), s["text"].replace("\r\n", "\n").replace("\r", "\n"), s["label"])
              for r in records for s in r["spans"]}
    got = {(r["text"], s["text"], s["label"]) for r in exported for s in r["spans"]}
    assert wanted <= got


@st.composite
def layer_with_relations(draw: st.DrawFn) -> tuple[DocumentRecord, LayerRecord]:
    """A layer whose spans come in any order, with document fields and relations by index into them."""
    text = draw(tricky_text)
    if not text.strip():
        text = "text " + text
    text = canonicalize(text)
    spans: dict[tuple[int, int, str], SpanRecord] = {}
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        label = draw(st.sampled_from(LABELS))
        spans[(start, end, label)] = SpanRecord(start, end, label, text[start:end])
    span_list = draw(st.permutations(list(spans.values())))
    relations: set[RelationRecord] = set()
    if len(span_list) >= 2:
        for _ in range(draw(st.integers(0, 5))):
            source, target = draw(st.lists(st.integers(0, len(span_list) - 1), min_size=2, max_size=2, unique=True))
            relations.add(RelationRecord(source, target, draw(st.sampled_from(["caused", "evades", "paid_to"]))))
    values = st.one_of(st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=8),
                       st.lists(st.sampled_from(["a", "b", "ü"]), unique=True).map(sorted),
                       st.floats(allow_nan=False, allow_infinity=False, width=32))
    doc_fields = draw(st.dictionaries(st.sampled_from(["relevance", "workers", "topics", "z_note"]), values))
    document = DocumentRecord("d-1", text, text_sha256(text), {})
    return document, LayerRecord("ana", "done", list(span_list), None, doc_fields, sorted(relations))


def _linked(layer: LayerRecord) -> set[tuple]:
    """Relations by their ends' (start, end, label), so two span orders compare equal."""
    def ends(index: int) -> tuple[int, int, str]:
        span = layer.spans[index]
        return (span.start, span.end, span.label)
    return {(ends(r.source), ends(r.target), r.label) for r in layer.relations}


@settings(max_examples=150, deadline=None)
@given(layer_with_relations())
def test_layers_with_relations_write_and_read_back_the_same(item: tuple[DocumentRecord, LayerRecord]) -> None:
    document, layer = item
    line = document_line(document, layer)
    parsed = parse_record(json.loads(line), ReadContext("in.jsonl"), 1)
    assert not isinstance(parsed, AnnotatorError), parsed
    (back,) = parsed.layers
    assert back.doc_fields == layer.doc_fields
    assert [(s.start, s.end, s.label, s.text) for s in back.spans] == sorted(
        (s.start, s.end, s.label, s.text) for s in layer.spans)
    assert _linked(back) == _linked(layer) and len(back.relations) == len(layer.relations)
    assert back.relations == sorted(back.relations)  # the file's order: from, to, label
    assert document_line(parsed.document, back) == line  # read → write gives the same bytes
