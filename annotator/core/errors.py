"""The one error type that may reach a user.

Every failure caused by input (a file, a record, a URL, an option) is raised as ``AnnotatorError`` with
the place it happened, so the command line and the app can show one readable line instead of a
traceback. Anything else escaping is a bug.
"""

from __future__ import annotations

import unicodedata

_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
"""Characters a message must not print as themselves: controls (a newline would forge a second line),
format characters (bidi overrides reorder what is shown), surrogates and line/paragraph separators."""


def printable(text: str) -> str:
    """``text`` with every control, format, separator or surrogate character written as an escape.

    Names come from file systems and files: a file name holding a newline must print as ``\\n``, not
    as a second stderr line that looks like our own message; an undecodable byte kept by
    ``surrogateescape`` prints as ``\\udcff`` instead of failing the write.
    """
    if text.isascii() and text.isprintable():
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape: show the byte
            out.append(f"\\x{code - 0xDC00:02x}")
        elif unicodedata.category(ch) in _HIDDEN:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


class AnnotatorError(Exception):
    """A problem with the user's input or environment, worded for the user."""

    def __init__(self, reason: str, *, path: str | None = None, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = printable(str(self.path))
            if self.line is not None:
                where += f", line {self.line}"
            where += ": "
        return where + self.reason

    def at(self, path: str | None = None, line: int | None = None) -> AnnotatorError:
        """The same error (same class), with a location filled in where it was still missing."""
        return self.__class__(
            self.reason,
            path=self.path if self.path is not None else path,
            line=self.line if self.line is not None else line,
        )


class PermissionDenied(AnnotatorError):
    """The acting user may not write this layer (team mode roles)."""


class SchemaTooNew(AnnotatorError):
    """The database was written by a newer annotator version than this one."""


class RepeatedSpan(AnnotatorError):
    """A layer already holds a span with these offsets and this label (a layer never holds one twice)."""
