"""Curation decisions that are not gold spans: rejected disagreement groups.

Repository functions in the same style as ``repository``: they take the caller's Session, never commit,
and check the acting user with the same rule as a write to the gold layer (curator or admin; ``actor=None``
is a trusted system operation). Kept in their own module so the span repository stays about spans.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from annotator.core.errors import AnnotatorError
from annotator.core.model import GOLD_ANNOTATOR
from annotator.store.models import CurationDecision, Document
from annotator.store.repository import check_can_write

REJECTED = "rejected"


def reject_group(session: Session, document_id: int, start: int, end: int, *, actor: str | None = None) -> bool:
    """Record that the group ``start``–``end`` of a document goes into gold as nothing.

    Returns False when it was already recorded (nothing changed), so undo knows whether to remove it.
    """
    check_can_write(session, GOLD_ANNOTATOR, actor)
    length = session.scalar(select(Document.length).where(Document.id == document_id))
    if length is None:
        raise AnnotatorError(f"document {document_id} does not exist")
    if not 0 <= start < end <= length:
        raise AnnotatorError(f"group {start}–{end} is not inside the document (0–{length})")
    existing = session.scalar(select(CurationDecision).where(
        CurationDecision.document_id == document_id, CurationDecision.start == start, CurationDecision.end == end))
    if existing is not None:
        return False
    session.add(CurationDecision(document_id=document_id, start=start, end=end, decision=REJECTED, curator=actor))
    session.flush()
    return True


def unreject_group(session: Session, document_id: int, start: int, end: int, *, actor: str | None = None) -> None:
    """Forget a rejection (undo): the group is open again."""
    check_can_write(session, GOLD_ANNOTATOR, actor)
    session.execute(delete(CurationDecision).where(
        CurationDecision.document_id == document_id, CurationDecision.start == start, CurationDecision.end == end))
    session.flush()


def rejected_groups(session: Session, document_id: int) -> set[tuple[int, int]]:
    """Extents of the groups rejected in a document (anyone may read them)."""
    rows = session.execute(select(CurationDecision.start, CurationDecision.end).where(
        CurationDecision.document_id == document_id, CurationDecision.decision == REJECTED))
    return {(start, end) for start, end in rows}
