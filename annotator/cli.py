"""The command line (DESIGN §5). Every input problem ends as one line on stderr and a non-zero exit.

Qt is imported only by the commands that open a window, so scripted imports and exports start fast and
run on machines without a display.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from annotator import __version__
from annotator.core.errors import AnnotatorError
from annotator.core.model import ROLES

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_MISMATCH = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"annotator: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    db_help = "database file or SQLAlchemy URL (env ANNOTATOR_DB)"
    # SUPPRESS: a subcommand's own --db must not overwrite `annotator --db X import ...` with its default.
    common.add_argument("--db", metavar="URL_OR_PATH", default=argparse.SUPPRESS, help=db_help)
    parser = _Parser(prog="annotator", description="Source-grounded tagging of news articles.")
    parser.add_argument("--db", metavar="URL_OR_PATH", default=None, help=db_help)
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    parser.add_argument("--screenshot", metavar="PNG", help="render the main window to a PNG and exit")
    parser.add_argument("--doc", metavar="ID", help="with --screenshot: the document to show")
    parser.add_argument("--annotator", metavar="NAME", help="who is annotating (env ANNOTATOR_USER)")
    parser.add_argument("--read-only", action="store_true", help="open the database without writing to it")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    sub.add_parser("gui", parents=[common], help="open the desktop app (the default)")

    p = sub.add_parser("import", parents=[common], help="import documents and annotation layers")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--annotator", metavar="NAME", default=argparse.SUPPRESS, help="annotator for spans that name none")
    p.add_argument("--format", dest="format_name", metavar="F", help="read files as this format (default: detect)")
    p.add_argument("--skip-bad", action="store_true", help="skip bad records instead of refusing the file")
    p.add_argument("--add-labels", action="store_true", help="add unknown labels to the scheme")
    p.add_argument("--quiet", action="store_true", help="print only the summary and errors")

    p = sub.add_parser("export", parents=[common], help="export documents and annotations")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="the file (or, for brat, folder) to write; - writes to standard output")
    p.add_argument("--format", dest="format_name", default="jsonl", metavar="F",
                   help="jsonl (default), prodigy, doccano, doccano-entities, doccano-utf16, label-studio, brat, "
                   "w3c, conll, spacy, csv")
    p.add_argument("--annotator", action="append", dest="annotators", metavar="NAME", help="only these layers")
    p.add_argument("--gold", action="store_true", help="only the curated gold layer")
    p.add_argument("--only-annotated", action="store_true", help="leave out documents without a layer")

    p = sub.add_parser("verify", parents=[common], help="check every span's quote against its document")

    p = sub.add_parser("agreement", parents=[common], help="inter-annotator agreement")
    p.add_argument("--annotator", action="append", dest="annotators", metavar="NAME")
    p.add_argument("--label", action="append", dest="labels", metavar="KEY")
    p.add_argument("--include-in-progress", action="store_true", help="also documents not yet marked done")
    p.add_argument("--exclude-whitespace", action="store_true", help="do not count whitespace characters")
    p.add_argument("--json", action="store_true", help="print the JSON object of DESIGN §6")
    p.add_argument("--html", metavar="OUT", help="write a self-contained HTML report")

    p = sub.add_parser("scheme", parents=[common], help="export or import the tag scheme as JSON")
    scheme_sub = p.add_subparsers(dest="scheme_command", required=True, parser_class=_Parser)
    q = scheme_sub.add_parser("export", parents=[common])
    q.add_argument("-o", "--output", required=True, metavar="OUT")
    q = scheme_sub.add_parser("import", parents=[common])
    q.add_argument("path", metavar="SCHEME_JSON")

    p = sub.add_parser("db", parents=[common], help="database maintenance")
    db_sub = p.add_subparsers(dest="db_command", required=True, parser_class=_Parser)
    q = db_sub.add_parser("backup", parents=[common], help="copy the SQLite database (online backup)")
    q.add_argument("output", metavar="OUT")
    db_sub.add_parser("check", parents=[common], help="integrity and schema check")
    q = db_sub.add_parser("copy", parents=[common], help="copy the whole store into an empty database, or back")
    where = q.add_mutually_exclusive_group(required=True)
    where.add_argument("--to", metavar="URL_OR_PATH", help="copy the --db store into this empty database")
    where.add_argument("--from", dest="from_", metavar="URL_OR_PATH", help="copy this database into the empty --db store")
    q = db_sub.add_parser("role", parents=[common], help="give an annotator a role (admins only)")
    q.add_argument("name", metavar="NAME")
    q.add_argument("role", metavar="ROLE", choices=ROLES)
    q.add_argument("--annotator", metavar="NAME", default=argparse.SUPPRESS, help="who is acting (an admin)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except AnnotatorError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
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
    command = args.command or "gui"
    if command == "gui" or args.screenshot:
        from annotator.ui.shell.app import run_app

        return run_app(db=args.db, annotator=args.annotator, screenshot=args.screenshot, doc=args.doc,
                       read_only=args.read_only)
    handler = {
        "import": _cmd_import,
        "export": _cmd_export,
        "verify": _cmd_verify,
        "agreement": _cmd_agreement,
        "scheme": _cmd_scheme,
        "db": _cmd_db,
    }[command]
    if command in ("import", "export"):
        # Bulk commands: no automatic garbage-collector passes while SQLAlchemy loads and rows stream
        # (~0.04 s of start-up alone); see annotator/core/gc_pause.py.
        from annotator.core.gc_pause import collecting_between_batches

        with collecting_between_batches():
            return handler(args)
    return handler(args)


def _open(args: argparse.Namespace, *, read_only: bool = False, must_exist: bool = False):  # type: ignore[no-untyped-def]
    from annotator.store.database import open_store

    return open_store(args.db, read_only=read_only or getattr(args, "read_only", False), must_exist=must_exist)


class _ProgressLine:
    """A one-line progress indicator on stderr, shown only when stderr is a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.last = ""

    def __call__(self, fraction: float, message: str) -> None:
        if not self.enabled:
            return
        width = 30
        filled = int(width * max(0.0, min(1.0, fraction)))
        line = f"\r[{'#' * filled}{'.' * (width - filled)}] {fraction:4.0%} {message[:60]:<60}"
        if line != self.last:
            sys.stderr.write(line)
            sys.stderr.flush()
            self.last = line

    def close(self) -> None:
        if self.enabled and self.last:
            sys.stderr.write("\r" + " " * len(self.last) + "\r")
            sys.stderr.flush()


def _cmd_import(args: argparse.Namespace) -> int:
    from annotator.config import acting_annotator
    from annotator.store.importing import import_paths

    store = _open(args)
    progress = _ProgressLine()
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
            print(f"note: {notice}", file=sys.stderr)
        for skipped in summary.skipped_records:
            print(f"skipped: {skipped}", file=sys.stderr)
    for refused in summary.refused:
        print(f"annotator: {refused}", file=sys.stderr)
    print(summary.describe())
    return EXIT_ERROR if summary.refused else EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
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
    store = _open(args, read_only=False, must_exist=True)
    try:
        with _export_target(args.output) as out:
            report = export_to(store, out, args.format_name, annotators,
                               only_annotated=args.only_annotated or args.gold)
            if to_stdout:
                _copy_to_stdout(out)
    finally:
        store.close()
    for problem in report.problems:
        print(f"note: {problem}", file=sys.stderr)
    documents = f"{report.documents} document{'' if report.documents == 1 else 's'}"
    spans = f"{report.spans} span{'' if report.spans == 1 else 's'}"
    where = "standard output" if to_stdout else str(out)
    # with -o - the export itself is on stdout, so the summary goes to stderr
    print(f"exported {documents}, {spans} to {where} ({args.format_name})", file=sys.stderr if to_stdout else sys.stdout)
    return EXIT_OK


@contextlib.contextmanager
def _export_target(output: str) -> Iterator[Path]:
    """The path to export to: ``output`` itself, or for ``-`` a file in a temporary folder that is copied
    to standard output (the export is written whole first, so a failure never leaves half a file in a
    pipe) and removed afterwards."""
    if output != "-":
        yield Path(output)
        return
    with tempfile.TemporaryDirectory(prefix="annotator-export-") as folder:
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


def _cmd_verify(args: argparse.Namespace) -> int:
    from annotator.store import repository as repo

    store = _open(args, read_only=True) if _is_existing_sqlite(args.db) else _open(args, must_exist=True)
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
            from sqlalchemy import func, select

            from annotator.store.models import Span

            checked = session.scalar(select(func.count(Span.id))) or 0
    finally:
        store.close()
    if bad:
        print(f"annotator: {bad} of {checked} spans do not match their documents", file=sys.stderr)
        return EXIT_MISMATCH
    print(f"verified {checked} spans: every quote matches its document")
    return EXIT_OK


def _is_existing_sqlite(db: str | None) -> bool:
    from annotator.store.database import resolve_url

    url = resolve_url(db)
    return url.startswith("sqlite:///") and Path(url[len("sqlite:///"):]).exists()


def _cmd_agreement(args: argparse.Namespace) -> int:
    from annotator.store.agreement_scope import run_agreement_command

    return run_agreement_command(args)


def _cmd_scheme(args: argparse.Namespace) -> int:
    from annotator.core.scheme import Scheme
    from annotator.store import repository as repo

    store = _open(args)
    try:
        if args.scheme_command == "export":
            with store.session() as session:
                scheme = repo.get_scheme(session)
            out = Path(args.output)
            try:
                out.write_text(scheme.to_json(), encoding="utf-8")
            except OSError as exc:
                raise AnnotatorError(f"cannot write ({exc.strerror or exc})", path=str(out)) from None
            print(f"exported {len(scheme.labels)} labels to {out}")
        else:
            from annotator.core.decoding import read_text_file

            path = Path(args.path)
            scheme = Scheme.from_json(read_text_file(path).text, path=str(path))
            with store.write() as session:
                repo.save_scheme(session, scheme)
            print(f"imported {len(scheme.labels)} labels from {path}")
    finally:
        store.close()
    return EXIT_OK


def _cmd_db(args: argparse.Namespace) -> int:
    from annotator.store.maintenance import run_db_command

    return run_db_command(args)
