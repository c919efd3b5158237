"""``annotator agreement``: the agreement tables (or the JSON object of docs/architecture.md §6) on stdout and,
optionally, the HTML report. The scope and the figures come from ``store.agreement_scope``; this module
only chooses how they are shown.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from annotator.cli.common import EXIT_OK
from annotator.core.safe_io import write_text


def run_agreement(args: argparse.Namespace) -> int:
    from annotator.core.agreement import render_html, render_text
    from annotator.store.agreement_scope import agreement_report

    report = agreement_report(args.db, args.annotators, args.labels, include_in_progress=args.include_in_progress,
                              exclude_whitespace=args.exclude_whitespace)
    if args.html:
        write_text(Path(args.html), render_html(report))
    if args.json:
        json.dump(report.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        table = render_text(report)
        sys.stdout.write(table if table.endswith("\n") else table + "\n")
        if len(report.annotators) < 2:
            print("note: only one annotator in scope; pairwise figures are not defined", file=sys.stderr)
        if args.html:
            print(f"HTML report written to {args.html}")
    return EXIT_OK
