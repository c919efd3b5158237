"""The curation window's relations: the analysts' links between spans that gold already holds, to accept.

Why a box of its own: relations are curated after spans — a relation can go into gold only between two
gold spans — so they are offered apart from the disagreement groups, by the rule in
:mod:`annotator.core.relation_curation`: once both of a relation's spans are in gold exactly, it is listed
here with the analysts who drew it, and Enter (or *Accept relation*) links the two gold spans, one undo
step on the curation stack. The box also hands each lane the relations to draw (an analyst's own in
their lane, gold's in the gold lane), read-only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.relation_curation import RelationOffer
from annotator.core.scheme import Scheme
from annotator.store.repository import RelationView
from annotator.ui.annotate.relation_paint import RelationMark

ROLE_OFFER = Qt.ItemDataRole.UserRole


def lane_marks(relations: Sequence[RelationView], scheme: Scheme) -> list[RelationMark]:
    """What a lane draws for one layer's relations (read-only: nothing is emphasised)."""
    marks = []
    for view in relations:
        kind = scheme.relation_type(view.label)
        marks.append(RelationMark(view.source_span_id, view.target_span_id,
                                  kind.color if kind is not None else "#888888",
                                  kind.directed if kind is not None else True))
    return marks


class RelationBox(QGroupBox):
    """The offers list and its accept button; emits :attr:`accept_requested` with the chosen offer."""

    accept_requested = Signal(object)  # RelationOffer

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Relations between gold spans", parent)
        self.list = QListWidget(self)
        self.list.setObjectName("relation_offers")
        self.list.setToolTip("Relations the analysts drew between spans that gold holds — Enter: accept into gold")
        self.accept_button = QPushButton("Accept relation", self)
        self.accept_button.setToolTip("Link the two gold spans like this (Enter in the list; undoable)")
        self.accept_button.clicked.connect(self._accept_current)
        self.list.itemActivated.connect(lambda _item: self._accept_current())
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.accept_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        self.offers: list[RelationOffer] = []
        self.setMaximumHeight(130)

    def show_offers(self, offers: list[RelationOffer], text: str, label_names: Mapping[str, str],
                    scheme: Scheme) -> None:
        """List ``offers`` ("Caused: “16 hours a day” → “back injury” — a, b"), keeping the current row."""
        keep = self.list.currentRow()
        self.offers = list(offers)
        self.list.clear()
        for offer in offers:
            kind = scheme.relation_type(offer.label)
            name = kind.name if kind is not None else offer.label
            arrow = "→" if kind is None or kind.directed else "—"
            source, target = text[offer.source[0]:offer.source[1]], text[offer.target[0]:offer.target[1]]
            item = QListWidgetItem(f"{name}: “{_short(source)}” {arrow} “{_short(target)}” — "
                                   f"{', '.join(offer.annotators)}")
            item.setToolTip(f"{label_names.get(offer.source[2], offer.source[2])} → "
                            f"{label_names.get(offer.target[2], offer.target[2])}")
            item.setData(ROLE_OFFER, offer)
            self.list.addItem(item)
        if offers:
            self.list.setCurrentRow(min(max(keep, 0), len(offers) - 1))
        self.setTitle(f"Relations between gold spans ({len(offers)} to curate)" if offers
                      else "Relations between gold spans (none to curate)")
        self.accept_button.setEnabled(self.isEnabled() and bool(offers))
        # with nothing to curate the box is only its title: the lanes above get the height back
        self.list.setVisible(bool(offers))
        self.accept_button.setVisible(bool(offers))

    def _accept_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.accept_requested.emit(item.data(ROLE_OFFER))


def _short(text: str, limit: int = 28) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
