"""Export and import dialogs from the format registry: any writable format, layer choice, atomic output."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt

from annotator.core.formats import all_formats
from annotator.core.formats.base import WriteReport
from annotator.ui.common.workers import Cancelled, export_work
from annotator.ui.dialogs.export_dialog import ExportDialog, describe_report, import_filters, writable_formats
from tests.ui_helpers import ANALYST


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def export_through_dialog(qtbot, window, fmt: str, out: Path, layers: str = "all") -> ExportDialog:  # type: ignore[no-untyped-def]
    dialog = window.export_dialog()
    qtbot.waitExposed(dialog)
    dialog.set_format(fmt)
    dialog.set_layers(layers)
    dialog.path_edit.setText(str(out))
    window.last_export_message = None
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    return dialog


def test_every_writable_format_is_offered_native_first(qtbot, window) -> None:
    dialog = window.export_dialog()
    offered = [dialog.format_combo.itemData(i) for i in range(dialog.format_combo.count())]
    assert offered[0] == "jsonl"
    assert sorted(offered) == sorted(f.name for f in all_formats() if f.can_write)
    assert "html" not in offered and "brat" in offered
    dialog.set_format("brat")
    assert "Writes a folder" in dialog.about.text() and not dialog.path_edit.text().endswith(".conll")
    dialog.set_format("conll")
    assert dialog.path_edit.text().endswith("annotations.conll")
    assert [f.name for f in writable_formats()] == offered


def test_conll_export_of_my_layer_reports_what_it_could_not_express(qtbot, window, tmp_path: Path) -> None:
    text = window.session.document.text
    start = text.index("Welders")
    window.article.select_cp(start, start + 7)
    window.tagging.tag_selection("injury", snap=False)
    window.article.select_cp(start, start + 20)
    window.tagging.tag_selection("working_hours", snap=False)  # overlaps: CoNLL cannot hold both
    out = tmp_path / "mine.conll"
    export_through_dialog(qtbot, window, "conll", out, layers="mine")
    qtbot.waitUntil(lambda: window.last_export_message is not None, timeout=10000)
    message = window.last_export_message
    assert message.startswith("Exported 5 documents, 1 span") and "(conll)" in message  # the overlap is dropped
    assert "could not express" in message and "•" in message
    assert out.read_text(encoding="utf-8").count("B-") >= 1 and leftovers(tmp_path) == []


def test_brat_writes_a_folder_and_refuses_a_folder_in_use(qtbot, window, tmp_path: Path) -> None:
    text = window.session.document.text
    start = text.index("Welders")
    window.article.select_cp(start, start + 7)
    window.tagging.tag_selection("injury")
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("mine", encoding="utf-8")
    dialog = export_through_dialog(qtbot, window, "brat", busy)
    assert "new or empty folder" in dialog.message.text() and dialog.isVisible()
    dialog.reject()
    out = tmp_path / "brat-out"
    out.mkdir()  # an empty folder is fine
    export_through_dialog(qtbot, window, "brat", out, layers="mine")
    qtbot.waitUntil(lambda: window.last_export_message is not None, timeout=10000)
    anns = list((out / ANALYST).glob("*.ann"))
    assert len(anns) == 1 and "Welders" in anns[0].read_text(encoding="utf-8")
    assert len(list((out / "unannotated").glob("*.txt"))) == 4  # every document, as with the CLI
    assert (out / "annotation.conf").exists() or list(out.rglob("annotation.conf"))
    assert leftovers(tmp_path) == []


def test_gold_layer_export_leaves_out_uncurated_documents(qtbot, window, tmp_path: Path) -> None:
    out = tmp_path / "gold.jsonl"
    dialog = export_through_dialog(qtbot, window, "jsonl", out, layers="gold")
    assert not dialog.only_annotated.isEnabled()
    qtbot.waitUntil(lambda: window.last_export_message is not None, timeout=10000)
    assert out.read_text(encoding="utf-8") == "" and "Exported 0 documents" in window.last_export_message
    # "All layers" exports every document (those without a layer once, as docs/architecture.md §4 says).
    out = tmp_path / "all.jsonl"
    export_through_dialog(qtbot, window, "jsonl", out)
    qtbot.waitUntil(lambda: window.last_export_message is not None, timeout=10000)
    assert len([json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]) == 5


def test_a_cancelled_export_leaves_nothing_behind(sample_store, tmp_path: Path) -> None:
    for fmt, name in (("jsonl", "x.jsonl"), ("brat", "x-brat")):
        work = export_work(sample_store, tmp_path / name, fmt)
        try:
            work(lambda f, m: None, lambda: True)
        except Cancelled:
            pass
        else:
            raise AssertionError("the export did not notice the cancel request")
        assert not (tmp_path / name).exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".x")] == []  # no temporary file or folder


def test_problems_are_summarised_readably(tmp_path: Path) -> None:
    out = tmp_path / "a.conll"
    assert describe_report(WriteReport(2, 3), out, "conll") == (f"Exported 2 documents, 3 spans to {out} (conll).", "")
    report = WriteReport(1, 40, [f"doc d-1: span {n} overlaps another; dropped" for n in range(20)])
    summary, details = describe_report(report, out, "conll")
    assert details.startswith(summary) and "could not express 20 things" in details
    assert details.count("•") == 15 and details.endswith("… and 5 more.")


def test_what_a_format_cannot_carry_is_in_the_summary_line(tmp_path: Path) -> None:
    out = tmp_path / "b"
    report = WriteReport(1, 2, [f"span {n} is odd" for n in range(20)])
    report.drop("document fields", "brat has no document-level annotations", 3)
    report.drop("relations", "brat could not hold one of their spans")
    report.drop("document fields", "brat has no document-level annotations", 4)
    summary, details = describe_report(report, out, "brat")
    # beyond the 15 problems listed, the summary line still says what was left out
    assert summary == f"Exported 1 document, 2 spans to {out} (brat). Not written: document fields (7), relations (1)."
    assert "• document fields: 7 not written (brat has no document-level annotations)" not in details  # 21st
    assert report.problems[20] == "document fields: 7 not written (brat has no document-level annotations)"


def test_import_filters_come_from_the_registry(qtbot, window, tmp_path: Path) -> None:
    filters = import_filters()
    everything = filters[0][0]
    for fmt in all_formats():
        if fmt.can_read:
            assert all(f"*{ext}" in everything for ext in fmt.extensions)
            assert any(name == fmt.name for _f, name in filters)
        else:
            assert all(name != fmt.name for _f, name in filters)
    assert filters[-1] == ("All files (*)", None)
    assert all(f.count("(") == 1 for f, _ in filters)  # Qt reads the patterns from the brackets
    # A filter names a format: the import reads files as that format, even with an unknown extension.
    odd = tmp_path / "field-notes.data"
    odd.write_text("Notes from the dormitory visit: the minders stayed all night.", encoding="utf-8")
    rows = window.docs.model.rowCount()
    window.start_import([str(odd)], "text")
    qtbot.waitUntil(lambda: window.docs.model.rowCount() == rows + 1, timeout=10000)
