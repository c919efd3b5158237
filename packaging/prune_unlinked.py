"""Remove shared libraries from a Linux bundle that nothing in the bundle links to (about 8 MB).

    python packaging/prune_unlinked.py packaging/dist/annotator

Why they are there: PyInstaller collects the link dependencies of every binary it analyses, including
binaries the spec then drops (Qt's GTK platform theme, which alone brings GIO, HarfBuzz, Kerberos, libmount
and a dozen X extension libraries). Dropping a binary does not drop what it brought.

What counts as used: every Python extension module, every Qt plugin (Qt loads plugins with dlopen) and
libpython are roots; a library stays if a root needs it, directly or through other libraries (DT_NEEDED,
read with readelf). Only the bundle's top folder and Qt's lib folder are pruned: the wheels' own vendored
``*.libs`` folders are left as they are. Libraries that are loaded with dlopen by name rather than linked
would look unused, so they are listed in DLOPENED and always stay.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

# Loaded at run time by name (dlopen), so no DT_NEEDED entry points at them. None are in the bundle today;
# the list is where to add one if a future dependency does that.
DLOPENED: frozenset[str] = frozenset()


def needed(library: Path) -> list[str]:
    """The sonames `library` links against (its DT_NEEDED entries)."""
    out = subprocess.run(["readelf", "-d", "-W", str(library)], capture_output=True, text=True).stdout
    return [line.split("[", 1)[1].rstrip("]") for line in out.splitlines() if "(NEEDED)" in line]


def is_root(path: Path, internal: Path) -> bool:
    relative = path.relative_to(internal).as_posix()
    return (".cpython-" in path.name or ".abi3.so" in path.name or "/plugins/" in relative
            or path.name.startswith("libpython") or path.name in DLOPENED)


def unlinked(internal: Path) -> list[Path]:
    """Libraries in the prunable folders that no root reaches."""
    binaries = [path for path in internal.rglob("*.so*") if path.is_file() and not path.is_symlink()]
    by_name: dict[str, Path] = {}
    for path in binaries:
        by_name.setdefault(path.name, path)
    reached: set[Path] = set()
    pending = [path for path in binaries if is_root(path, internal)]
    while pending:
        path = pending.pop()
        if path in reached:
            continue
        reached.add(path)
        pending.extend(by_name[name] for name in needed(path) if name in by_name)
    prunable_dirs = {internal, internal / "PySide6" / "Qt" / "lib"}
    return sorted(path for path in binaries if path not in reached and path.parent in prunable_dirs)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.split("\n\n")[1].strip(), file=sys.stderr)
        return 2
    internal = Path(argv[0]) / "_internal"
    if shutil.which("readelf") is None:
        print("prune_unlinked: note: readelf (binutils) not installed; unlinked libraries stay")
        return 0
    if not internal.is_dir():
        print(f"prune_unlinked: {internal} is not a bundle's _internal folder", file=sys.stderr)
        return 2
    removed = unlinked(internal)
    total = 0
    for path in removed:
        total += path.stat().st_size
        # the versionless names PyInstaller may add as symlinks go with their library
        for link in path.parent.glob(path.name.split(".so")[0] + ".so*"):
            if link.is_symlink() and link.resolve() == path.resolve():
                link.unlink()
        path.unlink()
    names = ", ".join(path.name for path in removed) or "none"
    print(f"prune_unlinked: removed {len(removed)} libraries nothing links to ({total / 1e6:.1f} MB): {names}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
