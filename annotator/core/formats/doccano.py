"""doccano JSONL, both shapes: ``label`` ([[start, end, "LABEL"]]) and ``entities`` (objects).

doccano keeps no quote. Checked against a running doccano 1.8.4 on 2026-11-24 (``bench/interop_doccano.py``,
words selected with the mouse in its editor in headless Chromium): its server stores and exports offsets
exactly as imported, and its editor counts

* by default, UTF-16 code units (JavaScript string indices) of the text *as stored*, so each ``\r`` of a
  ``\r\n`` counts one too;
* in a project with "grapheme mode" on, user-perceived characters (Unicode extended grapheme clusters:
  an emoji with its skin tone and ZWJ parts is one, ``e`` with a combining accent is one, ``\r\n`` is one).

Files made by scripts count code points. The units differ only after an astral character, a combining
mark or a ``\r``, so the reader decides the unit for the *whole file* by which one puts the ambiguous
spans on word boundaries more often (a span in the wrong unit starts or ends mid-word), uses it for every
span where it is valid (a record without ``\r\n`` takes the same unit without the ``\r``), and reports
what it converted. Export writes code points by default; the ``doccano-utf16`` variant writes UTF-16
units for re-import into doccano's editor in its default mode.

Document fields of kind choice, multi and yes/no are ``cats`` (``KEY:VALUE`` names, ``structure``);
relations are doccano's ``relations`` (``from_id``/``to_id`` entity ids, ``type``), which only the
``entities`` shape can hold: the ``label`` shape counts them as not written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.formats._shared import (
    CODE_POINTS,
    RAW_CODE_POINTS,
    RAW_UTF16,
    UTF16,
    OffsetUnits,
    boundary_score,
    clean_meta,
    first_json_object,
    make_document,
)
from annotator.core.formats.base import Format, ReadContext, WriteReport, register
from annotator.core.formats.structure import (
    categories_of,
    fields_from_categories,
    relation_records,
    split_category,
    written_order,
    written_relations,
)
from annotator.core.graphemes import grapheme_starts
from annotator.core.model import (
    LAYER_STATUSES,
    STATUS_DONE,
    STATUS_TODO,
    AnnotatedDocument,
    LayerRecord,
    RelationRecord,
    SpanRecord,
)
from annotator.core.offsets import Utf16Map
from annotator.core.scheme import Scheme

GRAPHEMES = "grapheme clusters (doccano's grapheme mode)"
_PREFERENCE = (CODE_POINTS, RAW_CODE_POINTS, RAW_UTF16, UTF16, GRAPHEMES)
"""Tie order between units that place a file's spans equally well: code points (scripts) first."""

_SAME_FAMILY = {
    RAW_UTF16: (RAW_UTF16, UTF16, RAW_CODE_POINTS),  # without astral characters UTF-16 is code points
    RAW_CODE_POINTS: (RAW_CODE_POINTS, CODE_POINTS),
}
"""The unit a record without ``\r\n`` (or without astral characters) takes when the file's unit counts them."""


class _Units(OffsetUnits):
    """:class:`OffsetUnits` plus grapheme clusters, the unit of doccano's grapheme mode.

    Clusters are counted on the canonical text: ``\r\n`` is one cluster, as the ``\n`` it becomes is.
    """

    def __init__(self, raw_text: str) -> None:
        super().__init__(raw_text)
        starts = grapheme_starts(self.text)
        self._clusters = starts if len(starts) != len(self.text) + 1 else None

    @property
    def ambiguous(self) -> bool:
        return super().ambiguous or self._clusters is not None

    def units(self) -> tuple[str, ...]:
        base = super().units()
        return (*base, GRAPHEMES) if self._clusters is not None else base

    def convert(self, unit: str, start: object, end: object) -> tuple[int, int] | None:
        if unit != GRAPHEMES:
            return super().convert(unit, start, end)
        clusters = self._clusters
        if clusters is None or isinstance(start, bool) or isinstance(end, bool):
            return None
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end < len(clusters):
            return None
        return clusters[start], clusters[end]


def _record_units(unit: str, units: OffsetUnits) -> list[str]:
    """The file's unit as this record has it, then code points."""
    offered = units.units()
    chosen = [u for u in _SAME_FAMILY.get(unit, (unit,)) if u in offered]
    return [*chosen[:1], CODE_POINTS]


_RESERVED = {"id", "text", "data", "label", "labels", "entities", "relations", "cats", "annotator", "user",
             "_annotator_id", "doc_id", "status", "meta", "Comments", "comments", "notes"}


def _raw_spans(obj: dict[str, Any], ctx: ReadContext, line: int) -> list[tuple[Any, Any, Any]] | AnnotatorError:
    """(start, end, label) triples from either shape, before any unit conversion."""
    triples: list[tuple[Any, Any, Any]] = []
    if isinstance(obj.get("entities"), list):
        for n, ent in enumerate(obj["entities"], start=1):
            if not isinstance(ent, dict):
                return ctx.error(f"entity #{n} is not an object", line)
            triples.append((ent.get("start_offset"), ent.get("end_offset"), ent.get("label")))
        return triples
    raw = obj.get("label", obj.get("labels", []))
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        return ctx.error("'label' must be a list of [start, end, label]", line)
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, list | tuple) or len(item) != 3:
            # a text-classification project stores plain category names; not spans
            return ctx.error(f"label #{n} is not a [start, end, label] triple (is this a sequence-labelling export?)", line)
        triples.append((item[0], item[1], item[2]))
    return triples


def _record_text(obj: Any) -> str | None:
    if not isinstance(obj, dict):
        return None
    text = obj.get("text", obj.get("data"))
    return text if isinstance(text, str) else None


def choose_unit(objects: Iterable[tuple[int, Any]], ctx: ReadContext) -> str:
    """The offset unit that places this file's ambiguous spans on word boundaries most consistently."""
    scores: dict[str, int] = {}
    saw_crlf = False
    for line, obj in objects:
        text = _record_text(obj)
        if text is None:
            continue
        saw_crlf |= "\r\n" in text
        units = _Units(text)
        if not units.ambiguous:
            continue
        triples = _raw_spans(obj, ctx, line)
        if isinstance(triples, AnnotatorError):
            continue
        # Every unit is scored on every record, as this record has it: a record without "\r\n" is
        # evidence for "UTF-16 of the text with \r\n" too (doccano counts the text as stored).
        as_here = {unit: _record_units(unit, units)[0] for unit in _PREFERENCE}
        for start, end, _label in triples:
            found = {unit: units.convert(here, start, end) for unit, here in as_here.items()}
            if len(set(found.values())) <= 1:
                continue  # every unit agrees: no evidence
            for unit, pair in found.items():
                scores[unit] = scores.get(unit, 0) + (1 + boundary_score(units.text, *pair) if pair else -3)
    if not saw_crlf:  # the "with \r\n" units only tied with their plain twins: name the plain one
        scores = {u: v for u, v in scores.items() if u not in (RAW_CODE_POINTS, RAW_UTF16)}
    if not scores:
        return CODE_POINTS
    best = max(scores.items(), key=lambda kv: (kv[1], -_PREFERENCE.index(kv[0])))
    return best[0] if best[1] > scores.get(CODE_POINTS, 0) else CODE_POINTS


def parse_record(obj: Any, unit: str, ctx: ReadContext, line: int) -> AnnotatedDocument | AnnotatorError:
    text = _record_text(obj)
    if text is None or not text.strip():
        return ctx.error("record has no 'text' string", line)
    if "\x00" in text:
        return ctx.error("record text contains a NUL character", line)
    assert isinstance(obj, dict)
    triples = _raw_spans(obj, ctx, line)
    if isinstance(triples, AnnotatorError):
        return triples
    meta = clean_meta(obj.get("meta"))
    for key, value in obj.items():
        if key not in _RESERVED and (isinstance(value, str | int | float | bool) or value is None):
            meta[key] = value
    doc_id = obj.get("doc_id") or meta.pop("doc_id", None)
    if doc_id is None and obj.get("id") is not None:
        meta["doccano_id"] = obj["id"]
    doc = make_document(text, doc_id, meta)
    units = _Units(text)
    tried = _record_units(unit, units)
    spans: list[SpanRecord] = []
    converted = 0
    for n, (start, end, label) in enumerate(triples, start=1):
        if not isinstance(label, str) or not label:
            return ctx.error(f"span #{n} has no label", line)
        pair = next((p for p in (units.convert(u, start, end) for u in tried) if p is not None), None)
        if pair is None:
            alternatives = list(units.candidates(start, end))
            if not alternatives:
                return ctx.error(
                    f"span #{n} ({label}): offsets {start!r}-{end!r} are not a span of the text "
                    f"({len(doc.text)} code points)", line)
            pair = alternatives[0][1:]
        s, e = pair
        if (s, e) != (start, end):
            converted += 1
        spans.append(SpanRecord(start=s, end=e, label=label, text=doc.text[s:e]))
    if converted:
        ctx.notice(f"{converted} span(s) converted from {tried[0]} to code points", line)
    annotator = obj.get("annotator", obj.get("user", obj.get("_annotator_id")))
    annotator = str(annotator) if annotator not in (None, "") else None
    status = obj.get("status", STATUS_DONE)
    if status not in LAYER_STATUSES:
        status = STATUS_DONE
    structure = _read_structure(obj, spans, ctx, line)
    if isinstance(structure, AnnotatorError):
        return structure
    fields, relations = structure
    layer = LayerRecord(annotator=annotator, status=status, spans=spans, doc_fields=fields, relations=relations)
    layers = [layer] if (spans or annotator or fields) else []
    return AnnotatedDocument(doc, layers, line=line)


def _read_structure(obj: dict[str, Any], spans: list[SpanRecord], ctx: ReadContext,
                    line: int) -> tuple[dict[str, Any], list[RelationRecord]] | AnnotatorError:
    """Document fields from ``cats`` (``KEY:VALUE`` names) and relations between ``entities`` by id."""
    cats = obj.get("cats") or []
    if not isinstance(cats, list):
        return ctx.error("'cats' must be a list of category names", line)
    pairs = [split_category(name) for name in cats]
    foreign = [name for name, pair in zip(cats, pairs, strict=True) if pair is None]
    if foreign:
        ctx.notice(f"categories {', '.join(repr(str(c)[:40]) for c in foreign[:5])} are not 'FIELD:VALUE' "
                   "names of a document field; ignored", line)
    fields = fields_from_categories([p for p in pairs if p is not None], ctx.scheme)
    raw_relations = obj.get("relations") or []
    if not isinstance(raw_relations, list):
        return ctx.error("'relations' must be a list", line)
    raw_entities = obj.get("entities")
    entities: list[Any] = raw_entities if isinstance(raw_entities, list) else []
    by_id = {str(ent.get("id")): i for i, ent in enumerate(entities) if isinstance(ent, dict) and "id" in ent}
    links: list[tuple[int, int, str]] = []
    for n, rel in enumerate(raw_relations, start=1):
        if not isinstance(rel, dict) or not isinstance(rel.get("type"), str) or not rel["type"]:
            return ctx.error(f"relation #{n} needs 'from_id', 'to_id' and a 'type'", line)
        ends = [str(rel.get(key)) for key in ("from_id", "to_id")]
        missing = [end for end in ends if end not in by_id]
        if missing:
            return ctx.error(f"relation #{n} ({rel['type']}): no entity has the id {missing[0]}", line)
        links.append((by_id[ends[0]], by_id[ends[1]], rel["type"]))
    return fields, relation_records(links)


class Doccano(Format):
    name = "doccano"
    description = "doccano sequence-labelling JSONL ('label' triples); offsets in code points"
    extensions = (".jsonl",)
    can_read = True
    can_write = True
    sniff_priority = 20
    shape = "label"
    utf16 = False

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() not in (".jsonl", ".ndjson"):
            return False
        obj = first_json_object(head, path)
        if obj is None:
            sample = head[:65536]
            return b'"start_offset"' in sample or b'"label": [[' in sample or b'"label":[[' in sample
        if "text_sha256" in obj or "spans" in obj or "tokens" in obj:
            return False
        ents = obj.get("entities")
        if isinstance(ents, list) and (not ents or (isinstance(ents[0], dict) and "start_offset" in ents[0])):
            return _record_text(obj) is not None
        label = obj.get("label")
        if isinstance(label, list) and (not label or isinstance(label[0], list)):
            return _record_text(obj) is not None
        return False

    def read(self, path: Path, ctx: ReadContext) -> Iterator[AnnotatedDocument | AnnotatorError]:
        from annotator.core.formats.native_jsonl import iter_json_lines, iter_text_lines

        def objects() -> Iterator[tuple[int, Any] | AnnotatorError]:
            # Streamed twice (once to choose the unit, once to read) rather than held: the line size
            # limit bounds memory whatever the file's size.
            return iter_json_lines(iter_text_lines(path), ctx)

        unit = choose_unit((o for o in objects() if not isinstance(o, AnnotatorError)), ctx)
        if unit != CODE_POINTS:
            ctx.notice(f"offsets read as {unit}, as doccano's editor counts them, and converted to code points")
        for item in objects():
            if isinstance(item, AnnotatorError):
                yield item
                continue
            number, obj = item
            if not isinstance(obj, dict):
                yield ctx.error("a record must be a JSON object", number)
                continue
            try:
                yield parse_record(obj, unit, ctx, number)
            except AnnotatorError as exc:
                yield exc.at(path=ctx.path, line=number)

    def write(self, docs: Iterable[AnnotatedDocument], out: Path, scheme: Scheme) -> WriteReport:
        report = WriteReport()
        astral_docs = 0
        with open(out, "w", encoding="utf-8", newline="\n") as stream:
            for item in docs:
                doc = item.document
                u16 = Utf16Map(doc.text)
                if not u16.is_identity:
                    astral_docs += 1
                conv = u16.to_utf16 if self.utf16 else (lambda x: x)
                layers: list[LayerRecord | None] = list(item.layers) or [None]
                for layer in layers:
                    spans, position = written_order(layer.spans) if layer else ([], {})
                    record: dict[str, Any] = {"text": doc.text}
                    if self.shape == "entities":
                        record["entities"] = [
                            {"id": i, "label": s.label, "start_offset": conv(s.start), "end_offset": conv(s.end)}
                            for i, s in enumerate(spans, start=1)
                        ]
                    else:
                        record["label"] = [[conv(s.start), conv(s.end), s.label] for s in spans]
                    if layer is not None:
                        self._write_structure(record, layer, position, scheme, report)
                    record["doc_id"] = doc.doc_id
                    for key, value in sorted(doc.meta.items()):
                        if value not in (None, "") and key not in _RESERVED:
                            record[key] = value
                    record["annotator"] = layer.annotator if layer else None
                    record["status"] = layer.status if layer else STATUS_TODO
                    if any(s.note or s.attributes for s in spans):
                        report.problems.append(f"{doc.doc_id}: span notes and attributes are not written (doccano has no place for them)")
                    stream.write(json.dumps(record, ensure_ascii=False) + "\n")
                    report.spans += len(spans)
                report.documents += 1
        if astral_docs:
            if self.utf16:
                report.problems.append(
                    f"{astral_docs} document(s) contain characters outside the BMP: offsets written in UTF-16 "
                    "code units for doccano's UI; other tools expect code points (export as the doccano format for them)")
            else:
                report.problems.append(
                    f"{astral_docs} document(s) contain characters outside the BMP (e.g. emoji): offsets are code "
                    "points, but doccano's browser UI counts UTF-16 units; export as doccano-utf16 to re-import into doccano")
        return report


    def _write_structure(self, record: dict[str, Any], layer: LayerRecord, position: dict[int, int], scheme: Scheme,
                         report: WriteReport) -> None:
        """``relations`` between entity ids (the ``entities`` shape only) and ``cats`` for the fields."""
        links = written_relations(layer, position)
        if links and self.shape == "entities":
            record["relations"] = [{"id": n, "from_id": source + 1, "to_id": target + 1, "type": label}
                                   for n, (source, target, label) in enumerate(links, start=1)]
        elif links:
            report.drop("relations", "the 'label' shape has no span ids; export doccano-entities", len(links))
        cats = categories_of(layer, scheme, report.drop)
        if cats:
            record["cats"] = cats


class DoccanoEntities(Doccano):
    name = "doccano-entities"
    description = "doccano JSONL, 'entities' shape (start_offset/end_offset); offsets in code points"
    shape = "entities"
    sniff_priority = 99  # reading is shared with 'doccano', which detects both shapes
    can_read = False


class DoccanoUtf16(Doccano):
    name = "doccano-utf16"
    description = "doccano JSONL ('label' triples) with offsets in UTF-16 code units, as its browser UI counts"
    offset_unit = "UTF-16 code units"
    utf16 = True
    can_read = False


register(Doccano())
register(DoccanoEntities())
register(DoccanoUtf16())
