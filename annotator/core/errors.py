"""The one error type that may reach a user.

Every failure caused by input (a file, a record, a URL, an option) is raised as ``AnnotatorError`` with
the place it happened, so the command line and the app can show one readable line instead of a
traceback. Anything else escaping is a bug.
"""

from __future__ import annotations


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
            where = str(self.path)
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
