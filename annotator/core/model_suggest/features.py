"""What a token looks like to the model: CRF features over our tokenizer's tokens.

Why these: news phrases worth tagging ("worked 14 hours a day", "fined $2 million") share their shape
and their neighbours more than their exact words, so each token is described by its lower-cased form,
its shape ("14" → ``d``, "Pyongyang" → ``Xx``), prefixes and suffixes of one to three characters, a few
flags, and the words of the three tokens either side (and the shapes of the nearest two) plus two bigrams. A token's
own part is cached by its text: a corpus repeats words, and featurizing is most of training's set-up.

Sequences are sentences: lines (:func:`annotator.core.tokenize.sentence_breaks`), split again after a
``.``, ``!`` or ``?`` followed by a capital or a digit. A CRF over one sentence is as good as over the
article and much cheaper, and a large corpus can be sampled sentence by sentence.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from annotator.core.tokenize import Token, sentence_breaks, tokenize

WINDOW = 3
"""Tokens of context either side."""

_UPPER = re.compile(r"[^\W\d_]", re.UNICODE)


@functools.lru_cache(maxsize=200_000)
def shape(word: str) -> str:
    """``Xx`` for "Pyongyang", ``d`` for "14", ``d.d`` for "2.5", ``x-x`` for "half-day" (runs collapsed)."""
    out: list[str] = []
    for ch in word[:24]:
        if ch.isdigit():
            c = "d"
        elif ch.isalpha():
            c = "X" if ch.isupper() else "x"
        else:
            c = ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


@functools.lru_cache(maxsize=200_000)
def _own(word: str) -> tuple[str, ...]:
    low = word.lower()
    feats = [f"w={low}", f"sh={shape(word)}", f"p2={low[:2]}", f"p3={low[:3]}", f"s2={low[-2:]}",
             f"s3={low[-3:]}"]
    if word.isdigit():
        feats.append("digit")
    elif any(ch.isdigit() for ch in word):
        feats.append("hasdigit")
    if word[:1].isupper():
        feats.append("title")
    if not word[:1].isalnum():
        feats.append("punct")
    return tuple(feats)


@functools.lru_cache(maxsize=200_000)
def _context(word: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """The features ``word`` gives its neighbours: (as token i-k for k = 1..3, as token i+k, its lower form).

    Built once per distinct word, so a token's features are a few list extensions, not twenty f-strings.
    """
    low, sh = word.lower(), shape(word)
    before = (f"-1w={low}", f"-1s={sh}", *(f"-{k}w={low}" for k in range(2, WINDOW + 1)))
    after = (f"+1w={low}", f"+1s={sh}", *(f"+{k}w={low}" for k in range(2, WINDOW + 1)))
    return before, after, low


_BOS = tuple(f"-{k}BOS" for k in range(1, WINDOW + 1))
_EOS = tuple(f"+{k}EOS" for k in range(1, WINDOW + 1))


def token_features(words: list[str]) -> list[list[str]]:
    """The feature list of every token of one sequence (``words``: the tokens' texts)."""
    n = len(words)
    ctx = [_context(w) for w in words]
    out: list[list[str]] = []
    for i in range(n):
        feats = ["b", *_own(words[i])]
        if i > 0:
            feats += ctx[i - 1][0][:2]  # the next token's word and shape
        else:
            feats.append(_BOS[0])
        if i + 1 < n:
            feats += ctx[i + 1][1][:2]
        else:
            feats.append(_EOS[0])
        for k in range(2, WINDOW + 1):  # farther away: the word only
            if i - k >= 0:
                feats.append(ctx[i - k][0][k])
            elif i - k == -1:
                feats.append(_BOS[k - 1])
            if i + k < n:
                feats.append(ctx[i + k][1][k])
            elif i + k == n:
                feats.append(_EOS[k - 1])
        if i > 0:
            feats.append(f"bi-={ctx[i - 1][2]}|{ctx[i][2]}")
        if i + 1 < n:
            feats.append(f"bi+={ctx[i][2]}|{ctx[i + 1][2]}")
        out.append(feats)
    return out


@dataclass(frozen=True, slots=True)
class Sequence:
    """One line of a document: its tokens (exact code-point offsets) and their features."""

    tokens: list[Token]
    features: list[list[str]]


_ENDS = frozenset(".!?…")


def _sentence_starts(tokens: list[Token], text: str) -> list[int]:
    """Token indices that begin a line, or a sentence: after ``.``/``!``/``?`` and whitespace, a capital or digit."""
    starts = set(sentence_breaks(text, tokens))
    for i in range(1, len(tokens)):
        previous = tokens[i - 1]
        first = tokens[i].text[:1]
        if previous.ws and previous.text in _ENDS and (first.isupper() or first.isdigit()):
            starts.add(i)
    return sorted(starts)


def sequences(text: str) -> list[Sequence]:
    """The document as sentences of featurized tokens (lines, split again after sentence ends).

    Short sequences keep training and tagging cheap and let a large corpus be sampled by sentence.
    """
    tokens = tokenize(text)
    bounds = [0, *_sentence_starts(tokens, text), len(tokens)]
    out: list[Sequence] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        if b > a:
            part = tokens[a:b]
            out.append(Sequence(part, token_features([t.text for t in part])))
    return out


def bio_tags(tokens: list[Token], spans: list[tuple[int, int]]) -> list[str]:
    """``B``/``I``/``O`` for one label's spans over ``tokens``; a token is inside a span when it overlaps it.

    Spans of one label that overlap each other are merged (a chain cannot hold both); a span that covers
    no token (whitespace only) is dropped.
    """
    tags = ["O"] * len(tokens)
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    j, previous = 0, -1
    for i, tok in enumerate(tokens):
        while j < len(merged) and merged[j][1] <= tok.start:
            j += 1
        if j < len(merged) and merged[j][0] < tok.end:
            tags[i] = "I" if previous == j else "B"
            previous = j
        else:
            previous = -1
    return tags
