#!/usr/bin/env bash
# Build the one-folder desktop bundle with PyInstaller, then report its size on disk and start-up times.
#
#   bash packaging/build_bundle.sh [--archive]
#
# Output: packaging/dist/annotator/ (run packaging/dist/annotator/annotator; on Linux the folder also
# holds install_linux.sh, which adds the menu entry and icons). With --archive also
# packaging/dist/annotator-VERSION-OS-ARCH.tar.gz, the file to hand to users on Linux.
# Environment: PYTHON (default: python3) creates the build environment; ANNOTATOR_CODESIGN_IDENTITY (macOS);
# ANNOTATOR_BUNDLE_POSTGRES=0 leaves PostgreSQL support out; ANNOTATOR_BUNDLE_NUMPY=wheel keeps PyPI's numpy
# (with OpenBLAS) instead of building one without BLAS; ANNOTATOR_WHEEL_CACHE: where that numpy build is kept.
# Targets: < 150 MB on disk, < 1.5 s to a rendered main window, both printed on every run. smoke_test.sh
# fails a bundle over the size; start-up is only reported (a busy CI machine must not fail the build).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
DIST="$ROOT/packaging/dist"
WORK="$ROOT/packaging/build"
ARCHIVE=0
for arg in "$@"; do
  case "$arg" in
    --archive) ARCHIVE=1 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "build_bundle: unknown option $arg" >&2; exit 2 ;;
  esac
done

cd "$ROOT"
# The build environment: a virtual environment of its own holding what a user's install holds (the project,
# its PostgreSQL extra, PyInstaller) and nothing from a development one (pytest, spaCy, the scientific
# stack the tests cross-check against), which PyInstaller would otherwise find and could bundle.
VENV="$WORK/venv"
VPY="$VENV/bin/python"
if [ ! -x "$VPY" ]; then
  echo "build_bundle: creating the build environment $VENV"
  "$PYTHON" -m venv "$VENV"
  "$VPY" -m pip install -q --disable-pip-version-check --upgrade pip
fi
# the model extra (python-crfsuite, ~1 MB) is always bundled: suggestions learned from labels need no setup
project="$ROOT[model]"
[ "${ANNOTATOR_BUNDLE_POSTGRES:-1}" = 0 ] || project="$ROOT[postgres,model]"
echo "build_bundle: installing the project and PyInstaller into the build environment"
"$VPY" -m pip install -q --disable-pip-version-check "$project" "pyinstaller>=6.0"

# numpy: PyPI's wheels carry OpenBLAS and gfortran (27 MB) for fast linear algebra, which annotator never
# needs (its agreement maths counts and sums small tables). Unless ANNOTATOR_BUNDLE_NUMPY=wheel, the same
# numpy version is built from source without BLAS (about 3 minutes on two cores, once: the wheel is kept in
# the cache) and replaces PyPI's in the build environment. No compiler or no network: PyPI's numpy stays.
numpy_blas() {  # the BLAS numpy was built with, as numpy itself reports it ("none" for ours)
  "$VPY" -c 'import numpy; print(numpy.show_config(mode="dicts")["Build Dependencies"]["blas"]["name"])' \
    2>/dev/null || echo unknown
}
if [ "${ANNOTATOR_BUNDLE_NUMPY:-noblas}" != wheel ]; then
  WHEEL_CACHE="${ANNOTATOR_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/annotator-build/wheels}"
  numpy_version=$("$VPY" -c 'import numpy; print(numpy.__version__)')
  noblas_dir="$WHEEL_CACHE/numpy-$numpy_version-noblas"
  if ! ls "$noblas_dir"/numpy-*.whl >/dev/null 2>&1; then
    echo "build_bundle: building numpy $numpy_version without BLAS (once; kept in $noblas_dir)"
    mkdir -p "$noblas_dir"
    "$VPY" -m pip wheel -q --disable-pip-version-check --no-deps --no-binary numpy "numpy==$numpy_version" \
      -w "$noblas_dir" -Csetup-args=-Dallow-noblas=true -Csetup-args=-Dblas=none -Csetup-args=-Dlapack=none \
      || echo "build_bundle: note: numpy could not be built without BLAS; PyPI's numpy (OpenBLAS) is bundled"
  fi
  if ls "$noblas_dir"/numpy-*.whl >/dev/null 2>&1; then
    "$VPY" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$noblas_dir"/numpy-*.whl
  fi
elif [ "$(numpy_blas)" = none ]; then
  # a build environment that an earlier run gave the BLAS-free numpy: put PyPI's back
  "$VPY" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps --only-binary numpy \
    "numpy==$("$VPY" -c 'import numpy; print(numpy.__version__)')"
fi
echo "build_bundle: numpy $("$VPY" -c 'import numpy; print(numpy.__version__)') with BLAS: $(numpy_blas)"
echo "build_bundle: PyInstaller $("$VPY" -m PyInstaller --version), $("$VPY" --version)"

start=$(date +%s)
"$VPY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$DIST" --workpath "$WORK" packaging/annotator.spec
echo "build_bundle: built $DIST/annotator in $(( $(date +%s) - start )) s"

BUNDLE="$DIST/annotator"
EXE="$BUNDLE/annotator"
[ -x "$EXE" ] || { echo "build_bundle: FAIL no executable at $EXE" >&2; exit 1; }
if [ "$(uname -s)" = "Linux" ]; then
  # Qt's ICU data library holds every locale's names and 200 code pages that Qt never reads (see the script)
  "$VPY" packaging/slim_icu.py "$BUNDLE"
  # libraries brought in only by binaries the spec dropped (the GTK theme's GIO, Kerberos, X extensions)
  "$VPY" packaging/prune_unlinked.py "$BUNDLE"
  # Debug sections: a pyenv- or distro-built libpython carries ~18 MB of them. Only files that have a
  # .debug_info section lose it, with --strip-debug (symbols stay), and never the wheels' vendored
  # *.libs folders: auditwheel's patchelf edits do not survive strip.
  if command -v strip >/dev/null 2>&1 && command -v readelf >/dev/null 2>&1; then
    before=$(du -sm "$BUNDLE" | cut -f1)
    while IFS= read -r -d '' lib; do
      case "$lib" in *.libs/*) continue ;; esac
      # grep reads all of readelf's output (no -q): with pipefail, a grep that quits at the first match
      # can kill readelf with SIGPIPE, fail the pipeline and so skip the strip at random
      if readelf -S "$lib" 2>/dev/null | grep '\.debug_info' >/dev/null; then
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

# Flushed first: right after strip rewrote files, du can count blocks the file system has not settled yet.
sync "$BUNDLE" 2>/dev/null || sync
size_mb=$(du -sm "$BUNDLE" | cut -f1)
apparent_mb=$(du -sm --apparent-size "$BUNDLE" 2>/dev/null | cut -f1 || echo "?")
files=$(find "$BUNDLE" -type f | wc -l)
verdict=$([ "$size_mb" -lt 150 ] && echo "within" || echo "OVER")
echo "build_bundle: bundle size on disk ${size_mb} MB (${apparent_mb} MB of file contents) in ${files} files" \
     "(${verdict} the 150 MB target)"

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
