"""The team workflow's commands: a curator's review of a layer, blind mode, and an assignment run.

Each is one store transaction, one undo step and one ``Changes``, like every other operation
(``ops/command.py``); the rules — who may review, assign or change a project setting — are the store's
(``store/assignments.py``, ``store/project_settings.py``), so a refusal arrives as its one sentence.

- :class:`ReviewLayer` remembers the layer's review and status before it, so undo puts both back (a
  returned layer was moved to in progress by the store; undo makes it done again, without a review).
- :class:`SetBlindMode` remembers the stored value (``None``: the default), so undo restores exactly that.
- :class:`AssignDocuments` runs once on a worker thread (an assignment run over a large corpus takes
  seconds) and remembers the plan the store wrote, so undo takes back exactly those assignments and redo
  writes exactly them again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from annotator.core.model import ReviewRecord
from annotator.store import repository as repo
from annotator.store.assignments import assign, restore_review, review_of, set_review, unassign, write_plan
from annotator.store.project_settings import BLIND, set_setting
from annotator.ui.ops.changes import Changes, StatusDelta
from annotator.ui.ops.command import DocumentCommand, StoreCommand
from annotator.ui.ops.session import AnnotationSession

Plan = dict[str, tuple[str, ...]]


class ReviewLayer(DocumentCommand):
    """Approve ``owner``'s done layer of a document, or return it with a comment."""

    def __init__(self, session: AnnotationSession, doc_pk: int, owner: str, state: str, comment: str) -> None:
        verb = "Approve" if state == "approved" else "Return"
        super().__init__(session, doc_pk, f"{verb} {owner}'s layer")
        self.owner, self.state, self.comment = owner, state, comment
        self.before: tuple[ReviewRecord | None, str] | None = None
        self.after: tuple[ReviewRecord, str] | None = None

    def _changes(self, status: str) -> Changes:
        return Changes(statuses=(StatusDelta(self.doc_pk, self.owner, status),), reviews=frozenset({self.doc_pk}))

    def apply(self) -> Changes:
        def write(db: Any) -> str:
            layer = repo.get_layer(db, self.doc_pk, self.owner)
            self.before = (review_of(db, self.doc_pk, self.owner), layer.status if layer is not None else "todo")
            review = set_review(db, self.actor, self.doc_pk, self.owner, self.state, self.comment)
            after = repo.get_layer(db, self.doc_pk, self.owner)
            self.after = (review, after.status if after is not None else "todo")
            return self.after[1]

        return self._changes(self.write(write))

    def revert(self) -> Changes:
        assert self.before is not None and self.after is not None
        review, status = self.before
        undoing = self.after
        self.write(lambda db: restore_review(db, self.actor, self.doc_pk, self.owner, review, status,
                                             undoing=undoing))
        return self._changes(status)


class SetBlindMode(StoreCommand):
    """Turn blind annotation on or off for the whole project (a curator's or admin's project setting)."""

    def __init__(self, session: AnnotationSession, on: bool) -> None:
        super().__init__(session, None, "Turn blind annotation " + ("on" if on else "off"))
        self.value = "on" if on else "off"
        self.before: str | None = None

    def apply(self) -> Changes:
        self.before = self.write(lambda db: set_setting(db, self.actor, BLIND, self.value))
        return Changes(corpus=True)  # every view re-lists what the viewer may now see

    def revert(self) -> Changes:
        self.write(lambda db: set_setting(db, self.actor, BLIND, self.before))
        return Changes(corpus=True)


class AssignDocuments(StoreCommand):
    """One assignment run (``store.assignments.assign``); undo takes back exactly what it assigned."""

    def __init__(self, session: AnnotationSession, names: list[str], *, overlap: float, per_document: int,
                 seed: int, search: str) -> None:
        super().__init__(session, None, "Assign documents")
        self.names, self.overlap, self.per_document = names, overlap, per_document
        self.seed, self.search = seed, search
        self.plan: Plan | None = None

    def first_run(self) -> Plan:
        """The assignment run itself (thread-safe: it touches only the store); the plan it wrote."""
        self.plan = self.write(lambda db: assign(db, self.actor, self.names, overlap=self.overlap,
                                                 per_document=self.per_document, seed=self.seed,
                                                 search=self.search))
        return self.plan

    def apply(self) -> Changes:
        if self.plan is None:
            self.first_run()
        else:
            plan = self.plan
            self.write(lambda db: write_plan(db, self.actor, plan))
        return Changes(corpus=True)  # queues, list rows and progress re-query

    def revert(self) -> Changes:
        plan = self.plan or {}
        self.write(lambda db: unassign(db, self.actor, plan))
        return Changes(corpus=True)

    def refused(self) -> Changes:
        return Changes(corpus=True)


def assignment_work(command: AssignDocuments) -> Callable[[Callable[[float, str], None], Callable[[], bool]], Plan]:
    """The worker-thread half of an assignment run (``ui/common/workers.py``'s work signature)."""

    def work(progress: Callable[[float, str], None], _cancelled: Callable[[], bool]) -> Plan:
        progress(0.0, "Assigning documents…")
        return command.first_run()

    return work
