"""Suggestions core: tagged phrases found again in a text (case, whitespace, whole words, graphemes)."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.boundaries import is_grapheme_boundary
from annotator.core.suggestions import PhraseDictionary, fold_with_offsets, suggest
from tests.strategies import tricky_text


def spans_of(found):  # type: ignore[no-untyped-def]
    return [(s.start, s.end, s.label, s.support) for s in found]


def test_case_and_whitespace_insensitive_whole_words() -> None:
    text = "Loyalty\npayments rose. LOYALTY   PAYMENTS fell; loyalty paymentsX and xloyalty payments."
    found = suggest(text, [("loyalty payments", "remittance")])
    assert [text[s.start:s.end] for s in found] == ["Loyalty\npayments", "LOYALTY   PAYMENTS"]
    assert all(s.phrase == "loyalty payments" and s.label == "remittance" for s in found)


def test_whitespace_must_stay_whitespace() -> None:
    assert suggest("a - b and a-b", [("x-ray", "injury")]) == []
    found = suggest("22-hour days and 22 - hour days", [("22-hour days", "working_hours")])
    assert [(s.start, s.end) for s in found] == [(0, 12)]


def test_already_tagged_with_the_same_label_is_not_offered() -> None:
    text = "loyalty payments and loyalty payments"
    found = suggest(text, [("loyalty payments", "remittance"), ("loyalty payments", "sanctions")],
                    existing=[(0, 16, "remittance"), (21, 37, "injury")])
    assert spans_of(found) == [(0, 16, "sanctions", 1), (21, 37, "remittance", 1), (21, 37, "sanctions", 1)]


def test_one_suggestion_per_label_with_support_counts() -> None:
    pairs = [("Forced labour", "working_hours"), ("forced  labour", "working_hours"), ("forced labour", "injury"),
             ("forced labour", "working_hours", 3)]
    found = suggest("No forced labour here.", pairs)
    assert spans_of(found) == [(3, 16, "injury", 1), (3, 16, "working_hours", 5)]
    assert found[0].phrase == "forced labour"  # the spelling most spans used (4 of 6)


def test_overlapping_and_nested_phrases_are_all_found() -> None:
    found = suggest("loyalty payments sent", [("loyalty", "a"), ("loyalty payments", "b"), ("payments sent", "c")])
    assert spans_of(found) == [(0, 7, "a", 1), (0, 16, "b", 1), (8, 21, "c", 1)]


def test_short_stopword_and_punctuation_quotes_are_ignored() -> None:
    text = "of the ... !!! at it is the wage"
    assert suggest(text, [("of the", "a"), ("...", "b"), ("!!!", "c"), ("it", "d"), ("at it is", "e")]) == []
    assert spans_of(suggest(text, [("wage", "f")])) == [(28, 32, "f", 1)]
    assert suggest(text, [("wage", "f")], min_length=5) == []
    assert spans_of(suggest("ab ab", [("ab", "g")], min_length=2)) == [(0, 2, "g", 1), (3, 5, "g", 1)]


def test_full_case_folding_with_offsets_in_the_original_text() -> None:
    text = "Die STRASSE, die Straße, ﬁne fine."
    found = suggest(text, [("strasse", "a"), ("fine", "b")])
    assert [(text[s.start:s.end], s.label) for s in found] == [
        ("STRASSE", "a"), ("Straße", "a"), ("ﬁne", "b"), ("fine", "b")]


def test_a_match_never_ends_inside_one_characters_folding() -> None:
    assert suggest("maß", [("mas", "a")]) == []  # 'mas' is the start of 'mass', not a word of the text
    folded, to_text = fold_with_offsets("aßb")
    assert folded == "assb"
    assert [to_text(i) for i in range(5)] == [0, 1, None, 2, 3]


def test_graphemes_are_never_split() -> None:
    assert suggest("cafe\u0301 owner", [("cafe", "a")]) == []
    assert [s.start for s in suggest("abc\u200d👧 abc", [("abc", "a")])] == [6]  # not before a joiner
    # A joiner glues "p" to the colon before it as one token; a match ending there would cut "pay".
    assert suggest("x:\u200dpay", [(":\u200dp", "a")], min_length=1) == []
    family = "👩\u200d👩\u200d👧"
    found = suggest(f"x{family} abc", [("abc", "a")])
    assert [(s.start, s.end) for s in found] == [(len(family) + 2, len(family) + 5)]


def test_the_dictionary_is_reusable_across_texts() -> None:
    phrases = PhraseDictionary([("payment", "remittance")])
    assert len(phrases) == 1
    assert spans_of(phrases.find("one payment")) == [(4, 11, "remittance", 1)]
    assert phrases.find("no payments") == []
    assert phrases.find("") == []
    assert PhraseDictionary([]).find("payment") == []


# ---------------------------------------------------------------------------------------------- properties
def is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or unicodedata.category(ch) in ("Mn", "Mc", "Me")


def normal(s: str) -> str:
    return " ".join(s.casefold().split())


PIECES = ["pay", "Pay", "PAY", "loyalty", "LOYALTY", "Straße", "STRASSE", "strasse", "ß", "ﬁ", "İ", "i\u0307",
          "e\u0301", "😊", "👩\u200d👧", "\u200d", "-", ".", ",", " ", "  ", "\n", "\t", "\u00a0", "_", "9"]
piece_text = st.lists(st.one_of(st.sampled_from(PIECES), tricky_text), min_size=1, max_size=25).map(
    lambda parts: "".join(parts).replace("\r\n", "\n").replace("\r", "\n"))


@st.composite
def text_phrases_existing(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    text = draw(piece_text)
    labels = st.sampled_from(["a", "b", "c"])
    phrases = []
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.booleans()) and len(text) > 1:
            start = draw(st.integers(0, len(text) - 1))
            end = draw(st.integers(start + 1, len(text)))
            quote = text[start:end]
            quote = draw(st.sampled_from([quote, quote.upper(), quote.casefold(), " ".join(quote.split())]))
        else:
            quote = draw(piece_text)
        phrases.append((quote, draw(labels), draw(st.integers(1, 3))))
    existing = [(s, e, draw(labels)) for s, e in draw(st.lists(st.tuples(st.integers(0, len(text)),
                                                                          st.integers(0, len(text))), max_size=4))]
    return text, phrases, existing


@settings(max_examples=300, deadline=None)
@given(text_phrases_existing(), st.integers(1, 4))
def test_every_suggestion_is_the_phrase_on_word_and_grapheme_boundaries(case, min_length: int) -> None:  # type: ignore[no-untyped-def]
    text, phrases, existing = case
    found = suggest(text, phrases, existing, min_length=min_length)
    # Also offer what was just suggested as already tagged: none of it may come back.
    again = suggest(text, phrases, existing + [(s.start, s.end, s.label) for s in found], min_length=min_length)
    assert again == []
    supports: dict[tuple[str, str], int] = {}
    for quote, label, support in phrases:
        supports[(normal(quote), label)] = supports.get((normal(quote), label), 0) + support
    for s in found:
        assert 0 <= s.start < s.end <= len(text)
        assert s.text == text[s.start:s.end]
        assert normal(s.text) == normal(s.phrase)
        assert (s.start, s.end, s.label) not in existing
        assert supports[(normal(s.phrase), s.label)] == s.support
        assert s.start == 0 or not (is_word_char(text[s.start - 1]) and is_word_char(text[s.start]))
        assert s.end == len(text) or not (is_word_char(text[s.end - 1]) and is_word_char(text[s.end]))
        assert is_grapheme_boundary(text, s.start) and is_grapheme_boundary(text, s.end)
    assert len({(s.start, s.end, s.label) for s in found}) == len(found)


WORDS = ["Pay", "pay", "PAY", "loyalty", "Loyalty", "straße", "STRASSE", "wage", "Wages", "née", "Ünion", "ünion"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30),
       st.lists(st.sampled_from([" ", "  ", "\n", "\t ", "\u00a0"]), min_size=30, max_size=30),
       st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3), min_size=1, max_size=4))
def test_every_occurrence_of_a_word_sequence_is_found(words: list[str], gaps: list[str],
                                                      phrase_words: list[list[str]]) -> None:
    """Oracle: with words and whitespace only, the matches are exactly the runs of casefold-equal words."""
    text, bounds = "", []
    for i, word in enumerate(words):
        if i:
            text += gaps[i]
        bounds.append((len(text), len(text) + len(word)))
        text += word
    phrases = [(" ".join(p), "x") for p in phrase_words]
    expected = set()
    for p in {tuple(w.casefold() for w in p) for p in phrase_words}:
        if len(" ".join(p)) < 3:
            continue
        for i in range(len(words) - len(p) + 1):
            if tuple(w.casefold() for w in words[i:i + len(p)]) == p:
                expected.add((bounds[i][0], bounds[i + len(p) - 1][1]))
    assert {(s.start, s.end) for s in suggest(text, phrases)} == expected
