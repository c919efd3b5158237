"""The phrase dictionary is built once while the tagged phrases stay the same (moving between documents)."""

from __future__ import annotations

from annotator.core.model import DocumentRecord, doc_id_for
from annotator.core.text import text_sha256
from annotator.store import repository as repo
from annotator.store.suggestions import document_suggestions, phrase_dictionary, tagged_phrases


def test_same_phrases_reuse_the_dictionary_and_a_change_rebuilds_it() -> None:
    rows = [("loyalty payments", "remittance", 2), ("night shifts", "working_hours", 1)]
    first = phrase_dictionary(rows)
    assert phrase_dictionary(list(rows)) is first
    assert phrase_dictionary([*rows[:1], ("night shifts", "working_hours", 2)]) is not first  # a count
    assert phrase_dictionary(rows, min_length=5) is not phrase_dictionary(rows)


def test_suggestions_follow_new_tags_across_documents(store) -> None:
    texts = ["Crews on night shifts sent loyalty payments home every month.",
             "The loyalty payments went through a broker.",
             "Night shifts and loyalty payments were routine."]
    with store.write() as session:
        repo.ensure_default_scheme(session)
        pks = []
        for body in texts:
            sha = text_sha256(body)
            pks.append(repo.add_document(session, DocumentRecord(doc_id_for(sha), body, sha, {}))[0].id)
        start = texts[0].index("loyalty payments")
        repo.add_span(session, pks[0], "ana", start, start + 16, "remittance", actor="ana")
    with store.session() as session:
        found = [[(s.text, s.label) for s in document_suggestions(session, pk, "ana", "ana")] for pk in pks]
    assert found == [[], [("loyalty payments", "remittance")], [("loyalty payments", "remittance")]]
    with store.write() as session:  # a new phrase: the next refresh must know it
        repo.add_span(session, pks[1], "ana", 0, 3, "injury", actor="ana")  # "The": too short, ignored
        start = texts[2].index("Night shifts")
        repo.add_span(session, pks[2], "ana", start, start + 12, "working_hours", actor="ana")
    with store.session() as session:
        assert ("night shifts", "working_hours", 1) not in tagged_phrases(session, "ana")  # quotes keep case
        assert ("Night shifts", "working_hours", 1) in tagged_phrases(session, "ana")
        assert [(s.text, s.label) for s in document_suggestions(session, pks[0], "ana", "ana")] == [
            ("night shifts", "working_hours")]  # the dictionary was rebuilt with the new phrase
