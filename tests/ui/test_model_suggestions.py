"""The learned model in the window: suggestions shown (dashed, not spans), accepted by key with one undo
step, rejected (stored, not offered again, negative evidence), training with the window responsive and
Cancel, thresholds, pattern rules edited in the app, and the active-learning order of the document list."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer

from annotator.cli import main
from annotator.store import models_store
from annotator.store import repository as repo
from annotator.ui.annotate.suggestion_context import CONTEXT_ROLE
from annotator.ui.annotate.suggestion_marks import mark_rects
from tests.model_helpers import write_layers
from tests.ui_helpers import ANALYST, add_text, make_window

CTRL = Qt.KeyboardModifier.ControlModifier
OPEN = ("Ri told us that the welders in Yakutsk worked 23 hours a day at the site. "
        "Pak arrived in Omsk with 77 workers.\n")
PHRASE = (OPEN.index("worked 23"), OPEN.index("worked 23") + len("worked 23 hours a day"))


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """Thirty done layers of analyst-b from the templated corpus, and a trained model."""
    path = tmp_path / "m.sqlite3"
    assert main(["--db", str(path), "import", str(write_layers(tmp_path / "a.jsonl", 0, 30, "analyst-b"))]) == 0
    assert main(["--db", str(path), "train"]) == 0
    capsys.readouterr()
    return path


@pytest.fixture
def store(db: Path):  # type: ignore[no-untyped-def]
    from annotator.store.database import open_store

    s = open_store(str(db))
    yield s
    s.close()


@pytest.fixture
def win(qtbot, store, tmp_path):  # type: ignore[no-untyped-def]
    doc = add_text(store, OPEN, "Open")
    window = make_window(qtbot, store, tmp_path / "ui.ini")
    window.open_document(doc)
    window.doc = doc
    return window


def show(qtbot, window) -> list:  # type: ignore[no-untyped-def]
    panel = window.suggestions
    with qtbot.waitSignal(panel.refreshed, timeout=20000):
        if window.side_tabs.currentWidget() is panel:
            panel.refresh()
        else:
            window.side_tabs.setCurrentWidget(panel)
    return panel.model.rows


def model_rows(panel) -> list[tuple[int, int, str]]:  # type: ignore[no-untyped-def]
    return [(o.start, o.end, o.label) for o in panel.model.rows if o.source == "model"]


def test_a_model_suggestion_is_listed_with_score_and_context_and_outlined_not_tagged(qtbot, win) -> None:
    rows = show(qtbot, win)
    panel = win.suggestions
    assert model_rows(panel) == [(*PHRASE, "working_hours")]
    row = [o.source for o in rows].index("model")
    index = panel.model.index(row, 0)
    assert panel.model.data(index) == "worked 23 hours a day"
    assert panel.model.data(index, CONTEXT_ROLE) == (OPEN[max(0, PHRASE[0] - 40):PHRASE[0]], OPEN[PHRASE[1]:PHRASE[1] + 40])
    assert 0.5 <= float(panel.model.data(panel.model.index(row, 2))) <= 1.0
    # drawn as a dashed outline in the article, and not a span anywhere
    assert (*PHRASE, "working_hours") in win.article.suggestion_marks
    assert mark_rects(win.article, (*PHRASE, "working_hours"))
    assert len(win.article.index) == 0 and win.session.spans == {}
    assert win.span_list.span_model.spans == []


def test_enter_accepts_and_one_undo_restores(qtbot, win, store) -> None:
    panel = win.suggestions
    show(qtbot, win)
    row = [o.source for o in panel.model.rows].index("model")
    panel.table.setFocus()
    panel._select_row(row)
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    with store.session() as session:
        assert [(s.start, s.end, s.label) for s in repo.list_spans(session, win.doc, ANALYST)] == [(*PHRASE, "working_hours")]
    assert win.ops.undo_stack.undoText() == "Accept Working hours suggestion"
    qtbot.keyClick(panel.table, Qt.Key.Key_Z, CTRL)
    with store.session() as session:
        assert repo.list_spans(session, win.doc, ANALYST) == []


def test_delete_rejects_stores_it_hides_it_and_it_becomes_negative_evidence(qtbot, win, store) -> None:
    panel = win.suggestions
    show(qtbot, win)
    row = [o.source for o in panel.model.rows].index("model")
    panel.table.setFocus()
    panel._select_row(row)
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    assert model_rows(panel) == []
    with store.session() as session:
        assert models_store.rejections(session, win.doc, ANALYST) == {(*PHRASE, "working_hours")}
        assert repo.list_spans(session, win.doc, ANALYST) == []
    # not offered again, also after the document is read again
    other = add_text(store, "Another article about nothing in particular.\n", "Other")
    win.open_document(other)
    win.open_document(win.doc)
    show(qtbot, win)
    assert model_rows(panel) == [] and "1 rejected, hidden" in panel.info.text()
    # negative evidence: the next training sees it as "not working_hours" in this document
    with store.session() as session:
        docs, _source = models_store.training_documents(session)
    negative = [d for d in docs if d.negatives]
    assert [(d.text, d.negatives, d.complete) for d in negative] == [(OPEN, [(*PHRASE, "working_hours")], False)]
    # undo forgets the rejection, and the suggestion is back
    qtbot.keyClick(panel.table, Qt.Key.Key_Z, CTRL)
    show(qtbot, win)
    assert model_rows(panel) == [(*PHRASE, "working_hours")]


def test_a_threshold_above_the_score_hides_the_model_suggestion(qtbot, win) -> None:
    show(qtbot, win)
    win.model_tools.set_threshold("working_hours", 1.0)
    show(qtbot, win)
    assert model_rows(win.suggestions) == []
    assert win.model_tools.thresholds()["working_hours"] == 1.0


def wait_for_training(qtbot, window, start) -> tuple[bool, str, float]:  # type: ignore[no-untyped-def]
    """Run ``start`` and wait for the training to end, measuring the longest gap between 5 ms timer ticks."""
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    with qtbot.waitSignal(window.model_tools.training_finished, timeout=120000) as blocker:
        start()
    timer.stop()
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    return blocker.args[0], blocker.args[1], max(gaps) if gaps else 0.0


def test_training_from_the_model_window_keeps_the_window_responsive(qtbot, win, db) -> None:
    window = win.model_tools.open_window()
    window.source.setCurrentIndex(0)
    window.curve.setChecked(True)
    ok, message, worst_gap = wait_for_training(
        qtbot, win, lambda: qtbot.mouseClick(window.train_button, Qt.MouseButton.LeftButton))
    assert ok, message
    assert "Suggestion model trained on 24 documents" in message
    assert worst_gap < 0.25, f"the event loop stalled {worst_gap * 1000:.0f} ms during training"
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM suggestion_models").fetchone()[0] == 2
    con.close()
    # the window shows the held-out scores and the curve
    assert window.scores.item(0, 0).text() == "Working hours"
    assert window.scores.item(0, 3).text() != "—"
    assert [n for n, _f in window.chart.points][-1] == 24


def test_training_can_be_cancelled_and_stores_nothing(qtbot, win, db) -> None:
    window = win.model_tools.open_window()

    def start_then_cancel() -> None:
        qtbot.mouseClick(window.train_button, Qt.MouseButton.LeftButton)
        assert window.cancel_button.isEnabled()
        QTimer.singleShot(300, lambda: qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton))

    ok, message, _gap = wait_for_training(qtbot, win, start_then_cancel)
    assert not ok and message == "Training cancelled."
    assert window.train_button.isEnabled() and not window.cancel_button.isEnabled()
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM suggestion_models").fetchone()[0] == 1
    con.close()


def test_pattern_rules_are_edited_in_the_app_and_suggest(qtbot, win) -> None:
    window = win.model_tools.open_window()
    window.tabs.setCurrentIndex(1)
    window.rules_edit.setPlainText('{"label": "injury", "regex": "(unclosed"}\n')
    qtbot.mouseClick(window.save_rules, Qt.MouseButton.LeftButton)
    assert window.rules_message.text().startswith("rules:1: bad regular expression '(unclosed'")
    window.rules_edit.setPlainText('{"label": "surveillance", "pattern": [{"LOWER": "arrived"}, {"LOWER": "in"}, '
                                   '{"IS_TITLE": true}]}\n')
    qtbot.mouseClick(window.save_rules, Qt.MouseButton.LeftButton)
    assert window.rules_message.text().startswith("Saved 1 rule")
    show(qtbot, win)
    start = OPEN.index("arrived in Omsk")
    assert [(o.start, o.end, o.label, o.source) for o in win.suggestions.model.rows if o.source == "pattern"] == [
        (start, start + len("arrived in Omsk"), "surveillance", "pattern")]
    assert win.suggestions.model.data(win.suggestions.model.index(
        [o.source for o in win.suggestions.model.rows].index("pattern"), 2)) == "rule"
    win.ops.undo_stack.undo()
    show(qtbot, win)
    assert [o for o in win.suggestions.model.rows if o.source == "pattern"] == []


def test_the_document_list_orders_undone_documents_by_the_model(qtbot, win, store) -> None:
    plain = add_text(store, "Kim waited in Doha with 12 buses near the road.\n", "Plain")
    win.docs.model.reload()
    tools = win.model_tools
    assert tools.order_by("working_hours")
    qtbot.waitUntil(lambda: win.docs.model.order is not None, timeout=30000)
    order = win.docs.model.order
    assert len(order) == 32 and order[-1] == plain  # the 30 corpus documents and "Open" all hold one
    assert order.index(win.doc) < order.index(plain)
    assert [win.docs.model.pk_at(r) for r in range(len(order))] == order
    assert "ordered by “most likely to contain Working hours”" in win.statusBar().currentMessage()
    # a search returns to the usual order
    win.docs.search.setText("Plain")
    win.docs.apply_filter()
    assert win.docs.model.order is None


def test_an_existing_model_retrains_in_the_background_after_enough_new_spans(qtbot, win, db) -> None:
    tools = win.model_tools
    tools.retrain_after = 2  # the analyst's threshold is 50 spans; two keep the test short
    text = win.session.document.text
    with qtbot.waitSignal(tools.training_finished, timeout=120000) as finished:
        win.article.select_cp(*PHRASE)
        assert win.ops.tag(*PHRASE, "working_hours") is not None
        assert not tools.is_training()  # one new span is not enough
        start = text.index("arrived in Omsk")
        assert win.ops.tag(start, start + len("arrived in Omsk"), "surveillance") is not None
        assert tools.is_training()
        assert win.statusBar().currentMessage() == "Retraining the suggestion model in the background…"
    assert finished.args[0], finished.args[1]
    assert "Suggestion model trained on 24 documents" in win.statusBar().currentMessage()
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM suggestion_models").fetchone()[0] == 2
    con.close()
