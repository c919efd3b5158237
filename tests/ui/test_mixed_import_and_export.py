"""Second UI QA pass, files: bugs found importing a mixed folder and exporting through the dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt


def test_a_folder_import_tells_which_files_it_skipped(qtbot, window, tmp_path: Path) -> None:
    # The CLI prints the import's notes (files of a type it does not read, re-anchored spans, Prodigy tasks
    # left out); the app dropped them, so an image in the folder vanished without a word.
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a.txt").write_text("Dockers said shifts ran for fourteen hours without a break.\n", encoding="utf-8")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    window.last_import_message = None
    window.start_import([str(folder)])
    qtbot.waitUntil(lambda: window.last_import_message is not None, timeout=10000)
    message = window.last_import_message
    assert "1 document added" in message
    assert "photo.png" in message and "not an importable file type" in message
    assert "1 note" in window.statusBar().currentMessage()


def test_export_does_not_silently_replace_an_existing_file(qtbot, window, tmp_path: Path) -> None:
    # Every JSONL-like format proposes annotations.jsonl in the last folder: exporting doccano after the
    # native export replaced the lossless file without asking.
    out = tmp_path / "annotations.jsonl"
    out.write_text("precious\n", encoding="utf-8")
    dialog = window.export_dialog()
    qtbot.waitExposed(dialog)
    dialog.set_format("doccano")
    dialog.path_edit.setText(str(out))
    window.last_export_message = None
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "already exists" in dialog.message.text()
    assert out.read_text(encoding="utf-8") == "precious\n"
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)  # the second press replaces it
    qtbot.waitUntil(lambda: window.last_export_message is not None, timeout=10000)
    assert out.read_text(encoding="utf-8") != "precious\n"


def test_export_dialog_forgets_a_complaint_about_another_format(qtbot, window, tmp_path: Path) -> None:
    # After a refused brat folder, switching to a one-file format kept "the brat format writes a folder…".
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x.txt").write_text("x", encoding="utf-8")
    dialog = window.export_dialog()
    dialog.set_format("brat")
    dialog.path_edit.setText(str(tmp_path / "used"))
    dialog.submit()
    assert "brat" in dialog.message.text()
    dialog.set_format("csv")
    assert dialog.message.text() == ""


def test_a_refused_jsonl_line_is_described_without_a_doubled_word(qtbot, window, tmp_path: Path) -> None:
    # Python's message for a raw control character ends in "at", and ours added "at column N": the refusal
    # read "Invalid control character at at column 9".
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "one line"}\n{"text": "two\nlines"}\n', encoding="utf-8")
    window.last_import_message = None
    window.start_import([str(broken)])
    qtbot.waitUntil(lambda: window.last_import_message is not None, timeout=10000)
    message = window.last_import_message
    assert "broken.jsonl, line 2: not valid JSON" in message and "control character" in message
    assert " at at " not in message


def test_a_long_refusal_list_says_how_many_it_leaves_out(qtbot, window, tmp_path: Path) -> None:
    # The box listed the first 20 refused files and 20 notes, nothing more: "23 files refused" did not add
    # up, and with notes the box grew taller than a laptop screen (its OK button out of reach).
    folder = tmp_path / "broken"
    folder.mkdir()
    for n in range(23):
        (folder / f"bad{n:02}.json").write_text("not json", encoding="utf-8")
    window.last_import_message = None
    window.start_import([str(folder)])
    qtbot.waitUntil(lambda: window.last_import_message is not None, timeout=10000)
    message = window.last_import_message
    assert "23 files refused" in message and "bad11.json" in message and "bad12.json" not in message
    assert "… and 11 more" in message


def test_a_folder_with_a_brat_subfolder_still_imports_its_other_articles(qtbot, window, tmp_path: Path) -> None:
    # One .ann anywhere made the whole folder a brat collection: its .txt files were read as brat texts,
    # but an .html article beside them was dropped without a word.
    folder = tmp_path / "mixed"
    (folder / "brat").mkdir(parents=True)
    (folder / "brat" / "x.txt").write_text("Guards took phones.\n", encoding="utf-8")
    (folder / "brat" / "x.ann").write_text("T1\tsurveillance 0 6\tGuards\n", encoding="utf-8")
    (folder / "story.html").write_text("<html><head><title>Dock story</title></head><body><article><p>Dockers "
                                       "were injured when a crane collapsed at the port, the union said.</p>"
                                       "</article></body></html>", encoding="utf-8")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff" + b"\0" * 16)
    window.last_import_message = None
    window.start_import([str(folder)])
    qtbot.waitUntil(lambda: window.last_import_message is not None, timeout=10000)
    message = window.last_import_message
    assert "2 documents added" in message and "1 span" in message
    assert "photo.jpg: skipped" in message
    titles = {window.docs.model.index(row, 0).data() for row in range(window.docs.model.rowCount())}
    assert any("Dock story" in str(title) for title in titles)
