"""Typed attribute forms in the span panel (issue #16): the label's definitions as a checked form.

Typing "ten" into hours per day is refused with what is expected and stores nothing; "14" is stored as the
number 14 in one undo step; pick lists, chips and checkboxes give their kinds' shapes; free ``key: value``
attributes stay possible beside them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit

from annotator.store import repository as repo
from tests.ui_helpers import ANALYST

CTRL = Qt.KeyboardModifier.ControlModifier


def stored(store, pk):  # type: ignore[no-untyped-def]
    with store.session() as session:
        return [(s.label, s.attributes) for s in repo.list_spans(session, pk, ANALYST)]


def tag(qtbot, win, word: str, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    start = win.session.document.text.index(word)
    win.article.select_cp(start, start + len(word))
    qtbot.keyClick(win.article, key)


def test_a_wrong_kind_is_refused_and_a_right_one_stored(qtbot, window, sample_store) -> None:  # type: ignore[no-untyped-def]
    win, pk = window, window.session.document.pk
    tag(qtbot, win, "six in the morning", Qt.Key.Key_1)  # working hours: defines hours_per_day (a number)
    details = win.details
    assert details.typed.isVisible() and list(details.typed.editors) == ["hours_per_day"]
    hours = details.typed.editors["hours_per_day"]
    assert isinstance(hours, QLineEdit)
    qtbot.mouseClick(hours, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(hours, "ten")
    qtbot.keyClick(hours, Qt.Key.Key_Return, CTRL)
    assert details.error.text() == "hours per day: expected a number, got 'ten'; nothing was stored."
    assert stored(sample_store, pk) == [("working_hours", {})]
    assert win.ops.undo_stack.count() == 1  # only the tag
    hours.selectAll()
    qtbot.keyClicks(hours, "20")
    qtbot.keyClicks(details.attributes, "witness: crew member")
    qtbot.mouseClick(details.apply, Qt.MouseButton.LeftButton)
    assert stored(sample_store, pk) == [("working_hours", {"hours_per_day": 20, "witness": "crew member"})]
    assert win.ops.undo_stack.count() == 2
    # shown again: the typed value in the form, only the free one in the lines
    assert details.typed.editors["hours_per_day"].text() == "20"
    assert details.attributes.toPlainText() == "witness: crew member"
    win.act_undo.trigger()
    assert stored(sample_store, pk) == [("working_hours", {})]
    assert details.typed.editors["hours_per_day"].text() == ""


def test_pick_lists_and_required_marks(qtbot, window, sample_store) -> None:  # type: ignore[no-untyped-def]
    from annotator.core.scheme_parts import AttributeDef
    from annotator.store import scheme_admin

    with sample_store.write() as session:
        scheme = repo.get_scheme(session)
        remittance = scheme.get("remittance")
        remittance.attributes[1].required = True  # currency
        remittance.attributes.append(AttributeDef("paid_to", "multi", ["worker", "state", "broker"]))
        remittance.attributes.append(AttributeDef("confirmed", "bool"))
        scheme_admin.replace_scheme(session, scheme, actor=ANALYST)
    window.session.reload_scheme()
    win, pk = window, window.session.document.pk
    tag(qtbot, win, "Welders", Qt.Key.Key_4)
    typed = win.details.typed
    currency = typed.editors["currency"]
    assert isinstance(currency, QComboBox)
    assert typed.form.labelForField(currency).text() == "currency *"
    typed.editors["amount"].setText("1,000")
    qtbot.mouseClick(win.details.apply, Qt.MouseButton.LeftButton)
    assert win.details.error.text().startswith("amount: expected a number, got '1,000'")
    typed.editors["amount"].setText("1000.5")
    qtbot.mouseClick(win.details.apply, Qt.MouseButton.LeftButton)
    assert stored(sample_store, pk) == [("remittance", {"amount": 1000.5})]
    assert win.details.error.text() == "Still to fill (required): currency."
    currency = win.details.typed.editors["currency"]
    currency.setCurrentText("EUR")
    chips = [c for c in win.details.typed.editors["paid_to"].children() if hasattr(c, "setChecked")]
    qtbot.mouseClick(chips[2], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(chips[1], Qt.MouseButton.LeftButton)
    box = win.details.typed.editors["confirmed"]
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(win.details.apply, Qt.MouseButton.LeftButton)
    assert stored(sample_store, pk) == [("remittance", {"amount": 1000.5, "currency": "EUR",
                                                         "paid_to": ["broker", "state"],
                                                         "confirmed": True})]  # unset → checked
    assert win.details.typed.editors["confirmed"].checkState() == Qt.CheckState.Checked
    assert not win.details.error.text()


def test_a_free_line_may_not_shadow_a_typed_attribute(qtbot, window, sample_store) -> None:  # type: ignore[no-untyped-def]
    win, pk = window, window.session.document.pk
    tag(qtbot, win, "Welders", Qt.Key.Key_2)  # injury: severity is a choice
    qtbot.keyClicks(win.details.attributes, "severity: terrible")
    qtbot.mouseClick(win.details.apply, Qt.MouseButton.LeftButton)
    assert "“severity” is a typed attribute of Injury" in win.details.error.text()
    assert stored(sample_store, pk) == [("injury", {})]
