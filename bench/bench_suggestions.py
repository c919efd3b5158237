"""Benchmark: suggestions (tagged phrases found again) on a 1 MB article with 5,000 phrases.

Run with ``python bench/bench_suggestions.py [--chars 1000000] [--phrases 5000] [--seed 1]``.

Builds an invented text of about ``--chars`` code points (a vocabulary of made-up words, sentences,
line breaks, an occasional ``ß``-style word that folds to a longer string) and ``--phrases`` (quote, label)
pairs of one to four words, most of them taken from the text so they occur, written in other cases and
with other whitespace. Times, in the same run:

* ``PhraseDictionary`` build, and ``find`` on the whole text (what the app does for the open document);
* baseline ``str.find``: the naive loop — fold the text once, then for every phrase ``str.find`` every
  occurrence of the folded phrase (substrings only: no whole-word check, no whitespace folding, no
  label bookkeeping), i.e. the least any matcher must do when it looks phrase by phrase.

Target: build + find well under a second. The ratio is ours / baseline (below 1: faster than the loop).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.core.suggestions import PhraseDictionary  # noqa: E402

LABELS = ["working_hours", "injury", "surveillance", "remittance", "sanctions"]
SYLLABLES = "ka lo mi ne ru sa to vi ze po la qu ir en ta ob us ex fa gre".split()


def make_vocabulary(rng: random.Random, size: int) -> list[str]:
    words = {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(size * 2)}
    vocabulary = sorted(words)[:size]
    return vocabulary + ["straße", "maßnahme"]


def make_text(rng: random.Random, vocabulary: list[str], chars: int) -> str:
    out: list[str] = []
    total = 0
    i = 0
    while total < chars:
        word = rng.choice(vocabulary)
        if i % 12 == 0:
            word = word.capitalize()
        if i % 12 == 11:
            word += "." + ("\n" if rng.random() < 0.3 else "")
        out.append(word)
        total += len(word) + 1
        i += 1
    return " ".join(out).replace("\n ", "\n")[:chars]


def make_phrases(rng: random.Random, text: str, vocabulary: list[str], count: int) -> list[tuple[str, str, int]]:
    words = text.split()
    phrases = []
    for k in range(count):
        if k % 5 == 4:  # one in five does not occur as such
            quote = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 4)))
        else:
            at = rng.randrange(len(words) - 4)
            quote = " ".join(w.strip(".") for w in words[at:at + rng.randint(1, 4)])
        if k % 3 == 0:
            quote = quote.upper().replace(" ", "  ")
        phrases.append((quote, rng.choice(LABELS), rng.randint(1, 4)))
    return phrases


def baseline_find(text: str, phrases: list[tuple[str, str, int]]) -> int:
    folded = text.casefold()
    hits = 0
    for quote, _label, _support in phrases:
        needle = quote.casefold()
        pos = folded.find(needle)
        while pos >= 0:
            hits += 1
            pos = folded.find(needle, pos + 1)
    return hits


def best_of(runs: int, work):  # type: ignore[no-untyped-def]
    best, result = float("inf"), None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=1_000_000)
    parser.add_argument("--phrases", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    vocabulary = make_vocabulary(rng, 3000)
    text = make_text(rng, vocabulary, args.chars)
    phrases = make_phrases(rng, text, vocabulary, args.phrases)
    existing = [(0, 5, "injury")]

    t_build, dictionary = best_of(args.runs, lambda: PhraseDictionary(phrases))
    t_find, found = best_of(args.runs, lambda: dictionary.find(text, existing))
    t_base, hits = best_of(args.runs, lambda: baseline_find(text, phrases))
    ours = t_build + t_find

    print(f"text: {len(text):,} code points; phrases: {len(phrases):,} ({len(dictionary):,} distinct kept)")
    print(f"{'step':<34}{'seconds':>10}{'result':>14}")
    print(f"{'PhraseDictionary build':<34}{t_build:>10.3f}{len(dictionary):>14,}")
    print(f"{'PhraseDictionary.find':<34}{t_find:>10.3f}{len(found):>14,}")
    print(f"{'ours total':<34}{ours:>10.3f}")
    print(f"{'baseline str.find loop':<34}{t_base:>10.3f}{hits:>14,}")
    print(f"ratio ours / baseline: {ours / t_base:.2f}   target: ours < 1 s -> {'ok' if ours < 1 else 'MISSED'}")


if __name__ == "__main__":
    main()
