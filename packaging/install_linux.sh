#!/usr/bin/env bash
# Add annotator to the Linux desktop: application menu entry, icons, AppStream metadata, and (for the
# bundle) an `annotator` command on PATH. Follows the XDG base directory and icon theme layouts, so it
# works the same on GNOME, KDE, Xfce and others.
#
#   bash install_linux.sh [--bundle DIR] [--prefix PREFIX] [--uninstall]
#
#   --bundle DIR   the unpacked bundle folder (the one holding the `annotator` executable). Default: the
#                  folder this script is in, when it holds a bundle (build_bundle.sh copies the script
#                  there); otherwise a pip install is assumed and the menu entry runs `annotator-gui`.
#   --prefix P     where to install: default ~/.local (just you); /usr/local for everyone (run as root).
#   --uninstall    remove what an earlier run installed under the same prefix.
set -euo pipefail

APP_ID="io.github.annotator.Annotator"
HERE="$(cd "$(dirname "$0")" && pwd)"
PREFIX="$HOME/.local"
BUNDLE=""
UNINSTALL=0
while [ $# -gt 0 ]; do
  case "$1" in
    --bundle) BUNDLE="$(cd "$2" && pwd)"; shift 2 ;;
    --prefix) PREFIX="$2"; shift 2 ;;
    --uninstall) UNINSTALL=1; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "install_linux: unknown option $1" >&2; exit 2 ;;
  esac
done
if [ -z "$BUNDLE" ] && [ -x "$HERE/annotator" ] && [ -d "$HERE/_internal" ]; then
  BUNDLE="$HERE"
fi

if [ "$PREFIX" = "$HOME/.local" ]; then
  DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
else
  DATA="$PREFIX/share"
fi
BIN="$PREFIX/bin"
SIZES="16 24 32 48 64 128 256 512"

installed_files() {
  echo "$DATA/applications/$APP_ID.desktop"
  echo "$DATA/metainfo/$APP_ID.metainfo.xml"
  echo "$DATA/icons/hicolor/scalable/apps/$APP_ID.svg"
  for size in $SIZES; do echo "$DATA/icons/hicolor/${size}x${size}/apps/$APP_ID.png"; done
}

refresh_caches() {  # optional tools: menus pick changes up without them, only later
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$DATA/applications" || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$DATA/icons/hicolor" || true
}

if [ "$UNINSTALL" = 1 ]; then
  installed_files | while read -r file; do rm -f "$file"; done
  if [ -L "$BIN/annotator" ]; then rm -f "$BIN/annotator"; fi
  refresh_caches
  echo "install_linux: removed annotator's menu entry and icons from $PREFIX"
  exit 0
fi

# Where the icons and desktop files come from: the bundle, or this source checkout.
if [ -n "$BUNDLE" ]; then
  RES="$BUNDLE/_internal/annotator/resources"
  [ -x "$BUNDLE/annotator" ] || { echo "install_linux: no annotator executable in $BUNDLE" >&2; exit 1; }
else
  RES="$HERE/../resources"
fi
[ -f "$RES/linux/$APP_ID.desktop" ] || { echo "install_linux: cannot find resources in $RES" >&2; exit 1; }

mkdir -p "$DATA/applications" "$DATA/metainfo" "$DATA/icons/hicolor/scalable/apps"
if [ -n "$BUNDLE" ]; then
  # The desktop file of the source runs `annotator-gui` from PATH (pip installs it); the bundle's
  # executable is `annotator`, which opens the app with the `gui` command. Quoted: paths may hold spaces.
  sed -e "s|^Exec=.*|Exec=\"$BUNDLE/annotator\" gui|" -e "s|^TryExec=.*|TryExec=$BUNDLE/annotator|" \
    "$RES/linux/$APP_ID.desktop" >"$DATA/applications/$APP_ID.desktop"
  mkdir -p "$BIN"
  ln -sfn "$BUNDLE/annotator" "$BIN/annotator"
else
  cp "$RES/linux/$APP_ID.desktop" "$DATA/applications/$APP_ID.desktop"
  command -v annotator-gui >/dev/null 2>&1 \
    || echo "install_linux: note: annotator-gui is not on PATH yet; pip install annotator first" >&2
fi
cp "$RES/linux/$APP_ID.metainfo.xml" "$DATA/metainfo/$APP_ID.metainfo.xml"
cp "$RES/icons/annotator.svg" "$DATA/icons/hicolor/scalable/apps/$APP_ID.svg"
for size in $SIZES; do
  mkdir -p "$DATA/icons/hicolor/${size}x${size}/apps"
  cp "$RES/icons/annotator-$size.png" "$DATA/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
done
refresh_caches

echo "install_linux: installed the menu entry $DATA/applications/$APP_ID.desktop"
if [ -n "$BUNDLE" ]; then
  echo "install_linux: linked $BIN/annotator -> $BUNDLE/annotator"
  case ":$PATH:" in *":$BIN:"*) ;; *) echo "install_linux: add $BIN to PATH to run annotator from a terminal" ;; esac
fi
