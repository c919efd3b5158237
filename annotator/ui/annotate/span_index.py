"""The spans of the open document, indexed for painting: range queries and stable lanes (pure, no Qt).

Overlapping spans are drawn in separate lanes (stacked underlines), so two spans — even of the same label —
over the same words stay distinguishable. Lanes are assigned once when a document opens (greedy interval
colouring) and then incrementally: a new span takes the lowest lane free among the spans it overlaps,
and removing a span moves nobody else, so the picture never jumps while the analyst works. Queries by
range bisect on a start-sorted list, so painting the visible part of a 10,000-span document touches only
the spans near it.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from dataclasses import dataclass


@dataclass(slots=True)
class IndexedSpan:
    id: int
    start: int
    end: int
    label: str
    lane: int = 0


class SpanIndex:
    """Spans by id, a start-sorted key list for range queries, and a lane per span."""

    def __init__(self, spans: list[IndexedSpan] | None = None) -> None:
        self.by_id: dict[int, IndexedSpan] = {}
        self._keys: list[tuple[int, int]] = []  # (start, id), sorted
        self._max_len = 0
        if spans:
            self._bulk_load(spans)

    def __len__(self) -> int:
        return len(self.by_id)

    def _bulk_load(self, spans: list[IndexedSpan]) -> None:
        import heapq

        ordered = sorted(spans, key=lambda s: (s.start, -s.end, s.id))
        active: list[tuple[int, int]] = []  # (end, lane) of spans still open
        free: list[int] = []
        next_lane = 0
        for span in ordered:
            while active and active[0][0] <= span.start:
                heapq.heappush(free, heapq.heappop(active)[1])
            if free:
                lane = heapq.heappop(free)
            else:
                lane = next_lane
                next_lane += 1
            span.lane = lane
            heapq.heappush(active, (span.end, lane))
            self.by_id[span.id] = span
            if span.end - span.start > self._max_len:
                self._max_len = span.end - span.start
        self._keys = [(s.start, s.id) for s in ordered]
        self._keys.sort()

    def overlapping(self, start: int, end: int) -> list[IndexedSpan]:
        """Spans sharing at least one character with ``[start, end)`` (or touching an empty range)."""
        lo = bisect_left(self._keys, (start - self._max_len, -1))
        hi = bisect_left(self._keys, (end if end > start else start + 1, -1))
        found = []
        by_id = self.by_id
        for _s, sid in self._keys[lo:hi]:
            span = by_id[sid]
            if span.end > start:
                found.append(span)
        return found

    def at(self, pos: int) -> list[IndexedSpan]:
        """Spans covering code point ``pos``, shortest first (the innermost is the likely target)."""
        hits = [s for s in self.overlapping(pos, pos + 1) if s.start <= pos < s.end]
        hits.sort(key=lambda s: (s.end - s.start, s.start, s.id))
        return hits

    def add(self, span: IndexedSpan) -> IndexedSpan:
        """Insert a span, giving it the lowest lane not used by a span it overlaps."""
        if span.id in self.by_id:
            self.remove(span.id)
        if span.end - span.start > self._max_len:
            self._max_len = span.end - span.start
        used = {s.lane for s in self.overlapping(span.start, span.end)}
        lane = 0
        while lane in used:
            lane += 1
        span.lane = lane
        self.by_id[span.id] = span
        insort(self._keys, (span.start, span.id))
        return span

    def remove(self, span_id: int) -> IndexedSpan | None:
        span = self.by_id.pop(span_id, None)
        if span is not None:
            i = bisect_left(self._keys, (span.start, span.id))
            if i < len(self._keys) and self._keys[i] == (span.start, span.id):
                del self._keys[i]
        return span

    def relabel(self, span_id: int, label: str) -> IndexedSpan | None:
        span = self.by_id.get(span_id)
        if span is not None:
            span.label = label
        return span

    def ordered_ids(self) -> list[int]:
        return [sid for _s, sid in self._keys]
