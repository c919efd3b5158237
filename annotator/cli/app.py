"""``annotator`` / ``annotator gui`` / ``annotator --screenshot``: start the desktop app.

Its own module so that PySide6 is imported only here, when a window is really opened.
"""

from __future__ import annotations

import argparse


def run_gui(args: argparse.Namespace) -> int:
    from annotator.ui.shell.app import run_app

    return run_app(db=args.db, annotator=args.annotator, screenshot=args.screenshot, doc=args.doc,
                   read_only=args.read_only, size=args.size, view=args.view, theme=args.theme)
