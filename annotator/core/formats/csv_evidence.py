"""Evidence table (CSV): one row per span, for reading in a spreadsheet or pasting into a report.

Columns: label (key), label_name, quote, context, title, source, url, published, annotator, note, doc_id, start, end,
then one column per document field of the scheme, in scheme order, headed by the field's key (``field:KEY``
when a fixed column has that name) and holding the span's layer's value (a multi field ``a, b``; a yes/no
``true``/``false``; empty when not given), so rows can be filtered by relevance or source type.
``context`` shows the quote in its surroundings (``…prefix[quote]suffix…``, line breaks shown as spaces);
``quote`` is the exact text. Written as UTF-8 with a byte-order mark so spreadsheet programs pick the
right encoding, CRLF row ends as RFC 4180 asks.

Cells are text a spreadsheet may execute: a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is a formula to Excel and LibreOffice (CSV injection), so such a cell is written with a
leading apostrophe, which spreadsheets show as text. The quote of such a span therefore carries that
extra apostrophe; ``start``/``end`` and the native JSONL export stay exact.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from annotator.core.formats.base import Format, WriteReport, register
from annotator.core.model import AnnotatedDocument
from annotator.core.scheme import Scheme
from annotator.core.text import prefix_of, suffix_of
from annotator.core.typed_values import value_text

COLUMNS = ("label", "label_name", "quote", "context", "title", "source", "url", "published", "annotator", "note",
           "doc_id", "start", "end")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize(cell: str) -> str:
    """A cell that a spreadsheet will show as text rather than evaluate as a formula."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def field_columns(keys: list[str]) -> list[str]:
    """The header of the document-field columns: each field's key, ``field:KEY`` where a fixed column has it."""
    return [f"field:{key}" if key in COLUMNS else key for key in keys]


def _flat(text: str) -> str:
    return text.replace("\n", " ")


class CsvEvidence(Format):
    name = "csv"
    description = "evidence table (CSV): label, quote, context, title, source, URL, date, annotator, offsets"
    extensions = (".csv",)
    can_read = False
    can_write = True

    def write(self, docs: Iterable[AnnotatedDocument], out: Path, scheme: Scheme) -> WriteReport:
        report = WriteReport()
        names = {label.key: label.name for label in scheme.labels}
        fields = [definition.key for definition in sorted(scheme.fields, key=lambda d: d.order)]
        with open(out, "w", encoding="utf-8-sig", newline="") as stream:
            writer = csv.writer(stream, lineterminator="\r\n")
            writer.writerow([*COLUMNS, *field_columns(fields)])
            for item in docs:
                doc = item.document
                text = doc.text
                meta = doc.meta
                for layer in sorted(item.layers, key=lambda lay: lay.annotator or ""):
                    values = [neutralize(value_text(layer.doc_fields.get(key))) for key in fields]
                    report.drop("document fields", "the scheme does not define them, so they have no column",
                                len(set(layer.doc_fields) - set(fields)))
                    report.drop("relations", "a row per span has no place for links between spans",
                                len(layer.relations))
                    for span in sorted(layer.spans, key=lambda s: (s.start, s.end, s.label)):
                        quote = text[span.start : span.end]
                        before, after = prefix_of(text, span.start), suffix_of(text, span.end)
                        context = ("…" if span.start > len(before) else "") + _flat(before) + "[" + _flat(quote) + "]" \
                            + _flat(after) + ("…" if span.end + len(after) < len(text) else "")
                        row = [
                            span.label,
                            names.get(span.label, span.label),
                            quote,
                            context,
                            str(meta.get("title") or ""),
                            str(meta.get("source") or ""),
                            str(meta.get("url") or ""),
                            str(meta.get("published") or ""),
                            layer.annotator or "",
                            span.note or "",
                            doc.doc_id,
                        ]
                        writer.writerow([neutralize(cell) for cell in row] + [span.start, span.end, *values])
                        report.spans += 1
                report.documents += 1
        return report


register(CsvEvidence())
