"""Canonical text and its fingerprint (docs/architecture.md §2).

Every offset in the product indexes the canonical text: the source decoded to ``str`` with ``\\r\\n`` and
lone ``\\r`` turned into ``\\n`` and nothing else changed. Normalising line ends (and only those) makes a
file saved on Windows and the same file saved on Linux one document with one hash.
"""

from __future__ import annotations

import hashlib

from annotator.core.errors import AnnotatorError

CONTEXT_CHARS = 32
"""How many code points of context are stored before and after a quote (prefix and suffix)."""


def canonicalize(raw: str) -> str:
    """Return the canonical text of a decoded source: line ends normalised to ``\\n``."""
    if "\r" not in raw:
        return raw
    return raw.replace("\r\n", "\n").replace("\r", "\n")


def text_sha256(canonical_text: str) -> str:
    """SHA-256 of the canonical text encoded as UTF-8, lowercase hex.

    A text with an unpaired surrogate (``"\\ud800"`` escaped in JSON) is not Unicode text: it has no UTF-8
    form, no database can store it, so it is refused here, where every imported text is hashed.
    """
    try:
        data = canonical_text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise AnnotatorError(surrogate_reason("the text", canonical_text, exc.start)) from None
    return hashlib.sha256(data).hexdigest()


def surrogate_reason(what: str, value: str, at: int) -> str:
    """The one sentence for a value holding an unpaired surrogate (not valid Unicode)."""
    return f"{what} contains an unpaired surrogate (\\u{ord(value[at]):04x} at character {at + 1}), which is not valid Unicode"


def surrogate_problem(value: object, what: str) -> str | None:
    """Why ``value`` (a string, or a JSON-like structure of them) cannot be stored, or None.

    Checks every string in nested lists and dicts (keys included): metadata, attributes, notes.
    """
    if isinstance(value, str):
        if value.isascii():
            return None
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            return surrogate_reason(what, value, exc.start)
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            found = surrogate_problem(key, what) or surrogate_problem(item, f"{what} {key!r}")
            if found:
                return found
    elif isinstance(value, list | tuple):
        for item in value:
            found = surrogate_problem(item, what)
            if found:
                return found
    return None


def prefix_of(text: str, start: int, width: int = CONTEXT_CHARS) -> str:
    """Up to ``width`` code points before ``start``; used to re-anchor a quote that occurs twice."""
    return text[max(0, start - width) : start]


def suffix_of(text: str, end: int, width: int = CONTEXT_CHARS) -> str:
    """Up to ``width`` code points after ``end``."""
    return text[end : end + width]


def check_offsets(text: str, start: object, end: object) -> str | None:
    """Return why ``start``/``end`` are not a valid span of ``text``, or ``None`` when they are.

    Offsets must be integers (not booleans), ``0 <= start < end <= len(text)``.
    """
    return check_bounds(len(text), start, end)


def check_bounds(length: int, start: object, end: object) -> str | None:
    """:func:`check_offsets` for a text known only by its length (the store keeps it per document)."""
    if not isinstance(start, int) or isinstance(start, bool):
        return f"start offset {start!r} is not an integer"
    if not isinstance(end, int) or isinstance(end, bool):
        return f"end offset {end!r} is not an integer"
    if start < 0 or end < 0:
        return f"offsets {start}-{end} are negative"
    if end <= start:
        return f"offsets {start}-{end} are reversed or empty"
    if end > length:
        return f"offsets {start}-{end} are beyond the end of the text ({length} characters)"
    return None


def first_line_title(text: str, limit: int = 200) -> str:
    """The first non-empty line, stripped and shortened: a title for plain-text articles."""
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            stripped = stripped.lstrip("#").strip() or stripped
            return stripped if len(stripped) <= limit else stripped[: limit - 1] + "…"
    return ""
