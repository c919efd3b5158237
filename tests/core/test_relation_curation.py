"""The curation rule for relations: offered once both spans are exactly in gold, once per relation, with
everyone who drew it, and never when gold already holds it."""

from __future__ import annotations

from annotator.core.relation_curation import RelationOffer, gold_span_id, relation_offers

HOURS, INJURY, OTHER = (0, 5, "working_hours"), (10, 16, "injury"), (20, 25, "injury")


def test_offered_only_when_both_spans_are_in_gold_with_every_analyst() -> None:
    versions = {
        "b": ({7: HOURS, 8: INJURY}, [(7, 8, "caused")]),
        "a": ({1: HOURS, 2: INJURY, 3: OTHER}, [(1, 2, "caused"), (1, 3, "caused")]),
    }
    gold = ({40: HOURS, 41: INJURY}, [])
    assert relation_offers(versions, gold) == [RelationOffer(HOURS, INJURY, "caused", ("a", "b"))]


def test_a_label_or_boundary_that_differs_from_gold_is_not_offered() -> None:
    versions = {"a": ({1: HOURS, 2: (10, 16, "sanctions")}, [(1, 2, "caused")]),
                "b": ({1: HOURS, 2: (10, 17, "injury")}, [(1, 2, "caused")])}
    assert relation_offers(versions, ({40: HOURS, 41: INJURY}, [])) == []


def test_a_relation_gold_holds_is_not_offered_again_but_another_type_is() -> None:
    versions = {"a": ({1: HOURS, 2: INJURY}, [(1, 2, "caused"), (1, 2, "near")])}
    gold = ({40: HOURS, 41: INJURY}, [(40, 41, "caused")])
    assert relation_offers(versions, gold) == [RelationOffer(HOURS, INJURY, "near", ("a",))]
    assert gold_span_id(gold[0], INJURY) == 41 and gold_span_id(gold[0], OTHER) is None
