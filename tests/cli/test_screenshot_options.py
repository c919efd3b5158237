"""``annotator --screenshot PNG --size WxH --theme light|dark --view main|agreement|curation|evidence|dashboard``: real runs of
the command in a subprocess (a theme changes the whole application, so each run gets its own)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from annotator.store.database import open_store
from annotator.ui.shell.first_run import load_samples

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "annotator", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=240)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from make_demo_screenshots import make_demo_database
    finally:
        sys.path.remove(str(ROOT / "bench"))
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    counts = make_demo_database(path)
    assert min(counts.values()) > 10
    return path


@pytest.mark.parametrize(("view", "size", "theme"), [("main", (1024, 640), "dark"), ("agreement", (1366, 768), "light"),
                                                      ("curation", (1024, 640), "light"),
                                                      ("evidence", (1366, 768), "dark"),
                                                      ("dashboard", (1024, 640), "dark")])
def test_each_view_is_rendered_at_exactly_the_requested_size(demo_db, tmp_path, view, size, theme):
    out = tmp_path / f"{view}.png"
    result = run("--db", demo_db, "--annotator", "amira", "--screenshot", out, "--size", f"{size[0]}x{size[1]}",
                 "--theme", theme, "--view", view)
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == size
    from collections import Counter

    from PySide6.QtGui import QColor

    sampled = Counter(image.pixel(x, y) for x in range(0, size[0], 9) for y in range(0, size[1], 9))
    background = QColor.fromRgb(sampled.most_common(1)[0][0])
    assert (background.lightness() < 110) == (theme == "dark")  # the theme really applied
    assert len(sampled) > 20


def test_without_two_finished_analysts_agreement_and_curation_say_so_in_one_line(tmp_path):
    db = tmp_path / "x.sqlite3"
    store = open_store(db)
    load_samples(store)
    store.close()
    for view in ("agreement", "curation"):
        result = run("--db", db, "--annotator", "amira", "--screenshot", tmp_path / "s.png", "--view", view)
        assert result.returncode == 1
        lines = result.stderr.strip().splitlines()
        assert lines[-1].startswith("annotator: ") and "two analysts" in lines[-1], result.stderr
        assert "Traceback" not in result.stderr
        assert not (tmp_path / "s.png").exists()


@pytest.mark.parametrize("args", [["--size", "10x"], ["--size", "1024"], ["--size", "100x100"],
                                  ["--theme", "purple"], ["--view", "nope"]])
def test_a_bad_value_is_one_line_and_exit_2(tmp_path, args):
    result = run("--db", tmp_path / "x.sqlite3", "--screenshot", tmp_path / "s.png", *args)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("annotator: ")
    assert "Traceback" not in result.stderr


def test_size_and_view_need_a_screenshot(tmp_path):
    result = run("--db", tmp_path / "x.sqlite3", "--size", "1024x640", "verify")
    assert result.returncode == 2 and "--screenshot" in result.stderr
