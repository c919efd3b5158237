"""Shrink the ICU data library in a Linux bundle to the parts Qt reads (31 MB -> about 6 MB).

    python packaging/slim_icu.py packaging/dist/annotator

Why this is safe: Qt Core calls ICU for four things only (see the ICU symbols libQt6Core imports): case
mapping, collation (QCollator, used by Qt's file dialog to sort names), time-zone display names and codecs
looked up by name (QStringDecoder("windows-1251")). PySide6's wheel ships ICU's complete data package all the
same: every locale's currency, language, region and unit names, number spell-out rules, transliterators,
break-iterator dictionaries and some 200 code-page tables, which nothing in the bundle opens.

Kept: the root and English locale data, every collation tailoring (so file names sort as Swedish, Russian or
Korean readers expect), the time-zone tables with root and English names, normalization data and the codec
alias table. Given up, knowingly: time-zone names in other languages (Qt shows the English name) and Qt's
own legacy code-page codecs; annotator decodes documents in Python (charset-normalizer), never through Qt.

How: the library is one read-only section holding an ICU "common data" package behind the symbol
icudtNN_dat. objcopy copies that section out, ICU's own icupkg removes items, genccode turns the smaller
package back into assembly that defines the same symbol, and gcc links it under the same soname. Needs
binutils, gcc and icu-devtools (Debian and Ubuntu package names); without them the bundle keeps the full
library, and this script says so and exits 0, because a larger bundle is better than no bundle; so does
a library it cannot rewrite (the smoke test's size check then fails).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

TOOLS = ("objcopy", "readelf", "gcc", "icupkg", "genccode")

# Locale data trees whose root (and English) entries stay; all other locales in them go.
NAMED_TREES_KEEP = {
    "zone": {"root.res", "en.res", "pool.res", "res_index.res"},
}
# Trees kept whole: collation tailorings for every language (3.6 MB, used by QCollator).
WHOLE_TREES = {"coll"}
# Top-level locale bundles (af.res, ru_RU.res, ...) other than these go.
TOP_LOCALES_KEEP = {"root.res", "en.res", "pool.res", "res_index.res"}
LOCALE_BUNDLE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]+)*\.res$")
# Top-level items nothing in Qt opens: character names (u_charName), confusables (spoof checks),
# StringPrep profiles (IDNA 2003, LDAP, XMPP).
UNUSED_TOP = {"unames.icu", "confusables.cfu"}


def keep_item(name: str) -> bool:
    """Whether a package item (as icupkg lists it, e.g. "coll/sv.res" or "ibm-1252_P100-2000.cnv") stays."""
    if "/" in name:
        tree, leaf = name.split("/", 1)
        if tree in WHOLE_TREES:
            return True
        return leaf in NAMED_TREES_KEEP.get(tree, set())
    if name.endswith((".cnv", ".spp")) or name in UNUSED_TOP:
        return False
    if LOCALE_BUNDLE.match(name):
        return name in TOP_LOCALES_KEEP
    return True  # supplemental data, time-zone tables, normalization, converter aliases


def run(*command: str, cwd: Path | None = None) -> str:
    return subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True).stdout


def slim(library: Path) -> tuple[int, int]:
    """Rewrite `library` in place with the kept items only; return (bytes before, bytes after)."""
    match = re.match(r"libicudata\.so\.(\d+)(\.\d+)*$", library.name)
    if not match:
        raise SystemExit(f"slim_icu: {library}: not an ICU data library name (libicudata.so.NN)")
    version = match.group(1)
    symbol = f"icudt{version}_dat"
    package = f"icudt{version}l"  # "l": little-endian, ASCII; the only layout on x86_64 and arm64
    if symbol not in run("readelf", "--dyn-syms", "-W", str(library)):
        raise SystemExit(f"slim_icu: {library}: does not export {symbol}; left unchanged")
    before = library.stat().st_size
    with tempfile.TemporaryDirectory(prefix="slim_icu.") as tmp:
        work = Path(tmp)
        full = work / "full" / f"{package}.dat"
        full.parent.mkdir()
        run("objcopy", "-O", "binary", "--only-section=.rodata", str(library), str(full))
        items = run("icupkg", "-l", str(full)).split()
        if not items:
            raise SystemExit(f"slim_icu: {library}: no ICU data package found; left unchanged")
        dropped = [item for item in items if not keep_item(item)]
        (work / "drop.txt").write_text("\n".join(dropped) + "\n", encoding="ascii")
        trimmed = work / f"{package}.dat"
        run("icupkg", "-r", str(work / "drop.txt"), str(full), str(trimmed))
        kept = run("icupkg", "-l", str(trimmed)).split()
        if len(kept) != len(items) - len(dropped):
            raise SystemExit(f"slim_icu: icupkg kept {len(kept)} items, expected "
                             f"{len(items) - len(dropped)}; left unchanged")
        run("genccode", "-a", "gcc", "-e", f"icudt{version}", "-d", str(work), str(trimmed))
        assembly = work / f"{package}_dat.S"
        rebuilt = work / library.name
        run("gcc", "-shared", "-nostdlib", f"-Wl,-soname,{library.name}", "-Wl,-z,noexecstack",
            "-o", str(rebuilt), str(assembly))
        if symbol not in run("readelf", "--dyn-syms", "-W", str(rebuilt)):
            raise SystemExit(f"slim_icu: rebuilt library lacks {symbol}; left unchanged")
        shutil.copyfile(rebuilt, library)
        print(f"slim_icu: {library.name}: kept {len(kept)} of {len(items)} ICU data items")
    return before, library.stat().st_size


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.split("\n\n")[1].strip(), file=sys.stderr)
        return 2
    bundle = Path(argv[0])
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        print(f"slim_icu: note: {', '.join(missing)} not installed (apt install binutils gcc "
              "icu-devtools); the full ICU data library stays in the bundle")
        return 0
    libraries = sorted(bundle.rglob("libicudata.so.*"))
    libraries = [path for path in libraries if not path.is_symlink()]
    if not libraries:
        print(f"slim_icu: note: no libicudata.so.* under {bundle}; nothing to do")
        return 0
    for library in libraries:
        try:
            before, after = slim(library)
        except (SystemExit, subprocess.CalledProcessError) as exc:
            # a bundle with the full library still works: say why, keep building (the smoke test's size
            # check is what fails then)
            detail = exc.stderr.strip() if isinstance(exc, subprocess.CalledProcessError) else exc.code
            print(f"slim_icu: note: {library.name} left as it is: {detail}")
            continue
        print(f"slim_icu: {library.name}: {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
