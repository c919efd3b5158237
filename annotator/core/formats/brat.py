"""brat standoff: a folder (or .zip) of ``<doc>.txt`` + ``<doc>.ann``, plus ``annotation.conf``.

Offsets are code points into the ``.txt``, which we write as the canonical text (``\\n`` line ends).
A span that crosses a line break is written as discontinuous fragments split at the line breaks
(brat's own convention: an ``.ann`` line cannot hold a newline), ``start end;start end``, with the
fragment texts joined by a space; reading joins fragments separated only by whitespace back into one
span. Notes are ``#`` ``AnnotatorNotes`` lines and attributes ``A`` lines (``True`` → a binary
attribute, a string/number without spaces → a valued one; read back in the kind the scheme gives the
label's attribute, so ``A1\thours_per_day T2 12`` is the number 12). Relations are ``R`` lines
(``R1\tcaused Arg1:T3 Arg2:T7``, Arg1 the source) and ``annotation.conf`` declares their types
(``brat_conf``). brat has no document-level annotations: document fields are not written (counted in the
export's report).

brat has one annotation set per file, so an export holds one layer per document: when the export
holds several annotators' layers, each annotator gets a subfolder. On import, a subfolder name is
taken as the annotator. Zip archives are read without extracting, refusing absolute or ``..`` member
paths and archives that would expand beyond the size limit.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from annotator.core.decoding import MAX_ARTICLE_BYTES, MAX_FILE_BYTES, decode_bytes
from annotator.core.errors import AnnotatorError, printable
from annotator.core.formats._shared import OffsetUnits, make_document, safe_name, short
from annotator.core.formats.base import Format, ReadContext, WriteReport, register
from annotator.core.formats.brat_conf import AttrSeen, annotation_conf, visual_conf
from annotator.core.formats.structure import (
    relation_records,
    typed_from_text,
    written_order,
    written_relations,
)
from annotator.core.model import STATUS_DONE, AnnotatedDocument, LayerRecord, SpanRecord
from annotator.core.safe_io import open_regular, read_capped, read_regular, regular_files
from annotator.core.scheme import Scheme

UNANNOTATED_FOLDER = "unannotated"
_VALUE_OK = re.compile(r"^[^\s]+$")
_DIGITS = re.compile(r"[0-9]{1,18}")
_LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
"""What Python's ``str.splitlines`` breaks lines at. brat reads an ``.ann`` file line by line with it
(its ``annotation.py`` iterates a codecs reader, whose ``readline`` splits where ``splitlines`` does), so
any of these in a span's text column would cut the T line in two and brat would reject the file."""
_ONE_LINE = str.maketrans({ch: " " for ch in _LINE_BREAKS})
_BREAK = re.compile(f"[{re.escape(_LINE_BREAKS)}]")


def ann_field(value: str) -> str:
    """A text column for an ``.ann`` line: every character brat would take as a line break becomes a space.

    The same length as ``value``, so the column still lines up with the offsets character for character.
    """
    return value.translate(_ONE_LINE)


# ---------------------------------------------------------------------------------------------- writing


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The span cut at line breaks, as brat stores spans that cross lines (an .ann line holds no newline).

    Every character brat reads as a line break (``_LINE_BREAKS``: also U+2028, U+0085, form feed…) cuts,
    not only ``\n``: brat requires the text column to equal the fragments' text joined by spaces, and
    that column cannot hold a line break. The pieces always start at ``start`` and end at ``end`` exactly:
    a line break at either end of the span stays inside the first/last piece (reported as lossy for brat's
    text check) rather than being lost.
    """
    pieces: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        found = _BREAK.search(text, pos, end)
        stop = end if found is None else found.start()
        if stop > pos:
            pieces.append((pos, stop))
        pos = end if found is None else found.end()
    if not pieces:
        return [(start, end)]
    pieces[0] = (start, pieces[0][1])
    pieces[-1] = (pieces[-1][0], end)
    return pieces


def ann_lines(text: str, layer: LayerRecord, doc_id: str, report: WriteReport, attrs_seen: dict[str, AttrSeen],
              scheme: Scheme | None = None, relations_used: set[str] | None = None) -> list[str]:
    """The ``.ann`` lines of one layer: T (spans), A (attributes), # (notes), then R (relations)."""
    scheme = scheme if scheme is not None else Scheme()
    lines: list[str] = []
    t = a = note_n = 0
    ordered, position = written_order(layer.spans)
    t_of: dict[int, int] = {}  # written position -> T number (a span brat cannot hold has none)
    for pos, span in enumerate(ordered):
        t += 1
        pieces = fragments(text, span.start, span.end)
        offsets = ";".join(f"{s} {e}" for s, e in pieces)
        joined = " ".join(text[s:e] for s, e in pieces)
        quote = ann_field(joined)
        if quote != joined:  # only a span that begins or ends with a line break
            report.problems.append(f"{doc_id}: span {span.start}-{span.end} {span.label} begins or ends with a "
                                   "line break, written as a space in the .ann text column (brat reads that line "
                                   "as not matching the text); offsets are exact")
        if not _VALUE_OK.match(span.label):
            report.problems.append(f"{doc_id}: span {span.start}-{span.end} label {span.label!r} has spaces; "
                                   "brat cannot express it, left out")
            t -= 1
            continue
        t_of[pos] = t
        lines.append(f"T{t}\t{span.label} {offsets}\t{quote}")
        owner = scheme.get(span.label)
        for key, value in sorted(span.attributes.items()):
            if not _VALUE_OK.match(key):
                report.problems.append(f"{doc_id}: attribute name {key!r} cannot be written to brat (spaces)")
                continue
            definition = owner.attribute(key) if owner is not None else None
            if value is False and definition is not None and definition.kind == "bool":
                report.drop("yes/no attributes set to no", "a brat binary attribute is there or not; "
                            "read back as absent")
                continue
            if value is True:
                a += 1
                attrs_seen.setdefault(key, AttrSeen()).binary = True
                lines.append(f"A{a}\t{key} T{t}")
            elif isinstance(value, str | int | float) and not isinstance(value, bool) and _VALUE_OK.match(str(value)):
                a += 1
                attrs_seen.setdefault(key, AttrSeen()).values.add(str(value))
                lines.append(f"A{a}\t{key} T{t} {value}")
            else:
                report.problems.append(f"{doc_id}: attribute {key}={value!r} of span T{t} cannot be written to brat")
        if span.note:
            note_n += 1
            note = ann_field(span.note)
            if note != span.note:
                report.problems.append(f"{doc_id}: line breaks in the note of span T{t} written as spaces")
            lines.append(f"#{note_n}\tAnnotatorNotes T{t}\t{note}")
    r = 0
    for source, target, label in written_relations(layer, position):
        if source not in t_of or target not in t_of:
            report.drop("relations of spans left out", "brat could not hold one of their spans")
            continue
        r += 1
        lines.append(f"R{r}\t{label} Arg1:T{t_of[source]} Arg2:T{t_of[target]}")
        if relations_used is not None:
            relations_used.add(label)
    if layer.doc_fields:
        report.drop("document fields", "brat has no document-level annotations", len(layer.doc_fields))
    return lines


def _write_text(path: Path, content: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(content)


# ---------------------------------------------------------------------------------------------- reading


@dataclass
class _Member:
    """One .txt/.ann pair found in a folder or an archive; ``folder`` is the relative parent path."""

    folder: str
    stem: str
    txt: str
    ann: str | None


class _Source:
    """Uniform access to the files of a folder or a zip archive, by relative POSIX path.

    Only regular files are listed (links, pipes and devices in a folder are skipped, so a folder never
    leads outside itself), and every member is read with the article size limit as a cap, before
    decoding: an archive member that inflates to 500 MB, or whose header lies about its size, is
    refused after at most 64 MB were inflated.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        self._stream: IO[bytes] | None = None
        if path.is_dir() and not path.is_symlink():
            self.names = sorted(p.relative_to(path).as_posix() for p in regular_files(path))
            return
        self._stream = open_regular(path)
        try:
            self.zip = zipfile.ZipFile(self._stream)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            self.close()
            raise AnnotatorError(f"not a readable zip archive ({exc})", path=str(path)) from None
        try:
            self.names = self._listing()
        except AnnotatorError:
            self.close()
            raise

    def _listing(self) -> list[str]:
        assert self.zip is not None
        total = 0
        names = []
        for info in self.zip.infolist():
            name = info.filename
            pure = PurePosixPath(name.replace("\\", "/"))
            if name.startswith(("/", "\\")) or pure.is_absolute() or re.match(r"^[A-Za-z]:", name) or ".." in pure.parts:
                raise AnnotatorError(f"refused: archive member {name!r} points outside the archive folder", path=str(self.path))
            if info.is_dir():
                continue
            if info.file_size > MAX_ARTICLE_BYTES:
                raise AnnotatorError(f"refused: archive member {name!r} expands to {info.file_size // (1024 * 1024)} MB; "
                                     f"the limit is {MAX_ARTICLE_BYTES // (1024 * 1024)} MB", path=str(self.path))
            total += info.file_size
            if total > MAX_FILE_BYTES:
                raise AnnotatorError("refused: the archive expands to more than the size limit", path=str(self.path))
            names.append(pure.as_posix())
        return sorted(names)

    def read(self, name: str) -> bytes:
        """A member's bytes; a damaged, encrypted, oversized or unreadable member is an error naming it."""
        where = f"{self.path}!{name}" if self.zip is not None else str(self.path / name)
        try:
            if self.zip is not None:
                with self.zip.open(name) as member:
                    return read_capped(member, MAX_ARTICLE_BYTES, where, "the archive member")
            return read_regular(self.path / name, MAX_ARTICLE_BYTES)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError, ValueError) as exc:
            raise AnnotatorError(f"cannot read {name} ({exc})", path=str(self.path)) from None

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()
        if self._stream is not None:
            self._stream.close()

    def members(self) -> list[_Member]:
        present = set(self.names)
        found = []
        for name in self.names:
            if not name.endswith(".txt") or "/." in "/" + name:
                continue
            folder, _, file = name.rpartition("/")
            stem = file[:-4]
            ann = name[:-4] + ".ann"
            found.append(_Member(folder, stem, name, ann if ann in present else None))
        return found


def _parse_t_line(rest: str, units: OffsetUnits, label_line: str) -> tuple[str, list[tuple[int, int]], str] | str:
    """(label, canonical fragments, quote) of a T line's body, or the reason it is bad."""
    try:
        type_and_offsets, quote = rest.split("\t", 1)
    except ValueError:
        return "a T line needs 'label start end' and the text, separated by a tab"
    label, _, offsets = type_and_offsets.partition(" ")
    if not label or not offsets:
        return f"no offsets in {label_line!r}"
    pieces: list[tuple[int, int]] = []
    for frag in offsets.split(";"):
        parts = frag.split()
        if len(parts) != 2 or not all(_DIGITS.fullmatch(p) for p in parts):  # ASCII only: "²".isdigit()
            return f"offsets {offsets!r} are not 'start end' pairs separated by ';'"
        s, e = int(parts[0]), int(parts[1])
        # brat counts code points of its .txt; when that still has \r\n, map to the canonical text
        unit = "code points of the text with \\r\\n" if "\r\n" in units.raw else "code points"
        pair = units.convert(unit, s, e)
        if pair is None:
            return f"offsets {s}-{e} are not a span of the text ({len(units.raw)} characters)"
        pieces.append(pair)
    return label, pieces, quote


def _read_ann(ann_text: str, units: OffsetUnits, ctx: ReadContext, where: str) -> LayerRecord | AnnotatorError:
    text = units.text
    spans: dict[str, list[SpanRecord]] = {}  # a discontinuous span may become several
    links: list[tuple[int, str, str, str, str]] = []  # R lines, resolved once every T line is read
    order: list[SpanRecord] = []
    for number, line in enumerate(ann_text.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        ident, _, rest = line.partition("\t")
        if ident.startswith("T"):
            parsed = _parse_t_line(rest, units, line)
            if isinstance(parsed, str):
                return AnnotatorError(parsed, path=where, line=number)
            label, pieces, quote = parsed
            got = " ".join(text[s:e] for s, e in pieces)
            if got != quote and ann_field(got) != ann_field(quote):
                return AnnotatorError(
                    f"{ident}: text {short(quote)!r} does not match the .txt at those offsets ({short(got)!r})",
                    path=where, line=number)
            start, end = pieces[0][0], pieces[-1][1]
            gaps_blank = all(not text[a[1] : b[0]].strip() for a, b in zip(pieces, pieces[1:], strict=False))
            if len(pieces) > 1 and not gaps_blank:
                ctx.notice(f"{where}, line {number}: discontinuous {ident} imported as {len(pieces)} separate spans")
                spans[ident] = [SpanRecord(start=s, end=e, label=label, text=text[s:e]) for s, e in pieces]
            else:
                spans[ident] = [SpanRecord(start=start, end=end, label=label, text=text[start:end])]
            order.extend(spans[ident])
        elif ident.startswith("A") or ident.startswith("M"):
            parts = rest.split()
            if len(parts) < 2:
                return AnnotatorError(f"attribute {ident} needs a name and a target", path=where, line=number)
            if parts[1] not in spans:  # e.g. an attribute of an event, which is not imported
                ctx.notice(f"{where}, line {number}: attribute {ident} is not on a text-bound annotation; ignored")
                continue
            for span in spans[parts[1]]:
                value: Any = True if len(parts) == 2 else typed_from_text(ctx.scheme, span.label, parts[0],
                                                                          " ".join(parts[2:]))
                span.attributes[parts[0]] = value
        elif ident.startswith("#"):
            kind_ref, _, note = rest.partition("\t")
            parts = kind_ref.split()
            if len(parts) == 2 and parts[0] == "AnnotatorNotes" and parts[1] in spans:
                for span in spans[parts[1]]:
                    span.note = note if span.note is None else span.note + "\n" + note
            else:
                ctx.notice(f"{where}, line {number}: note {ident} does not refer to a text-bound annotation; ignored")
        elif ident.startswith("R"):
            parsed_link = _parse_r_line(ident, rest)
            if isinstance(parsed_link, str):
                return AnnotatorError(parsed_link, path=where, line=number)
            links.append((number, ident, *parsed_link))
        else:
            ctx.notice(f"{where}, line {number}: {ident[:1]} annotations (events, equivalences, normalizations) "
                       "are not imported")
    index = {id(span): i for i, span in enumerate(order)}
    resolved: list[tuple[int, int, str]] = []
    for number, ident, label, source, target in links:
        if source not in spans or target not in spans:
            missing = source if source not in spans else target
            ctx.notice(f"{where}, line {number}: relation {ident} refers to {missing}, which is not a text-bound "
                       "annotation of this file; ignored")
            continue
        if len(spans[source]) > 1 or len(spans[target]) > 1:
            ctx.notice(f"{where}, line {number}: relation {ident} links a discontinuous span imported as "
                       "several; linked from/to its first piece")
        resolved.append((index[id(spans[source][0])], index[id(spans[target][0])], label))
    return LayerRecord(annotator=None, status=STATUS_DONE, spans=order, relations=relation_records(resolved))


def _parse_r_line(ident: str, rest: str) -> tuple[str, str, str] | str:
    """(label, source T id, target T id) of an R line's body (``caused Arg1:T3 Arg2:T7``), or why it is bad.

    As brat's ``_parse_relation_annotation``: a type, then exactly two ``role:id`` arguments, not the same;
    the first argument is the source.
    """
    body = rest.partition("\t")[0].split()
    if len(body) != 3 or not all(arg.count(":") == 1 for arg in body[1:]):
        return f"relation {ident} needs a type and two arguments ('caused Arg1:T3 Arg2:T7')"
    source, target = (arg.split(":")[1] for arg in body[1:])
    if source == target:
        return f"relation {ident} links {source} to itself"
    return body[0], source, target


class Brat(Format):
    name = "brat"
    description = "brat standoff folder (.txt + .ann + annotation.conf); subfolders per annotator"
    extensions = (".zip",)
    can_read = True
    can_write = True
    writes_directory = True
    sniff_priority = 30

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.is_dir() and not path.is_symlink():
            return any(p.suffix.lower() == ".ann" for p in regular_files(path))
        if path.suffix.lower() == ".zip" or head.startswith(b"PK\x03\x04"):
            try:
                with zipfile.ZipFile(path) as zf:
                    return any(n.endswith(".ann") for n in zf.namelist())
            except (zipfile.BadZipFile, OSError):
                return False
        return path.suffix.lower() == ".ann"

    def read(self, path: Path, ctx: ReadContext) -> Iterator[AnnotatedDocument | AnnotatorError]:
        if path.suffix.lower() == ".ann" and not path.is_symlink() and path.is_file():
            path = path.parent
        source = _Source(path)
        try:
            members = source.members()
            if not members:
                raise AnnotatorError("no brat .txt files found", path=str(path))
            for member in members:
                where = f"{path}/{member.txt}" if source.zip is None else f"{path}!{member.txt}"
                try:
                    raw = decode_bytes(source.read(member.txt), where).text
                except AnnotatorError as exc:
                    yield exc
                    continue
                if raw.startswith("\ufeff"):
                    raw = raw[1:]
                if not raw.strip():
                    yield AnnotatorError("the text file is empty", path=where)
                    continue
                doc = make_document(raw, printable(member.stem), {"filename": printable(member.txt.rpartition("/")[2])})
                units = OffsetUnits(raw)
                if "\r\n" in raw:
                    ctx.notice(f"{where}: the text has \\r\\n line ends; offsets mapped to the canonical text")
                if member.ann is None:
                    yield AnnotatedDocument(doc, [])
                    continue
                ann_where = where[:-4] + ".ann"
                try:
                    data = source.read(member.ann)
                    ann_text = decode_bytes(data, ann_where).text if data else ""
                except AnnotatorError as exc:
                    yield exc
                    continue
                layer = _read_ann(ann_text, units, ctx, ann_where)
                if isinstance(layer, AnnotatorError):
                    yield layer
                    continue
                folder = member.folder.split("/")[-1] if member.folder else ""
                layer.annotator = folder if folder and folder != UNANNOTATED_FOLDER else None
                if folder == UNANNOTATED_FOLDER and not layer.spans:
                    yield AnnotatedDocument(doc, [])
                    continue
                yield AnnotatedDocument(doc, [layer])
        finally:
            source.close()

    def write(self, docs: Iterable[AnnotatedDocument], out: Path, scheme: Scheme) -> WriteReport:
        """Write into per-annotator subfolders; if only one annotator (and no unannotated documents) ended
        up in the export, its files are moved up so a single-layer export is a plain brat collection."""
        report = WriteReport()
        out.mkdir(parents=True, exist_ok=True)
        attrs_seen: dict[str, AttrSeen] = {}
        relations_used: set[str] = set()
        labels: list[str] = scheme.keys()
        folders: dict[str | None, str] = {}
        used_names: dict[str, set[str]] = {}
        for item in docs:
            doc = item.document
            layers: list[LayerRecord | None] = list(item.layers) or [None]
            for layer in layers:
                annotator = layer.annotator if layer is not None else None
                if annotator not in folders:
                    base = safe_name(annotator) if annotator else UNANNOTATED_FOLDER
                    name = base
                    while name in folders.values():
                        name += "_"
                    folders[annotator] = name
                    (out / name).mkdir(exist_ok=True)
                    if annotator and name != annotator:
                        report.problems.append(f"annotator {annotator!r} written to folder {name!r} (safe characters only)")
                folder = folders[annotator]
                names = used_names.setdefault(folder, set())
                stem = safe_name(doc.doc_id, "document")
                if stem in names:
                    n = 2
                    while f"{stem}-{n}" in names:
                        n += 1
                    report.problems.append(f"{doc.doc_id}: file name {stem!r} already used; written as {stem}-{n}")
                    stem = f"{stem}-{n}"
                elif stem != doc.doc_id:
                    report.problems.append(f"{doc.doc_id}: written as {stem}.txt (unsafe characters in the id)")
                names.add(stem)
                _write_text(out / folder / f"{stem}.txt", doc.text)
                lines = ann_lines(doc.text, layer, doc.doc_id, report, attrs_seen, scheme,
                                  relations_used) if layer is not None else []
                for line in lines:
                    label = line.split("\t", 2)[1].split(" ", 1)[0] if line.startswith("T") else None
                    if label is not None and label not in labels:
                        labels.append(label)
                _write_text(out / folder / f"{stem}.ann", "".join(line + "\n" for line in lines))
                report.spans += len(layer.spans) if layer is not None else 0
            report.documents += 1
        conf = annotation_conf(labels, scheme, relations_used, attrs_seen)
        visual = visual_conf(scheme)
        if len(folders) == 1 and None not in folders:
            only = out / next(iter(folders.values()))
            for child in only.iterdir():
                target = out / child.name
                if target.exists():
                    target.unlink()
                child.replace(target)
            shutil.rmtree(only)
        else:
            for folder in folders.values():
                _write_text(out / folder / "annotation.conf", conf)
                _write_text(out / folder / "visual.conf", visual)
        _write_text(out / "annotation.conf", conf)
        _write_text(out / "visual.conf", visual)
        return report


register(Brat())
