"""Assignments and reviews: who annotates which document, and a curator's verdict on a done layer.

Why a module of its own: the team workflow's rules live in the store so neither the app nor a script can
bypass them. Assigning needs the curator or admin role on a server (anyone may plan their own local file);
an assignment run takes the rows it plans from documents with no assignment yet and writes them in the
caller's one transaction, and runs are serialised — SQLite's ``BEGIN IMMEDIATE`` (``store.write()``) and a
transaction-scoped advisory lock on PostgreSQL — so two curators assigning at once never both give away
the same document; the unique (document, analyst) constraint is the last guard. The plan itself is the
pure ``core.assignment.plan_assignments``. A review (approved / returned with a comment) is only for a done
layer, by a curator or admin; returning a layer puts it back in progress so it reappears in the queue.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, func, insert, select
from sqlalchemy.orm import Session

from annotator.core.assignment import check_plan_options, plan_assignments
from annotator.core.errors import AnnotatorError, PermissionDenied
from annotator.core.model import (
    CURATING_ROLES,
    REVIEW_RETURNED,
    REVIEW_STATES,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    ReviewRecord,
)
from annotator.store.models import Annotator, Assignment, Document, Layer, LayerReview, utcnow
from annotator.store.project_settings import blind_mode
from annotator.store.repository.annotators import check_annotator_name, get_or_create_annotator, role_of

ASSIGN_LOCK = 7468217
"""PostgreSQL advisory lock key held for the length of one assignment run (migrations use 7468207)."""


ISO_UTC = "%Y-%m-%dT%H:%M:%SZ"
"""How a review's time travels (``ReviewRecord.at``); stored as a naive UTC DateTime."""


def review_record(state: str, by: str, comment: str, at: datetime) -> ReviewRecord:
    return ReviewRecord(state, by, comment, at.strftime(ISO_UTC))


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def check_may_assign(session: Session, actor: str | None) -> None:
    """On a server only a curator or admin assigns; on a local file anyone may."""
    if _dialect(session) == "sqlite":
        return
    if not actor:
        raise AnnotatorError("say who you are to assign documents (--annotator NAME or ANNOTATOR_USER)")
    # The first person to use a database becomes its admin (repository rule), also through this command.
    if get_or_create_annotator(session, actor).role not in CURATING_ROLES:
        raise PermissionDenied(f"{actor} may not assign documents: that needs the curator or admin role")


def unassigned_documents(session: Session, search: str = "", *, index: bool = True) -> dict[str, int]:
    """doc_id → primary key of every document with no assignment yet (matching ``search`` when given).

    ``search`` is the document list's search syntax; ``index`` brings SQLite's search index up to date
    first (a write: a read-only caller, such as the assign dialog's preview, passes False after indexing
    once). The assign dialog previews a plan over these documents.
    """
    query = select(Document.id, Document.doc_id).where(
        ~select(Assignment.id).where(Assignment.document_id == Document.id).exists())
    if search.strip():
        from annotator.store.search import filter_by_search, update_search_index

        if index:
            update_search_index(session)
        query = filter_by_search(query, session, search)
    return {doc_id: pk for pk, doc_id in session.execute(query)}


def assigned_loads(session: Session, names: list[str]) -> dict[str, int]:
    """How many documents each of ``names`` is assigned already (absent: none)."""
    return {name: int(count) for name, count in session.execute(
        select(Annotator.name, func.count(Assignment.id)).join(Assignment, Assignment.annotator_id == Annotator.id)
        .where(Annotator.name.in_(names)).group_by(Annotator.name))}


def assign(session: Session, actor: str | None, annotators: list[str], *, overlap: float = 0.0,
           per_document: int = 2, seed: int = 0, search: str = "") -> dict[str, tuple[str, ...]]:
    """Assign every selected document that has no assignment yet; returns the plan written (doc_id → names).

    ``search`` selects documents with the document list's search syntax (all documents when empty).
    Loads already assigned count, so the least-loaded analysts receive new documents first.
    """
    names = [check_annotator_name(name) for name in annotators]
    check_plan_options(names, overlap, per_document)
    check_may_assign(session, actor)
    if _dialect(session) == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(ASSIGN_LOCK)))
    pks = unassigned_documents(session, search)
    if not pks:
        return {}
    plan = plan_assignments(list(pks), names, overlap=overlap, per_document=per_document, seed=seed,
                            load=assigned_loads(session, names))
    _insert(session, actor, plan, pks)
    return plan


def _insert(session: Session, actor: str | None, plan: dict[str, tuple[str, ...]], pks: dict[str, int]) -> None:
    ids = {name: get_or_create_annotator(session, name).id for name in {n for group in plan.values() for n in group}}
    now = utcnow()
    session.execute(insert(Assignment), [
        {"document_id": pks[doc_id], "annotator_id": ids[name], "assigned_by": actor, "created": now}
        for doc_id, group in plan.items() for name in group])


def write_plan(session: Session, actor: str | None, plan: dict[str, tuple[str, ...]]) -> None:
    """Write exactly ``plan`` again (the app's redo of an assignment run), refused whole when one of its
    documents was assigned (or removed) meanwhile, so nothing is given away twice."""
    check_may_assign(session, actor)
    if _dialect(session) == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(ASSIGN_LOCK)))
    free = unassigned_documents(session)
    taken = sorted(set(plan) - set(free))
    if taken:
        raise AnnotatorError(f"document {taken[0]!r} was assigned or removed meanwhile; the assignment was not "
                             "written again")
    pks = {doc_id: free[doc_id] for doc_id in plan}
    _insert(session, actor, plan, pks)


def unassign(session: Session, actor: str | None, plan: dict[str, tuple[str, ...]]) -> None:
    """Take back exactly the assignments of ``plan`` (the app's undo of an assignment run)."""
    check_may_assign(session, actor)
    for doc_id, group in plan.items():
        session.execute(delete(Assignment).where(
            Assignment.document_id == select(Document.id).where(Document.doc_id == doc_id).scalar_subquery(),
            Assignment.annotator_id.in_(select(Annotator.id).where(Annotator.name.in_(group)))))


def list_assignments(session: Session, annotator: str | None = None) -> list[tuple[str, list[str]]]:
    """(doc_id, analysts by name) for every assigned document, by doc_id in code-point order.

    With ``annotator``, only that analyst's documents (each still listing all its analysts).
    """
    query = (select(Document.doc_id, Annotator.name).join(Assignment, Assignment.document_id == Document.id)
             .join(Annotator, Assignment.annotator_id == Annotator.id))
    if annotator is not None:
        mine = select(Assignment.document_id).join(Annotator, Assignment.annotator_id == Annotator.id).where(
            Annotator.name == annotator)
        query = query.where(Document.id.in_(mine))
    grouped: dict[str, list[str]] = {}
    for doc_id, name in session.execute(query):
        grouped.setdefault(doc_id, []).append(name)
    return [(doc_id, sorted(grouped[doc_id])) for doc_id in sorted(grouped)]


def has_assignments(session: Session) -> bool:
    return session.scalar(select(Assignment.id).limit(1)) is not None


def set_review(session: Session, actor: str | None, document_id: int, annotator: str, state: str,
               comment: str = "") -> ReviewRecord:
    """Mark ``annotator``'s done layer on a document approved or returned (curator or admin only).

    A returned layer goes back to in progress, so it reappears in the analyst's queue with the comment.
    """
    if state not in REVIEW_STATES:
        raise AnnotatorError(f"review state {state!r} is not one of {', '.join(REVIEW_STATES)}")
    if not actor:
        raise AnnotatorError("say who you are to review a layer (--annotator NAME or ANNOTATOR_USER)")
    check_may_review(session, actor)
    if state == REVIEW_RETURNED and not comment.strip():
        raise AnnotatorError("returning a layer needs a comment that tells the analyst what to change")
    layer = _layer(session, document_id, annotator)
    if layer is None or layer.status != STATUS_DONE:
        raise AnnotatorError(f"{annotator}'s layer can be reviewed only once it is marked done")
    review = review_record(state, actor, comment.strip(), utcnow())
    store_review(session, layer.id, review)
    if state == REVIEW_RETURNED:
        layer.status = STATUS_IN_PROGRESS
    session.flush()
    return review


def check_may_review(session: Session, actor: str | None) -> None:
    """Only a curator or admin reviews a layer (on a local file too: a review is a lead's verdict)."""
    if not actor:
        raise AnnotatorError("say who you are to review a layer (--annotator NAME or ANNOTATOR_USER)")
    if role_of(session, actor) not in CURATING_ROLES:
        raise PermissionDenied(f"{actor} may not review layers: that needs the curator or admin role")


def _layer(session: Session, document_id: int, annotator: str) -> Layer | None:
    if role_of(session, annotator) is None:
        raise AnnotatorError(f"no annotator called {annotator!r}")
    return session.scalar(select(Layer).join(Annotator, Layer.annotator_id == Annotator.id).where(
        Layer.document_id == document_id, Annotator.name == annotator))


def restore_review(session: Session, actor: str | None, document_id: int, annotator: str,
                   review: ReviewRecord | None, status: str, *, undoing: tuple[ReviewRecord, str]) -> None:
    """Put a layer's review and status back as they were before a review (the app's undo of one).

    ``undoing`` is the review being taken back and the status it left: when the layer no longer has them
    (the analyst already reworked a returned layer, another curator reviewed it), nothing is changed, so
    an undo never overwrites someone's later work. The same rule as reviewing: a curator or admin only.
    """
    check_may_review(session, actor)
    layer = _layer(session, document_id, annotator)
    if layer is None:
        raise AnnotatorError(f"{annotator} has no layer of this document any more")
    if (review_of(session, document_id, annotator), layer.status) != undoing:
        raise AnnotatorError(f"{annotator}'s layer changed after the review (reworked or reviewed again); "
                             "the review was not undone")
    if review is None:
        session.execute(delete(LayerReview).where(LayerReview.layer_id == layer.id))
    else:
        store_review(session, layer.id, review)
    layer.status = status
    session.flush()


def list_reviews(session: Session, state: str | None = None) -> list[tuple[str, str, ReviewRecord]]:
    """(doc_id, analyst, review) of every reviewed layer (only ``state`` ones if given), by doc_id then name."""
    if state is not None and state not in REVIEW_STATES:
        raise AnnotatorError(f"review state {state!r} is not one of {', '.join(REVIEW_STATES)}")
    query = (select(Document.doc_id, Annotator.name, LayerReview.state, LayerReview.reviewer, LayerReview.comment,
                    LayerReview.at)
             .join(Layer, LayerReview.layer_id == Layer.id).join(Document, Layer.document_id == Document.id)
             .join(Annotator, Layer.annotator_id == Annotator.id))
    if state is not None:
        query = query.where(LayerReview.state == state)
    rows = [(doc_id, name, review_record(state, by, comment, at))
            for doc_id, name, state, by, comment, at in session.execute(query)]
    return sorted(rows, key=lambda row: (row[0], row[1]))  # code-point order on either dialect


def store_review(session: Session, layer_id: int, review: ReviewRecord) -> None:
    """Write a layer's review as given (set_review's checks done, or an import of a native JSONL file)."""
    at = datetime.strptime(review.at, ISO_UTC)
    row = session.scalar(select(LayerReview).where(LayerReview.layer_id == layer_id))
    if row is None:
        session.add(LayerReview(layer_id=layer_id, state=review.state, reviewer=review.by,
                                comment=review.comment, at=at))
    else:
        row.state, row.reviewer, row.comment, row.at = review.state, review.by, review.comment, at
    session.flush()


def review_of(session: Session, document_id: int, annotator: str) -> ReviewRecord | None:
    row = session.execute(
        select(LayerReview.state, LayerReview.reviewer, LayerReview.comment, LayerReview.at)
        .join(Layer, LayerReview.layer_id == Layer.id).join(Annotator, Layer.annotator_id == Annotator.id)
        .where(Layer.document_id == document_id, Annotator.name == annotator)).first()
    return None if row is None else review_record(*row)


# ---------------------------------------------------------------------------------------------- blind mode
def blind_for(session: Session, viewer: str | None) -> bool:
    """Whether ``viewer`` annotates blind: blind mode is on and they are not a curator or admin.

    Blind mode is a project setting (``store/project_settings.py``), on by default once assignments exist.
    ``viewer=None`` is a trusted reader (an export, the command line's agreement): it sees everything.
    """
    if viewer is None or not blind_mode(session)[0]:
        return False
    return role_of(session, viewer) not in CURATING_ROLES


def own_layer_done(session: Session, document_id: int, viewer: str) -> bool:
    status = session.scalar(select(Layer.status).join(Annotator, Layer.annotator_id == Annotator.id).where(
        Layer.document_id == document_id, Annotator.name == viewer))
    return status == STATUS_DONE


def hidden_layers(session: Session, document_id: int, viewer: str | None) -> bool:
    """True when ``viewer`` may see no one else's layer of the document yet (blind, own layer not done)."""
    return blind_for(session, viewer) and not own_layer_done(session, document_id, viewer or "")


def check_may_read_layer(session: Session, document_id: int, owner: str, viewer: str | None) -> None:
    """Refuse reading ``owner``'s layer to a blind ``viewer`` whose own layer of the document is not done."""
    if viewer is not None and owner != viewer and hidden_layers(session, document_id, viewer):
        raise PermissionDenied(f"blind annotation: {owner}'s layer stays hidden until you mark your own "
                               "layer of this document done")


def assigned_to(annotator_id: int | None) -> Select[Any]:
    """The ids of the documents assigned to an annotator (a subquery for the document list's queue)."""
    return select(Assignment.document_id).where(Assignment.annotator_id == (annotator_id or -1))
