"""Accent folding for document search, so "Pyongyang" finds "Pyŏngyang" on every database.

SQLite's FTS5 index folds diacritics itself (``remove_diacritics 2``). PostgreSQL's ``simple`` text-search
configuration does not, and its ``unaccent`` extension needs rights a team's database user may lack. The
portable way is ``translate(text, FOLD_FROM, FOLD_TO)``: a built-in, immutable function that maps one
character to another, usable in an expression index. These two strings map every precomposed Latin letter
whose canonical decomposition is an ASCII letter plus combining marks (é → e, ŏ → o, Ş → S, ǚ → u) to that
letter; the search query is folded the same way in Python with ``fold_for_search``. That is what FTS5
folds too, so a search finds the same documents on both databases. Letters with a stroke (Ł, Đ, Ø) have
no decomposition and are not folded by either.

Canonical decompositions never change once Unicode assigns them (its stability policy), so the strings
are the same under every Python version. They are part of PostgreSQL's search index expression
(migration 0005): changing them needs a new migration that rebuilds ``ix_documents_search``, and
tests/store/test_search_folds_accents.py fails when the two disagree.
"""

from __future__ import annotations

import unicodedata

# Latin-1 Supplement, Latin Extended-A/B, Latin Extended Additional (Vietnamese and the rest)
_LATIN_BLOCKS = ((0x00C0, 0x024F), (0x1E00, 0x1EFF))


def _foldings() -> tuple[str, str]:
    source, target = [], []
    for first, last in _LATIN_BLOCKS:
        for code in range(first, last + 1):
            char = chr(code)
            decomposed = unicodedata.normalize("NFD", char)
            base = "".join(c for c in decomposed if not unicodedata.combining(c))
            if base != char and len(base) == 1 and base.isascii() and base.isalpha():
                source.append(char)
                target.append(base)
    return "".join(source), "".join(target)


FOLD_FROM, FOLD_TO = _foldings()
_TABLE = str.maketrans(FOLD_FROM, FOLD_TO)


def fold_for_search(text: str) -> str:
    """``text`` with precomposed accented Latin letters replaced by their base letters (case kept).

    A letter written with a separate combining accent (e + U+0301) is left as it is: its base letter is
    already there for the search to find.
    """
    return text.translate(_TABLE)
