"""Editing the tag scheme as a whole: who may, what is in use, and saving an edited scheme.

Labels are referred to by every span that uses them, so a label in use keeps its key and cannot be
removed; everything else about it (name, colour, shortcut, guideline, order) may change. On a local SQLite
file the person at the keyboard owns the database and anyone may edit the scheme; on a server database
(team mode) the scheme is the team's, so only an admin may change it. The check lives here, in the store,
so a script cannot bypass what the app's dialog enforces.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from annotator.core.errors import AnnotatorError, PermissionDenied
from annotator.core.model import ROLE_ADMIN
from annotator.core.scheme import Scheme, scheme_problems
from annotator.store.models import Label, Span
from annotator.store.repository import role_of
from annotator.store.repository.scheme_extras import attribute_defs_to_json, write_extras


def roles_matter(session: Session) -> bool:
    """True for a shared server database, where roles decide who may change the team's scheme."""
    return session.get_bind().dialect.name != "sqlite"


def scheme_edit_problem(session: Session, actor: str | None) -> str | None:
    """Why ``actor`` may not edit the scheme, or None when they may (``None`` actor: a trusted script)."""
    if actor is None or not roles_matter(session):
        return None
    role = role_of(session, actor)
    if role == ROLE_ADMIN:
        return None
    return (f"{actor} has the role “{role or 'none'}”: on a shared database only an admin may change the tag scheme "
            "(everyone's spans use it). Ask an admin, or: annotator db role NAME admin")


def label_usage(session: Session) -> dict[str, int]:
    """Number of spans (any layer) per label key; labels with no spans are absent."""
    rows = session.execute(select(Label.key, func.count(Span.id)).join(Span, Span.label_id == Label.id)
                           .group_by(Label.key))
    return {key: int(count) for key, count in rows}


def replace_scheme(session: Session, scheme: Scheme, *, actor: str | None = None) -> None:
    """Make the stored labels exactly ``scheme`` (in its order), refusing changes that would orphan spans."""
    problem = scheme_edit_problem(session, actor)
    if problem:
        raise PermissionDenied(problem)
    rows = {row.key: row for row in session.scalars(select(Label))}
    problems = scheme_problems(scheme, stored_keys=rows)
    if problems:
        raise AnnotatorError(" ".join(problems))
    used = label_usage(session)
    wanted = {label.key for label in scheme.labels}
    dropped = [key for key in used if key not in wanted]
    if dropped:
        names = ", ".join(f"{key} ({used[key]} spans)" for key in sorted(dropped))
        raise AnnotatorError(f"labels in use cannot be removed or renamed: {names}")
    removed = [key for key in rows if key not in wanted]
    if removed:
        session.execute(delete(Label).where(Label.key.in_(removed)))
    for order, label in enumerate(scheme.labels):
        row = rows.get(label.key)
        if row is None:
            row = Label(key=label.key)
            session.add(row)
        row.name, row.color, row.shortcut = label.name.strip(), label.color.upper(), label.shortcut.strip()
        row.guideline, row.order = label.guideline, order
        row.attribute_defs = attribute_defs_to_json(label.attributes)
    session.flush()
    write_extras(session, scheme, remove_missing=True)
