"""Qt's messages reach stderr, except the offscreen platform's notice that a command-line user cannot act on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import qWarning

from annotator.ui.common.qt_messages import PLATFORM_NOTICES, install_message_filter


def test_screenshot_run_prints_nothing_on_stderr(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "--db", str(tmp_path / "a.sqlite3"), "--screenshot",
         str(tmp_path / "shot.png")],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "shot.png").stat().st_size > 0
    assert result.stderr == ""


@pytest.mark.no_qt_log  # pytest-qt's own capture would replace our handler during the test
def test_other_qt_warnings_still_reach_stderr(qapp, capfd: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    install_message_filter()
    qWarning("annotator test: a real problem")
    for notice in PLATFORM_NOTICES:
        qWarning(notice)
    err = capfd.readouterr().err
    assert "annotator test: a real problem" in err
    assert not any(notice in err for notice in PLATFORM_NOTICES)
