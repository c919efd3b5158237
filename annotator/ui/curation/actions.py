"""What the curation window's buttons and keys do: each user action becomes one ``CurationOps`` call.

Kept apart from the window's layout (``curation_view.py``) so the rules of each action read in one place:
accepting a version replaces the group's gold (``core.curation.accept_version``: one undo step restores
the previous gold and decision), "Add to gold" refuses a second label on an extent gold already holds,
boundary keys step the gold span with ``core.boundaries`` (presses in a row are one undo step), and the
window follows ``Changes`` from anywhere — this window, the main window, another curation command.
"""

from __future__ import annotations

from typing import Any

import shiboken6

from annotator.core import curation as rules
from annotator.core.boundaries import Edge, Unit, move_boundary
from annotator.core.model import GOLD_ANNOTATOR
from annotator.core.relation_curation import RelationOffer, gold_span_id, relation_offers
from annotator.core.selection import span_from_selection
from annotator.store.repository import SpanView
from annotator.ui.common.palette_colours import message_colour
from annotator.ui.curation.relation_box import lane_marks
from annotator.ui.ops.changes import Changes

# A mixin of CurationView: typing its base as the class that mixes it in is a cycle mypy cannot resolve,
# so attribute access on ``self`` here is unchecked (Any); the window's own module is fully checked.
Base: Any = object


class CurationActions(Base):
    """Mixed into :class:`~annotator.ui.curation.curation_view.CurationView`."""

    _message_is_error = True

    # ================================================================== versions and the editor
    def editor_values(self) -> tuple[int, int, str]:
        return self.editor.values()

    def selected_version(self) -> tuple[str, tuple[int, int, str] | None] | None:
        return self.versions_box.selected()

    def select_version(self, annotator: str, index: int = 0) -> bool:
        """Select the ``index``-th row of ``annotator`` in the versions table."""
        return self.versions_box.select(annotator, index)

    def selected_gold(self) -> SpanView | None:
        sid = self.editor.selected_id()
        return next((s for s in self.gold if s.id == sid), None)

    def _on_version_selected(self) -> None:
        chosen = self.selected_version()
        if chosen is not None and chosen[1] is not None:
            name, sp = chosen
            self.editor.load(sp)
            match = next((s for s in self.versions.get(name, []) if (s.start, s.end, s.label) == sp), None)
            if match is not None:
                self.lane_views[name].select_span(match.id, scroll=True)
        self._update_enabled()

    def _on_gold_row(self, _row: int) -> None:
        span = self.selected_gold()
        if span is not None:
            self.editor.load((span.start, span.end, span.label))
            self.lane_views[GOLD_ANNOTATOR].select_span(span.id, scroll=True)
        self._update_enabled()

    def use_text_selection(self) -> bool:
        """Boundaries from text selected in a lane (gold first), trimmed of whitespace; applied at once to
        the selected gold span, else put in the editor for "Add to gold"."""
        selection = self.lanes.selection()
        if selection is None or self.current is None:
            self.show_message("Select some text in one of the lanes first.")
            return False
        bounds = span_from_selection(self.current.text, *selection, snap=False)
        if bounds is None:
            self.show_message("The selection is only whitespace: nothing was changed.")
            return False
        self.editor.set_bounds(*bounds)
        span = self.selected_gold()
        if span is not None and self.problem is None:
            return self.ops.update_gold(self.current.pk, span, bounds[0], bounds[1], span.label)
        return True

    def move_boundary(self, edge: Edge, direction: int, unit: Unit) -> bool:
        """Alt(+Shift)(+Ctrl)+Left/Right: step the selected gold span's edge (one undo step for presses in a
        row), or the editor's boundaries when no gold span is selected."""
        if self.current is None or not self.current.text:
            return False
        span = self.selected_gold()
        start, end, _label = self.editor_values() if span is None else (span.start, span.end, span.label)
        moved = move_boundary(self.current.text, start, max(end, start + 1), edge, direction, unit)
        if moved.refused:
            self.show_message(f"Not moved: {moved.refused}.")
            return False
        self.editor.set_bounds(moved.start, moved.end)
        if span is None:
            return True
        if self.problem is not None:
            self.show_message(self.problem)
            return False
        return self.ops.update_gold(self.current.pk, span, moved.start, moved.end, span.label, mergeable=True)

    # ================================================================== curation actions
    def pre_accept(self) -> bool:
        """Copy the spans the policy accepts (and gold lacks) into gold, as one undoable command."""
        if self.current is None:
            return False
        have = {(s.start, s.end, s.label) for s in self.gold}
        todo = [sp for sp in self.plan.accepted if sp not in have]
        if not todo:
            self.show_message("Every span the policy accepts is already in gold.", error=False)
            return True
        return self.ops.add_gold(self.current.pk, todo, f"Pre-accept {len(todo)} agreed spans ({self.policy})")

    def accept_version_row(self, row: int) -> bool:
        """Key 1–9: accept the version in that row of the table."""
        if self.versions_box.version(row) is None:
            self.show_message(f"This group has no version {row + 1}.")
            return False
        self.versions_table.selectRow(row)
        return self.accept_selected_version()

    def accept_selected_version(self) -> bool:
        """Make the selected version the group's gold: one step replacing whatever gold the group held."""
        chosen, group = self.selected_version(), self.current_group()
        if self.current is None or chosen is None or group is None:
            return False
        if self.problem is not None:
            self.show_message(self.problem)
            return False
        name, sp = chosen
        step = rules.accept_version(group, self._gold_tuples(), group.versions.get(name, ()), sp)
        key = self.group_key(group)
        if not step.remove and not step.add and step.rejected == (key in self._rejected_keys()):
            self.show_message("That version is already in gold: it is the group's gold." if sp else
                              "The group is already rejected: gold holds nothing here.", error=False)
            return True
        gone = set(step.remove)
        remove = [s for s in self._gold_in_group(group) if (s.start, s.end, s.label) in gone]
        if sp is None:
            text = f"Keep {name}'s nothing at {key[0]}–{key[1]}"
        elif not remove and not step.add:
            text = f"Keep the pre-accepted {sp[2]} {sp[0]}–{sp[1]}"
        else:
            text = f"{'Replace gold with' if remove else 'Accept'} {name}'s {sp[2]} {sp[0]}–{sp[1]}"
        return self.ops.replace_gold(self.current.pk, remove, step.add, text, decision=(key, step.rejected))

    def _checked_editor(self) -> tuple[int, int, str] | None:
        start, end, label = self.editor_values()
        if end <= start:
            self.show_message("The end must come after the start.")
            return None
        return start, end, label

    def add_edited_span(self) -> bool:
        values = self._checked_editor()
        if self.current is None or values is None:
            return False
        other = rules.same_extent(self._gold_tuples(), values)
        if other is not None:
            self.show_message(f"Gold already has {self.label_names.get(other[2], other[2])} at {other[0]}–{other[1]}: "
                              "select it under “In gold here” and apply the new label instead of adding a second.")
            return False
        return self.ops.add_gold(self.current.pk, [values], f"Add gold {values[2]} {values[0]}–{values[1]}")

    def apply_edit_to_gold(self) -> bool:
        span = self.selected_gold()
        values = self._checked_editor()
        if self.current is None or span is None or values is None:
            return False
        other = rules.same_extent([(s.start, s.end, s.label) for s in self.gold if s.id != span.id], values)
        if other is not None:
            self.show_message(f"Gold already has {self.label_names.get(other[2], other[2])} at {other[0]}–{other[1]}.")
            return False
        return self.ops.update_gold(self.current.pk, span, *values)

    def remove_selected_gold(self) -> bool:
        span = self.selected_gold()
        if self.current is None or span is None:
            return False
        return self.ops.remove_gold(self.current.pk, span)

    def reject_current_group(self) -> bool:
        group = self.current_group()
        if self.current is None or group is None:
            return False
        if self.group_state(group) != "open":
            self.show_message("The group is already resolved: accept another version to change it, or press "
                              "the number of a “nothing marked here” row to empty it.", error=False)
            return False
        if self.problem is not None:
            self.show_message(self.problem)
            return False
        return self.ops.reject(self.current.pk, self.group_key(group))

    def mark_gold_done(self) -> bool:
        if self.current is None:
            return False
        left = self.unresolved()
        if left:
            self.show_message(f"{left} group(s) are still open: resolve each before marking gold done.")
            return False
        if self.gold_status == "done":
            self.show_message("Gold is already marked done for this document.", error=False)
            return True
        return self.ops.set_gold_status(self.current.pk, self.gold_status, "done")

    # ================================================================== relations
    def show_relations(self) -> None:
        """Offer the analysts' relations between gold spans, and draw every lane's relations."""
        if self.current is None:
            return
        gold_spans = {s.id: (s.start, s.end, s.label) for s in self.gold}
        versions = {name: ({s.id: (s.start, s.end, s.label) for s in self.versions.get(name, [])},
                           [(r.source_span_id, r.target_span_id, r.label) for r in self.relations.get(name, [])])
                    for name in self.annotators}
        gold = (gold_spans, [(r.source_span_id, r.target_span_id, r.label) for r in self.gold_relations])
        self.relation_box.show_offers(relation_offers(versions, gold), self.current.text, self.label_names,
                                      self.scheme)
        for name, view in self.lanes.views.items():
            relations = self.gold_relations if name == GOLD_ANNOTATOR else self.relations.get(name, [])
            marks = lane_marks(relations, self.scheme)
            if marks != view.relation_marks:
                view.set_relation_marks(marks)

    def accept_relation(self, offer: RelationOffer) -> bool:
        """Link the two gold spans ``offer`` names with its relation type (one undo step)."""
        if self.current is None:
            return False
        gold_spans = {s.id: (s.start, s.end, s.label) for s in self.gold}
        source, target = gold_span_id(gold_spans, offer.source), gold_span_id(gold_spans, offer.target)
        if source is None or target is None:
            self.show_message("One of the relation's spans is no longer in gold: the relation was not added.")
            return False
        kind = self.scheme.relation_type(offer.label)
        text = f"Accept relation {kind.name if kind is not None else offer.label} into gold"
        return self.ops.add_gold_relation(self.current.pk, (source, target, offer.label), text)

    # ================================================================== feedback
    def _on_session_changed(self, changes: Changes) -> None:
        """Any change to the open document — here, in the main window or a colleague's — is shown at once."""
        if not shiboken6.isValid(self) or self.current is None:
            return
        if changes.corpus or changes.scheme or self.current.pk in changes.touched_documents():
            if changes.decisions and self.current.pk in changes.decisions or changes.corpus:
                self.ops.load_rejected(self.current.pk)
            self._on_changed(self.current.pk)

    def _on_changed(self, doc_pk: int) -> None:
        if self.current is None or doc_pk != self.current.pk:
            return
        self._reload_gold()
        self._fill_groups()
        group = self.current_group()
        if group is not None:
            self._fill_gold_here(group)
        self._update_enabled()

    def _on_undo_index(self, _index: int) -> None:
        # The stack announces a last index change while the window is being destroyed.
        if shiboken6.isValid(self) and shiboken6.isValid(self.ops.undo_stack):
            self._update_enabled()

    def _update_enabled(self) -> None:
        can = self.problem is None and self.current is not None
        for widget in self._curation_widgets:
            widget.setEnabled(can)
        if not can:
            self.undo_button.setEnabled(False)
            self.redo_button.setEnabled(False)
            return
        group = self.current_group()
        chosen = self.selected_version()
        self.accept_button.setEnabled(group is not None and chosen is not None)
        self.reject_button.setEnabled(group is not None and self.group_state(group) == "open")
        self.apply_button.setEnabled(self.selected_gold() is not None)
        self.remove_button.setEnabled(self.selected_gold() is not None)
        self.pre_accept_button.setEnabled(bool(self.plan.accepted))
        self.done_button.setEnabled(self.unresolved() == 0 and self.gold_status != "done")
        self.undo_button.setEnabled(self.ops.undo_stack.canUndo())
        self.redo_button.setEnabled(self.ops.undo_stack.canRedo())

    def show_message(self, message: str, *, error: bool = True) -> None:
        """Say it in the window (no modal dialog: a test or a screenshot must never block)."""
        self.last_message = message
        self._message_is_error = error
        self.message.setStyleSheet(f"color: {message_colour(self.palette(), error=error).name()};")
        self.message.setText(message)
