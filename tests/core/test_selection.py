"""Turning a selection into span offsets (annotator.core.selection): examples and properties, no Qt."""

from __future__ import annotations

from annotator.core.selection import snap_to_words, span_from_selection


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
