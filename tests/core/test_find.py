"""Find in the article: case-, accent- and whitespace-folded matching that maps back to code points."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.find import FoldedText, find_all, fold

TEXT = "Officials in Pyŏngyang denied it.\nNorth\n  Korean crews in Kraków; the Straße was closed. PYONGYANG"


def quotes(text: str, query: str) -> list[str]:
    return [text[s:e] for s, e in find_all(text, query)]


def test_case_accents_and_whitespace_are_folded() -> None:
    assert quotes(TEXT, "pyongyang") == ["Pyŏngyang", "PYONGYANG"]
    assert quotes(TEXT, "Pyŏngyang") == ["Pyŏngyang", "PYONGYANG"]
    assert quotes(TEXT, "north korean") == ["North\n  Korean"]
    assert quotes(TEXT, "  NORTH   korean ") == ["North\n  Korean"]
    assert quotes(TEXT, "krakow") == ["Kraków"]
    assert quotes(TEXT, "strasse") == ["Straße"]
    assert quotes(TEXT, "nothing like it") == []
    assert quotes(TEXT, "   ") == [] and quotes(TEXT, "") == []


def test_offsets_are_code_points_and_keep_combining_accents() -> None:
    text = "🙂 cafe\u0301 and Cafe"
    assert find_all(text, "café") == [(2, 7), (12, 16)]
    assert text[2:7] == "cafe\u0301"  # the accent stays with its letter
    assert quotes("Maße", "s") == []  # never inside one character's folding ("ß" is "ss")
    assert quotes("ss ß", "ss") == ["ss", "ß"]


def test_matches_do_not_overlap_and_come_in_text_order() -> None:
    assert find_all("aaaa", "aa") == [(0, 2), (2, 4)]
    starts = [s for s, _e in find_all(TEXT, "n")]
    assert starts == sorted(starts)


def test_folding_once_serves_many_queries() -> None:
    folded = FoldedText.of(TEXT)
    assert folded.find_all("korean") == find_all(TEXT, "korean")
    assert folded.find_all("in") == find_all(TEXT, "in")


TEXTS = st.text(alphabet=st.sampled_from("aAbB éÉe\u0301ßSs\n\t\u00a0İıKk🙂.-"), max_size=40)


@given(TEXTS, TEXTS)
def test_every_match_is_a_slice_whose_folding_is_the_query(text: str, query: str) -> None:
    needle = fold(query).strip(" ")
    previous_end = 0
    for start, end in find_all(text, query):
        assert 0 <= previous_end <= start < end <= len(text)
        assert fold(text[start:end]) == needle
        previous_end = end


@given(TEXTS, st.data())
def test_a_slice_of_the_text_is_found(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    query = text[start:end]
    assert bool(find_all(text, query)) == bool(fold(query).strip(" "))
