"""The agreement view's background job: the same computation the command line runs, off the UI thread.

Kept apart from the widgets because it must touch none of them: it opens its own Session through
``store.agreement_scope.run_agreement`` and reports only through the worker's progress and cancel callbacks.
"""

from __future__ import annotations

from collections.abc import Callable

from annotator.core.agreement import AgreementCancelled
from annotator.store.agreement_scope import AgreementJob, run_agreement
from annotator.store.database import Store
from annotator.ui.common.workers import Cancelled

AgreementRun = AgreementJob
"""What the worker hands back: the report, its scope, and how to find and name its documents."""


def agreement_work(store: Store, annotators: list[str], labels: list[str], doc_filter: str,
                   include_in_progress: bool, exclude_whitespace: bool,
                   viewer: str | None = None) -> Callable[..., AgreementRun]:
    """The job the worker thread runs (``store.agreement_scope.run_agreement``, as the command line's);
    it opens its own Session and touches no widget."""

    def work(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> AgreementRun:
        try:
            return run_agreement(store, annotators, labels, doc_filter=doc_filter,
                                 include_in_progress=include_in_progress, exclude_whitespace=exclude_whitespace,
                                 progress=progress, cancelled=cancelled, viewer=viewer)
        except AgreementCancelled:
            raise Cancelled from None

    return work
