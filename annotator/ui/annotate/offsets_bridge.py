"""The widget edge: Qt positions (UTF-16 code units) to stored offsets (code points) and back.

Built once per document from the stored text (docs/architecture.md §2). Everything inside the app above the
widget speaks code points; only the article view calls into this bridge.
"""

from __future__ import annotations

from annotator.core.offsets import Utf16Map


class OffsetsBridge:
    """Converts between Qt positions and code-point offsets of one document's canonical text."""

    __slots__ = ("_map", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._map = Utf16Map(text)

    def to_qt(self, cp: int) -> int:
        return self._map.to_utf16(cp)

    def to_cp(self, qt_pos: int) -> int:
        """Code-point offset of a Qt position; a position inside a surrogate pair rounds to its start."""
        return self._map.to_code_point(max(0, min(qt_pos, self._map.length_u16)))

    def selection_to_cp(self, qt_start: int, qt_end: int) -> tuple[int, int]:
        """A Qt selection as code points; an end inside a pair moves past the pair, so none is split."""
        a, b = min(qt_start, qt_end), max(qt_start, qt_end)
        start = self.to_cp(a)
        end = self.to_cp(b)
        if self._map.is_inside_pair(b):
            end += 1
        return start, end
