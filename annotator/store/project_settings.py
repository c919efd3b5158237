"""Project settings: choices a lead makes once for the whole database, enforced by the store.

Why a module of its own: a setting such as blind annotation changes what every analyst's queries return,
so it must live in the database beside the data (not in one person's app settings) and be changed only by
someone allowed to: a curator or admin on a server, anyone on a local file (the same rule as assigning).
A setting without a row has its default; ``set_setting(..., None)`` goes back to it.

Blind mode (``BLIND``): "on", "off", or no row — then it is on exactly when documents have been assigned
(issue #17: on by default once assignments exist). ``store/assignments.py`` (``blind_for``) consults it.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from annotator.core.errors import AnnotatorError, PermissionDenied
from annotator.core.model import CURATING_ROLES
from annotator.store.models import Assignment, ProjectSetting
from annotator.store.repository.annotators import get_or_create_annotator

BLIND = "blind"
ON, OFF = "on", "off"
KNOWN: dict[str, tuple[str, ...]] = {BLIND: (ON, OFF)}
"""Every setting and the values it accepts (anything else is refused with the choices named)."""


def get_setting(session: Session, key: str) -> str | None:
    """The stored value of ``key``, or None when it has its default."""
    return session.scalar(select(ProjectSetting.value).where(ProjectSetting.key == key))


def check_may_configure(session: Session, actor: str | None) -> None:
    """On a server only a curator or admin changes project settings; on a local file anyone may."""
    if session.get_bind().dialect.name == "sqlite":
        return
    if not actor:
        raise AnnotatorError("say who you are to change project settings (--annotator NAME or ANNOTATOR_USER)")
    # The first person to use a database becomes its admin (repository rule), also through this path.
    if get_or_create_annotator(session, actor).role not in CURATING_ROLES:
        raise PermissionDenied(f"{actor} may not change project settings: that needs the curator or admin role")


def set_setting(session: Session, actor: str | None, key: str, value: str | None) -> str | None:
    """Store ``value`` for ``key`` (None: back to the default); returns the value stored before."""
    if key not in KNOWN:
        raise AnnotatorError(f"unknown project setting {key!r} (known: {', '.join(sorted(KNOWN))})")
    if value is not None and value not in KNOWN[key]:
        raise AnnotatorError(f"{key} must be one of {', '.join(KNOWN[key])}, not {value!r}")
    check_may_configure(session, actor)
    before = get_setting(session, key)
    if value is None:
        session.execute(delete(ProjectSetting).where(ProjectSetting.key == key))
    else:
        row = session.scalar(select(ProjectSetting).where(ProjectSetting.key == key))
        if row is None:
            session.add(ProjectSetting(key=key, value=value))
        else:
            row.value = value
    session.flush()
    return before


def blind_mode(session: Session) -> tuple[bool, bool]:
    """Whether blind annotation is on, and whether that is the default (no explicit choice stored)."""
    stored = get_setting(session, BLIND)
    if stored is None:
        return session.scalar(select(Assignment.id).limit(1)) is not None, True
    return stored == ON, False
