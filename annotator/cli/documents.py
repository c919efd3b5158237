"""``annotator import``, ``export`` and ``verify``: moving documents and annotation layers in and out of a
store and checking every stored quote, with the summary lines and exit codes the README promises.

The store does the work (``store.importing``, ``store.exporting``, ``repository.verify_quotes``); this
module only turns its results into lines on stdout/stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from annotator.cli.common import (
    EXIT_ERROR,
    EXIT_MISMATCH,
    EXIT_OK,
    ProgressLine,
    is_existing_sqlite,
    open_from_args,
)
from annotator.core.errors import AnnotatorError, printable
from annotator.core.wording import plural


def run_import(args: argparse.Namespace) -> int:
    from annotator.config import acting_annotator
    from annotator.store.importing import import_paths

    store = open_from_args(args, stores=True)
    progress = ProgressLine()
    try:
        summary = import_paths(
            store,
            args.paths,
            annotator=args.annotator or acting_annotator(None),
            skip_bad=args.skip_bad,
            add_labels=args.add_labels,
            format_name=args.format_name,
            progress=progress,
        )
    finally:
        progress.close()
        store.close()
    if not args.quiet:
        for notice in summary.notices:
            print(f"note: {printable(notice)}", file=sys.stderr)
        for skipped in summary.skipped_records:
            print(f"skipped: {printable(skipped)}", file=sys.stderr)
    for refused in summary.refused:
        print(f"annotator: {printable(refused)}", file=sys.stderr)
    print(summary.describe())
    return EXIT_ERROR if summary.refused else EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from annotator.core.model import GOLD_ANNOTATOR
    from annotator.store.exporting import export_to

    annotators = list(args.annotators or [])
    if args.gold:
        annotators.append(GOLD_ANNOTATOR)
    to_stdout = args.output == "-"
    if to_stdout:
        from annotator.core.formats.base import get_format

        if get_format(args.format_name).writes_directory:
            raise AnnotatorError(f"the {args.format_name} format writes a folder, which standard output cannot "
                                 "hold; give a folder with -o")
    store = open_from_args(args, read_only=False, must_exist=True)
    try:
        with _export_target(args.output) as out:
            report = export_to(store, out, args.format_name, annotators,
                               only_annotated=args.only_annotated or args.gold, conll_comments=args.conll_comments)
            if to_stdout:
                _copy_to_stdout(out)
    finally:
        store.close()
    for problem in report.problems:
        print(f"note: {printable(problem)}", file=sys.stderr)
    where = "standard output" if to_stdout else str(out)
    # with -o - the export itself is on stdout, so the summary goes to stderr
    dropped = f"; {report.dropped_summary()}" if report.dropped else ""  # what the format has no place for
    print(f"exported {plural(report.documents, 'document')}, {plural(report.spans, 'span')} to {where} "
          f"({args.format_name}){dropped}", file=sys.stderr if to_stdout else sys.stdout)
    return EXIT_OK


@contextlib.contextmanager
def _export_target(output: str) -> Iterator[Path]:
    """The path to export to: ``output`` itself, or for ``-`` a file in a temporary folder that is copied
    to standard output (the export is written whole first, so a failure never leaves half a file in a
    pipe) and removed afterwards."""
    if output != "-":
        yield Path(output)
        return
    from annotator.store.exporting import sweep_stale

    # The folder's name carries this process's id, so one left by a killed export is removed next time.
    prefix = "annotator-export-"
    sweep_stale(Path(tempfile.gettempdir()), prefix)
    with tempfile.TemporaryDirectory(prefix=f"{prefix}{os.getpid()}-") as folder:
        yield Path(folder) / "export"


def _copy_to_stdout(path: Path) -> None:
    try:
        with path.open("rb") as source:
            shutil.copyfileobj(source, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        # the reader stopped early (``| head``): that is its choice, not an error; keep Python from
        # complaining when it flushes stdout at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def run_verify(args: argparse.Namespace) -> int:
    from sqlalchemy import func, select

    from annotator.store import repository as repo
    from annotator.store.models import Span

    store = open_from_args(args, read_only=True) if is_existing_sqlite(args.db) else open_from_args(args, must_exist=True)
    bad = 0
    checked = 0
    try:
        with store.session() as session:
            for mismatch in repo.verify_quotes(session):
                bad += 1
                print(
                    f"{mismatch.doc_id} [{mismatch.annotator}] span {mismatch.span_id} "
                    f"{mismatch.start}-{mismatch.end}: stored {mismatch.stored_quote!r}, text has {mismatch.actual!r}"
                )
            checked = session.scalar(select(func.count(Span.id))) or 0
    finally:
        store.close()
    if bad:
        print(f"annotator: {bad} of {checked} spans do not match their documents", file=sys.stderr)
        return EXIT_MISMATCH
    print(f"verified {checked} spans: every quote matches its document")
    return EXIT_OK
