"""The tag scheme: labels with display names, colours, shortcuts and guidelines.

The default scheme is the one the first corpus (reporting on North Korean workers sent to Russia) needs.
Colours come from the Okabe–Ito palette, chosen because it stays distinguishable for the common forms of
colour-vision deficiency. A scheme exports to and imports from JSON so a lead can hand the same scheme
to every analyst.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from annotator.core.errors import AnnotatorError

LABEL_KEY_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")
HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")

# Okabe & Ito (2008), "Color Universal Design": colour-blind-safe qualitative palette.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")


@dataclass(slots=True)
class Label:
    """One tag of the scheme."""

    key: str
    name: str
    color: str
    shortcut: str = ""
    guideline: str = ""
    order: int = 0


@dataclass(slots=True)
class Scheme:
    """An ordered set of labels."""

    labels: list[Label] = field(default_factory=list)

    def keys(self) -> list[str]:
        return [label.key for label in self.labels]

    def get(self, key: str) -> Label | None:
        for label in self.labels:
            if label.key == key:
                return label
        return None

    def to_json(self) -> str:
        """A stable, human-readable JSON document of the scheme."""
        payload = {"format": "annotator-scheme", "version": 1, "labels": [asdict(lbl) for lbl in self.labels]}
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, data: str, path: str | None = None) -> Scheme:
        """Parse a scheme exported by :meth:`to_json`; every problem names the file and the reason.

        The file passes the same rules as the scheme editor (:func:`scheme_problems`: unique keys without
        case, unique shortcuts, names not blank), checked in linear time, so 100,000 labels are judged in
        a moment. JSON nested beyond the parser's depth is refused like any other invalid JSON.
        """
        try:
            payload = json.loads(data)
        except json.JSONDecodeError as exc:
            raise AnnotatorError(f"not valid JSON ({exc.msg})", path=path, line=exc.lineno) from None
        except RecursionError:
            raise AnnotatorError("not valid JSON (nested too deeply)", path=path) from None
        except ValueError as exc:  # e.g. an integer with thousands of digits
            raise AnnotatorError(f"not valid JSON ({exc})", path=path) from None
        raw_labels = payload.get("labels") if isinstance(payload, dict) else payload
        if not isinstance(raw_labels, list):
            raise AnnotatorError("a scheme needs a list of labels", path=path)
        labels: list[Label] = []
        seen: set[str] = set()
        folded: dict[str, str] = {}
        for i, raw in enumerate(raw_labels):
            if not isinstance(raw, dict) or not isinstance(raw.get("key"), str):
                raise AnnotatorError(f"label #{i + 1} has no key", path=path)
            key = raw["key"]
            try:
                check_label_key(key)
            except AnnotatorError as exc:
                raise exc.at(path=path) from None
            if key in seen:
                raise AnnotatorError(f"label {key!r} appears twice", path=path)
            clash = folded.get(fold_key(key))
            if clash is not None:
                raise AnnotatorError(key_clash_message(key, clash), path=path)
            seen.add(key)
            folded[fold_key(key)] = key
            color = str(raw.get("color") or OKABE_ITO[i % len(OKABE_ITO)])
            if not HEX_COLOUR.match(color):
                raise AnnotatorError(f"label {key!r} has colour {color!r}; expected #RRGGBB", path=path)
            for text_field in ("name", "shortcut", "guideline"):
                if raw.get(text_field) is not None and not isinstance(raw[text_field], str):
                    raise AnnotatorError(f"label {key!r}: {text_field} must be a string", path=path)
            order = raw.get("order", i)
            if not isinstance(order, int) or isinstance(order, bool):
                raise AnnotatorError(f"label {key!r}: order {short_repr(order)} is not an integer", path=path)
            labels.append(
                Label(
                    key=key,
                    name=raw["name"] if raw.get("name") is not None else key,
                    color=color,
                    shortcut=raw.get("shortcut") or "",
                    guideline=raw.get("guideline") or "",
                    order=order,
                )
            )
        problems = scheme_problems(cls(labels))
        if problems:
            more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
            raise AnnotatorError(problems[0] + more, path=path)
        return cls(labels)


def short_repr(value: object, limit: int = 40) -> str:
    """``repr`` of a value from a file, cut to a length a message can hold."""
    shown = repr(value)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def check_label_key(key: str) -> None:
    """Refuse label keys that would break formats (spaces, markup, tabs in brat) or be confusing."""
    if not isinstance(key, str) or not LABEL_KEY_PATTERN.match(key):
        raise AnnotatorError(
            f"label {key!r} is not a valid key (a letter, then up to 63 letters, digits, '_', '.' or '-')"
        )


def fold_key(key: str) -> str:
    """A label key as compared for uniqueness: without case.

    "Injury" and "injury" side by side would look like one label in every list and export, so keys that
    differ only in case are refused wherever a label is created or renamed.
    """
    return key.casefold()


def key_clash(key: str, existing: Iterable[str]) -> str | None:
    """The key in ``existing`` that ``key`` equals without case but not exactly, or None."""
    folded = fold_key(key)
    return next((other for other in existing if other != key and fold_key(other) == folded), None)


def key_clash_message(key: str, existing: str) -> str:
    """The one sentence every place that refuses a case-only clash uses (the scheme editor, import, CLI)."""
    return f'label "{key}" clashes with existing label "{existing}" (keys are compared without case)'


def check_new_key(key: str, existing: Iterable[str]) -> None:
    """Refuse a new or renamed label key that equals one of ``existing`` without case."""
    clash = key_clash(key, existing)
    if clash is not None:
        raise AnnotatorError(key_clash_message(key, clash))


def case_clashes(keys: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs of keys (first seen, later) that differ only in case; a database from before the rule may hold them."""
    first: dict[str, str] = {}
    pairs: list[tuple[str, str]] = []
    for key in keys:
        folded = fold_key(key)
        if folded in first and first[folded] != key:
            pairs.append((first[folded], key))
        first.setdefault(folded, key)
    return pairs


def new_label(key: str, order: int) -> Label:
    """A label added on the fly (``--add-labels``): a palette colour and its key as the display name."""
    check_label_key(key)
    return Label(key=key, name=key.replace("_", " ").capitalize(), color=OKABE_ITO[order % len(OKABE_ITO)], order=order)


def default_scheme() -> Scheme:
    """The five labels of the first corpus, shortcuts 1–5."""
    return Scheme(
        [
            Label(
                "working_hours",
                "Working hours",
                "#E69F00",
                "1",
                "Length of shifts, days or weeks worked, rest days denied, or overtime demanded of workers.",
                0,
            ),
            Label(
                "injury",
                "Injury",
                "#56B4E9",
                "2",
                "Physical harm, illness or death at work, and the absence of safety gear or medical care.",
                1,
            ),
            Label(
                "surveillance",
                "Surveillance",
                "#009E73",
                "3",
                "Watching, minders, confiscated documents, restricted movement or forced ideological sessions.",
                2,
            ),
            Label(
                "remittance",
                "Remittance",
                "#CC79A7",
                "4",
                "Wages taken, loyalty payments, quotas sent to the state, or how money reaches the regime.",
                3,
            ),
            Label(
                "sanctions",
                "Sanctions",
                "#0072B2",
                "5",
                "UN or national sanctions, their breach or evasion, and enforcement against labour exports.",
                4,
            ),
        ]
    )


def scheme_problems(scheme: Scheme, *, stored_keys: Iterable[str] = ()) -> list[str]:
    """Every reason a scheme cannot be saved, as sentences a person can act on (empty: it is fine).

    Shared by the scheme editor (to show all problems at once) and the store (to refuse a bad save).
    ``stored_keys`` are the keys already in the database: a pair of them that differs only in case was
    allowed before keys were compared without case, so it is tolerated (spans may use both) — only a new
    or renamed key may not clash.
    """
    problems: list[str] = []
    keys: dict[str, int] = {}
    folded_keys: dict[str, str] = {}
    stored = set(stored_keys)
    shortcuts: dict[str, str] = {}
    if not scheme.labels:
        problems.append("A scheme needs at least one label.")
    for n, label in enumerate(scheme.labels, 1):
        where = f"Label {n} ({label.key or 'no key'})"
        try:
            check_label_key(label.key)
        except AnnotatorError:
            problems.append(f"{where}: the key must start with a letter and use only letters, digits, "
                            "'_', '.' or '-' (at most 64 characters, no spaces).")
        if label.key in keys:
            problems.append(f"{where}: the key is already used by label {keys[label.key]}.")
        else:
            other = folded_keys.get(fold_key(label.key))
            if other is not None and not (label.key in stored and other in stored):
                new, old = (other, label.key) if other not in stored and label.key in stored else (label.key, other)
                message = key_clash_message(new, old)
                problems.append(f"{message[0].upper()}{message[1:]}.")
        keys.setdefault(label.key, n)
        folded_keys.setdefault(fold_key(label.key), label.key)
        if not label.name.strip():
            problems.append(f"{where}: the display name is empty.")
        if not HEX_COLOUR.match(label.color or ""):
            problems.append(f"{where}: the colour {label.color!r} is not of the form #RRGGBB.")
        shortcut = label.shortcut.strip()
        if shortcut:
            folded = shortcut.lower()
            if folded in shortcuts:
                problems.append(f"{where}: the shortcut {shortcut!r} is already the shortcut of {shortcuts[folded]}.")
            shortcuts.setdefault(folded, label.key)
    return problems
