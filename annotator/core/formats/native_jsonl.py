"""Native JSONL (docs/architecture.md §4): one object per (document, layer), byte-stable; its lenient subset.

The writer fixes key order, sorts nothing itself (the caller passes documents in ``doc_id`` order with
layers in annotator order) and ends every line with ``\\n`` so two exports of the same data are
byte-identical. The reader accepts the full shape and the Prodigy-like subset (``text`` plus ``spans``
of ``start``/``end``/``label``; ``_annotator_id`` read as ``annotator``).
"""

from __future__ import annotations

import codecs
import json
import operator
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from annotator.core.anchoring import anchor_span
from annotator.core.errors import AnnotatorError
from annotator.core.formats.base import Format, ReadContext, WriteReport, register
from annotator.core.formats.native_structure import parse_doc_fields, parse_relations, spans_and_relations
from annotator.core.gc_pause import collecting_between_batches
from annotator.core.model import (
    LAYER_STATUSES,
    REVIEW_STATES,
    STATUS_DONE,
    STATUS_TODO,
    AnnotatedDocument,
    DocumentRecord,
    LayerRecord,
    ReviewRecord,
    SpanRecord,
    doc_id_for,
)
from annotator.core.scheme import Scheme
from annotator.core.text import CONTEXT_CHARS, canonicalize, text_sha256

META_KEYS = ("title", "source", "url", "published", "filename")
MAX_LINE_CHARS = 64 * 1024 * 1024  # the article size limit (core.decoding.MAX_ARTICLE_BYTES)
MAX_LINE_BYTES = MAX_LINE_CHARS


class _OverlongLine(str):
    """Stands for a line longer than the limit, which the reader skipped without keeping it."""


OVERLONG_LINE = _OverlongLine("")
_LINE_BREAK_ESCAPES = [(chr(c), f"\\u{c:04x}") for c in (0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029)]


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))
_SPAN_ORDER = operator.attrgetter("start", "end", "label")
_WRITE_EVERY = 256  # lines per write call
_COLLECT_EVERY = 4096  # lines between young-object collections (each walks the reader's current chunk)


def document_line(doc: DocumentRecord, layer: LayerRecord | None) -> str:
    """One JSONL line (with its ``\\n``) for a document and one of its layers (or none)."""
    text = doc.text
    meta = {key: doc.meta[key] for key in META_KEYS if doc.meta.get(key) not in (None, "")}
    extra = sorted(k for k in doc.meta if k not in META_KEYS and doc.meta[k] not in (None, ""))
    for key in extra:
        meta[key] = doc.meta[key]
    spans: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    if layer is not None:
        width = CONTEXT_CHARS  # prefix_of/suffix_of, inlined: this loop runs once per exported span
        append = spans.append
        if layer.relations:
            ordered, relations = spans_and_relations(layer, _SPAN_ORDER)
        else:
            ordered = sorted(layer.spans, key=_SPAN_ORDER)
        for span in ordered:
            start, end = span.start, span.end
            append(
                {
                    "start": start,
                    "end": end,
                    "label": span.label,
                    "text": text[start:end],
                    "prefix": text[start - width if start > width else 0 : start],
                    "suffix": text[end : end + width],
                    "attributes": span.attributes or {},
                    "note": span.note,
                }
            )
    record = {
        "doc_id": doc.doc_id,
        "text": text,
        "text_sha256": doc.text_sha256,
        "meta": meta,
        "annotator": layer.annotator if layer is not None else None,
        "status": layer.status if layer is not None else STATUS_TODO,
        "spans": spans,
    }
    # Each omitted when empty: files of layers without them stay byte-identical to older exports.
    if layer is not None and layer.doc_fields:
        record["doc_fields"] = {key: layer.doc_fields[key] for key in sorted(layer.doc_fields)}
    if relations:
        record["relations"] = relations
    if layer is not None and layer.review is not None:  # omitted when absent: older exports stay identical
        review = layer.review
        record["review"] = {"state": review.state, "by": review.by, "comment": review.comment, "at": review.at}
    line = _ENCODER.encode(record)
    # Characters that some line splitters (str.splitlines, JavaScript) treat as line breaks are escaped,
    # so every consumer sees exactly one record per line.
    for char, escaped in _LINE_BREAK_ESCAPES:
        if char in line:
            line = line.replace(char, escaped)
    return line + "\n"


def write_jsonl(docs: Iterable[AnnotatedDocument], stream: IO[str], only_annotated: bool = False) -> WriteReport:
    """Write documents (already in ``doc_id`` order) as native JSONL lines to a text stream.

    Lines are written a few hundred documents at a time, with the garbage collector's automatic passes
    paused (see ``core.gc_pause``): the export allocates a handful of objects per span.
    """
    report = WriteReport()
    pending: list[str] = []
    written = collected = 0
    with collecting_between_batches() as collect:
        for item in docs:
            layers = sorted(item.layers, key=lambda lay: lay.annotator or "")
            if not layers:
                if only_annotated:
                    continue
                pending.append(document_line(item.document, None))
            for layer in layers:
                pending.append(document_line(item.document, layer))
                report.spans += len(layer.spans)
            report.documents += 1
            if len(pending) >= _WRITE_EVERY:
                stream.write("".join(pending))
                written += len(pending)
                pending = []
                if written >= collected + _COLLECT_EVERY:
                    collect()
                    collected = written
        if pending:
            stream.write("".join(pending))
    return report


_SCALARS = (str, int, float, bool)


def _meta_from(obj: dict[str, Any], ctx: ReadContext, line: int) -> dict[str, Any] | AnnotatorError:
    meta = obj.get("meta", {})
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        return ctx.error("'meta' must be an object", line)
    clean: dict[str, Any] = {}
    for key, value in meta.items():
        if value is None or isinstance(value, _SCALARS):
            clean[str(key)] = value
        else:
            clean[str(key)] = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return clean


def parse_record(obj: Any, ctx: ReadContext, line: int) -> AnnotatedDocument | AnnotatorError:
    """Turn one decoded JSON value into a document with at most one layer, or the reason it is bad."""
    if not isinstance(obj, dict):
        return ctx.error("a record must be a JSON object", line)
    raw_text = obj.get("text")
    if not isinstance(raw_text, str):
        return ctx.error("record has no 'text' string", line)
    if "\x00" in raw_text:
        return ctx.error("record text contains a NUL character", line)
    text = canonicalize(raw_text)
    if not text or text.isspace():  # not text.strip(), without copying the text
        return ctx.error("record text is empty", line)
    sha = text_sha256(text)
    given_sha = obj.get("text_sha256")
    if given_sha is not None and given_sha != sha and raw_text == text:
        ctx.notice("text_sha256 did not match the text; recomputed", line)
    meta = _meta_from(obj, ctx, line)
    if isinstance(meta, AnnotatorError):
        return meta
    doc_id = obj.get("doc_id")
    if doc_id is not None and not isinstance(doc_id, str | int):
        return ctx.error("'doc_id' must be a string", line)
    doc_id = str(doc_id) if doc_id not in (None, "") else doc_id_for(sha)
    if len(doc_id) > 200:
        return ctx.error("'doc_id' is longer than 200 characters", line)
    document = DocumentRecord(doc_id, text, sha, meta)

    annotator = obj.get("annotator", obj.get("_annotator_id"))
    if annotator is not None and not isinstance(annotator, str):
        return ctx.error("'annotator' must be a string", line)
    status = obj.get("status", STATUS_DONE if annotator else STATUS_TODO)
    if status not in LAYER_STATUSES:
        return ctx.error(f"status {status!r} is not one of {', '.join(LAYER_STATUSES)}", line)
    raw_spans = obj.get("spans", [])
    if raw_spans is None:
        raw_spans = []
    if not isinstance(raw_spans, list):
        return ctx.error("'spans' must be a list", line)
    if raw_spans and not annotator:
        annotator = None  # spans without an annotator are attributed by the importer (--annotator)
    spans: list[SpanRecord] = []
    append = spans.append
    length = len(text)
    for n, raw in enumerate(raw_spans, start=1):
        # The common case, inlined (a 20,000-article import has ~200,000 spans): a span whose offsets are
        # valid and whose quote is exactly the slice, with no attributes or note. Everything else, valid
        # or not, takes parse_span's full path, which re-checks from scratch.
        if type(raw) is dict:
            label, quote, start, end = raw.get("label"), raw.get("text"), raw.get("start"), raw.get("end")
            if (
                type(start) is int
                and type(end) is int
                and type(quote) is str
                and type(label) is str
                and label
                and 0 <= start < end <= length
                and text[start:end] == quote
                # four keys, all found above: no attributes and no note to look for
                and (len(raw) == 4 or (not raw.get("attributes") and raw.get("note") is None))
            ):
                append(SpanRecord(start, end, label, quote, {}))
                continue
        span = parse_span(raw, text, ctx, line, n)
        if isinstance(span, AnnotatorError):
            return span
        append(span)
    review: ReviewRecord | None = None
    if obj.get("review") is not None:
        if not annotator:
            return ctx.error("'review' needs the layer's 'annotator'", line)
        parsed = parse_review(obj["review"], ctx, line)
        if isinstance(parsed, AnnotatorError):
            return parsed
        review = parsed
    doc_fields = parse_doc_fields(obj.get("doc_fields"), ctx, line)
    if isinstance(doc_fields, AnnotatorError):
        return doc_fields
    relations = parse_relations(obj.get("relations"), len(spans), ctx, line)
    if isinstance(relations, AnnotatorError):
        return relations
    layers: list[LayerRecord] = []
    # A record with no annotator and no spans is a document only (an export's "annotator": null line);
    # giving it a layer would attribute the corpus to whoever runs the import.
    if annotator or spans or doc_fields:
        layers.append(LayerRecord(annotator=annotator or None, status=status, spans=spans, review=review,
                                  doc_fields=doc_fields, relations=relations))
    return AnnotatedDocument(document, layers, line=line)


def parse_review(raw: Any, ctx: ReadContext, line: int) -> ReviewRecord | AnnotatorError:
    """The layer's ``review`` object: a state, who reviewed, a comment, and when (ISO-8601)."""
    if not isinstance(raw, dict):
        return ctx.error("'review' must be an object", line)
    state, by, comment, at = raw.get("state"), raw.get("by"), raw.get("comment", ""), raw.get("at")
    if state not in REVIEW_STATES:
        return ctx.error(f"review state {state!r} is not one of {', '.join(REVIEW_STATES)}", line)
    if not isinstance(by, str) or not by.strip():
        return ctx.error("'review' needs 'by', the reviewer's name", line)
    if comment is None:
        comment = ""
    if not isinstance(comment, str):
        return ctx.error("the review's 'comment' must be a string", line)
    stamp = iso_utc(at)
    if stamp is None:
        return ctx.error(f"the review's 'at' {at!r} is not an ISO-8601 time such as 2026-05-01T09:30:00Z", line)
    return ReviewRecord(state, by.strip(), comment, stamp)


def iso_utc(value: Any) -> str | None:
    """``value`` (an ISO-8601 string) as UTC to the second with a ``Z``; None if it is not one."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_span(raw: Any, text: str, ctx: ReadContext, line: int, n: int) -> SpanRecord | AnnotatorError:
    """Validate one span object against the canonical text, re-anchoring by quote when needed."""
    if not isinstance(raw, dict):
        return ctx.error(f"span #{n} is not an object", line)
    label = raw.get("label")
    if not isinstance(label, str) or not label:
        return ctx.error(f"span #{n} has no label", line)
    quote = raw.get("text")
    if quote is not None and not isinstance(quote, str):
        return ctx.error(f"span #{n} 'text' must be a string", line)
    start, end = raw.get("start"), raw.get("end")
    if (
        quote is not None
        and type(start) is int
        and type(end) is int
        and 0 <= start < end <= len(text)
        and text[start:end] == quote
        and not raw.get("attributes")
        and raw.get("note") is None
    ):
        return SpanRecord(start=start, end=end, label=label, text=quote)  # the common, exact case
    if quote is not None:
        quote = canonicalize(quote)
    anchor = anchor_span(text, start, end, quote, str(raw.get("prefix") or ""), str(raw.get("suffix") or ""))
    if anchor is None:
        if quote is None:
            from annotator.core.text import check_offsets

            reason = check_offsets(text, start, end) or "offsets are invalid"
            return ctx.error(f"span #{n} ({label}): {reason}", line)
        shown = quote if len(quote) <= 40 else quote[:39] + "…"
        return ctx.error(f"span #{n} ({label}): quote {shown!r} does not occur in the text", line)
    if anchor.moved:
        ctx.notice(f"span #{n} ({label}) re-anchored from {start}-{end} to {anchor.start}-{anchor.end} by its quote", line)
    attributes = raw.get("attributes") or {}
    if not isinstance(attributes, dict):
        return ctx.error(f"span #{n} 'attributes' must be an object", line)
    note = raw.get("note")
    if note is not None and not isinstance(note, str):
        return ctx.error(f"span #{n} 'note' must be a string", line)
    return SpanRecord(
        start=anchor.start,
        end=anchor.end,
        label=label,
        text=text[anchor.start : anchor.end],
        attributes=attributes,
        note=note,
    )


def iter_json_lines(lines: Iterable[str], ctx: ReadContext) -> Iterator[tuple[int, Any] | AnnotatorError]:
    """Decode JSONL text lines (1-based numbering) into ``(line, value)``, or the reason a line is bad.

    Blank lines are skipped; a line over the size limit, invalid JSON, JSON nested too deeply and an
    integer with thousands of digits are each an error naming the line. Shared by every JSONL reader.
    """
    for number, raw_line in enumerate(lines, start=1):
        if isinstance(raw_line, _OverlongLine) or len(raw_line) > MAX_LINE_CHARS:
            yield ctx.error(f"line is longer than {MAX_LINE_CHARS // (1024 * 1024)} MB", number)
            continue
        if not raw_line or raw_line.isspace():  # blank (strip() would copy every line)
            continue
        try:
            yield number, json.loads(raw_line)
        except json.JSONDecodeError as exc:
            yield ctx.error(f"not valid JSON ({exc.msg.removesuffix(' at')} at column {exc.colno})", number)
        except RecursionError:
            yield ctx.error("JSON is nested too deeply", number)
        except ValueError as exc:  # e.g. an integer with too many digits
            yield ctx.error(f"not valid JSON ({exc})", number)


def iter_jsonl_records(lines: Iterable[str], ctx: ReadContext) -> Iterator[AnnotatedDocument | AnnotatorError]:
    """Parse JSONL text lines (1-based numbering); blank lines are skipped."""
    for item in iter_json_lines(lines, ctx):
        if isinstance(item, AnnotatorError):
            yield item
            continue
        number, obj = item
        try:
            yield parse_record(obj, ctx, number)
        except AnnotatorError as exc:
            yield exc.at(path=ctx.path, line=number)


def iter_text_lines(path: Path) -> Iterator[str]:
    """Lines of a JSONL file, streamed (JSONL is UTF-8; a UTF-16 file with a BOM is decoded whole).

    Streaming keeps memory flat on a large export; a decoding error names the line it happened on.
    """
    from annotator.core.decoding import read_text_file
    from annotator.core.safe_io import open_regular

    with open_regular(path) as probe:  # a link, pipe or device is refused here, before any read
        head = probe.read(4)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        yield from read_text_file(path).text.split("\n")
        return
    # Bytes, split on "\n" only, decoded line by line: a decoding error names its own line (a text
    # stream decodes 8 KB ahead), and a lone "\r" between tokens does not cut a record in two.
    number = 0
    try:
        with open_regular(path) as stream:
            while True:
                raw = stream.readline(MAX_LINE_BYTES + 1)
                if not raw:
                    return
                number += 1
                if len(raw) > MAX_LINE_BYTES:
                    while raw and not raw.endswith(b"\n"):  # skip the rest without holding it in memory
                        raw = stream.readline(1024 * 1024)
                    yield OVERLONG_LINE
                    continue
                if number == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8) :]
                try:
                    yield raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise AnnotatorError(
                        f"invalid UTF-8 at byte {exc.start + 1} of the line (JSONL files must be UTF-8)",
                        path=str(path), line=number,
                    ) from None
    except FileNotFoundError:
        raise AnnotatorError("no such file", path=str(path)) from None
    except OSError as exc:
        raise AnnotatorError(f"cannot be read ({exc.strerror or exc})", path=str(path)) from None


class NativeJsonl(Format):
    name = "jsonl"
    description = "native JSONL: one line per (document, layer), with quotes and context"
    extensions = (".jsonl", ".ndjson")
    can_read = True
    can_write = True

    def read(self, path: Path, ctx: ReadContext) -> Iterator[AnnotatedDocument | AnnotatorError]:
        yield from iter_jsonl_records(iter_text_lines(path), ctx)

    def write(self, docs: Iterable[AnnotatedDocument], out: Path, scheme: Scheme) -> WriteReport:
        with open(out, "w", encoding="utf-8", newline="\n") as stream:
            return write_jsonl(docs, stream)


register(NativeJsonl())
