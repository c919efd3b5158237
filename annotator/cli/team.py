"""``annotator assign``, ``assignments``, ``blind`` and ``review``: the team workflow from the command line.

The store (``store.assignments``) plans and checks; this module only parses what the user asked for and
prints the lines (and the JSON list) that README documents and scripts rely on.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter

from annotator.cli.common import EXIT_OK, open_from_args, refuse_in_memory
from annotator.core.errors import AnnotatorError
from annotator.core.wording import plural


def run_assign(args: argparse.Namespace) -> int:
    """Assign every unassigned (matching) document; print how many and each analyst's new load."""
    from annotator.config import acting_annotator
    from annotator.store.assignments import assign

    refuse_in_memory(args.db)
    store = open_from_args(args)
    try:
        with store.write() as session:
            plan = assign(session, acting_annotator(getattr(args, "annotator", None)), args.to,
                          overlap=args.overlap, per_document=args.per_document, seed=args.seed,
                          search=args.query)
    finally:
        store.close()
    if not plan:
        print("no unassigned documents: nothing to assign")
        return EXIT_OK
    shared = sum(1 for group in plan.values() if len(group) > 1)
    loads = Counter(name for group in plan.values() for name in group)
    per = ", ".join(f"{name} {loads.get(name, 0)}" for name in args.to)
    print(f"assigned {plural(len(plan), 'document')} ({shared} to {args.per_document} analysts): {per}")
    return EXIT_OK


def run_assignments(args: argparse.Namespace) -> int:
    """Every assigned document with its analysts, by doc_id; ``--json`` for scripts."""
    from annotator.store.assignments import list_assignments

    store = open_from_args(args, read_only=True, must_exist=True)
    try:
        with store.session() as session:
            rows = list_assignments(session, args.assigned_to)
    finally:
        store.close()
    if args.json:
        print(json.dumps([{"doc_id": doc_id, "annotators": names} for doc_id, names in rows], ensure_ascii=False))
    else:
        for doc_id, names in rows:
            print(f"{doc_id}\t{', '.join(names)}")
        print(f"{plural(len(rows), 'assigned document')}")
    return EXIT_OK


def describe_blind(on: bool, default: bool) -> str:
    """The one line ``annotator blind`` prints: the mode, and whether it is the default or a lead's choice."""
    why = " (the default: on once documents are assigned)" if default else " (set for this project)"
    return f"blind annotation: {'on' if on else 'off'}{why}"


def run_blind(args: argparse.Namespace) -> int:
    """Print, or set for everyone, whether analysts annotate blind (a project setting in the database)."""
    from annotator.config import acting_annotator
    from annotator.store.project_settings import BLIND, blind_mode, set_setting

    if args.mode == "status":
        store = open_from_args(args, read_only=True, must_exist=True)
        try:
            with store.session() as session:
                print(describe_blind(*blind_mode(session)))
        finally:
            store.close()
        return EXIT_OK
    refuse_in_memory(args.db)
    store = open_from_args(args)
    try:
        with store.write() as session:
            set_setting(session, acting_annotator(getattr(args, "annotator", None)), BLIND,
                        None if args.mode == "default" else args.mode)
            print(describe_blind(*blind_mode(session)))
    finally:
        store.close()
    return EXIT_OK


def run_review(args: argparse.Namespace) -> int:
    """``review approve|return DOC_ID --annotator NAME`` as a curator, or ``review list``."""
    if args.review_command == "list":
        return _list_reviews(args)
    from annotator.config import acting_annotator
    from annotator.store import repository as repo
    from annotator.store.assignments import set_review

    refuse_in_memory(args.db)
    state = "approved" if args.review_command == "approve" else "returned"
    reviewer = args.by or acting_annotator(getattr(args, "annotator", None))
    store = open_from_args(args, must_exist=True)
    try:
        with store.write() as session:
            document = repo.find_document(session, doc_id=args.doc_id)
            if document is None:
                raise AnnotatorError(f"no document with doc_id {args.doc_id!r}")
            set_review(session, reviewer, document.id, args.owner, state, args.comment)
    finally:
        store.close()
    print(f"{args.doc_id}: {args.owner}'s layer {state}" + (" (back in their queue)" if state == "returned" else ""))
    return EXIT_OK


def _list_reviews(args: argparse.Namespace) -> int:
    from annotator.store.assignments import list_reviews

    store = open_from_args(args, read_only=True, must_exist=True)
    try:
        with store.session() as session:
            rows = list_reviews(session, args.state)
    finally:
        store.close()
    if args.json:
        print(json.dumps([{"doc_id": doc_id, "annotator": name, "state": r.state, "by": r.by, "comment": r.comment,
                           "at": r.at} for doc_id, name, r in rows], ensure_ascii=False))
        return EXIT_OK
    for doc_id, name, r in rows:
        print("\t".join((doc_id, name, r.state, r.by, r.at, " ".join(r.comment.split()))))
    print(plural(len(rows), "reviewed layer"))
    return EXIT_OK
