"""A span's attributes as editable ``key: value`` lines, without losing their JSON types.

Attributes arrive typed from other tools (brat's multi-valued attributes as lists, Label Studio's numbers
and booleans) and are exported typed again. An editor that shows ``hours: 14`` and saves back the string
"14" would quietly change the data the moment an analyst edits some other line. So values are written and
read as JSON where that is needed to keep the type, and as plain text otherwise:

- a string is shown as it is (``source: interview``), unless plain text would read back as something
  else — the string "14", "true", "null", a string starting with ``[``, ``{`` or ``"``, one with leading
  or trailing spaces, an empty one, or one holding a line break; those are shown JSON-quoted (``"14"``);
- a number, boolean, null, list or object is shown as compact JSON (``hours: 14``, ``crews: ["a", "b"]``);
- reading takes a value as JSON when it parses as JSON, and as plain text when it does not, so a user who
  types ``hours: 14`` gets the number and ``witness: yes`` the string;
- a key is plain text too, JSON-quoted only when it holds ':' or a line break, starts with '"', or has
  spaces around it.

``format_attribute_lines`` followed by ``parse_attribute_lines`` returns the attributes unchanged, for any
JSON-compatible values (property-tested).
"""

from __future__ import annotations

import json
from typing import Any


def _one_plain_line(text: str) -> bool:
    """Non-empty, no surrounding space, and no character that str.splitlines() breaks at."""
    return bool(text) and text == text.strip() and text.splitlines() == [text]


def _json(value: Any) -> str:
    # ensure_ascii=False keeps scripts readable, but JSON leaves U+0085/U+2028/U+2029 raw, and
    # str.splitlines() would break the line there: escape those three
    dumped = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return dumped.replace("\x85", "\\u0085").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _reads_back_as_itself(text: str) -> bool:
    """Whether a string written as plain text would be read back as that same string."""
    if not _one_plain_line(text):
        return False
    try:
        json.loads(text)
    except ValueError:
        return True
    return False  # it parses as JSON (a number, true, a quoted string, a list...): quote it


def format_key(key: str) -> str:
    if _one_plain_line(key) and ":" not in key and not key.startswith('"'):
        return key
    return _json(key)


def _split_line(line: str, number: int) -> tuple[str, str]:
    """(key, value text) of one line; raises ValueError naming the line."""
    stripped = line.lstrip()
    if stripped.startswith('"'):
        try:
            key, end = json.JSONDecoder().raw_decode(stripped)
        except ValueError:
            raise ValueError(f"line {number}: a quoted key needs its closing '\"'") from None
        rest = stripped[end:].lstrip()
        if not isinstance(key, str) or not rest.startswith(":"):
            raise ValueError(f"line {number}: write attributes as 'key: value'")
        return key, rest[1:]
    key, sep, value = line.partition(":")
    if not sep or not key.strip():
        raise ValueError(f"line {number}: write attributes as 'key: value'")
    return key.strip(), value


def format_value(value: Any) -> str:
    if isinstance(value, str) and _reads_back_as_itself(value):
        return value
    return _json(value)


def parse_value(text: str) -> Any:
    text = text.strip()
    try:
        return json.loads(text)
    except ValueError:
        return text


def format_attribute_lines(attributes: dict[str, Any]) -> str:
    """One ``key: value`` line per attribute, in the stored order."""
    return "\n".join(f"{format_key(key)}: {format_value(value)}" for key, value in attributes.items())


def parse_attribute_lines(text: str) -> dict[str, Any]:
    """``key: value`` per line; blank lines ignored. Raises ValueError naming the bad line.

    A key may not repeat, because a second value would silently replace the first.
    """
    result: dict[str, Any] = {}
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        key, value = _split_line(line, number)
        if key in seen:
            raise ValueError(f"line {number}: '{key}' is already given on line {seen[key]}")
        seen[key] = number
        result[key] = parse_value(value)
    return result
