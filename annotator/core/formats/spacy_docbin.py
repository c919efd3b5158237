"""spaCy DocBin (``.spacy``), for training spaCy pipelines. spaCy is an optional dependency.

Each (document, layer) becomes one ``Doc`` made by a blank pipeline's rule-based tokenizer (no model is
downloaded): ``spacy.blank("xx")``, the multi-language tokenizer. Every span is placed with
``doc.char_span(start, end, alignment_mode="strict")``; spans whose ends fall inside a spaCy token are
reported and left out. All placed spans go to ``doc.spans["sc"]`` (overlaps allowed, for the span
categorizer); a non-overlapping subset (longest first) goes to ``doc.ents`` for the NER component, and
the spans kept out of ``doc.ents`` are reported. ``doc.user_data`` carries ``doc_id``, ``annotator``,
``status``, ``text_sha256`` and the metadata. spaCy's character offsets are code points, like ours.
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
from annotator.core.model import (
    LAYER_STATUSES,
    STATUS_DONE,
    STATUS_TODO,
    AnnotatedDocument,
    LayerRecord,
    SpanRecord,
)
from annotator.core.safe_io import read_regular
from annotator.core.scheme import Scheme

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


def _to_doc(nlp: Any, item: AnnotatedDocument, layer: LayerRecord | None, report: WriteReport) -> Any:
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
    notes = {f"{s.start}-{s.end}-{s.label}": s.note for s, _ in placed if s.note}
    if notes:
        doc.user_data["notes"] = notes
    if any(s.attributes for s, _ in placed):
        report.problems.append(f"{where}: span attributes are not written")
    return doc


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
                docbin.add(_to_doc(nlp, item, layer, report))
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
        given_notes = user.get("notes")
        notes = given_notes if isinstance(given_notes, dict) else {}
        spans = []
        for sp in source:
            if not sp.label_:
                return ctx.error(f"doc #{n}: span {sp.start_char}-{sp.end_char} has no label")
            key = f"{sp.start_char}-{sp.end_char}-{sp.label_}"
            spans.append(SpanRecord(start=sp.start_char, end=sp.end_char, label=sp.label_,
                                    text=raw[sp.start_char : sp.end_char], note=notes.get(key)))
        annotator = user.get("annotator")
        given = user.get("status")
        status = given if isinstance(given, str) and given in LAYER_STATUSES else STATUS_DONE
        layers = [LayerRecord(annotator=annotator if isinstance(annotator, str) else None, status=status, spans=spans)]
        if not spans and annotator is None:
            layers = []
        return AnnotatedDocument(record, layers)


register(SpacyDocBin())
