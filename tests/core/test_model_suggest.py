"""The learned recommender's pure parts: features and BIO tags, training, scores, bytes, pattern rules."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.errors import AnnotatorError
from annotator.core.model_suggest.evaluation import curve_sizes, score
from annotator.core.model_suggest.features import bio_tags, sequences
from annotator.core.model_suggest.patterns import PatternMatcher, export_patterns, parse_patterns
from annotator.core.model_suggest.tagger import (
    SpanModel,
    TrainingCancelled,
    TrainingDocument,
    learnable_labels,
    split_documents,
    train_model,
)
from annotator.core.tokenize import tokenize

PLACES = ["Tomsk", "Kazan", "Omsk", "Doha", "Minsk", "Dubai"]
NAMES = ["Kim", "Pak", "Ri", "Choe", "Han"]


def make_doc(i: int) -> TrainingDocument:
    """Two sentences: one holds "worked N hours a day" (working_hours), one a number that is not one."""
    rng = random.Random(i)
    n, m = rng.randint(9, 19), rng.randint(2, 400)
    lead = f"{rng.choice(NAMES)} said the men in {rng.choice(PLACES)} "
    phrase = f"worked {n} hours a day"
    text = f"{lead}{phrase} at the site. {rng.choice(NAMES)} arrived with {m} workers in {rng.choice(PLACES)}.\n"
    return TrainingDocument(f"d{i:03d}", text, [(len(lead), len(lead) + len(phrase), "working_hours")])


def test_bio_tags_cover_tokens_and_merge_same_label_overlaps() -> None:
    text = "they worked 14 hours a day"
    tokens = tokenize(text)
    assert bio_tags(tokens, [(5, 19)]) == ["O", "B", "I", "I", "O", "O"]
    assert bio_tags(tokens, [(5, 14), (12, 26)]) == ["O", "B", "I", "I", "I", "I"]  # merged
    assert bio_tags(tokens, [(0, 4), (5, 11)]) == ["B", "B", "O", "O", "O", "O"]  # adjacent: two spans


def test_sequences_are_sentences_with_exact_offsets() -> None:
    text = "Kim left. He worked 14 hours.\nNext line 3."
    seqs = sequences(text)
    assert [[t.text for t in s.tokens] for s in seqs] == [["Kim", "left", "."], ["He", "worked", "14", "hours", "."],
                                                          ["Next", "line", "3", "."]]
    for s in seqs:
        assert all(text[t.start:t.end] == t.text for t in s.tokens)
        assert len(s.features) == len(s.tokens)


def test_model_finds_a_phrase_never_tagged_and_round_trips_as_bytes() -> None:
    docs = [make_doc(i) for i in range(30)]
    model = train_model(docs, ["working_hours"], processes=0, info={"documents": 30})
    text = "Ri told us the welders in Yakutsk worked 23 hours a day at the site. Pak came with 77 workers."
    found = model.suggest(text)
    assert [(text[s.start:s.end], s.label) for s in found] == [("worked 23 hours a day", "working_hours")]
    assert 0.5 < found[0].score <= 1.0
    again = SpanModel.from_bytes(model.to_bytes())
    assert again.info == {"documents": 30}
    assert [(s.start, s.end) for s in again.suggest(text)] == [(s.start, s.end) for s in found]
    assert again.suggest(text, existing=[(found[0].start, found[0].end, "working_hours")]) == []
    assert again.suggest(text, thresholds={"working_hours": 1.01}) == []
    scores = again.document_scores(text)
    assert scores.likelihood["working_hours"] > 0.5
    assert 0.0 <= scores.uncertainty <= 1.0


def test_rejections_are_negative_evidence() -> None:
    docs = [make_doc(i) for i in range(12)]
    text = "Han said the cooks in Omsk worked 12 hours a day at the site. Ri arrived with 5 workers in Doha.\n"
    start = text.index("worked")
    rejected = (start, start + len("worked 12 hours a day"), "working_hours")

    def score_of(model: SpanModel) -> float:
        return next((s.score for s in model.suggest(text) if (s.start, s.end) == rejected[:2]), 0.0)

    plain = train_model(docs, ["working_hours"], processes=0)
    negatives = [TrainingDocument(f"n{k}", text, [], [rejected], complete=False) for k in range(6)]
    taught = train_model(docs + negatives, ["working_hours"], processes=0)
    assert score_of(taught) < score_of(plain) - 0.2


def test_training_in_processes_reports_progress_and_cancels() -> None:
    docs = [make_doc(i) for i in range(20)]
    seen: list[float] = []
    model = train_model(docs, ["working_hours"], processes=1, progress=lambda f, _m: seen.append(f))
    assert model.labels == ["working_hours"] and seen and seen[-1] == 1.0
    with pytest.raises(TrainingCancelled):
        train_model(docs, ["working_hours"], processes=1, cancelled=lambda: True)


def test_corrupt_model_bytes_are_one_clear_line() -> None:
    model = train_model([make_doc(i) for i in range(10)], ["working_hours"], processes=0)
    data = model.to_bytes()
    for bad in (b"", b"hello", data[:-10], data + b"x", data[:40] + b"\x00" * 50 + data[90:]):
        with pytest.raises(AnnotatorError, match="stored model is corrupt"):
            SpanModel.from_bytes(bad)


def test_learnable_labels_and_split() -> None:
    docs = [make_doc(i) for i in range(10)]
    assert learnable_labels(docs, None, ["working_hours", "injury"]) == (["working_hours"], {"injury": 0})
    with pytest.raises(AnnotatorError, match="'injury' has 0 example"):
        learnable_labels(docs, ["injury"], ["working_hours", "injury"])
    with pytest.raises(AnnotatorError, match="no label has at least 5"):
        learnable_labels(docs[:3], None, ["working_hours"])
    train, held = split_documents(docs)
    assert len(held) == 2 and not {d.key for d in train} & {d.key for d in held}
    assert split_documents(list(reversed(docs))) == (train, held)  # the same split whatever the order


def test_overlap_scores_and_curve_points() -> None:
    s = score([([(0, 5, "a"), (10, 15, "a")], [(2, 4, "a"), (20, 25, "a"), (0, 5, "b")])], ["a", "b"])
    assert (s["a"].tp, s["a"].predicted, s["a"].reference) == (1, 2, 2)
    assert s["a"].f1 == 0.5 and s["b"].precision == 0.0 and s["b"].recall is None
    assert curve_sizes(60) == [10, 25, 50, 60]


def test_patterns_phrase_tokens_and_regex() -> None:
    rules = parse_patterns(
        '{"label": "injury", "pattern": "fell from the scaffold"}\n'
        '\n'
        '{"label": "working_hours", "pattern": [{"LOWER": "worked"}, {"LIKE_NUM": true}, {"LOWER": "hours"},'
        ' {"LOWER": {"IN": ["a", "per"]}, "OP": "?"}, {"LOWER": "day", "OP": "?"}]}\n'
        '{"label": "sanctions", "regex": "fined \\\\$\\\\d+"}\n', "p.jsonl")
    text = "He Fell from the  scaffold. They worked 16 hours a day and worked twelve hours. Fined $5, fined $30."
    found = [(text[s:e], label) for s, e, label in PatternMatcher(rules).find(text)]
    assert found == [("Fell from the  scaffold", "injury"), ("worked 16 hours a day", "working_hours"),
                     ("worked twelve hours", "working_hours"), ("fined $30", "sanctions")]
    assert parse_patterns(export_patterns(rules)) == rules


@pytest.mark.parametrize(("line", "reason"), [
    ('{"label": "x", "regex": "(unclosed"}', "p.jsonl:2: bad regular expression '(unclosed'"),
    ('{"label": "x", "pattern": [{"LOWER": {"REGEX": "[a-"}}]}', "p.jsonl:2: token 1 LOWER: bad regular"),
    ('{"label": "x", "pattern": [{"COLOR": "red"}]}', "p.jsonl:2: token 1: unknown attribute 'COLOR'"),
    ('{"label": "x", "pattern": [{"LOWER": "a", "OP": "%"}]}', "p.jsonl:2: token 1: unknown OP"),
    ('{"label": "x", "pattern": "a", "regex": "b"}', "p.jsonl:2: give exactly one"),
    ('{"label": "x", "regex": "a*"}', "p.jsonl:2: the regular expression 'a\\*' matches empty text"),
    ('{"pattern": "a"}', "p.jsonl:2: \"label\" must be"),
    ('{"label": "x", "pattern": "a", "colour": 1}', "p.jsonl:2: unknown key 'colour'"),
    ("{nope", "p.jsonl:2: not JSON"),
])
def test_bad_pattern_lines_are_refused_with_file_and_line(line: str, reason: str) -> None:
    with pytest.raises(AnnotatorError, match="^" + reason.replace("(", r"\(").replace("[", r"\[")):
        parse_patterns('{"label": "x", "pattern": "ok"}\n' + line + "\n", "p.jsonl")


@given(st.lists(st.sampled_from(["worked", "14", "hours", "Kim", ".", "\n", "Straße", "😊", "a-b", "ﬁne"]),
                max_size=40).map(" ".join), st.data())
@settings(max_examples=150, deadline=None)
def test_bio_tags_decode_back_to_the_token_aligned_spans(text: str, data: st.DataObject) -> None:
    """Sequences cover every token exactly once; B/I/O of token-aligned, non-overlapping spans decode back."""
    seqs = sequences(text)
    tokens = [t for s in seqs for t in s.tokens]
    assert tokens == tokenize(text)
    assert all(text[t.start:t.end] == t.text for t in tokens)
    if not tokens:
        return
    cuts = sorted(set(data.draw(st.lists(st.integers(0, len(tokens)), max_size=6))))
    spans = [(tokens[a].start, tokens[b - 1].end) for a, b in zip(cuts, cuts[1:], strict=False) if b > a][::2]
    tags = bio_tags(tokens, spans)
    decoded, i = [], 0
    while i < len(tags):
        if tags[i] == "B":
            j = i + 1
            while j < len(tags) and tags[j] == "I":
                j += 1
            decoded.append((tokens[i].start, tokens[j - 1].end))
            i = j
        else:
            assert tags[i] == "O"
            i += 1
    assert decoded == sorted(spans)
