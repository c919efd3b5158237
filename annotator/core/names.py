"""The one rule for names a person gives: annotator names and label display names.

Why a module of its own: names are shown in lists, headings, exports and error lines, and stored as
keys. A name holding an escape (ESC, BEL), a C1 control, a bidi override (which reorders what is shown
around it), a zero-width or other format character, a line or paragraph separator (U+2028 breaks a
JSONL line for JavaScript readers) or an unpaired surrogate (not storable) makes every one of those
places lie or fail, so all of them — Unicode categories Cc, Cf, Cs, Zl, Zp — are refused the same way
everywhere (the app, the command line, every import).
"""

from __future__ import annotations

import unicodedata

NAME_MAX = 100
_FORBIDDEN = {"Cc": "a control character", "Cf": "a format character (such as a bidi override)",
              "Cs": "an unpaired surrogate", "Zl": "a line separator", "Zp": "a paragraph separator"}


def name_problem(name: object, what: str = "an annotator name", limit: int = NAME_MAX) -> str | None:
    """Why ``name`` is not an acceptable name, or None. Leading/trailing spaces are the caller's to strip."""
    if not isinstance(name, str) or not name.strip():
        return f"{what} must not be empty"
    if len(name) > limit:
        return f"{what} is longer than {limit} characters"
    for i, ch in enumerate(name):
        kind = _FORBIDDEN.get(unicodedata.category(ch))
        if kind is not None:
            return (f"{what} must not contain control characters or other invisible ones "
                    f"({kind}, U+{ord(ch):04X} at character {i + 1})")
    return None
