"""The phrase dictionary behind suggestions, gathered in SQL, and the suggestions for one document.

Suggestions offer a phrase wherever it occurs once someone has tagged it (:mod:`annotator.core.suggestions`).
The dictionary is every distinct (quote, label) with the number of spans behind it, across the whole
corpus, so the database groups and counts: a corpus of 100,000 spans sends a few thousand rows, not every
span. Quotes too short to be suggested are dropped in SQL too (``length`` counts code points on SQLite and
PostgreSQL alike); the core applies the finer rules (whitespace, function words).

Whose spans count (``scope``):

* ``"mine"`` (the default): the acting annotator's own layers — an analyst is offered their own choices,
  which they are accountable for;
* ``"all"``: every annotator's layers except the gold layer (gold is copied from them, so counting it
  would count the same decision twice);
* ``"gold"``: the curated gold layer only.

An analyst annotating blind (assignments exist and they are not a curator or admin) is offered only their
own phrases whatever the scope asks: others' choices would tell them what a colleague tagged.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotator.core.errors import AnnotatorError
from annotator.core.model import GOLD_ANNOTATOR
from annotator.core.suggestions import DEFAULT_MIN_LENGTH, PhraseDictionary, Suggestion
from annotator.store.assignments import blind_for
from annotator.store.models import Annotator, Document, Label, Layer, Span

Scope = Literal["mine", "all", "gold"]
SCOPES: tuple[Scope, ...] = ("mine", "all", "gold")


def tagged_phrases(session: Session, annotator: str, scope: Scope = "mine", *,
                   min_length: int = DEFAULT_MIN_LENGTH) -> list[tuple[str, str, int]]:
    """Distinct (quote, label key, number of spans) from the layers ``scope`` names, sorted by quote, label.

    Sorted in Python, not SQL, so both dialects give the same order whatever their collation.
    """
    count = func.count(Span.id)
    query = (select(Span.quote, Label.key, count)
             .join(Label, Span.label_id == Label.id)
             .join(Layer, Span.layer_id == Layer.id)
             .join(Annotator, Layer.annotator_id == Annotator.id)
             .where(func.length(Span.quote) >= min_length)
             .group_by(Span.quote, Label.key))
    if scope != "mine" and scope in SCOPES and blind_for(session, annotator):
        scope = "mine"  # blind annotation (store/assignments.py): no colleague's phrases, not even gold's
    if scope == "mine":
        query = query.where(Annotator.name == annotator)
    elif scope == "gold":
        query = query.where(Annotator.name == GOLD_ANNOTATOR)
    elif scope == "all":
        query = query.where(Annotator.name != GOLD_ANNOTATOR)
    else:
        raise AnnotatorError(f"unknown suggestion source {scope!r} (expected one of {', '.join(SCOPES)})")
    return sorted((quote, key, int(n)) for quote, key, n in session.execute(query))


_last_dictionary: tuple[tuple[tuple[str, str, int], ...], int, PhraseDictionary] | None = None


def phrase_dictionary(rows: list[tuple[str, str, int]], min_length: int = DEFAULT_MIN_LENGTH) -> PhraseDictionary:
    """The dictionary for ``rows`` (from :func:`tagged_phrases`), reusing the last one built while the
    tagged phrases and their counts are the same.

    Building is most of a refresh (about a second for 100,000 distinct phrases), and moving from document
    to document with the Suggestions tab open changes no phrase. The dictionary is only read after it is
    built, so worker threads may share it; the one-entry cache is replaced by a single assignment.
    """
    global _last_dictionary
    key = tuple(rows)
    last = _last_dictionary
    if last is not None and last[1] == min_length and last[0] == key:
        return last[2]
    built = PhraseDictionary(key, min_length=min_length)
    _last_dictionary = (key, min_length, built)
    return built


def document_suggestions(session: Session, document_id: int, layer_owner: str, annotator: str,
                         scope: Scope = "mine", *, min_length: int = DEFAULT_MIN_LENGTH) -> list[Suggestion]:
    """Suggestions for ``layer_owner``'s layer of one document, from the phrases ``annotator``'s scope holds.

    An occurrence that layer already tags with the same label (same offsets) is left out.
    """
    text = session.scalar(select(Document.text).where(Document.id == document_id))
    if text is None:
        raise AnnotatorError(f"document {document_id} does not exist")
    phrases = phrase_dictionary(tagged_phrases(session, annotator, scope, min_length=min_length), min_length)
    if not len(phrases):
        return []
    existing = session.execute(
        select(Span.start, Span.end, Label.key)
        .join(Label, Span.label_id == Label.id)
        .join(Layer, Span.layer_id == Layer.id)
        .join(Annotator, Layer.annotator_id == Annotator.id)
        .where(Layer.document_id == document_id, Annotator.name == layer_owner))
    return phrases.find(text, [(start, end, key) for start, end, key in existing])
