"""Canonical text, hashing, the UTF-16 offset map and re-anchoring (docs/architecture.md §2)."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.anchoring import anchor_span, find_quote
from annotator.core.offsets import Utf16Map, utf16_len
from annotator.core.text import canonicalize, check_offsets, first_line_title, text_sha256
from tests.strategies import text_and_span, tricky_text


def test_canonicalize_turns_crlf_and_lone_cr_into_lf_and_nothing_else() -> None:
    assert canonicalize("a\r\nb\rc\nd\u2028e\u00a0") == "a\nb\nc\nd\u2028e\u00a0"


def test_sha256_is_of_canonical_utf8() -> None:
    text = canonicalize("Hi 😊\r\nJohn")
    assert text_sha256(text) == hashlib.sha256("Hi 😊\nJohn".encode()).hexdigest()


def test_qt_measured_example_from_design() -> None:
    mapping = Utf16Map("Hi 😊 John")
    assert mapping.length_cp == 9 and mapping.length_u16 == 10
    assert mapping.to_utf16(4) == 5  # the space after the emoji
    assert mapping.to_code_point(5) == 4
    assert mapping.to_code_point(4) == 3  # inside the surrogate pair rounds down to the emoji
    assert mapping.is_inside_pair(4) and not mapping.is_inside_pair(3)


@given(tricky_text)
def test_utf16_map_agrees_with_python_encoding(text: str) -> None:
    mapping = Utf16Map(text)
    assert mapping.length_u16 == len(text.encode("utf-16-le")) // 2 == utf16_len(text)
    for cp in range(len(text) + 1):
        u16 = mapping.to_utf16(cp)
        assert u16 == len(text[:cp].encode("utf-16-le")) // 2
        assert mapping.to_code_point(u16) == cp
        assert not mapping.is_inside_pair(u16)


@given(text_and_span())
def test_anchor_keeps_valid_offsets(case: tuple[str, int, int]) -> None:
    text, start, end = case
    anchor = anchor_span(text, start, end, text[start:end])
    assert anchor is not None and (anchor.start, anchor.end, anchor.moved) == (start, end, False)


@given(text_and_span(), st.integers(-5, 5))
def test_anchor_moves_shifted_offsets_back_onto_the_quote(case: tuple[str, int, int], shift: int) -> None:
    text, start, end = case
    quote = text[start:end]
    anchor = anchor_span(text, start + shift, end + shift, quote, text[max(0, start - 32) : start], text[end : end + 32])
    assert anchor is not None
    assert text[anchor.start : anchor.end] == quote


def test_anchor_uses_context_to_choose_between_repeated_quotes() -> None:
    text = "He worked 12 hours. Later she worked 12 hours a day."
    second = text.rindex("12 hours")
    assert find_quote(text, "12 hours", near=0, prefix="she worked ", suffix=" a day") == (second, second + 8)
    assert find_quote(text, "12 hours", near=0) == (text.index("12 hours"), text.index("12 hours") + 8)
    assert anchor_span(text, 0, 4, "absent quote") is None


def test_check_offsets_explains_each_problem() -> None:
    assert check_offsets("abc", 0, 3) is None
    assert "negative" in check_offsets("abc", -1, 2)
    assert "reversed" in check_offsets("abc", 2, 1)
    assert "beyond the end" in check_offsets("abc", 1, 9)
    assert "not an integer" in check_offsets("abc", "1", 2)
    assert "not an integer" in check_offsets("abc", True, 2)


def test_title_is_first_non_empty_line_without_markdown_hashes() -> None:
    assert first_line_title("\n\n  # Workers abroad  \nbody") == "Workers abroad"
