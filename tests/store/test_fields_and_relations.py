"""Document fields and relations in the store: typed values, allowed links, cascade with spans, scheme edits."""

from __future__ import annotations

import pytest

from annotator.core.errors import AnnotatorError, PermissionDenied
from annotator.core.formats.articles import document_from_text
from annotator.core.scheme import default_scheme
from annotator.store import repository as repo
from annotator.store.scheme_admin import replace_scheme

TEXT = "They worked twenty hours a day. One man lost a hand. The wages went to Pyongyang despite the ban."


def _doc(store) -> int:  # type: ignore[no-untyped-def]
    with store.write() as session:
        repo.ensure_default_scheme(session)
        row, _ = repo.add_document(session, document_from_text(TEXT, {"title": "Crews"}))
        return row.id


def _span(store, doc: int, phrase: str, label: str, who: str = "ana") -> int:  # type: ignore[no-untyped-def]
    start = TEXT.index(phrase)
    with store.write() as session:
        return repo.add_span(session, doc, who, start, start + len(phrase), label, actor=who).id


def test_a_new_database_holds_the_default_fields_attributes_and_relation_types(store) -> None:  # type: ignore[no-untyped-def]
    _doc(store)
    with store.session() as session:
        assert repo.get_scheme(session) == default_scheme()


def test_field_values_are_checked_set_and_cleared_per_layer(store) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(store)
    with store.write() as session:
        assert repo.set_document_field(session, doc, "ana", "relevance", "partly", actor="ana") is None
        assert repo.set_document_field(session, doc, "ana", "relevance", "relevant", actor="ana") == "partly"
    with store.write() as session, pytest.raises(AnnotatorError, match="field 'relevance': expected one of"):
        repo.set_document_field(session, doc, "ana", "relevance", "maybe", actor="ana")
    with store.write() as session, pytest.raises(AnnotatorError, match="no document field 'mood'"):
        repo.set_document_field(session, doc, "ana", "mood", "calm", actor="ana")
    with store.session() as session:
        assert repo.document_fields(session, doc, "ana") == {"relevance": "relevant"}
        assert repo.document_structure(session, doc, "ana") == ({"relevance": "relevant"}, [])
        assert repo.document_fields(session, doc, "ben") == {}
    with store.write() as session:
        assert repo.set_document_field(session, doc, "ana", "relevance", None, actor="ana") == "relevant"
    with store.session() as session:
        assert repo.document_fields(session, doc, "ana") == {}


def test_nobody_writes_another_analysts_fields_or_relations(store) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(store)
    hours = _span(store, doc, "twenty hours a day", "working_hours")
    hand = _span(store, doc, "lost a hand", "injury")
    with store.write() as session, pytest.raises(PermissionDenied):
        repo.set_document_field(session, doc, "ana", "relevance", "partly", actor="ben")
    with store.write() as session, pytest.raises(PermissionDenied):
        repo.add_relation(session, hours, hand, "caused", actor="ben")


def test_relations_follow_the_scheme_and_stay_within_one_layer(store) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(store)
    hours = _span(store, doc, "twenty hours a day", "working_hours")
    hand = _span(store, doc, "lost a hand", "injury")
    wages = _span(store, doc, "wages went to Pyongyang", "remittance")
    bens = _span(store, doc, "lost a hand", "injury", who="ben")
    with store.write() as session:
        made = repo.add_relation(session, hours, hand, "caused", actor="ana")
    refusals = [
        ((hand, hours, "caused"), "does not go from 'injury' to 'working_hours'"),
        ((wages, hand, "caused"), "does not go from 'remittance'"),
        ((hours, hand, "caused"), "already linked"),
        ((hours, hours, "caused"), "two different spans"),
        ((hours, bens, "caused"), "same layer"),
        ((hours, hand, "blamed"), "no relation type 'blamed'"),
    ]
    for (source, target, key), message in refusals:
        with store.write() as session, pytest.raises(AnnotatorError, match=message):
            repo.add_relation(session, source, target, key, actor="ana")
    with store.session() as session:
        assert repo.document_relations(session, doc, "ana") == [made]
        assert repo.relations_touching(session, [hand]) == [made]
        assert repo.document_structure(session, doc, "ana") == ({}, [made])
        assert repo.document_structure(session, doc, "nobody") == ({}, [])


def test_deleting_a_span_deletes_its_relations(store) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(store)
    hours = _span(store, doc, "twenty hours a day", "working_hours")
    hand = _span(store, doc, "lost a hand", "injury")
    with store.write() as session:
        repo.add_relation(session, hours, hand, "caused", actor="ana")
    with store.write() as session:
        repo.delete_span(session, hand, actor="ana")
    with store.session() as session:
        assert repo.document_relations(session, doc, "ana") == []


def test_a_relation_can_be_deleted_and_reports_what_it_was(store) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(store)
    hours = _span(store, doc, "twenty hours a day", "working_hours")
    hand = _span(store, doc, "lost a hand", "injury")
    with store.write() as session:
        made = repo.add_relation(session, hours, hand, "caused", actor="ana")
    with store.write() as session:
        assert repo.delete_relation(session, made.id, actor="ana") == made
    with store.write() as session, pytest.raises(AnnotatorError, match="no longer exists"):
        repo.delete_relation(session, made.id, actor="ana")


def test_replacing_the_scheme_refuses_to_drop_parts_in_use(store) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(store)
    hours = _span(store, doc, "twenty hours a day", "working_hours")
    hand = _span(store, doc, "lost a hand", "injury")
    with store.write() as session:
        repo.set_document_field(session, doc, "ana", "relevance", "relevant", actor="ana")
        repo.add_relation(session, hours, hand, "caused", actor="ana")
    slimmer = default_scheme()
    slimmer.fields = [f for f in slimmer.fields if f.key != "relevance"]
    with store.write() as session, pytest.raises(AnnotatorError, match=r"fields in use .*relevance \(1 values\)"):
        replace_scheme(session, slimmer)
    slimmer = default_scheme()
    slimmer.relations = [r for r in slimmer.relations if r.key != "caused"]
    with store.write() as session, pytest.raises(AnnotatorError, match=r"relation types in use .*caused"):
        replace_scheme(session, slimmer)
    unused_gone = default_scheme()
    unused_gone.fields = [f for f in unused_gone.fields if f.key != "source_type"]
    unused_gone.relations = [r for r in unused_gone.relations if r.key != "evades"]
    unused_gone.get("injury").attributes = []
    with store.write() as session:
        replace_scheme(session, unused_gone)
    with store.session() as session:
        assert repo.get_scheme(session) == unused_gone
