"""Scheme JSON in the scheme editor: import a file into the tables (nothing stored until Save), export them.

A mixin of :class:`annotator.ui.dialogs.scheme_dialog.SchemeDialog`, kept apart so the dialog stays one
room. Import merges: labels, fields and relation types with a key already in the tables are updated, new
ones appended, those missing from the file kept (they may be in use); a label's attribute definitions are
taken from the file when it gives any (a version 1 file gives none and leaves them as they are).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QWidget

from annotator.core.errors import AnnotatorError
from annotator.core.scheme import Label, Scheme, key_clash, key_clash_message

if TYPE_CHECKING:
    from annotator.core.scheme_parts import FieldDef, RelationType
    from annotator.ui.dialogs.scheme_parts_editor import AttributesEditor, PartsTable


class SchemeFiles:
    """Import and export of the scheme dialog; the dialog provides the tables and the message line."""

    labels: list[Label]
    fields: list[FieldDef]
    relations: list[RelationType]
    attributes_editor: AttributesEditor
    fields_editor: PartsTable
    relations_editor: PartsTable

    if TYPE_CHECKING:
        def _fill(self, select: int | None = None) -> None: ...
        def problems(self) -> list[str]: ...
        def current_scheme(self) -> Scheme: ...
        def show_message(self, text: str, *, error: bool = True) -> None: ...

    def import_file(self, path: str | Path) -> bool:
        """Merge a scheme JSON file into the tables: matching keys are updated, new ones appended.

        Labels, fields and relation types missing from the file stay (they may be in use); nothing is
        stored until Save.
        """
        from annotator.core.decoding import read_text_file

        path = Path(path)
        try:
            scheme = Scheme.from_json(read_text_file(path).text, path=str(path))
        except AnnotatorError as exc:
            self.show_message(f"Not imported: {exc}")
            return False
        except OSError as exc:
            self.show_message(f"Not imported: {path}: {exc.strerror or exc}")
            return False
        by_key = {label.key: label for label in self.labels}
        for incoming in scheme.labels:  # checked first: a refused file leaves the table as it was
            clash = key_clash(incoming.key, by_key) if incoming.key not in by_key else None
            if clash is not None:
                self.show_message(f"Not imported: {path}: {key_clash_message(incoming.key, clash)}.")
                return False
        added = 0
        for incoming in sorted(scheme.labels, key=lambda lbl: lbl.order):
            mine = by_key.get(incoming.key)
            if mine is None:
                self.labels.append(Label(incoming.key, incoming.name, incoming.color.upper(), incoming.shortcut,
                                         incoming.guideline, attributes=list(incoming.attributes)))
                added += 1
            else:
                mine.name, mine.color = incoming.name, incoming.color.upper()
                mine.shortcut, mine.guideline = incoming.shortcut, incoming.guideline
                if incoming.attributes:
                    mine.attributes = list(incoming.attributes)
        kept = len({lbl.key for lbl in self.labels} - set(scheme.keys()))
        merged = _merge(self.fields, scheme.fields) + _merge(self.relations, scheme.relations)
        self._fill()
        self.attributes_editor.refresh_labels()
        self.fields_editor.fill()
        self.relations_editor.fill()
        note = f" {kept} labels not in the file were kept." if kept else ""
        extras = (f" {len(scheme.fields)} fields and {len(scheme.relations)} relation types ({merged} new)."
                  if scheme.fields or scheme.relations else "")
        self.show_message(f"Imported {len(scheme.labels)} labels from {path.name} ({added} new).{extras}{note} "
                          "Check them, then Save.", error=False)
        return True

    def export_file(self, path: str | Path) -> bool:
        """Write the scheme as shown (also unsaved edits) to a JSON file other analysts can import."""
        found = self.problems()
        if found:
            self.show_message("Not exported:\n• " + "\n• ".join(found))
            return False
        path = Path(path)
        tmp = path.with_name(f".{path.name}.part")
        try:
            tmp.write_text(self.current_scheme().to_json(), encoding="utf-8")
            tmp.replace(path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            self.show_message(f"Not exported: {path}: {exc.strerror or exc}")
            return False
        self.show_message(f"Exported {len(self.labels)} labels to {path}.", error=False)
        return True

    def _ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window_of(), "Import tag scheme", "", "Tag scheme (*.json);;All files (*)")
        if path:
            self.import_file(path)

    def _ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window_of(), "Export tag scheme", "scheme.json", "Tag scheme (*.json)")
        if path:
            self.export_file(path)

    def window_of(self) -> QWidget:
        assert isinstance(self, QWidget)
        return self


def _merge(mine: list[Any], incoming: list[Any]) -> int:
    """Update records of ``mine`` with the same key from ``incoming`` in place, append the others; count new."""
    by_key = {record.key: n for n, record in enumerate(mine)}
    added = 0
    for record in sorted(incoming, key=lambda r: r.order):
        if record.key in by_key:
            mine[by_key[record.key]] = replace(record)
        else:
            mine.append(replace(record))
            added += 1
    return added
