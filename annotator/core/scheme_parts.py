"""The parts of a scheme beyond labels: typed span attributes, document fields and relation types.

Analysts of forced-labour reporting need to say more than "this span is injury": whether the article is
relevant and what kind of source it is (document fields, judged per layer like spans), typed facts on a
span (hours per day, amount and currency) and links between spans (this payment went to this recipient).
Each part is a small record here, parsed from and written to the scheme JSON (docs/architecture.md §9)
with one rule per mistake, so the scheme editor, ``scheme import`` and the store refuse the same things
with the same words. Values themselves are checked by ``core.typed_values``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.typed_values import KINDS_WITH_OPTIONS, VALUE_KINDS, check_value

MAX_OPTIONS = 200
"""Options of one choice: a pick list longer than this is a vocabulary, not a judgement."""
MAX_OPTION_LENGTH = 200


@dataclass(slots=True)
class AttributeDef:
    """A typed attribute a label's spans may carry (``hours_per_day``: number)."""

    key: str
    kind: str = "text"
    options: list[str] = field(default_factory=list)
    required: bool = False

    def check(self, value: Any) -> Any:
        """The value in its canonical shape, or :class:`AnnotatorError` naming this attribute."""
        try:
            return check_value(self.kind, self.options, value)
        except AnnotatorError as exc:
            raise AnnotatorError(f"attribute {self.key!r}: {exc.reason}") from None

    def to_json(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"key": self.key, "kind": self.kind}
        if self.kind in KINDS_WITH_OPTIONS:
            payload["options"] = list(self.options)
        if self.required:
            payload["required"] = True
        return payload


@dataclass(slots=True)
class FieldDef:
    """A judgement about the whole document (relevance, source type), one value per layer."""

    key: str
    name: str
    kind: str = "choice"
    options: list[str] = field(default_factory=list)
    guideline: str = ""
    shortcut: str = ""
    order: int = 0

    def check(self, value: Any) -> Any:
        """The value in its canonical shape, or :class:`AnnotatorError` naming this field."""
        try:
            return check_value(self.kind, self.options, value)
        except AnnotatorError as exc:
            raise AnnotatorError(f"field {self.key!r}: {exc.reason}") from None

    def to_json(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"key": self.key, "name": self.name, "kind": self.kind}
        if self.kind in KINDS_WITH_OPTIONS:
            payload["options"] = list(self.options)
        payload.update(guideline=self.guideline, shortcut=self.shortcut, order=self.order)
        return payload


@dataclass(slots=True)
class RelationType:
    """A kind of link between two spans; ``sources``/``targets`` empty means any label is allowed."""

    key: str
    name: str
    color: str
    sources: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    directed: bool = True
    order: int = 0

    def allows(self, source_label: str, target_label: str) -> bool:
        """Whether a relation of this type may go from a span of one label to a span of the other."""
        return (not self.sources or source_label in self.sources) and (
            not self.targets or target_label in self.targets
        )

    def refusal(self, source_label: str, target_label: str) -> str | None:
        """Why a relation of this type may not link these labels (None when it may)."""
        if self.allows(source_label, target_label):
            return None
        return (
            f"relation {self.key!r} does not go from {source_label!r} to {target_label!r}"
            f" (from: {', '.join(self.sources) or 'any'}; to: {', '.join(self.targets) or 'any'})"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "color": self.color,
            "from": list(self.sources),
            "to": list(self.targets),
            "directed": self.directed,
            "order": self.order,
        }


# ---- reading from scheme JSON ------------------------------------------------------------------------

ATTRIBUTE_KEYS = frozenset({"key", "kind", "options", "required"})
FIELD_KEYS = frozenset({"key", "name", "kind", "options", "guideline", "shortcut", "order"})
RELATION_KEYS = frozenset({"key", "name", "color", "from", "to", "directed", "order"})


def refuse_unknown_keys(raw: Mapping[str, Any], allowed: Iterable[str], where: str) -> None:
    """Scheme JSON refuses keys it does not know, naming the first (a typo must not pass silently)."""
    allowed_set = set(allowed)
    for key in raw:
        if key not in allowed_set:
            raise AnnotatorError(f"{where}: unknown key {str(key)!r} (known: {', '.join(sorted(allowed_set))})")


def parse_attribute(raw: Any, where: str, check_key: Callable[[str], None]) -> AttributeDef:
    """One attribute definition of a label."""
    if not isinstance(raw, dict) or not isinstance(raw.get("key"), str):
        raise AnnotatorError(f"{where}: an attribute needs a key")
    where = f"{where}, attribute {raw['key'][:64]!r}"
    refuse_unknown_keys(raw, ATTRIBUTE_KEYS, where)
    _checked_key(raw["key"], where, check_key)
    kind = _kind(raw, where)
    required = raw.get("required", False)
    if not isinstance(required, bool):
        raise AnnotatorError(f"{where}: 'required' must be true or false")
    return AttributeDef(raw["key"], kind, _options(raw, kind, where), required)


def parse_field(raw: Any, index: int, check_key: Callable[[str], None]) -> FieldDef:
    """One document field; ``index`` gives the default order."""
    where = f"field #{index + 1}"
    if not isinstance(raw, dict) or not isinstance(raw.get("key"), str):
        raise AnnotatorError(f"{where} has no key")
    where = f"field {raw['key']!r}"
    refuse_unknown_keys(raw, FIELD_KEYS, where)
    _checked_key(raw["key"], where, check_key)
    kind = _kind(raw, where, default="choice")
    return FieldDef(
        key=raw["key"],
        name=_text(raw, "name", where) or raw["key"],
        kind=kind,
        options=_options(raw, kind, where),
        guideline=_text(raw, "guideline", where),
        shortcut=_text(raw, "shortcut", where),
        order=_order(raw, index, where),
    )


def parse_relation(raw: Any, index: int, check_key: Callable[[str], None], default_colour: str) -> RelationType:
    """One relation type; label names in ``from``/``to`` are checked against the scheme by the caller."""
    where = f"relation #{index + 1}"
    if not isinstance(raw, dict) or not isinstance(raw.get("key"), str):
        raise AnnotatorError(f"{where} has no key")
    where = f"relation {raw['key']!r}"
    refuse_unknown_keys(raw, RELATION_KEYS, where)
    _checked_key(raw["key"], where, check_key)
    ends: dict[str, list[str]] = {}
    for end in ("from", "to"):
        value = raw.get(end, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise AnnotatorError(f"{where}: '{end}' must be a list of label keys")
        ends[end] = list(dict.fromkeys(value))
    directed = raw.get("directed", True)
    if not isinstance(directed, bool):
        raise AnnotatorError(f"{where}: 'directed' must be true or false")
    return RelationType(
        key=raw["key"],
        name=_text(raw, "name", where) or raw["key"],
        color=_text(raw, "color", where) or default_colour,
        sources=ends["from"],
        targets=ends["to"],
        directed=directed,
        order=_order(raw, index, where),
    )


def _checked_key(key: str, where: str, check_key: Callable[[str], None]) -> None:
    try:
        check_key(key)
    except AnnotatorError as exc:
        raise AnnotatorError(f"{where}: {exc.reason}") from None


def _kind(raw: Mapping[str, Any], where: str, default: str = "text") -> str:
    kind = raw.get("kind", default)
    if kind not in VALUE_KINDS:
        raise AnnotatorError(f"{where}: kind {str(kind)[:40]!r} is not one of {', '.join(VALUE_KINDS)}")
    return str(kind)


def _options(raw: Mapping[str, Any], kind: str, where: str) -> list[str]:
    options = raw.get("options")
    if kind not in KINDS_WITH_OPTIONS:
        if options:
            raise AnnotatorError(f"{where}: only choice and multi have options")
        return []
    if not isinstance(options, list) or not options:
        raise AnnotatorError(f"{where}: a {kind} needs a list of options")
    return list(options)


def _text(raw: Mapping[str, Any], name: str, where: str) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise AnnotatorError(f"{where}: {name} must be a string")
    return value


def _order(raw: Mapping[str, Any], index: int, where: str) -> int:
    order = raw.get("order", index)
    if not isinstance(order, int) or isinstance(order, bool):
        raise AnnotatorError(f"{where}: order must be an integer")
    return order


def options_problems(options: list[Any], where: str) -> list[str]:
    """Why a pick list cannot be saved: blank, repeated, too long or too many options."""
    problems: list[str] = []
    if len(options) > MAX_OPTIONS:
        problems.append(f"{where}: at most {MAX_OPTIONS} options.")
    seen: set[str] = set()
    for option in options:
        if not isinstance(option, str) or not option.strip():
            problems.append(f"{where}: an option is blank or not a text.")
            continue
        if len(option) > MAX_OPTION_LENGTH:
            problems.append(f"{where}: the option {option[:30]!r}… is longer than {MAX_OPTION_LENGTH} characters.")
        if option in seen:
            problems.append(f"{where}: the option {option!r} appears twice.")
        seen.add(option)
    return problems
