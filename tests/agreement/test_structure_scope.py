"""Field, relation and attribute agreement read from a real store (SQLite and PostgreSQL), then the CLI.

The store reads each layer's document fields, relations and typed span attributes for the documents in
scope (store/agreement_scope.py); these tests put known judgements in through the repository, as the app
does, and check the figures the job reports — including that blind analysts get only their own finished
documents, and that a labels-only scheme's JSON keeps its old shape.
"""

from __future__ import annotations

import json

import pytest

from annotator.core.formats.articles import document_from_text
from annotator.core.scheme import Scheme
from annotator.store import repository as repo
from annotator.store.agreement_scope import build_input, run_agreement
from annotator.store.assignments import assign
from annotator.store.scheme_admin import replace_scheme
from tests.cli_helpers import run_cli

TEXTS = [
    "They worked twenty hours a day. One man lost a hand. The wages went to Pyongyang despite the ban.",
    "Shifts ran twelve hours a day and a welder was burned. Payments evaded the sanctions.",
    "A report on dormitory rules with nothing else to say.",
]


def _at(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def _fill(store) -> list[int]:  # type: ignore[no-untyped-def]
    """Three documents judged by ana and ben (done); figures worked out by hand in the tests."""
    with store.write() as session:
        repo.ensure_default_scheme(session)
        docs = [repo.add_document(session, document_from_text(t, {"title": f"T{i}"}))[0].id
                for i, t in enumerate(TEXTS)]
    relevance = {"ana": ["relevant", "relevant", "not relevant"], "ben": ["relevant", "partly", None]}
    source = {"ana": ["first-hand testimony", None, None], "ben": ["first-hand testimony", None, None]}
    hours = {"ana": 20, "ben": 20}
    severity = {"ana": "serious", "ben": "fatal"}
    with store.write() as session:
        for who in ("ana", "ben"):
            for i, doc in enumerate(docs):
                if relevance[who][i]:
                    repo.set_document_field(session, doc, who, "relevance", relevance[who][i], actor=who)
                if source[who][i]:
                    repo.set_document_field(session, doc, who, "source_type", source[who][i], actor=who)
            text = TEXTS[0]
            work = repo.add_span(session, docs[0], who, *_at(text, "twenty hours a day"), "working_hours",
                                 actor=who, attributes={"hours_per_day": hours[who]})
            hand = repo.add_span(session, docs[0], who, *_at(text, "lost a hand"), "injury", actor=who,
                                 attributes={"severity": severity[who]})
            repo.add_relation(session, work.id, hand.id, "caused", actor=who)
            wages = repo.add_span(session, docs[0], who, *_at(text, "wages went to Pyongyang"), "remittance",
                                  actor=who)
            # ana links the wages to the ban; ben tags the ban a word longer, so their link cannot match
            ban = repo.add_span(session, docs[0], who, *_at(text, "the ban" if who == "ana" else "despite the ban"),
                                "sanctions", actor=who)
            repo.add_relation(session, wages.id, ban.id, "evades", actor=who)
            for doc in docs:
                repo.set_status(session, doc, who, "done", actor=who)
    return docs


def test_fields_relations_and_attributes_come_from_the_store(any_store) -> None:  # type: ignore[no-untyped-def]
    _fill(any_store)
    report = run_agreement(any_store, ["ana", "ben"]).report.to_json()
    # relevance: judged by both on two documents (ben left the third empty): yes/yes, yes/partly
    assert report["doc_fields"]["relevance"]["documents"] == 2
    assert report["doc_fields"]["source_type"] == {"krippendorff_alpha": None, "cohen_kappa_mean": None,
                                                   "documents": 1}
    # relations: "caused" matches; "evades" ends on a span ben tagged a word longer
    assert report["relations"] == {"span_f1_exact": 0.5, "pairs": [
        {"annotators": ["ana", "ben"], "f1": 0.5, "tp": 1, "fp": 1, "fn": 1}]}
    attributes = report["attributes"]
    assert attributes["working_hours:hours_per_day"] == {"agreement": 1.0, "compared": 1, "one_sided": 0}
    assert attributes["injury:severity"] == {"agreement": 0.0, "compared": 1, "one_sided": 0}
    assert attributes["remittance:amount"] == {"agreement": None, "compared": 0, "one_sided": 0}


def test_the_relevance_figures_match_the_hand_computation(store) -> None:  # type: ignore[no-untyped-def]
    _fill(store)
    field = run_agreement(store, ["ana", "ben"]).report.doc_fields["relevance"]  # type: ignore[index]
    # two documents: (relevant, relevant), (relevant, partly). n = 4 values, D_o = 2/4,
    # D_e = 1 − (3·2 + 1·0)/(4·3) = 1/2 → α = 0; κ: p_o = 1/2, p_e = 1·1/2 → κ = 0.
    assert field.krippendorff_alpha == pytest.approx(0.0) and field.cohen_kappa_mean == pytest.approx(0.0)
    assert field.observed_agreement == 0.5


def test_a_label_filter_drops_relations_and_attributes_of_other_labels(store) -> None:  # type: ignore[no-untyped-def]
    _fill(store)
    report = run_agreement(store, ["ana", "ben"], ["working_hours", "injury"]).report
    assert report.relations is not None and report.relations.pairs[0].tp == 1
    assert report.relations.pairs[0].fp == 0  # "evades" links labels outside the comparison
    assert report.attributes is not None
    assert list(report.attributes) == ["working_hours:hours_per_day", "injury:severity"]


def test_blind_analysts_get_field_agreement_only_on_their_own_finished_documents(store) -> None:  # type: ignore[no-untyped-def]
    with store.write() as session:
        repo.get_or_create_annotator(session, "lead")  # the first annotator is the admin
    docs = _fill(store)
    with store.write() as session:
        assign(session, "lead", ["ana", "ben"], overlap=1.0)
        repo.set_status(session, docs[1], "ben", "in_progress", actor="ben")
    blind = run_agreement(store, ["ana", "ben"], include_in_progress=True, viewer="ben").report
    assert blind.doc_fields is not None and blind.doc_fields["relevance"].documents == 1
    everything = run_agreement(store, ["ana", "ben"], include_in_progress=True, viewer="lead").report
    assert everything.doc_fields is not None and everything.doc_fields["relevance"].documents == 2


def test_the_cli_json_and_text_show_the_new_sections(store, db_path, capsys) -> None:  # type: ignore[no-untyped-def]
    _fill(store)
    store.close()
    run = run_cli(capsys, "--db", db_path, "agreement", "--json")
    assert run.code == 0
    data = json.loads(run.out)
    assert set(data["doc_fields"]) == {"relevance", "source_type"}
    assert data["relations"]["pairs"][0]["tp"] == 1
    run = run_cli(capsys, "--db", db_path, "agreement")
    assert run.code == 0
    assert "Document fields" in run.out and "relevance" in run.out
    assert "Relations (exact" in run.out and "ana / ben" in run.out
    assert "Typed attributes" in run.out and "injury:severity" in run.out


def test_a_scheme_without_fields_or_relation_types_keeps_the_old_json(store, db_path, capsys) -> None:  # type: ignore[no-untyped-def]
    with store.write() as session:
        repo.ensure_default_scheme(session)
        replace_scheme(session, Scheme([label for label in repo.get_scheme(session).labels
                                        if not label.attributes]))
        doc = repo.add_document(session, document_from_text(TEXTS[1], {"title": "x"}))[0].id
        for who in ("ana", "ben"):
            repo.add_span(session, doc, who, *_at(TEXTS[1], "the sanctions"), "sanctions", actor=who)
            repo.set_status(session, doc, who, "done", actor=who)
    with store.session() as session:
        inp = build_input(session, ["ana", "ben"])
        assert not inp.fields and not inp.relation_types and not inp.attribute_defs
    store.close()
    run = run_cli(capsys, "--db", db_path, "agreement", "--json")
    assert run.code == 0
    assert not {"doc_fields", "relations", "attributes"} & set(json.loads(run.out))
