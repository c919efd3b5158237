"""The document search box's syntax, parsed once and turned into SQLite FTS5 or PostgreSQL queries.

What an analyst may type (README, "Searching documents"): words (all must occur; each also finds words it
begins, so results appear while typing), ``"an exact phrase"``, ``OR`` between two terms (either one),
and ``-word`` or ``-"a phrase"`` to leave out documents containing it. A trailing ``OR`` or an unclosed
quote is what is still being typed and searches what is there so far. Anything else that looks like
search syntax — parentheses, ``AND``/``NOT``, ``field:value``, a leading or doubled ``OR``, only
exclusions — is refused with one sentence naming it, instead of silently meaning something else on one
database. The parsed :class:`SearchQuery` is rendered for each database here, so FTS5 and PostgreSQL get
the same meaning; user text only ever reaches them inside quotes (FTS5) or reduced to word characters
(PostgreSQL), never as operators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.core.errors import AnnotatorError
from annotator.core.search_fold import fold_for_search

_TOKEN = re.compile(r'\s*(-?)"([^"]*)"?|\s*(\S+)')
"""A quoted phrase (an unclosed quote runs to the end: the phrase is still being typed), or a bare token."""
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Term:
    """One word (a prefix) or one exact phrase."""

    text: str
    phrase: bool = False

    def words(self) -> list[str]:
        return _WORD.findall(fold_for_search(self.text).lower())


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """All ``groups`` must match (each group: any of its terms), none of ``excluded`` may."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.groups and not self.excluded

    def matches_nothing(self) -> bool:
        """A term with no letters or digits ("--", "!!") can match no document on either database."""
        return any(all(not term.words() for term in group) for group in self.groups)

    # ------------------------------------------------------------------ renderings
    def fts5(self) -> str:
        def term(t: Term) -> str:
            quoted = '"' + t.text.replace('"', '""') + '"'
            return quoted if t.phrase else quoted + "*"

        parts = ["(" + " OR ".join(term(t) for t in group if t.words()) + ")" for group in self.groups]
        query = " AND ".join(parts)
        for t in self.excluded:
            if t.words():
                query += f' NOT "{t.text.replace(chr(34), chr(34) * 2)}"' + ("" if t.phrase else "*")
        return query

    def tsquery(self) -> str:
        def term(t: Term) -> str:
            words = t.words()
            return "(" + " <-> ".join(words) + ")" if t.phrase else " & ".join(w + ":*" for w in words)

        parts = ["(" + " | ".join(term(t) for t in group if t.words()) + ")" for group in self.groups]
        parts += ["!(" + term(t) + ")" for t in self.excluded if t.words()]
        return " & ".join(parts)


def parse_search(search: str) -> SearchQuery:
    """Parse the search box's text; AnnotatorError with one sentence for syntax it does not support."""
    items: list[tuple[str, Term | None]] = []  # ("term" | "not" | "or", term)
    for match in _TOKEN.finditer(search):
        if match.group(3) is None:  # a quoted phrase, excluded when "-" comes before it
            term = Term(match.group(2).strip(), phrase=True)
            if term.text:
                items.append(("not" if match.group(1) else "term", term))
            continue
        word = match.group(3)
        if word == "OR":
            items.append(("or", None))
        elif word in ("AND", "NOT"):
            raise AnnotatorError(f"search: {word} is not supported — words are all required already; "
                                 "use -word to leave one out")
        elif "(" in word or ")" in word:
            raise AnnotatorError("search: parentheses are not supported — use OR between two words, "
                                 '"quotes" for a phrase and -word to leave one out')
        elif '"' in word:
            raise AnnotatorError('search: a quote inside a word — write "an exact phrase" between two quotes')
        elif re.fullmatch(r"\w+:\S*", word):
            raise AnnotatorError(f"search: {word.split(':')[0]}: is not supported — search looks at titles and "
                                 "texts; use the status and label filters beside it")
        elif word.startswith("-") and len(word) > 1:
            items.append(("not", Term(word[1:])))
        elif word != "-":
            items.append(("term", Term(word)))
    if items and items[-1][0] == "or":
        items.pop()  # "crane OR" while the next word is being typed: search for what is there so far
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    joining = False
    for position, (kind, item) in enumerate(items):
        if kind == "or":
            if not groups or joining or items[position - 1][0] != "term":
                raise AnnotatorError("search: OR needs a word or a phrase on both sides")
            joining = True
        elif kind == "not":
            if joining:
                raise AnnotatorError("search: OR needs a word or a phrase on both sides (not an exclusion)")
            assert item is not None
            excluded.append(item)
        else:
            assert item is not None
            if joining:
                groups[-1].append(item)
                joining = False
            else:
                groups.append([item])
    if excluded and not groups:
        raise AnnotatorError("search: add a word to look for — an exclusion (-word) alone would list everything "
                             "else")
    return SearchQuery(tuple(tuple(g) for g in groups), tuple(excluded))
