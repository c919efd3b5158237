"""``annotator`` / ``annotator gui`` / ``annotator --screenshot``: start the desktop app.

Its own module so that PySide6 is imported only here, when a window is really opened. Before Qt is
touched it checks that there is a display to open a window on: without one, Qt's xcb plugin aborts the
interpreter with a plugin message and a core dump, which tells an analyst on a server nothing useful.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping

from annotator.cli.common import EXIT_USAGE

NO_DISPLAY = ("annotator: no display found — run it in a desktop session, use QT_QPA_PLATFORM=offscreen "
              "for --screenshot, or the command-line commands (annotator --help)")
_DISPLAY_PLATFORMS = ("xcb", "wayland")
"""Qt platforms that need a display server; any other (offscreen, minimal, vnc, eglfs, …) is left alone."""


def display_missing(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """True when Qt would look for a display server and there is none (Linux only).

    ``QT_QPA_PLATFORM`` may name one platform or a ``;``-separated fallback list, each with ``:options``;
    only when every platform it names is xcb or wayland (or it is unset, so Qt picks one of them) does a
    missing ``DISPLAY`` and ``WAYLAND_DISPLAY`` mean the app cannot start.
    """
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux"):
        return False
    if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return False
    chosen = [p.split(":", 1)[0].strip().lower() for p in environ.get("QT_QPA_PLATFORM", "").split(";")]
    chosen = [p for p in chosen if p]
    return all(p.startswith(_DISPLAY_PLATFORMS) for p in chosen)


def run_gui(args: argparse.Namespace) -> int:
    if display_missing():
        print(NO_DISPLAY, file=sys.stderr)
        return EXIT_USAGE
    from annotator.ui.shell.app import run_app

    return run_app(db=args.db, annotator=args.annotator, screenshot=args.screenshot, doc=args.doc,
                   read_only=args.read_only, size=args.size, view=args.view, theme=args.theme)
