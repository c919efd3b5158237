"""The hostile input corpus: files built at test time (never committed) that try to break an import.

``build_cases(root)`` writes every case into its own folder under ``root`` and returns the list of
:class:`Case` objects describing what the import must do with it. Large files are generated in chunks
(the 200 MB file takes a fraction of a second to write). Run ``python -m tests.hostile.make_cases DIR``
to look at the files.

Each case says how ``annotator import`` must end:
- ``refused``: exit 1, one ``annotator: FILE[, line N]: reason`` line on stderr, the database unchanged;
  with ``skip_bad_docs`` set, ``--skip-bad`` must then keep exactly that many new documents;
- ``imported``: exit 0 and ``docs`` new documents (``None``: not checked).
"""

from __future__ import annotations

import codecs
import json
import os
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BIG_FILE_MB = 200
LONG_LINE_MB = 50

ARTICLE = (
    "Drivers for the delivery contractor said they were routinely kept on the road for 14 hours a day.\n"
    "One driver broke his wrist when a van door slammed in the wind; he was told to keep working.\n"
    "Every cab carries a camera that watches the driver, and wages are sent home through an agent.\n"
)
QUOTE = "14 hours a day"


@dataclass
class Case:
    """One hostile input and the outcome the importer owes the user."""

    name: str
    paths: list[Path]
    expect: str  # "refused" or "imported"
    reason: str = ""  # a fragment the one stderr line must contain (case-insensitive)
    line: int | None = None  # the line the message must name
    names: str | None = None  # the file name the message must name (default: the first path's name)
    args: list[str] = field(default_factory=list)
    docs: int | None = None  # documents added when imported
    skip_bad_docs: int | None = None  # documents added by --skip-bad when refused
    no_network: bool = False
    db: str | None = None  # a database path that replaces the test's (unwritable location cases)
    check: Callable[[Path], None] | None = None  # extra assertion on the database after the import


def _span(quote: str = QUOTE, label: str = "working_hours", text: str = ARTICLE, **extra: object) -> dict:
    start = text.index(quote)
    span = {"start": start, "end": start + len(quote), "label": label, "text": quote}
    span.update(extra)
    return span


def _record(text: str = ARTICLE, spans: list | None = None, **extra: object) -> dict:
    rec: dict = {"text": text, "annotator": "hostile-tester", "status": "done", "spans": spans or []}
    rec.update(extra)
    return rec


def _valid_lines(n: int, tag: str) -> list[str]:
    """``n`` distinct valid JSONL lines (so --skip-bad has something to keep)."""
    out = []
    for i in range(n):
        text = f"Valid article {tag} {i}. " + ARTICLE
        out.append(json.dumps(_record(text, [_span(text=text)])))
    return out


class _Builder:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.cases: list[Case] = []

    def folder(self, name: str) -> Path:
        path = self.root / name
        path.mkdir(parents=True, exist_ok=False)
        return path

    def file(self, case: str, filename: str, data: bytes | str) -> Path:
        path = self.folder(case) / filename
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    def jsonl(self, case: str, lines: list[str], **kw: object) -> None:
        """A JSONL file: valid records around one bad line; the bad one is the middle line."""
        path = self.file(case, f"{case}.jsonl", "\n".join(lines) + "\n")
        self.cases.append(Case(case, [path], **kw))  # type: ignore[arg-type]

    def bad_record(self, case: str, bad: object, reason: str, *, raw: str | None = None) -> None:
        """Line 2 of 3 holds ``bad`` (a JSON value, or ``raw`` text); lines 1 and 3 are valid."""
        first, last = _valid_lines(2, case)
        middle = raw if raw is not None else json.dumps(bad)
        self.jsonl(case, [first, middle, last], expect="refused", reason=reason, line=2, skip_bad_docs=2)

    def add(self, case: Case) -> None:
        self.cases.append(case)


def build_cases(root: Path) -> list[Case]:
    """Write every hostile case under ``root`` (an empty folder) and describe the expected outcomes."""
    b = _Builder(root)
    _encodings(b)
    _sizes(b)
    _json_structure(b)
    _offsets(b)
    _labels_and_ids(b)
    _html(b)
    _archives_and_links(b)
    _locations(b)
    return b.cases


# ------------------------------------------------------------------------------------------ encodings
def _encodings(b: _Builder) -> None:
    utf8 = ("Überstunden: die Fahrer arbeiten oft 14 Stunden täglich — ohne Pause. " * 20).encode("utf-8")
    mixed = utf8[:400] + "Café".encode("cp1252") + utf8[400:]
    b.add(Case("mixed_utf8_cp1252", [b.file("mixed_utf8_cp1252", "mixed.txt", mixed)], "refused", "invalid UTF-8"))
    b.add(Case("truncated_utf8", [b.file("truncated_utf8", "cut.txt", utf8 + "é".encode()[:1])], "refused",
               "invalid UTF-8"))
    broken16 = codecs.BOM_UTF16_LE + "Shift log".encode("utf-16-le") + b"\x00\xd8" + b"A\x00"
    b.add(Case("utf16_lone_surrogate", [b.file("utf16_lone_surrogate", "u16.txt", broken16)], "refused",
               "byte-order mark"))
    b.add(Case("utf16_with_bom_ok", [b.file("utf16_with_bom_ok", "u16ok.txt",
                                              codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"))], "imported", docs=1))
    legacy = ("Водители работали по 14 часов в день без выходных, а зарплату отправляли домой. " * 8)
    b.add(Case("cp1251_detected", [b.file("cp1251_detected", "ru.txt", legacy.encode("cp1251"))], "imported",
               docs=1))
    nul = ARTICLE.encode() + b"\x00\x00\x00" + ARTICLE.encode()
    b.add(Case("nul_bytes", [b.file("nul_bytes", "nul.txt", nul)], "refused", "binary"))
    controls = ("".join(chr(c) for c in range(1, 9)) * 40 + ARTICLE).encode()
    b.add(Case("control_characters", [b.file("control_characters", "ctl.txt", controls)], "refused", "binary"))
    few = (ARTICLE + "\x07\x1b[1m bell and escape \x1b[0m\n" + ARTICLE).encode()
    b.add(Case("few_control_characters_ok", [b.file("few_control_characters_ok", "few.txt", few)], "imported", docs=1))
    b.add(Case("empty_file", [b.file("empty_file", "empty.txt", b"")], "refused", "empty"))
    b.add(Case("whitespace_only", [b.file("whitespace_only", "blank.md", b" \n\t\r\n  \n")], "refused", "whitespace"))
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64
    b.add(Case("binary_named_txt", [b.file("binary_named_txt", "photo.txt", png)], "refused", "binary"))
    b.add(Case("binary_png", [b.file("binary_png", "photo.png", png)], "refused", "unsupported file type"))
    # Bytes that fit no code page well: C1 controls undefined in cp1252 mixed with high bytes.
    odd = bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0xFF, 0xFE, 0x00 + 0x41] * 300)
    b.add(Case("unknown_encoding", [b.file("unknown_encoding", "odd.txt", odd)], "refused",
               "could not determine the text encoding"))
    b.add(Case("no_extension", [b.file("no_extension", "README", ARTICLE)], "refused", "unsupported file type"))
    b.add(Case("jsonl_invalid_utf8", [b.file("jsonl_invalid_utf8", "bad.jsonl", "\n".join(_valid_lines(2, "u")).encode()
                                             + b"\n{\"text\": \"caf\xe9 workers\"}\n")], "refused",
               "invalid UTF-8", line=3))
    bom = codecs.BOM_UTF8 + ("\r\n".join(_valid_lines(2, "bom")) + "\r\n").encode()
    b.add(Case("jsonl_bom_crlf_ok", [b.file("jsonl_bom_crlf_ok", "bom.jsonl", bom)], "imported", docs=2))


# ------------------------------------------------------------------------------------------ sizes
def _sizes(b: _Builder) -> None:
    path = b.folder("file_200mb") / "huge.txt"
    chunk = (ARTICLE * (1024 * 1024 // len(ARTICLE) + 1))[: 1024 * 1024].encode()
    with open(path, "wb") as stream:
        for _ in range(BIG_FILE_MB):
            stream.write(chunk)
    b.add(Case("file_200mb", [path], "refused", "limit"))
    zeros = b.folder("jsonl_200mb_one_line") / "zeros.jsonl"
    with open(zeros, "wb") as stream:
        stream.truncate(BIG_FILE_MB * 1024 * 1024)  # sparse: one 200 MB line of NUL bytes
    b.add(Case("jsonl_200mb_one_line", [zeros], "refused", "longer than", line=1))
    long_text = ("The crew worked 14 hours a day. " * (LONG_LINE_MB * 1024 * 1024 // 32 + 1))[: LONG_LINE_MB * 1024 * 1024]
    line = json.dumps(_record(long_text, [_span(text=long_text)]))
    long_path = b.folder("single_line_50mb") / "long.jsonl"
    long_path.write_text(line + "\n", encoding="utf-8")
    b.add(Case("single_line_50mb", [long_path], "imported", docs=1))


# ------------------------------------------------------------------------------------------ JSON structure
def _json_structure(b: _Builder) -> None:
    deep = '{"text": "nested", "meta": {"x": ' + "[" * 100_000 + "]" * 100_000 + "}}"
    b.bad_record("deeply_nested_json", None, "nested too deeply", raw=deep)
    b.bad_record("huge_integer_literal", None, "not valid JSON",
                 raw='{"text": "' + ARTICLE.replace("\n", " ") + '", "spans": [{"start": ' + "9" * 5000
                 + ', "end": 3, "label": "injury"}], "annotator": "x"}')
    b.bad_record("not_json_line", None, "not valid JSON", raw="this line is not JSON at all {")
    b.bad_record("truncated_json_line", None, "not valid JSON", raw='{"text": "half a rec')
    b.bad_record("record_without_text", {"title": "no text here", "spans": []}, "no 'text'")
    b.bad_record("text_is_a_number", {"text": 12345}, "no 'text'")
    b.bad_record("record_is_an_array", [ARTICLE], "JSON object")
    b.bad_record("nul_in_json_text", _record("before\u0000after"), "NUL")
    b.bad_record("spans_not_a_list", _record(spans=None) | {"spans": {"start": 1}}, "'spans' must be a list")
    b.bad_record("span_without_label", _record(spans=[{"start": 0, "end": 5}]), "no label")
    b.bad_record("bad_status", _record(status="finished"), "status")
    b.bad_record("meta_not_object", _record(meta=["a", "b"]), "'meta' must be an object")
    b.bad_record("annotator_with_controls", _record(annotator="eve\u0007\u001b[31m"), "control characters")
    b.bad_record("annotator_not_string", _record(annotator={"name": "x"}), "'annotator' must be a string")
    b.bad_record("doc_id_too_long", _record(doc_id="d" * 500), "longer than 200")
    b.bad_record("spans_without_annotator", {"text": ARTICLE, "spans": [_span()]}, "no annotator")


# ------------------------------------------------------------------------------------------ offsets
def _offsets(b: _Builder) -> None:
    n = len(ARTICLE)
    b.bad_record("negative_offsets", _record(spans=[{"start": -5, "end": 3, "label": "injury"}]), "negative")
    b.bad_record("reversed_offsets", _record(spans=[{"start": 30, "end": 10, "label": "injury"}]), "reversed")
    b.bad_record("offsets_beyond_text", _record(spans=[{"start": n - 2, "end": n + 50, "label": "injury"}]),
                 "beyond the end")
    b.bad_record("huge_offsets", _record(spans=[{"start": 10**30, "end": 10**31, "label": "injury"}]),
                 "beyond the end")
    b.bad_record("float_offsets", _record(spans=[{"start": 1.5, "end": 4, "label": "injury"}]), "not an integer")
    b.bad_record("boolean_offsets", _record(spans=[{"start": True, "end": 4, "label": "injury"}]), "not an integer")
    b.bad_record("string_offsets", _record(spans=[{"start": "3", "end": "9", "label": "injury"}]), "not an integer")
    b.bad_record("quote_not_in_text", _record(spans=[{"start": 0, "end": 9, "label": "injury",
                                                      "text": "a sentence that is nowhere"}]), "does not occur")
    moved = _span()
    moved["start"] += 7
    moved["end"] += 7
    b.jsonl("quote_reanchored", [json.dumps(_record(spans=[moved]))], expect="imported", docs=1,
            check=_has_quote(QUOTE))


def _has_quote(quote: str) -> Callable[[Path], None]:
    def check(db: Path) -> None:
        import sqlite3

        conn = sqlite3.connect(str(db))
        try:
            quotes = [r[0] for r in conn.execute("SELECT quote FROM spans")]
        finally:
            conn.close()
        assert quote in quotes, quotes

    return check


# ------------------------------------------------------------------------------------------ labels and ids
def _labels_and_ids(b: _Builder) -> None:
    b.bad_record("unknown_label", _record(spans=[_span(label="overtime")]), "unknown label 'overtime'")
    unknown = [*_valid_lines(1, "ul"), json.dumps(_record(spans=[_span(label="overtime")]))]
    b.jsonl("unknown_label_added", unknown, expect="imported", args=["--add-labels"], docs=2, check=_has_label("overtime"))
    b.bad_record("label_with_markup", _record(spans=[_span(label='<img src=x onerror="alert(1)">')]), "unknown label")
    b.jsonl("label_with_markup_add_labels", [json.dumps(_record(spans=[_span(label="<b>bold</b>")]))],
            expect="refused", args=["--add-labels"], reason="not a valid key", line=1)
    same_id = [json.dumps(_record(doc_id="dup-1")), json.dumps(_record(ARTICLE + "Second text.", doc_id="dup-1"))]
    b.jsonl("duplicate_doc_ids", same_id, expect="imported", docs=2, check=_distinct_doc_ids(2))
    twice = [json.dumps(_record(spans=[_span()]))] * 3
    b.jsonl("duplicate_records", twice, expect="imported", docs=1, check=_span_count(1))


def _has_label(key: str) -> Callable[[Path], None]:
    def check(db: Path) -> None:
        import sqlite3

        conn = sqlite3.connect(str(db))
        try:
            assert conn.execute("SELECT COUNT(*) FROM labels WHERE key = ?", (key,)).fetchone()[0] == 1
        finally:
            conn.close()

    return check


def _distinct_doc_ids(n: int) -> Callable[[Path], None]:
    def check(db: Path) -> None:
        import sqlite3

        conn = sqlite3.connect(str(db))
        try:
            ids = [r[0] for r in conn.execute("SELECT doc_id FROM documents WHERE doc_id LIKE 'dup-1%'")]
        finally:
            conn.close()
        assert len(ids) == len(set(ids)) == n, ids

    return check


def _span_count(n: int) -> Callable[[Path], None]:
    def check(db: Path) -> None:
        import sqlite3

        conn = sqlite3.connect(str(db))
        try:
            got = conn.execute(
                "SELECT COUNT(*) FROM spans JOIN layers ON spans.layer_id = layers.id "
                "JOIN annotators ON layers.annotator_id = annotators.id WHERE annotators.name = 'hostile-tester'"
            ).fetchone()[0]
        finally:
            conn.close()
        assert got == n, got

    return check


# ------------------------------------------------------------------------------------------ HTML
HOSTILE_HTML = """<!doctype html>
<html><head><title>Depot drivers describe long shifts</title>
<meta http-equiv="refresh" content="0; url=http://198.51.100.7/redirect">
<link rel="stylesheet" href="http://198.51.100.7/style.css">
<script src="http://198.51.100.7/tracker.js"></script>
<script>document.write('<img src="http://198.51.100.7/pixel.gif">'); fetch('http://198.51.100.7/beacon');</script>
</head><body>
<iframe src="http://198.51.100.7/frame.html"></iframe>
<article><h1>Depot drivers describe long shifts</h1>
<p>Drivers for the delivery contractor said they were routinely kept on the road for 14 hours a day, six days a
week, through the whole of the winter season.</p>
<img src="http://198.51.100.7/photo.jpg" alt="a depot">
<p>One driver broke his wrist when a van door slammed in the wind; he was told to keep working until the end of
the route, and the manager said that the schedule could not change.</p>
<object data="http://198.51.100.7/flash.swf"></object>
<p>Every cab carries a camera that watches the driver, and wages are sent home through an agent in the city.</p>
</article>
<script>alert("xss")</script>
</body></html>
"""


def _html(b: _Builder) -> None:
    path = b.file("html_scripts_iframes_remote", "page.html", HOSTILE_HTML)
    b.add(Case("html_scripts_iframes_remote", [path], "imported", docs=1, no_network=True, check=_no_markup()))
    empty = ("<html><head><title>T</title><script>var a = 1;</script></head>"
             "<body><script>alert(1)</script><style>p {}</style></body></html>")
    b.add(Case("html_without_article", [b.file("html_without_article", "nav.html", empty)], "refused",
               "no article text", no_network=True))
    b.add(Case("html_is_binary", [b.file("html_is_binary", "x.html", b"\x00\x01\x02" * 1000)], "refused", "binary"))


def _no_markup() -> Callable[[Path], None]:
    def check(db: Path) -> None:
        import sqlite3

        conn = sqlite3.connect(str(db))
        try:
            texts = [r[0] for r in conn.execute("SELECT text FROM documents WHERE filename = 'page.html'")]
        finally:
            conn.close()
        assert len(texts) == 1 and "14 hours a day" in texts[0]
        for bad in ("alert(", "<script", "document.write", "198.51.100.7", "<iframe"):
            assert bad not in texts[0], bad

    return check


# ------------------------------------------------------------------------------------------ archives and links
def _archives_and_links(b: _Builder) -> None:
    folder = b.folder("zip_with_parent_paths")
    archive = folder / "corpus.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../escaped.txt", ARTICLE)
        zf.writestr("../escaped.ann", "T1\tinjury 0 7\tDrivers\n")
        zf.writestr("/abs/evil.txt", ARTICLE)
        zf.writestr("ok.txt", ARTICLE)
    b.add(Case("zip_with_parent_paths", [archive], "refused", "outside the archive", names="corpus.zip"))
    bad_zip = b.file("zip_not_a_zip", "fake.zip", b"PK\x03\x04 this is not really a zip archive" * 10)
    b.add(Case("zip_not_a_zip", [bad_zip], "refused", "not a readable zip"))

    outside = b.folder("symlink_target_outside")
    secret = outside / "secret.txt"
    secret.write_text("SECRET outside the import folder: must never be imported. " * 5, encoding="utf-8")
    linked = b.folder("symlink_out_of_folder")
    (linked / "real.txt").write_text(ARTICLE, encoding="utf-8")
    os.symlink(secret, linked / "link.txt")
    os.symlink(outside, linked / "linked_dir")
    os.symlink(linked, linked / "loop")
    b.add(Case("symlink_out_of_folder", [linked], "imported", docs=1, check=_no_secret()))


def _no_secret() -> Callable[[Path], None]:
    def check(db: Path) -> None:
        import sqlite3

        conn = sqlite3.connect(str(db))
        try:
            leaked = conn.execute("SELECT COUNT(*) FROM documents WHERE text LIKE '%SECRET outside%'").fetchone()[0]
        finally:
            conn.close()
        assert leaked == 0

    return check


# ------------------------------------------------------------------------------------------ locations
def _locations(b: _Builder) -> None:
    missing = b.folder("missing_file") / "not-there.txt"
    b.add(Case("missing_file", [missing], "refused", "no such file"))
    blocker = b.file("unwritable_db_path", "a-file", "a regular file where a folder should be")
    ok = b.file("unwritable_db_path_input", "fine.txt", ARTICLE)
    b.add(Case("unwritable_db_path", [ok], "refused", "cannot create the database folder",
               names=str(blocker / "sub" / "db.sqlite3"), db=str(blocker / "sub" / "db.sqlite3")))
    folder_db = b.folder("db_path_is_a_folder")
    ok2 = b.file("db_path_is_a_folder_input", "fine.txt", ARTICLE)
    b.add(Case("db_path_is_a_folder", [ok2], "refused", "is a folder", names=str(folder_db), db=str(folder_db)))


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-cases")
    target.mkdir(parents=True, exist_ok=True)
    for case in build_cases(target):
        print(f"{case.name:32} {case.expect:9} {', '.join(p.name for p in case.paths)}")
