"""The Team menu: Assign documents…, Blind annotation, Approve layer and Return layer….

Why a module of its own: these entries belong to the team workflow, not to annotating one layer, and each
is enabled only for who may use it — assigning and blind mode for a curator or admin on a server (anyone
on a local file, as the store allows), reviewing for a curator or admin looking at an analyst's layer
marked done. A disabled entry's tooltip says why, so an analyst learns what is missing instead of
guessing. The data changes themselves are operations (``ui/ops/team_commands.py``); the store enforces
every rule again.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.model import CURATING_ROLES, GOLD_ANNOTATOR, STATUS_DONE
from annotator.store import repository as repo
from annotator.store.project_settings import blind_mode
from annotator.ui.ops.changes import Changes
from annotator.ui.ops.operations import Operations
from annotator.ui.ops.session import AnnotationSession

NEEDS_CURATOR = "Needs the curator or admin role (an admin gives it: annotator db role {name} curator)"
BLIND_TIP = ("Analysts see no colleague's layer, suggestions or agreement for a document until their own layer "
             "is done; curators and admins see everything. Default: on once documents are assigned.")


class ReturnDialog(QDialog):
    """Asks for the comment a returned layer carries back to its analyst (required)."""

    def __init__(self, owner: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Return layer")
        prompt = QLabel(f"Return {owner}'s layer of “{title}” to {owner}. What should they change?", self)
        prompt.setWordWrap(True)
        prompt.setTextFormat(Qt.TextFormat.PlainText)
        self.comment = QPlainTextEdit(self)
        self.comment.setAccessibleName("Comment for the analyst")
        self.comment.setTabChangesFocus(True)
        prompt.setBuddy(self.comment)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.return_button = self.buttons.addButton("Return layer", QDialogButtonBox.ButtonRole.AcceptRole)
        self.return_button.setEnabled(False)
        self.comment.textChanged.connect(
            lambda: self.return_button.setEnabled(bool(self.comment.toPlainText().strip())))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.comment)
        layout.addWidget(self.buttons)
        self.resize(460, 220)

    def text(self) -> str:
        return self.comment.toPlainText().strip()


class TeamTools:
    """Builds the Team menu for a main window and keeps its entries' enabled state and reasons current."""

    def __init__(self, session: AnnotationSession, ops: Operations, window: QWidget) -> None:
        self.session, self.ops, self.window = session, ops, window
        self.menu = QMenu("&Team", window)
        self.act_assign = self.menu.addAction("Assign documents…")
        self.act_assign.triggered.connect(lambda _c=False: self.open_assign_dialog())
        self.act_blind = self.menu.addAction("Blind annotation")
        self.act_blind.setCheckable(True)
        self.act_blind.triggered.connect(self._blind_toggled)
        self.menu.addSeparator()
        self.act_approve = self.menu.addAction("Approve layer")
        self.act_approve.triggered.connect(lambda _c=False: self.ops.review_layer("approved"))
        self.act_return = self.menu.addAction("Return layer…")
        self.act_return.triggered.connect(lambda _c=False: self.open_return_dialog())
        self.menu.setToolTipsVisible(True)
        self.menu.aboutToShow.connect(self.refresh)
        self.return_dialog: ReturnDialog | None = None
        self.assign_dialog: QDialog | None = None
        session.document_opened.connect(self.refresh)
        session.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, changes: Changes) -> None:
        if changes.corpus or changes.statuses or changes.reviews or changes.reload:
            self.refresh()

    # ------------------------------------------------------------------ who may do what
    def refresh(self) -> None:
        """Enable each entry for who may use it now; a disabled one's tooltip says why."""
        s = self.session
        try:
            with s.store.session() as db:
                role = repo.role_of(db, s.annotator)
                blind, default = blind_mode(db)
        except AnnotatorError as exc:  # a lost connection: the entries keep their last state
            s.say(str(exc))
            return
        curating = role in CURATING_ROLES
        local = s.store.dialect == "sqlite"
        configure_why = (f"Read-only ({s.read_only_reason})" if s.read_only
                         else None if curating or local else NEEDS_CURATOR.format(name=s.annotator))
        for action, tip in ((self.act_assign, "Give unassigned documents to analysts, with a planned overlap"),
                            (self.act_blind, BLIND_TIP)):
            action.setEnabled(configure_why is None)
            action.setToolTip(tip if configure_why is None else configure_why)
        self.act_blind.setChecked(blind)
        self.act_blind.setText("Blind annotation" + (" (default)" if default else ""))
        review_why = self._review_blocked(curating)
        for action in (self.act_approve, self.act_return):
            action.setEnabled(review_why is None)
        owner = s.layer_owner
        self.act_approve.setToolTip(review_why or f"Mark {owner}'s layer approved")
        self.act_return.setToolTip(review_why or f"Send {owner}'s layer back to them with a comment")

    def _review_blocked(self, curating: bool) -> str | None:
        s = self.session
        if s.read_only:
            return f"Read-only ({s.read_only_reason})"
        if not curating:
            return NEEDS_CURATOR.format(name=s.annotator)
        if s.document is None or s.layer_owner in (s.annotator, GOLD_ANNOTATOR):
            return "Show an analyst's layer first (the Layer switch above the article)"
        if s.status != STATUS_DONE:
            return f"{s.layer_owner}'s layer is not marked done yet"
        return None

    # ------------------------------------------------------------------ actions
    def _blind_toggled(self, checked: bool) -> None:
        if not self.ops.set_blind_mode(checked):
            self.refresh()  # refused: show the stored state again
            return
        self.session.say(f"Blind annotation is {'on' if checked else 'off'} for everyone in this project.")

    def open_return_dialog(self) -> ReturnDialog | None:
        """Ask for the comment (non-blocking); Return layer then returns the shown layer with it."""
        s = self.session
        if s.document is None:
            return None
        dialog = ReturnDialog(s.layer_owner, s.document.title or s.document.doc_id, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.ops.review_layer("returned", dialog.text()))
        self.return_dialog = dialog
        dialog.open()
        return dialog

    def open_assign_dialog(self) -> QDialog:
        from annotator.ui.team.assign_dialog import AssignDialog

        dialog = AssignDialog(self.session, self.ops, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.assign_dialog = dialog
        dialog.open()
        return dialog
