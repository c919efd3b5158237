"""The two steps that bring the Linux bundle under its size target, tried on real binaries.

packaging/slim_icu.py rewrites Qt's ICU data library with fewer items: the test slims the very library the
installed PySide6 wheel ships and then runs Qt against it (LD_LIBRARY_PATH is searched before the Qt
libraries' own $ORIGIN run path), so a package ICU cannot read, a symbol under the wrong name or a dropped
item Qt needs shows up as a wrong sort order, a wrong time-zone name or a crash.

packaging/prune_unlinked.py deletes libraries nothing links to: the test compiles a small tree of real shared
libraries with gcc and checks that exactly the unreachable ones go.

Both need build tools (binutils, gcc, icu-devtools). Without them the tests are skipped with the reason,
except under CI, which installs them, where a missing tool is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packaging.test_packaging import _load_packaging_module

slim_icu = _load_packaging_module("slim_icu")
prune_unlinked = _load_packaging_module("prune_unlinked")


def _require(*tools: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if not missing:
        return
    reason = f"{', '.join(missing)} not installed (apt install binutils gcc icu-devtools)"
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(f"{reason}; CI must run the packaging tool tests", pytrace=False)
    pytest.skip(reason)


@pytest.mark.parametrize(
    ("item", "kept"),
    [
        ("root.res", True),
        ("en.res", True),
        ("pool.res", True),
        ("ru.res", False),
        ("ko_KR.res", False),
        ("sr_Latn_BA.res", False),
        ("zoneinfo64.res", True),
        ("metaZones.res", True),
        ("cnvalias.icu", True),
        ("nfkc.nrm", True),
        ("ibm-1252_P100-2000.cnv", False),
        ("rfc3491.spp", False),
        ("unames.icu", False),
        ("coll/root.res", True),
        ("coll/ucadata.icu", True),
        ("coll/sv.res", True),
        ("zone/root.res", True),
        ("zone/en.res", True),
        ("zone/ru.res", False),
        ("curr/en.res", False),
        ("brkitr/cjdict.dict", False),
        ("translit/root.res", False),
    ],
)
def test_icu_items_kept_are_the_ones_qt_reads(item: str, kept: bool) -> None:
    assert slim_icu.keep_item(item) is kept


def _wheel_icu_library() -> Path:
    import PySide6

    libraries = [path for path in (Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*")
                 if not path.is_symlink()]
    if not libraries:
        pytest.skip("this PySide6 build ships no ICU data library (Qt built without ICU)")
    return libraries[0]


QT_PROBE = r"""
import functools, sys
from PySide6.QtCore import QCollator, QLocale, QTimeZone
maps = open("/proc/self/maps", encoding="utf-8").read()
print("icu:", [line.split()[-1] for line in maps.splitlines() if "libicudata" in line][0])
words = ["Zebra", "Äpfel", "apple", "ёж", "еда", "가나"]
for name in ("sv_SE", "ru_RU", "en_US"):
    collator = QCollator(QLocale(name))
    print(name, " ".join(sorted(words, key=functools.cmp_to_key(collator.compare))))
zone = QTimeZone(b"Europe/Moscow")
print("zone:", zone.displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, QLocale("en_US")))
print("upper:", QLocale("tr_TR").toUpper("istanbul"))
"""


def test_slimmed_icu_data_serves_qt_collation_and_time_zones(tmp_path: Path) -> None:
    _require(*slim_icu.TOOLS)
    original = _wheel_icu_library()
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    library = bundle / original.name
    shutil.copyfile(original, library)

    assert slim_icu.main([str(bundle)]) == 0

    assert library.stat().st_size < original.stat().st_size / 4
    env = {**os.environ, "LD_LIBRARY_PATH": str(bundle), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", QT_PROBE], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert lines["icu:"] == str(library), "Qt did not load the slimmed library"
    # Swedish sorts Ä after Z; Russian puts Cyrillic first: the tailorings survived
    assert lines["sv_SE"] == "apple Zebra Äpfel еда ёж 가나"
    assert lines["ru_RU"] == "еда ёж Äpfel apple Zebra 가나"
    assert lines["en_US"] == "Äpfel apple Zebra еда ёж 가나"
    assert lines["zone:"] == "Moscow Standard Time"
    assert lines["upper:"] == "İSTANBUL"


def test_slim_icu_refuses_a_library_that_is_not_icu_data(tmp_path: Path) -> None:
    _require(*slim_icu.TOOLS)
    stranger = tmp_path / "libicudata.so.99"
    shutil.copyfile(_wheel_icu_library().parent / "libQt6Core.so.6", stranger)
    before = stranger.read_bytes()
    with pytest.raises(SystemExit, match="does not export icudt99_dat"):
        slim_icu.slim(stranger)
    assert stranger.read_bytes() == before


def test_a_library_that_cannot_be_slimmed_leaves_the_build_going(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _require(*slim_icu.TOOLS)
    stranger = tmp_path / "libicudata.so.99"
    shutil.copyfile(_wheel_icu_library().parent / "libQt6Core.so.6", stranger)
    before = stranger.read_bytes()
    assert slim_icu.main([str(tmp_path)]) == 0
    assert "libicudata.so.99 left as it is: " in capsys.readouterr().out
    assert stranger.read_bytes() == before


def _shared_library(directory: Path, name: str, *needs: str, search: Path | None = None) -> Path:
    """Compile a one-function shared library `name` in `directory`, linked against the libraries `needs`
    (found in `search`, by default `directory`)."""
    source = directory / f"{name}.c"
    symbol = "f_" + "".join(ch if ch.isalnum() else "_" for ch in name)
    source.write_text(f"int {symbol}(void) {{ return 1; }}\n", encoding="ascii")
    output = directory / name
    links = [f"-l:{need}" for need in needs]
    subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(output), str(source), f"-L{search or directory}",
                    "-Wl,--no-as-needed", *links], check=True, capture_output=True)
    source.unlink()
    return output


def test_prune_removes_only_libraries_nothing_links_to(tmp_path: Path) -> None:
    _require("gcc", "readelf")
    internal = tmp_path / "annotator" / "_internal"
    qt_lib = internal / "PySide6" / "Qt" / "lib"
    plugins = internal / "PySide6" / "Qt" / "plugins" / "platforms"
    vendored = internal / "numpy.libs"
    for folder in (qt_lib, plugins, vendored):
        folder.mkdir(parents=True)
    # a chain reached from an extension module: module -> libdirect -> libindirect
    _shared_library(internal, "libindirect.so.1")
    _shared_library(internal, "libdirect.so.2", "libindirect.so.1")
    _shared_library(internal, "_module.cpython-311-x86_64-linux-gnu.so", "libdirect.so.2")
    # a Qt plugin (dlopened by Qt) keeps what it links
    _shared_library(qt_lib, "libQt6Plugged.so.6")
    _shared_library(plugins, "libqxcb.so", "libQt6Plugged.so.6", search=qt_lib)
    # nothing links to these
    orphan = _shared_library(internal, "libgio-2.0.so.0")
    qt_orphan = _shared_library(qt_lib, "libQt6OpenGL.so.6")
    link = internal / "libgio-2.0.so"
    link.symlink_to(orphan.name)
    # a wheel's vendored folder is never pruned, linked or not
    untouched = _shared_library(vendored, "libscipy_openblas.so")

    assert prune_unlinked.main([str(tmp_path / "annotator")]) == 0

    assert not orphan.exists() and not link.is_symlink() and not qt_orphan.exists()
    for kept in ("libindirect.so.1", "libdirect.so.2", "_module.cpython-311-x86_64-linux-gnu.so"):
        assert (internal / kept).exists(), kept
    assert (qt_lib / "libQt6Plugged.so.6").exists()
    assert untouched.exists()
