"""W3C Web Annotation (JSON-LD): one Annotation per span, in an AnnotationCollection.

Each annotation targets ``urn:sha256:<text_sha256>`` (the canonical text's fingerprint, so the target
is the exact text whatever file or URL it came from) with a TextQuoteSelector (exact, prefix, suffix)
and a TextPositionSelector (code points, as the W3C model defines it). The label is a TextualBody with
purpose ``tagging``, a note a TextualBody with purpose ``commenting``, and the annotator the
``creator``. The text itself is not in the file, so importing needs the documents already in the
corpus: the caller supplies ``ctx.resolve_text`` (sha256 → document); each span is then placed by its
position and checked (or re-anchored) by its quote.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote as url_quote

from annotator.core.anchoring import anchor_span
from annotator.core.errors import AnnotatorError
from annotator.core.formats._shared import iter_json_array, short
from annotator.core.formats.base import Format, ReadContext, WriteReport, register
from annotator.core.formats.structure import drop_fields_and_relations
from annotator.core.model import STATUS_DONE, AnnotatedDocument, DocumentRecord, LayerRecord, SpanRecord
from annotator.core.scheme import Scheme
from annotator.core.text import prefix_of, suffix_of

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
SOURCE_PREFIX = "urn:sha256:"
_COLLECTION = re.compile(r'"type"\s*:\s*"Annotation(Collection|Page)"')
_ITEMS = re.compile(r'"items"\s*:\s*\[')


def annotation_for(doc: DocumentRecord, layer: LayerRecord, span: SpanRecord, n: int) -> dict[str, Any]:
    text = doc.text
    who = layer.annotator or "unknown"
    body: list[dict[str, Any]] = [{"type": "TextualBody", "purpose": "tagging", "value": span.label}]
    if span.note:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": span.note})
    return {
        "id": f"urn:annotator:{url_quote(doc.doc_id, safe='')}:{url_quote(who, safe='')}:{n}",
        "type": "Annotation",
        "motivation": "tagging",
        "creator": {"type": "Person", "name": who},
        "body": body,
        "target": {
            "source": SOURCE_PREFIX + doc.text_sha256,
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": text[span.start : span.end],
                    "prefix": prefix_of(text, span.start),
                    "suffix": suffix_of(text, span.end),
                },
                {"type": "TextPositionSelector", "start": span.start, "end": span.end},
            ],
        },
    }


def _selectors(target: Any) -> tuple[str | None, dict[str, Any], dict[str, Any]]:
    if isinstance(target, list):
        target = target[0] if target else None
    if not isinstance(target, dict):
        return None, {}, {}
    source = target.get("source")
    selectors = target.get("selector") or []
    if isinstance(selectors, dict):
        selectors = [selectors]
    quote: dict[str, Any] = {}
    position: dict[str, Any] = {}
    for sel in selectors if isinstance(selectors, list) else []:
        if isinstance(sel, dict) and sel.get("type") == "TextQuoteSelector":
            quote = sel
        elif isinstance(sel, dict) and sel.get("type") == "TextPositionSelector":
            position = sel
    return (source if isinstance(source, str) else None), quote, position


def _bodies(body: Any) -> tuple[list[str], str | None]:
    items = body if isinstance(body, list) else [body]
    labels: list[str] = []
    notes: list[str] = []
    for b in items:
        if isinstance(b, str):
            labels.append(b)
        elif isinstance(b, dict) and isinstance(b.get("value"), str):
            (notes if b.get("purpose") == "commenting" else labels).append(b["value"])
    return labels, ("\n".join(notes) if notes else None)


def _creator(obj: dict[str, Any]) -> str | None:
    who = obj.get("creator")
    if isinstance(who, list):
        who = who[0] if who else None
    if isinstance(who, dict):
        who = who.get("name") or who.get("nickname") or who.get("id")
    return who if isinstance(who, str) and who and who != "unknown" else None


def _items(obj: Any) -> Iterator[Any]:
    """Annotations of a collection (``first.items``), a page (``items``), or the object itself."""
    if isinstance(obj, dict) and obj.get("type") == "AnnotationCollection":
        first = obj.get("first")
        items = first.get("items") if isinstance(first, dict) else None
        yield from items if isinstance(items, list) else []
    elif isinstance(obj, dict) and obj.get("type") == "AnnotationPage":
        items = obj.get("items")
        if items is not None:  # a page without items (its annotations elsewhere) yields none
            yield from items if isinstance(items, list) else [items]
    else:
        yield obj


def _why_no_items(top: Any) -> str | None:
    """Why a collection or page holds no annotations in this file (remote pages, an empty collection)."""
    if not isinstance(top, dict) or top.get("type") not in ("AnnotationCollection", "AnnotationPage"):
        return None
    for key in ("first", "next", "last"):
        link = top.get(key)
        if isinstance(link, dict):
            link = link.get("id") if not isinstance(link.get("items"), list) else None
        if isinstance(link, str) and link:
            return (f"the annotations are not in this file: its {key} page is only a link ({short(link, 80)!r}), "
                    "and annotator never fetches anything from the network; download the pages and import "
                    "them as files; nothing was imported")
    return None


class W3C(Format):
    name = "w3c"
    description = "W3C Web Annotation JSON-LD (TextQuoteSelector + TextPositionSelector)"
    extensions = (".jsonld",)
    can_read = True
    can_write = True
    sniff_priority = 25

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() not in (".jsonld", ".json"):
            return False
        sample = head[:65536]
        return b"anno.jsonld" in sample or b'"TextQuoteSelector"' in sample or b'"AnnotationCollection"' in sample

    def read(self, path: Path, ctx: ReadContext) -> Iterator[AnnotatedDocument | AnnotatorError]:
        from annotator.core.decoding import read_text_file

        if ctx.resolve_text is None:
            raise AnnotatorError(
                "W3C annotations do not contain the text; import the documents first, then the annotations "
                "into the same database", path=ctx.path)
        text = read_text_file(path).text
        docs: dict[str, AnnotatedDocument] = {}
        layers: dict[tuple[str, str | None], LayerRecord] = {}
        # A collection's annotations are read from its "items" array so each gets its own line number.
        items_at = _ITEMS.search(text) if _COLLECTION.search(text[:4096]) else None
        start = items_at.end() - 1 if items_at else 0
        read = 0
        empty_because: str | None = None
        declared_empty = False  # "total": 0, as an export without spans says
        for item in iter_json_array(text, ctx, "annotation", start=start):
            if isinstance(item, AnnotatorError):
                yield item
                read += 1
                continue
            line, top = item
            if not items_at:
                empty_because = empty_because or _why_no_items(top)
                declared_empty = declared_empty or (isinstance(top, dict) and top.get("total") == 0)
            for n, obj in enumerate(_items(top), start=1):
                read += 1
                where = "annotation" if items_at else f"annotation #{n}"
                result = self._span(obj, ctx, line, where, docs)
                if isinstance(result, AnnotatorError):
                    yield result
                    continue
                sha, who, spans = result
                key = (sha, who)
                if key not in layers:
                    layers[key] = LayerRecord(annotator=who, status=STATUS_DONE)
                    docs[sha].layers.append(layers[key])
                layers[key].spans.extend(spans)
        if not read:
            # Nothing was read: say why. Pages that are only links are a refusal (the user expected their
            # annotations); an empty collection, as an export without spans writes, is only noted.
            if empty_because is not None:
                raise ctx.error(empty_because)
            if not declared_empty:
                ctx.notice("the file holds no annotations; nothing was imported")
        yield from docs.values()

    def _span(self, obj: Any, ctx: ReadContext, line: int, where: str,
              docs: dict[str, AnnotatedDocument]) -> tuple[str, str | None, list[SpanRecord]] | AnnotatorError:
        if not isinstance(obj, dict):
            return ctx.error(f"{where} is not an object", line)
        source, quote_sel, pos_sel = _selectors(obj.get("target"))
        if source is None or not source.startswith(SOURCE_PREFIX):
            return ctx.error(f"{where}: target source {source!r} is not urn:sha256:<text hash>", line)
        sha = source[len(SOURCE_PREFIX):].lower()
        if sha not in docs:
            assert ctx.resolve_text is not None
            found = ctx.resolve_text(sha)
            if found is None:
                return ctx.error(f"{where}: no document with text_sha256 {sha[:16]}… is in the corpus", line)
            docs[sha] = AnnotatedDocument(found, [])
        text = docs[sha].document.text
        labels, note = _bodies(obj.get("body"))
        if not labels:
            return ctx.error(f"{where} has no tagging body (label)", line)
        quote = quote_sel.get("exact") if isinstance(quote_sel.get("exact"), str) else None
        if quote is None and not pos_sel:
            return ctx.error(f"{where} has neither a TextQuoteSelector nor a TextPositionSelector", line)
        anchor = anchor_span(text, pos_sel.get("start", -1), pos_sel.get("end", -1), quote,
                             str(quote_sel.get("prefix") or ""), str(quote_sel.get("suffix") or ""))
        if anchor is None:
            if quote is not None:
                return ctx.error(f"{where}: quote {short(quote)!r} does not occur in the document", line)
            return ctx.error(f"{where}: position {pos_sel.get('start')!r}-{pos_sel.get('end')!r} is not a span of the document", line)
        if anchor.moved and pos_sel:
            ctx.notice(f"{where} re-anchored from {pos_sel.get('start')}-{pos_sel.get('end')} to "
                       f"{anchor.start}-{anchor.end} by its quote", line)
        spans = [SpanRecord(start=anchor.start, end=anchor.end, label=label, text=text[anchor.start : anchor.end],
                            note=note) for label in labels]
        return sha, _creator(obj), spans

    def write(self, docs: Iterable[AnnotatedDocument], out: Path, scheme: Scheme) -> WriteReport:
        """Stream one AnnotationCollection with one AnnotationPage holding every annotation.

        The model requires an ``id`` (an IRI) on the collection and the page, and a page's ``items`` must
        hold at least one annotation, so an export without spans writes a collection with ``"total": 0``
        and no page.
        """
        report = WriteReport()
        collection = uuid.uuid4()
        head = ('{"@context": ' + json.dumps(CONTEXT) + f', "id": "urn:uuid:{collection}", '
                '"type": "AnnotationCollection", "label": "annotator export",\n "first": {"id": '
                f'"urn:uuid:{uuid.uuid5(collection, "page-1")}", "type": "AnnotationPage", "items": [')
        total = 0
        with open(out, "w", encoding="utf-8", newline="\n") as stream:
            for item in docs:
                doc = item.document
                for layer in sorted(item.layers, key=lambda lay: lay.annotator or ""):
                    drop_fields_and_relations(report, layer, "a W3C annotation collection")
                    spans = sorted(layer.spans, key=lambda s: (s.start, s.end, s.label))
                    for n, span in enumerate(spans, start=1):
                        if span.attributes:
                            report.problems.append(f"{doc.doc_id} ({layer.annotator}): span attributes are not written")
                        stream.write(head + "\n" if not total else ",\n")
                        total += 1
                        stream.write(json.dumps(annotation_for(doc, layer, span, n), ensure_ascii=False))
                    report.spans += len(spans)
                report.documents += 1
            if total:
                stream.write("\n]}}\n")
            else:
                stream.write('{"@context": ' + json.dumps(CONTEXT) + f', "id": "urn:uuid:{collection}", '
                             '"type": "AnnotationCollection", "label": "annotator export", "total": 0}\n')
        return report


register(W3C())
