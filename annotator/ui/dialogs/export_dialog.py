"""Export and import choices built from the format registry: which format, which layers, where.

The dialog only collects choices (:class:`ExportChoice`); the main window runs the export on the worker
thread (``workers.export_work``) and reports the result with :func:`describe_report`. Import file-dialog
filters come from the same registry (:func:`import_filters`), so a new format module shows up in both
dialogs without touching the UI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.formats import all_formats
from annotator.core.formats.base import Format, WriteReport
from annotator.core.model import GOLD_ANNOTATOR
from annotator.ui.common.screen_fit import fit_to_available
from annotator.ui.common.theme import muted, readable, set_text_colour

LAYER_CHOICES = ("all", "mine", "gold")
PROBLEMS_SHOWN = 15


@dataclass(frozen=True)
class ExportChoice:
    """What the user asked to export."""

    format_name: str
    path: Path
    layers: str
    """One of LAYER_CHOICES."""
    only_annotated: bool

    def annotators(self, me: str) -> list[str] | None:
        """The layers to export for acting annotator ``me`` (None: every layer)."""
        return {"all": None, "mine": [me], "gold": [GOLD_ANNOTATOR]}[self.layers]


def writable_formats() -> list[Format]:
    """Every format that can export, native JSONL first (the lossless one), then by name."""
    return sorted((f for f in all_formats() if f.can_write), key=lambda f: (f.name != "jsonl", f.name))


def readable_formats() -> list[Format]:
    return [f for f in all_formats() if f.can_read]


def _patterns(fmt: Format) -> str:
    return " ".join(f"*{ext}" for ext in fmt.extensions)


def _short_description(fmt: Format) -> str:
    """The description up to its first clause, without brackets (Qt reads the patterns from the last ones)."""
    return re.split(r"[;:(]", fmt.description, maxsplit=1)[0].strip() or fmt.name


def import_filters() -> list[tuple[str, str | None]]:
    """File-dialog filters for import, each with the format it forces (None: detect from the content).

    The first filter accepts every readable extension; a specific filter makes the import read files as
    that format, which settles the ambiguous ``.jsonl`` (native, Prodigy, doccano) the user's way.
    """
    formats = readable_formats()
    every = sorted({ext for f in formats for ext in f.extensions})
    filters: list[tuple[str, str | None]] = [
        (f"Everything annotator reads ({' '.join('*' + e for e in every)})", None)]
    for fmt in formats:
        filters.append((f"{fmt.name} — {_short_description(fmt)} ({_patterns(fmt)})", fmt.name))
    filters.append(("All files (*)", None))
    return filters


def describe_report(report: WriteReport, path: Path, format_name: str) -> tuple[str, str]:
    """A one-line summary and, when the format could not express everything, the problems to read."""
    documents = f"{report.documents} document{'' if report.documents == 1 else 's'}"
    spans = f"{report.spans} span{'' if report.spans == 1 else 's'}"
    summary = f"Exported {documents}, {spans} to {path} ({format_name})."
    if report.dropped:  # what the format has no place for (document fields in brat...), never out of sight
        summary += f" {report.dropped_summary().capitalize()}."
    if not report.problems:
        return summary, ""
    shown = report.problems[:PROBLEMS_SHOWN]
    more = len(report.problems) - len(shown)
    lines = "\n".join(f"• {problem}" for problem in shown)
    tail = f"\n… and {more} more." if more else ""
    noun = "thing" if len(report.problems) == 1 else "things"
    return summary, (f"{summary}\n\nThe {format_name} format could not express {len(report.problems)} {noun}:\n"
                     f"{lines}{tail}")


class ExportDialog(QDialog):
    """Choose format, layers and destination; emits :attr:`chosen` with an :class:`ExportChoice`."""

    chosen = Signal(object)

    def __init__(self, annotator: str, *, directory: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export — annotator")
        self.annotator = annotator
        self.formats = writable_formats()
        self.format_combo = QComboBox(self)
        for fmt in self.formats:
            self.format_combo.addItem(fmt.name, fmt.name)
            self.format_combo.setItemData(self.format_combo.count() - 1, fmt.description, 3)  # tooltip role
        self.about = QLabel(self)
        self.about.setWordWrap(True)
        set_text_colour(self.about, muted(self.about.palette()))
        self.layer_buttons = {
            "all": QRadioButton("Every annotator's layer", self),
            "mine": QRadioButton(f"Only mine ({annotator})", self),
            "gold": QRadioButton("Only the curated gold layer", self),
        }
        self.layer_group = QButtonGroup(self)
        layers_box = QVBoxLayout()
        for button in self.layer_buttons.values():
            self.layer_group.addButton(button)
            layers_box.addWidget(button)
        self.layer_buttons["all"].setChecked(True)
        self.only_annotated = QCheckBox("Leave out documents without a layer", self)
        self.path_edit = QLineEdit(self)
        self.path_edit.setMinimumWidth(320)
        self.browse_button = QPushButton("Browse…", self)
        self.browse_button.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path_edit, 1)
        where.addWidget(self.browse_button)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        set_text_colour(self.message, readable("#8A1C00", self.message.palette()))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Format", self.format_combo)
        form.addRow("", self.about)
        form.addRow("Layers", layers_box)
        form.addRow("", self.only_annotated)
        form.addRow("Save to", where)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._directory = Path(directory) if directory else Path.home()
        self._replace_confirmed: Path | None = None
        self.path_edit.textChanged.connect(self._forget_confirmation)
        self.format_combo.currentIndexChanged.connect(self._on_format)
        self.layer_buttons["gold"].toggled.connect(self._on_gold)
        self._on_format()
        fit_to_available(self, self.sizeHint())

    def current_format(self) -> Format:
        return self.formats[max(self.format_combo.currentIndex(), 0)]

    def set_format(self, name: str) -> None:
        self.format_combo.setCurrentIndex(self.format_combo.findData(name))

    def set_layers(self, which: str) -> None:
        self.layer_buttons[which].setChecked(True)

    def _default_name(self, fmt: Format) -> str:
        return "annotations-brat" if fmt.writes_directory else f"annotations{fmt.extensions[0] if fmt.extensions else ''}"

    def _on_format(self) -> None:
        fmt = self.current_format()
        self.message.setText("")  # a complaint about the previous format's destination no longer applies
        unit = f" Offsets: {fmt.offset_unit}." if fmt.offset_unit else ""
        folder = " Writes a folder (choose a new or empty one)." if fmt.writes_directory else ""
        self.about.setText(f"{fmt.description}.{unit}{folder}")
        current = self.path_edit.text().strip()
        folder_path = Path(current).parent if current else self._directory
        self.path_edit.setText(str(folder_path / self._default_name(fmt)))

    def _on_gold(self, on: bool) -> None:
        # Gold exports are training data: documents nobody curated are left out, as with `export --gold`.
        self.only_annotated.setChecked(on or self.only_annotated.isChecked())
        self.only_annotated.setEnabled(not on)

    def _forget_confirmation(self) -> None:
        self._replace_confirmed = None

    def _browse(self) -> None:
        fmt = self.current_format()
        if fmt.writes_directory:
            path = QFileDialog.getExistingDirectory(self, "Export into folder (new or empty)", str(self._directory))
        else:
            path, _ = QFileDialog.getSaveFileName(self, f"Export {fmt.name}", self.path_edit.text(),
                                                  f"{fmt.name} ({_patterns(fmt)});;All files (*)")
        if path:
            self.path_edit.setText(path)
            if not fmt.writes_directory:  # the save dialog has already asked before replacing a file
                self._replace_confirmed = Path(path).expanduser()

    def choice(self) -> ExportChoice | None:
        """The choices, or None (with a message in the dialog) when the destination cannot work."""
        fmt = self.current_format()
        text = self.path_edit.text().strip()
        if not text:
            self.message.setText("Choose where to save the export.")
            return None
        path = Path(text).expanduser()
        if not path.parent.is_dir():
            self.message.setText(f"The folder {path.parent} does not exist.")
            return None
        if fmt.writes_directory and path.exists() and (not path.is_dir() or any(path.iterdir())):
            self.message.setText(f"The {fmt.name} format writes a folder of files: choose a new or empty folder.")
            return None
        if not fmt.writes_directory and path.is_dir():
            self.message.setText(f"{path} is a folder; the {fmt.name} format writes one file.")
            return None
        if not fmt.writes_directory and path.exists() and self._replace_confirmed != path:
            # Several formats propose the same annotations.jsonl: never replace a file without a second press.
            self._replace_confirmed = path
            self.message.setText(f"{path.name} already exists in {path.parent}. Press Export again to replace it, "
                                 "or choose another name.")
            return None
        layers = next(name for name, button in self.layer_buttons.items() if button.isChecked())
        return ExportChoice(fmt.name, path, layers, self.only_annotated.isChecked() or layers == "gold")

    def submit(self) -> None:
        choice = self.choice()
        if choice is not None:
            self.message.setText("")
            self.chosen.emit(choice)
            self.accept()
