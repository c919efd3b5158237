"""Tools → Team dashboard…: the action and the one dashboard window of a main window.

The main window creates one :class:`DashboardTools` with its session and puts the action in its Tools
menu, as it does for the agreement and evidence windows; the window is created on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from annotator.ui.ops.session import AnnotationSession

if TYPE_CHECKING:
    from annotator.ui.team.dashboard_view import DashboardView

SHORTCUT = "Ctrl+Shift+D"


class DashboardTools:
    """The action and the (at most one) dashboard window."""

    def __init__(self, session: AnnotationSession, parent: QWidget) -> None:
        self.session, self.parent = session, parent
        self.view: DashboardView | None = None
        self.action = QAction("Team dashboard…", parent)
        self.action.setShortcut(SHORTCUT)
        self.action.setStatusTip("Per analyst: assigned, done, reviewed, spans per hour, label drift, agreement")
        self.action.triggered.connect(lambda _checked=False: self.open_view())

    def open_view(self) -> DashboardView:
        from annotator.ui.team.dashboard_view import DashboardView

        if self.view is None:
            self.view = DashboardView(self.session, self.parent)
        self.view.show()
        self.view.raise_()
        self.view.activateWindow()
        return self.view

    def shutdown(self) -> None:
        """Before the main window closes: a read in progress must end before the store does."""
        if self.view is not None:
            self.view.wait_for_worker()


__all__ = ["DashboardTools"]
