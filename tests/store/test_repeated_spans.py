"""A layer never holds the same span twice: the store refuses an identical span, import skips and names it.

The app refuses a repeated tag before it reaches the store (tests/ui/test_no_silent_surprises.py); these
tests hold the store and the importer to the same rule for every other writer (scripts, two windows).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.formats.articles import document_from_text
from annotator.store import repository as repo
from annotator.store.importing import import_paths

TEXT = "The North Korean crews worked North Korean hours."


def _doc(store) -> int:  # type: ignore[no-untyped-def]
    with store.write() as session:
        repo.ensure_default_scheme(session)
        row, _ = repo.add_document(session, document_from_text(TEXT, {"title": "Crews"}))
        return row.id


def _spans(store, doc: int, who: str = "ana") -> list[tuple[int, int, str]]:  # type: ignore[no-untyped-def]
    with store.session() as session:
        return [(s.start, s.end, s.label) for s in repo.list_spans(session, doc, who)]


def test_an_identical_span_in_one_layer_is_refused_and_changes_nothing(any_store) -> None:
    doc = _doc(any_store)
    start = TEXT.index("North Korean")
    with any_store.write() as session:
        repo.add_span(session, doc, "ana", start, start + 12, "working_hours", actor="ana")
    refusal = r"ana's layer already has the span 4-16 'working_hours' \(“North Korean”\); an identical span is not"
    with pytest.raises(AnnotatorError, match=refusal), any_store.write() as session:
        repo.add_span(session, doc, "ana", start, start + 12, "working_hours", actor="ana")
    with any_store.session() as session:
        assert repo.get_layer(session, doc, "ana").span_count == 1
    # Anything that differs is another span: the label, either boundary, the layer, the same words elsewhere.
    other = TEXT.index("North Korean", start + 1)
    with any_store.write() as session:
        repo.add_span(session, doc, "ana", start, start + 12, "injury", actor="ana")
        repo.add_span(session, doc, "ana", start, start + 5, "working_hours", actor="ana")
        repo.add_span(session, doc, "ana", start + 6, start + 12, "working_hours", actor="ana")
        repo.add_span(session, doc, "ana", other, other + 12, "working_hours", actor="ana")
        repo.add_span(session, doc, "bo", start, start + 12, "working_hours", actor="bo")
    assert len(_spans(any_store, doc)) == 5 and _spans(any_store, doc, "bo") == [(4, 16, "working_hours")]
    with any_store.session() as session:
        assert repo.get_layer(session, doc, "ana").span_count == 5


def test_a_deleted_span_can_be_tagged_again(store) -> None:
    doc = _doc(store)
    with store.write() as session:
        span = repo.add_span(session, doc, "ana", 4, 16, "injury", actor="ana")
    with store.write() as session:
        repo.delete_span(session, span.id, actor="ana")
    with store.write() as session:  # undo's restore under the old id, and a plain new tag afterwards
        repo.add_span(session, doc, "ana", 4, 16, "injury", actor="ana", span_id=span.id)
        repo.delete_span(session, span.id, actor="ana")
        repo.add_span(session, doc, "ana", 4, 16, "injury", actor="ana")
    assert _spans(store, doc) == [(4, 16, "injury")]


def test_the_repeat_check_is_one_probe_of_the_layer_index(store) -> None:
    """The tagging hot path stays one indexed lookup: SQLite's plan searches spans by its layer index."""
    from annotator.store import span_sql

    params = {"document_id": 1, "label": "injury", "owner": "ana", "actor": None, "cut_from": 1, "cut_len": 3,
              "span_start": 0, "span_end": 3}
    compiled = span_sql.ADD_LOOKUP.compile(store.engine, compile_kwargs={})
    with store.engine.connect() as conn:
        plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled),
                                    tuple(params[name] for name in compiled.positiontup)).all()
    details = " ".join(row[-1] for row in plan)
    assert "SEARCH spans USING INDEX ix_spans_layer_start" in details and "SCAN spans" not in details


def test_import_skips_a_repeated_span_names_file_and_line_and_keeps_the_rest(store, tmp_path: Path) -> None:
    start, other = TEXT.index("North Korean"), TEXT.index("hours")
    span = {"start": start, "end": start + 12, "label": "working_hours", "text": "North Korean"}
    hours = {"start": other, "end": other + 5, "label": "working_hours", "text": "hours"}
    records = [
        {"doc_id": "crews", "text": TEXT, "annotator": "ana", "spans": [span, hours, span]},  # repeat in line 1
        {"doc_id": "other", "text": "Another report.", "annotator": "ana", "spans": []},
        {"doc_id": "crews", "text": TEXT, "annotator": "ana", "spans": [dict(span, label="injury"), span]},
        {"doc_id": "crews", "text": TEXT, "annotator": "bo", "spans": [span]},  # another layer: not a repeat
    ]
    path = tmp_path / "repeats.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    summary = import_paths(store, [path])
    assert not summary.refused and not summary.skipped_records
    assert summary.spans == 4 and summary.spans_repeated == 2 and summary.spans_present == 0
    repeat = "span 4-16 'working_hours' (“North Korean”) is given more than once for ana's layer; skipped"
    assert summary.notices == [f"{path}, line 1: {repeat} (a layer holds each span once)",
                               f"{path}, line 3: {repeat} (a layer holds each span once)"]
    assert "2 repeated spans skipped" in summary.describe()
    with store.session() as session:
        doc = repo.find_document(session, doc_id="crews")
        assert doc is not None
        assert repo.get_layer(session, doc.id, "ana").span_count == 3
    assert sorted(_spans(store, doc.id)) == [(4, 16, "injury"), (4, 16, "working_hours"),
                                             (other, other + 5, "working_hours")]
    assert _spans(store, doc.id, "bo") == [(4, 16, "working_hours")]

    # The same file again: everything is already there, and that is counted, not named span by span.
    again = import_paths(store, [path])
    assert again.spans == 0 and again.spans_present == 4 and again.spans_repeated == 2
    assert len(_spans(store, doc.id)) == 3


def test_many_repeats_are_named_up_to_a_limit_and_counted_after_it(store, tmp_path: Path) -> None:
    from annotator.store.importing import REPEAT_NOTICES

    span = {"start": 4, "end": 16, "label": "injury", "text": "North Korean"}
    path = tmp_path / "many.jsonl"
    path.write_text(json.dumps({"text": TEXT, "annotator": "ana", "spans": [span] * (REPEAT_NOTICES + 6)}) + "\n",
                    encoding="utf-8")
    summary = import_paths(store, [path])
    assert summary.spans == 1 and summary.spans_repeated == REPEAT_NOTICES + 5
    assert len(summary.notices) == REPEAT_NOTICES + 1
    assert summary.notices[-1] == f"{path}: 5 more repeated spans skipped"
