"""Fail unless a PNG looks like a rendered window rather than a blank or missing image.

Used by packaging/smoke_test.sh on screenshots that ``annotator --screenshot`` wrote from a wheel install
and from the bundle. A window that failed to paint comes out as one flat colour, so the check is on the
spread of grey values over a grid of samples and the number of distinct colours, not on exact pixels
(fonts and styles differ between machines).

Usage: ``python packaging/check_screenshot.py PNG [MIN_WIDTH MIN_HEIGHT]``; exit 0 when it looks rendered.
"""

from __future__ import annotations

import os
import statistics
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QGuiApplication, QImage, qGray  # noqa: E402

GRID = 80  # samples per axis
MIN_STDEV = 8.0  # grey levels; a flat image has 0, a window with text and panels well over 20
MIN_COLOURS = 8


def describe(path: str, min_width: int = 200, min_height: int = 150) -> tuple[bool, str]:
    """(ok, one-line description) of the image at ``path``."""
    image = QImage(path)
    if image.isNull():
        return False, f"{path}: not a readable image"
    w, h = image.width(), image.height()
    if w < min_width or h < min_height:
        return False, f"{path}: {w}x{h} is smaller than {min_width}x{min_height}"
    colours: set[int] = set()
    greys: list[int] = []
    for j in range(GRID):
        for i in range(GRID):
            rgb = image.pixel(i * (w - 1) // (GRID - 1), j * (h - 1) // (GRID - 1))
            colours.add(rgb & 0xFFFFFF)
            greys.append(qGray(rgb))
    spread = statistics.pstdev(greys)
    summary = f"{path}: {w}x{h}, grey stdev {spread:.1f}, {len(colours)} colours sampled"
    ok = spread >= MIN_STDEV and len(colours) >= MIN_COLOURS
    return ok, summary + ("" if ok else " (looks blank)")


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 3):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    size = (int(argv[1]), int(argv[2])) if len(argv) == 3 else ()
    ok, summary = describe(argv[0], *size)
    print(summary)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
