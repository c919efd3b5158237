"""Decoding files: BOMs, strict UTF-8, damaged UTF-8, legacy code pages, binaries."""

from __future__ import annotations

import pytest

from annotator.core.decoding import decode_bytes
from annotator.core.errors import AnnotatorError

LEGACY = [
    ("Café crème à la française, déjà vu", "cp1252", "cp1252"),
    ("Die Arbeiter müssen täglich vierzehn Stunden schuften; die Pässe werden einbehalten.", "cp1252", "cp1252"),
    ("Рабочих отправили на стройку, где смены длились по четырнадцать часов.", "cp1251", "cp1251"),
    ("Zażółć gęślą jaźń, pracownicy z Korei", "cp1250", "cp1250"),
    ("북한 노동자들은 러시아 건설 현장에서 하루 열네 시간 일한다", "euc-kr", "cp949"),
]


@pytest.mark.parametrize(("text", "written_as", "reported"), LEGACY)
def test_legacy_code_pages_are_detected(text: str, written_as: str, reported: str) -> None:
    decoded = decode_bytes(text.encode(written_as))
    assert decoded.text == text
    assert decoded.detected and decoded.encoding == reported


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_byte_order_marks_are_authoritative(codec: str) -> None:
    text = "Workers 😊 — Пак 박"
    data = text.encode(codec) if codec != "utf-16-be" else b"\xfe\xff" + text.encode("utf-16-be")
    decoded = decode_bytes(data)
    assert decoded.text == text and not decoded.detected


def test_damaged_utf8_is_refused_not_misread() -> None:
    with pytest.raises(AnnotatorError, match=r"invalid UTF-8 at byte 34"):
        decode_bytes("Zażółć gęślą jaźń — ok ".encode() + b"\xc3(" + " więcej".encode(), path="f.txt")


def test_binary_and_empty_are_refused() -> None:
    with pytest.raises(AnnotatorError, match="binary file"):
        decode_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(64))
    with pytest.raises(AnnotatorError, match="the file is empty"):
        decode_bytes(b"", path="e.txt")
    with pytest.raises(AnnotatorError, match="control characters"):
        decode_bytes(bytes(range(1, 9)) * 50)
