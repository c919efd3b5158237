"""The Tools menu's "Agreement…" and "Curate…": the two windows, at most one of each per main window.

The main window creates one :class:`AgreementTools` with its session and adds the two actions to its Tools
menu. Curation opened from here or from the agreement window's disagreements goes through
:meth:`AgreementTools.curate`, so one gold layer never has two curation windows competing for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from annotator.ui.ops.session import AnnotationSession

if TYPE_CHECKING:  # the views (and numpy behind them) load on first use, not at start-up
    from annotator.ui.agreement.agreement_view import AgreementView
    from annotator.ui.curation.curation_view import CurationView


class AgreementTools:
    """The two actions and the (at most one each) windows they open."""

    def __init__(self, session: AnnotationSession, parent: QWidget) -> None:
        self.session = session
        self.parent = parent
        self.agreement: AgreementView | None = None
        self.curation: CurationView | None = None
        self.agreement_action = QAction("Agreement…", parent)
        self.agreement_action.setShortcut("Ctrl+Shift+A")
        self.agreement_action.setStatusTip("Inter-annotator agreement on the documents every analyst has finished")
        self.agreement_action.triggered.connect(lambda _checked=False: self.open_agreement())
        self.curate_action = QAction("Curate…", parent)
        self.curate_action.setShortcut("Ctrl+Shift+G")
        self.curate_action.setStatusTip("Build the gold layer from the analysts' finished layers")
        self.curate_action.triggered.connect(lambda _checked=False: self.open_curation())

    def open_agreement(self) -> AgreementView:
        from annotator.ui.agreement.agreement_view import AgreementView

        if self.agreement is None:
            self.agreement = AgreementView(self.session, self.parent, curate=self.curate,
                                           curate_all=self.open_curation)
        self.agreement.show()
        self.agreement.raise_()
        self.agreement.activateWindow()
        return self.agreement

    def open_curation(self) -> CurationView | None:
        """Curate every analyst with finished layers, over the documents all of them finished."""
        from annotator.store.agreement_scope import candidate_annotators, documents_in_scope

        with self.session.store.session() as db:
            names = candidate_annotators(db)
            pks = documents_in_scope(db, names)
        if len(names) < 2 or not pks:
            message = ("Curation compares at least two analysts: it needs documents that two or more analysts "
                       "have marked done.")
            if len(names) >= 2:  # some analysts share finished documents, but not all of them
                message = (f"No document is marked done by every analyst with finished layers "
                           f"({', '.join(names)}). To curate some of them, choose them in Tools → Agreement…, "
                           "compute, and double-click a document or a disagreement.")
            self.session.fail(message)
            return None
        return self.curate(names, pks, None, None)

    def curate(self, annotators: Sequence[str], doc_pks: Sequence[int], doc_pk: int | None,
               focus: tuple[int, int] | None) -> CurationView:
        """The one curation window, for these analysts and documents, at ``doc_pk`` (default: the one it
        shows, else the first).

        Asked for other analysts or documents, the same window is reconfigured (same undo history, same
        gold on screen) rather than a second one made: two windows on one gold layer could each accept a
        different label for one extent.
        """
        from annotator.ui.curation.curation_view import CurationView

        if self.curation is None:
            self.curation = CurationView(self.session, annotators, doc_pks, parent=self.parent)
        else:
            self.curation.configure(annotators, doc_pks)
        view = self.curation
        if doc_pk is not None:
            view.open_document(doc_pk, focus=focus)
        elif view.current is None or view.current.pk not in view.doc_pks:
            view.open_document(view.doc_pks[0])
        view.show()
        view.raise_()
        view.activateWindow()
        return view
