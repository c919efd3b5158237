"""spaCy DocBin (``.spacy``), for training spaCy pipelines. spaCy is an optional dependency.

Each (document, layer) becomes one ``Doc`` made by a blank pipeline's rule-based tokenizer (no model is
downloaded): ``spacy.blank("xx")``, the multi-language tokenizer. Every span is placed with
``doc.char_span(start, end, alignment_mode="strict")``; spans whose ends fall inside a spaCy token are
reported and left out. All placed spans go to ``doc.spans["sc"]`` (overlaps allowed, for the span
categorizer); a non-overlapping subset (longest first) goes to ``doc.ents`` for the NER component, and
the spans kept out of ``doc.ents`` are reported. ``doc.user_data`` carries ``doc_id``, ``annotator``,
``status``, ``text_sha256`` and the metadata. spaCy's character offsets are code points, like ours.
Document fields of kind choice, multi and yes/no go to ``doc.cats`` (``KEY:OPTION`` 1.0/0.0, a yes/no
``KEY`` 1.0/0.0) for ``textcat``; span attributes and relations, which spaCy has no place for, ride in
``doc.user_data`` keyed by ``start-end-label``.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from annotator.core.decoding import MAX_ARTICLE_BYTES
from annotator.core.errors import AnnotatorError
from annotator.core.formats._shared import make_document, short
from annotator.core.formats.base import Format, ReadContext, WriteReport, register
from annotator.core.formats.conll import choose_non_overlapping
from annotator.core.formats.structure import (
    CATEGORY_KINDS,
    category_values,
    fields_from_categories,
    ordered_fields,
    relation_records,
    split_category,
    value_kind,
)
from annotator.core.model import (
    LAYER_STATUSES,
    STATUS_DONE,
    STATUS_TODO,
    AnnotatedDocument,
    LayerRecord,
    RelationRecord,
    SpanRecord,
)
from annotator.core.safe_io import read_regular
from annotator.core.scheme import LABEL_KEY_PATTERN, Scheme

SPANS_KEY = "sc"
BLANK_LANGUAGE = "xx"


def _spacy() -> Any:
    """Import spaCy on first use, so the core works (and imports fast) without it."""
    try:
        import spacy
    except ImportError:
        raise AnnotatorError(
            "the spaCy format needs spaCy, which is not installed: pip install 'annotator[spacy]'"
        ) from None
    return spacy


def _to_doc(nlp: Any, item: AnnotatedDocument, layer: LayerRecord | None, report: WriteReport,
            scheme: Scheme) -> Any:
    doc_rec = item.document
    doc = nlp.make_doc(doc_rec.text)
    where = f"{doc_rec.doc_id} ({layer.annotator if layer else 'no annotator'})"
    placed: list[tuple[SpanRecord, Any]] = []
    if layer is not None:
        for span in sorted(layer.spans, key=lambda s: (s.start, s.end, s.label)):
            sp = doc.char_span(span.start, span.end, label=span.label, alignment_mode="strict")
            if sp is None:
                report.problems.append(
                    f"{where}: span {span.start}-{span.end} {span.label} {short(doc_rec.text[span.start:span.end])!r} "
                    "does not align with spaCy's tokens; left out")
                continue
            placed.append((span, sp))
    doc.spans[SPANS_KEY] = [sp for _, sp in placed]
    report.spans += len(placed)  # spans left out are reported, not counted as written
    by_id = {id(span): sp for span, sp in placed}
    kept, dropped = choose_non_overlapping([span for span, _ in placed])
    doc.ents = [by_id[id(span)] for span in kept]
    for span in dropped:
        report.problems.append(
            f"{where}: span {span.start}-{span.end} {span.label} overlaps another; in doc.spans['sc'] but not in doc.ents")
    doc.user_data["doc_id"] = doc_rec.doc_id
    doc.user_data["annotator"] = layer.annotator if layer else None
    doc.user_data["status"] = layer.status if layer else STATUS_TODO
    doc.user_data["text_sha256"] = doc_rec.text_sha256
    doc.user_data["meta"] = {k: v for k, v in doc_rec.meta.items() if isinstance(v, str | int | float | bool)}
    notes = {_key(s): s.note for s, _ in placed if s.note}
    if notes:
        doc.user_data["notes"] = notes
    attributes = {_key(s): dict(s.attributes) for s, _ in placed if s.attributes}
    if attributes:
        doc.user_data["attributes"] = attributes
    if layer is not None:
        _write_structure(doc, layer, {id(s) for s, _ in placed}, scheme, report)
    return doc


def _key(span: SpanRecord) -> str:
    """How ``user_data`` names a span: ``start-end-label`` (a layer holds each such span once)."""
    return f"{span.start}-{span.end}-{span.label}"


def _write_structure(doc: Any, layer: LayerRecord, placed: set[int], scheme: Scheme, report: WriteReport) -> None:
    """``doc.cats`` for the choice, multi and yes/no fields; relations between placed spans in ``user_data``.

    A choice or multi field gives one category per option, ``KEY:OPTION`` = 1.0 for the chosen and 0.0
    for the others (what spaCy's ``textcat``/``textcat_multilabel`` train on); a yes/no field one
    category ``KEY`` = 1.0 or 0.0. spaCy has no relation annotation: relations are kept in ``user_data``
    as ``[source, target, label]`` with the spans' ``start-end-label`` names.
    """
    others = 0
    for key, value, definition in ordered_fields(layer, scheme):
        kind = value_kind(value, definition)
        if kind == "bool":
            doc.cats[key] = 1.0 if value else 0.0
        elif kind in CATEGORY_KINDS:
            chosen = category_values(kind, value)
            for option in (definition.options if definition is not None else chosen):
                doc.cats[f"{key}:{option}"] = 1.0 if option in chosen else 0.0
        else:
            others += 1
    report.drop("number, date and text field values", "doc.cats holds only choice, multi and yes/no fields", others)
    relations = []
    for relation in sorted(layer.relations):
        source, target = layer.spans[relation.source], layer.spans[relation.target]
        if id(source) in placed and id(target) in placed:
            relations.append([_key(source), _key(target), relation.label])
        else:
            report.drop("relations of spans left out", "spaCy could not place one of their spans")
    if relations:
        doc.user_data["relations"] = sorted(relations)


def docbin_payload(path: Path) -> bytes:
    """The file's bytes, once it is known that they inflate to at most the article size limit.

    A DocBin is a zlib stream that spaCy inflates whole in one call: a few kilobytes of zeros can ask for
    gigabytes. The stream is inflated here first with a cap (``max_length``), so a bomb is refused after
    64 MB, and spaCy only ever sees a payload whose size is known.
    """
    name = str(path)
    data = read_regular(path, MAX_ARTICLE_BYTES)
    inflater = zlib.decompressobj()
    try:
        inflater.decompress(data, MAX_ARTICLE_BYTES)
    except zlib.error:
        raise AnnotatorError("not a readable spaCy DocBin (not zlib-compressed)", path=name) from None
    if inflater.unconsumed_tail:
        raise AnnotatorError(f"refused: the DocBin inflates to more than the limit of "
                             f"{MAX_ARTICLE_BYTES // (1024 * 1024)} MB", path=name)
    return data


class SpacyDocBin(Format):
    name = "spacy"
    description = "spaCy DocBin (.spacy): doc.spans['sc'] and non-overlapping doc.ents; needs annotator[spacy]"
    extensions = (".spacy",)
    offset_unit = "tokens (placed with char_span, strict)"
    can_read = True
    can_write = True
    sniff_priority = 30

    def write(self, docs: Iterable[AnnotatedDocument], out: Path, scheme: Scheme) -> WriteReport:
        """Docs are added to the DocBin as they come; a DocBin holds compact token arrays, not Doc objects."""
        spacy = _spacy()
        from spacy.tokens import DocBin

        nlp = spacy.blank(BLANK_LANGUAGE)
        docbin = DocBin(attrs=["ORTH", "SPACY", "ENT_IOB", "ENT_TYPE"], store_user_data=True)
        report = WriteReport()
        for item in docs:
            layers: list[LayerRecord | None] = list(item.layers) or [None]
            for layer in layers:
                docbin.add(_to_doc(nlp, item, layer, report, scheme))
            report.documents += 1
        docbin.to_disk(out)
        return report

    def read(self, path: Path, ctx: ReadContext) -> Iterator[AnnotatedDocument | AnnotatorError]:
        spacy = _spacy()
        from spacy.tokens import DocBin

        data = docbin_payload(path)
        nlp = spacy.blank(BLANK_LANGUAGE)
        try:
            docs = DocBin().from_bytes(data).get_docs(nlp.vocab)
            del data
            for n, doc in enumerate(docs, start=1):
                yield self._from_doc(doc, n, ctx)
        except AnnotatorError:
            raise
        except Exception as exc:  # spaCy raises several types (ValueError, msgpack, zlib) for a bad file
            raise AnnotatorError(f"not a readable spaCy DocBin ({type(exc).__name__})", path=str(path)) from None

    def _from_doc(self, doc: Any, n: int, ctx: ReadContext) -> AnnotatedDocument | AnnotatorError:
        raw = doc.text
        if not raw.strip():
            return ctx.error(f"doc #{n} has no text")
        if "\r" in raw:
            return ctx.error(f"doc #{n}: its text has \\r line ends, so its offsets do not fit the canonical text")
        user = doc.user_data if isinstance(doc.user_data, dict) else {}
        meta = user.get("meta") if isinstance(user.get("meta"), dict) else {}
        record = make_document(raw, user.get("doc_id"), meta)
        source = list(doc.spans[SPANS_KEY]) if SPANS_KEY in doc.spans else list(doc.ents)
        given_notes, given_attributes = user.get("notes"), user.get("attributes")
        notes = given_notes if isinstance(given_notes, dict) else {}
        attributes = given_attributes if isinstance(given_attributes, dict) else {}
        spans = []
        for sp in source:
            if not sp.label_:
                return ctx.error(f"doc #{n}: span {sp.start_char}-{sp.end_char} has no label")
            key = f"{sp.start_char}-{sp.end_char}-{sp.label_}"
            given_attrs = attributes.get(key)
            spans.append(SpanRecord(start=sp.start_char, end=sp.end_char, label=sp.label_,
                                    text=raw[sp.start_char : sp.end_char], note=notes.get(key),
                                    attributes=_attributes(given_attrs)))
        annotator = user.get("annotator")
        given = user.get("status")
        status = given if isinstance(given, str) and given in LAYER_STATUSES else STATUS_DONE
        fields = _fields_from_cats(doc.cats, ctx)
        relations = _relations_from(user.get("relations"), spans)
        layers = [LayerRecord(annotator=annotator if isinstance(annotator, str) else None, status=status, spans=spans,
                              doc_fields=fields, relations=relations)]
        if not spans and annotator is None and not fields:
            layers = []
        return AnnotatedDocument(record, layers)


def _fields_from_cats(cats: Any, ctx: ReadContext) -> dict[str, Any]:
    """Field values from ``doc.cats``: ``KEY:OPTION`` scored 0.5 or more is chosen, ``KEY`` alone a yes/no."""
    if not isinstance(cats, dict):
        return {}
    pairs: list[tuple[str, str]] = []
    offered: set[str] = set()
    for name, score in cats.items():
        chosen = isinstance(score, int | float) and score >= 0.5
        split = split_category(name)
        if split is not None:
            offered.add(split[0])
            if chosen:
                pairs.append(split)
        elif isinstance(name, str) and LABEL_KEY_PATTERN.match(name):
            pairs.append((name, "true" if chosen else "false"))
    fields = fields_from_categories(pairs, ctx.scheme)
    for key in offered - set(fields):  # a multi field with no option chosen is the empty list
        definition = ctx.scheme.field_def(key) if ctx.scheme is not None else None
        if definition is not None and definition.kind == "multi":
            fields[key] = []
    return fields


def _attributes(given: Any) -> dict[str, Any]:
    """A span's attributes from ``user_data``; a DocBin gives back a list (a multi value) as a tuple."""
    if not isinstance(given, dict):
        return {}
    return {key: list(value) if isinstance(value, tuple) else value for key, value in given.items()}


def _relations_from(given: Any, spans: list[SpanRecord]) -> list[RelationRecord]:
    """Relations kept in ``user_data`` as ``[source, target, label]`` span names (see ``_write_structure``)."""
    if not isinstance(given, list | tuple):  # a DocBin gives back lists as tuples
        return []
    by_key = {_key(span): i for i, span in enumerate(spans)}
    links = [(by_key[item[0]], by_key[item[1]], item[2]) for item in given
             if isinstance(item, list | tuple) and len(item) == 3 and all(isinstance(part, str) for part in item)
             and item[0] in by_key and item[1] in by_key]
    return relation_records(links)


register(SpacyDocBin())
