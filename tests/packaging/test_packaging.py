"""Packaging: desktop integration files, the application icon, the PyInstaller spec and the wheel.

Fast checks only; building and running the real bundle is packaging/smoke_test.sh's job (CI runs it).
What these tests guard: a desktop file or metainfo that desktop environments and software centres would
reject, icons that went missing or blank or fell behind their SVG source, and a wheel that lacks the
resources or the Alembic migrations (alembic reads those from the file system, so a wheel without them
installs fine and then fails on the first database it opens).
"""

from __future__ import annotations

import configparser
import importlib.util
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

import annotator

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "io.github.annotator.Annotator"
DESKTOP = ROOT / "resources" / "linux" / f"{APP_ID}.desktop"
METAINFO = ROOT / "resources" / "linux" / f"{APP_ID}.metainfo.xml"
ICONS = ROOT / "resources" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def _pyproject_scripts() -> dict[str, str]:
    """Console and GUI script names from pyproject.toml (tomllib is 3.11+, so a small regex read)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    scripts: dict[str, str] = {}
    for table in ("project.scripts", "project.gui-scripts"):
        body = re.search(rf"^\[{re.escape(table)}\]\n(.*?)(?=^\[|\Z)", text, re.S | re.M)
        assert body, f"pyproject.toml has no [{table}]"
        scripts.update(re.findall(r'^([\w-]+)\s*=\s*"([^"]+)"', body.group(1), re.M))
    return scripts


def _load_packaging_module(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(f"_packaging_{name}", ROOT / "packaging" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string(DESKTOP.read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


# -- desktop file -------------------------------------------------------------------------------------


def test_desktop_file_has_the_keys_launchers_need() -> None:
    entry = _desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Annotator"
    assert entry["Icon"] == APP_ID, "the icon is installed under the app id (packaging/install_linux.sh)"
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";") and "Office" in entry["Categories"].split(";")
    assert entry["Keywords"].endswith(";")
    assert entry.get("Comment")


def test_desktop_file_runs_a_command_that_pip_installs() -> None:
    command = _desktop_entry()["Exec"].split()[0]
    assert command in _pyproject_scripts()
    assert _desktop_entry()["TryExec"] == command


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils not installed")
def test_desktop_file_validates() -> None:
    result = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert result.returncode == 0 and "error" not in result.stdout.lower(), result.stdout


# -- AppStream metainfo -------------------------------------------------------------------------------


def test_metainfo_is_well_formed_and_matches_the_desktop_file() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == "MIT"
    assert root.findtext("launchable") == DESKTOP.name
    assert root.find("launchable").get("type") == "desktop-id"  # type: ignore[union-attr]
    assert root.findtext("name") == _desktop_entry()["Name"]
    assert root.find("description/p") is not None
    assert root.find("content_rating") is not None


def test_metainfo_release_and_binaries_follow_the_project() -> None:
    root = ET.parse(METAINFO).getroot()
    versions = [release.get("version") for release in root.iter("release")]
    assert versions and versions[0] == annotator.__version__, "newest <release> must be the current version"
    binaries = {b.text for b in root.iter("binary")}
    assert binaries == set(_pyproject_scripts())


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream not installed")
def test_metainfo_validates_with_appstreamcli() -> None:
    result = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# -- icons --------------------------------------------------------------------------------------------


def test_svg_icon_is_a_square_svg_document() -> None:
    root = ET.parse(ICONS / "annotator.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 512 512"


@pytest.mark.parametrize("size", PNG_SIZES)
def test_png_icon_has_its_size_and_is_not_blank(qapp, size: int) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QImage, qAlpha

    image = QImage(str(ICONS / f"annotator-{size}.png"))
    assert not image.isNull()
    assert (image.width(), image.height()) == (size, size)
    pixels = [image.pixel(x, y) for y in range(size) for x in range(size)]
    opaque = [p for p in pixels if qAlpha(p) > 200]
    assert len(opaque) > 0.4 * len(pixels), "the page should cover most of the square"
    assert any(qAlpha(p) == 0 for p in pixels), "corners stay transparent"
    assert len({p & 0xFFFFFF for p in opaque}) >= 4, "page, outline and highlight colours"


def test_png_icons_are_rendered_from_the_current_svg(qapp) -> None:  # type: ignore[no-untyped-def]
    """A changed SVG without ``python packaging/render_icons.py`` leaves stale PNGs; catch that."""
    from PySide6.QtGui import QImage
    from PySide6.QtSvg import QSvgRenderer

    render_icons = _load_packaging_module("render_icons")
    renderer = QSvgRenderer(str(ICONS / "annotator.svg"))
    fresh = render_icons.render(renderer, 64)
    committed = QImage(str(ICONS / "annotator-64.png")).convertToFormat(fresh.format())
    differing = sum(fresh.pixel(x, y) != committed.pixel(x, y) for y in range(64) for x in range(64))
    assert differing < 64 * 64 * 0.02


def test_ico_container_lists_every_size_as_png(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QImage

    data = (ICONS / "annotator.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    assert (reserved, kind) == (0, 1) and count >= 5
    sizes = []
    for i in range(count):
        width, _h, _c, _r, _planes, _bpp, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        image = QImage.fromData(data[offset:offset + length], "PNG")
        assert image.width() == (width or 256)
        sizes.append(image.width())
    assert {16, 32, 48, 256} <= set(sizes)


def test_icns_container_lengths_add_up() -> None:
    data = (ICONS / "annotator.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack_from(">I", data, 4)[0] == len(data)
    offset, kinds = 8, []
    while offset < len(data):
        kind, length = data[offset:offset + 4], struct.unpack_from(">I", data, offset + 4)[0]
        assert data[offset + 8:offset + 16] == b"\x89PNG\r\n\x1a\n"
        kinds.append(kind)
        offset += length
    assert offset == len(data)
    assert {b"icp4", b"ic07", b"ic08", b"ic09", b"ic10", b"ic14"} <= set(kinds)


# -- PyInstaller spec and entry script ----------------------------------------------------------------


def test_spec_bundles_resources_and_migrations_where_the_code_looks() -> None:
    from annotator.store import schema_fast_path

    spec = (ROOT / "packaging" / "annotator.spec").read_text(encoding="utf-8")
    compile(spec, "annotator.spec", "exec")  # valid Python, as PyInstaller executes it
    package_root = Path(annotator.__file__).resolve().parent.parent
    migrations = schema_fast_path.MIGRATIONS_DIR.resolve().relative_to(package_root).as_posix()
    assert f'"{migrations}"' in spec, "the spec must put the migrations where schema_fast_path.py reads them"
    assert '"annotator/resources"' in spec, "resources_path looks in files('annotator') / 'resources'"
    assert "annotator_entry.py" in spec


def test_bundle_entry_script_runs_the_cli(capsys: pytest.CaptureFixture[str], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    entry = _load_packaging_module("annotator_entry")
    monkeypatch.setattr(sys, "executable", "/opt/annotator/annotator")
    monkeypatch.setattr(sys, "argv", ["annotator", "--version"])
    with pytest.raises(SystemExit) as exit_info:
        entry._entry()
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"annotator {annotator.__version__}"


# -- wheel --------------------------------------------------------------------------------------------


def test_wheel_contains_resources_and_migrations(tmp_path: Path) -> None:
    """Build the wheel the way pip does (PEP 517, isolated; a few seconds) and look inside."""
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (wheel,) = tmp_path.glob("annotator-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "annotator/store/migrations/env.py",
        "annotator/store/migrations/script.py.mako",
        "annotator/resources/icons/annotator.svg",
        "annotator/resources/icons/annotator.ico",
        f"annotator/resources/linux/{APP_ID}.desktop",
        f"annotator/resources/linux/{APP_ID}.metainfo.xml",
    ):
        assert required in names, required
    for size in PNG_SIZES:
        assert f"annotator/resources/icons/annotator-{size}.png" in names
    shipped = {n for n in names if re.fullmatch(r"annotator/store/migrations/versions/\w+\.py", n)}
    in_repo = {f"annotator/store/migrations/versions/{p.name}"
               for p in (ROOT / "annotator" / "store" / "migrations" / "versions").glob("*.py")}
    assert in_repo and shipped == in_repo
    assert not any("__pycache__" in n or n.startswith("tests/") for n in names)
