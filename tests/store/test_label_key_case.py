"""Label keys are unique without case: "Injury" beside "injury" is refused wherever a label is made.

A database from before the rule may already hold such a pair; it must keep working (and `db check` warns).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.core.errors import AnnotatorError
from annotator.core.scheme import (
    Label,
    Scheme,
    case_clashes,
    default_scheme,
    key_clash,
    key_clash_message,
    new_label,
    scheme_problems,
)
from annotator.store import repository as repo
from annotator.store import scheme_admin
from annotator.store.database import open_store
from annotator.store.importing import import_paths
from annotator.ui.dialogs.scheme_dialog import KEY, SchemeDialog
from tests.cli_helpers import run_cli, snapshot
from tests.ui_helpers import ANALYST, add_text, make_window

CLASH = 'label "Injury" clashes with existing label "injury" (keys are compared without case)'


def keys_of(store) -> list[str]:  # type: ignore[no-untyped-def]
    with store.session() as session:
        return repo.get_scheme(session).keys()


# ----------------------------------------------------------------------------------------- core
def test_the_message_names_both_keys() -> None:
    assert key_clash_message("Injury", "injury") == CLASH
    assert key_clash("Injury", ["working_hours", "injury"]) == "injury"
    assert key_clash("injury", ["injury"]) is None  # the same key is not a clash with itself
    assert key_clash("harm", ["injury"]) is None


@given(st.from_regex(r"[A-Za-z][A-Za-z0-9_.-]{0,20}", fullmatch=True), st.data())
def test_any_change_of_case_clashes_and_is_found(key: str, data: st.DataObject) -> None:
    flips = data.draw(st.lists(st.booleans(), min_size=len(key), max_size=len(key)))
    other = "".join(c.swapcase() if flip else c for c, flip in zip(key, flips, strict=True))
    if other == key:
        assert key_clash(other, [key]) is None and case_clashes([key, other]) == []
    else:
        assert key_clash(other, ["zz_unrelated", key]) == key
        assert case_clashes(["zz_unrelated", key, other]) == [(key, other)]


def test_scheme_json_with_a_case_pair_is_refused() -> None:
    payload = {"labels": [{"key": "injury"}, {"key": "Injury"}]}
    with pytest.raises(AnnotatorError) as caught:
        Scheme.from_json(json.dumps(payload), path="team.json")
    assert str(caught.value) == f"team.json: {CLASH}"


def test_scheme_problems_refuse_a_new_pair_but_tolerate_a_stored_one() -> None:
    scheme = default_scheme()
    scheme.labels.append(Label("Injury", "Harm", "#000000", "", "", 5))
    assert f"{CLASH[0].upper()}{CLASH[1:]}." in scheme_problems(scheme)
    assert scheme_problems(scheme, stored_keys=[*default_scheme().keys(), "Injury"]) == []
    # Only one of the two stored: the other is the new one, and is named as such.
    renamed = Scheme([Label("injury", "Injury", "#000000"), Label("INJURY", "Harm", "#111111")])
    assert scheme_problems(renamed, stored_keys=["INJURY"]) == [
        'Label "injury" clashes with existing label "INJURY" (keys are compared without case).']


# ----------------------------------------------------------------------------------------- store
def test_store_refuses_to_add_a_case_twin_and_writes_nothing(store) -> None:  # type: ignore[no-untyped-def]
    with store.write() as session:
        repo.ensure_default_scheme(session)
    before = keys_of(store)
    with pytest.raises(AnnotatorError, match=CLASH.replace("(", r"\(").replace(")", r"\)")), store.write() as session:
        repo.add_label(session, new_label("Injury", 5))
    assert keys_of(store) == before


def test_replace_scheme_refuses_a_rename_into_a_case_twin(store) -> None:  # type: ignore[no-untyped-def]
    with store.write() as session:
        repo.ensure_default_scheme(session)
    scheme = default_scheme()
    scheme.labels[4].key = "Injury"  # "sanctions" is unused: renaming it is allowed, but not to this
    with pytest.raises(AnnotatorError, match="clashes with existing label"), store.write() as session:
        scheme_admin.replace_scheme(session, scheme)
    assert keys_of(store) == default_scheme().keys()


def test_cli_scheme_import_refuses_the_whole_file(capsys, tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    assert run_cli(capsys, "--db", db, "import", _jsonl(tmp_path / "a.jsonl", "injury")).code == 0
    before = snapshot(db)
    scheme = tmp_path / "scheme.json"
    scheme.write_text(json.dumps({"labels": [{"key": "debt"}, {"key": "Injury"}]}), encoding="utf-8")
    run = run_cli(capsys, "--db", db, "scheme", "import", scheme)
    assert run.code == 1 and CLASH in run.err
    assert snapshot(db) == before  # not even "debt", which came first


# ----------------------------------------------------------------------------------------- annotation import
def _jsonl(path: Path, label: str, text: str = "Two welders were hurt.") -> Path:
    path.write_text(json.dumps({"text": text, "annotator": "ana", "spans": [{"start": 4, "end": 11, "label": label}]})
                    + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("add_labels", [False, True])
def test_import_stores_a_case_variant_under_the_schemes_key_and_says_so(capsys, tmp_path: Path,
                                                                        add_labels: bool) -> None:
    db = tmp_path / "db.sqlite3"
    src = _jsonl(tmp_path / "in.jsonl", "INJURY")
    run = run_cli(capsys, "--db", db, "import", src, *(["--add-labels"] if add_labels else []))
    assert run.code == 0, run.err
    assert "labels read without case: INJURY as injury" in run.out and "labels added" not in run.out
    store = open_store(db)
    try:
        assert keys_of(store) == default_scheme().keys()
        with store.session() as session:
            rows = session.execute(sqlite_spans()).all()
        assert rows == [(4, 11, "injury")]
    finally:
        store.close()


def sqlite_spans():  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from annotator.store.models import Label as LabelRow
    from annotator.store.models import Span

    return select(Span.start, Span.end, LabelRow.key).join(LabelRow, Span.label_id == LabelRow.id)


def test_added_labels_are_also_unique_without_case_within_one_file(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"text": f"Paid a bribe {n}.", "annotator": "ana",
                                       "spans": [{"start": 7, "end": 12, "label": label}]}) + "\n"
                           for n, label in enumerate(["Bribery", "bribery"])), encoding="utf-8")
    summary = import_paths(store, [src], add_labels=True)
    assert summary.refused == [] and summary.labels_added == ["Bribery"]
    assert summary.labels_mapped == {"bribery": "Bribery"}
    assert keys_of(store) == [*default_scheme().keys(), "Bribery"]


# ----------------------------------------------------------------------------------------- an existing pair
def make_legacy_pair(db: Path) -> None:
    """A database written before the rule: "Injury" beside "injury", inserted the way old versions could."""
    store = open_store(db)
    with store.write() as session:
        repo.ensure_default_scheme(session)
    store.close()
    con = sqlite3.connect(db)
    with con:
        con.execute("INSERT INTO labels (key, name, color, shortcut, guideline, sort_order) "
                    "VALUES ('Injury', 'Injury (old)', '#D55E00', '6', '', 5)")
    con.close()


def test_an_existing_pair_still_opens_tags_saves_and_is_reported(qtbot, capsys, tmp_path: Path) -> None:
    db = tmp_path / "legacy.sqlite3"
    make_legacy_pair(db)
    store = open_store(db)
    try:
        pk = add_text(store, "Two welders were hurt at the yard.")
        win = make_window(qtbot, store, tmp_path / "ui.ini")
        win.open_document(pk)
        for digit, start in ((Qt.Key.Key_2, 4), (Qt.Key.Key_6, 12)):  # injury, then Injury
            win.article.setFocus()
            win.article.select_cp(start, start + 7)
            qtbot.keyClick(win.article, digit)
        with store.session() as session:
            assert sorted((s.start, s.label) for s in repo.list_spans(session, pk, ANALYST)) == [
                (4, "injury"), (12, "Injury")]
        # The scheme editor still saves other changes (the stored pair is tolerated).
        dialog = win.edit_scheme()
        qtbot.waitExposed(dialog)
        dialog.set_cell(0, 1, "Hours")
        assert dialog.problems() == [] and dialog.save(), dialog.last_message
        # An exact key of the pair is imported as itself; a third spelling matches both and is refused.
        assert import_paths(store, [_jsonl(tmp_path / "a.jsonl", "Injury", "One welder was hurt.")]).labels_mapped == {}
        summary = import_paths(store, [_jsonl(tmp_path / "b.jsonl", "INJURY", "Three were hurt there.")])
        assert len(summary.refused) == 1
        assert "label 'INJURY' matches 'Injury' and 'injury' without case" in summary.refused[0]
        win.close()
    finally:
        store.close()
    run = run_cli(capsys, "--db", db, "db", "check")
    assert run.code == 0
    assert "warning: labels 'injury' and 'Injury' differ only in case" in run.out and "integrity: ok" in run.out


# ----------------------------------------------------------------------------------------- the scheme editor
def test_typing_a_case_twin_key_in_the_editor_is_refused(qtbot, window) -> None:
    before = keys_of(window.store)
    dialog: SchemeDialog = window.edit_scheme()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    row = dialog.stored_keys.index("sanctions")  # unused, so its key may be renamed
    dialog.table.setFocus()
    dialog.table.setCurrentCell(row, KEY)
    qtbot.keyClick(dialog.table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "Injury")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.labels[row].key == "Injury")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert f"{CLASH[0].upper()}{CLASH[1:]}." in dialog.last_message and dialog.last_message.startswith("Not saved")
    assert keys_of(window.store) == before


def test_importing_scheme_json_with_a_case_twin_leaves_the_table_alone(qtbot, window, tmp_path: Path) -> None:
    dialog: SchemeDialog = window.edit_scheme()
    qtbot.waitExposed(dialog)
    before = [(lbl.key, lbl.name) for lbl in dialog.labels]
    path = tmp_path / "team.json"
    path.write_text(json.dumps({"labels": [{"key": "working_hours", "name": "Hours"}, {"key": "Injury"}]}),
                    encoding="utf-8")
    assert dialog.import_file(path) is False
    assert dialog.last_message == f"Not imported: {path}: {CLASH}."
    assert [(lbl.key, lbl.name) for lbl in dialog.labels] == before
