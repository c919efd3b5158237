"""The learned recommender in the database: training data, the stored model, rejections, pattern rules.

Why here: a team on PostgreSQL must share one model, so its bytes, what it was trained on and its held-out
scores are a row (``suggestion_models``, migration 0008), not a file on one laptop. The rest of the loop
lives beside it:

* **training data** (:func:`training_documents`): the done layers of the chosen annotators (default every
  annotator's, not gold's and not the "model" layer a ``suggest`` import may have made), or the gold
  layer; each rejected suggestion of those annotators becomes negative evidence for its document;
* **rejections** (``suggestion_rejections``): per document and annotator, so a rejected suggestion is not
  offered to that analyst again;
* **pattern rules** (``suggestion_patterns``): one ``patterns.jsonl`` line each, checked against the
  scheme's labels when stored;
* **suggestions** (:func:`model_suggestions`): the stored model's and the rules' suggestions for one
  layer, minus what it already tags and what its owner rejected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from annotator.core.errors import AnnotatorError
from annotator.core.model import GOLD_ANNOTATOR, MODEL_ANNOTATOR, STATUS_DONE
from annotator.core.model_suggest.patterns import PatternMatcher, PatternRule, parse_rule
from annotator.core.model_suggest.tagger import ModelSuggestion, SpanModel, TrainingDocument
from annotator.store.models import (
    Annotator,
    Document,
    Label,
    Layer,
    Span,
    SuggestionModel,
    SuggestionPattern,
    SuggestionRejection,
)
from annotator.store.repository.annotators import get_or_create_annotator

KEEP_MODELS = 3
"""Older models are deleted when a new one is stored (the newest few stay, to compare against)."""


@dataclass(frozen=True, slots=True)
class StoredModelInfo:
    """What the app and the CLI show about the stored model, without its bytes."""

    id: int
    created: datetime
    trained_by: str
    trained_on: dict[str, Any]
    scores: dict[str, Any]
    size: int


# ---------------------------------------------------------------------------------------------- training
def training_documents(session: Session, *, annotators: list[str] | None = None, gold: bool = False) -> tuple[
        list[TrainingDocument], dict[str, Any]]:
    """The documents to learn from and a description of the layers used (for the model's record)."""
    names = [GOLD_ANNOTATOR] if gold else list(annotators or [])
    if names:
        known = set(session.scalars(select(Annotator.name).where(Annotator.name.in_(names))))
        missing = [n for n in names if n not in known]
        if missing:
            raise AnnotatorError(f"no annotator named {missing[0]!r} in this database")
    layer_query = (select(Layer.id, Layer.document_id, Annotator.name)
                   .join(Annotator, Layer.annotator_id == Annotator.id)
                   .where(Layer.status == STATUS_DONE))
    if names:
        layer_query = layer_query.where(Annotator.name.in_(names))
    else:
        layer_query = layer_query.where(Annotator.name.not_in([GOLD_ANNOTATOR, MODEL_ANNOTATOR]))
    layers = session.execute(layer_query.order_by(Layer.document_id, Annotator.name)).all()
    if not layers:
        whose = "no gold layer is" if gold else (f"no layer of {', '.join(names)} is" if names else
                                                 "no analyst's layer is")
        raise AnnotatorError(f"nothing to train on: {whose} marked done yet (mark finished documents done "
                             "first: Ctrl+Enter in the app)")
    spans_of: dict[int, list[tuple[int, int, str]]] = {}
    layer_ids = [lid for lid, _d, _n in layers]
    for chunk in _chunks(layer_ids, 900):
        for layer_id, start, end, key in session.execute(
                select(Span.layer_id, Span.start, Span.end, Label.key).join(Label, Span.label_id == Label.id)
                .where(Span.layer_id.in_(chunk))):
            spans_of.setdefault(layer_id, []).append((start, end, key))
    doc_ids = sorted({d for _l, d, _n in layers})
    texts: dict[int, tuple[str, str]] = {}
    for chunk in _chunks(doc_ids, 900):
        for pk, doc_id, text in session.execute(select(Document.id, Document.doc_id, Document.text)
                                                .where(Document.id.in_(chunk))):
            texts[pk] = (doc_id, text)
    docs: dict[tuple[int, str], TrainingDocument] = {}
    for layer_id, doc_pk, name in layers:
        doc_id, text = texts[doc_pk]
        docs[(doc_pk, name)] = TrainingDocument(doc_id, text, sorted(spans_of.get(layer_id, [])))
    # rejections of the same annotators: negative evidence
    rejection_query = (select(SuggestionRejection.document_id, Annotator.name, SuggestionRejection.start,
                              SuggestionRejection.end, SuggestionRejection.label_key)
                       .join(Annotator, SuggestionRejection.annotator_id == Annotator.id))
    if names and not gold:
        rejection_query = rejection_query.where(Annotator.name.in_(names))
    rejected = 0
    for doc_pk, name, start, end, key in session.execute(rejection_query):
        target = docs.get((doc_pk, name))
        if target is None:
            if gold:
                continue
            doc_id, text = texts.get(doc_pk) or _text_of(session, doc_pk)
            own = [tuple(r) for r in session.execute(
                select(Span.start, Span.end, Label.key).join(Label, Span.label_id == Label.id)
                .join(Layer, Span.layer_id == Layer.id).join(Annotator, Layer.annotator_id == Annotator.id)
                .where(Layer.document_id == doc_pk, Annotator.name == name))]
            target = docs[(doc_pk, name)] = TrainingDocument(doc_id, text, own, [], complete=False)  # type: ignore[arg-type]
        if (start, end, key) not in target.spans:
            target.negatives.append((start, end, key))
            rejected += 1
    source: dict[str, Any] = {"gold": True} if gold else {"annotators": names or "every annotator's done layers"}
    source["layers"] = len(layers)
    return list(docs.values()), source


def _text_of(session: Session, doc_pk: int) -> tuple[str, str]:
    row = session.execute(select(Document.doc_id, Document.text).where(Document.id == doc_pk)).one()
    return row[0], row[1]


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def label_keys(session: Session) -> list[str]:
    return list(session.scalars(select(Label.key).order_by(Label.order, Label.id)))


# ---------------------------------------------------------------------------------------------- the model
def save_model(session: Session, model: SpanModel, *, trained_by: str, trained_on: dict[str, Any] | None = None,
               scores: dict[str, Any] | None = None) -> int:
    """Store ``model`` as the newest; older ones beyond :data:`KEEP_MODELS` are deleted. Returns its id."""
    data = model.to_bytes()
    row = SuggestionModel(trained_by=trained_by, trained_on=trained_on or dict(model.info), scores=scores or {},
                          size=len(data), data=data)
    session.add(row)
    session.flush()
    old = list(session.scalars(select(SuggestionModel.id).order_by(SuggestionModel.id.desc()).offset(KEEP_MODELS)))
    if old:
        session.execute(delete(SuggestionModel).where(SuggestionModel.id.in_(old)))
    return row.id


def model_info(session: Session) -> StoredModelInfo | None:
    """The newest stored model's record (no bytes read), or None when none was trained."""
    row = session.execute(select(SuggestionModel.id, SuggestionModel.created, SuggestionModel.trained_by,
                                 SuggestionModel.trained_on, SuggestionModel.scores, SuggestionModel.size)
                          .order_by(SuggestionModel.id.desc()).limit(1)).first()
    if row is None:
        return None
    return StoredModelInfo(row[0], row[1], row[2], dict(row[3] or {}), dict(row[4] or {}), row[5])


_cache: tuple[bytes, SpanModel] | None = None


def load_model(session: Session, *, required: bool = False) -> SpanModel | None:
    """The newest stored model, ready to suggest (kept in memory while its bytes stay the same).

    None when there is none (an :class:`AnnotatorError` when ``required``); a damaged one is one line.
    Reading the bytes each time (a few hundred kilobytes) costs a millisecond; comparing them, not the
    row id, means a model damaged in place is noticed, not served from memory.
    """
    global _cache
    data = session.scalar(select(SuggestionModel.data).order_by(SuggestionModel.id.desc()).limit(1))
    if data is None:
        if required:
            raise AnnotatorError("no model has been trained yet: run `annotator train` first")
        return None
    data = bytes(data)
    cached = _cache
    if cached is not None and cached[0] == data:
        return cached[1]
    model = SpanModel.from_bytes(data)
    _cache = (data, model)
    return model


# ---------------------------------------------------------------------------------------------- rejections
def add_rejection(session: Session, document_id: int, annotator: str, start: int, end: int, label: str) -> bool:
    """Remember that ``annotator`` rejected (start, end, label) in a document; False if already known."""
    who = get_or_create_annotator(session, annotator)
    exists = session.scalar(select(SuggestionRejection.id).where(
        SuggestionRejection.document_id == document_id, SuggestionRejection.annotator_id == who.id,
        SuggestionRejection.start == start, SuggestionRejection.end == end, SuggestionRejection.label_key == label))
    if exists is not None:
        return False
    session.add(SuggestionRejection(document_id=document_id, annotator_id=who.id, start=start, end=end,
                                    label_key=label))
    session.flush()
    return True


def remove_rejection(session: Session, document_id: int, annotator: str, start: int, end: int, label: str) -> None:
    who = session.scalar(select(Annotator.id).where(Annotator.name == annotator))
    if who is None:
        return
    session.execute(delete(SuggestionRejection).where(
        SuggestionRejection.document_id == document_id, SuggestionRejection.annotator_id == who,
        SuggestionRejection.start == start, SuggestionRejection.end == end, SuggestionRejection.label_key == label))


def rejections(session: Session, document_id: int, annotator: str) -> set[tuple[int, int, str]]:
    return {(s, e, k) for s, e, k in session.execute(
        select(SuggestionRejection.start, SuggestionRejection.end, SuggestionRejection.label_key)
        .join(Annotator, SuggestionRejection.annotator_id == Annotator.id)
        .where(SuggestionRejection.document_id == document_id, Annotator.name == annotator))}


# ---------------------------------------------------------------------------------------------- patterns
def load_patterns(session: Session) -> list[PatternRule]:
    import json

    rules: list[PatternRule] = []
    for body in session.scalars(select(SuggestionPattern.body).order_by(SuggestionPattern.order, SuggestionPattern.id)):
        try:
            rules.append(parse_rule(json.loads(body))[0])
        except (ValueError, TypeError) as exc:
            raise AnnotatorError(f"a stored pattern rule is damaged ({exc}): import the rules again") from None
    return rules


def replace_patterns(session: Session, rules: list[PatternRule], *, where: str = "patterns") -> int:
    """Store ``rules`` in place of the current ones; a rule for a label the scheme lacks is refused."""
    from annotator.store.repository.scheme import ensure_default_scheme

    ensure_default_scheme(session)  # a new database's first command may be this one
    known = set(label_keys(session))
    for n, rule in enumerate(rules, 1):
        if rule.label not in known:
            raise AnnotatorError(f"{where}: rule {n}: unknown label {rule.label!r} "
                                 f"(the scheme has {', '.join(sorted(known))})")
    session.execute(delete(SuggestionPattern))
    for n, rule in enumerate(rules):
        session.add(SuggestionPattern(order=n, label_key=rule.label, body=rule.line()))
    return len(rules)


_matcher: tuple[tuple[str, ...], PatternMatcher] | None = None


def pattern_matcher(session: Session) -> PatternMatcher:
    """The stored rules compiled (reused while they stay the same)."""
    global _matcher
    rules = load_patterns(session)
    key = tuple(rule.line() for rule in rules)
    cached = _matcher
    if cached is not None and cached[0] == key:
        return cached[1]
    matcher = PatternMatcher(rules)
    _matcher = (key, matcher)
    return matcher


# ---------------------------------------------------------------------------------------------- suggestions
def combined_suggestions(text: str, model: SpanModel | None, matcher: PatternMatcher | None,
                         existing: set[tuple[int, int, str]], rejected: set[tuple[int, int, str]],
                         thresholds: dict[str, float] | float = 0.0) -> list[ModelSuggestion]:
    """The model's suggestions above their label's threshold and the rules' matches, minus what the layer
    already tags and what its owner rejected; a span both propose is listed once, as the model's."""
    out: dict[tuple[int, int, str], ModelSuggestion] = {}
    if matcher is not None and len(matcher):
        for s, e, label in matcher.find(text):
            out[(s, e, label)] = ModelSuggestion(s, e, label, 1.0, "pattern")
    if model is not None:
        for sug in model.suggest(text, thresholds=thresholds):
            out[(sug.start, sug.end, sug.label)] = sug
    return sorted((s for k, s in out.items() if k not in existing and k not in rejected),
                  key=lambda s: (s.start, s.end, s.label))


def model_suggestions(session: Session, document_id: int, layer_owner: str,
                      thresholds: dict[str, float] | float = 0.0, *, hide_rejected: bool = True) -> list[ModelSuggestion]:
    """The stored model's and rules' suggestions for ``layer_owner``'s layer of one document (with those
    the owner rejected unless ``hide_rejected`` is False: the caller counts them)."""
    text = session.scalar(select(Document.text).where(Document.id == document_id))
    if text is None:
        raise AnnotatorError(f"document {document_id} does not exist")
    existing = {(s, e, k) for s, e, k in session.execute(
        select(Span.start, Span.end, Label.key).join(Label, Span.label_id == Label.id)
        .join(Layer, Span.layer_id == Layer.id).join(Annotator, Layer.annotator_id == Annotator.id)
        .where(Layer.document_id == document_id, Annotator.name == layer_owner))}
    rejected = rejections(session, document_id, layer_owner) if hide_rejected else set()
    return combined_suggestions(text, _usable_model(session), pattern_matcher(session), existing, rejected,
                                thresholds)


def _usable_model(session: Session) -> SpanModel | None:
    from annotator.core.model_suggest.tagger import unavailable_reason

    return load_model(session) if unavailable_reason() is None else None


def iter_texts(session: Session, batch: int = 500, only_unannotated: bool = False,
               cancelled: Callable[[], bool] | None = None) -> Iterator[tuple[int, str, str]]:
    """(pk, doc_id, text) of every document in id order, read in batches (keyset, not offset)."""
    last = 0
    annotated = select(Layer.document_id).where(Layer.span_count > 0)
    while True:
        query = select(Document.id, Document.doc_id, Document.text).where(Document.id > last)
        if only_unannotated:
            query = query.where(Document.id.not_in(annotated))
        rows = session.execute(query.order_by(Document.id).limit(batch)).all()
        if not rows:
            return
        for row in rows:
            yield row[0], row[1], row[2]
        last = rows[-1][0]
        if cancelled is not None and cancelled():
            return


# ---------------------------------------------------------------------------------------------- active learning
MAX_RANKED = 3000
"""Undone documents scored per ranking (in id order); the scores of a larger corpus would take minutes."""


def rank_documents(session: Session, annotator: str, model: SpanModel, *, label: str | None = None,
                   limit: int = MAX_RANKED, progress: Callable[[float, str], None] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> list[int]:
    """Primary keys of ``annotator``'s undone documents, most useful first.

    With ``label``: most likely to contain it first (the model's largest probability that a token is
    inside one). Without: the model least certain first (the token closest to a coin flip, any label).
    Ties keep document order. At most ``limit`` documents are scored.
    """
    aid = session.scalar(select(Annotator.id).where(Annotator.name == annotator))
    done = select(Layer.document_id).where(Layer.annotator_id == (aid if aid is not None else -1),
                                           Layer.status == STATUS_DONE)
    pks = list(session.scalars(select(Document.id).where(Document.id.not_in(done)).order_by(Document.id).limit(limit)))
    scored: list[tuple[float, int]] = []
    for n, chunk in enumerate(_chunks(pks, 100)):
        texts = {pk: text for pk, text in session.execute(select(Document.id, Document.text).where(Document.id.in_(chunk)))}
        for pk in chunk:
            scores = model.document_scores(texts[pk])
            value = scores.likelihood.get(label or "", 0.0) if label else scores.uncertainty
            scored.append((-value, pk))
        if progress is not None:
            progress(min(1.0, (n + 1) * 100 / max(1, len(pks))), f"Scored {len(scored):,} of {len(pks):,} documents")
        if cancelled is not None and cancelled():
            break
    return [pk for _v, pk in sorted(scored)]
