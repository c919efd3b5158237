"""Without the optional ``annotator[model]`` extra the app still works: the model is off with one reason,
pattern rules still suggest, and ``annotator train`` refuses in one line."""

from __future__ import annotations

import sys

import pytest

from annotator.cli import main
from annotator.core.model_suggest.patterns import parse_patterns
from annotator.store import models_store
from tests.ui_helpers import add_text, make_window

REASON = "the model needs python-crfsuite: pip install 'annotator[model]'"


@pytest.fixture
def no_crfsuite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pycrfsuite", None)  # what `import pycrfsuite` meets without the extra


def test_the_window_hides_the_model_with_its_reason_and_rules_still_suggest(qtbot, store, tmp_path, no_crfsuite) -> None:
    text = "They fell from the scaffold twice.\n"
    doc = add_text(store, text, "Rules")
    with store.write() as session:
        models_store.replace_patterns(session, parse_patterns('{"label": "injury", "pattern": "fell from the scaffold"}'))
    window = make_window(qtbot, store, tmp_path / "ui.ini")
    window.open_document(doc)
    assert window.model_tools.reason == REASON
    model_window = window.model_tools.open_window()
    assert not model_window.train_button.isEnabled()
    assert REASON in model_window.status.text()
    assert not window.model_tools.train()
    assert REASON in window.statusBar().currentMessage()
    panel = window.suggestions
    assert panel.use_model.toolTip() == REASON
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        window.side_tabs.setCurrentWidget(panel)
    assert [(o.start, o.end, o.label, o.source) for o in panel.model.rows] == [(5, 27, "injury", "pattern")]


def test_train_and_suggest_refuse_in_one_line(tmp_path, capsys, no_crfsuite) -> None:
    db = tmp_path / "x.sqlite3"
    src = tmp_path / "a.txt"
    src.write_text("A text.\n", encoding="utf-8")
    assert main(["--db", str(db), "import", str(src)]) == 0
    capsys.readouterr()
    for args in (["train"], ["suggest", "-o", str(tmp_path / "o.jsonl")]):
        assert main(["--db", str(db), *args]) == 1
        captured = capsys.readouterr()
        assert captured.err == f"annotator: {REASON}\n" and captured.out == ""
