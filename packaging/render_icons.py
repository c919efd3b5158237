"""Render the application icon (resources/icons/annotator.svg) to PNG, ICO and ICNS files.

Why a script and not hand-exported files: the SVG is the single source, so a change to the drawing is one
edit plus ``python packaging/render_icons.py``; the rendered files are committed because Linux desktop
files, PyInstaller (.ico on Windows, .icns on macOS) and the window icon all need raster files at build
time, and a build machine should not need anything beyond PySide6 to produce a bundle.

ICO and ICNS are written here directly: both containers accept PNG-compressed entries (ICO since Windows
Vista, ICNS for the ``ic07``-``ic14``/``icp4``-``icp6`` types), so each is a small header plus the PNGs.
Qt's own ico writer stores one image only, and an .ico with a single size looks blurry in Explorer.

Usage: ``python packaging/render_icons.py [--check]`` (``--check`` renders into memory and fails when a
committed file is missing, so CI notices a forgotten re-render).
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICON_DIR / "annotator.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS type codes that take PNG data, by pixel size (the @2x types share sizes with plain ones; Finder
# picks the one matching the display density, so both are written).
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256), (b"ic09", 512),
    (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256), (b"ic14", 512),
)


def png_name(size: int) -> str:
    return f"annotator-{size}.png"


def render(renderer: QSvgRenderer, size: int) -> QImage:
    """Rasterise the SVG on a transparent square of ``size`` pixels, antialiased."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("Qt could not encode a PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICO container: ICONDIR, one 16-byte ICONDIRENTRY per size, then the PNG payloads."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, payload = b"", b""
    for size in sizes:
        data = pngs[size]
        dim = 0 if size >= 256 else size  # 0 means 256 in the ICO format
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
        payload += data
    return header + entries + payload


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICNS container: 'icns' + total length, then (type, length incl. 8-byte header, PNG) chunks."""
    chunks = b"".join(kind + struct.pack(">I", len(pngs[size]) + 8) + pngs[size] for kind, size in ICNS_TYPES)
    return b"icns" + struct.pack(">I", len(chunks) + 8) + chunks


def build_all() -> dict[str, bytes]:
    """Every derived icon file by name, rendered from the SVG."""
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"render_icons: {SVG} is not a valid SVG")
    sizes = set(PNG_SIZES) | set(ICO_SIZES) | {size for _kind, size in ICNS_TYPES}
    pngs = {size: png_bytes(render(renderer, size)) for size in sorted(sizes)}
    files = {png_name(size): pngs[size] for size in PNG_SIZES}
    files["annotator.ico"] = ico_bytes({size: pngs[size] for size in ICO_SIZES})
    files["annotator.icns"] = icns_bytes(pngs)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that every derived file exists")
    args = parser.parse_args(argv)
    files = build_all()
    if args.check:
        missing = [name for name in files if not (ICON_DIR / name).is_file()]
        for name in missing:
            print(f"render_icons: missing {ICON_DIR / name}", file=sys.stderr)
        return 1 if missing else 0
    for name, data in files.items():
        (ICON_DIR / name).write_bytes(data)
        print(f"wrote {ICON_DIR / name} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
