"""When a span is one a layer already holds: the rule shared by tagging, accepting suggestions and import.

Two spans with the same start, end and label in one layer say nothing more than one, yet every export
writes both and span F1 counts both, so a layer never stores the same span twice: the app refuses the tag
with a status-bar line and accepting suggestions leaves the repeated ones out (``Operations``), the store
refuses an identical span (``repository.add_span``) and import skips one with a notice naming the line
(``store/importing.py``, which applies the rule to label ids inside its batch loop). Spans may still
overlap, also with the same label (docs/architecture.md §3); only an *identical* (start, end, label) is a
repeat.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


def span_key(start: int, end: int, label: str) -> tuple[int, int, str]:
    """What makes two spans of one layer the same span."""
    return (start, end, label)


def split_repeats(items: Iterable[T], key: Callable[[T], K], present: Iterable[K] = ()) -> tuple[list[T], list[T]]:
    """``items`` split into the ones to store and the repeats, both in their original order.

    An item is a repeat when its key is in ``present`` (the layer already has it) or an earlier item had
    the same key; the first of several equal items is the one kept.
    """
    seen = set(present)
    kept: list[T] = []
    repeated: list[T] = []
    for item in items:
        k = key(item)
        if k in seen:
            repeated.append(item)
        else:
            seen.add(k)
            kept.append(item)
    return kept, repeated
