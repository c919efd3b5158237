"""The SVG charts: same counts, same bytes; names are text, never markup; empty data still draws."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from annotator.core.evidence.charts import MAX_BARS, ChartData, all_charts, bar_chart, monthly_chart

LABELS = [("injury", "Injury", "#56B4E9"), ("wages", "<b>Wages</b>", "#E69F00")]


def test_same_counts_same_bytes_whatever_the_order() -> None:
    a = ChartData({("injury", "2024-01"): 3, ("wages", "2024-03"): 2, ("injury", ""): 1},
                  {"Daily": 4, "Post": 2}, {"ana": 5, "ben": 1})
    b = ChartData(dict(reversed(list(a.by_label_month.items()))), {"Post": 2, "Daily": 4}, {"ben": 1, "ana": 5})
    assert all_charts(a, LABELS) == all_charts(b, LABELS)


def test_months_run_without_gaps_and_names_are_escaped() -> None:
    svg = monthly_chart("t", {("injury", "2023-11"): 1, ("wages", "2024-02"): 2, ("other", "2024-01"): 1}, LABELS)
    root = ET.fromstring(svg)  # well-formed XML
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert [m for m in texts if m and m[:2] == "20"] == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert "<b>Wages</b>" in texts and "<b>" not in svg.replace("&lt;b&gt;", "")
    hostile = bar_chart("Spans per source", {"<script>alert(1)</script>": 3, 'a" onload="x': 1})
    ET.fromstring(hostile)
    assert "<script" not in hostile and 'onload="x' not in hostile


def test_many_sources_are_summed_and_empty_data_draws_a_note() -> None:
    svg = bar_chart("s", {f"outlet {i:02d}": i + 1 for i in range(40)})
    assert svg.count("<rect x=") == MAX_BARS and f"{40 - MAX_BARS + 1} others" in svg
    assert "no spans" in bar_chart("s", {}) and "no spans" in monthly_chart("m", {}, LABELS)
