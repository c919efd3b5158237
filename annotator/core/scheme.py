"""The tag scheme: labels with display names, colours, shortcuts and guidelines, and what else it defines.

Beyond labels a scheme carries typed attribute definitions per label, document fields and relation types
(``core.scheme_parts``); the scheme JSON is version 2 (docs/architecture.md §9) and version 1 files
(labels only) are still read.

The default scheme is the one the first corpus (reporting on North Korean workers sent to Russia) needs.
Colours come from the Okabe–Ito palette, chosen because it stays distinguishable for the common forms of
colour-vision deficiency. A scheme exports to and imports from JSON so a lead can hand the same scheme
to every analyst.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from annotator.core.errors import AnnotatorError
from annotator.core.scheme_parts import (
    AttributeDef,
    FieldDef,
    RelationType,
    options_problems,
    parse_attribute,
    parse_field,
    parse_relation,
    refuse_unknown_keys,
)

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
    attributes: list[AttributeDef] = field(default_factory=list)

    def attribute(self, key: str) -> AttributeDef | None:
        """The definition of one of this label's typed attributes (None: a free attribute)."""
        return next((definition for definition in self.attributes if definition.key == key), None)

    def to_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "name": self.name,
            "color": self.color,
            "shortcut": self.shortcut,
            "guideline": self.guideline,
            "order": self.order,
            "attributes": [definition.to_json() for definition in self.attributes],
        }


SCHEME_VERSION = 2
SCHEME_KEYS = frozenset({"format", "version", "labels", "fields", "relations"})
LABEL_KEYS = frozenset({"key", "name", "color", "shortcut", "guideline", "order", "attributes"})


@dataclass(slots=True)
class Scheme:
    """An ordered set of labels, with the document fields and relation types analysts judge beside them."""

    labels: list[Label] = field(default_factory=list)
    fields: list[FieldDef] = field(default_factory=list)
    relations: list[RelationType] = field(default_factory=list)

    def keys(self) -> list[str]:
        return [label.key for label in self.labels]

    def get(self, key: str) -> Label | None:
        for label in self.labels:
            if label.key == key:
                return label
        return None

    def field_def(self, key: str) -> FieldDef | None:
        return next((definition for definition in self.fields if definition.key == key), None)

    def relation_type(self, key: str) -> RelationType | None:
        return next((definition for definition in self.relations if definition.key == key), None)

    def to_json(self) -> str:
        """A stable, human-readable JSON document of the scheme (version 2)."""
        payload = {
            "format": "annotator-scheme",
            "version": SCHEME_VERSION,
            "labels": [label.to_json() for label in self.labels],
            "fields": [definition.to_json() for definition in self.fields],
            "relations": [definition.to_json() for definition in self.relations],
        }
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
        if isinstance(payload, dict):
            try:
                refuse_unknown_keys(payload, SCHEME_KEYS, "the scheme")
            except AnnotatorError as exc:
                raise exc.at(path=path) from None
            version = payload.get("version", 1)
            if version not in (1, SCHEME_VERSION) or isinstance(version, bool):
                raise AnnotatorError(
                    f"scheme version {short_repr(version)} is not one this annotator reads (1 or {SCHEME_VERSION})",
                    path=path,
                )
        labels: list[Label] = []
        seen: set[str] = set()
        folded: dict[str, str] = {}
        for i, raw in enumerate(raw_labels):
            if not isinstance(raw, dict) or not isinstance(raw.get("key"), str):
                raise AnnotatorError(f"label #{i + 1} has no key", path=path)
            key = raw["key"]
            try:
                refuse_unknown_keys(raw, LABEL_KEYS, f"label {key[:64]!r}")
            except AnnotatorError as exc:
                raise exc.at(path=path) from None
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
            raw_attributes = raw.get("attributes") or []
            if not isinstance(raw_attributes, list):
                raise AnnotatorError(f"label {key!r}: 'attributes' must be a list", path=path)
            try:
                attributes = [parse_attribute(item, f"label {key!r}", check_label_key) for item in raw_attributes]
            except AnnotatorError as exc:
                raise exc.at(path=path) from None
            labels.append(
                Label(
                    key=key,
                    name=raw["name"] if raw.get("name") is not None else key,
                    color=color,
                    shortcut=raw.get("shortcut") or "",
                    guideline=raw.get("guideline") or "",
                    order=order,
                    attributes=attributes,
                )
            )
        fields, relations = _parse_extras(payload if isinstance(payload, dict) else {}, path)
        scheme = cls(labels, fields, relations)
        problems = scheme_problems(scheme)
        if problems:
            more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
            raise AnnotatorError(problems[0] + more, path=path)
        return scheme


def _parse_extras(payload: dict[str, object], path: str | None) -> tuple[list[FieldDef], list[RelationType]]:
    """The document fields and relation types of a version 2 scheme (a version 1 file has neither)."""
    raw_fields = payload.get("fields") or []
    raw_relations = payload.get("relations") or []
    if not isinstance(raw_fields, list):
        raise AnnotatorError("'fields' must be a list", path=path)
    if not isinstance(raw_relations, list):
        raise AnnotatorError("'relations' must be a list", path=path)
    try:
        fields = [parse_field(raw, i, check_label_key) for i, raw in enumerate(raw_fields)]
        relations = [
            parse_relation(raw, i, check_label_key, OKABE_ITO[(i + 5) % len(OKABE_ITO)])
            for i, raw in enumerate(raw_relations)
        ]
    except AnnotatorError as exc:
        raise exc.at(path=path) from None
    return fields, relations


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
    """The five labels of the first corpus, shortcuts 1–5, and the fields, attributes and relations it needs."""
    scheme = Scheme(
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
    _add_default_extras(scheme)
    return scheme


def _add_default_extras(scheme: Scheme) -> None:
    """Fields, typed attributes and relation types for the first corpus; each removable, none required."""
    by_key = {label.key: label for label in scheme.labels}
    by_key["working_hours"].attributes = [AttributeDef("hours_per_day", "number")]
    by_key["remittance"].attributes = [
        AttributeDef("amount", "number"),
        AttributeDef("currency", "choice", ["USD", "EUR", "RUB", "CNY", "KPW", "other"]),
        AttributeDef("period", "choice", ["day", "week", "month", "year", "total"]),
    ]
    by_key["injury"].attributes = [AttributeDef("severity", "choice", ["minor", "serious", "fatal"])]
    scheme.fields = [
        FieldDef(
            "relevance",
            "Relevance",
            "choice",
            ["relevant", "partly", "not relevant"],
            "Does the article report on the labour of North Korean workers abroad?",
            "Ctrl+Alt+R",
            0,
        ),
        FieldDef(
            "source_type",
            "Source type",
            "choice",
            ["first-hand testimony", "official statement", "re-reporting"],
            "Whose account the article gives: a worker or witness, an authority, or another outlet's report.",
            "Ctrl+Alt+S",
            1,
        ),
    ]
    scheme.relations = [
        RelationType("caused", "Caused", "#D55E00", ["working_hours", "surveillance"], ["injury"], True, 0),
        RelationType("evades", "Evades", "#000000", ["remittance"], ["sanctions"], True, 1),
    ]


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
        problems.extend(_attribute_problems(label, where))
    problems.extend(_field_problems(scheme, shortcuts))
    problems.extend(_relation_problems(scheme))
    return problems


_KEY_RULE = ("the key must start with a letter and use only letters, digits, '_', '.' or '-' "
             "(at most 64 characters, no spaces).")


def _attribute_problems(label: Label, where: str) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for definition in label.attributes:
        if fold_key(definition.key) in seen:
            problems.append(f"{where}: the attribute {definition.key!r} is defined twice.")
        seen.add(fold_key(definition.key))
        problems.extend(options_problems(definition.options, f"{where}, attribute {definition.key!r}"))
    return problems


def _part_problems(kind: str, n: int, key: str, name: str, seen: dict[str, str]) -> list[str]:
    """Key and name rules shared by fields and relation types (``seen`` collects folded keys)."""
    where = f"{kind} {n} ({key or 'no key'})"
    problems: list[str] = []
    try:
        check_label_key(key)
    except AnnotatorError:
        problems.append(f"{where}: {_KEY_RULE}")
    if fold_key(key) in seen:
        problems.append(f"{where}: the key is already used by {kind.lower()} {seen[fold_key(key)]!r}.")
    seen.setdefault(fold_key(key), key)
    if not name.strip():
        problems.append(f"{where}: the display name is empty.")
    return problems


def _field_problems(scheme: Scheme, shortcuts: dict[str, str]) -> list[str]:
    """Fields: valid unique keys, names, pick lists, and shortcuts no label or other field uses."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    for n, definition in enumerate(scheme.fields, 1):
        where = f"Field {n} ({definition.key or 'no key'})"
        problems.extend(_part_problems("Field", n, definition.key, definition.name, seen))
        problems.extend(options_problems(definition.options, where))
        shortcut = definition.shortcut.strip()
        if shortcut:
            folded = shortcut.lower()
            if folded in shortcuts:
                problems.append(f"{where}: the shortcut {shortcut!r} is already the shortcut of {shortcuts[folded]}.")
            shortcuts.setdefault(folded, definition.key)
    return problems


def _relation_problems(scheme: Scheme) -> list[str]:
    """Relation types: valid unique keys, names, colours, and ends that name labels of the scheme."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    label_keys = set(scheme.keys())
    for n, definition in enumerate(scheme.relations, 1):
        where = f"Relation {n} ({definition.key or 'no key'})"
        problems.extend(_part_problems("Relation", n, definition.key, definition.name, seen))
        if not HEX_COLOUR.match(definition.color or ""):
            problems.append(f"{where}: the colour {definition.color!r} is not of the form #RRGGBB.")
        for end, keys in (("from", definition.sources), ("to", definition.targets)):
            for key in keys:
                if key not in label_keys:
                    problems.append(f"{where}: '{end}' names {key!r}, which is not a label of the scheme.")
    return problems
