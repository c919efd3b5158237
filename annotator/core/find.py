"""Finding a phrase in an article's stored text, the way a reader means it (pure, no Qt).

The find bar under the article must find "Pyongyang" in "Pyŏngyang", "north korean" in "North\\nKorean"
and "kraków" in "Krakow" — what the analyst sees, not the bytes — and hand back code-point offsets of
the stored text, because the match becomes the article's selection and then, with a label key, a span
(``docs/architecture.md`` §2). So the text is folded once per document into a comparison string:

* case: each character's ``casefold()`` ("Straße" holds "strasse");
* accents: canonical decomposition with the combining marks dropped (é → e, ŏ → o, e + U+0301 → e);
* whitespace: every run of whitespace (spaces, line breaks, no-break spaces) becomes one space.

Each folded character remembers the code point it came from. A match is kept only where it begins and
ends on whole source characters (a query "s" does not stop inside "ß"), and it maps back to the source
from its first character to just before the next character that folds to something, so a letter's
combining accents always stay with it. ``tests/core/test_find.py`` checks with hypothesis that every
match is a slice of the text whose folding is the query's folding.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char.isspace():
        return " "
    decomposed = unicodedata.normalize("NFD", char.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """``text`` folded for comparison (case, accents, whitespace runs), without the offset map."""
    return FoldedText.of(text).folded


@dataclass(frozen=True, slots=True)
class FoldedText:
    """A text's folding with, for each folded character, the code point it came from."""

    text: str
    folded: str
    source: tuple[int, ...]
    """``source[j]``: the code point of ``text`` that folded character ``j`` came from."""
    first: frozenset[int]
    """Folded positions that begin a source character's folding (a match may start or end only there)."""

    @classmethod
    def of(cls, text: str) -> FoldedText:
        parts: list[str] = []
        source: list[int] = []
        first: list[int] = []
        in_space = False
        for i, char in enumerate(text):
            folded = _fold_char(char)
            if folded == " ":
                if in_space:
                    continue  # the rest of a whitespace run folds to nothing
                in_space = True
            elif folded:
                in_space = False
            if not folded:
                continue
            first.append(len(source))
            parts.append(folded)
            source.extend([i] * len(folded))
        return cls(text, "".join(parts), tuple(source), frozenset(first))

    def _code_point(self, j: int) -> int:
        """The code point where folded position ``j`` begins (the text's end past the last one)."""
        return self.source[j] if j < len(self.source) else len(self.text)

    def find_all(self, query: str) -> list[tuple[int, int]]:
        """Code-point ranges ``(start, end)`` of the non-overlapping matches of ``query``, in text order."""
        needle = fold(query).strip(" ")
        if not needle:
            return []
        found: list[tuple[int, int]] = []
        haystack, first = self.folded, self.first
        at = haystack.find(needle)
        while at >= 0:
            stop = at + len(needle)
            if at in first and (stop == len(haystack) or stop in first):
                found.append((self._code_point(at), self._code_point(stop)))
                at = haystack.find(needle, stop)
            else:
                at = haystack.find(needle, at + 1)
        return found


def find_all(text: str, query: str) -> list[tuple[int, int]]:
    """Every match of ``query`` in ``text`` as code-point ranges (see the module docstring for the rules)."""
    return FoldedText.of(text).find_all(query)
