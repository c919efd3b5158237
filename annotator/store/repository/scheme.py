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
from annotator.store.repository.scheme_extras import (
    attribute_defs_from_json,
    attribute_defs_to_json,
    read_fields,
    read_relation_types,
    write_extras,
)


def ensure_default_scheme(session: Session) -> None:
    """Give an empty database the default scheme: five labels, their attributes, fields and relation types."""
    if session.scalar(select(func.count(Label.id))) == 0:
        scheme = default_scheme()
        for label in scheme.labels:
            session.add(_label_row(label))
        session.flush()
        write_extras(session, scheme, remove_missing=False)


def _label_row(label: LabelRecord) -> Label:
    return Label(
        key=label.key,
        name=label.name,
        color=label.color,
        shortcut=label.shortcut,
        guideline=label.guideline,
        order=label.order,
        attribute_defs=attribute_defs_to_json(label.attributes),
    )


def _label_record(row: Label) -> LabelRecord:
    return LabelRecord(row.key, row.name, row.color, row.shortcut, row.guideline, row.order,
                       attribute_defs_from_json(row.attribute_defs))


def get_scheme(session: Session) -> Scheme:
    rows = session.scalars(select(Label).order_by(Label.order, Label.id)).all()
    return Scheme([_label_record(r) for r in rows], read_fields(session), read_relation_types(session))


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
    kept = [_label_record(r) for key, r in existing.items() if key not in incoming]
    stored = get_scheme(session)
    fields = [*scheme.fields, *(f for f in stored.fields if scheme.field_def(f.key) is None)]
    relations = [*scheme.relations, *(r for r in stored.relations if scheme.relation_type(r.key) is None)]
    problems = scheme_problems(Scheme([*scheme.labels, *kept], fields, relations), stored_keys=existing)
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
            row.attribute_defs = attribute_defs_to_json(label.attributes)
    session.flush()
    write_extras(session, scheme, remove_missing=False)


def add_label(session: Session, label: LabelRecord) -> Label:
    check_label_key(label.key)
    check_new_key(label.key, session.scalars(select(Label.key)).all())
    row = _label_row(label)
    session.add(row)
    session.flush()
    return row
