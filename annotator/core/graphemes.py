"""Where one user-perceived character (grapheme cluster) ends and the next begins, in code points.

Moving a span's edge by a character, matching a tagged phrase elsewhere, and reading doccano's grapheme-mode
offsets all need the same answer: never between a base letter and its combining marks, inside an emoji
ZWJ sequence or skin-tone pair, between the two halves of a flag, or inside a Hangul syllable spelled with
jamo. Offsets are code points, so a surrogate pair can never be split.

The rules are a compact, conservative version of Unicode's extended grapheme clusters (UAX #29): where they
differ they treat *more* as one character (any character after a zero-width joiner, a letter after a
virama, as browsers' Intl.Segmenter does for Indic conjuncts), never less, so a step can never cut a real
cluster. Prepended marks (rare Arabic and Brahmic number signs) are the one case not modelled. They are
written out rather than taken from the ``regex`` module's ``\\X`` because callers ask about one position
in a 1 MB article at a time; tests compare the two on generated text.
"""

from __future__ import annotations

import unicodedata

_ZWJ = "\u200d"


def is_extend(ch: str) -> bool:
    """Characters that never begin a cluster: marks, joiners, variation selectors, tags, skin tones."""
    code = ord(ch)
    return (unicodedata.category(ch) in ("Mn", "Mc", "Me") or ch in ("\u200c", _ZWJ)
            or 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F
            or code in (0x0E33, 0x0EB3, 0xFF9E, 0xFF9F))  # Thai/Lao SARA AM are spacing marks


def _is_regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def _hangul(ch: str) -> str:
    """Hangul syllable type: L, V, T (jamo), LV, LVT (precomposed syllables), or '' for anything else."""
    code = ord(ch)
    if 0x1100 <= code <= 0x115F or 0xA960 <= code <= 0xA97C:
        return "L"
    if 0x1160 <= code <= 0x11A7 or 0xD7B0 <= code <= 0xD7C6:
        return "V"
    if 0x11A8 <= code <= 0x11FF or 0xD7CB <= code <= 0xD7FB:
        return "T"
    if 0xAC00 <= code <= 0xD7A3:
        return "LV" if (code - 0xAC00) % 28 == 0 else "LVT"
    return ""


_HANGUL_JOINS = {("L", "L"), ("L", "V"), ("L", "LV"), ("L", "LVT"), ("LV", "V"), ("LV", "T"), ("V", "V"),
                 ("V", "T"), ("LVT", "T"), ("T", "T")}


def _after_virama(text: str, pos: int) -> bool:
    """True when a virama (combining class 9) ends the run of marks just before ``pos``."""
    i = pos - 1
    while i >= 0 and is_extend(text[i]):
        if unicodedata.combining(text[i]) == 9:
            return True
        i -= 1
    return False


def is_grapheme_boundary(text: str, pos: int) -> bool:
    """True when ``pos`` (a code-point offset) lies between two user-perceived characters of ``text``."""
    if pos <= 0 or pos >= len(text):
        return True
    before, after = text[pos - 1], text[pos]
    if before == "\r" and after == "\n":
        return False  # one line break
    if unicodedata.category(before) == "Cc" or unicodedata.category(after) == "Cc":
        return True  # nothing joins a control character (line breaks, tabs), not even a mark
    if is_extend(after) or (before == _ZWJ and not after.isspace()):
        return False  # a joiner joins the next character, never a space (trimming must be able to drop it)
    if unicodedata.category(after) == "Lo" and _after_virama(text, pos):
        return False  # a virama joins the next consonant into a conjunct (Devanagari क्ष, Bengali ক্ষ)
    if (_hangul(before), _hangul(after)) in _HANGUL_JOINS:
        return False
    if _is_regional(before) and _is_regional(after):
        run = 0  # flags pair regional indicators from the left: break only after an even count
        i = pos - 1
        while i >= 0 and _is_regional(text[i]):
            run += 1
            i -= 1
        return run % 2 == 0
    return True


def next_grapheme(text: str, pos: int) -> int:
    """The first character boundary after ``pos`` (``len(text)`` at the end)."""
    pos = max(0, pos) + 1
    while pos < len(text) and not is_grapheme_boundary(text, pos):
        pos += 1
    return min(pos, len(text))


def previous_grapheme(text: str, pos: int) -> int:
    """The last character boundary before ``pos`` (0 at the start)."""
    pos = min(len(text), pos) - 1
    while pos > 0 and not is_grapheme_boundary(text, pos):
        pos -= 1
    return max(pos, 0)


def grapheme_starts(text: str) -> list[int]:
    """Code-point offset of every grapheme cluster's start, then ``len(text)``.

    One pass: the length of the run of regional indicators is carried along instead of counted back from
    each position, so a file of ten thousand flags costs no more than ten thousand letters.
    """
    if text.isascii() and "\r\n" not in text:
        return list(range(len(text) + 1))  # every ASCII character but CR LF stands alone
    starts: list[int] = []
    regional_run = 0  # regional indicators immediately before the current position
    for pos, char in enumerate(text):
        regional = _is_regional(char)
        if pos == 0:
            boundary = True
        elif regional and regional_run:
            boundary = regional_run % 2 == 0
        else:
            boundary = is_grapheme_boundary(text, pos)
        if boundary:
            starts.append(pos)
        regional_run = regional_run + 1 if regional else 0
    starts.append(len(text))
    return starts
