"""Assigning roles in a shared database (team mode).

The write checks themselves live in ``repository.check_can_write``; this module decides who may change
roles: only an admin, never the reserved ``gold`` owner, and never in a way that leaves a database with
no admin at all (nobody could then hand out the curator role).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotator.core.errors import AnnotatorError, PermissionDenied
from annotator.core.model import GOLD_ANNOTATOR, ROLE_ADMIN, ROLES
from annotator.store import repository as repo
from annotator.store.models import Annotator


def assign_role(session: Session, actor: str | None, name: str, role: str) -> str | None:
    """Give ``name`` the ``role``, acting as ``actor``; returns the previous role (None for a new name)."""
    if role not in ROLES:
        raise AnnotatorError(f"role {role!r} is not one of {', '.join(ROLES)}")
    if not actor:
        raise AnnotatorError("say who you are to change roles (--annotator NAME or ANNOTATOR_USER)")
    name = repo.check_annotator_name(name)
    if name == GOLD_ANNOTATOR:
        raise AnnotatorError(f"{GOLD_ANNOTATOR!r} is the reserved owner of the gold layer; its role is fixed")
    # The first person to use a database becomes its admin (repository rule), also through this command.
    acting_role = repo.get_or_create_annotator(session, actor).role
    if acting_role != ROLE_ADMIN:
        raise PermissionDenied(f"{actor} may not assign roles: that needs the admin role (ask an admin)")
    previous = repo.role_of(session, name)
    if previous == ROLE_ADMIN and role != ROLE_ADMIN and _admin_count(session) <= 1:
        raise AnnotatorError(f"{name} is the only admin; make someone else admin first")
    repo.set_role(session, name, role)
    return previous


def _admin_count(session: Session) -> int:
    return int(session.scalar(select(func.count(Annotator.id)).where(Annotator.role == ROLE_ADMIN)) or 0)


def roles(session: Session) -> list[tuple[str, str]]:
    """Every annotator with their role, by name."""
    return [(n, r) for n, r in session.execute(select(Annotator.name, Annotator.role).order_by(Annotator.name))]


def change_role(db: str | None, actor: str | None, name: str, role: str) -> str | None:
    """Open the store ``db`` and give ``name`` the ``role`` as ``actor`` (see :func:`assign_role`)."""
    from annotator.store.database import open_store

    store = open_store(db)
    try:
        with store.write() as session:
            return assign_role(session, actor, name, role)
    finally:
        store.close()
