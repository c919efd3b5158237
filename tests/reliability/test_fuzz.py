"""Fuzzing every importer in the format registry: garbage in, AnnotatorError (or data) out, never a crash.

The tests run over ``all_formats()`` — whatever is registered when they run, so a format added later is
fuzzed without touching this file. Each format's reader is fed random bytes and random JSON-ish values
(including record-shaped ones, so the fuzzing reaches span and offset handling) written to a file with
the format's extension. Directly: the reader may yield documents or AnnotatorErrors and may raise only
AnnotatorError, always with a message. Through ``import_paths`` into a real SQLite store: nothing escapes
(refusals land in ``summary.refused``), and the database stays sound.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.errors import AnnotatorError
from annotator.core.formats import all_formats
from annotator.core.formats.base import Format, ReadContext
from annotator.core.model import AnnotatedDocument
from annotator.store.database import open_store
from annotator.store.importing import import_paths
from tests.hostile.dbstate import integrity

READABLE = [fmt for fmt in all_formats() if fmt.can_read]
EXAMPLES = int(os.environ.get("ANNOTATOR_FUZZ_EXAMPLES", "25"))
"""Examples per format and test; set ANNOTATOR_FUZZ_EXAMPLES=2000 for a long, randomised hunt."""
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize="ANNOTATOR_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

KEYS = st.sampled_from([
    "text", "spans", "start", "end", "label", "labels", "annotator", "_annotator_id", "status", "meta", "doc_id",
    "tokens", "token_start", "token_end", "id", "entities", "data", "annotations", "result", "value", "type",
    "from_name", "to_name", "predictions", "target", "selector", "exact", "prefix", "suffix", "items", "body",
    "source", "@context", "answer", "accept", "start_offset", "end_offset", "text_sha256", "purpose", "refinedBy",
]) | st.text(max_size=6)
LEAVES = (st.none() | st.booleans() | st.integers(min_value=-(10**6), max_value=10**20)
          | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=24))
JSONISH = st.recursive(LEAVES, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=6),
                       max_leaves=30)
OFFSET = st.integers(min_value=-3, max_value=60) | st.floats(allow_nan=True) | st.text(max_size=3) | st.none()


@st.composite
def record_shaped(draw: st.DrawFn) -> object:
    """An object that looks like a record of some format, with offsets near the text's length."""
    text = draw(st.text(alphabet=st.characters(codec="utf-8"), max_size=50))
    span = st.fixed_dictionaries(
        {"start": OFFSET, "end": OFFSET, "label": st.sampled_from(["injury", "working_hours", "no such", ""])},
        optional={"text": st.text(max_size=8), "token_start": OFFSET, "token_end": OFFSET, "labels": JSONISH,
                  "prefix": st.text(max_size=5), "suffix": st.text(max_size=5)},
    )
    spans = st.lists(span, max_size=3)
    shapes = [
        st.fixed_dictionaries({"text": st.just(text), "spans": spans},
                              optional={"annotator": st.text(max_size=8), "status": st.text(max_size=12),
                                        "doc_id": JSONISH, "meta": JSONISH, "answer": st.just("accept"),
                                        "_annotator_id": st.text(max_size=5)}),
        st.fixed_dictionaries({"text": st.just(text),
                               "label": st.lists(st.tuples(OFFSET, OFFSET, st.text(max_size=8)), max_size=3)}),
        st.fixed_dictionaries({"data": st.fixed_dictionaries({"text": st.just(text)}),
                               "annotations": st.lists(st.fixed_dictionaries({"result": st.lists(
                                   st.fixed_dictionaries({"type": st.just("labels"), "value": span}), max_size=3)}),
                                   max_size=2)}),
        st.fixed_dictionaries({"type": st.just("Annotation"), "body": JSONISH, "target": st.fixed_dictionaries({
            "source": st.text(max_size=20), "selector": st.lists(JSONISH, max_size=2)})}),
    ]
    return draw(st.one_of(shapes))


VALUES = JSONISH | record_shaped() | st.lists(record_shaped(), max_size=3)


def _content(fmt: Format, data: st.DataObject) -> tuple[str, bytes]:
    """A file name (with one of the format's extensions) and hostile contents shaped for it."""
    ext = data.draw(st.sampled_from(fmt.extensions or (".dat",)), label="ext")
    kind = data.draw(st.sampled_from(["bytes", "structured"]), label="kind")
    if kind == "bytes":
        return ext, data.draw(st.binary(max_size=400), label="bytes")
    if ext in (".jsonl", ".ndjson"):
        lines = data.draw(st.lists(VALUES, min_size=1, max_size=4), label="lines")
        return ext, "\n".join(json.dumps(v, ensure_ascii=data.draw(st.booleans())) for v in lines).encode()
    if ext in (".json", ".jsonld"):
        return ext, json.dumps(data.draw(VALUES, label="value")).encode()
    if ext == ".zip":
        members = data.draw(st.dictionaries(
            st.sampled_from(["a.txt", "a.ann", "annotation.conf", "../up.txt", "dir/b.txt", "dir/b.ann", "/abs.txt"]),
            st.binary(max_size=120) | st.text(max_size=120).map(str.encode), max_size=5), label="zip")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zf:
            for name, payload in members.items():
                zf.writestr(name, payload)
        return ext, buffer.getvalue()
    text = data.draw(st.text(max_size=300), label="text")
    if ext in (".html", ".htm", ".xhtml"):
        text = f"<html><body><article><p>{text}</p><script>{text}</script></article></body></html>"
    return ext, text.encode("utf-8", "surrogatepass")


_counter = itertools.count()


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _write(folder: Path, fmt: Format, ext: str, payload: bytes) -> Path:
    path = folder / f"case-{next(_counter)}{ext}"
    path.write_bytes(payload)
    return path


def test_registry_has_readers() -> None:
    names = {fmt.name for fmt in READABLE}
    assert {"jsonl", "text", "html"} <= names


@pytest.mark.parametrize("fmt", READABLE, ids=lambda f: f.name)
def test_reader_raises_only_annotator_errors(fmt: Format, fuzz_dir: Path) -> None:
    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        ext, payload = _content(fmt, data)
        path = _write(fuzz_dir, fmt, ext, payload)
        ctx = ReadContext(str(path))
        try:
            for item in fmt.read(path, ctx):
                assert isinstance(item, AnnotatedDocument | AnnotatorError), type(item)
                if isinstance(item, AnnotatorError):
                    assert item.reason.strip()
                else:
                    text = item.document.text
                    for layer in item.layers:
                        for span in layer.spans:
                            assert 0 <= span.start < span.end <= len(text)
                            assert span.text == text[span.start : span.end]
        except AnnotatorError as exc:
            assert exc.reason.strip()
        finally:
            path.unlink()

    run()


@pytest.mark.parametrize("fmt", READABLE, ids=lambda f: f.name)
def test_import_paths_never_lets_an_exception_escape(fmt: Format, fuzz_dir: Path) -> None:
    db = fuzz_dir / f"{fmt.name}.sqlite3"
    store = open_store(db)
    outcomes = {"refused": 0, "read": 0}
    try:
        @FUZZ
        @given(data=st.data())
        def run(data: st.DataObject) -> None:
            ext, payload = _content(fmt, data)
            path = _write(fuzz_dir, fmt, ext, payload)
            try:
                summary = import_paths(store, [path], annotator="fuzzer", format_name=fmt.name,
                                       skip_bad=data.draw(st.booleans(), label="skip_bad"),
                                       add_labels=data.draw(st.booleans(), label="add_labels"))
            finally:
                path.unlink()
            assert summary.files + len(summary.refused) == 1
            for message in summary.refused:
                assert message.strip() and "Traceback" not in message
            outcomes["refused" if summary.refused else "read"] += 1

        run()
    finally:
        store.close()
    assert sum(outcomes.values()) >= EXAMPLES
    assert integrity(db) == "ok"
