"""The tag scheme as stored: reading it, seeding a new database, adding and updating labels.

Why a module of its own: labels are the one table every span points to, and their keys are checked
(``core.scheme``) before anything is written, so a refused scheme changes nothing. Replacing a scheme
with removals and renames, which needs the admin role on a server, is ``store.scheme_admin``.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotator.core.errors import AnnotatorError
from annotator.core.scheme import Label as LabelRecord
from annotator.core.scheme import Scheme, check_label_key, check_new_key, default_scheme, scheme_problems
from annotator.store.models import Label


def ensure_default_scheme(session: Session) -> None:
    """Give an empty database the default five labels."""
    if session.scalar(select(func.count(Label.id))) == 0:
        for label in default_scheme().labels:
            session.add(_label_row(label))
        session.flush()


def _label_row(label: LabelRecord) -> Label:
    return Label(
        key=label.key,
        name=label.name,
        color=label.color,
        shortcut=label.shortcut,
        guideline=label.guideline,
        order=label.order,
    )


def get_scheme(session: Session) -> Scheme:
    rows = session.scalars(select(Label).order_by(Label.order, Label.id)).all()
    return Scheme(
        [LabelRecord(r.key, r.name, r.color, r.shortcut, r.guideline, r.order) for r in rows]
    )


def label_ids(session: Session) -> dict[str, int]:
    return dict(session.execute(select(Label.key, Label.id)).all())


def save_scheme(session: Session, scheme: Scheme) -> None:
    """Create or update labels from a scheme; labels not in it are kept (spans may use them).

    Every key is checked before anything is written, so a refused scheme changes nothing.
    """
    existing = {row.key: row for row in session.scalars(select(Label))}
    for label in scheme.labels:
        check_label_key(label.key)
        if label.key not in existing:
            check_new_key(label.key, existing)
    # The scheme editor's rules on the result (a kept label's shortcut may not be taken by an imported one).
    incoming = {label.key for label in scheme.labels}
    kept = [LabelRecord(r.key, r.name, r.color, r.shortcut, r.guideline, r.order)
            for key, r in existing.items() if key not in incoming]
    problems = scheme_problems(Scheme([*scheme.labels, *kept]), stored_keys=existing)
    if problems:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise AnnotatorError(problems[0] + more)
    for label in scheme.labels:
        row = existing.get(label.key)
        if row is None:
            session.add(_label_row(label))
        else:
            row.name, row.color, row.shortcut = label.name, label.color, label.shortcut
            row.guideline, row.order = label.guideline, label.order
    session.flush()


def add_label(session: Session, label: LabelRecord) -> Label:
    check_label_key(label.key)
    check_new_key(label.key, session.scalars(select(Label.key)).all())
    row = _label_row(label)
    session.add(row)
    session.flush()
    return row
