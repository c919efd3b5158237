"""Typed values of document fields and span attributes: one rule for what each kind accepts.

A document field ("relevance"), a typed span attribute ("hours per day") and every format that carries
them must agree on what a value of each kind is, or a value accepted by the app would be refused by
import, or exported in a shape no reader takes back. The canonical shapes are those of native JSONL
(docs/architecture.md §4): ``choice`` → one of the options, ``multi`` → a sorted list of distinct options,
``bool`` → true/false, ``number`` → an int or a finite float, ``date`` → ``"YYYY-MM-DD"``, ``text`` → a
string. :func:`check_value` turns a value read from a file into that shape or says why it cannot;
:func:`parse_text` does the same for what a person typed into a form.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date
from typing import Any, Literal

from annotator.core.errors import AnnotatorError

ValueKind = Literal["choice", "multi", "bool", "number", "date", "text"]
VALUE_KINDS: tuple[ValueKind, ...] = ("choice", "multi", "bool", "number", "date", "text")
KINDS_WITH_OPTIONS: tuple[ValueKind, ...] = ("choice", "multi")
COMPARABLE_KINDS: tuple[ValueKind, ...] = ("choice", "multi", "bool", "number")
"""Kinds agreement compares (docs/architecture.md §6): free text and dates are not judgements on a scale."""

MAX_TEXT_VALUE = 10_000
"""A text value longer than this is not a field judgement but pasted content: refused."""

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TRUE_WORDS = {"true", "yes", "y", "1", "on"}
_FALSE_WORDS = {"false", "no", "n", "0", "off"}


def kind_of_value(value: Any) -> str:
    """The kind a value without a definition most plausibly has, judged from its shape.

    Used where a value arrives before its field is defined (``import --add-labels``, a format writing a
    field the scheme lacks): a string is ``text``, since a choice cannot be told from one value.
    """
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list):
        return "multi"
    return "text"


def kind_name(kind: str) -> str:
    """How a kind reads in a message ("a number", "one of the options")."""
    return {
        "choice": "one of the options",
        "multi": "a list of options",
        "bool": "true or false",
        "number": "a number",
        "date": "a date YYYY-MM-DD",
        "text": "a text",
    }.get(kind, kind)


def check_value(kind: str, options: Sequence[str], value: Any) -> Any:
    """``value`` in the canonical shape of ``kind``; :class:`AnnotatorError` naming the reason otherwise.

    The message is a clause ("expected a number, got 'ten'") that callers prefix with what the value
    belongs to (field, attribute, file and line), so every place reports a bad value the same way.
    """
    if kind == "choice":
        if not isinstance(value, str) or value not in options:
            raise AnnotatorError(f"expected one of {_listing(options)}, got {_shown(value)}")
        return value
    if kind == "multi":
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise AnnotatorError(f"expected a list of options from {_listing(options)}, got {_shown(value)}")
        unknown = [item for item in value if item not in options]
        if unknown:
            raise AnnotatorError(f"{_shown(unknown[0])} is not one of {_listing(options)}")
        return sorted(set(value))
    if kind == "bool":
        if not isinstance(value, bool):
            raise AnnotatorError(f"expected true or false, got {_shown(value)}")
        return value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (
            isinstance(value, float) and not math.isfinite(value)
        ):
            raise AnnotatorError(f"expected a number, got {_shown(value)}")
        return value
    if kind == "date":
        if not isinstance(value, str) or not _is_date(value):
            raise AnnotatorError(f"expected a date YYYY-MM-DD, got {_shown(value)}")
        return value
    if kind == "text":
        if not isinstance(value, str):
            raise AnnotatorError(f"expected a text, got {_shown(value)}")
        if len(value) > MAX_TEXT_VALUE:
            raise AnnotatorError(f"a text value is limited to {MAX_TEXT_VALUE:,} characters")
        return value
    raise AnnotatorError(f"unknown kind {_shown(kind)} (expected one of {', '.join(VALUE_KINDS)})")


def parse_text(kind: str, options: Sequence[str], typed: str) -> Any:
    """A value typed into a form, in the canonical shape; an empty entry is ``None`` (no value).

    Forms show every kind as text the user can type or pick; ``multi`` is typed comma-separated.
    """
    text = typed.strip()
    if not text:
        return None
    if kind == "bool":
        word = text.casefold()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
        raise AnnotatorError(f"expected true or false, got {_shown(text)}")
    if kind == "number":
        number = _number(text)
        if number is None:
            raise AnnotatorError(f"expected a number, got {_shown(text)}")
        return number
    if kind == "multi":
        return check_value(kind, options, [part.strip() for part in text.split(",") if part.strip()])
    return check_value(kind, options, text if kind != "text" else typed)


def value_text(value: Any) -> str:
    """A stored value as a form shows it (the inverse of :func:`parse_text`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _number(text: str) -> int | float | None:
    """An int or finite float; a comma is not read as a decimal point ("1,000" would be ambiguous)."""
    cleaned = text.replace("\u2212", "-")
    try:
        return int(cleaned)
    except ValueError:
        pass
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _is_date(text: str) -> bool:
    if not _ISO_DATE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _listing(options: Sequence[str]) -> str:
    shown = ", ".join(repr(option) for option in options[:8])
    return f"[{shown}{', …' if len(options) > 8 else ''}]"


def _shown(value: object, limit: int = 40) -> str:
    shown = repr(value)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"
