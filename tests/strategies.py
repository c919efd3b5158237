"""Hypothesis strategies shared by offset tests: text that breaks naive offset code."""

from __future__ import annotations

from hypothesis import strategies as st

TRICKY_PIECES = [
    "😊", "👩‍👩‍👧", "𝔘𝔫𝔦", "🇰🇵", "e\u0301", "n\u0303", "\u200d", "\t", "\r\n", "\r", "\n",
    "שלום", "مرحبا", "北朝鮮", "Владивосток", "\u00a0", "\u2028", " ", "a", "word", "22-hour",
]

tricky_text = st.lists(
    st.one_of(st.sampled_from(TRICKY_PIECES), st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), min_size=1, max_size=4)), min_size=1, max_size=30
).map("".join)


@st.composite
def text_and_span(draw: st.DrawFn, text_strategy: st.SearchStrategy[str] = tricky_text) -> tuple[str, int, int]:
    """A canonical text (no \\r) and a non-empty code-point range inside it."""
    text = draw(text_strategy).replace("\r\n", "\n").replace("\r", "\n")
    if not text:
        text = "x"
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, start, end
