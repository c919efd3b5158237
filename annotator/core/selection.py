"""Turning a raw selection into span offsets: word snapping and whitespace trimming (pure, no Qt).

Analysts select quickly and imprecisely; a span that starts mid-word or ends on a space is almost never
what they meant, so by default a selection grows to whole words and loses surrounding whitespace. The
rules work on code points of the stored text:

* what a word is comes from :mod:`annotator.core.words` (the rule word steps, suggestions and the
  tokenizer use too), so a snapped span lands on token edges;
* what one character is comes from :mod:`annotator.core.graphemes`: an edge never falls between a base
  character and its combining marks, inside an emoji ZWJ sequence or between a flag's two halves;
* whitespace is trimmed a whole character at a time: a space carrying a stray combining mark goes with it.

It lives in the core, not beside the widget, because it is a rule about text that the main window, the
span adjuster and their tests must share without Qt.
"""

from __future__ import annotations

from annotator.core.graphemes import is_grapheme_boundary, next_grapheme, previous_grapheme
from annotator.core.words import inside_word


def grapheme_safe(text: str, start: int, end: int) -> tuple[int, int]:
    """Move ``start`` back and ``end`` forward to the nearest user-perceived character boundaries."""
    while not is_grapheme_boundary(text, start):
        start -= 1
    while not is_grapheme_boundary(text, end):
        end += 1
    return start, end


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow ``[start, end)`` so it neither begins nor ends inside a word or a character.

    Both at once: making an edge character-safe can move it into a word (``b`` + ZWJ + emoji), and
    snapping to a word can stop inside a character (a letter glued to a symbol by a joiner).
    """
    while inside_word(text, start) or not is_grapheme_boundary(text, start):
        start -= 1
    while inside_word(text, end) or not is_grapheme_boundary(text, end):
        end += 1
    return start, end


def trim_whitespace(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop whitespace characters (with any stray marks on them) from both ends of ``[start, end)``."""
    while start < end and text[start].isspace():
        start = min(next_grapheme(text, start), end)
    while end > start:
        last = max(previous_grapheme(text, end), start)
        if not text[last].isspace():
            break
        end = last
    return start, end


def span_from_selection(text: str, start: int, end: int, *, snap: bool = True) -> tuple[int, int] | None:
    """The span to store for a selection of code points ``[start, end)``, or None if nothing is left.

    Order matters: whitespace is trimmed first (so snapping cannot reach across a trailing space into the
    next word), then the boundaries snap to words (or only to whole characters, ``snap=False``), then
    whitespace is trimmed again (whole characters, so the edges stay on character boundaries).
    """
    start, end = max(0, min(start, end)), min(len(text), max(start, end))
    start, end = trim_whitespace(text, start, end)
    if start >= end:
        return None
    start, end = snap_to_words(text, start, end) if snap else grapheme_safe(text, start, end)
    start, end = trim_whitespace(text, start, end)
    return (start, end) if start < end else None
