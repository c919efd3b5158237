"""The contract every import/export format implements, and the registry that finds them.

Adding a format is one new module in this package that defines a :class:`Format` subclass and calls
:func:`register`. Readers never raise for a bad *record*: they yield an :class:`AnnotatorError` in its
place (with file and line) so the importer can refuse the whole file, or skip the record when the user
asked for ``--skip-bad``. A reader raises only when the whole file is unreadable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from annotator.core.errors import AnnotatorError
from annotator.core.model import AnnotatedDocument, DocumentRecord
from annotator.core.scheme import Scheme


@dataclass
class ReadContext:
    """What a reader needs besides the bytes: where they came from, and where to report repairs."""

    path: str
    notices: list[str] = field(default_factory=list)
    resolve_text: Callable[[str], DocumentRecord | None] | None = None
    """Looks up a known document by ``text_sha256``: formats that do not carry the text (W3C) need it."""
    scheme: Scheme | None = None
    """The scheme of the database being imported into, when there is one: formats that carry values as bare
    text (brat's attribute values, Label Studio's choices) read them back in the kind the scheme gives
    (``"8"`` as the number 8 for a number attribute). Without it values keep the shape the file has."""

    def notice(self, message: str, line: int | None = None) -> None:
        """Record something the user should know but that is not an error (e.g. a re-anchored span)."""
        where = f"{self.path}, line {line}: " if line is not None else f"{self.path}: "
        self.notices.append(where + message)

    def error(self, reason: str, line: int | None = None) -> AnnotatorError:
        return AnnotatorError(reason, path=self.path, line=line)


@dataclass
class WriteReport:
    """What an exporter wrote and what it could not express (e.g. overlapping spans in CoNLL)."""

    documents: int = 0
    spans: int = 0
    problems: list[str] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)
    """What the format has no place for, counted by kind ("document fields": 12), for the summary line."""
    _dropped_line: dict[str, int] = field(default_factory=dict, repr=False)

    def drop(self, what: str, why: str, count: int = 1) -> None:
        """Count ``count`` things of one kind the format cannot carry (document fields, relations...).

        They are listed as one line per kind among the problems, its count kept current, rather than one
        line per document: an export of 10,000 documents with fields into brat says so once.
        """
        if count <= 0:
            return
        self.dropped[what] = self.dropped.get(what, 0) + count
        line = f"{what}: {self.dropped[what]} not written ({why})"
        if what in self._dropped_line:
            self.problems[self._dropped_line[what]] = line
        else:
            self._dropped_line[what] = len(self.problems)
            self.problems.append(line)

    def dropped_summary(self) -> str:
        """``"not written: document fields (3), relations (2)"``, or ``""`` when nothing was dropped."""
        if not self.dropped:
            return ""
        return "not written: " + ", ".join(f"{what} ({count})" for what, count in self.dropped.items())


class Format:
    """Base class of a format. Subclasses set the class attributes and override read and/or write."""

    name: ClassVar[str]
    description: ClassVar[str] = ""
    extensions: ClassVar[tuple[str, ...]] = ()
    offset_unit: ClassVar[str] = "code points"
    can_read: ClassVar[bool] = False
    can_write: ClassVar[bool] = False
    writes_directory: ClassVar[bool] = False
    sniff_priority: ClassVar[int] = 50
    """Order in which :func:`detect_format` asks formats; generic fallbacks (native JSONL) go last."""

    def sniff(self, path: Path, head: bytes) -> bool:
        """True when a file with this path and first bytes is in this format (for auto-detection)."""
        return path.suffix.lower() in self.extensions

    def read(self, path: Path, ctx: ReadContext) -> Iterator[AnnotatedDocument | AnnotatorError]:
        raise AnnotatorError(f"the {self.name} format cannot be imported")

    def write(self, docs: Iterable[AnnotatedDocument], out: Path, scheme: Scheme) -> WriteReport:
        raise AnnotatorError(f"the {self.name} format cannot be exported")


_REGISTRY: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Add a format instance to the registry under its name."""
    _REGISTRY[fmt.name] = fmt
    return fmt


def get_format(name: str) -> Format:
    _load_builtin_formats()
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise AnnotatorError(f"unknown format {name!r} (known: {known})") from None


def all_formats() -> list[Format]:
    _load_builtin_formats()
    return [fmt for _, fmt in sorted(_REGISTRY.items())]


def detect_format(path: Path, head: bytes) -> Format | None:
    """The readable format of a file (or folder) judged from its name and first bytes, or ``None``.

    Several formats share an extension (native JSONL, Prodigy and doccano are all ``.jsonl``), so their
    ``sniff`` looks at the first record; the specific formats are asked first and native JSONL, which
    accepts any object with ``text``, is the fallback for ``.jsonl``.
    """
    _load_builtin_formats()
    readable = [fmt for fmt in _REGISTRY.values() if fmt.can_read]
    for fmt in sorted(readable, key=lambda f: (f.sniff_priority, f.name)):
        try:
            if fmt.sniff(path, head):
                return fmt
        except (OSError, ValueError):
            continue
    return None


def _load_builtin_formats() -> None:
    # Imported lazily so that importing the core stays cheap and optional dependencies stay optional.
    from annotator.core import formats  # noqa: F401  (the package __init__ imports every built-in module)
