#!/usr/bin/env bash
# Build the one-folder desktop bundle with PyInstaller, then report its size on disk and start-up times.
#
#   bash packaging/build_bundle.sh [--archive]
#
# Output: packaging/dist/annotator/ (run packaging/dist/annotator/annotator; on Linux the folder also
# holds install_linux.sh, which adds the menu entry and icons). With --archive also
# packaging/dist/annotator-VERSION-OS-ARCH.tar.gz, the file to hand to users on Linux.
# Environment: PYTHON (default: python3, i.e. the active venv), ANNOTATOR_CODESIGN_IDENTITY (macOS).
# Targets: < 150 MB on disk, < 1.5 s to a rendered main window. They are reported, not enforced: a slow
# CI machine must not fail the build, but the numbers are printed for every run.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
DIST="$ROOT/packaging/dist"
WORK="$ROOT/packaging/build"
ARCHIVE=0
for arg in "$@"; do
  case "$arg" in
    --archive) ARCHIVE=1 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "build_bundle: unknown option $arg" >&2; exit 2 ;;
  esac
done

cd "$ROOT"
if ! "$PYTHON" -m PyInstaller --version >/dev/null 2>&1; then
  echo "build_bundle: installing pyinstaller"
  "$PYTHON" -m pip install -q "pyinstaller>=6.0"
fi
echo "build_bundle: PyInstaller $("$PYTHON" -m PyInstaller --version), $("$PYTHON" --version)"

start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$DIST" --workpath "$WORK" packaging/annotator.spec
echo "build_bundle: built $DIST/annotator in $(( $(date +%s) - start )) s"

BUNDLE="$DIST/annotator"
EXE="$BUNDLE/annotator"
[ -x "$EXE" ] || { echo "build_bundle: FAIL no executable at $EXE" >&2; exit 1; }
if [ "$(uname -s)" = "Linux" ]; then
  # Debug sections: a pyenv- or distro-built libpython carries ~18 MB of them. Only files that have a
  # .debug_info section lose it, with --strip-debug (symbols stay), and never the wheels' vendored
  # *.libs folders: auditwheel's patchelf edits do not survive strip.
  if command -v strip >/dev/null 2>&1 && command -v readelf >/dev/null 2>&1; then
    before=$(du -sm "$BUNDLE" | cut -f1)
    while IFS= read -r -d '' lib; do
      case "$lib" in *.libs/*) continue ;; esac
      if readelf -S "$lib" 2>/dev/null | grep -q '\.debug_info'; then
        strip --strip-debug "$lib" || echo "build_bundle: note: could not strip $lib"
      fi
    done < <(find "$BUNDLE/_internal" -type f \( -name '*.so' -o -name '*.so.*' \) -print0)
    echo "build_bundle: stripped debug sections: ${before} MB -> $(du -sm "$BUNDLE" | cut -f1) MB"
  else
    echo "build_bundle: note: binutils (strip, readelf) not installed; debug sections left in"
  fi
  # Users unpack the archive and run this to get a menu entry, icons and `annotator` on PATH.
  cp packaging/install_linux.sh "$BUNDLE/install_linux.sh"
  chmod +x "$BUNDLE/install_linux.sh"
fi

size_mb=$(du -sm "$BUNDLE" | cut -f1)
files=$(find "$BUNDLE" -type f | wc -l)
verdict=$([ "$size_mb" -lt 150 ] && echo "within" || echo "OVER")
echo "build_bundle: bundle size on disk ${size_mb} MB in ${files} files (${verdict} the 150 MB target)"

# Start-up: wall time of a full run to a painted main window (--screenshot renders it offscreen and
# exits), so it includes Python start, imports, opening/migrating the database and the first paint.
# The first run also creates and migrates the database; the second is what a user sees every day.
measure() {  # "WALL s (cpu C s)" for one run of the command, or "failed"
  local timing
  timing=$( { TIMEFORMAT='%R %U %S'; time "$@" >/dev/null 2>&1; } 2>&1 ) || { echo "failed"; return; }
  # CPU time (user+sys) is printed too because wall time on a busy shared machine says little
  awk '{ printf "%.2f s (cpu %.2f s)", $1, $2 + $3 }' <<<"$timing"
}
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
echo "build_bundle: start-up 'annotator --version': $(measure "$EXE" --version)"
first=$(measure timeout 60 "$EXE" --db "$TMP/s.sqlite3" --screenshot "$TMP/first.png")
warm=$(measure timeout 60 "$EXE" --db "$TMP/s.sqlite3" --screenshot "$TMP/warm.png")
echo "build_bundle: start-up to a rendered window: first run (new database) ${first}, next run ${warm} (target 1.5 s)"
echo "build_bundle: load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"

if [ "$ARCHIVE" = 1 ]; then
  version=$("$EXE" --version | awk '{print $2}')
  name="annotator-${version}-$(uname -s | tr '[:upper:]' '[:lower:]')-$(uname -m).tar.gz"
  tar -C "$DIST" -czf "$DIST/$name" annotator
  echo "build_bundle: archive $DIST/$name ($(du -m "$DIST/$name" | cut -f1) MB)"
fi
