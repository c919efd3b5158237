"""Corroboration: passages with the same label that say the same thing, grouped into one claim.

Five outlets re-telling one testimony quote it with small differences ("working more than 18 hours a
day" / "laboring for over 18 hours a day"). Two quotes are *near-duplicates* when their similarity is at
least ``threshold`` (default :data:`DEFAULT_THRESHOLD`):

1. each quote is normalised — Unicode NFKC, case-folded, every run of characters that are not letters or
   digits made one space;
2. its *content words* are the crude stems (:func:`stem`: "working", "worked" → "work") of its words that
   are not :data:`STOPWORDS` (all its words' stems when every word is one);
3. similarity is the Dice coefficient 2|A ∩ B| / (|A| + |B|) of the two sets of content words — word
   order and filler words do not matter, so re-phrased wording of one testimony still matches;
4. except: when both quotes contain numbers and share none, similarity is 0 — "18 hours a day" and
   "22 hours a day" are different claims;
5. when grouping, words found in more than :data:`COMMON_SHARE` of the distinct quotes (and more than
   :data:`COMMON_MIN` of them) are filler for that grouping, like stopwords (:func:`similarity` of two
   quotes alone has no corpus and keeps them).

Quotes equal after normalising score 1.0. The default threshold was tuned on five real articles
re-telling one set of testimonies (docs/evidence.md). Passages of one label are linked when their quotes are near-duplicates, and a claim is a connected group
(single linkage), so grouping is symmetric and does not depend on the order of the input: a quote always
joins an identical quote in another document. Raising the threshold (``--similarity`` on the command line,
the view's "similar ≥" box) splits paraphrases apart; 1.0 groups only quotes with the same content words.

Finding the pairs does not compare every quote with every other: quotes equal after normalising are
merged first, and candidates come from a prefix-filtered inverted index over content words (the
"all-pairs" similarity join: since Dice ≥ t is Jaccard ≥ t/(2 − t), two sets that similar must share one
of the first |x| − ⌈t′·|x|⌉ + 1 of their rarest words), each candidate verified exactly. The result is
the same as comparing all pairs; the work grows with how many quotes share their *rarest* words, which
rule 5 keeps small: 60,000 distinct passages group in about 4 s.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from annotator.core.evidence.model import Passage

_DIGITS = re.compile(r"\d+")

DEFAULT_THRESHOLD = 0.55
"""Tuned on five articles re-telling one set of testimonies (docs/evidence.md): re-told quotes of one
testimony mostly score 0.55–0.75, different testimonies of one label at most 0.5."""


def normalise(quote: str) -> str:
    """Case-folded NFKC text with every run of non-alphanumeric characters as one space, stripped.

    A quote of only punctuation or spaces keeps its own (stripped, or raw) text, so it matches only itself.
    """
    folded = unicodedata.normalize("NFKC", quote).casefold()
    words = "".join(ch if ch.isalnum() else " " for ch in folded).split()
    if words:
        return " ".join(words)
    return "\x00" + (quote.strip() or quote)


STOPWORDS = frozenset("""
a about after again against all also am an and any are as at be been before being but by can could did do
does doing down during each few for from further had has have having he her here hers him his how i if in into
is it its itself just me more most my no nor not now of off on once only or other our out over own same she
should so some such than that the their them then there these they this those through to too under until up
very was we were what when where which while who whom why will with would you your
""".split())
"""Words that carry no claim; left out of the word measure (numbers and names stay)."""
_SUFFIXES = ("ations", "ation", "ings", "ing", "ness", "ment", "ies", "ied", "ers", "er", "ed", "es", "ly", "s")


def stem(word: str) -> str:
    """A crude English stem (enough to match "working"/"worked"/"work"): one common suffix cut."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_words(normalised: str) -> frozenset[str]:
    """Stems of the words that are not :data:`STOPWORDS` (all words' stems when every word is one)."""
    words = [w for w in normalised.split(" ") if w]
    kept = [w for w in words if w not in STOPWORDS] or words
    return frozenset(stem(w) for w in kept)


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return 2 * len(a & b) / (len(a) + len(b))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def numbers(normalised: str) -> frozenset[str]:
    """The digit runs of a quote ("7am to 5am" → {"7", "5"})."""
    return frozenset(_DIGITS.findall(normalised))


@dataclass(frozen=True, slots=True)
class _Features:
    words: frozenset[str]
    numbers: frozenset[str]


def _features(normalised: str) -> _Features:
    return _Features(content_words(normalised), numbers(normalised))


def _similar(a: _Features, b: _Features) -> float:
    if a.numbers and b.numbers and not a.numbers & b.numbers:
        return 0.0  # "18 hours a day" and "22 hours a day" are different claims
    return dice(a.words, b.words)


def similarity(a: str, b: str) -> float:
    """How alike two quotes are (0.0–1.0), as the grouping measures it (see the module's docstring)."""
    return _similar(_features(normalise(a)), _features(normalise(b)))


def check_threshold(value: float) -> float:
    if not 0.0 < value <= 1.0:
        raise ValueError("the similarity threshold must be above 0 and at most 1")
    return value


class _Sets:
    """Union-find over item positions (path halving; the smaller root wins, so the result is order-free)."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def group_texts(texts: Sequence[str], threshold: float = DEFAULT_THRESHOLD) -> list[list[int]]:
    """Partition the positions of ``texts`` into groups of near-duplicates (connected components).

    Each group is sorted, and groups are ordered by their first position: the partition itself depends
    only on the texts, not on their order.
    """
    check_threshold(threshold)
    by_norm: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        by_norm.setdefault(normalise(text), []).append(i)
    norms = sorted(by_norm)
    features = _without_common_words([_features(n) for n in norms], norms)
    sets = _Sets(len(norms))
    def verify(x: int, y: int) -> bool:
        return _similar(features[x], features[y]) >= threshold - 1e-12

    _join([f.words for f in features], threshold / (2 - threshold), verify, sets)
    groups: dict[int, list[int]] = {}
    for item, norm in enumerate(norms):
        groups.setdefault(sets.find(item), []).extend(by_norm[norm])
    return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])


COMMON_SHARE, COMMON_MIN = 0.02, 50
"""A word in more than 2 % of the distinct quotes being grouped (and in more than 50 of them) is filler
for this grouping: "hours" among 40,000 working-hours quotes says nothing about which testimony a quote
re-tells, and comparing every quote that holds it would make grouping quadratic."""


def _without_common_words(features: list[_Features], norms: list[str]) -> list[_Features]:
    """Features with :data:`COMMON_SHARE` words removed; a quote made only of them keeps a set of its own
    (it then groups only with quotes equal to it after normalising)."""
    limit = max(COMMON_MIN, COMMON_SHARE * len(features))
    frequency = Counter(w for f in features for w in f.words)
    common = {w for w, n in frequency.items() if n > limit}
    if not common:
        return features
    out = []
    for f, norm in zip(features, norms, strict=True):
        words = f.words - common
        out.append(_Features(words or frozenset({"\x00" + norm}), f.numbers) if words != f.words else f)
    return out


def _join(members: list[frozenset[str]], threshold: float, verify: Callable[[int, int], bool], sets: _Sets) -> None:
    """Union every pair of items whose sets have Jaccard ≥ ``threshold`` (prefix-filtered) and that
    ``verify`` accepts."""
    frequency = Counter(g for gs in members for g in gs)
    ordered = [sorted(gs, key=lambda g: (frequency[g], g)) for gs in members]
    order = sorted(range(len(members)), key=lambda i: (len(members[i]), i))
    index: dict[str, list[int]] = {}
    skip: dict[str, int] = {}
    """Per word, how many (smallest) entries are too small for every later, larger probe."""
    for x in order:
        size = len(ordered[x])
        prefix = size - math.ceil(threshold * size - 1e-9) + 1
        least = threshold * size - 1e-9
        seen: set[int] = set()
        for member in ordered[x][:prefix]:
            posting = index.get(member)
            if posting is None:
                index[member] = [x]
                continue
            first = skip.get(member, 0)
            while first < len(posting) and len(members[posting[first]]) < least:
                first += 1  # entries are in size order and probes only grow: never needed again
            skip[member] = first
            for y in posting[first:]:
                if y in seen:
                    continue
                seen.add(y)
                if sets.find(x) == sets.find(y):
                    continue
                if jaccard(members[x], members[y]) >= threshold - 1e-12 and verify(x, y):
                    sets.union(x, y)
            posting.append(x)


@dataclass(frozen=True, slots=True)
class Claim:
    """Near-duplicate passages of one label: one claim, with how widely it was reported."""

    label: str
    passages: tuple[Passage, ...]

    @property
    def documents(self) -> int:
        return len({p.doc_pk for p in self.passages})

    @property
    def sources(self) -> int:
        """Distinct outlets; a document without a source counts as an outlet of its own."""
        return len({p.source.strip().casefold() or f"\x00{p.doc_pk}" for p in self.passages})

    @property
    def earliest(self) -> str:
        """The earliest publication date among its documents ('' when none is dated)."""
        dates = [p.date for p in self.passages if p.date]
        return min(dates) if dates else ""

    @property
    def corroborated(self) -> bool:
        """Reported by more than one source."""
        return self.sources > 1


def _passage_key(p: Passage) -> tuple:
    return (p.date or "\uffff", p.doc_id, p.start, p.end, p.doc_pk)


def claims(passages: Iterable[Passage], threshold: float = DEFAULT_THRESHOLD) -> list[Claim]:
    """Group passages into claims per label.

    Order: by label key, then most sources, most documents, earliest date and first passage; passages in
    a claim by date, document id and offset.
    """
    by_label: dict[str, list[Passage]] = {}
    for p in passages:
        by_label.setdefault(p.label, []).append(p)
    found: list[Claim] = []
    for label in sorted(by_label):
        items = sorted(by_label[label], key=_passage_key)
        for group in group_texts([p.quote for p in items], threshold):
            found.append(Claim(label, tuple(items[i] for i in group)))
    return sorted(found, key=lambda c: (c.label, -c.sources, -c.documents, c.earliest or "\uffff",
                                         _passage_key(c.passages[0])))
