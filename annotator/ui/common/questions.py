"""A yes/no question that never blocks: the box opens, the answer arrives by callback.

A modal ``exec()`` would stop a test, a screenshot and the live watcher until someone clicks; ``open()``
keeps the event loop running, so the question is window-modal for the analyst (keys go to the box) while
the program goes on. Closing the box or pressing Escape answers no.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def ask(parent: QWidget, question: str, answer: Callable[[bool], None], *, title: str = "annotator") -> QMessageBox:
    """Show ``question`` with Yes (the default) and No over ``parent``; ``answer(True)`` after Yes only."""
    yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
    box = QMessageBox(QMessageBox.Icon.Question, title, question, yes | no, parent)
    box.setDefaultButton(yes)
    box.setEscapeButton(no)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    def finished(_result: int) -> None:
        clicked = box.clickedButton()
        answer(clicked is not None and box.standardButton(clicked) == yes)

    box.finished.connect(finished)
    box.open()
    return box
