"""Turning a selection into span offsets (annotator.core.selection): examples and properties, no Qt.

Properties: a snapped span never starts or ends inside a word or a grapheme cluster, never has leading or
trailing whitespace, is a slice of the text, and keeps everything selected but whitespace.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from annotator.core.graphemes import is_grapheme_boundary
from annotator.core.selection import snap_to_words, span_from_selection
from annotator.core.words import inside_word
from tests.core.test_words import word_text
from tests.strategies import text_and_span


def test_selection_rules():
    text = "Workers said: twenty-hour shifts, e\u0301te\u0301 😊 ok"
    assert span_from_selection(text, 2, 5) == (0, 7)  # "rke" -> "Workers"
    assert span_from_selection(text, 2, 5, snap=False) == (2, 5)
    assert span_from_selection(text, 7, 9) == (8, 12)  # leading space trimmed, "sa" -> "said"
    assert span_from_selection(text, 12, 14) is None or span_from_selection(text, 12, 14) == (12, 13)
    start = text.index("e\u0301te")
    assert span_from_selection(text, start, start + 1, snap=False) == (start, start + 2)  # keep the accent
    assert snap_to_words(text, text.index("hour") + 1, text.index("hour") + 2) == (text.index("hour"), text.index("hour") + 4)
    assert span_from_selection(text, 0, len(text) + 5) == (0, len(text))
    assert span_from_selection("   ", 0, 3) is None


def test_selection_never_cuts_a_flag_an_emoji_sequence_or_a_joined_word() -> None:
    flags = "go 🇰🇵🇰🇷 now"
    k = flags.index("🇰")
    assert span_from_selection(flags, k + 1, k + 2, snap=False) == (k, k + 2)  # half a flag is the whole flag
    family = "a 👩\u200d👩\u200d👧 b"
    assert span_from_selection(family, 4, 5) == (2, 7)
    joined = "x ab\u200d😊 y"
    assert span_from_selection(joined, 5, 6) == (2, 6)  # the emoji is glued to "b": the word comes along
    assert span_from_selection("a \u0301b", 1, 4) == (3, 4)  # a space with a stray mark is still whitespace


def _cluster_start(text: str, i: int) -> int:
    while not is_grapheme_boundary(text, i):
        i -= 1
    return i


@given(text_and_span(word_text), st.booleans())
def test_snapped_spans_are_whole_words_and_whole_characters(case, snap) -> None:
    text, start, end = case
    got = span_from_selection(text, start, end, snap=snap)
    content = [i for i in range(start, end) if not text[_cluster_start(text, i)].isspace()]
    if got is None:
        assert not content
        return
    s, e = got
    assert 0 <= s < e <= len(text) and text[s:e] == text[slice(*got)]
    assert s <= content[0] and e > content[-1]  # nothing selected is lost but whitespace (and marks on it)
    assert not text[s].isspace() and not text[e - 1].isspace()
    assert is_grapheme_boundary(text, s) and is_grapheme_boundary(text, e)
    if snap:
        assert not inside_word(text, s) and not inside_word(text, e)


@given(text_and_span(word_text))
def test_snapped_spans_land_on_unicode_grapheme_cluster_boundaries(case) -> None:
    """Unicode's own clusters (the regex module's \\X) are never cut (prepended marks aside, as in graphemes)."""
    regex = pytest.importorskip("regex")
    text, start, end = case
    assume(not regex.search(r"\p{Grapheme_Cluster_Break=Prepend}", text))
    cuts, pos = {0}, 0
    for cluster in regex.findall(r"\X", text):
        pos += len(cluster)
        cuts.add(pos)
    got = span_from_selection(text, start, end)
    if got is not None:
        assert got[0] in cuts and got[1] in cuts


def test_a_space_after_a_joiner_is_trimmed_like_any_space() -> None:
    """Found by hypothesis: a zero-width joiner took the following space into its character, so a
    selection ending in that space kept it."""
    assert span_from_selection("\u200d ", 0, 2) == (0, 1)
    assert span_from_selection("a\u200d b", 0, 3) == (0, 2)
