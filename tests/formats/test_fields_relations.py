"""Document fields, typed span attributes and relations in every interchange format: what each carries comes
back exactly (read with the scheme, as an import reads), and what it cannot carry is counted in the
export's report (``WriteReport.dropped``) rather than lost silently."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.formats import ReadContext, get_format
from annotator.core.model import AnnotatedDocument, RelationRecord
from tests.formats.helpers import DATA, char_spans, doc_of, texts, token_spans
from tests.formats.structure_helpers import CATEGORY_FIELDS, FIELDS, RICH, TEXT, expected, rich_doc, shape


def round_trip(fmt_name: str, tmp_path: Path, item: AnnotatedDocument | None = None):
    item = item or rich_doc()
    fmt = get_format(fmt_name)
    folder = tmp_path / f"run-{len(list(tmp_path.iterdir()))}"  # hypothesis examples share tmp_path
    folder.mkdir()
    out = folder / ("out" if fmt.writes_directory else f"out{fmt.extensions[0]}")
    report = fmt.write([item], out, RICH)
    ctx = ReadContext(str(out), scheme=RICH)
    read = list(fmt.read(out, ctx))
    assert all(isinstance(doc, AnnotatedDocument) for doc in read), read
    assert len(read) == 1 and len(read[0].layers) == 1
    return report, read[0].layers[0], ctx


def test_label_studio_carries_everything(tmp_path: Path) -> None:
    report, layer, _ = round_trip("label-studio", tmp_path)
    assert shape(layer) == expected(rich_doc().layers[0])
    assert report.dropped == {} and report.problems == []
    task = json.loads((tmp_path / "run-0" / "out.json").read_text(encoding="utf-8"))[0]
    results = task["annotations"][0]["result"]
    relation = next(r for r in results if r["type"] == "relation" and r["labels"] == ["evades"])
    assert set(relation) >= {"from_id", "to_id", "direction"} and relation["direction"] == "right"
    assert next(r for r in results if r["type"] == "relation" and r["labels"] == ["same_event"])["direction"] == "bi"
    relevance = next(r for r in results if r.get("from_name") == "relevance")
    assert relevance["type"] == "choices" and relevance["value"] == {"choices": ["relevant"]}
    assert relevance["to_name"] == "text"
    severity = next(r for r in results if r.get("from_name") == "injury:severity" and r["value"]["choices"] == ["serious"])
    region = next(r for r in results if r["type"] == "labels" and r["id"] == severity["id"])
    assert region["value"]["text"] == "were burned" and severity["value"]["start"] == region["value"]["start"]


def test_label_studio_without_a_scheme_keeps_the_shapes_it_reads(tmp_path: Path) -> None:
    out = tmp_path / "o.json"
    get_format("label-studio").write([rich_doc()], out, RICH)
    layer = next(iter(get_format("label-studio").read(out, ReadContext(str(out))))).layers[0]
    assert layer.doc_fields == FIELDS  # choices ["true"]/["false"] read as yes/no, several as a list
    assert layer.doc_fields["topics"] == ["hours", "wages"] and layer.doc_fields["flagged"] is False


def test_labeling_config_declares_relations_fields_and_attribute_controls() -> None:
    from xml.etree import ElementTree

    from annotator.core.formats.label_studio import labeling_config

    root = ElementTree.fromstring(labeling_config(RICH))
    assert [r.get("value") for r in root.iter("Relation")] == ["caused", "evades", "same_event"]
    choices = {c.get("name"): c for c in root.iter("Choices")}
    assert [c.get("value") for c in choices["relevance"]] == ["relevant", "partly", "not relevant"]
    assert choices["topics"].get("choice") == "multiple" and choices["relevance"].get("choice") == "single"
    assert [c.get("value") for c in choices["flagged"]] == ["true", "false"]
    assert choices["injury:severity"].get("perRegion") == "true"
    assert {n.get("name") for n in root.iter("Number")} == {"workers", "working_hours:hours_per_day",
                                                             "remittance:amount"}
    assert [d.get("name") for d in root.iter("DateTime")] == ["reported"]
    shown_when = {v.get("whenLabelValue") for v in root.iter("View") if v.get("visibleWhen")}
    assert shown_when == {"working_hours", "injury", "remittance"}


def test_brat_carries_relations_and_typed_attributes_not_fields(tmp_path: Path) -> None:
    report, layer, _ = round_trip("brat", tmp_path)
    assert shape(layer) == expected(rich_doc().layers[0], fields=(), drop_false=True, no_lists=True)
    assert any("attribute gear=['gloves', 'mask'] of span T3 cannot be written to brat" in p for p in report.problems)
    assert layer.spans[0].attributes["hours_per_day"] == 22  # a number again, read by the scheme's kind
    assert report.dropped == {"yes/no attributes set to no": 1, "document fields": len(FIELDS)}
    assert any(p.startswith("document fields: 7 not written (brat has no document-level") for p in report.problems)
    ann = (tmp_path / "run-0" / "out" / "d-rich.ann").read_text(encoding="utf-8")
    assert "R1\tcaused Arg1:T1 Arg2:T3\n" in ann and "\tevades Arg1:T5 Arg2:T6\n" in ann
    assert "\ttreated T3\n" in ann and "\tseverity T3 serious\n" in ann
    conf = (tmp_path / "run-0" / "out" / "annotation.conf").read_text(encoding="utf-8")
    relations = conf.split("[relations]\n")[1].split("\n\n")[0].splitlines()
    assert relations == ["caused\tArg1:working_hours|surveillance, Arg2:injury", "evades\tArg1:remittance, Arg2:sanctions",
                         "same_event\tArg1:<ANY>, Arg2:<ANY>, <REL-TYPE>:symmetric"]
    attributes = conf.split("[attributes]\n")[1].splitlines()
    assert "severity\tArg:injury, Value:minor|serious|fatal" in attributes
    assert "treated\tArg:injury" in attributes and "hours_per_day\tArg:working_hours, Value:22" in attributes


def test_brat_without_a_scheme_reads_attribute_values_as_text(tmp_path: Path) -> None:
    out = tmp_path / "b"
    get_format("brat").write([rich_doc()], out, RICH)
    layer = next(iter(get_format("brat").read(out, ReadContext(str(out))))).layers[0]
    hours = next(s for s in layer.spans if s.label == "working_hours")
    assert hours.attributes == {"hours_per_day": "22"}


@pytest.mark.parametrize("name", ["doccano-entities", "prodigy"])
def test_category_formats_carry_relations_and_choice_fields(name: str, tmp_path: Path) -> None:
    report, layer, _ = round_trip(name, tmp_path)
    attributes = name == "prodigy"  # Prodigy spans keep our attributes object; doccano has no place for them
    assert shape(layer) == expected(rich_doc().layers[0], fields=CATEGORY_FIELDS, attributes=attributes)
    assert report.dropped == {"number, date and text field values": 3}


def test_doccano_writes_cats_and_relations_between_entity_ids(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    get_format("doccano-entities").write([rich_doc()], out, RICH)
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["cats"] == ["relevance:relevant", "source_type:re-reporting", "flagged:false", "topics:hours",
                              "topics:wages"]
    ids = {e["id"]: TEXT[e["start_offset"]:e["end_offset"]] for e in record["entities"]}
    assert {(ids[r["from_id"]], ids[r["to_id"]], r["type"]) for r in record["relations"]} == {
        ("22-hour days", "were burned", "caused"), ("guards watched them", "were burned", "caused"),
        ("300 USD a month", "UN sanctions", "evades"), ("were burned", "Two were burned", "same_event")}
    assert [r["id"] for r in record["relations"]] == [1, 2, 3, 4]


def test_doccano_label_shape_lists_relations_as_not_written(tmp_path: Path) -> None:
    report, layer, _ = round_trip("doccano", tmp_path)
    assert layer.relations == [] and report.dropped["relations"] == 4
    assert any("export doccano-entities" in p for p in report.problems)
    assert {k: layer.doc_fields[k] for k in CATEGORY_FIELDS} == {k: FIELDS[k] for k in CATEGORY_FIELDS}


def test_prodigy_relations_name_head_and_child_tokens_and_spans(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    get_format("prodigy").write([rich_doc()], out, RICH)
    task = json.loads(out.read_text(encoding="utf-8"))
    caused = next(r for r in task["relations"] if r["head_span"]["label"] == "working_hours")
    tokens = task["tokens"]
    assert caused["label"] == "caused" and tokens[caused["head"]]["text"] == "days"  # the span's token_end
    assert TEXT[caused["child_span"]["start"]:caused["child_span"]["end"]] == "were burned"
    assert tokens[caused["child"]]["text"] == "burned"
    assert task["accept"] == ["relevance:relevant", "source_type:re-reporting", "flagged:false", "topics:hours",
                              "topics:wages"]
    ids = [o["id"] for o in task["options"]]
    assert ids[:3] == ["relevance:relevant", "relevance:partly", "relevance:not relevant"]
    assert "flagged:true" in ids and {"id": "topics:safety", "text": "Topics: safety"} in task["options"]


def test_spacy_doc_cats_carry_choice_and_yes_no_fields(tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    report, layer, _ = round_trip("spacy", tmp_path)
    assert shape(layer) == expected(rich_doc().layers[0], fields=CATEGORY_FIELDS)
    assert report.dropped == {"number, date and text field values": 3}
    import spacy
    from spacy.tokens import DocBin

    doc = next(DocBin().from_disk(tmp_path / "run-0" / "out.spacy").get_docs(spacy.blank("xx").vocab))
    assert doc.cats["relevance:relevant"] == 1.0 and doc.cats["relevance:partly"] == 0.0
    assert doc.cats["flagged"] == 0.0 and doc.cats["topics:hours"] == doc.cats["topics:wages"] == 1.0


def test_csv_has_one_column_per_field_in_scheme_order(tmp_path: Path) -> None:
    out = tmp_path / "o.csv"
    report = get_format("csv").write([rich_doc()], out, RICH)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    header = list(rows[0])
    assert header[-7:] == ["relevance", "source_type", "flagged", "topics", "workers", "reported", "summary"]
    assert {(r["relevance"], r["flagged"], r["topics"], r["workers"], r["reported"]) for r in rows} == {
        ("relevant", "false", "hours, wages", "2", "2026-05-01")}
    assert report.dropped == {"relations": 4}


@pytest.mark.parametrize("name", ["w3c", "conll"])
def test_formats_without_fields_or_relations_say_so(name: str, tmp_path: Path) -> None:
    report = get_format(name).write([rich_doc()], tmp_path / "o", RICH)
    assert report.dropped["document fields"] == len(FIELDS) and report.dropped["relations"] == 4
    assert any(p.startswith("relations: 4 not written") for p in report.problems)
    assert report.dropped_summary().startswith("not written: ")


def test_dropped_counts_add_up_across_documents_in_one_line(tmp_path: Path) -> None:
    docs = [rich_doc(), rich_doc("analyst-b")]
    report = get_format("conll").write(docs, tmp_path / "o", RICH)
    lines = [p for p in report.problems if p.startswith("document fields:")]
    assert lines == [f"document fields: {2 * len(FIELDS)} not written (CoNLL has no document-level annotations)"]


# ---- random layers: whatever spans, relations and choice values, the formats that carry them give them back

@st.composite
def structured_doc(draw: st.DrawFn, on_tokens: bool = False) -> AnnotatedDocument:
    text = draw(texts())
    drawn = draw(token_spans(text, words_only=True) if on_tokens else char_spans(text))
    spans = list({(s.start, s.end, s.label): s for s in drawn}.values())  # a layer holds a span once
    relations = []
    if len(spans) >= 2:
        for _ in range(draw(st.integers(0, 4))):
            source, target = draw(st.lists(st.integers(0, len(spans) - 1), min_size=2, max_size=2, unique=True))
            relations.append(RelationRecord(source, target, draw(st.sampled_from(["caused", "evades", "same_event"]))))
    fields = draw(st.fixed_dictionaries({}, optional={
        "relevance": st.sampled_from(["relevant", "partly", "not relevant"]),
        "flagged": st.booleans(),
        "topics": st.lists(st.sampled_from(["wages", "hours", "safety"]), min_size=1, unique=True).map(sorted),
    }))
    item = doc_of(text, spans)
    item.layers[0].relations = sorted(set(relations))
    item.layers[0].doc_fields = fields
    return item


# doccano has no quote: its reader judges the offset unit by word boundaries, so its spans are words
@pytest.mark.parametrize(("name", "on_tokens"), [("label-studio", False), ("doccano-entities", True), ("brat", False)])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_relations_and_fields_come_back(name: str, on_tokens: bool, tmp_path: Path,
                                               data: st.DataObject) -> None:
    item = data.draw(structured_doc(on_tokens))
    report, layer, _ = round_trip(name, tmp_path, item)
    fields = () if name == "brat" else None
    assert shape(layer) == expected(item.layers[0], fields=fields)
    assert report.dropped.get("relations", 0) == 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_relations_and_fields_come_back_through_prodigy(tmp_path: Path, data: st.DataObject) -> None:
    item = data.draw(structured_doc(on_tokens=True))
    _, layer, _ = round_trip("prodigy", tmp_path, item)
    assert shape(layer) == expected(item.layers[0])


# ---- files checked outside our code

def test_brat_fixture_checked_with_brats_own_parser(tmp_path: Path) -> None:
    """``tests/data/formats/brat_relations`` is our export of the rich document, read on 2026-12-06 by brat's
    own ``server/src/annotation.py`` (``TextAnnotations``, nlplab/brat master 44ecd825) and
    ``projectconfig.py`` with ``bench/interop_brat.py``: 6 text-bound annotations, 8 attributes and 4
    relations, no failed line, the same as our reader gives; ``annotation.conf`` read without a message,
    ``caused`` allowed only from working_hours/surveillance to injury, ``evades`` only remittance to
    sanctions, ``same_event`` between any labels with ``<REL-TYPE>: symmetric``, attributes severity,
    treated and body_part on injury. brat is not installable from a registry, so the check is kept as this
    fixture: the writer must still produce it byte for byte, and the reader must read it exactly."""
    fixture = DATA / "brat_relations"
    out = tmp_path / "again"
    get_format("brat").write([rich_doc()], out, RICH)
    for path in sorted(fixture.iterdir()):
        assert (out / path.name).read_bytes() == path.read_bytes(), path.name
    ctx = ReadContext(str(fixture), scheme=RICH)
    (item,) = get_format("brat").read(fixture, ctx)
    assert isinstance(item, AnnotatedDocument)
    assert shape(item.layers[0]) == expected(rich_doc().layers[0], fields=(), drop_false=True, no_lists=True)
    ann = (fixture / "d-rich.ann").read_text(encoding="utf-8").splitlines()
    # what brat's parser read, written down by hand from its output
    assert [line.split("\t")[1] for line in ann if line.startswith("R")] == [
        "caused Arg1:T1 Arg2:T3", "same_event Arg1:T3 Arg2:T2", "caused Arg1:T4 Arg2:T3", "evades Arg1:T5 Arg2:T6"]
    assert sum(line.startswith("A") for line in ann) == 8 and sum(line.startswith("T") for line in ann) == 6


def test_label_studio_fixture_with_relations_and_choices_imports_exactly() -> None:
    """A task as Label Studio's JSON export writes it (its documented task format: region ids shared by a
    span's ``labels`` result and its per-region ``choices``/``number`` results, ``relation`` results
    with ``from_id``/``to_id``/``direction``, task-level ``choices``), made by hand."""
    path = DATA / "label_studio_relations_choices.json"
    ctx = ReadContext(str(path), scheme=RICH)
    (item,) = get_format("label-studio").read(path, ctx)
    assert isinstance(item, AnnotatedDocument)
    layer = item.layers[0]
    assert layer.annotator == "label-studio-user-2" and layer.status == "done"
    assert [(s.start, s.end, s.label, s.text, s.attributes) for s in layer.spans] == [
        (28, 49, "working_hours", "worked 14 hours a day", {"hours_per_day": 14}),
        (55, 71, "injury", "lost two fingers", {"severity": "serious"}),
        (78, 99, "surveillance", "guards refused gloves", {}),
        (118, 142, "remittance", "500 USD home every month", {"currency": "USD"}),
    ]
    # "direction": "left" points from to_id to from_id: the guards' refusal caused the injury
    assert layer.relations == [RelationRecord(0, 1, "caused"), RelationRecord(2, 1, "caused")]
    assert layer.doc_fields == {"relevance": "relevant", "source_type": "first-hand testimony"}
    assert ctx.notices == []


# ---- bad links: one clear line for a broken file, a notice for what the model cannot hold

def _one_file(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_brat_relation_lines_are_checked(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "a.txt").write_text("Guards watched. Two were burned.", encoding="utf-8")
    ann = folder / "a.ann"
    ann.write_text("T1\tsurveillance 0 14\tGuards watched\nR1\tcaused Arg1:T1\n", encoding="utf-8")
    (error,) = get_format("brat").read(folder, ReadContext(str(folder)))
    assert str(error).endswith("a.ann, line 2: relation R1 needs a type and two arguments ('caused Arg1:T3 Arg2:T7')")
    ann.write_text("T1\tsurveillance 0 14\tGuards watched\nR1\tcaused Arg1:T1 Arg2:T1\n", encoding="utf-8")
    (error,) = get_format("brat").read(folder, ReadContext(str(folder)))
    assert "relation R1 links T1 to itself" in str(error)
    ann.write_text("R1\tcaused Arg1:T1 Arg2:E1\nT1\tsurveillance 0 14\tGuards watched\n", encoding="utf-8")
    ctx = ReadContext(str(folder))
    (item,) = get_format("brat").read(folder, ctx)
    assert item.layers[0].relations == [] and any("refers to E1, which is not a text-bound" in n for n in ctx.notices)


def test_doccano_relation_to_an_unknown_entity_names_it(tmp_path: Path) -> None:
    record = {"text": "Guards watched. Two were burned.", "entities": [
        {"id": 7, "label": "surveillance", "start_offset": 0, "end_offset": 14}],
        "relations": [{"id": 1, "from_id": 7, "to_id": 8, "type": "caused"}], "cats": ["relevance:partly", "positive"]}
    path = _one_file(tmp_path, "d.jsonl", json.dumps(record) + "\n")
    (error,) = get_format("doccano").read(path, ReadContext(str(path)))
    assert str(error) == f"{path}, line 1: relation #1 (caused): no entity has the id 8"
    record["relations"] = []
    path = _one_file(tmp_path, "d.jsonl", json.dumps(record) + "\n")
    ctx = ReadContext(str(path))
    (item,) = get_format("doccano").read(path, ctx)
    assert item.layers[0].doc_fields == {"relevance": "partly"}
    assert any("categories 'positive' are not 'FIELD:VALUE' names" in n for n in ctx.notices)


def test_prodigy_relation_between_tokens_that_are_no_spans_is_a_notice(tmp_path: Path) -> None:
    task = {"text": "Guards watched. Two were burned.", "answer": "accept",
            "spans": [{"start": 0, "end": 6, "label": "surveillance"}],
            "relations": [{"head": 0, "child": 4, "label": "caused",
                           "head_span": {"start": 0, "end": 6, "label": "surveillance"},
                           "child_span": {"start": 20, "end": 24, "label": "injury"}}]}
    path = _one_file(tmp_path, "p.jsonl", json.dumps(task) + "\n")
    ctx = ReadContext(str(path))
    (item,) = get_format("prodigy").read(path, ctx)
    assert item.layers[0].relations == []
    assert any("relation #1 (caused) links tokens that are not among the task's spans" in n for n in ctx.notices)


def test_label_studio_unlabelled_relation_is_a_notice(tmp_path: Path) -> None:
    region = {"id": "a", "from_name": "label", "to_name": "text", "type": "labels",
              "value": {"start": 0, "end": 6, "text": "Guards", "labels": ["surveillance"]}}
    other = dict(region, id="b", value={"start": 20, "end": 24, "text": "were", "labels": ["injury"]})
    task = {"data": {"text": "Guards watched. Two were burned."}, "annotations": [{"result": [
        region, other, {"from_id": "a", "to_id": "b", "type": "relation", "direction": "right", "labels": []}]}]}
    path = _one_file(tmp_path, "l.json", json.dumps([task]))
    ctx = ReadContext(str(path))
    (item,) = get_format("label-studio").read(path, ctx)
    assert item.layers[0].relations == []
    assert any("relation without a label; ignored" in n for n in ctx.notices)
