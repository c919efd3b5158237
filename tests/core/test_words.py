"""One rule for word characters (annotator.core.words), and the four places that use it agree on it.

Selection snapping, word steps, suggestions and the tokenizer once had four rules; these properties
check on hostile text that they now split words and non-words identically.
"""

from __future__ import annotations

import re
import sys
import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from annotator.core.boundaries import move_boundary
from annotator.core.graphemes import is_grapheme_boundary, next_grapheme
from annotator.core.selection import span_from_selection
from annotator.core.suggestions import suggest
from annotator.core.tokenize import TOKEN_PATTERN, token_pattern, tokenize
from annotator.core.words import inside_word, is_word_at, is_word_base, re_classes, word_mask

WORD_PIECES = [
    "😊", "👩\u200d👩\u200d👧", "👍🏽", "🇰🇵", "𝔘𝔫𝔦", "𐐷", "e\u0301", "n\u0303", ".\u0301", " \u0301", "\u200d", "\u200c",
    "a\u200db", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "שָׁלוֹם", "مرحبا", "தமிழ்", "क्षत्रिय", "北朝鮮",
    "٣٤", "22-hour", "don't", "don’t", "Hawaiʻi", "ʼ", "‿", "__init__", "x", "word", " ", "\n", "\t", "\u00a0",
    ",", ".", "\u00ad", "\u200b", "😊\u200dab", ":\u200dpay", "a\u200d😊", "각", "ᄀ\u1161\u11a8",
]

word_text = st.lists(
    st.one_of(st.sampled_from(WORD_PIECES),
              st.characters(exclude_categories=("Cs",), exclude_characters="\r\x00")),
    min_size=1, max_size=20,
).map("".join)


def runs(mask: list[bool]) -> list[tuple[int, int]]:
    """Maximal runs of word characters, as (start, end)."""
    found, start = [], None
    for i, is_word in enumerate([*mask, False]):
        if is_word and start is None:
            start = i
        elif not is_word and start is not None:
            found.append((start, i))
            start = None
    return found


# ------------------------------------------------------------------------------------------- the rule
@pytest.mark.parametrize(("text", "mask"), [
    ("e\u0301", "11"),  # a mark belongs to its letter
    (".\u0301", "00"),  # ... and to its symbol
    (" \u0301a", "001"),  # a stray mark after whitespace is no word
    ("a\u200db", "111"),  # a joiner inside a word keeps it one word
    ("a\u200d😊", "110"),  # an emoji joined to a letter is still a symbol
    ("don't", "11101"),  # apostrophes and hyphens end a word: the tokenizer's long-standing split
    ("22-hour", "1101111"),
    ("ʻokina", "111111"),  # the ʻokina and U+02BC are letters (Lm)
    ("a‿b_c", "11111"),  # connector punctuation (Pc) is a word character
    ("co\u00adop", "11011"),  # a soft hyphen is where a word may break
    ("٣٤", "11"),
    ("தமிழ்", "11111"),  # Tamil vowel signs and virama (Mc/Mn) were split off by the old token pattern
])
def test_word_characters(text: str, mask: str) -> None:
    assert "".join("1" if w else "0" for w in word_mask(text)) == mask
    assert [is_word_at(text, i) for i in range(len(text))] == word_mask(text)


def test_re_classes_match_unicodedata_for_every_code_point() -> None:
    """The spelled-out ``re`` classes are exactly the rule, over all of Unicode (also beyond the scan)."""
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    classes = re_classes()
    base = {m.start() for m in re.finditer(f"[{classes.word_base}]", everything)}
    extender = {m.start() for m in re.finditer(f"[{classes.extender}]", everything)}
    want_base = {i for i, ch in enumerate(everything)
                 if unicodedata.category(ch)[0] in "LN" or unicodedata.category(ch) == "Pc"}
    assert base == want_base
    from annotator.core.words import is_extender

    assert extender == {i for i, ch in enumerate(everything) if is_extender(ch)}
    assert not base & extender


def test_token_pattern_is_built_once_and_on_demand() -> None:
    assert TOKEN_PATTERN is token_pattern()


# ------------------------------------------------------------------------------ the four places agree
@given(word_text)
def test_tokenizer_words_are_the_runs_of_word_characters(text: str) -> None:
    mask = word_mask(text)
    words = [(t.start, t.end) for t in tokenize(text) if is_word_base(t.text[0])]
    assert words == runs(mask)
    for token in tokenize(text):  # every other token holds no word character at all
        if not is_word_base(token.text[0]):
            assert not any(mask[token.start:token.end])
    for pos in range(len(text) + 1):
        assert inside_word(text, pos) == (0 < pos < len(text) and mask[pos - 1] and mask[pos])


@given(word_text)
def test_snapping_a_character_of_a_word_takes_the_whole_word(text: str) -> None:
    for start, end in runs(word_mask(text)):
        got = span_from_selection(text, start, start + 1)
        assert got is not None and got[0] <= start and got[1] >= end
        assert not inside_word(text, got[0]) and not inside_word(text, got[1])
        if is_grapheme_boundary(text, start) and is_grapheme_boundary(text, end):
            assert got == (start, end)


@given(word_text)
def test_word_steps_stop_at_word_ends_and_never_inside_a_word(text: str) -> None:
    for start, end in runs(word_mask(text)):
        if not is_grapheme_boundary(text, start):
            continue
        first = next_grapheme(text, start)
        if first >= end:
            continue
        moved = move_boundary(text, start, first, "end", 1, "word")
        assert not moved.refused and not inside_word(text, moved.end)
        if is_grapheme_boundary(text, end):
            assert moved.end == end


@given(word_text, st.data())
def test_suggestions_match_whole_words_only(text: str, data: st.DataObject) -> None:
    words = runs(word_mask(text))
    assume(words)
    start, end = data.draw(st.sampled_from(words))
    phrase = text[start:end]
    found = suggest(text, [(phrase, "x")], min_length=1, stopwords=frozenset())
    for s in found:
        assert not inside_word(text, s.start) and not inside_word(text, s.end)
        assert is_grapheme_boundary(text, s.start) and is_grapheme_boundary(text, s.end)
    clean = (is_grapheme_boundary(text, start) and is_grapheme_boundary(text, end)
             and len(text.casefold()) == len(text) and any(ch.isalnum() for ch in phrase))
    if clean:
        assert (start, end) in {(s.start, s.end) for s in found}
