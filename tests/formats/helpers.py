"""What the format tests share: sample texts that make offsets hard, span strategies, and a reader helper."""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

from annotator.core.formats import ReadContext, get_format
from annotator.core.model import AnnotatedDocument, LayerRecord, SpanRecord
from annotator.core.scheme import default_scheme
from annotator.core.tokenize import tokenize

DATA = Path(__file__).resolve().parent.parent / "data" / "formats"
SCHEME = default_scheme()
LABELS = SCHEME.keys()

# Pieces that make offsets hard: astral emoji, a ZWJ family, a mathematical letter, combining marks,
# right-to-left scripts, Hangul, tabs and line breaks.
PIECES = ["Workers", "22-hour", "days", "😊", "👨\u200d👩\u200d👧", "𝔸lpha", "e\u0301te\u0301", "שלום",
          "مرحبا", "노동자", "\t", "\n", ",", ".", "👍🏽", "$5"]


@st.composite
def texts(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=14))
    seps = draw(st.lists(st.sampled_from([" ", " ", "\n", "  "]), min_size=len(words), max_size=len(words)))
    text = "".join(w + s for w, s in zip(words, seps, strict=True)).strip(" ")
    return text if text.strip() else "x"


@st.composite
def char_spans(draw: st.DrawFn, text: str, n: int = 5) -> list[SpanRecord]:
    """Arbitrary code-point spans (overlaps, mid-word, across lines): for formats that keep characters."""
    spans = []
    for _ in range(draw(st.integers(0, n))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        spans.append(SpanRecord(start, end, draw(st.sampled_from(LABELS)), text[start:end]))
    return spans


@st.composite
def token_spans(draw: st.DrawFn, text: str, n: int = 5, words_only: bool = False) -> list[SpanRecord]:
    """Spans on token boundaries (what a person selects), optionally only over tokens with a letter."""
    tokens = tokenize(text)
    if words_only:
        tokens = [t for t in tokens if any(ch.isalpha() for ch in t.text)]
    if not tokens:
        return []
    spans = []
    for _ in range(draw(st.integers(0, n))):
        i = draw(st.integers(0, len(tokens) - 1))
        j = i if words_only else draw(st.integers(i, min(len(tokens) - 1, i + 3)))
        s, e = tokens[i].start, tokens[j].end
        spans.append(SpanRecord(s, e, draw(st.sampled_from(LABELS)), text[s:e]))
    return spans


def doc_of(text: str, spans: list[SpanRecord], annotator: str | None = "analyst-a", doc_id: str = "d-1",
           meta: dict | None = None) -> AnnotatedDocument:
    from annotator.core.formats._shared import make_document

    document = make_document(text, doc_id, meta or {"title": "A title", "url": "https://example.org/a"})
    layers = [LayerRecord(annotator, "done", list(spans))] if annotator is not None else []
    return AnnotatedDocument(document, layers)


def span_set(items: list[AnnotatedDocument]) -> set[tuple]:
    """Every (doc text hash, annotator, start, end, label) in a read or written collection."""
    out = set()
    for item in items:
        for layer in item.layers:
            for s in layer.spans:
                assert item.document.text[s.start : s.end] == s.text, "a span's text must be its slice"
                out.add((item.document.text_sha256, layer.annotator, s.start, s.end, s.label))
    return out


def read_all(fmt_name: str, path: Path, **ctx_kw) -> tuple[list[AnnotatedDocument], list, ReadContext]:
    ctx = ReadContext(str(path), **ctx_kw)
    docs, errors = [], []
    for item in get_format(fmt_name).read(path, ctx):
        (docs if isinstance(item, AnnotatedDocument) else errors).append(item)
    return docs, errors, ctx


# ------------------------------------------------------------------------------------------------ tests
