"""``annotator report``: the cited evidence report (HTML or Markdown, by the output's extension).

The selection options mirror the evidence view's filters; the store reads and groups the passages
(``store.evidence.build_report``) and ``core.evidence`` renders them. Bad input — an unknown label or
annotator, a date that is not a date, an output that is neither .html nor .md — is one line and exit 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.cli.common import EXIT_OK, open_from_args
from annotator.core.errors import AnnotatorError
from annotator.core.safe_io import write_text
from annotator.core.wording import plural

if TYPE_CHECKING:
    from annotator.core.evidence.model import EvidenceFilter


def selection_from_args(args: argparse.Namespace) -> EvidenceFilter:
    """The :class:`EvidenceFilter` the options describe (dates checked, names kept in the order given)."""
    from annotator.core.evidence.model import EvidenceFilter, check_date

    since = check_date(args.since, "--since")
    until = check_date(args.until, "--until")
    if since and until and since > until:
        raise AnnotatorError(f"--since {since} is after --until {until}: nothing could match")
    return EvidenceFilter(labels=tuple(dict.fromkeys(args.labels or ())),
                          annotators=tuple(dict.fromkeys(args.annotators or ())), gold=args.gold,
                          since=since, until=until)


def run_report(args: argparse.Namespace) -> int:
    from annotator.core.evidence.corroboration import check_threshold
    from annotator.core.evidence.report import format_for, render
    from annotator.store import repository as repo
    from annotator.store.evidence import build_report

    out = Path(args.output)
    fmt = format_for(out.suffix)
    flt = selection_from_args(args)
    if args.min_sources < 1:
        raise AnnotatorError("--min-sources must be 1 or more")
    try:
        threshold = check_threshold(args.similarity)
    except ValueError as exc:
        raise AnnotatorError(f"--similarity: {exc}") from None
    store = open_from_args(args, read_only=True, must_exist=True)
    try:
        with store.session() as session:
            known_labels = {label.key for label in repo.get_scheme(session).labels}
            unknown = [k for k in flt.labels if k not in known_labels]
            if unknown:
                raise AnnotatorError(f"--label: no label {', '.join(unknown)} in the scheme "
                                     f"(labels: {', '.join(sorted(known_labels))})")
            people = set(repo.annotators_of(session))
            missing = [n for n in flt.annotators if n not in people]
            if missing:
                raise AnnotatorError(f"--annotator: nobody named {', '.join(missing)} in this database")
            report = build_report(session, flt, threshold=threshold, min_sources=args.min_sources)
    finally:
        store.close()
    write_text(out, render(report, fmt))
    passages = sum(len(c.passages) for c in report.claims)
    corroborated = sum(1 for c in report.claims if c.corroborated)
    print(f"Report written to {out}: {plural(len(report.claims), 'claim')} ({corroborated} corroborated), "
          f"{plural(passages, 'passage')}", file=sys.stdout)
    return EXIT_OK
