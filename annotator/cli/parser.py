"""The argparse tree of the command line (docs/architecture.md §5), kept apart from the handlers so that
``--help`` and ``--version`` build it without importing any of them (or SQLAlchemy, numpy, Qt).

A wrong command line — an unknown option, a missing argument, an unknown ``--format`` — is one line on
stderr and exit code 2.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import NoReturn

from annotator import __version__
from annotator.cli.common import EXIT_USAGE
from annotator.core.model import ROLES

SEVERAL = "several names after one flag, or the flag repeated"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"annotator: {message}\n")


def format_name(direction: str) -> Callable[[str], str]:
    """An argparse ``type`` accepting the registered formats that can be imported (``direction="import"``)
    or exported. The registry is loaded only when ``--format`` is given (or defaulted): the commands that
    take it need the formats anyway, ``--help`` does not."""

    def check(name: str) -> str:
        from annotator.core.formats.base import all_formats

        names = [f.name for f in all_formats() if (f.can_read if direction == "import" else f.can_write)]
        if name not in names:
            raise argparse.ArgumentTypeError(f"invalid choice: {name!r} (choose from {', '.join(names)})")
        return name

    return check


SCREENSHOT_VIEWS = ("main", "agreement", "curation", "evidence", "dashboard")
THEMES = ("light", "dark")
SIZE_LIMITS = (320, 8192)


def window_size(text: str) -> tuple[int, int]:
    """An argparse ``type`` for ``--size WxH``: two whole numbers of pixels, each 320–8192."""
    width, sep, height = text.strip().lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a size: write WIDTHxHEIGHT in pixels, e.g. 1024x640")
    w, h = int(width), int(height)
    lo, hi = SIZE_LIMITS
    if not (lo <= w <= hi and lo <= h <= hi):
        raise argparse.ArgumentTypeError(f"{text!r}: width and height must each be {lo}–{hi} pixels")
    return w, h


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)  # the subcommands' parents, so the same class as they are
    db_help = "database file or SQLAlchemy URL (env ANNOTATOR_DB)"
    # SUPPRESS: a subcommand's own --db must not overwrite `annotator --db X import ...` with its default.
    common.add_argument("--db", metavar="URL_OR_PATH", default=argparse.SUPPRESS, help=db_help)
    parser = _Parser(prog="annotator", description="Source-grounded tagging of news articles.")
    parser.add_argument("--db", metavar="URL_OR_PATH", default=None, help=db_help)
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    parser.add_argument("--screenshot", metavar="PNG", help="render the main window to a PNG and exit")
    parser.add_argument("--doc", metavar="ID", help="with --screenshot: the document to show")
    parser.add_argument("--size", metavar="WxH", type=window_size,
                        help="with --screenshot: the window's (and the PNG's) size, e.g. 1024x640 "
                        "(default: as the window opens on this screen)")
    parser.add_argument("--view", choices=SCREENSHOT_VIEWS, default="main",
                        help="with --screenshot: the main window (default), the evidence window, the team dashboard, "
                        "or the agreement or curation window over the analysts' finished layers")
    parser.add_argument("--theme", choices=THEMES,
                        help="light or dark palette (Fusion style); default: the desktop's")
    parser.add_argument("--annotator", metavar="NAME", help="who is annotating (env ANNOTATOR_USER)")
    parser.add_argument("--read-only", action="store_true", help="open the database without writing to it")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    sub.add_parser("gui", parents=[common], help="open the desktop app (the default)")

    p = sub.add_parser("import", parents=[common], help="import documents and annotation layers")
    p.add_argument("paths", nargs="+", metavar="PATH")
    # one name: several would swallow the paths written after it (`import --annotator a x.jsonl`)
    p.add_argument("--annotator", metavar="NAME", default=argparse.SUPPRESS, help="annotator for spans that name none")
    p.add_argument("--format", dest="format_name", metavar="F", type=format_name("import"),
                   help="read files as this format (default: detect)")
    p.add_argument("--skip-bad", action="store_true", help="skip bad records instead of refusing the file")
    p.add_argument("--add-labels", action="store_true",
                   help="add unknown labels, document fields and relation types to the scheme")
    p.add_argument("--quiet", action="store_true", help="print only the summary and errors")

    p = sub.add_parser("export", parents=[common], help="export documents and annotations")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="the file (or, for brat, folder) to write; - writes to standard output")
    p.add_argument("--format", dest="format_name", default="jsonl", metavar="F", type=format_name("export"),
                   help="jsonl (default), prodigy, doccano, doccano-entities, doccano-utf16, label-studio, brat, "
                   "w3c, conll, spacy, csv")
    p.add_argument("--annotator", action="extend", nargs="+", dest="annotators", metavar="NAME",
                   help=f"only these layers ({SEVERAL})")
    p.add_argument("--gold", action="store_true", help="only the curated gold layer")
    p.add_argument("--only-annotated", action="store_true", help="leave out documents without a layer")
    p.add_argument("--conll-comments", action="store_true",
                   help="conll: write '# doc_id = …' and '# annotator = …' lines before each block "
                   "(CoNLL-U style; plain CoNLL readers such as NLTK's take them for tokens)")

    p = sub.add_parser("verify", parents=[common], help="check every span's quote against its document")

    p = sub.add_parser("agreement", parents=[common], help="inter-annotator agreement")
    p.add_argument("--annotator", action="extend", nargs="+", dest="annotators", metavar="NAME",
                   help=f"compare these annotators ({SEVERAL}; default: everyone with a finished layer)")
    p.add_argument("--label", action="extend", nargs="+", dest="labels", metavar="KEY",
                   help=f"only these labels ({SEVERAL})")
    p.add_argument("--include-in-progress", action="store_true", help="also documents not yet marked done")
    p.add_argument("--exclude-whitespace", action="store_true", help="do not count whitespace characters")
    p.add_argument("--json", action="store_true", help="print the JSON object of docs/architecture.md §6")
    p.add_argument("--html", metavar="OUT", help="write a self-contained HTML report")

    p = sub.add_parser("report", parents=[common], help="cited evidence report: claims, quotes and sources")
    p.add_argument("-o", "--output", required=True, metavar="OUT.html|OUT.md", help="the report (.html or .md)")
    p.add_argument("--label", action="extend", nargs="+", dest="labels", metavar="KEY", help=f"only these labels ({SEVERAL})")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--annotator", action="extend", nargs="+", dest="annotators", metavar="NAME",
                     help=f"only these layers ({SEVERAL}; default: every layer)")
    who.add_argument("--gold", action="store_true", help="only the curated gold layer")
    p.add_argument("--since", metavar="DATE", help="documents published on or after DATE (YYYY[-MM[-DD]])")
    p.add_argument("--until", metavar="DATE", help="documents published on or before DATE")
    p.add_argument("--min-sources", type=int, default=1, metavar="N", help="only claims reported by N or more sources")
    p.add_argument("--similarity", type=float, default=0.55, metavar="T",
                   help="how alike quotes must be to count as one claim (0-1, default 0.55)")

    p = sub.add_parser("scheme", parents=[common], help="export or import the tag scheme as JSON")
    scheme_sub = p.add_subparsers(dest="scheme_command", required=True, parser_class=_Parser)
    q = scheme_sub.add_parser("export", parents=[common])
    q.add_argument("-o", "--output", required=True, metavar="OUT")
    q = scheme_sub.add_parser("import", parents=[common])
    q.add_argument("path", metavar="SCHEME_JSON")

    p = sub.add_parser("train", parents=[common], help="train the suggestion model on done layers")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--annotator", action="extend", nargs="+", dest="annotators", metavar="NAME",
                     help=f"learn from these annotators' done layers ({SEVERAL}; default: every annotator's)")
    who.add_argument("--gold", action="store_true", help="learn from the curated gold layer")
    p.add_argument("--label", action="extend", nargs="+", dest="labels", metavar="KEY",
                   help=f"only these labels ({SEVERAL}; default: every label with at least 5 examples)")
    p.add_argument("--curve", action="store_true", help="also measure the learning curve (trains several times)")
    p.add_argument("--json", action="store_true", help="print the record and held-out scores as JSON")

    p = sub.add_parser("suggest", parents=[common], help="the stored model's suggestions as native JSONL")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="the JSONL file to write")
    p.add_argument("--min-score", type=float, metavar="S", help="leave out suggestions scoring below S (0-1)")
    p.add_argument("--only-unannotated", action="store_true", help="only documents without any span yet")

    p = sub.add_parser("patterns", parents=[common], help="import or export the suggestion pattern rules")
    patterns_sub = p.add_subparsers(dest="patterns_command", required=True, parser_class=_Parser)
    q = patterns_sub.add_parser("import", parents=[common], help="replace the rules with a patterns.jsonl file")
    q.add_argument("path", metavar="FILE")
    q = patterns_sub.add_parser("export", parents=[common], help="write the rules as patterns.jsonl")
    q.add_argument("-o", "--output", required=True, metavar="FILE")

    p = sub.add_parser("assign", parents=[common], help="give unassigned documents to analysts (planned overlap)")
    p.add_argument("--to", action="extend", nargs="+", dest="to", required=True, metavar="NAME",
                   help=f"the analysts ({SEVERAL})")
    p.add_argument("--overlap", type=float, default=0.0, metavar="FRACTION",
                   help="share of the documents given to several analysts, 0-1 (default 0)")
    p.add_argument("--per-document", type=int, default=2, metavar="K",
                   help="analysts per overlap document (default 2)")
    p.add_argument("--query", default="", metavar="TEXT", help="only documents matching this search")
    p.add_argument("--seed", type=int, default=0, metavar="N", help="the plan is the same for the same seed")
    p.add_argument("--annotator", metavar="NAME", default=argparse.SUPPRESS,
                   help="who is acting (a curator or admin on a server)")

    p = sub.add_parser("assignments", parents=[common], help="list who is assigned which document")
    p.add_argument("--annotator", dest="assigned_to", metavar="NAME", help="only this analyst's documents")
    p.add_argument("--json", action="store_true", help='print [{"doc_id": ..., "annotators": [...]}]')

    p = sub.add_parser("blind", parents=[common], help="blind annotation for the project: on, off, default or status")
    p.add_argument("mode", choices=("on", "off", "default", "status"),
                   help="on/off: for everyone; default: on once documents are assigned; status: print it")
    p.add_argument("--annotator", metavar="NAME", default=argparse.SUPPRESS,
                   help="who is acting (a curator or admin on a server)")

    p = sub.add_parser("review", parents=[common], help="approve or return an analyst's done layer; list reviews")
    review_sub = p.add_subparsers(dest="review_command", required=True, parser_class=_Parser)
    for verb, what in (("approve", "approve a done layer"), ("return", "return a done layer with a comment")):
        q = review_sub.add_parser(verb, parents=[common], help=what)
        q.add_argument("doc_id", metavar="DOC_ID")
        q.add_argument("--annotator", dest="owner", required=True, metavar="NAME", help="whose layer")
        q.add_argument("--comment", default="", metavar="TEXT",
                       help="what the analyst should change" + (" (required)" if verb == "return" else ""))
        q.add_argument("--by", metavar="NAME", help="who is reviewing, a curator or admin "
                       "(default: ANNOTATOR_USER or the app's setting)")
    q = review_sub.add_parser("list", parents=[common], help="every reviewed layer")
    q.add_argument("--state", choices=("approved", "returned"), help="only layers in this state")
    q.add_argument("--json", action="store_true",
                   help='print [{"doc_id", "annotator", "state", "by", "comment", "at"}, ...]')

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
