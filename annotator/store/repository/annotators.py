"""People: annotator names, their roles, and the rule for who may write whose layer.

Why a module of its own: the permission rule (an annotator writes only their own layer; the gold layer
needs a curating role; an admin may write any layer) lives in the store so neither the UI nor a script
can bypass it, and every write module (layers, spans, decisions, scheme admin) asks it here. The first
annotator created in a database becomes its admin.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotator.core.errors import AnnotatorError, PermissionDenied
from annotator.core.model import (
    CURATING_ROLES,
    GOLD_ANNOTATOR,
    ROLE_ADMIN,
    ROLE_ANNOTATOR,
    ROLE_CURATOR,
    ROLES,
)
from annotator.core.names import NAME_MAX, name_problem
from annotator.store.models import Annotator

ANNOTATOR_NAME_MAX = NAME_MAX


def check_annotator_name(name: str) -> str:
    """Annotator names follow the one rule for names (``core.names``); returns the stripped name."""
    problem = name_problem(name)
    if problem is None:
        name = name.strip()
        problem = name_problem(name)
    if problem is not None:
        shown = repr(name[:40]) if isinstance(name, str) else repr(name)
        raise AnnotatorError(f"annotator name {shown}: {problem}")
    return name


def get_or_create_annotator(session: Session, name: str) -> Annotator:
    """The annotator called ``name``; the first one created in a database becomes its admin."""
    name = check_annotator_name(name)
    row = session.scalar(select(Annotator).where(Annotator.name == name))
    if row is None:
        first = session.scalar(select(func.count(Annotator.id))) == 0
        role = ROLE_CURATOR if name == GOLD_ANNOTATOR else (ROLE_ADMIN if first else ROLE_ANNOTATOR)
        row = Annotator(name=name, role=role)
        session.add(row)
        session.flush()
    return row


def set_role(session: Session, name: str, role: str) -> None:
    if role not in ROLES:
        raise AnnotatorError(f"role {role!r} is not one of {', '.join(ROLES)}")
    get_or_create_annotator(session, name).role = role
    session.flush()


def role_of(session: Session, name: str) -> str | None:
    return session.scalar(select(Annotator.role).where(Annotator.name == name))


def annotators_of(session: Session) -> list[str]:
    return list(session.scalars(select(Annotator.name).order_by(Annotator.name)))


def check_can_write(session: Session, layer_owner: str, actor: str | None) -> None:
    """Refuse a write to ``layer_owner``'s layer by ``actor`` unless it is theirs or they may curate.

    ``actor=None`` means a trusted system operation (an admin's import, a migration).
    """
    if actor is None or actor == layer_owner:
        return
    problem = write_refusal(layer_owner, actor, role_of(session, actor))
    if problem:
        raise PermissionDenied(problem)


def write_refusal(layer_owner: str, actor: str | None, role: str | None) -> str | None:
    """Why ``actor`` (whose role is ``role``) may not write ``layer_owner``'s layer, or None if they may.

    The rule itself, without a query: the hot write paths read the role in the same SELECT as everything
    else they need, so the check is exact (a role changed a moment ago counts) and costs no round trip.
    """
    if actor is None or actor == layer_owner:
        return None
    if layer_owner == GOLD_ANNOTATOR:
        if role in CURATING_ROLES:
            return None
        return f"{actor} may not change the gold layer: that needs the curator role"
    if role == ROLE_ADMIN:
        return None
    return f"{actor} may not change {layer_owner}'s layer: each annotator edits only their own"


def refuse(layer_owner: str, actor: str | None, role: str | None) -> None:
    problem = write_refusal(layer_owner, actor, role)
    if problem:
        raise PermissionDenied(problem)
