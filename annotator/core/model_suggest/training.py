"""One training run from start to end: labels, split, fit, held-out scores, learning curve (pure).

Why a module: the command line (``annotator train``) and the app's Model window run the same steps and
must report the same figures. :func:`fit` takes plain documents and returns the model with its record
(what it was trained on and its scores), ready for the store to keep.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.model_suggest.evaluation import curve_sizes, score, scores_dict
from annotator.core.model_suggest.tagger import (
    SpanModel,
    TrainingDocument,
    learnable_labels,
    split_documents,
    train_model,
)

Progress = Callable[[float, str], None]


@dataclass(slots=True)
class TrainingRun:
    """The trained model and its record: ``trained_on`` and ``scores`` are what the store keeps."""

    model: SpanModel
    trained_on: dict[str, Any]
    scores: dict[str, Any]
    skipped: dict[str, int] = field(default_factory=dict)


def evaluate(model: SpanModel, held: list[TrainingDocument]) -> dict[str, Any]:
    """Per-label overlap figures of ``model`` on ``held`` (every suggestion, whatever its score)."""
    labels = model.labels
    pairs = [([s for s in d.spans if s[2] in labels], [(x.start, x.end, x.label) for x in model.suggest(d.text)])
             for d in held]
    return scores_dict(score(pairs, labels))


def fit(docs: list[TrainingDocument], known_labels: list[str], *, wanted: list[str] | None = None,
        source: dict[str, Any] | None = None, curve: bool = False, processes: int | None = None,
        progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> TrainingRun:
    """Train on ``docs`` (held-out split by document), score on the held-out part, and optionally measure
    the learning curve on the same held-out documents.

    ``source`` describes the layers (e.g. ``{"annotators": [...]}`` or ``{"gold": true}``) for the record.
    """
    say = progress or (lambda _f, _m: None)
    if not any(d.complete for d in docs):
        raise AnnotatorError("no done layers to train on: mark documents done, or name annotators who have some")
    labels, skipped = learnable_labels([d for d in docs if d.complete], wanted, known_labels)
    train, held = split_documents(docs)
    n_train = len({d.key for d in train if d.complete})
    points = curve_sizes(n_train) if curve and held else []
    steps = [n for n in points if n < n_train]
    share = 1.0 / (len(steps) + 1)

    def part(k: int) -> Progress:
        return lambda f, m: say(min(1.0, share * (k + f)), m)

    curve_values: list[list[Any]] = []
    for k, n in enumerate(steps):
        keys = list(dict.fromkeys(d.key for d in train if d.complete))[:n]
        subset = [d for d in train if d.key in set(keys)]
        sub_labels = [lb for lb in labels if sum(1 for d in subset for s in d.spans if s[2] == lb) > 0]
        if not sub_labels:
            curve_values.append([n, None])
            continue
        sub_model = train_model(subset, sub_labels, processes=processes, progress=part(k), cancelled=cancelled)
        f1 = evaluate(sub_model, held).get("*", {}).get("f1")
        curve_values.append([n, f1])
    model = train_model(train, labels, processes=processes, progress=part(len(steps)), cancelled=cancelled)
    say(1.0, "Scoring on held-out documents…")
    held_scores = evaluate(model, held) if held else {}
    if held and points:
        curve_values.append([n_train, held_scores.get("*", {}).get("f1")])
    spans = sum(1 for d in train if d.complete for s in d.spans if s[2] in labels)
    trained_on = {
        **(source or {}),
        "labels": labels,
        "documents": n_train,
        "held_out_documents": len({d.key for d in held}),
        "spans": spans,
        "rejections": sum(len(d.negatives) for d in train),
        "trained_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
    }
    model.info = {"labels": labels, "documents": n_train}
    return TrainingRun(model, trained_on, {"held_out": held_scores, "curve": curve_values}, skipped)
