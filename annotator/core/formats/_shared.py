"""Helpers shared by the foreign formats: offset units, JSON with line numbers, safe file names.

Other tools count offsets differently from us (docs/architecture.md §2, §7): browser tools count UTF-16
code units, and a file whose text still has ``\\r\\n`` may count the ``\\r``. :class:`OffsetUnits` turns a pair of
offsets from such a file into code points of the canonical text under every plausible convention, so a
reader can keep the one that reproduces the quote (or, when the format has no quote, the one that puts
spans on word boundaries across the whole file).
"""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.formats.base import ReadContext
from annotator.core.model import DocumentRecord, doc_id_for
from annotator.core.offsets import Utf16Map
from annotator.core.text import canonicalize, text_sha256
from annotator.core.words import inside_word  # the one word rule (annotator.core.words)

CODE_POINTS = "code points"
UTF16 = "UTF-16 code units"
RAW_CODE_POINTS = "code points of the text with \\r\\n"
RAW_UTF16 = "UTF-16 code units of the text with \\r\\n"


def make_document(raw_text: str, doc_id: object = None, meta: dict[str, Any] | None = None) -> DocumentRecord:
    """A document record from a foreign file's text: canonical text, hash, and a default id."""
    text = canonicalize(raw_text)
    sha = text_sha256(text)
    ident = str(doc_id) if doc_id not in (None, "") else doc_id_for(sha)
    return DocumentRecord(doc_id=ident, text=text, text_sha256=sha, meta=dict(meta or {}))


def clean_meta(raw: object) -> dict[str, Any]:
    """Scalar metadata kept as is; nested values stored as JSON strings (the store keeps flat meta)."""
    if not isinstance(raw, dict):
        return {}
    clean: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, str | int | float | bool) or value is None:
            clean[str(key)] = value
        else:
            clean[str(key)] = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return clean


class OffsetUnits:
    """Maps offsets given in a foreign unit to code points of the canonical text.

    Built once per document. ``candidates(start, end)`` yields ``(unit, start, end)`` for each unit under
    which the pair is a valid, non-empty span that does not split a surrogate pair or a ``\\r\\n``.
    """

    def __init__(self, raw_text: str) -> None:
        self.raw = raw_text
        self.text = canonicalize(raw_text)
        self._u16 = Utf16Map(self.text)
        # Positions (in the raw text) of each '\r' that canonicalisation removes (the '\r' of '\r\n').
        self._removed = [m.start() for m in re.finditer("\r\n", raw_text)] if "\r" in raw_text else []
        self._raw_u16 = Utf16Map(raw_text) if self._removed else None

    @property
    def ambiguous(self) -> bool:
        """True when some unit other than canonical code points could give different offsets."""
        return not self._u16.is_identity or bool(self._removed)

    def _from_raw(self, raw_offset: int) -> int | None:
        i = bisect_left(self._removed, raw_offset)
        if i > 0 and self._removed[i - 1] == raw_offset - 1:
            return None  # between '\r' and '\n'
        return raw_offset - i

    def _from_u16(self, u16map: Utf16Map, offset: int) -> int | None:
        if u16map.is_inside_pair(offset):
            return None
        return u16map.to_code_point(offset)

    def convert(self, unit: str, start: object, end: object) -> tuple[int, int] | None:
        """Canonical code-point offsets for ``start``/``end`` given in ``unit``, or ``None`` if invalid.

        The offsets are taken as read from a file (any JSON value); anything but two integers is invalid.
        """
        if isinstance(start, bool) or isinstance(end, bool) or not isinstance(start, int) or not isinstance(end, int):
            return None
        if start < 0 or end <= start:
            return None
        pair: tuple[int | None, int | None]
        if unit == CODE_POINTS:
            pair = (start, end)
        elif unit == UTF16:
            if end > self._u16.length_u16:
                return None
            pair = (self._from_u16(self._u16, start), self._from_u16(self._u16, end))
        elif unit == RAW_CODE_POINTS:
            if not self._removed or end > len(self.raw):
                return None
            pair = (self._from_raw(start), self._from_raw(end))
        elif unit == RAW_UTF16:
            if not self._removed or self._raw_u16 is None or end > self._raw_u16.length_u16:
                return None
            s, e = self._from_u16(self._raw_u16, start), self._from_u16(self._raw_u16, end)
            pair = (None, None) if s is None or e is None else (self._from_raw(s), self._from_raw(e))
        else:
            raise ValueError(unit)
        s, e = pair
        if s is None or e is None or e <= s or e > len(self.text):
            return None
        return s, e

    def units(self) -> tuple[str, ...]:
        """The units to try, most likely first.

        When the file's own text still has ``\r\n``, its offsets most likely index that very string (the
        tool that wrote them saw it), so the units counting the ``\r`` come first: a quote that occurs
        twice must not be matched, by chance, under a unit the tool never used.
        """
        if not self.ambiguous:
            return (CODE_POINTS,)
        canonical = [CODE_POINTS]
        if not self._u16.is_identity:
            canonical.append(UTF16)
        raw: list[str] = []
        if self._removed:
            raw.append(RAW_CODE_POINTS)
            if self._raw_u16 is not None and not self._raw_u16.is_identity:
                raw.append(RAW_UTF16)
        return tuple(raw + canonical)

    def candidates(self, start: object, end: object) -> Iterator[tuple[str, int, int]]:
        for unit in self.units():
            pair = self.convert(unit, start, end)
            if pair is not None:
                yield unit, pair[0], pair[1]

    def by_quote(self, start: object, end: object, quote: str) -> tuple[str, int, int] | None:
        """The first unit under which the offsets reproduce ``quote`` exactly."""
        for unit, s, e in self.candidates(start, end):
            if self.text[s:e] == quote:
                return unit, s, e
        return None


def boundary_score(text: str, start: int, end: int) -> int:
    """How plausibly ``start``/``end`` delimit a span a person selected: 0 (mid-word) to 2 (both ends clean).

    An end inside a word (:mod:`annotator.core.words`), just before a combining mark, or on whitespace (people select words, not the
    spaces around them) is how a span read in the wrong unit looks.
    """

    def is_mark(i: int) -> bool:
        return i < len(text) and unicodedata.category(text[i]).startswith("M")

    start_ok = not inside_word(text, start) and not is_mark(start) and not text[start].isspace()
    end_ok = not inside_word(text, end) and not is_mark(end) and not text[end - 1].isspace()
    return int(start_ok) + int(end_ok)


def iter_json_array(
    text: str, ctx: ReadContext, what: str = "item", start: int = 0
) -> Iterator[tuple[int, Any] | AnnotatorError]:
    """Decode a JSON array one element at a time, each with the line it starts on.

    ``start`` is where the array begins (the whole file by default; the ``items`` array inside a W3C
    collection). A file that is not an array (a single object) is treated as an array of one. A syntax
    error ends the file: everything after it is unreadable, so the error is yielded and iteration stops.
    """
    decoder = json.JSONDecoder()
    ws = re.compile(r"[ \t\n\r]*")

    def skip_ws(at: int) -> int:
        """Where the whitespace from ``at`` ends (the pattern matches the empty string: never None)."""
        found = ws.match(text, at)
        return found.end() if found is not None else at

    pos = skip_ws(start)
    if text.startswith("\ufeff", pos):
        pos += 1
    line_of: Callable[[int], int] = lambda p: text.count("\n", 0, p) + 1  # noqa: E731
    if pos >= len(text):
        yield ctx.error("the file is empty")
        return
    def decode(at: int, line: int, where: str) -> tuple[Any, int] | AnnotatorError:
        try:
            return decoder.raw_decode(text, at)
        except json.JSONDecodeError as exc:
            return ctx.error(f"not valid JSON ({exc.msg.removesuffix(' at')} at column {exc.colno})", exc.lineno)
        except (RecursionError, ValueError) as exc:
            return ctx.error(f"not valid JSON{where} ({type(exc).__name__})", line)

    if text[pos] != "[":
        single = decode(pos, line_of(pos), "")
        yield single if isinstance(single, AnnotatorError) else (line_of(pos), single[0])
        return
    pos = skip_ws(pos + 1)
    if text.startswith("]", pos):
        return
    line = 1
    last = 0
    while True:
        line += text.count("\n", last, pos)
        last = pos
        decoded = decode(pos, line, f" in {what}")
        if isinstance(decoded, AnnotatorError):
            yield decoded
            return
        obj, end = decoded
        yield line, obj
        pos = skip_ws(end)
        if text.startswith(",", pos):
            pos = skip_ws(pos + 1)
            continue
        if text.startswith("]", pos):
            return
        line += text.count("\n", last, pos)
        last = pos
        yield ctx.error(f"not valid JSON (expected ',' or ']' after {what})", line)
        return


def first_json_object(head: bytes, path: Path | None = None, limit: int = 64 * 1024 * 1024) -> dict[str, Any] | None:
    """The first record of a JSONL file decoded as an object, or ``None``.

    ``head`` holds the file's first bytes; when the first line does not end within it (a long article
    with its tokens easily exceeds the head), the whole first line is read from ``path``, up to
    ``limit`` bytes, so the keys that tell the JSONL flavours apart are always seen.
    """
    data = head
    if b"\n" not in head.lstrip(b"\r\n\t ") and path is not None:
        try:
            with open(path, "rb") as fh:
                data = fh.readline(limit)
                while data and not data.strip():
                    data = fh.readline(limit)
        except OSError:
            data = head
    text = data.decode("utf-8", errors="ignore").lstrip("\ufeff")
    for line in text.split("\n"):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError):
            return None
        return obj if isinstance(obj, dict) else None
    return None


_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str, fallback: str = "unnamed") -> str:
    """A file or folder name made of safe characters only (never '.', '..' or empty)."""
    cleaned = _UNSAFE_NAME.sub("_", name).strip("._")[:120]
    return cleaned or fallback


def short(quote: str, limit: int = 40) -> str:
    """A quote shortened for a message."""
    return quote if len(quote) <= limit else quote[: limit - 1] + "…"
