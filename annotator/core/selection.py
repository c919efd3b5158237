"""Turning a raw selection into span offsets: word snapping and whitespace trimming (pure, no Qt).

Analysts select quickly and imprecisely; a span that starts mid-word or ends on a space is almost never
what they meant, so by default a selection grows to whole words and loses surrounding whitespace. The
rules work on code points of the stored text and never leave a boundary between a base character and
its combining marks, variation selectors or a zero-width joiner, so a grapheme is never cut in two.
"""

from __future__ import annotations

import unicodedata

_JOINERS = {"\u200d", "\u200c"}


def is_extender(ch: str) -> bool:
    """A character that belongs to the grapheme before it (combining mark, variation selector, ZWJ)."""
    return ch in _JOINERS or unicodedata.category(ch) in ("Mn", "Mc", "Me") or "\U000e0020" <= ch <= "\U000e007f"


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or is_extender(ch)


def grapheme_safe(text: str, start: int, end: int) -> tuple[int, int]:
    """Move ``start`` back and ``end`` forward until neither sits before an extending character."""
    n = len(text)
    while 0 < start < n and is_extender(text[start]):
        start -= 1
    while end < n and (is_extender(text[end]) or (end > 0 and text[end - 1] in _JOINERS)):
        end += 1
    return start, end


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow ``[start, end)`` so it neither begins nor ends inside a word."""
    n = len(text)
    while 0 < start < n and is_word_char(text[start]) and is_word_char(text[start - 1]):
        start -= 1
    while 0 < end < n and is_word_char(text[end - 1]) and is_word_char(text[end]):
        end += 1
    return start, end


def trim_whitespace(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def span_from_selection(text: str, start: int, end: int, *, snap: bool = True) -> tuple[int, int] | None:
    """The span to store for a selection of code points ``[start, end)``, or None if nothing is left.

    Order matters: whitespace is trimmed first (so snapping cannot reach across a trailing space into the
    next word), then the boundaries snap to words and are made grapheme-safe.
    """
    start, end = max(0, min(start, end)), min(len(text), max(start, end))
    start, end = trim_whitespace(text, start, end)
    if start >= end:
        return None
    if snap:
        start, end = snap_to_words(text, start, end)
    start, end = grapheme_safe(text, start, end)
    start, end = trim_whitespace(text, start, end)
    return (start, end) if start < end else None
