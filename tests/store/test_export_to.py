"""store.exporting.export_to: what the CLI and the app's export both use."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from annotator.store.exporting import ExportCancelled, export_to
from annotator.store.importing import import_paths


@pytest.fixture
def filled(store, tmp_path: Path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"text": f"Article {i}: shifts of {10 + i} hours.", "annotator": "ana",
                                       "spans": [{"start": 0, "end": 7, "label": "working_hours"}]}) + "\n"
                           for i in range(450)), encoding="utf-8")
    assert not import_paths(store, [src]).refused
    return store


@pytest.mark.parametrize(("format_name", "folder"), [("jsonl", False), ("brat", True)])
def test_output_gets_the_usual_permissions(filled, tmp_path: Path, format_name: str, folder: bool) -> None:
    old = os.umask(0o022)
    try:
        out = tmp_path / ("out" if folder else "out.jsonl")
        report = export_to(filled, out, format_name)
    finally:
        os.umask(old)
    assert report.documents == 450
    assert stat.S_IMODE(out.stat().st_mode) == (0o755 if folder else 0o644)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_a_cancelled_export_leaves_nothing(filled, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    seen: list[int] = []
    with pytest.raises(ExportCancelled):
        export_to(filled, out, progress=lambda n, total: seen.append(n), cancelled=lambda: bool(seen))
    assert seen == [200] and not out.exists()
    assert list(tmp_path.glob(".out.jsonl.*")) == []
