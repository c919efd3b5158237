#!/usr/bin/env bash
# Smoke-test the two ways a user gets annotator, the way a user would run them:
#   1. the wheel: python -m build --wheel, pip install into an empty venv, then run the installed command;
#   2. the PyInstaller bundle (packaging/build_bundle.sh), run with a bare environment (no venv on PATH).
# Each runs: a first start on the default database (samples loaded), --version, imports of a .txt, an HTML
# page and annotation layers made here into temporary databases (this runs the shipped Alembic
# migrations), export, agreement, verify, and --screenshot checked to be a rendered, non-blank window.
# The bundle is also opened on an X server (Xvfb) and its desktop integration installed into a temporary
# prefix. The desktop file and AppStream metadata are validated.
#
#   bash packaging/smoke_test.sh [--wheel-only | --bundle-only]
#
# Prints one PASS/FAIL line per check and exits non-zero when any check failed. PYTHON selects the
# interpreter that builds (default python3: the active venv). Needs network access to PyPI for the
# wheel's dependencies and, if missing, for `build` and `pyinstaller`.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
DO_WHEEL=1
DO_BUNDLE=1
case "${1:-}" in
  "") ;;
  --wheel-only) DO_BUNDLE=0 ;;
  --bundle-only) DO_WHEEL=0 ;;
  *) echo "smoke_test: unknown option $1 (use --wheel-only or --bundle-only)" >&2; exit 2 ;;
esac

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
export QT_QPA_PLATFORM=offscreen
# A fresh home for each thing tested, so no settings or database of the person running this are read or
# changed, and each first start really is a first start.
fresh_home() {
  export HOME="$TMP/home-$1" XDG_DATA_HOME="$TMP/home-$1/data" XDG_CONFIG_HOME="$TMP/home-$1/config" \
         XDG_CACHE_HOME="$TMP/home-$1/cache" XDG_STATE_HOME="$TMP/home-$1/state"
  mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME"
}
# pip keeps its download cache where the real user has it, so repeated runs do not fetch Qt again.
export PIP_CACHE_DIR="${PIP_CACHE_DIR:-$(cd "$ROOT" && "$PYTHON" -m pip cache dir 2>/dev/null || echo "$TMP/pip-cache")}"
# Likewise the bundle's numpy built without BLAS (build_bundle.sh builds it once, in about 3 minutes).
export ANNOTATOR_WHEEL_CACHE="${ANNOTATOR_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/annotator-build/wheels}"
fresh_home setup
unset ANNOTATOR_DB ANNOTATOR_USER

# The bundle carries the X11 (xcb) libraries Qt needs, copied from the build machine, so the build machine
# must have them; the validators and Xvfb make more checks possible. Installed when missing and we can.
APT_WANTED=(libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
            libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 xvfb xauth desktop-file-utils appstream binutils
            icu-devtools gcc g++)
if command -v dpkg >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  apt_missing=()
  for pkg in "${APT_WANTED[@]}"; do dpkg -s "$pkg" >/dev/null 2>&1 || apt_missing+=("$pkg"); done
  if [ ${#apt_missing[@]} -gt 0 ]; then
    echo "smoke_test: apt-get install ${apt_missing[*]}"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${apt_missing[@]}"; } >/dev/null 2>&1 || echo "smoke_test: note: apt-get install failed; checks may fail"
  fi
fi

VERSION="$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/pyproject.toml" | head -n 1)"
passed=0
failed=()

pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1${2:+ -- $2}"; failed+=("$1"); }
# check NAME CMD...: PASS when CMD exits 0; on failure show the last lines it printed.
check() {
  local name="$1" out
  shift
  if out="$("$@" 2>&1)"; then
    pass "$name"
  else
    fail "$name" "$(tail -n 4 <<<"$out" | tr '\n' ' ')"
  fi
}
section() { echo; echo "== $*"; }

# A sample article with non-ASCII text, so decoding and code-point offsets are exercised end to end.
SAMPLE="$TMP/sample"
mkdir -p "$SAMPLE"
cat >"$SAMPLE/smoke-article.txt" <<'EOF'
Smoke test article — café workers

Crews at the smoke-test plant reported shifts of fourteen hours, six days a week.
A supervisor said the rota would change after the inspection in März.
EOF
# An HTML page goes through trafilatura, whose data files the bundle must carry.
cat >"$SAMPLE/smoke-page.html" <<'EOF'
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Harbour crews describe long shifts</title></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Harbour crews describe long shifts</h1>
<p>Dock workers at the smoke-test harbour said their shifts regularly ran to thirteen hours, and that
rest days were cancelled whenever a ship arrived late. Several of them asked not to be named.</p>
<p>A union representative said the crews had raised the matter with management twice this year, without
any change to the rota. The company did not answer questions sent by email.</p>
<p>Inspectors are expected to visit the harbour next month, according to a notice posted at the gate.</p>
</article><footer>Copyright example newsroom</footer></body></html>
EOF

# Two annotators' finished layers on one document: importing them and computing agreement runs the
# JSONL reader and the numpy-based agreement code (the bundle's numpy, built without BLAS, must load).
cat >"$SAMPLE/smoke-layers.jsonl" <<'EOF'
{"doc_id": "smoke-1", "text": "Crews worked fourteen hours a day and two were injured.", "annotator": "ana", "status": "done", "spans": [{"start": 13, "end": 27, "label": "working_hours"}, {"start": 36, "end": 54, "label": "injury"}]}
{"doc_id": "smoke-1", "text": "Crews worked fourteen hours a day and two were injured.", "annotator": "ben", "status": "done", "spans": [{"start": 13, "end": 33, "label": "working_hours"}, {"start": 36, "end": 54, "label": "injury"}]}
EOF

# run_app_checks LABEL CHECK_PYTHON ANNOTATOR_CMD...: the same user-level checks for wheel and bundle.
run_app_checks() {
  local label="$1" check_py="$2"
  shift 2
  local db="$TMP/$label.sqlite3" out
  # First start on the default database (platformdirs' data folder): the shipped samples get loaded.
  if out="$(timeout 120 "$@" --screenshot "$TMP/$label-first-start.png" 2>&1 && "$@" db check 2>&1)" \
      && grep -Eq " [1-9][0-9]* documents" <<<"$out"; then
    pass "$label: first start creates the default database with the sample articles"
  else
    fail "$label: first start creates the default database with the sample articles" "$(tail -n 3 <<<"$out" | tr '\n' ' ')"
  fi
  check "$label: --version prints 'annotator $VERSION'" \
    bash -c '[ "$("$@" --version)" = "annotator '"$VERSION"'" ]' _ "$@"
  if out="$(timeout 120 "$@" --db "$db" import "$SAMPLE/smoke-article.txt" 2>&1)" && grep -q "1 document added" <<<"$out"; then
    pass "$label: import a .txt into a new database (migrations ran)"
  else
    fail "$label: import a .txt into a new database (migrations ran)" "$(tail -n 4 <<<"$out" | tr '\n' ' ')"
  fi
  if out="$(timeout 120 "$@" --db "$db" import "$SAMPLE/smoke-page.html" 2>&1)" && grep -q "1 document added" <<<"$out"; then
    pass "$label: import an HTML page (trafilatura)"
  else
    fail "$label: import an HTML page (trafilatura)" "$(tail -n 4 <<<"$out" | tr '\n' ' ')"
  fi
  local jsonl="$TMP/$label.jsonl"
  if out="$("$@" --db "$db" export -o "$jsonl" 2>&1)" && grep -q "fourteen hours" "$jsonl" \
      && grep -q "März" "$jsonl" && grep -q "thirteen hours" "$jsonl"; then
    pass "$label: export JSONL holds both articles' text"
  else
    fail "$label: export JSONL holds both articles' text" "$(tail -n 4 <<<"$out" | tr '\n' ' ')"
  fi
  local agreement_db="$TMP/$label-agreement.sqlite3"
  if out="$(timeout 120 "$@" --db "$agreement_db" import "$SAMPLE/smoke-layers.jsonl" 2>&1 \
            && timeout 120 "$@" --db "$agreement_db" agreement --json 2>&1)" \
      && grep -q '"span_f1_overlap": 1.0' <<<"$out" && grep -q '"krippendorff_alpha": 0.8' <<<"$out"; then
    pass "$label: import annotation layers and compute agreement (numpy)"
  else
    fail "$label: import annotation layers and compute agreement (numpy)" "$(tail -n 4 <<<"$out" | tr '\n' ' ')"
  fi
  check "$label: verify and db check" bash -c '"$@" verify && "$@" db check' _ "$@" --db "$db"
  local shot="$TMP/$label-window.png"
  if out="$(timeout 120 "$@" --db "$db" --screenshot "$shot" 2>&1)" && [ -s "$shot" ]; then
    check "$label: --screenshot renders a non-blank window" "$check_py" "$ROOT/packaging/check_screenshot.py" "$shot"
  else
    fail "$label: --screenshot renders a non-blank window" "no screenshot written: $(tail -n 3 <<<"$out" | tr '\n' ' ')"
  fi
}

section "desktop integration files"
DESKTOP="$ROOT/resources/linux/io.github.annotator.Annotator.desktop"
METAINFO="$ROOT/resources/linux/io.github.annotator.Annotator.metainfo.xml"
if command -v desktop-file-validate >/dev/null 2>&1; then
  check "desktop file validates" desktop-file-validate "$DESKTOP"
else
  echo "SKIP desktop-file-validate not installed (apt-get install desktop-file-utils)"
fi
if command -v appstreamcli >/dev/null 2>&1; then
  check "AppStream metainfo validates" appstreamcli validate --no-net "$METAINFO"
else
  echo "SKIP appstreamcli not installed (apt-get install appstream)"
fi

if [ "$DO_WHEEL" = 1 ]; then
  section "wheel"
  fresh_home wheel
  if ! "$PYTHON" -m build --version >/dev/null 2>&1; then
    echo "smoke_test: installing build"
    "$PYTHON" -m pip install -q build
  fi
  WHEEL_DIR="$TMP/wheel"
  check "wheel builds" "$PYTHON" -m build --wheel --outdir "$WHEEL_DIR" "$ROOT"
  WHEEL="$(ls "$WHEEL_DIR"/annotator-*.whl 2>/dev/null | head -n 1)"
  if [ -n "$WHEEL" ]; then
    check "wheel holds resources and migrations" "$PYTHON" - "$WHEEL" <<'EOF'
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
need = ["annotator/resources/icons/annotator.svg", "annotator/resources/icons/annotator-256.png",
        "annotator/resources/linux/io.github.annotator.Annotator.desktop",
        "annotator/store/migrations/env.py", "annotator/store/migrations/script.py.mako"]
missing = [n for n in need if n not in names]
if not any(n.startswith("annotator/store/migrations/versions/") and n.endswith(".py") for n in names):
    missing.append("annotator/store/migrations/versions/*.py")
sys.exit(f"missing: {missing}" if missing else 0)
EOF
    VENV="$TMP/venv"
    if "$PYTHON" -m venv "$VENV" && timeout 420 "$VENV/bin/python" -m pip install -q --disable-pip-version-check "$WHEEL"; then
      pass "wheel installs into an empty venv"
      run_app_checks wheel "$VENV/bin/python" "$VENV/bin/annotator"
    else
      fail "wheel installs into an empty venv"
    fi
  else
    fail "wheel installs into an empty venv" "no wheel was built"
  fi
fi

if [ "$DO_BUNDLE" = 1 ]; then
  section "PyInstaller bundle"
  fresh_home bundle
  BUNDLE="$ROOT/packaging/dist/annotator"
  if PYTHON="$PYTHON" bash "$ROOT/packaging/build_bundle.sh"; then
    pass "bundle builds"
    check "bundle holds resources and migrations" test -f "$BUNDLE/_internal/annotator/resources/icons/annotator.svg" \
      -a -f "$BUNDLE/_internal/annotator/store/migrations/env.py" \
      -a -f "$BUNDLE/_internal/annotator/store/migrations/script.py.mako" \
      -a -d "$BUNDLE/_internal/annotator/store/migrations/versions"
    sync "$BUNDLE" 2>/dev/null || sync
    bundle_mb=$(du -sm "$BUNDLE" | cut -f1)
    check "bundle is under 150 MB on disk (${bundle_mb} MB)" test "$bundle_mb" -lt 150
    CHECK_PY="$PYTHON"
    [ -x "${VENV:-}/bin/python" ] && CHECK_PY="$VENV/bin/python"
    # A bare environment: nothing from the build venv on PATH or PYTHONPATH, as on a user's machine.
    run_app_checks bundle "$CHECK_PY" env -i HOME="$HOME" XDG_DATA_HOME="$XDG_DATA_HOME" \
      XDG_CONFIG_HOME="$XDG_CONFIG_HOME" XDG_CACHE_HOME="$XDG_CACHE_HOME" XDG_STATE_HOME="$XDG_STATE_HOME" \
      PATH=/usr/bin:/bin LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen "$BUNDLE/annotator"
    # Team mode: the bundled PostgreSQL driver (psycopg with its own libpq) must load and try to connect;
    # a closed local port answers "connection refused", a missing driver "its driver is not installed".
    out="$(env -i HOME="$HOME" PATH=/usr/bin:/bin "$BUNDLE/annotator" --db postgresql://smoke@127.0.0.1:9/none verify 2>&1)"
    if grep -qi "connection refused" <<<"$out"; then
      pass "bundle: PostgreSQL driver loads and connects"
    else
      fail "bundle: PostgreSQL driver loads and connects" "$(tail -n 2 <<<"$out" | tr '\n' ' ')"
    fi
    # Offscreen proves little about a real desktop: the xcb plugin's libraries must all be in the bundle
    # or on every desktop (libc, GL), and a window must come up on a real X server.
    XCB_PLUGIN="$BUNDLE/_internal/PySide6/Qt/plugins/platforms/libqxcb.so"
    if [ -f "$XCB_PLUGIN" ] && unresolved="$(LD_LIBRARY_PATH="$BUNDLE/_internal" ldd "$XCB_PLUGIN" 2>&1 | grep "not found")"; then
      fail "bundle: X11 (xcb) platform plugin's libraries resolve" "$(tr -s ' \t\n' ' ' <<<"$unresolved")"
    elif [ -f "$XCB_PLUGIN" ]; then
      pass "bundle: X11 (xcb) platform plugin's libraries resolve"
    else
      fail "bundle: X11 (xcb) platform plugin's libraries resolve" "no $XCB_PLUGIN"
    fi
    if command -v xvfb-run >/dev/null 2>&1; then
      xshot="$TMP/bundle-x11.png"
      # shellcheck disable=SC2016  # $DISPLAY and $XAUTHORITY are set by xvfb-run inside the inner shell
      if out="$(timeout 120 xvfb-run -a -s "-screen 0 1280x800x24" bash -c 'env -i HOME="$1" PATH=/usr/bin:/bin \
            LANG=C.UTF-8 DISPLAY="$DISPLAY" XAUTHORITY="$XAUTHORITY" QT_QPA_PLATFORM=xcb \
            "$2" --db "$3" --screenshot "$4"' _ "$HOME" "$BUNDLE/annotator" "$TMP/bundle.sqlite3" "$xshot" 2>&1)" \
          && [ -s "$xshot" ]; then
        check "bundle: window renders on an X server (Xvfb, xcb)" "$CHECK_PY" "$ROOT/packaging/check_screenshot.py" "$xshot"
      else
        fail "bundle: window renders on an X server (Xvfb, xcb)" "$(tail -n 3 <<<"$out" | tr '\n' ' ')"
      fi
    else
      echo "SKIP xvfb-run not installed: the bundle was not tried on an X server"
    fi
    # The desktop integration a user installs from the unpacked bundle, into a throw-away prefix.
    PREFIX_DIR="$TMP/prefix"
    if out="$(bash "$BUNDLE/install_linux.sh" --prefix "$PREFIX_DIR" 2>&1)" \
        && [ -f "$PREFIX_DIR/share/icons/hicolor/256x256/apps/io.github.annotator.Annotator.png" ] \
        && [ "$("$PREFIX_DIR/bin/annotator" --version)" = "annotator $VERSION" ] \
        && grep -q "^Exec=\"$BUNDLE/annotator\" gui$" "$PREFIX_DIR/share/applications/io.github.annotator.Annotator.desktop" \
        && { ! command -v desktop-file-validate >/dev/null 2>&1 \
             || desktop-file-validate "$PREFIX_DIR/share/applications/io.github.annotator.Annotator.desktop"; }; then
      pass "bundle: install_linux.sh installs menu entry, icons and command"
    else
      fail "bundle: install_linux.sh installs menu entry, icons and command" "$(tail -n 3 <<<"$out" | tr '\n' ' ')"
    fi
  else
    fail "bundle builds"
  fi
fi

echo
if [ ${#failed[@]} -eq 0 ]; then
  echo "smoke_test: PASS, all $passed checks"
  exit 0
fi
echo "smoke_test: FAIL, ${#failed[@]} of $((passed + ${#failed[@]})) checks failed:"
printf '  - %s\n' "${failed[@]}"
exit 1
