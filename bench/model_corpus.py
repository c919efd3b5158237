"""A generated corpus for the model benchmark and tests: each label's phrases come from templates.

Why templated: the point of a learned recommender is the phrase that was never tagged before ("worked 16
hours a day" after "worked 14 hours a day"). Every label has templates with slots (numbers, names,
places, verbs, body parts, organisations) filled at random, inside sentences of filler that uses the same
vocabulary (numbers, names and places appear outside the phrases too), so neither a phrase list nor
"every number" finds them. Documents are numbered; callers take disjoint ranges for training and testing.
"""

from __future__ import annotations

import random

LABELS = ["working_hours", "injury", "surveillance", "remittance", "sanctions"]
NAMES = ["Kim", "Pak", "Ri", "Choe", "Jang", "Han", "Yun", "Song", "O", "Kang", "Hwang", "Jon", "Mun", "So"]
PLACES = ["Vladivostok", "Moscow", "Kazan", "Tomsk", "Dubai", "Doha", "Shenyang", "Dandong", "Gdansk",
          "Warsaw", "Kuwait", "Ulan-Ude", "Khabarovsk", "Yakutsk", "Omsk", "Minsk"]
ORGS = ["the security ministry", "a state agency", "the party cell", "the embassy", "the trading company",
        "the consulate", "a political officer", "the brigade leader"]
BODY = ["arm", "leg", "back", "hand", "skull", "ribs", "shoulder", "foot", "spine", "wrist"]
HURT_VERBS = ["broke", "fractured", "injured", "crushed", "burned", "cut", "hurt", "damaged"]
WATCH_VERBS = ["watched", "monitored", "followed", "observed", "tracked", "checked"]
SEND_VERBS = ["sent", "handed", "transferred", "paid", "remitted", "wired"]
PERIOD = ["a day", "a week", "per day", "every day", "each night", "per shift"]
FILLER_VERBS = ["arrived", "stayed", "travelled", "waited", "returned", "spoke", "left", "slept", "ate"]
FILLER_NOUNS = ["workers", "a train", "the site", "the dormitory", "the harbour", "a report", "the market",
                "a letter", "the road", "the office", "the winter", "the bus", "a meeting", "the visa"]

TEMPLATES: dict[str, list[str]] = {
    "working_hours": ["worked {n} hours {period}", "shifts of {n} hours", "had only {k} days off a month",
                      "{n}-hour shifts", "laboured from {h} a.m. until {h2} p.m.", "no rest for {k} weeks"],
    "injury": ["{hurt} his {body}", "fell from the scaffold and {hurt} her {body}",
               "was taken to hospital with a {hurt} {body}", "lost {k} fingers", "{hurt} a {body} on the crane"],
    "surveillance": ["{watch} by {org}", "reported every week to {org}", "passports were kept by {org}",
                     "could not leave without {org}", "phones were {watch} by {org}"],
    "remittance": ["{send} {n}0 dollars to {org}", "gave up {p} percent of the wages",
                   "{send} {n}00 dollars a month home", "handed {p} percent to the state",
                   "loyalty payments of {n}0 dollars"],
    "sanctions": ["in violation of UN sanctions", "banned by Security Council resolution {r}",
                  "despite the {y} sanctions", "breached the sanctions on {place}",
                  "sanctioned by the UN panel in {y}"],
}


def _fill(rng: random.Random, template: str) -> str:
    return template.format(
        n=rng.randint(9, 19), k=rng.randint(2, 9), h=rng.randint(5, 8), h2=rng.randint(9, 11),
        period=rng.choice(PERIOD), hurt=rng.choice(HURT_VERBS), body=rng.choice(BODY),
        watch=rng.choice(WATCH_VERBS), org=rng.choice(ORGS), send=rng.choice(SEND_VERBS),
        p=rng.randint(30, 90), r=rng.randint(1700, 2400), y=rng.randint(2006, 2024), place=rng.choice(PLACES),
        name=rng.choice(NAMES))


DISTRACTORS = ["worked in {place} for {k} years", "sent a letter to {org}", "{name} broke the news",
               "watched the football match", "{n} hours later {name} left", "{n}0 dollars were spent on the bus",
               "the {y} report by {org}", "passports of {k} visitors", "a {body} of the building",
               "the hours of the office", "sanctions were discussed"]
FRAMES = ["{name} said that {noun} in {place} {phrase} after {noun2}.", "According to {name}, {phrase}.",
          "{Phrase}, {name} told reporters in {place}.", "In {place}, {name} {phrase} while {noun} waited.",
          "Witnesses in {place} said {phrase} in {y}.", "{name} {phrase}."]


def _filler(rng: random.Random) -> str:
    parts = [rng.choice(NAMES), rng.choice(FILLER_VERBS), "in", rng.choice(PLACES)]
    if rng.random() < 0.6:
        parts += ["with", str(rng.randint(2, 400)), rng.choice(FILLER_NOUNS)]
    if rng.random() < 0.4:
        parts += ["near", rng.choice(FILLER_NOUNS), "in", str(rng.randint(1990, 2024))]
    if rng.random() < 0.5:
        parts += ["and", _fill(rng, rng.choice(DISTRACTORS))]
    return " ".join(parts)


def _framed(rng: random.Random, phrase: str) -> tuple[str, int]:
    """A sentence around ``phrase`` and where the phrase starts in it."""
    frame = rng.choice(FRAMES)
    values = {"name": rng.choice(NAMES), "noun": rng.choice(FILLER_NOUNS), "noun2": rng.choice(FILLER_NOUNS),
              "place": rng.choice(PLACES), "y": str(rng.randint(2006, 2024))}
    if frame.startswith("{Phrase}"):
        phrase = phrase[0].upper() + phrase[1:]
        frame = frame.replace("{Phrase}", "{phrase}")
    head, tail = frame.split("{phrase}")
    before = head.format(**values)
    return before + phrase + tail.format(**values), len(before)


def make_document(index: int, phrases: int = 4, filler: int = 6) -> tuple[str, list[tuple[int, int, str]]]:
    """Document number ``index``: its text and its spans (start, end, label), deterministic per index."""
    rng = random.Random(index * 7919 + 1)
    sentences: list[tuple[str, tuple[int, int, str] | None]] = []
    for _ in range(filler):
        sentences.append((_filler(rng) + ".", None))
    for _ in range(phrases):
        label = rng.choice(LABELS)
        phrase = _fill(rng, rng.choice(TEMPLATES[label]))
        sentence, at = _framed(rng, phrase)
        sentences.append((sentence, (at, at + len(phrase), label)))
    rng.shuffle(sentences)
    text = f"Report {index}\n"
    spans: list[tuple[int, int, str]] = []
    for n, (sentence, span) in enumerate(sentences):
        if span is not None:
            spans.append((len(text) + span[0], len(text) + span[1], span[2]))
        text += sentence + ("\n" if n % 3 == 2 else " ")
    return text.rstrip() + "\n", spans


def make_corpus(first: int, count: int, **kwargs: int) -> list[tuple[str, str, list[tuple[int, int, str]]]]:
    """(doc key, text, spans) for documents ``first`` … ``first + count - 1``."""
    return [(f"gen-{i:06d}", *make_document(i, **kwargs)) for i in range(first, first + count)]
