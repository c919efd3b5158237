"""Small SVG charts of evidence counts, drawn by our own code: spans per label by month, per source, per
annotator.

Why not a plotting library: the charts go into a report that must be byte-identical for the same data and
load nothing from the network, and into the app, which must not pull in a plotting stack. These are plain
SVG 1.1 strings — fixed layout, integer coordinates, every text escaped as XML — so the same counts always
give the same bytes, and a label or source named ``<script>`` is just text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

FONT = "font-family=\"Helvetica,Arial,sans-serif\""
BAR_COLOR = "#0072B2"
MAX_BARS = 25
"""Horizontal bar charts show the largest this many entries; the rest are summed into "others"."""


@dataclass(frozen=True, slots=True)
class ChartData:
    """The counts behind the three charts (all under the same evidence filter)."""

    by_label_month: Mapping[tuple[str, str], int] = field(default_factory=dict)
    """(label key, ``YYYY-MM``) → spans; documents without a date are counted under month ''."""
    by_source: Mapping[str, int] = field(default_factory=dict)
    by_annotator: Mapping[str, int] = field(default_factory=dict)


def _x(text: object) -> str:
    return escape(str(text), {'"': "&quot;"})


def _short(text: str, limit: int = 28) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{_x(title)}">'
            f'<rect width="{width}" height="{height}" fill="#ffffff"/>'
            f'<text x="8" y="18" {FONT} font-size="14" font-weight="bold" fill="#222">{_x(title)}</text>'
            + "".join(body) + "</svg>")


def _ticks(maximum: int) -> list[int]:
    """Round tick values from 0 to at least ``maximum`` (at most 6 of them)."""
    if maximum <= 0:
        return [0, 1]
    step = 1
    while maximum / step > 5:
        for factor in (2, 5, 10):
            if maximum / (step * factor) <= 5:
                step *= factor
                break
        else:
            step *= 10
    top = -(-maximum // step) * step
    return list(range(0, top + 1, step))


def bar_chart(title: str, counts: Mapping[str, int], *, color: str = BAR_COLOR, width: int = 560) -> str:
    """Horizontal bars, largest first (ties by name); beyond :data:`MAX_BARS` entries the rest are "others"."""
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(items) > MAX_BARS:
        rest = sum(v for _k, v in items[MAX_BARS - 1:])
        items = items[:MAX_BARS - 1] + [(f"{len(items) - MAX_BARS + 1} others", rest)]
    row, left, top = 20, 190, 32
    height = top + max(1, len(items)) * row + 24
    body: list[str] = []
    if not items:
        body.append(f'<text x="8" y="{top + 14}" {FONT} font-size="12" fill="#666">no spans</text>')
        return _svg(width, height, title, body)
    ticks = _ticks(max(v for _k, v in items))
    scale = (width - left - 40) / ticks[-1]
    for t in ticks:
        x = left + round(t * scale)
        body.append(f'<line x1="{x}" y1="{top}" x2="{x}" y2="{height - 20}" stroke="#e4e4e4"/>'
                    f'<text x="{x}" y="{height - 6}" {FONT} font-size="10" fill="#666" '
                    f'text-anchor="middle">{t}</text>')
    for i, (name, value) in enumerate(items):
        y = top + i * row
        w = max(1, round(value * scale)) if value else 0
        body.append(f'<text x="{left - 6}" y="{y + 14}" {FONT} font-size="11" fill="#222" '
                    f'text-anchor="end">{_x(_short(name or "(none)"))}</text>'
                    f'<rect x="{left}" y="{y + 3}" width="{w}" height="{row - 6}" fill="{_x(color)}">'
                    f'<title>{_x(name or "(none)")}: {value}</title></rect>'
                    f'<text x="{left + w + 4}" y="{y + 14}" {FONT} font-size="10" fill="#444">{value}</text>')
    return _svg(width, height, title, body)


def monthly_chart(title: str, counts: Mapping[tuple[str, str], int], labels: Sequence[tuple[str, str, str]], *,
                  width: int = 760) -> str:
    """Stacked columns of spans per month, one colour per label, with a legend.

    ``labels`` is (key, name, colour) in scheme order; a key not in it is drawn grey after them. Months run
    from the first to the last dated month without gaps; undated spans get a column "no date" at the end.
    """
    known = [k for k, _n, _c in labels]
    extra = sorted({k for k, _m in counts} - set(known))
    colours = {k: c for k, _n, c in labels}
    names = {k: n for k, n, _c in labels}
    keys = known + extra
    months = _month_range(sorted({m for _k, m in counts if m}))
    if any(not m for _k, m in counts):
        months.append("")
    totals = {m: sum(v for (_k, mm), v in counts.items() if mm == m) for m in months}
    top, bottom, left = 32, 40, 44
    legend_rows = (len(keys) + 3) // 4
    height = top + 200 + bottom + legend_rows * 18
    plot_h = 200
    body: list[str] = []
    if not months:
        body.append(f'<text x="8" y="{top + 14}" {FONT} font-size="12" fill="#666">no spans</text>')
        return _svg(width, top + 40, title, body)
    ticks = _ticks(max(totals.values()))
    scale = plot_h / ticks[-1]
    base = top + plot_h
    for t in ticks:
        y = base - round(t * scale)
        body.append(f'<line x1="{left}" y1="{y}" x2="{width - 8}" y2="{y}" stroke="#e4e4e4"/>'
                    f'<text x="{left - 4}" y="{y + 4}" {FONT} font-size="10" fill="#666" text-anchor="end">{t}</text>')
    slot = (width - left - 8) / len(months)
    bar_w = max(1, min(48, int(slot * 0.7)))
    every = max(1, -(-len(months) // 12))
    for i, month in enumerate(months):
        x = left + round(i * slot + (slot - bar_w) / 2)
        y = base
        for key in keys:
            value = counts.get((key, month), 0)
            if not value:
                continue
            h = max(1, round(value * scale))
            y -= h
            body.append(f'<rect x="{x}" y="{y}" width="{bar_w}" height="{h}" fill="{_x(colours.get(key, "#999999"))}">'
                        f'<title>{_x(names.get(key, key))} {_x(month or "no date")}: {value}</title></rect>')
        if i % every == 0 or not month:
            body.append(f'<text x="{x + bar_w // 2}" y="{base + 14}" {FONT} font-size="10" fill="#444" '
                        f'text-anchor="middle">{_x(month or "no date")}</text>')
    for j, key in enumerate(keys):
        lx = left + (j % 4) * ((width - left) // 4)
        ly = base + 26 + (j // 4) * 18
        body.append(f'<rect x="{lx}" y="{ly}" width="10" height="10" fill="{_x(colours.get(key, "#999999"))}"/>'
                    f'<text x="{lx + 14}" y="{ly + 9}" {FONT} font-size="11" fill="#222">'
                    f'{_x(_short(names.get(key, key), 30))}</text>')
    return _svg(width, height, title, body)


def _month_range(months: list[str]) -> list[str]:
    """Every month from the first to the last (``YYYY-MM``); malformed values are kept as they are."""
    good = [m for m in months if len(m) == 7 and m[:4].isdigit() and m[4] == "-" and m[5:].isdigit()]
    odd = [m for m in months if m not in good]
    if not good:
        return odd
    y, mo = int(good[0][:4]), int(good[0][5:])
    last = (int(good[-1][:4]), int(good[-1][5:]))
    out: list[str] = []
    while (y, mo) <= last and len(out) < 1200:
        out.append(f"{y:04d}-{mo:02d}")
        mo += 1
        if mo == 13:
            y, mo = y + 1, 1
    return out + odd


def all_charts(data: ChartData, labels: Sequence[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """The three charts as (title, SVG), in the order the view and the report show them."""
    return [
        ("Spans per label by month", monthly_chart("Spans per label by month", data.by_label_month, labels)),
        ("Spans per source", bar_chart("Spans per source", data.by_source)),
        ("Spans per annotator", bar_chart("Spans per annotator", data.by_annotator, color="#009E73")),
    ]
