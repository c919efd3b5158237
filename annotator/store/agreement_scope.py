"""Choosing what agreement is computed on, from the store (DESIGN §6 scope rules).

Scope: the documents where every compared annotator has a layer marked ``done`` (optionally also
``in_progress``). The gold layer is never an annotator being compared. Everything is read with a few
set-based queries so 20,000 documents × 3 annotators load in about a second.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from annotator.core.agreement import (
    AgreementInput,
    AgreementReport,
    compute_agreement,
    render_html,
    render_text,
)
from annotator.core.errors import AnnotatorError
from annotator.core.model import GOLD_ANNOTATOR, STATUS_DONE, STATUS_IN_PROGRESS
from annotator.store import repository as repo
from annotator.store.models import Annotator, Document, Label, Layer, Span

CHUNK = 900


def _statuses(include_in_progress: bool) -> tuple[str, ...]:
    return (STATUS_DONE, STATUS_IN_PROGRESS) if include_in_progress else (STATUS_DONE,)


def candidate_annotators(session: Session, include_in_progress: bool = False) -> list[str]:
    """Annotators (not gold) with at least one layer in an eligible status."""
    rows = session.scalars(
        select(Annotator.name)
        .join(Layer, Layer.annotator_id == Annotator.id)
        .where(Layer.status.in_(_statuses(include_in_progress)), Annotator.name != GOLD_ANNOTATOR)
        .group_by(Annotator.name)
        .order_by(Annotator.name)
    )
    return list(rows)


def _scope_query(names: Sequence[str], statuses: Sequence[str]):  # type: ignore[no-untyped-def]
    """Primary keys of documents where every one of ``names`` has a layer in one of ``statuses``."""
    return (
        select(Layer.document_id)
        .join(Annotator, Layer.annotator_id == Annotator.id)
        .where(Annotator.name.in_(list(names)), Layer.status.in_(list(statuses)))
        .group_by(Layer.document_id)
        .having(func.count(Layer.id) == len(names))
    )


def documents_in_scope(session: Session, annotators: Sequence[str], include_in_progress: bool = False) -> list[int]:
    """Primary keys (in ``doc_id`` order) of the documents every one of ``annotators`` finished.

    The agreement scope rule (DESIGN §6) without loading any text: the curation view steps through these.
    """
    names = sorted(set(annotators))
    if not names:
        return []
    scoped = _scope_query(names, _statuses(include_in_progress)).subquery()
    return list(session.scalars(
        select(Document.id).join(scoped, scoped.c.document_id == Document.id).order_by(Document.doc_id)
    ))


def doc_ids_matching(session: Session, fragment: str) -> list[str]:
    """``doc_id`` of every document whose id or title contains ``fragment`` (case-insensitive)."""
    pattern = f"%{fragment.strip()}%"
    return list(session.scalars(
        select(Document.doc_id).where(or_(Document.doc_id.ilike(pattern), Document.title.ilike(pattern)))
    ))


def document_keys(session: Session, doc_ids: Sequence[str]) -> dict[str, tuple[int, str]]:
    """``doc_id`` → (primary key, title), for linking a report's documents back to the app."""
    found: dict[str, tuple[int, str]] = {}
    ids = list(doc_ids)
    for i in range(0, len(ids), CHUNK):
        rows = session.execute(
            select(Document.id, Document.doc_id, Document.title).where(Document.doc_id.in_(ids[i : i + CHUNK]))
        )
        for pk, doc_id, title in rows:
            found[doc_id] = (pk, title or "")
    return found


def build_input(
    session: Session,
    annotators: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    doc_ids: Sequence[str] | None = None,
    *,
    include_in_progress: bool = False,
) -> AgreementInput:
    """The AgreementInput for the chosen annotators, labels and (optionally) documents."""
    statuses = _statuses(include_in_progress)
    names = sorted(set(annotators)) if annotators else candidate_annotators(session, include_in_progress)
    known = set(repo.annotators_of(session))
    missing = [n for n in names if n not in known]
    if missing:
        raise AnnotatorError(f"no annotator called {', '.join(map(repr, missing))} in this database")
    if not names:
        raise AnnotatorError("no annotator has a layer marked done yet (use --include-in-progress to compare unfinished work)")
    scheme_keys = repo.get_scheme(session).keys()
    if labels:
        unknown = [key for key in labels if key not in scheme_keys]
        if unknown:
            raise AnnotatorError(f"unknown label {', '.join(map(repr, unknown))}; the scheme has {', '.join(scheme_keys)}")
        chosen_labels = [key for key in scheme_keys if key in set(labels)]
    else:
        chosen_labels = list(scheme_keys)

    in_scope = _scope_query(names, statuses)
    if doc_ids:
        in_scope = in_scope.join(Document, Document.id == Layer.document_id).where(Document.doc_id.in_(list(doc_ids)))
    document_pks = list(session.scalars(in_scope))
    documents: list[tuple[str, str]] = []
    spans: dict[str, dict[str, list[tuple[int, int, str]]]] = {name: {} for name in names}
    label_filter = set(chosen_labels)
    conn = session.connection()
    for i in range(0, len(document_pks), CHUNK):
        chunk = document_pks[i : i + CHUNK]
        pk_to_id: dict[int, str] = {}
        for pk, doc_id, text in conn.execute(select(Document.id, Document.doc_id, Document.text).where(Document.id.in_(chunk))):
            pk_to_id[pk] = doc_id
            documents.append((doc_id, text))
            for name in names:
                spans[name][doc_id] = []
        rows = conn.execute(
            select(Layer.document_id, Annotator.name, Span.start, Span.end, Label.key)
            .join(Layer, Span.layer_id == Layer.id)
            .join(Annotator, Layer.annotator_id == Annotator.id)
            .join(Label, Span.label_id == Label.id)
            .where(Layer.document_id.in_(chunk), Annotator.name.in_(names))
        )
        for pk, name, start, end, key in rows:
            if key in label_filter:
                spans[name][pk_to_id[pk]].append((start, end, key))
    return AgreementInput(annotators=names, documents=documents, spans=spans, labels=chosen_labels)


def run_agreement_command(args: argparse.Namespace) -> int:
    """``annotator agreement``: tables on stdout, or the JSON object, and optionally an HTML report."""
    from annotator.store.database import open_store

    store = open_store(args.db, must_exist=True)
    try:
        with store.session() as session:
            inp = build_input(session, args.annotators, args.labels, include_in_progress=args.include_in_progress)
    finally:
        store.close()
    if not inp.documents:
        raise AnnotatorError(
            f"no document has a layer marked done by every one of {', '.join(inp.annotators)}; "
            "nothing to compare (use --include-in-progress to include unfinished layers)"
        )
    report: AgreementReport = compute_agreement(inp, exclude_whitespace=args.exclude_whitespace)
    if args.html:
        out = Path(args.html)
        try:
            out.write_text(render_html(report), encoding="utf-8")
        except OSError as exc:
            raise AnnotatorError(f"cannot write ({exc.strerror or exc})", path=str(out)) from None
    if args.json:
        payload = report.to_json()
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        table = render_text(report)
        sys.stdout.write(table if table.endswith("\n") else table + "\n")
        if len(inp.annotators) < 2:
            print("note: only one annotator in scope; pairwise figures are not defined", file=sys.stderr)
        if args.html:
            print(f"HTML report written to {args.html}")
    return 0
