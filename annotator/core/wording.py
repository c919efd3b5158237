"""Small pieces of English the command line and the app both print ("1 span", "3 spans").

Imports nothing, so even ``annotator --help``'s start-up path may use it.
"""

from __future__ import annotations


def plural(count: int, noun: str) -> str:
    """``1 document``, ``2 documents`` (nouns with a plain ``s`` plural only)."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
