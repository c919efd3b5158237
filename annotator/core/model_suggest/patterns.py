"""Pattern rules: regular expressions and Prodigy ``patterns.jsonl`` rules that suggest before any model.

Why: a new project has no labels to learn from, but its analysts know what they look for ("worked N hours
a day", "fined $N"). A rule file, one JSON object per line, in the shape Prodigy and spaCy's
EntityRuler use so existing files import as they are:

* ``{"label": "injury", "pattern": "fell from the scaffold"}`` — a **phrase**: whole tokens of our
  tokenizer (:mod:`annotator.core.tokenize`), compared case-insensitively, any whitespace between them;
* ``{"label": "working_hours", "pattern": [{"LOWER": "worked"}, {"LIKE_NUM": true}, {"LOWER": "hours"}]}``
  — **tokens**: one dict per token, attributes ``ORTH``/``TEXT``, ``LOWER``, ``LENGTH``, ``SHAPE``,
  ``IS_ALPHA``, ``IS_DIGIT``, ``IS_LOWER``, ``IS_UPPER``, ``IS_TITLE``, ``IS_PUNCT``, ``LIKE_NUM``; a value
  is a literal or ``{"IN": [...]}``, ``{"NOT_IN": [...]}``, ``{"REGEX": "..."}`` or a comparison
  (``{">=": 2}``); ``"OP"`` is ``!``, ``?``, ``*`` or ``+``;
* ``{"label": "sanctions", "regex": "\\bfined \\$?\\d+"}`` — a **regular expression** (Python syntax)
  over the text; our own key, as Prodigy has no whole-text regex rule.

An optional ``"id"`` is kept. A rule matches at every place it can; per start the longest match is
suggested. Parsing checks everything (JSON, keys, attributes, operators, each regex compiles) and refuses
the file with ``FILE:LINE: reason`` at the first problem, so a bad file never half-replaces the rules.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.tokenize import Token, tokenize

_ATTRS = {"ORTH", "TEXT", "LOWER", "LENGTH", "SHAPE", "IS_ALPHA", "IS_DIGIT", "IS_LOWER", "IS_UPPER",
          "IS_TITLE", "IS_PUNCT", "LIKE_NUM"}
_OPS = {"!", "?", "*", "+"}
_COMPARE = {"==", "!=", ">=", "<=", ">", "<"}
_NUMBER_WORDS = frozenset("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                          "fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty "
                          "sixty seventy eighty ninety hundred thousand million billion".split())
_LIKE_NUM = re.compile(r"^[+-]?(\d+([.,]\d+)*|\d*[.,]\d+)(st|nd|rd|th)?$")


@dataclass(frozen=True, slots=True)
class PatternRule:
    """One rule: its label, the JSON it came from (kept as written, for export), and its kind."""

    label: str
    kind: str  # "phrase", "tokens" or "regex"
    body: dict[str, Any]

    def line(self) -> str:
        return json.dumps(self.body, ensure_ascii=False)


def spacy_shape(word: str) -> str:
    """spaCy's ``SHAPE``: ``Xxxxx`` for "Pyongyang", ``dd`` for "14" (a run kept to four characters)."""
    out: list[str] = []
    run = 0
    for ch in word:
        c = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        run = run + 1 if out and out[-1] == c else 1
        if run <= 4:
            out.append(c)
    return "".join(out)


def _like_num(word: str) -> bool:
    return bool(_LIKE_NUM.match(word)) or word.lower() in _NUMBER_WORDS


def _attr(token: str, name: str) -> Any:
    if name in ("ORTH", "TEXT"):
        return token
    if name == "LOWER":
        return token.lower()
    if name == "LENGTH":
        return len(token)
    if name == "SHAPE":
        return spacy_shape(token)
    if name == "IS_ALPHA":
        return token.isalpha()
    if name == "IS_DIGIT":
        return token.isdigit()
    if name == "IS_LOWER":
        return token.islower()
    if name == "IS_UPPER":
        return token.isupper()
    if name == "IS_TITLE":
        return token.istitle()
    if name == "IS_PUNCT":
        return not any(ch.isalnum() for ch in token)
    return _like_num(token)  # LIKE_NUM


def _check_value(value: Any, where: str) -> Any:
    """Validate one attribute's value; regexes are compiled here (and kept compiled)."""
    if isinstance(value, dict):
        if len(value) != 1:
            raise ValueError(f"{where}: one operator per attribute, got {sorted(value)}")
        (op, arg), = value.items()
        if op == "REGEX":
            if not isinstance(arg, str):
                raise ValueError(f"{where}: REGEX needs a string")
            try:
                return {"REGEX": re.compile(arg)}
            except re.error as exc:
                raise ValueError(f"{where}: bad regular expression {arg!r}: {exc}") from None
        if op in ("IN", "NOT_IN"):
            if not isinstance(arg, list):
                raise ValueError(f"{where}: {op} needs a list")
            return {op: set(arg)}
        if op in _COMPARE:
            return {op: arg}
        raise ValueError(f"{where}: unknown operator {op!r}")
    if isinstance(value, (str, bool, int, float)):
        return value
    raise ValueError(f"{where}: a value must be a string, number, boolean or operator object")


def _value_matches(actual: Any, spec: Any) -> bool:
    if not isinstance(spec, dict):
        return actual == spec
    (op, arg), = spec.items()
    if op == "REGEX":
        return bool(arg.search(str(actual)))
    if op == "IN":
        return actual in arg
    if op == "NOT_IN":
        return actual not in arg
    try:
        return {"==": actual == arg, "!=": actual != arg, ">=": actual >= arg, "<=": actual <= arg,
                ">": actual > arg, "<": actual < arg}[op]
    except TypeError:
        return False


@dataclass(frozen=True, slots=True)
class _TokenSpec:
    checks: tuple[tuple[str, Any], ...]
    op: str  # "", "!", "?", "*", "+"

    def matches(self, token: str) -> bool:
        return all(_value_matches(_attr(token, name), spec) for name, spec in self.checks)


def _token_specs(pattern: list[Any]) -> tuple[_TokenSpec, ...]:
    specs: list[_TokenSpec] = []
    if not pattern:
        raise ValueError("a token pattern needs at least one token")
    for n, item in enumerate(pattern, 1):
        if not isinstance(item, dict):
            raise ValueError(f"token {n} is not an object")
        op = item.get("OP", "")
        if op and op not in _OPS:
            raise ValueError(f"token {n}: unknown OP {op!r} (use !, ?, * or +)")
        checks = []
        for name, value in item.items():
            if name == "OP":
                continue
            if name.upper() not in _ATTRS:
                raise ValueError(f"token {n}: unknown attribute {name!r}")
            checks.append((name.upper(), _check_value(value, f"token {n} {name}")))
        specs.append(_TokenSpec(tuple(checks), op))
    if all(s.op in ("?", "*", "!") for s in specs):
        raise ValueError("every token is optional: the pattern would match nothing")
    return tuple(specs)


def parse_rule(obj: Any) -> tuple[PatternRule, Any]:
    """One rule and its compiled form; ValueError with the reason when it is not one."""
    if not isinstance(obj, dict):
        raise ValueError("a rule is a JSON object with \"label\" and \"pattern\" or \"regex\"")
    unknown = set(obj) - {"label", "pattern", "regex", "id"}
    if unknown:
        raise ValueError(f"unknown key {sorted(unknown)[0]!r}")
    label = obj.get("label")
    if not isinstance(label, str) or not label:
        raise ValueError("\"label\" must be a non-empty string")
    if ("pattern" in obj) == ("regex" in obj):
        raise ValueError("give exactly one of \"pattern\" and \"regex\"")
    if "regex" in obj:
        if not isinstance(obj["regex"], str) or not obj["regex"]:
            raise ValueError("\"regex\" must be a non-empty string")
        try:
            compiled: Any = re.compile(obj["regex"])
        except re.error as exc:
            raise ValueError(f"bad regular expression {obj['regex']!r}: {exc}") from None
        if compiled.fullmatch(""):
            raise ValueError(f"the regular expression {obj['regex']!r} matches empty text")
        return PatternRule(label, "regex", obj), compiled
    pattern = obj["pattern"]
    if isinstance(pattern, str):
        words = tuple(t.text.casefold() for t in tokenize(pattern))
        if not words:
            raise ValueError("the phrase pattern is empty")
        return PatternRule(label, "phrase", obj), words
    if isinstance(pattern, list):
        return PatternRule(label, "tokens", obj), _token_specs(pattern)
    raise ValueError("\"pattern\" must be a phrase (string) or a list of token objects")


def parse_patterns(text: str, filename: str = "patterns") -> list[PatternRule]:
    """Every rule of a ``patterns.jsonl`` text; :class:`AnnotatorError` ``FILE:LINE: reason`` otherwise."""
    rules: list[PatternRule] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            obj = json.loads(line)
            rules.append(parse_rule(obj)[0])
        except json.JSONDecodeError as exc:
            raise AnnotatorError(f"{filename}:{number}: not JSON ({exc.msg}, column {exc.colno})") from None
        except ValueError as exc:
            raise AnnotatorError(f"{filename}:{number}: {exc}") from None
    return rules


def export_patterns(rules: list[PatternRule]) -> str:
    return "".join(rule.line() + "\n" for rule in rules)


def _match_tokens(specs: tuple[_TokenSpec, ...], words: list[str], start: int) -> int:
    """The end (token index, exclusive) of the longest match of ``specs`` at ``start``; -1 when none."""
    best = -1
    stack = [(0, start)]
    seen: set[tuple[int, int]] = set()
    while stack:
        k, i = stack.pop()
        if (k, i) in seen:
            continue
        seen.add((k, i))
        if k == len(specs):
            best = max(best, i)
            continue
        spec = specs[k]
        here = i < len(words) and spec.matches(words[i])
        if spec.op == "!":
            if i < len(words) and not spec.matches(words[i]):
                stack.append((k + 1, i + 1))
        elif spec.op == "":
            if here:
                stack.append((k + 1, i + 1))
        elif spec.op == "?":
            stack.append((k + 1, i))
            if here:
                stack.append((k + 1, i + 1))
        else:  # "*" or "+"
            if spec.op == "*":
                stack.append((k + 1, i))
            if here:
                stack.append((k, i + 1))
                stack.append((k + 1, i + 1))
    return best if best > start else -1


class PatternMatcher:
    """The rules compiled once; :meth:`find` gives (start, end, label) per match, longest per start."""

    def __init__(self, rules: list[PatternRule]) -> None:
        self.rules = rules
        self.compiled = [(rule, parse_rule(rule.body)[1]) for rule in rules]

    def __len__(self) -> int:
        return len(self.rules)

    def find(self, text: str, labels: set[str] | None = None) -> list[tuple[int, int, str]]:
        found: dict[tuple[int, str], int] = {}
        tokens: list[Token] | None = None
        for rule, compiled in self.compiled:
            if labels is not None and rule.label not in labels:
                continue
            if rule.kind == "regex":
                for m in compiled.finditer(text):
                    if m.end() > m.start():
                        key = (m.start(), rule.label)
                        found[key] = max(found.get(key, 0), m.end())
                continue
            if tokens is None:
                tokens = tokenize(text)
                words = [t.text for t in tokens]
                folded = [w.casefold() for w in words]
            for i in range(len(tokens)):
                if rule.kind == "phrase":
                    n = len(compiled)
                    end = i + n if tuple(folded[i:i + n]) == compiled else -1
                else:
                    end = _match_tokens(compiled, words, i)
                if end > i:
                    key = (tokens[i].start, rule.label)
                    found[key] = max(found.get(key, 0), tokens[end - 1].end)
        return sorted((s, e, label) for (s, label), e in found.items())
