"""A small, documented tokenizer for the token-based formats (Prodigy, CoNLL).

Rules, in code points of the canonical text, with words as :mod:`annotator.core.words` defines them:

* a **word** is a maximal run of word characters: letters, digits and connector punctuation, with the
  marks and joiners that modify them (so ``é`` written as ``e`` plus U+0301 stays one token, as do
  Hangul, Arabic, Devanagari or Tamil words with their vowel signs, and a Persian word with a ZWNJ);
* any other non-space character is a token of its own (punctuation, symbols, emoji), together with the
  characters that modify it: combining marks, variation selectors, skin-tone modifiers, and symbols
  joined by a zero-width joiner (so a family emoji is one token; a letter after a joiner starts a word);
* stray modifiers after whitespace are a token of their own, and not a word;
* whitespace separates tokens and is never part of one.

It is deliberately simple and language-agnostic: the point is that every token is an exact slice
``text[start:end]`` and that spans made on word boundaries land on token boundaries. It does not split
contractions or hyphenated words, and it does not segment Chinese or Japanese text into words.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from annotator.core.words import re_classes


@functools.cache
def token_pattern() -> re.Pattern[str]:
    """The compiled tokenizer, for callers needing only offsets (suggestions over a 1 MB article).

    Built on first use: its character classes come from :func:`annotator.core.words.re_classes`.
    """
    c = re_classes()
    word, ext, ext_no_zwj = c.word_base, c.extender, c.extender_but_zwj
    symbol = rf"[^\s{word}{ext}]"
    return re.compile(
        rf"[{word}][{word}{ext}]*"  # a word: word bases and what modifies them
        rf"|{symbol}(?:[{ext_no_zwj}]|\u200d{symbol}?)*"  # one symbol with its modifiers / ZWJ sequence
        rf"|[{ext}]+"  # stray modifiers after whitespace
    )


def __getattr__(name: str) -> re.Pattern[str]:
    """``TOKEN_PATTERN``: :func:`token_pattern`, compiled when first asked for (PEP 562)."""
    if name == "TOKEN_PATTERN":
        return token_pattern()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its text and code-point offsets; ``ws`` is True when whitespace follows it."""

    text: str
    start: int
    end: int
    ws: bool


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens with exact code-point offsets (see the module docstring)."""
    matches = list(token_pattern().finditer(text))
    tokens: list[Token] = []
    for i, m in enumerate(matches):
        end = m.end()
        following = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        tokens.append(Token(m.group(), m.start(), end, following > end))
    return tokens


def sentence_breaks(text: str, tokens: list[Token]) -> list[int]:
    """Indices of tokens that start a new sentence: the first token after whitespace holding a line break.

    Line-based rather than linguistic: articles put paragraphs on lines, and a line-based split never
    disagrees with the text (no sentence ends mid-abbreviation).
    """
    breaks: list[int] = []
    for i in range(1, len(tokens)):
        if "\n" in text[tokens[i - 1].end : tokens[i].start]:
            breaks.append(i)
    return breaks
