"""One linear-chain CRF per label: training, suggestions with a score, certainty, and the model's bytes.

Why per label: spans of different labels overlap in our corpus ("ordered to work 16 hours" is both
working_hours and surveillance), and one chain of tags holds one label per token. Each label gets its own
``B``/``I``/``O`` tagger over the same features (:mod:`.features`), built once per sequence and shared.

Why python-crfsuite: a 1 MB wheel with no dependencies, trained in seconds on a laptop, no GPU, no
downloaded weights; scikit-learn and spaCy would add tens to hundreds of megabytes to the desktop bundle.
It is the optional ``annotator[model]`` extra: :func:`unavailable_reason` says, in one line, why the model
features are hidden when it is missing, and nothing else here is imported without it.

A suggestion's **score** is the smallest marginal probability of its tokens' tags (the chance the model
gives that exactly this span, token by token, has the label), so a threshold of 0.5 keeps spans the model
is more sure of than not. A document's **likelihood** of a label is the largest probability that any of its
tokens is inside one; its **uncertainty** is how close the least sure token is to a coin flip, over every
label. Active learning orders documents by these.

The serialized model (:meth:`SpanModel.to_bytes`) is a small header (magic, JSON with labels and sizes)
and each label's crfsuite model; anything else read back is refused with one line, never a crash.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import struct
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.model_suggest.features import Sequence, bio_tags, sequences

MAGIC = b"ANNOTATOR-CRF\x001\n"
MIN_EXAMPLES = 5
MAX_SEQUENCES = 6000
"""Sentences per label beyond which the sentences without the label are sampled (see :func:`_sample`)."""
"""A label needs at least this many spans in the training documents to be learnt."""
TRAIN_PARAMS: dict[str, Any] = {"c1": 0.05, "c2": 0.01, "max_iterations": 40, "feature.possible_transitions": True}

Progress = Callable[[float, str], None]


class TrainingCancelled(Exception):
    """The caller's ``cancelled()`` returned True during training."""


def unavailable_reason() -> str | None:
    """None when python-crfsuite can be imported; otherwise the one line the app and the CLI show."""
    try:
        import pycrfsuite  # noqa: F401
    except ImportError:
        return "the model needs python-crfsuite: pip install 'annotator[model]'"
    return None


def _crfsuite() -> Any:
    reason = unavailable_reason()
    if reason is not None:
        raise AnnotatorError(reason)
    import pycrfsuite

    return pycrfsuite


@dataclass(slots=True)
class TrainingDocument:
    """One document to learn from: its text and spans (start, end, label).

    ``negatives`` are rejected suggestions (start, end, label): the model learns those tokens are not the
    label. A ``complete`` document (a done layer) teaches everywhere; an incomplete one only teaches its
    negatives' lines, for their labels (the rest of it may simply not be labelled yet).
    """

    key: str
    text: str
    spans: list[tuple[int, int, str]]
    negatives: list[tuple[int, int, str]] = field(default_factory=list)
    complete: bool = True


@dataclass(frozen=True, slots=True)
class ModelSuggestion:
    """A span the model (or a pattern rule) proposes: where, which label, how sure, and from what."""

    start: int
    end: int
    label: str
    score: float
    source: str = "model"


@dataclass(frozen=True, slots=True)
class DocumentScores:
    """Per label, the probability that the document holds a span of it; and the model's uncertainty (0–1)."""

    likelihood: dict[str, float]
    uncertainty: float


def _sequence_spans(seq: Sequence, spans: Iterable[tuple[int, int, str]]) -> dict[str, list[tuple[int, int]]]:
    if not seq.tokens:
        return {}
    lo, hi = seq.tokens[0].start, seq.tokens[-1].end
    out: dict[str, list[tuple[int, int]]] = {}
    for s, e, label in spans:
        if s < hi and e > lo:
            out.setdefault(label, []).append((s, e))
    return out


class _Trainer:
    """A crfsuite trainer that reports iterations and stops when asked (its exception ends the C loop)."""

    def __init__(self, on_iteration: Callable[[int], None]) -> None:
        crfsuite = _crfsuite()

        class Trainer(crfsuite.Trainer):  # type: ignore[name-defined]
            def message(self, message: str) -> None:  # the default prints; we only follow iterations
                if self.logparser.feed(message) == "iteration":
                    on_iteration(len(self.logparser.iterations))

        self.trainer = Trainer(verbose=True)
        self.trainer.set_params(TRAIN_PARAMS)


def _train_one(items: list[tuple[Any, list[str]]], report: Callable[[int], None]) -> bytes:
    holder = _Trainer(report)
    for xseq, yseq in items:
        holder.trainer.append(xseq, yseq)
    fd, path = tempfile.mkstemp(suffix=".crfsuite")
    os.close(fd)
    try:
        holder.trainer.train(path)
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)


def label_counts(docs: Iterable[TrainingDocument]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for doc in docs:
        for _s, _e, label in doc.spans:
            counts[label] = counts.get(label, 0) + 1
    return counts


def _prepare(docs: list[TrainingDocument], stop: Callable[[], bool], say: Progress) -> list[
        tuple[Any, Sequence, dict[str, list[tuple[int, int]]], set[str] | None]]:
    crfsuite = _crfsuite()
    prepared: list[tuple[Any, Sequence, dict[str, list[tuple[int, int]]], set[str] | None]] = []
    for n, doc in enumerate(docs):
        if stop():
            raise TrainingCancelled
        if n % 50 == 0:
            say(0.1 * n / max(1, len(docs)), f"Reading document {n + 1:,} of {len(docs):,}")
        negative_labels = {label for _s, _e, label in doc.negatives}
        for seq in sequences(doc.text):
            negs = _sequence_spans(seq, doc.negatives)
            if not doc.complete and not negs:
                continue
            teach = None if doc.complete else set(negs) & negative_labels
            prepared.append((crfsuite.ItemSequence(seq.features), seq, _sequence_spans(seq, doc.spans), teach))
    return prepared


def _train_labels(docs: list[TrainingDocument], labels: list[str], say: Progress,
                  stop: Callable[[], bool]) -> dict[str, bytes]:
    """Train ``labels`` one after the other in this process (the body of each training process)."""
    prepared = _prepare(docs, stop, say)
    blobs: dict[str, bytes] = {}
    per_label = 0.9 / len(labels)
    for k, label in enumerate(labels):
        base = 0.1 + k * per_label
        items = _sample([(x, bio_tags(seq.tokens, spans.get(label, [])), teach is not None)
                         for x, seq, spans, teach in prepared if teach is None or label in teach], label)

        def report(num: int, base: float = base, label: str = label) -> None:
            if stop():
                raise TrainingCancelled
            total = TRAIN_PARAMS["max_iterations"]
            say(base + per_label * min(num, total) / total, f"Training “{label}”: iteration {num}")

        blobs[label] = _train_one(items, report)
    return blobs


def _sample(items: list[tuple[Any, list[str], bool]], label: str) -> list[tuple[Any, list[str]]]:
    """At most :data:`MAX_SEQUENCES` sentences: every one holding the label or a rejection (the third
    element), and a seeded sample of the rest.

    A small corpus is used whole. A large one would make training time grow without bound while adding
    little (the 20,000th sentence without the label teaches what the 5,000th did), so the sentences
    without the label are sampled down — never below three for each with it.
    """
    if len(items) <= MAX_SEQUENCES:
        return [(x, y) for x, y, _forced in items]
    kept = [(x, y) for x, y, forced in items if forced or "B" in y]
    others = [(x, y) for x, y, forced in items if not (forced or "B" in y)]
    keep = max(MAX_SEQUENCES - len(kept), 3 * len(kept))
    if keep >= len(others):
        return kept + others
    rng = random.Random(f"annotator-model:{label}")
    return kept + [others[i] for i in sorted(rng.sample(range(len(others)), keep))]


def _child(labels: list[str], inbox: Any, queue: Any) -> None:
    """A training process: reads the documents from ``inbox`` (batches, then None), then sends progress,
    every label's bytes, or one error line, through ``queue``.

    It runs at a lower priority, so on a two-core laptop the window's thread still gets a core at once.
    The documents come in small batches rather than as one argument: pickling a large corpus in one call
    would hold the parent's interpreter lock (and so the window) for tens of milliseconds.
    """
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(10)
    try:
        docs: list[TrainingDocument] = []
        while (batch := inbox.get()) is not None:
            docs.extend(batch)
        blobs = _train_labels(docs, labels, lambda f, m: queue.put(("progress", f, m)), lambda: False)
        queue.put(("done", blobs, ""))
    except Exception as exc:  # the parent shows it as one line
        queue.put(("error", 0.0, f"{exc.__class__.__name__}: {exc}"))


def train_model(docs: list[TrainingDocument], labels: list[str], *, progress: Progress | None = None,
                cancelled: Callable[[], bool] | None = None, info: dict[str, Any] | None = None,
                processes: int | None = None) -> SpanModel:
    """One CRF per label in ``labels`` over ``docs``; raises :class:`TrainingCancelled` when asked to stop.

    crfsuite holds Python's interpreter lock for the whole of an optimisation, so training in a thread
    would freeze the window: with ``processes`` > 0 the labels are shared out between that many child
    processes, the caller's thread only waits, relays progress and ends the children at once when
    ``cancelled()`` turns True. ``processes=0`` trains here. The default leaves one core free for the window
    (one process on a two-core laptop: measured, two processes there were no faster — each reads and
    featurizes every document — and made the window's frames uneven, ``bench/bench_model.py --frames``).
    Labels must each have at least :data:`MIN_EXAMPLES` spans (see :func:`learnable_labels`).
    """
    _crfsuite()
    say = progress or (lambda _f, _m: None)
    stop = cancelled or (lambda: False)
    if not labels:
        raise AnnotatorError("no label to train")
    if processes is None:
        processes = max(1, (os.cpu_count() or 1) - 1)
    if processes <= 0:
        blobs = _train_labels(docs, labels, say, stop)
    else:
        blobs = _train_in_processes(docs, labels, min(processes, len(labels)), say, stop)
    say(1.0, "Trained")
    return SpanModel({label: blobs[label] for label in labels}, dict(info or {}))


def _train_in_processes(docs: list[TrainingDocument], labels: list[str], processes: int, say: Progress,
                        stop: Callable[[], bool]) -> dict[str, bytes]:
    import multiprocessing
    import queue as queues

    ctx = multiprocessing.get_context("spawn")  # never fork a process that runs Qt threads
    groups = [labels[k::processes] for k in range(processes)]
    channels = [ctx.Queue() for _ in groups]
    inboxes = [ctx.Queue() for _ in groups]
    children = [ctx.Process(target=_child, args=(group, inbox, channel), daemon=True)
                for group, inbox, channel in zip(groups, inboxes, channels, strict=True)]
    for child in children:
        child.start()
    for start in range(0, len(docs), 20):
        for inbox in inboxes:
            inbox.put(docs[start:start + 20])
    for inbox in inboxes:
        inbox.put(None)
    fractions = [0.0] * len(children)
    blobs: dict[str, bytes] = {}
    pending = set(range(len(children)))
    try:
        while pending:
            if stop():
                raise TrainingCancelled
            for k in list(pending):
                try:
                    kind, value, message = channels[k].get(timeout=0.05)
                except queues.Empty:
                    if not children[k].is_alive() and channels[k].empty():
                        raise AnnotatorError(f"a training process ended unexpectedly (exit code "
                                             f"{children[k].exitcode})") from None
                    continue
                if kind == "progress":
                    fractions[k] = float(value)
                    say(sum(fractions) / len(fractions), message)
                elif kind == "done":
                    blobs.update(value)
                    pending.discard(k)
                else:
                    raise AnnotatorError(f"training failed: {message}")
    finally:
        for child in children:
            if child.is_alive() and pending:
                child.terminate()
            child.join(5)
    return blobs


def learnable_labels(docs: Iterable[TrainingDocument], wanted: list[str] | None, known: list[str]) -> tuple[
        list[str], dict[str, int]]:
    """The labels to train and the span count of those left out (fewer than :data:`MIN_EXAMPLES`).

    ``wanted`` (asked for by name) must each be learnable, else one line says which is short and by how
    much; without it every known label with enough examples is trained.
    """
    counts = label_counts(docs)
    if wanted:
        for label in wanted:
            if label not in known:
                raise AnnotatorError(f"unknown label {label!r} (the scheme has {', '.join(known)})")
            if counts.get(label, 0) < MIN_EXAMPLES:
                raise AnnotatorError(f"label {label!r} has {counts.get(label, 0)} example(s) in the training "
                                     f"layers; at least {MIN_EXAMPLES} are needed")
        return list(wanted), {}
    chosen = [label for label in known if counts.get(label, 0) >= MIN_EXAMPLES]
    skipped = {label: counts.get(label, 0) for label in known if label not in chosen}
    if not chosen:
        have = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "no spans"
        raise AnnotatorError(f"no label has at least {MIN_EXAMPLES} examples in the training layers ({have})")
    return chosen, skipped


def split_documents(docs: list[TrainingDocument], held_out: float = 0.2, seed: int = 13) -> tuple[
        list[TrainingDocument], list[TrainingDocument]]:
    """(training, held-out) by document key: a seeded shuffle of the keys, so a rerun splits the same and
    two analysts' layers of one article always fall on the same side.

    Incomplete documents (negatives only) always train. With fewer than 5 complete documents nothing is
    held out (and no score can be given).
    """
    keys = sorted({d.key for d in docs if d.complete})
    random.Random(seed).shuffle(keys)
    n_test = int(round(len(keys) * held_out)) if len(keys) >= 5 else 0
    test_keys = set(keys[:n_test])
    order = {key: n for n, key in enumerate(keys)}
    complete = sorted((d for d in docs if d.complete), key=lambda d: order[d.key])
    return ([d for d in complete if d.key not in test_keys] + [d for d in docs if not d.complete],
            [d for d in complete if d.key in test_keys])


class SpanModel:
    """The trained taggers (one per label) and what they were trained on; safe to share between threads."""

    def __init__(self, blobs: dict[str, bytes], info: dict[str, Any]) -> None:
        self.blobs = blobs
        self.info = info
        self._local = threading.local()

    @property
    def labels(self) -> list[str]:
        return list(self.blobs)

    # ------------------------------------------------------------------ bytes
    def to_bytes(self) -> bytes:
        header = json.dumps({"labels": [[k, len(v)] for k, v in self.blobs.items()], "info": self.info},
                            ensure_ascii=False, sort_keys=True).encode()
        return MAGIC + struct.pack(">I", len(header)) + header + b"".join(self.blobs.values())

    @classmethod
    def from_bytes(cls, data: bytes) -> SpanModel:
        """The model back; :class:`AnnotatorError` with one line when ``data`` is not one (or is damaged)."""
        try:
            if not data.startswith(MAGIC):
                raise ValueError("not an annotator model")
            (size,) = struct.unpack(">I", data[len(MAGIC):len(MAGIC) + 4])
            pos = len(MAGIC) + 4
            header = json.loads(data[pos:pos + size].decode())
            pos += size
            blobs: dict[str, bytes] = {}
            for key, length in header["labels"]:
                blob = data[pos:pos + int(length)]
                if len(blob) != int(length):
                    raise ValueError("truncated")
                blobs[str(key)] = blob
                pos += int(length)
            if pos != len(data):
                raise ValueError("trailing bytes")
            model = cls(blobs, dict(header.get("info") or {}))
            if unavailable_reason() is None:
                model._taggers()  # crfsuite checks each blob now, not at the first suggestion
        except AnnotatorError:
            raise
        except Exception as exc:
            raise AnnotatorError(f"the stored model is corrupt ({exc.__class__.__name__}: {exc}); "
                                 "train it again") from None
        return model

    # ------------------------------------------------------------------ using it
    def _taggers(self) -> dict[str, Any]:
        taggers = getattr(self._local, "taggers", None)
        if taggers is None:
            crfsuite = _crfsuite()
            taggers = {}
            for label, blob in self.blobs.items():
                tagger = crfsuite.Tagger()
                try:
                    tagger.open_inmemory(blob)
                except Exception as exc:
                    raise ValueError(f"label {label!r}: {exc}") from None
                taggers[label] = tagger
            self._local.taggers = taggers
        return taggers

    def suggest(self, text: str, existing: Iterable[tuple[int, int, str]] = (),
                thresholds: dict[str, float] | float = 0.0) -> list[ModelSuggestion]:
        """The model's spans in ``text`` scoring at least their label's threshold, not already tagged there."""
        taken = set(existing)
        crfsuite = _crfsuite()
        out: list[ModelSuggestion] = []
        taggers = self._taggers()
        for seq in sequences(text):
            xseq = crfsuite.ItemSequence(seq.features)
            for label, tagger in taggers.items():
                floor = thresholds.get(label, 0.0) if isinstance(thresholds, dict) else thresholds
                tags = tagger.tag(xseq)
                if "B" not in tags and "I" not in tags:
                    continue
                i, n = 0, len(tags)
                while i < n:
                    if tags[i] == "O":
                        i += 1
                        continue
                    j = i + 1
                    while j < n and tags[j] == "I":
                        j += 1
                    score = min(tagger.marginal(tags[t], t) for t in range(i, j))
                    start, end = seq.tokens[i].start, seq.tokens[j - 1].end
                    if score >= floor and (start, end, label) not in taken:
                        out.append(ModelSuggestion(start, end, label, round(float(score), 4)))
                    i = j
        out.sort(key=lambda s: (s.start, s.end, s.label))
        return out

    def document_scores(self, text: str) -> DocumentScores:
        """How likely each label is somewhere in ``text``, and how unsure the model is about it (0–1)."""
        crfsuite = _crfsuite()
        likelihood = dict.fromkeys(self.blobs, 0.0)
        unsure = 0.0
        for seq in sequences(text):
            xseq = crfsuite.ItemSequence(seq.features)
            for label, tagger in self._taggers().items():
                tagger.set(xseq)
                for t in range(len(seq.tokens)):
                    inside = 1.0 - tagger.marginal("O", t)
                    if inside > likelihood[label]:
                        likelihood[label] = inside
                    closeness = 1.0 - abs(2.0 * inside - 1.0)
                    if closeness > unsure:
                        unsure = closeness
        return DocumentScores({k: round(v, 4) for k, v in likelihood.items()}, round(unsure, 4))
