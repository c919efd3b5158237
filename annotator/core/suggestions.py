"""Suggestions: phrases already tagged somewhere, offered wherever else they occur (pure, no Qt).

An analyst who tagged "loyalty payments" as remittance in one article should not have to find the phrase
again by eye in the next fifty. Like INCEpTION's string-matching recommender, the app takes every
(quote, label) pair from existing spans and looks for the same phrase in the open document. The rules, in
code points of the canonical text:

* **case-insensitive** by full case folding (``str.casefold``), so ``STRASSE`` finds ``Straße``; a match
  never starts or ends inside a character that folds to several (the ``ss`` of ``ß`` alone is not a match);
* **whitespace-insensitive**: any run of whitespace in a quote matches any run in the text (a phrase
  tagged across a line break is found on one line), while "no whitespace" must stay "no whitespace"
  (``a-b`` does not find ``a - b``);
* **whole words**: text and phrase are split by :mod:`annotator.core.tokenize`, the tokenizer the
  token-based exports use, and a phrase matches a run of whole tokens, so ``payment`` never matches
  inside ``payments``; what a word is comes from :mod:`annotator.core.words`, the rule word snapping
  and word steps use too; a match that would cut a grapheme cluster (:mod:`annotator.core.graphemes`),
  as a token edge after a zero-width joiner can, or begin or end inside a word is dropped;
* **worth suggesting**: a phrase shorter than ``min_length`` characters (whitespace runs counted as one),
  or made only of punctuation, symbols and common function words ("of the"), is ignored: it would flood
  the list with noise;
* an occurrence that already carries a span of the same label at exactly the same offsets is not offered.

One phrase tagged with two labels gives two suggestions at each occurrence, each with its **support** (the
number of spans behind it), so the analyst sees which reading their colleagues (or they) chose more often.

Matching walks a token trie: the text is tokenized once with one compiled pattern and every token start
is a dictionary lookup, so 5,000 phrases cost little more than one (``bench/bench_suggestions.py``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from annotator.core.graphemes import is_grapheme_boundary
from annotator.core.tokenize import token_pattern  # the tokenizer's pattern: the same word notion, no objects
from annotator.core.words import has_content, inside_word

DEFAULT_MIN_LENGTH = 3

STOPWORDS = frozenset("""
a an the and or but nor of in on at to for from by with without into onto over under about as than then
is are was were be been being am do does did has have had it its it's this that these those there here
he she they we you i me him her them us my your his our their not no yes so if up out off all any some
de la le les des du et en el los las un una y o da do di il lo e der die das und im am zu den dem
""".split())
"""Function words that make no phrase on their own (English, plus a few French, Spanish, Italian, German)."""

_TERMINAL = ""
"""Trie key that marks the end of a phrase; never a token (tokens are non-empty)."""


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One occurrence of a tagged phrase: where it is, the label it was tagged with, and how often.

    ``phrase`` is the tagged quote as most spans wrote it; ``text`` is the document's own slice
    (``text[start:end]``), which may differ from it in case and whitespace.
    """

    start: int
    end: int
    label: str
    phrase: str
    text: str
    support: int


@dataclass(slots=True)
class _Entry:
    """Everything known about one normalized phrase: per-label support, and its most common spelling."""

    labels: dict[str, int]
    spellings: dict[str, int]

    def phrase(self) -> str:
        return max(self.spellings.items(), key=lambda item: (item[1], item[0]))[0]


def _tokens(folded: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in token_pattern().finditer(folded)]


def phrase_key(quote: str) -> tuple[tuple[bool, str], ...]:
    """A quote as the matcher sees it: its folded tokens, each with "whitespace before it" (False first)."""
    tokens = _tokens(quote.casefold())
    return tuple((i > 0 and start > tokens[i - 1][1], token) for i, (start, _e, token) in enumerate(tokens))


def worth_suggesting(key: tuple[tuple[bool, str], ...], min_length: int = DEFAULT_MIN_LENGTH,
                     stopwords: frozenset[str] = STOPWORDS) -> bool:
    """True unless the phrase is too short, or only punctuation, symbols and function words."""
    length = sum(len(token) + (1 if ws else 0) for ws, token in key)
    if length < min_length:
        return False
    return any(has_content(token) and token not in stopwords for _ws, token in key)


class PhraseDictionary:
    """The tagged phrases to look for, as a token trie; build once per refresh, search many texts."""

    def __init__(self, pairs: Iterable[tuple[str, str] | tuple[str, str, int]], *,
                 min_length: int = DEFAULT_MIN_LENGTH, stopwords: frozenset[str] = STOPWORDS) -> None:
        """``pairs``: (quote, label) or (quote, label, support) — one per span, or already counted."""
        self.entries: dict[tuple[tuple[bool, str], ...], _Entry] = {}
        self.root: dict[object, dict] = {}
        for pair in pairs:
            quote, label = pair[0], pair[1]
            support = int(pair[2]) if len(pair) > 2 else 1
            if support <= 0:
                continue
            key = phrase_key(quote)
            if not key or not worth_suggesting(key, min_length, stopwords):
                continue
            entry = self.entries.get(key)
            if entry is None:
                entry = self.entries[key] = _Entry({}, {})
                self._insert(key)
            entry.labels[label] = entry.labels.get(label, 0) + support
            spelling = " ".join(quote.split())
            entry.spellings[spelling] = entry.spellings.get(spelling, 0) + support

    def __len__(self) -> int:
        return len(self.entries)

    def _insert(self, key: tuple[tuple[bool, str], ...]) -> None:
        node = self.root.setdefault(key[0][1], {})
        for step in key[1:]:
            node = node.setdefault(step, {})
        node[_TERMINAL] = key

    def find(self, text: str, existing: Iterable[tuple[int, int, str]] = ()) -> list[Suggestion]:
        """Every occurrence of a phrase in ``text`` not already tagged there with that label, in text order.

        ``existing``: (start, end, label) of the spans the document's layer already has.
        """
        if not self.entries or not text:
            return []
        taken = set(existing)
        folded, to_text = fold_with_offsets(text)
        tokens = _tokens(folded)
        ws_before = [i > 0 and tokens[i][0] > tokens[i - 1][1] for i in range(len(tokens))]
        found: list[Suggestion] = []
        root, count = self.root, len(tokens)
        for i in range(count):
            node = root.get(tokens[i][2])
            j = i
            while node is not None:
                key = node.get(_TERMINAL)
                if key is not None:
                    self._emit(text, to_text(tokens[i][0]), to_text(tokens[j][1]), self.entries[key], taken, found)
                j += 1
                if j == count:
                    break
                node = node.get((ws_before[j], tokens[j][2]))
        found.sort(key=lambda s: (s.start, s.end, s.label))
        return found

    @staticmethod
    def _emit(text: str, start: int | None, end: int | None, entry: _Entry, taken: set[tuple[int, int, str]],
              found: list[Suggestion]) -> None:
        if start is None or end is None or start >= end:
            return  # the folded match begins or ends inside one character's folding
        if not (_on_boundary(text, start) and _on_boundary(text, end)):
            return
        if inside_word(text, start) or inside_word(text, end):
            return  # defensive: token edges never cut a word (annotator.core.words), but a folding might
        phrase = entry.phrase()
        for label, support in entry.labels.items():
            if (start, end, label) not in taken:
                found.append(Suggestion(start, end, label, phrase, text[start:end], support))


def _on_boundary(text: str, pos: int) -> bool:
    """:func:`is_grapheme_boundary`, with the common case (ASCII on both sides) answered at once."""
    if 0 < pos < len(text) and (text[pos] >= "\x80" or text[pos - 1] >= "\x80"):
        return is_grapheme_boundary(text, pos)
    return True


def fold_with_offsets(text: str) -> tuple[str, Callable[[int], int | None]]:
    """``text.casefold()`` and a function mapping a folded offset back to ``text`` (None inside a folding).

    Most texts fold character for character, and then offsets are the same. Otherwise only the few
    characters that fold to several (``ß``, ligatures, ``İ``…) break the one-to-one runs, so the map is a
    list of runs searched by bisection, not one entry per character.
    """
    folded = text.casefold()
    if len(folded) == len(text):  # casefold never shortens a character, so every one folded to one
        return folded, _identity
    growing = "".join(sorted(ch for ch in set(text) if len(ch.casefold()) != 1))
    folded_starts: list[int] = [0]
    text_starts: list[int] = [0]
    one_to_one: list[bool] = [True]
    shift = 0
    for match in re.finditer(f"[{re.escape(growing)}]", text):
        pos = match.start()
        folded_starts.append(pos + shift)
        text_starts.append(pos)
        one_to_one.append(False)
        shift += len(match.group().casefold()) - 1
        folded_starts.append(pos + 1 + shift)
        text_starts.append(pos + 1)
        one_to_one.append(True)

    def to_text(offset: int) -> int | None:
        k = bisect_right(folded_starts, offset) - 1
        if one_to_one[k]:
            return text_starts[k] + offset - folded_starts[k]
        return text_starts[k] if offset == folded_starts[k] else None

    return folded, to_text


def _identity(offset: int) -> int:
    return offset


def suggest(text: str, pairs: Iterable[tuple[str, str] | tuple[str, str, int]],
            existing: Iterable[tuple[int, int, str]] = (), *, min_length: int = DEFAULT_MIN_LENGTH,
            stopwords: frozenset[str] = STOPWORDS) -> list[Suggestion]:
    """One-shot :meth:`PhraseDictionary.find` (build the dictionary once when searching several texts)."""
    return PhraseDictionary(pairs, min_length=min_length, stopwords=stopwords).find(text, existing)
