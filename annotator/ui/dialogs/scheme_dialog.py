"""The tag scheme editor: labels with key, display name, colour, shortcut and guideline, in order, and on
further tabs the labels' typed attributes, the document fields and the relation types
(:mod:`annotator.ui.dialogs.scheme_parts_editor`); JSON import and export in
:mod:`annotator.ui.dialogs.scheme_files`.

The dialog edits a plain list of :class:`core.scheme.Label` (and of fields and relation types); *Save* is one undoable operation
(:meth:`Operations.save_scheme`, through ``store.scheme_admin.replace_scheme``, which also enforces who may
edit and that labels in use keep their key). Problems are listed in the dialog itself, all at once, instead
of one modal box per mistake. The saved scheme reaches every view as ``Changes(scheme=True)``.

Colours that look alike are a warning under the table, naming the pair, not a refusal
(:meth:`SchemeDialog.colour_warnings`, thresholds in ``core.colours``): full colours are compared under
normal vision and simulated protanopia, deuteranopia and tritanopia, and the article's pale fills as they
look on a white page.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core import colours
from annotator.core.scheme import OKABE_ITO, Label, Scheme, scheme_problems
from annotator.core.scheme_parts import FieldDef, RelationType
from annotator.store import repository as repo
from annotator.store import scheme_admin
from annotator.ui.annotate.label_bar import swatch
from annotator.ui.common.screen_fit import fit_to_available
from annotator.ui.common.theme import muted, readable, set_text_colour, style_banner
from annotator.ui.dialogs.scheme_files import SchemeFiles
from annotator.ui.dialogs.scheme_parts_editor import (
    AttributesEditor,
    fields_table,
    parts_problems,
    relations_table,
)
from annotator.ui.ops.operations import Operations
from annotator.ui.ops.session import AnnotationSession

COLUMNS = ("Key", "Display name", "Colour", "Shortcut", "Guideline", "Spans")
KEY, NAME, COLOUR, SHORTCUT, GUIDELINE, SPANS = range(6)
LOCKED_HELP = ("Keys of labels that spans already use are locked 🔒: every span refers to its label by key. "
               "Their name, colour, shortcut and guideline can still change. Unused labels can be renamed or "
               "removed.")

ERROR_COLOUR, OK_COLOUR, WARNING_COLOUR = "#8A1C00", "#1A5E1A", "#8A5A00"
"""Wished-for message colours; moved towards white (or black) until readable on the dialog's palette."""


def scheme_colour_ok(text: str) -> bool:
    """A ``#RRGGBB`` colour the colour maths can read (anything else is refused on save, by name)."""
    try:
        colours.parse(text)
    except ValueError:
        return False
    return text.strip().startswith("#")


def normalised_shortcut(text: str) -> str:
    """A shortcut as Qt spells it ("s" and "S" are the same key), or "" for no shortcut."""
    text = text.strip()
    return QKeySequence(text).toString(QKeySequence.SequenceFormat.PortableText) if text else ""


class SchemeDialog(SchemeFiles, QDialog):
    """Edit, reorder, import and export the tag scheme; save it for everyone using this database."""

    def __init__(self, session: AnnotationSession, ops: Operations, *,
                 reserved_shortcuts: dict[str, str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Tag scheme — annotator")
        self.session = session
        self.ops = ops
        store = self.store = session.store
        actor = self.actor = session.annotator
        self.reserved = {normalised_shortcut(k): v for k, v in (reserved_shortcuts or {}).items() if k}
        self.last_message = ""
        self.color_dialog: QColorDialog | None = None
        with store.session() as db:
            stored = repo.get_scheme(db)
            self.labels: list[Label] = list(stored.labels)
            self.fields: list[FieldDef] = sorted(stored.fields, key=lambda f: f.order)
            self.relations: list[RelationType] = sorted(stored.relations, key=lambda r: r.order)
            self.stored_keys = [label.key for label in self.labels]
            self.usage = scheme_admin.label_usage(db)
            problem = scheme_admin.scheme_edit_problem(db, actor)
        if session.read_only:
            problem = "The database is open read-only: the scheme can be exported but not changed."
        self.problem = problem
        self._filling = False
        self._build()
        self._fill()
        fit_to_available(self, QSize(980, 520))

    # ================================================================== construction
    def _build(self) -> None:
        self.banner = QLabel(self.problem or "", self)
        self.banner.setWordWrap(True)
        style_banner(self.banner, "schemeBanner")
        self.banner.setVisible(self.problem is not None)
        self.help = QLabel(LOCKED_HELP, self)
        self.help.setWordWrap(True)
        set_text_colour(self.help, muted(self.help.palette()))
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        for col, width in ((KEY, 150), (NAME, 150), (COLOUR, 100), (SHORTCUT, 80), (SPANS, 60)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        header.setSectionResizeMode(GUIDELINE, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.table.itemChanged.connect(self._on_item_changed)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.cellDoubleClicked.connect(lambda row, col: self.choose_color(row) if col == COLOUR else None)

        self.add_button = QPushButton("Add label", self)
        self.remove_button = QPushButton("Remove", self)
        self.up_button = QPushButton("Move up", self)
        self.down_button = QPushButton("Move down", self)
        self.color_button = QPushButton("Colour…", self)
        self.import_button = QPushButton("Import JSON…", self)
        self.export_button = QPushButton("Export JSON…", self)
        self.add_button.clicked.connect(self.add_label)
        self.remove_button.clicked.connect(self.remove_selected)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.color_button.clicked.connect(lambda: self.choose_color(self.selected_row()))
        self.import_button.clicked.connect(self._ask_import)
        self.export_button.clicked.connect(self._ask_export)
        row = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button, self.color_button):
            row.addWidget(button)
        row.addStretch(1)

        self.colour_warning = QLabel("", self)
        self.colour_warning.setWordWrap(True)
        self.colour_warning.setObjectName("colourWarning")
        set_text_colour(self.colour_warning, readable(WARNING_COLOUR, self.colour_warning.palette()))
        self.colour_warning.hide()
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        labels_page = QWidget(self)
        page = QVBoxLayout(labels_page)
        page.addWidget(self.help)
        page.addWidget(self.table, 1)
        page.addLayout(row)
        page.addWidget(self.colour_warning)
        editable = self.problem is None
        self.attributes_editor = AttributesEditor(self.labels, editable=editable, parent=self)
        self.fields_editor = fields_table(self.fields, editable=editable, parent=self)
        self.relations_editor = relations_table(self.relations, editable=editable, parent=self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(labels_page, "Labels")
        self.tabs.addTab(self.attributes_editor, "Label attributes")
        self.tabs.addTab(self.fields_editor, "Document fields")
        self.tabs.addTab(self.relations_editor, "Relation types")
        self.tabs.currentChanged.connect(lambda _i: self.attributes_editor.refresh_labels())
        files = QHBoxLayout()
        files.addStretch(1)
        files.addWidget(self.import_button)
        files.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(files)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._editing_widgets = [self.add_button, self.remove_button, self.up_button, self.down_button,
                                 self.color_button, self.import_button, self.save_button]

    def _fill(self, select: int | None = None) -> None:
        """Rebuild the table from :attr:`labels` (after adding, removing, moving or importing)."""
        self._filling = True
        try:
            self.table.setRowCount(len(self.labels))
            for row, label in enumerate(self.labels):
                used = self.usage.get(label.key, 0)
                cells = [label.key, label.name, label.color.upper(), label.shortcut, label.guideline,
                         str(used) if used else ""]
                for col, value in enumerate(cells):
                    item = QTableWidgetItem(value)
                    flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                    editable = self.problem is None and col != SPANS and not (col == KEY and used)
                    if editable:
                        flags |= Qt.ItemFlag.ItemIsEditable
                    item.setFlags(flags)
                    if col == KEY and used:
                        item.setText(f"🔒 {label.key}")
                        item.setForeground(muted(self.table.palette(), QPalette.ColorRole.Base))
                        item.setToolTip(f"Used by {used} span{'' if used == 1 else 's'}: the key cannot change and the label cannot be "
                                        "removed. Its name, colour, shortcut and guideline can.")
                    if col == COLOUR:
                        item.setIcon(swatch(label.color) if QColor(label.color).isValid() else swatch("#ffffff"))
                        item.setToolTip("Double-click (or “Colour…”) to pick a colour, or type #RRGGBB")
                    if col == SPANS:
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    self.table.setItem(row, col, item)
        finally:
            self._filling = False
        if select is not None and 0 <= select < len(self.labels):
            self.table.selectRow(select)
        self._update_buttons()
        self._show_colour_warnings()

    # ================================================================== editing
    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        row, col = item.row(), item.column()
        if not 0 <= row < len(self.labels):
            return
        label = self.labels[row]
        text = item.text()
        if col == KEY and not self.usage.get(label.key):
            label.key = text.strip()
        elif col == NAME:
            label.name = text
        elif col == COLOUR:
            label.color = text.strip().upper()
            self._filling = True
            try:  # refresh the swatch in place (the item is still being edited: no table rebuild here)
                item.setIcon(swatch(label.color) if QColor(label.color).isValid() else swatch("#ffffff"))
            finally:
                self._filling = False
            self._show_colour_warnings()
        elif col == SHORTCUT:
            label.shortcut = text.strip()
        elif col == GUIDELINE:
            label.guideline = text

    def set_cell(self, row: int, column: int, text: str) -> None:
        """Type ``text`` into a cell as a user would (the same path as in-place editing)."""
        item = self.table.item(row, column)
        if item is not None and item.flags() & Qt.ItemFlag.ItemIsEditable:
            item.setText(text)

    def selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def add_label(self) -> None:
        taken = {label.key.casefold() for label in self.labels}
        n = len(self.labels) + 1
        while f"label_{n}" in taken:
            n += 1
        used_keys = {normalised_shortcut(label.shortcut) for label in self.labels} | set(self.reserved)
        shortcut = next((str(d) for d in range(1, 10) if str(d) not in used_keys), "")
        self.labels.append(Label(f"label_{n}", f"Label {n}", OKABE_ITO[len(self.labels) % len(OKABE_ITO)], shortcut))
        self._fill(len(self.labels) - 1)
        self.table.setFocus()
        self.show_message(f"Added label_{n}: give it a key, a name and a guideline, then Save.", error=False)

    def remove_selected(self) -> bool:
        row = self.selected_row()
        if row < 0:
            return False
        label = self.labels[row]
        used = self.usage.get(label.key, 0)
        if used:
            self.show_message(f"{label.name} is used by {used} span{'' if used == 1 else 's'}, so it cannot be removed (the spans would "
                              "lose their label). Delete or relabel those spans first.")
            return False
        ends = [r.key for r in self.relations if label.key in r.sources or label.key in r.targets]
        if ends:
            self.show_message(f"{label.name} is an end of the relation type{'s' if len(ends) > 1 else ''} "
                              f"{', '.join(ends)}: take it out there (Relation types tab) first.")
            return False
        del self.labels[row]
        self._fill(min(row, len(self.labels) - 1))
        return True

    def move_selected(self, step: int) -> bool:
        row = self.selected_row()
        target = row + step
        if row < 0 or not 0 <= target < len(self.labels):
            return False
        self.labels[row], self.labels[target] = self.labels[target], self.labels[row]
        self._fill(target)
        return True

    def choose_color(self, row: int) -> QColorDialog | None:
        """Open a colour picker for ``row`` (non-blocking); picking a colour updates that label."""
        if not 0 <= row < len(self.labels) or self.problem is not None:
            return None
        dialog = QColorDialog(QColor(self.labels[row].color), self)
        dialog.setWindowTitle(f"Colour of {self.labels[row].name}")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.colorSelected.connect(lambda color, r=row: self.set_color(r, color.name().upper()))
        self.color_dialog = dialog
        dialog.open()
        return dialog

    def set_color(self, row: int, color: str) -> None:
        if 0 <= row < len(self.labels):
            self.labels[row].color = color.upper()
            self._fill(row)

    def _update_buttons(self) -> None:
        row = self.selected_row()
        can = self.problem is None
        for widget in self._editing_widgets:
            widget.setEnabled(can)
        if not can:
            return
        self.remove_button.setEnabled(row >= 0 and not self.usage.get(self.labels[row].key))
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < len(self.labels) - 1)
        self.color_button.setEnabled(row >= 0)

    # ================================================================== checking and saving
    def colour_warnings(self) -> list[str]:
        """Pairs of labels whose colours are hard to tell apart, each named once, worst case first.

        Labels with an invalid colour are left to :meth:`problems`. Two checks: the full colours (underline
        bars, chips) under normal vision and three simulated deficiencies, against
        ``colours.DISTINCT_DELTA_E``; and the translucent fills the article paints under the text, on a
        white page, against ``colours.FILL_DELTA_E``.
        """
        valid = [label for label in self.labels if scheme_colour_ok(label.color)]
        hexes = [label.color for label in valid]
        found: dict[tuple[int, int], str] = {}
        for pair in colours.similar_pairs(hexes, colours.FILL_DELTA_E, visions=("normal",), over="#FFFFFF",
                                          alpha=colours.FILL_ALPHA_LIGHT):
            found[(pair.first, pair.second)] = (
                f"{valid[pair.first].name} and {valid[pair.second].name} look alike as highlights in the article "
                f"(colour difference ΔE2000 {pair.delta_e:.1f}, below {colours.FILL_DELTA_E:g}).")
        for pair in colours.similar_pairs(hexes):
            if (pair.first, pair.second) in found:
                continue
            who = "" if pair.vision == "normal" else f" for readers with {pair.vision}"
            found[(pair.first, pair.second)] = (
                f"{valid[pair.first].name} and {valid[pair.second].name} are hard to tell apart{who} "
                f"(ΔE2000 {pair.delta_e:.1f}, below {colours.DISTINCT_DELTA_E:g}).")
        return [found[key] for key in sorted(found)]

    def _show_colour_warnings(self) -> None:
        warnings = self.colour_warnings()
        self.colour_warning.setText("⚠ Colours that look alike (you can still save): " + " ".join(warnings)
                                    if warnings else "")
        self.colour_warning.setVisible(bool(warnings))

    def current_scheme(self) -> Scheme:
        """The scheme as edited on every tab (orders follow the rows)."""
        labels = [Label(lbl.key, lbl.name, lbl.color, lbl.shortcut, lbl.guideline, order,
                        [replace(a, options=list(a.options)) for a in lbl.attributes])
                  for order, lbl in enumerate(self.labels)]
        fields = [replace(f, options=list(f.options), order=order) for order, f in enumerate(self.fields)]
        relations = [replace(r, sources=list(r.sources), targets=list(r.targets), order=order)
                     for order, r in enumerate(self.relations)]
        return Scheme(labels, fields, relations)

    def problems(self) -> list[str]:
        """Everything wrong with the edited scheme, including shortcuts the window already uses.

        Each label owns two keys: its shortcut, and Alt+shortcut (tag the exact selection). Both are checked
        against the window's keys and against every other label's, compared as Qt reads them ("Del" and
        "Delete" are one key), so a clash is refused here instead of silently making both keys dead.
        """
        scheme = self.current_scheme()
        found = scheme_problems(scheme, stored_keys=self.stored_keys)
        found += parts_problems(scheme.labels, scheme.fields)
        exact_keys = {normalised_shortcut(f"Alt+{lbl.shortcut.strip()}"): lbl.key
                      for lbl in scheme.labels if lbl.shortcut.strip()}
        for n, field in enumerate(scheme.fields, 1):  # a field's shortcut focuses it from anywhere
            key = normalised_shortcut(field.shortcut)
            if field.shortcut.strip() and (not key or QKeySequence(field.shortcut).isEmpty()):
                found.append(f"Field {n} ({field.key}): {field.shortcut!r} is not a key Qt understands.")
            elif key in self.reserved:
                found.append(f"Field {n} ({field.key}): the shortcut {key} already means “{self.reserved[key]}”.")
            elif key and key in exact_keys:
                found.append(f"Field {n} ({field.key}): the shortcut {key} already tags the exact selection "
                             f"with {exact_keys[key]}.")
        taken: dict[str, tuple[str, str]] = {}  # key as Qt spells it -> (shortcut as typed, label key)
        for n, label in enumerate(scheme.labels, 1):
            raw = label.shortcut.strip()
            if not raw:
                continue
            where = f"Label {n} ({label.key})"
            key = normalised_shortcut(raw)
            sequence = QKeySequence(raw)
            if not key or sequence.isEmpty():
                found.append(f"{where}: {label.shortcut!r} is not a key Qt understands.")
                continue
            if sequence.count() > 1:
                found.append(f"{where}: the shortcut {key} is a sequence of keys; a label's shortcut is one key "
                             "(with Ctrl or Shift if you like).")
                continue
            first = sequence[0]  # type: ignore[index]  # Qt's operator[]; PySide6's stub lacks __getitem__
            if first.keyboardModifiers() & Qt.KeyboardModifier.AltModifier:
                found.append(f"{where}: the shortcut {key} uses Alt, which annotator adds itself (Alt+key tags the "
                             "exact selection); choose the key without Alt.")
                continue
            if key in self.reserved:
                found.append(f"{where}: the shortcut {key} already means “{self.reserved[key]}”.")
            exact = normalised_shortcut(f"Alt+{key}")
            if exact in self.reserved:
                found.append(f"{where}: {exact} (this label on the exact selection) already means "
                             f"“{self.reserved[exact]}”; choose another key.")
            # Alt is refused above, so two labels' Alt+keys clash exactly when their keys do.
            if key in taken and taken[key][0].lower() != raw.lower():  # the same text: core already said so
                found.append(f"{where}: the shortcut {key} is already the shortcut of {taken[key][1]}.")
            taken.setdefault(key, (raw, label.key))
        return found

    def save(self) -> bool:
        if self.problem is not None:
            self.show_message(self.problem)
            return False
        found = self.problems()
        if found:
            self.show_message("Not saved:\n• " + "\n• ".join(found))
            return False
        if not self.ops.save_scheme(self.current_scheme(), report=lambda reason: self.show_message(f"Not saved: {reason}")):
            return False
        self.show_message("Saved.", error=False)
        self.accept()
        return True

    def show_message(self, text: str, *, error: bool = True) -> None:
        self.last_message = text
        set_text_colour(self.message, readable(ERROR_COLOUR if error else OK_COLOUR, self.message.palette()))
        self.message.setText(text)
