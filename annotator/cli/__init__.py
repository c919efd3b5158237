"""The command line (docs/architecture.md §5): ``main`` and ``gui_main``, the entry points of ``annotator`` and
``annotator-gui``. Every input problem ends as one line on stderr and a non-zero exit.

This package holds the argparse tree (``parser``) and one small module per command group; a handler
module is imported only when its command runs, and the heavy libraries (SQLAlchemy, Alembic, numpy,
trafilatura, Qt) only inside the handlers, so ``--version`` and ``--help`` start in a few tens of
milliseconds and scripted imports and exports run on machines without a display.
``tests/cli/test_startup.py`` fails if a top-level import breaks that.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import import_module

from annotator.cli.common import EXIT_ERROR, EXIT_MISMATCH, EXIT_OK, EXIT_USAGE
from annotator.core.errors import AnnotatorError, printable

__all__ = ["EXIT_ERROR", "EXIT_MISMATCH", "EXIT_OK", "EXIT_USAGE", "gui_main", "main"]

# command -> (module, handler); the module is imported when the command runs
_HANDLERS = {
    "gui": ("annotator.cli.app", "run_gui"),
    "import": ("annotator.cli.documents", "run_import"),
    "export": ("annotator.cli.documents", "run_export"),
    "verify": ("annotator.cli.documents", "run_verify"),
    "agreement": ("annotator.cli.agreement", "run_agreement"),
    "scheme": ("annotator.cli.scheme", "run_scheme"),
    "db": ("annotator.cli.database", "run_db"),
    "train": ("annotator.cli.model", "run_train"),
    "suggest": ("annotator.cli.model", "run_suggest"),
    "patterns": ("annotator.cli.model", "run_patterns"),
    "report": ("annotator.cli.report", "run_report"),
    "assign": ("annotator.cli.team", "run_assign"),
    "assignments": ("annotator.cli.team", "run_assignments"),
    "blind": ("annotator.cli.team", "run_blind"),
    "review": ("annotator.cli.team", "run_review"),
}
# Bulk commands: no automatic garbage-collector passes while SQLAlchemy loads and rows stream
# (~0.04 s of start-up alone); see annotator/core/gc_pause.py.
_BULK = frozenset({"import", "export"})


def main(argv: Sequence[str] | None = None) -> int:
    from annotator.cli.parser import build_parser

    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.screenshot and (args.size is not None or args.view != "main"):
        parser.error("--size and --view go with --screenshot PNG")
    try:
        return _dispatch(args)
    except AnnotatorError as exc:
        print(f"annotator: {printable(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("annotator: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_ERROR


def gui_main() -> int:
    """Entry point of the windowed launcher (no console on Windows); opening the app is the default."""
    return main(sys.argv[1:])


def _dispatch(args: argparse.Namespace) -> int:
    command = "gui" if args.screenshot else (args.command or "gui")
    module, name = _HANDLERS[command]
    handler = getattr(import_module(module), name)
    if command in _BULK:
        from annotator.core.gc_pause import collecting_between_batches

        with collecting_between_batches():
            return handler(args)
    return handler(args)
