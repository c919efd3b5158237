"""Without a display the app says so in one line and exits 2, instead of Qt's abort and a core dump."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli.app import NO_DISPLAY, display_missing

ROOT = Path(__file__).resolve().parents[2]


def _env_without_display() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = str(ROOT)
    return env


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check is for Linux desktops")
@pytest.mark.parametrize("args", [(), ("gui",)])
def test_no_display_is_one_line_and_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = subprocess.run([sys.executable, "-m", "annotator", "--db", str(tmp_path / "x.sqlite3"), *args],
                            env=_env_without_display(), capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [NO_DISPLAY]
    assert "no display found" in result.stderr and "QT_QPA_PLATFORM=offscreen" in result.stderr
    assert result.stdout == ""
    assert not list(tmp_path.glob("core*"))
    assert not (tmp_path / "x.sqlite3").exists()  # it stopped before opening anything


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check is for Linux desktops")
def test_command_line_commands_still_run_without_a_display(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("A recruiter placed the welders.\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "annotator", "--db", str(tmp_path / "x.sqlite3"), "import",
                             str(article)],
                            env=_env_without_display(), capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert "no display" not in result.stderr
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("environ", "missing"), [
    ({}, True),
    ({"QT_QPA_PLATFORM": "xcb"}, True),
    ({"QT_QPA_PLATFORM": "wayland"}, True),
    ({"QT_QPA_PLATFORM": "wayland;xcb"}, True),
    ({"QT_QPA_PLATFORM": "xcb:dpi=96"}, True),
    ({"DISPLAY": ":0"}, False),
    ({"WAYLAND_DISPLAY": "wayland-0"}, False),
    ({"QT_QPA_PLATFORM": "offscreen"}, False),
    ({"QT_QPA_PLATFORM": "minimal"}, False),
    ({"QT_QPA_PLATFORM": "vnc:size=800x600"}, False),
    ({"QT_QPA_PLATFORM": "eglfs"}, False),
    ({"QT_QPA_PLATFORM": "linuxfb"}, False),
    ({"QT_QPA_PLATFORM": "wayland;offscreen"}, False),
])
def test_which_environments_lack_a_display(environ: dict[str, str], missing: bool) -> None:
    assert display_missing(environ, "linux") is missing
    assert display_missing(environ, "darwin") is False
    assert display_missing(environ, "win32") is False
