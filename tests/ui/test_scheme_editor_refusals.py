"""Second UI QA pass, Edit → Tag scheme… (one test per bug)."""

from __future__ import annotations

from pathlib import Path

from annotator.store import repository as repo
from annotator.store.database import open_store
from annotator.ui.dialogs.scheme_dialog import SPANS, SchemeDialog
from annotator.ui.ops.operations import Operations
from annotator.ui.ops.session import AnnotationSession
from tests.ui_helpers import ANALYST, add_text


def test_a_label_used_once_is_not_said_to_have_1_spans(qtbot, db_path: Path) -> None:
    store = open_store(db_path)
    pk = add_text(store, "Welders worked double shifts.")
    with store.write() as session:
        repo.add_span(session, pk, ANALYST, 0, 7, "working_hours")
    session = AnnotationSession(store, ANALYST)
    dialog = SchemeDialog(session, Operations(session))
    qtbot.addWidget(dialog)
    row = next(i for i, label in enumerate(dialog.labels) if label.key == "working_hours")
    assert dialog.table.item(row, SPANS).text() == "1"
    assert "1 span:" in dialog.table.item(row, 0).toolTip()
    dialog.table.selectRow(row)
    assert not dialog.remove_selected()
    assert "used by 1 span," in dialog.last_message and "1 spans" not in dialog.last_message
    store.close()
