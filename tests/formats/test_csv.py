"""CSV evidence table: one row per span with its context and source, readable back by csv, and safe to
open in a spreadsheet (no cell starts a formula)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.formats import get_format
from annotator.core.formats.csv_evidence import COLUMNS, neutralize
from annotator.core.model import SpanRecord
from tests.formats.helpers import SCHEME, char_spans, doc_of, texts

FMT = get_format("csv")


def rows_of(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


@settings(max_examples=50, deadline=None)
@given(st.data(), texts())
def test_rows_hold_exact_quotes_and_offsets(tmp_path_factory, data: st.DataObject, text: str) -> None:
    spans = data.draw(char_spans(text))
    out = tmp_path_factory.mktemp("csv") / "o.csv"
    FMT.write([doc_of(text, spans)], out, SCHEME)
    rows = rows_of(out)
    assert len(rows) == len(spans)
    for row in rows:
        start, end = int(row["start"]), int(row["end"])
        assert row["quote"] == neutralize(text[start:end])
        assert row["label_name"] == SCHEME.get(row["label"]).name
        assert "[" + text[start:end].replace("\n", " ") + "]" in row["context"]
        assert (row["annotator"], row["doc_id"], row["url"]) == ("analyst-a", "d-1", "https://example.org/a")


def test_formula_cells_are_neutralised(tmp_path: Path) -> None:
    text = "=HYPERLINK(\"http://x\") +1 -2 @SUM(A1) plain"
    spans = [SpanRecord(0, 22, "sanctions", text[0:22]), SpanRecord(23, 25, "injury", "+1"),
             SpanRecord(26, 28, "injury", "-2"), SpanRecord(29, 37, "injury", "@SUM(A1)")]
    item = doc_of(text, spans, meta={"title": "=cmd|' /C calc'!A0", "source": "-wire", "url": "https://e.org"})
    out = tmp_path / "o.csv"
    FMT.write([item], out, SCHEME)
    rows = rows_of(out)
    assert list(rows[0]) == [*COLUMNS, "relevance", "source_type"]  # then the scheme's document fields
    for row in rows:
        for key, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@")), (key, cell)
    assert [r["quote"] for r in rows] == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)"]
    assert rows[0]["title"] == "'=cmd|' /C calc'!A0" and rows[0]["source"] == "'-wire"


def test_quote_with_line_breaks_and_commas_stays_one_cell(tmp_path: Path) -> None:
    text = "Guards, \"minders\",\nwatched."
    out = tmp_path / "o.csv"
    FMT.write([doc_of(text, [SpanRecord(0, len(text), "surveillance", text)])], out, SCHEME)
    (row,) = rows_of(out)
    assert row["quote"] == text and row["context"] == "[Guards, \"minders\", watched.]"
