"""Plugging the agreement and curation views into the main window's Tools menu (one call).

The main window knows nothing about agreement; it offers ``add_tool_action``. This module adds
"Agreement…" and "Curate…" there and keeps the windows it opens alive (parented to the main window),
so ``install_agreement_tools(window, store, annotator)`` is all the wiring there is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from annotator.store.database import Store

if TYPE_CHECKING:  # the views (and numpy behind them) load on first use, not at start-up
    from annotator.ui.agreement.agreement_view import AgreementView
    from annotator.ui.curation.curation_view import CurationView


class AgreementTools:
    """The two actions and the (at most one each) windows they open."""

    def __init__(self, main_window: Any, store: Store, annotator: str) -> None:
        self.main_window = main_window
        self.store = store
        self.annotator = annotator
        self.agreement: AgreementView | None = None
        self.curation: CurationView | None = None
        parent: QWidget = main_window
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
            self.agreement = AgreementView(self.store, self.annotator, self.main_window)
        self.agreement.show()
        self.agreement.raise_()
        self.agreement.activateWindow()
        return self.agreement

    def open_curation(self) -> CurationView | None:
        """Curate every analyst with finished layers, over the documents all of them finished."""
        from annotator.store.agreement_scope import candidate_annotators, documents_in_scope
        from annotator.ui.curation.curation_view import CurationView

        with self.store.session() as session:
            names = candidate_annotators(session)
            pks = documents_in_scope(session, names)
        if len(names) < 2 or not pks:
            message = ("Curation compares at least two analysts: it needs documents that two or more analysts "
                       "have marked done.")
            if len(names) >= 2:  # some analysts share finished documents, but not all of them
                message = (f"No document is marked done by every analyst with finished layers "
                           f"({', '.join(names)}). To curate some of them, choose them in Tools → Agreement…, "
                           "compute, and double-click a document or a disagreement.")
            show = getattr(self.main_window, "show_error", None)
            if callable(show):
                show(message)
            return None
        if self.curation is None or self.curation.annotators != names or self.curation.doc_pks != pks:
            if self.curation is not None:
                self.curation.close()
                self.curation.deleteLater()
            self.curation = CurationView(self.store, self.annotator, names, pks, parent=self.main_window)
            self.curation.open_document(pks[0])
        self.curation.show()
        self.curation.raise_()
        self.curation.activateWindow()
        return self.curation


def install_agreement_tools(main_window: Any, store: Store, annotator: str) -> AgreementTools:
    """Add "Agreement…" and "Curate…" to ``main_window``'s Tools menu; returns the holder (kept on the window)."""
    tools = AgreementTools(main_window, store, annotator)
    main_window.add_tool_action(tools.agreement_action)
    main_window.add_tool_action(tools.curate_action)
    main_window._agreement_tools = tools  # keep it alive as long as the window
    return tools
