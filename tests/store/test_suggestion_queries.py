"""Suggestions store: the phrase dictionary counted in SQL (per scope), and one document's suggestions."""

from __future__ import annotations

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.model import GOLD_ANNOTATOR, DocumentRecord, doc_id_for
from annotator.core.text import text_sha256
from annotator.store import repository as repo
from annotator.store.suggestions import document_suggestions, tagged_phrases

FIRST = "The agency kept loyalty payments from every worker. Loyalty payments were due monthly."
SECOND = "Crews sent LOYALTY  PAYMENTS home; the overtime was unpaid and the overtime went on."
THIRD = "Nothing here is tagged yet, but loyalty payments and unpaid overtime are mentioned."


def _add(session, text: str) -> int:  # type: ignore[no-untyped-def]
    sha = text_sha256(text)
    row, _ = repo.add_document(session, DocumentRecord(doc_id_for(sha), text, sha, {}))
    return row.id


def _tag(session, doc: int, who: str, text: str, phrase: str, label: str, nth: int = 0) -> None:  # type: ignore[no-untyped-def]
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    repo.add_span(session, doc, who, start, start + len(phrase), label)


@pytest.fixture
def corpus(any_store):  # type: ignore[no-untyped-def]
    with any_store.write() as session:
        repo.ensure_default_scheme(session)
        for name in ("ana", "ben", GOLD_ANNOTATOR):
            repo.get_or_create_annotator(session, name)
        d1, d2, d3 = _add(session, FIRST), _add(session, SECOND), _add(session, THIRD)
        _tag(session, d1, "ana", FIRST, "loyalty payments", "remittance")
        _tag(session, d1, "ana", FIRST, "Loyalty payments", "remittance")
        _tag(session, d2, "ana", SECOND, "LOYALTY  PAYMENTS", "sanctions")
        _tag(session, d2, "ana", SECOND, "overtime", "working_hours")
        _tag(session, d2, "ana", SECOND, "on", "working_hours")  # too short: never a phrase
        _tag(session, d2, "ben", SECOND, "overtime", "working_hours")
        _tag(session, d2, "ben", SECOND, "overtime", "working_hours", nth=1)
        _tag(session, d1, "ben", FIRST, "worker", "injury")
        _tag(session, d1, GOLD_ANNOTATOR, FIRST, "loyalty payments", "remittance")
    return any_store, (d1, d2, d3)


def test_the_dictionary_is_counted_per_scope(corpus) -> None:  # type: ignore[no-untyped-def]
    store, _docs = corpus
    with store.session() as session:
        assert tagged_phrases(session, "ana") == [
            ("LOYALTY  PAYMENTS", "sanctions", 1), ("Loyalty payments", "remittance", 1),
            ("loyalty payments", "remittance", 1), ("overtime", "working_hours", 1)]
        assert tagged_phrases(session, "ana", "all") == [
            ("LOYALTY  PAYMENTS", "sanctions", 1), ("Loyalty payments", "remittance", 1),
            ("loyalty payments", "remittance", 1), ("overtime", "working_hours", 3), ("worker", "injury", 1)]
        assert tagged_phrases(session, "ana", "gold") == [("loyalty payments", "remittance", 1)]
        assert tagged_phrases(session, "nobody") == []
        assert tagged_phrases(session, "ana", min_length=9) == [
            ("LOYALTY  PAYMENTS", "sanctions", 1), ("Loyalty payments", "remittance", 1),
            ("loyalty payments", "remittance", 1)]
        with pytest.raises(AnnotatorError, match="unknown suggestion source"):
            tagged_phrases(session, "ana", "everyone")  # type: ignore[arg-type]


def test_document_suggestions_merge_spellings_and_skip_what_the_layer_has(corpus) -> None:  # type: ignore[no-untyped-def]
    store, (d1, d2, d3) = corpus
    with store.session() as session:
        fresh = document_suggestions(session, d3, "ana", "ana")
        assert [(THIRD[s.start:s.end], s.label, s.support) for s in fresh] == [
            ("loyalty payments", "remittance", 2), ("loyalty payments", "sanctions", 1),
            ("overtime", "working_hours", 1)]
        # In the first article ana already tagged both occurrences as remittance: only the other label is left.
        first = document_suggestions(session, d1, "ana", "ana")
        assert [(s.start, s.label) for s in first] == [(16, "sanctions"), (52, "sanctions")]
        # ben's layer of the second article, with everyone's phrases: ben tagged both "overtime"s already.
        second = document_suggestions(session, d2, "ben", "ben", "all")
        assert [(SECOND[s.start:s.end], s.label, s.support) for s in second] == [
            ("LOYALTY  PAYMENTS", "remittance", 2), ("LOYALTY  PAYMENTS", "sanctions", 1)]
        assert document_suggestions(session, d3, "ana", "nobody") == []
        with pytest.raises(AnnotatorError, match="does not exist"):
            document_suggestions(session, 9999, "ana", "ana")
