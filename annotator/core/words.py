"""What a word character is: the one rule behind word snapping, word steps, suggestions and tokens (no Qt).

Snapping a selection to whole words (:mod:`annotator.core.selection`), moving a span's edge by a word
(:mod:`annotator.core.boundaries`), matching a tagged phrase only as whole words
(:mod:`annotator.core.suggestions`) and the tokens of the token-based exports
(:mod:`annotator.core.tokenize`) must agree on where a word ends. Each used to carry its own rule
(``isalnum``, ``\\w`` plus a hand-written list of marks, a category check), so they disagreed on Tamil
vowel signs, a joiner inside a word or connector punctuation. This module is the rule; the others use it.

The rule, per code point of the canonical text:

* a **word base** is a letter, a digit or connector punctuation: Unicode category ``L*``, ``N*`` or
  ``Pc`` (``_``, ``‿``, the fullwidth low line). For ``re`` this is ``\\w`` plus the ``Pc`` characters
  other than ``_``; a test checks that against :mod:`unicodedata` for every code point;
* an **extender** is a character that never starts a user-perceived character (:func:`graphemes.is_extend`:
  combining marks ``M*``, variation selectors, zero-width joiner and non-joiner, tag characters,
  skin-tone modifiers) and is not itself a word base;
* a code point is a **word character** when it is a word base, or an extender that follows a word
  character: a mark or joiner belongs to what it modifies. ``é`` written ``e`` + U+0301, a Tamil
  vowel sign, a Persian word with a ZWNJ inside or ``a`` + ZWJ + ``b`` stay one word, while an accent
  on a symbol (``.`` + U+0301), a ZWJ inside an emoji sequence or a stray mark after whitespace do
  not make a word.

Deliberate choices:

* **apostrophes and hyphens are not word characters** (``'`` U+0027, ``’`` U+2019, ``-``, U+2010):
  ``don't`` is ``don`` ``'`` ``t`` and ``22-hour`` three tokens, as the tokenizer has always split them
  (changing it would change every token-based export already made), and an analyst can tag ``hour``
  inside ``twenty-hour`` by selecting it. Letters that look like apostrophes are letters: the modifier
  letter apostrophe U+02BC and the Hawaiian ʻokina U+02BB (``Lm``) stay inside their word;
* **marks take the class of their base** rather than counting as word characters on their own (the plain
  "``M*`` is a word character" rule would glue ``.`` + U+0301 to the next word);
* the soft hyphen U+00AD and the zero-width space U+200B (``Cf``) are not word characters: they are
  where a word may be broken, so they end one.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

from annotator.core.graphemes import is_extend


def is_word_base(ch: str) -> bool:
    """A letter, digit or connector punctuation (``L*``, ``N*``, ``Pc``): a character that is a word."""
    return ch.isalnum() or ch == "_" or unicodedata.category(ch) == "Pc"  # isalnum is exactly L* and N*


def is_extender(ch: str) -> bool:
    """A character that modifies the one before it (mark, joiner, selector, tag, skin tone), no word base."""
    return is_extend(ch) and not is_word_base(ch)


def is_word_at(text: str, pos: int) -> bool:
    """True when the code point at ``pos`` is a word character (an extender looks back to its base)."""
    while 0 <= pos < len(text):
        ch = text[pos]
        if is_word_base(ch):
            return True
        if not is_extender(ch):
            return False
        pos -= 1
    return False


def inside_word(text: str, pos: int) -> bool:
    """True when ``pos`` (a code-point offset) falls between two word characters: a word would be cut."""
    if not 0 < pos < len(text):
        return False
    ch = text[pos]
    if not (is_word_base(ch) or is_extender(ch)):
        return False
    return is_word_at(text, pos - 1)  # an extender is a word character exactly when what precedes it is


def word_mask(text: str) -> list[bool]:
    """:func:`is_word_at` for every code point of ``text``, in one pass."""
    mask: list[bool] = []
    previous = False
    for ch in text:
        previous = is_word_base(ch) or (previous and is_extender(ch))
        mask.append(previous)
    return mask


def has_content(token: str) -> bool:
    """True when ``token`` holds a letter or digit: a run of ``_`` is a word, but says nothing on its own."""
    return any(ch.isalnum() for ch in token)


# ---------------------------------------------------------------------------------------- for ``re``
@dataclass(frozen=True)
class ReClasses:
    """Bodies of ``re`` character classes for the rule (``re`` has no ``\\p{M}``, so they are spelled out)."""

    word_base: str
    """Exactly the word bases: ``\\w`` (``L*``, ``N*`` and ``_``) plus the other ``Pc`` characters."""
    extender: str
    """Exactly the extenders."""
    extender_but_zwj: str
    """The extenders but the zero-width joiner, which the tokenizer treats on its own (it may glue a symbol)."""


def _ranges(codes: list[int]) -> str:
    """A character-class body for sorted code points, as ranges of ``\\U`` escapes."""
    parts: list[str] = []
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        lo, hi = codes[i], codes[j]
        parts.append(f"\\U{lo:08x}" if lo == hi else f"\\U{lo:08x}-\\U{hi:08x}")
        i = j + 1
    return "".join(parts)


@functools.cache
def re_classes() -> ReClasses:
    """The character classes, built from :mod:`unicodedata` on first use (about 50 ms, so not at import).

    Marks and the other extenders live below U+20000 and in the tags / selectors block at U+E0000; the
    CJK planes in between hold only ideographs (a test scans every code point to make sure).
    """
    connectors: list[int] = []
    extenders: list[int] = []
    for block in (range(0x80, 0x20000), range(0xE0000, 0xE1000)):
        for code in block:
            ch = chr(code)
            if is_extender(ch):
                extenders.append(code)
            elif not ch.isalnum() and unicodedata.category(ch) == "Pc":
                connectors.append(code)
    return ReClasses(word_base=r"\w" + _ranges(connectors), extender=_ranges(extenders),
                     extender_but_zwj=_ranges([code for code in extenders if code != 0x200D]))
