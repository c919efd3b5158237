"""Moving one boundary of an existing span by a character or a word (pure, no Qt).

Analysts fix a span that is a letter or a word too long or too short far more often than they tag a new
one, so the app moves a single edge in place instead of making them delete and re-tag. The rules, in code
points of the canonical text:

* a **character** step moves to the next user-perceived character boundary (a grapheme cluster boundary):
  never between a base letter and its combining marks, inside an emoji ZWJ sequence or skin-tone pair,
  between the two halves of a flag, or inside a Hangul syllable spelled with jamo. Offsets are code points,
  so an astral character (two UTF-16 units) is one step and a surrogate pair can never be split;
* a **word** step moves to the next token boundary of :mod:`annotator.core.tokenize` (the tokens the
  token-based exports use), so a word-wise span lands on whole tokens and never on whitespace. What a word
  is comes from :mod:`annotator.core.words`, the rule selection snapping and suggestions use too; where a
  token edge falls inside a character (a flag's two halves, a symbol joined to a letter by a zero-width
  joiner) the step goes on in the same direction to a boundary that cuts neither a character nor a word;
* the span never becomes empty or reversed and never leaves the text: a step that would do so moves as
  far as it can (to a one-character span) or not at all, and says why.

What counts as one character is :mod:`annotator.core.graphemes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from annotator.core.graphemes import is_grapheme_boundary, next_grapheme, previous_grapheme
from annotator.core.tokenize import tokenize
from annotator.core.words import inside_word

__all__ = ["Edge", "Unit", "drag_boundary", "is_grapheme_boundary", "move_boundary", "next_grapheme",
           "previous_grapheme"]

Edge = Literal["start", "end"]
Unit = Literal["char", "word"]

_WORD_WINDOW = 256
"""Code points around a boundary tokenized per word step; doubled until a step is found (1 MB articles)."""


def drag_boundary(text: str, start: int, end: int, edge: Edge, pos: int) -> tuple[int, int]:
    """The span with ``edge`` dropped at ``pos`` (a dragged highlight edge), kept non-empty and whole.

    ``pos`` inside a character moves back to that character's start; an edge dragged past the other one
    stops one character short of it, so the drag can shrink the span to one character but never flip it.
    """
    n = len(text)
    pos = max(0, min(pos, n))
    while not is_grapheme_boundary(text, pos):
        pos -= 1
    if edge == "start":
        return min(pos, previous_grapheme(text, end)), end
    return start, max(pos, next_grapheme(text, start))


def _token_edges(text: str, pos: int, edge: Edge, direction: int) -> int | None:
    """The nearest token start (``edge == "start"``) or end beyond ``pos`` in ``direction``, or None.

    Only a window around ``pos`` is tokenized. A token touching a window edge that is not the text's edge
    may be a cut word, so it does not count, and when such a token reaches ``pos`` (a word longer than the
    window) or nothing was found, the window doubles until the answer is certain.
    """
    n = len(text)
    width = _WORD_WINDOW
    while True:
        lo, hi = max(0, pos - width), min(n, pos + width)
        found: int | None = None
        certain = True
        for token in tokenize(text[lo:hi]):
            a, b = lo + token.start, lo + token.end
            if (a == lo and lo > 0) or (b == hi and hi < n):
                certain = certain and not a <= pos <= b
                continue
            value = a if edge == "start" else b
            if (value - pos) * direction > 0 and (found is None or (found - value) * direction > 0):
                found = value  # the nearest one beyond pos
        if certain and found is not None:
            return found
        if lo == 0 and hi == n:
            return found
        width *= 2


def _word_step(text: str, pos: int, edge: Edge, direction: int) -> int | None:
    found = _token_edges(text, pos, edge, direction)
    if found is None:
        return None
    while not is_grapheme_boundary(text, found) or inside_word(text, found):  # a token edge inside a flag
        found += direction  # or a ZWJ cluster ("😊\u200dab"): keep going the same way, past the word it reached
    return found


@dataclass(frozen=True, slots=True)
class Moved:
    """The span after a step, and why it could not move as asked (a short reason, or "" when it did)."""

    start: int
    end: int
    refused: str = ""


def move_boundary(text: str, start: int, end: int, edge: Edge, direction: int, unit: Unit = "char") -> Moved:
    """Move ``edge`` of the span ``[start, end)`` one ``unit`` left (``direction < 0``) or right.

    The result always satisfies ``0 <= start < end <= len(text)`` with both offsets on character boundaries
    (an input boundary inside a cluster is first moved out of it, outwards). A step that would empty or
    reverse the span stops at a one-character span; at the edge of the text nothing moves and
    :attr:`Moved.refused` says why.
    """
    n = len(text)
    if n == 0:
        raise ValueError("a span needs a non-empty text")
    start, end = max(0, min(start, n - 1)), min(n, max(end, 1))
    while not is_grapheme_boundary(text, start):
        start -= 1
    while not is_grapheme_boundary(text, end):
        end += 1
    if end <= start:
        end = next_grapheme(text, start)
    step = 1 if direction > 0 else -1
    if edge == "start":
        return _move_start(text, start, end, step, unit)
    return _move_end(text, start, end, step, unit)


def _move_start(text: str, start: int, end: int, step: int, unit: Unit) -> Moved:
    if step < 0:
        if start == 0:
            return Moved(start, end, "the span already starts at the beginning of the text")
        target = previous_grapheme(text, start) if unit == "char" else _word_step(text, start, "start", -1)
        if target is None:
            return Moved(start, end, "there is no word before the span")
        return Moved(target, end)
    last = previous_grapheme(text, end)  # the latest start that keeps one character
    if start >= last:
        return Moved(start, end, "the span is one character long: it cannot shrink further")
    target = next_grapheme(text, start) if unit == "char" else _word_step(text, start, "start", 1)
    return Moved(last if target is None or target > last else target, end)


def _move_end(text: str, start: int, end: int, step: int, unit: Unit) -> Moved:
    n = len(text)
    if step > 0:
        if end == n:
            return Moved(start, end, "the span already ends at the end of the text")
        target = next_grapheme(text, end) if unit == "char" else _word_step(text, end, "end", 1)
        if target is None:
            return Moved(start, end, "there is no word after the span")
        return Moved(start, target)
    first = next_grapheme(text, start)  # the earliest end that keeps one character
    if end <= first:
        return Moved(start, end, "the span is one character long: it cannot shrink further")
    target = previous_grapheme(text, end) if unit == "char" else _word_step(text, end, "end", -1)
    return Moved(start, first if target is None or target < first else target)
