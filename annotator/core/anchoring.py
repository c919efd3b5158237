"""Re-anchoring a span by its quote when its offsets no longer point at it.

Data from other tools often has offsets in another unit (UTF-16), computed on text with ``\\r\\n``, or
shifted by an edited source. The quote is the ground truth: find every occurrence, prefer the one whose
prefix/suffix context matches best, then the one nearest to the given offset.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.text import check_offsets


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a span ended up: its offsets and whether they had to be moved."""

    start: int
    end: int
    moved: bool


def _common_suffix_len(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_prefix_len(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def find_quote(
    text: str, quote: str, near: int = 0, prefix: str = "", suffix: str = "", limit: int = 10_000
) -> tuple[int, int] | None:
    """Offsets of the occurrence of ``quote`` in ``text`` that best fits its context, or ``None``.

    The score is the length of matching context on either side (prefix before the quote, suffix after
    it); ties go to the occurrence nearest ``near``. At most ``limit`` occurrences are examined so a
    one-letter quote in a huge text stays cheap.
    """
    if not quote:
        return None
    best: tuple[int, int, int] | None = None  # (-score, distance, start)
    pos = text.find(quote)
    seen = 0
    while pos != -1 and seen < limit:
        score = 0
        if prefix:
            score += _common_suffix_len(text[max(0, pos - len(prefix)) : pos], prefix)
        if suffix:
            end = pos + len(quote)
            score += _common_prefix_len(text[end : end + len(suffix)], suffix)
        key = (-score, abs(pos - near), pos)
        if best is None or key < best:
            best = key
        seen += 1
        pos = text.find(quote, pos + 1)
    if best is None:
        return None
    return best[2], best[2] + len(quote)


def anchor_span(
    text: str,
    start: object,
    end: object,
    quote: str | None,
    prefix: str = "",
    suffix: str = "",
) -> Anchor | None:
    """Place a span on ``text``: keep its offsets when they are valid and match the quote, else re-anchor.

    Returns ``None`` when the offsets are invalid and there is no quote to search by, or when the quote
    does not occur in the text at all.
    """
    problem = check_offsets(text, start, end)
    # check_offsets already refused non-integers; the isinstance tests tell the type checker so
    if (problem is None and isinstance(start, int) and isinstance(end, int)
            and (quote is None or text[start:end] == quote)):
        return Anchor(start, end, False)
    if quote is None:
        return None
    near = start if isinstance(start, int) and not isinstance(start, bool) and start >= 0 else 0
    found = find_quote(text, quote, near=near, prefix=prefix or "", suffix=suffix or "")
    if found is None:
        return None
    return Anchor(found[0], found[1], True)
