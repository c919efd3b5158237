"""The second hostile corpus (issue #18): inputs that try to exhaust memory, follow links, hang on pipes,
forge error lines, smuggle unpaired surrogates, or make us touch another application's database.

Each builder writes its files under ``root`` lazily — sparse files, zip members whose headers lie,
zlib bombs of a few kilobytes — and returns a :class:`Case` saying how ``annotator`` must end. The
runner (``test_round_two.py``) runs every case in a fresh process under an address-space limit and
measures its peak memory.
"""

from __future__ import annotations

import json
import os
import sqlite3
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.hostile.make_cases import ARTICLE, QUOTE

MiB = 1024 * 1024


@dataclass
class Case:
    """One input and the outcome owed: ``code`` 1 with ``reason`` in the one stderr line, or 0 with ``docs``."""

    cls: str
    name: str
    args: Callable[[Path, Path], list[str]]  # (root, db) -> the command line after "annotator"
    code: int = 1
    reason: str = ""
    names: str | None = None  # a fragment the stderr line must name (the file)
    docs: int | None = None
    check: Callable[[Path, Path], None] | None = None  # (root, db) -> extra assertion
    db_unchanged: bool = True
    extra: dict = field(default_factory=dict)


def record(text: str = ARTICLE, **extra: object) -> dict:
    start = text.index(QUOTE) if QUOTE in text else 0
    rec: dict = {"text": text, "annotator": "tester", "status": "done",
                 "spans": [{"start": start, "end": start + 14, "label": "working_hours"}] if QUOTE in text else []}
    rec.update(extra)
    return rec


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def sparse(path: Path, size: int, head: bytes = b"") -> Path:
    """A file of ``size`` bytes that takes no disk space beyond ``head`` (the rest reads as NUL bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as stream:
        stream.write(head)
        stream.truncate(size)
    return path


def deflated_zeros(size: int) -> tuple[bytes, int]:
    """Raw deflate data of ``size`` zero bytes (about 1/1000 of it) and the CRC-32 of the zeros."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = bytes(MiB)
    parts, crc = [], 0
    for _ in range(size // MiB):
        parts.append(packer.compress(block))
        crc = zlib.crc32(block, crc)
    parts.append(packer.flush())
    return b"".join(parts), crc


def zip_with_member(path: Path, name: str, data: bytes, crc: int, real_size: int, claimed_size: int,
                    ann: str = "T1\tinjury 0 7\tDrivers\n") -> Path:
    """A zip archive built by hand: one deflated member whose headers claim ``claimed_size``, and an .ann."""
    out = bytearray()
    central = bytearray()
    entries = [(name.encode(), data, crc, claimed_size, 8), (b"doc.ann", ann.encode(),
                                                            zlib.crc32(ann.encode()), len(ann.encode()), 0)]
    for raw_name, payload, member_crc, size, method in entries:
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0, member_crc, len(payload), size,
                           len(raw_name), 0) + raw_name + payload
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0, member_crc, len(payload),
                               size, len(raw_name), 0, 0, 0, 0, 0, offset) + raw_name
    start = len(out)
    out += central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), start, 0)
    return write(path, bytes(out))


def foreign_sqlite(path: Path, tables: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    for table in tables:
        conn.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute(f"INSERT INTO {table} (body) VALUES ('theirs')")
    conn.commit()
    conn.close()
    return path


def no_secret(_root: Path, db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT COUNT(*) FROM documents WHERE text LIKE '%SECRET%'").fetchone()[0] == 0
    finally:
        conn.close()


def jsonl(root: Path, name: str, records: list[object]) -> Path:
    return write(root / name, "".join(json.dumps(r) + "\n" for r in records))


# ------------------------------------------------------------------------------------------------ the cases
def _imp(*paths: str, extra: tuple[str, ...] = ()) -> Callable[[Path, Path], list[str]]:
    """``import`` of files built by ``build`` under ``root`` (paths relative to it)."""
    return lambda root, db: ["--db", str(db), "import", *[str(root / p) for p in paths], *extra]


def build(root: Path) -> list[Case]:  # noqa: PLR0915  (one flat list reads best)
    """Write every round-two input under ``root`` and describe the expected outcomes."""
    c: list[Case] = []
    valid = json.dumps(record())
    # ---- sizes: the article limit is applied while streaming, before decoding
    data, crc = deflated_zeros(100 * MiB)
    zip_with_member(root / "zip_bomb.zip", "doc.txt", data, crc, 100 * MiB, 100 * MiB)
    c.append(Case("sizes", "zip member inflating to 100 MB", _imp("zip_bomb.zip"), reason="expands to 100 MB"))
    zip_with_member(root / "zip_lies_small.zip", "doc.txt", data, crc, 100 * MiB, 1000)
    c.append(Case("sizes", "zip member header claims 1000 bytes", _imp("zip_lies_small.zip"), reason="cannot read"))
    zip_with_member(root / "zip_lies_big.zip", "doc.txt", data[:100], crc, 100, 2100 * MiB)
    c.append(Case("sizes", "zip member header claims 2.1 GB", _imp("zip_lies_big.zip"), reason="expands to 2100 MB"))
    write(root / "brat_sparse/doc.ann", "T1\tinjury 0 7\tDrivers\n")
    sparse(root / "brat_sparse/doc.txt", 3 * 1024 * MiB, b"Drivers ")
    c.append(Case("sizes", "3 GiB sparse .txt in a brat folder", _imp("brat_sparse"), reason="limit", names="doc.txt"))
    first = json.dumps({"text": ARTICLE, "tokens": [], "spans": [], "answer": "accept"}) + "\n"
    sparse(root / "prodigy_long.jsonl", 300 * MiB, first.encode() + b'{"text": "')
    c.append(Case("sizes", "300 MiB line in a Prodigy file", _imp("prodigy_long.jsonl"), reason="line 2: line is longer"))
    c.append(Case("sizes", "300 MiB line, --format prodigy", _imp("prodigy_long.jsonl", extra=("--format", "prodigy")),
                  reason="line 2: line is longer"))
    doccano = json.dumps({"text": ARTICLE, "label": [[0, 7, "injury"]], "annotator": "tester"}) + "\n"
    sparse(root / "doccano_long.jsonl", 300 * MiB, doccano.encode() + b'{"text": "')
    c.append(Case("sizes", "300 MiB line in a doccano file", _imp("doccano_long.jsonl"), reason="line 2: line is longer"))
    bomb = zlib.compressobj(9)
    write(root / "bomb.spacy", b"".join(bomb.compress(bytes(MiB)) for _ in range(300)) + bomb.flush())
    c.append(Case("sizes", "zlib bomb in a .spacy file", _imp("bomb.spacy"), reason="inflates to more than"))
    sparse(root / "huge_ls.json", 200 * MiB, b'[{"data": {"text": "')
    c.append(Case("sizes", "200 MB Label Studio file", _imp("huge_ls.json"), reason="limit"))
    sparse(root / "huge.jsonld", 200 * MiB, b'{"@context": "http://www.w3.org/ns/anno.jsonld", "items": ["')
    c.append(Case("sizes", "200 MB W3C file", _imp("huge.jsonld"), reason="limit"))
    # ---- links and special files: regular files only, never followed, never opened if a pipe
    write(root / "outside/secret.txt", "SECRET outside the folder. " * 10)
    write(root / "outside/secret.ann", "T1\tinjury 0 6\tSECRET\n")
    write(root / "brat_links/doc.txt", "Drivers were hurt.")
    write(root / "brat_links/doc.ann", "T1\tinjury 0 7\tDrivers\n")
    os.symlink(root / "outside/secret.txt", root / "brat_links/leak.txt")
    os.symlink(root / "outside/secret.ann", root / "brat_links/leak.ann")
    os.symlink(root / "outside", root / "brat_links/sub")
    c.append(Case("links", "links in a brat folder", _imp("brat_links", extra=("--annotator", "tester")), code=0, docs=1, check=no_secret))
    write(root / "fifo_folder/a.txt", ARTICLE)
    os.mkfifo(root / "fifo_folder/pipe.txt")
    os.symlink("/dev/zero", root / "fifo_folder/zero.jsonl")
    c.append(Case("links", "FIFO and /dev/zero link in a folder", _imp("fifo_folder"), code=0, docs=1))
    os.symlink("/dev/zero", root / "zero.jsonl")
    c.append(Case("links", "named .jsonl linked to /dev/zero", _imp("zero.jsonl"), reason="symbolic link"))
    c.append(Case("links", "/dev/zero named with --format", _imp("zero.jsonl", extra=("--format", "jsonl")),
                  reason="symbolic link"))
    os.mkfifo(root / "pipe.jsonl")
    c.append(Case("links", "named FIFO", _imp("pipe.jsonl"), reason="named pipe"))
    c.append(Case("links", "named FIFO, --format brat", _imp("pipe.jsonl", extra=("--format", "brat")),
                  reason="named pipe"))
    c.append(Case("links", "a device", lambda root, db: ["--db", str(db), "import", "/dev/zero", "--format", "text"],
                  reason="device", names="/dev/zero"))
    jsonl(root, "real.jsonl", [record()])
    os.symlink(root / "real.jsonl", root / "link_to_real.jsonl")
    c.append(Case("links", "named link to a regular file", _imp("link_to_real.jsonl"), reason="symbolic link"))
    # ---- unpaired surrogates: refused with a reason, never a traceback
    write(root / "sur_text.jsonl", valid + "\n" + '{"text": "broken \\ud800 text"}\n')
    c.append(Case("surrogates", "in a JSONL text", _imp("sur_text.jsonl"), reason="line 2: the text contains an unpaired"))
    write(root / "sur_name.jsonl", json.dumps(record()).replace('"tester"', '"te\\udfffster"') + "\n")
    c.append(Case("surrogates", "in an annotator name", _imp("sur_name.jsonl"), reason="unpaired surrogate"))
    write(root / "sur_meta.jsonl", json.dumps(record(meta={"source": "x"})).replace('"x"', '"\\ud83d"') + "\n")
    c.append(Case("surrogates", "in a metadata value", _imp("sur_meta.jsonl"), reason="metadata 'source' contains"))
    write(root / "sur_prodigy.jsonl", json.dumps({"text": "a \ud800 b", "spans": [], "answer": "accept"},
                                                 ensure_ascii=True) + "\n")
    c.append(Case("surrogates", "in a Prodigy text", _imp("sur_prodigy.jsonl"), reason="line 1: the text contains"))
    write(root / "sur_ls.json", json.dumps([{"data": {"text": "a \udc00 b"}, "annotations": []}], ensure_ascii=True))
    c.append(Case("surrogates", "in a Label Studio text", _imp("sur_ls.json"), reason="unpaired surrogate"))
    write(root / "odd_names" / os.fsdecode(b"\xff\xfe.txt"), ARTICLE)
    c.append(Case("surrogates", "undecodable file name", _imp("odd_names"), code=0, docs=1,
                  check=lambda _r, db: _filename_is(db, "\\xff\\xfe.txt")))
    write(root / os.fsdecode(b"bad\xff.jsonl"), "not json\n")
    c.append(Case("surrogates", "undecodable name in an error", _imp(os.fsdecode(b"bad\xff.jsonl")),
                  reason="not valid JSON", names="bad\\xff.jsonl"))
    # ---- forged error lines: names are printed with control characters escaped
    write(root / "x\nannotator: all good.jsonl", "not json\n")
    c.append(Case("forged", "newline in a file name", _imp("x\nannotator: all good.jsonl"), reason="not valid JSON",
                  names="x\\x0aannotator: all good.jsonl"))
    write(root / "evil\u202etxt.jsonl", "not json\n")
    c.append(Case("forged", "bidi override in a file name", _imp("evil\u202etxt.jsonl"), reason="not valid JSON",
                  names="evil\\u202etxt.jsonl"))
    write(root / "cr\rname.txt", b"\x00\x01binary")
    c.append(Case("forged", "carriage return in a file name", _imp("cr\rname.txt"), reason="binary",
                  names="cr\\x0dname.txt"))
    # ---- other applications' files and odd database locations
    for n, tables in enumerate((["documents"], ["moz_places", "moz_bookmarks"])):
        foreign_sqlite(root / f"foreign{n}.sqlite", tables)
        c.append(Case("databases", f"another application's SQLite file {tables}",
                      lambda root, db, n=n: ["--db", str(root / f"foreign{n}.sqlite"), "import", str(root / "real.jsonl")],
                      reason="not an annotator database", names=f"foreign{n}.sqlite",
                      check=lambda root, db, n=n: _untouched(root / f"foreign{n}.sqlite")))
    write(root / "notes.txt.db", "just some notes, not a database\n" * 10)
    c.append(Case("databases", "a text file as the database",
                  lambda root, db: ["--db", str(root / "notes.txt.db"), "import", str(root / "real.jsonl")],
                  reason="not an annotator database", names="notes.txt.db"))
    os.mkfifo(root / "db.fifo")
    c.append(Case("databases", "a FIFO as the database",
                  lambda root, db: ["--db", str(root / "db.fifo"), "import", str(root / "real.jsonl")],
                  reason="not a regular file", names="db.fifo"))
    c.append(Case("databases", "/dev/null as the database",
                  lambda root, db: ["--db", "/dev/null", "import", str(root / "real.jsonl")],
                  reason="not a regular file", names="/dev/null"))
    c.append(Case("databases", "a file: URI", lambda root, db: ["--db", "file:made-up.sqlite3?mode=rwc", "import",
                                                                 str(root / "real.jsonl")], reason="file: URI"))
    for url in ("sqlite:///:memory:", "sqlite://"):
        c.append(Case("databases", f"in-memory {url}", lambda root, db, url=url: ["--db", url, "import",
                                                                                   str(root / "real.jsonl")],
                      reason="lives only in memory"))
    # ---- brat offsets in other digits
    for n, digits in enumerate(("\u00b2", "\u0663", "\uff11")):
        write(root / f"brat_digits{n}/doc.txt", "Drivers were hurt.")
        write(root / f"brat_digits{n}/doc.ann", f"T1\tinjury {digits} 7\tDrivers\n")
        c.append(Case("brat digits", f"offset {digits!r}", _imp(f"brat_digits{n}"), reason="are not 'start end' pairs",
                      names="doc.ann"))
    # ---- scheme files: the scheme editor's rules, linear time, a nesting cap
    base = [{"key": "a", "shortcut": "1"}, {"key": "b", "shortcut": "2"}]
    schemes = {
        "duplicate shortcut": ([*base, {"key": "c", "shortcut": "1"}], "already the shortcut"),
        "blank name": ([{"key": "a", "name": "   "}], "display name is empty"),
        "order not an integer": ([{"key": "a", "order": "first"}], "is not an integer"),
        "order a fraction": ([{"key": "a", "order": 1.5}], "is not an integer"),
        "100,000 labels, one clash at the end": (
            [{"key": f"k{i}"} for i in range(100_000)] + [{"key": "K99999"}], "clashes with existing label"),
        "shortcut of a kept label": ([{"key": "new_one", "shortcut": "1"}], "already the shortcut"),
    }
    for n, (what, (labels, reason)) in enumerate(schemes.items()):
        write(root / f"scheme{n}.json", json.dumps({"format": "annotator-scheme", "version": 1, "labels": labels}))
        c.append(Case("schemes", what, lambda root, db, n=n: ["--db", str(db), "scheme", "import",
                                                                str(root / f"scheme{n}.json")], reason=reason))
    write(root / "scheme_deep.json", '{"labels": ' + "[" * 100_000 + "]" * 100_000 + "}")
    c.append(Case("schemes", "100,000 nested brackets", lambda root, db: ["--db", str(db), "scheme", "import",
                                                                         str(root / "scheme_deep.json")],
                  reason="nested too deeply"))
    # ---- names: one rule (no control, format or separator characters)
    for n, bad in enumerate(("\x85", "\u202e", "\u2028", "\x1b", "\u200b")):
        jsonl(root, f"name{n}.jsonl", [record(annotator=f"eve{bad}x")])
        c.append(Case("names", f"annotator name with U+{ord(bad):04X}", _imp(f"name{n}.jsonl"),
                      reason="must not contain control characters"))
    c.append(Case("names", "--annotator with a bidi override",
                  lambda root, db: ["--db", str(db), "import", str(root / "unowned.jsonl"), "--annotator", "ana\u202e"],
                  reason="must not contain control characters"))
    jsonl(root, "unowned.jsonl", [{"text": ARTICLE, "spans": [{"start": 0, "end": 7, "label": "injury"}]}])
    # ---- W3C pages that are only links: nothing is fetched, and the user is told
    context = "http://www.w3.org/ns/anno.jsonld"
    remote = {
        "w3c_remote_first.jsonld": {"@context": context, "id": "urn:x", "type": "AnnotationCollection",
                                    "first": "https://example.org/page1"},
        "w3c_remote_object.jsonld": {"@context": context, "id": "urn:x", "type": "AnnotationCollection",
                                     "first": {"id": "https://example.org/page1", "type": "AnnotationPage"}},
        "w3c_remote_next.jsonld": {"@context": context, "id": "urn:p", "type": "AnnotationPage",
                                   "next": "https://example.org/page2"},
    }
    for name, body in remote.items():
        write(root / name, json.dumps(body))
        c.append(Case("w3c links", name, _imp(name), reason="never fetches"))
    return c


def _filename_is(db: Path, shown: str) -> None:
    conn = sqlite3.connect(db)
    try:
        names = [r[0] for r in conn.execute("SELECT filename FROM documents WHERE filename IS NOT NULL")]
    finally:
        conn.close()
    assert shown in names, names


def _untouched(path: Path) -> None:
    """The foreign file still has its own journal mode and no file was created beside it."""
    assert path.read_bytes()[18:20] == b"\x01\x01", "switched to WAL"
    assert sorted(p.name for p in path.parent.glob(path.name + "*")) == [path.name]

