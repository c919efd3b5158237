"""doccano files that the real application produced (doccano 1.8.4, 2026-11-24, see bench/interop_doccano.py):
words selected with the mouse in its editor, in a project with "grapheme mode" off (its default:
UTF-16 units of the text as stored, each '\\r' counted) and one with it on (grapheme clusters).
The article text is ours."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.graphemes import grapheme_starts
from annotator.core.offsets import Utf16Map
from tests.formats.helpers import DATA, PIECES, read_all, texts

EDITOR_UTF16 = DATA / "doccano_1_8_editor_utf16.jsonl"
EDITOR_GRAPHEMES = DATA / "doccano_1_8_editor_graphemes.jsonl"
WORDS = {"ls-emoji-crlf": ["welder", "Managers", "went"], "ls-cyrillic-korean": ["owner", "watched"]}


def words_read(path: Path) -> tuple[dict[str, list[str]], list[str]]:
    docs, errors, ctx = read_all("doccano", path)
    assert errors == []
    out = {}
    for d in docs:
        spans = sorted((s for lay in d.layers for s in lay.spans), key=lambda s: (s.start, s.end))
        for s in spans:
            assert d.document.text[s.start:s.end] == s.text
        out[d.document.meta.get("doc_id", d.document.doc_id)] = [s.text for s in spans]
    return out, ctx.notices


def test_default_mode_offsets_are_utf16_of_the_stored_text() -> None:
    """The facts in the file: after emoji the editor's offsets are UTF-16 indices, the '\\r' counted."""
    record = json.loads(EDITOR_UTF16.read_text(encoding="utf-8").splitlines()[0])
    raw, u16 = record["text"], Utf16Map(record["text"])
    assert "\r\n" in raw
    starts = sorted(start for start, _end, _label in record["label"])
    assert starts == [u16.to_utf16(raw.index(w)) for w in WORDS["ls-emoji-crlf"]]


def test_default_mode_file_reads_back_every_word() -> None:
    got, notices = words_read(EDITOR_UTF16)
    assert {k: sorted(v) for k, v in got.items()} == {k: sorted(v) for k, v in WORDS.items()}
    assert any("offsets read as UTF-16 code units of the text with \\r\\n" in n for n in notices)
    # The record without "\r\n" is read in the same unit without the '\r' (not as code points).
    assert any(", line 2: 1 span(s) converted from UTF-16 code units to code points" in n for n in notices)


def test_grapheme_mode_offsets_are_clusters() -> None:
    record = json.loads(EDITOR_GRAPHEMES.read_text(encoding="utf-8").splitlines()[1])
    text = record["text"]
    clusters = grapheme_starts(text)
    # "cafe" + combining acute is four clusters: "owner" starts one cluster before its code point.
    assert [clusters[start] for start, _end, _label in record["label"]] == [text.index("owner"), text.index("watched")]


def test_grapheme_mode_file_reads_back_every_word() -> None:
    got, notices = words_read(EDITOR_GRAPHEMES)
    assert {k: sorted(v) for k, v in got.items()} == {k: sorted(v) for k, v in WORDS.items()}
    assert any("grapheme clusters" in n and "converted from" in n for n in notices)


def test_code_point_file_with_combining_marks_is_not_taken_for_graphemes(tmp_path: Path) -> None:
    text = "The cafe\u0301 owner and the nai\u0308ve clerk paid the broker."
    spans = [[text.index(w), text.index(w) + len(w), "remittance"] for w in ("owner", "clerk", "broker")]
    path = tmp_path / "cp.jsonl"
    path.write_text(json.dumps({"text": text, "label": spans}) + "\n", encoding="utf-8")
    got, notices = words_read(path)
    assert list(got.values()) == [["owner", "clerk", "broker"]] and notices == []


def test_grapheme_file_made_from_our_words_is_converted(tmp_path: Path) -> None:
    text = "Crew 👨\u200d👩\u200d👧 and 🇺🇦 flags: the cafe\u0301 owner paid 하루 wages; managers watched."
    clusters = grapheme_starts(text)
    to_cluster = {cp: i for i, cp in enumerate(clusters)}
    words = ("owner", "paid", "wages", "managers", "watched")
    spans = [[to_cluster[text.index(w)], to_cluster[text.index(w) + len(w)], "remittance"] for w in words]
    path = tmp_path / "g.jsonl"
    path.write_text(json.dumps({"text": text, "label": spans}, ensure_ascii=False) + "\n", encoding="utf-8")
    got, notices = words_read(path)
    assert list(got.values()) == [list(words)]
    assert any("grapheme clusters" in n for n in notices)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*PIECES, "\r\n", "🇺🇦", "🇺", "각", "\u1100\u1161\u11a8", "a\u0903"]), max_size=12) | texts())
def test_clusters_agree_with_the_unicode_segmentation(pieces: list[str] | str) -> None:
    regex = pytest.importorskip("regex")
    text = pieces if isinstance(pieces, str) else "".join(pieces)
    expected, at = [], 0
    for cluster in regex.findall(r"\X", text):
        expected.append(at)
        at += len(cluster)
    assert grapheme_starts(text) == [*expected, len(text)]
