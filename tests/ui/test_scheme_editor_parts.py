"""The scheme editor's other tabs (issue #16): document fields, label attributes, relation types.

A field added in the dialog appears in the strip above the article and its shortcut works; attribute
definitions reach the span panel's form; relation types are stored with their ends; problems are listed
before anything is saved; scheme JSON v2 carries everything out and back in.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from annotator.core.scheme import Scheme
from annotator.store import repository as repo
from tests.ui_helpers import ANALYST


def stored_scheme(store) -> Scheme:  # type: ignore[no-untyped-def]
    with store.session() as session:
        return repo.get_scheme(session)


def open_dialog(qtbot, window):  # type: ignore[no-untyped-def]
    dialog = window.edit_scheme()
    qtbot.waitExposed(dialog)
    return dialog


def test_a_field_added_in_the_dialog_appears_in_the_strip_and_its_key_works(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, window)
    dialog.tabs.setCurrentWidget(dialog.fields_editor)
    fields = dialog.fields_editor
    qtbot.mouseClick(fields.add_button, Qt.MouseButton.LeftButton)
    row = len(dialog.fields) - 1
    fields.set_cell(row, 0, "urgency")
    fields.set_cell(row, 1, "Urgency")
    fields.set_cell(row, 3, "low, high, immediate")
    fields.set_cell(row, 4, "Ctrl+Alt+U")
    fields.set_cell(row, 5, "How soon the reported harm needs attention.")
    assert dialog.save(), dialog.last_message
    stored = stored_scheme(window.store).field_def("urgency")
    assert stored is not None and stored.kind == "choice" and stored.options == ["low", "high", "immediate"]
    assert stored.shortcut == "Ctrl+Alt+U" and stored.order == 2
    strip = window.fields_strip
    assert list(strip.controls) == ["relevance", "source_type", "urgency"]
    assert [b.text() for b in strip.controls["urgency"].buttons] == ["1 low", "2 high", "3 immediate"]
    window.article.setFocus()
    combo = QKeySequence("Ctrl+Alt+U")[0]  # type: ignore[index]
    qtbot.keyClick(window.article, combo.key(), combo.keyboardModifiers())
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_I)
    with window.store.session() as session:
        assert repo.document_fields(session, window.session.doc_pk, ANALYST) == {"urgency": "immediate"}


def test_field_problems_are_listed_and_nothing_is_saved(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, window)
    fields = dialog.fields_editor
    fields.add()
    row = len(dialog.fields) - 1
    fields.set_cell(row, 3, "")  # a choice without options
    fields.set_cell(row, 4, "Ctrl+Z")  # Undo's key
    fields.set_cell(0, 0, "source_type")  # two fields with one key
    fields.set_cell(1, 4, "Alt+2")  # Injury on the exact selection
    assert not dialog.save()
    message = dialog.last_message
    assert "Field 2 (source_type): the shortcut Alt+2 already tags the exact selection with injury" in message
    assert "Field 3 (field_3): a choice needs at least one option" in message
    assert "Field 3 (field_3): the shortcut Ctrl+Z already means “Undo”" in message
    assert "the key is already used by field 'source_type'" in message
    assert [f.key for f in stored_scheme(window.store).fields] == ["relevance", "source_type"]
    fields.set_kind(row, "number")  # a number has no options: the cell empties
    fields.set_cell(row, 4, "")
    fields.set_cell(0, 0, "relevance")
    fields.set_cell(1, 4, "Ctrl+Alt+S")
    assert dialog.save(), dialog.last_message
    assert stored_scheme(window.store).field_def("field_3").kind == "number"


def test_attribute_definitions_reach_the_span_panel(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, window)
    dialog.tabs.setCurrentWidget(dialog.attributes_editor)
    editor = dialog.attributes_editor
    editor.pick("injury")
    assert [a.key for a in dialog.labels[1].attributes] == ["severity"]
    table = editor.table
    qtbot.mouseClick(table.add_button, Qt.MouseButton.LeftButton)
    table.set_cell(1, 0, "body_part")
    table.set_kind(1, "multi")
    table.set_cell(1, 2, "hand, back, eyes")
    table.table.item(1, 3).setCheckState(Qt.CheckState.Checked)  # required
    editor.pick("working_hours")
    editor.table.set_cell(0, 0, "hours per day")  # a space: refused by name
    assert not dialog.save()
    assert "Label working_hours, attribute hours per day: the key must start with a letter" in dialog.last_message
    editor.table.set_cell(0, 0, "hours_per_day")
    assert dialog.save(), dialog.last_message
    injury = stored_scheme(window.store).get("injury")
    assert [a.to_json() for a in injury.attributes] == [
        {"key": "severity", "kind": "choice", "options": ["minor", "serious", "fatal"]},
        {"key": "body_part", "kind": "multi", "options": ["hand", "back", "eyes"], "required": True}]
    window.article.select_cp(0, 4)
    window.tagging.tag_selection("injury")
    typed = window.details.typed
    assert list(typed.editors) == ["severity", "body_part"]
    assert typed.form.labelForField(typed.editors["body_part"]).text() == "body part *"


def test_relation_types_are_edited_and_stored(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, window)
    relations = dialog.relations_editor
    dialog.tabs.setCurrentWidget(relations)
    relations.add()
    relations.set_cell(2, 0, "paid_by")
    relations.set_cell(2, 1, "Paid by")
    relations.set_cell(2, 2, "#117733")
    relations.set_cell(2, 3, "remittance")
    relations.set_cell(2, 4, "sanctions, nowhere")
    relations.table.item(2, 5).setCheckState(Qt.CheckState.Unchecked)
    assert not dialog.save()
    assert "'to' names 'nowhere', which is not a label of the scheme" in dialog.last_message
    relations.set_cell(2, 4, "sanctions")
    assert dialog.save(), dialog.last_message
    stored = stored_scheme(window.store).relation_type("paid_by")
    assert stored is not None
    assert (stored.name, stored.color, stored.sources, stored.targets, stored.directed) == (
        "Paid by", "#117733", ["remittance"], ["sanctions"], False)


def test_json_v2_carries_fields_attributes_and_relations(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, window)
    out = tmp_path / "scheme.json"
    assert dialog.export_file(out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["version"] == 2 and [f["key"] for f in data["fields"]] == ["relevance", "source_type"]
    assert [r["key"] for r in data["relations"]] == ["caused", "evades"]
    assert data["labels"][0]["attributes"] == [{"key": "hours_per_day", "kind": "number"}]
    data["fields"][0]["options"] = ["relevant", "not relevant"]
    data["fields"].append({"key": "language", "name": "Language", "kind": "text"})
    data["labels"][0]["attributes"].append({"key": "shift", "kind": "choice", "options": ["day", "night"]})
    incoming = tmp_path / "team.json"
    incoming.write_text(json.dumps(data), encoding="utf-8")
    dialog.close()
    dialog = open_dialog(qtbot, window)
    assert dialog.import_file(incoming)
    assert "3 fields and 2 relation types (1 new)" in dialog.last_message
    assert [f.key for f in stored_scheme(window.store).fields] == ["relevance", "source_type"]  # not yet
    assert dialog.save(), dialog.last_message
    scheme = stored_scheme(window.store)
    assert [f.key for f in scheme.fields] == ["relevance", "source_type", "language"]
    assert scheme.field_def("relevance").options == ["relevant", "not relevant"]
    assert [a.key for a in scheme.get("working_hours").attributes] == ["hours_per_day", "shift"]
    assert "language" in window.fields_strip.controls
