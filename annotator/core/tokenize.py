"""A small, documented tokenizer for the token-based formats (Prodigy, CoNLL).

Rules, in code points of the canonical text:

* a **word** is a run of letters, digits, underscores and combining marks (so ``é`` written as ``e`` plus
  U+0301 stays one token, as do Hangul, Arabic or Devanagari words with their vowel signs);
* any other non-space character is a token of its own (punctuation, symbols, emoji), together with the
  marks that modify it: combining marks, variation selectors, skin-tone modifiers, and characters
  joined by a zero-width joiner (so a family emoji is one token);
* whitespace separates tokens and is never part of one.

It is deliberately simple and language-agnostic: the point is that every token is an exact slice
``text[start:end]`` and that spans made on word boundaries land on token boundaries. It does not split
contractions or hyphenated words, and it does not segment Chinese or Japanese text into words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARK = r"\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u064b-\u065f" \
    r"\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u0900-\u0903\u093a-\u094f\u0951-\u0957" \
    r"\u0962\u0963\u0981-\u0983\u09bc-\u09d7\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u1ab0-\u1aff\u1dc0-\u1dff" \
    r"\u200c\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f"
# Public so that callers needing only offsets (suggestions over a 1 MB article) can skip building Token objects.
TOKEN_PATTERN = re.compile(
    rf"(?:[\w{_MARK}])+"  # a word: letters, digits, '_' and combining marks
    rf"|[^\s{_MARK}][{_MARK}]*(?:\u200d[^\s][{_MARK}]*)*"  # one symbol with its modifiers / ZWJ sequence
    rf"|[{_MARK}]+"  # stray marks after whitespace
)


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its text and code-point offsets; ``ws`` is True when whitespace follows it."""

    text: str
    start: int
    end: int
    ws: bool


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens with exact code-point offsets (see the module docstring)."""
    matches = list(TOKEN_PATTERN.finditer(text))
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
