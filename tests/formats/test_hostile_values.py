"""Hostile input to every reader: any JSON value in any field gives documents or AnnotatorErrors
(with the file named), never another exception — a user never sees a traceback."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.errors import AnnotatorError
from annotator.core.formats import ReadContext, get_format
from annotator.core.model import AnnotatedDocument
from tests.formats.helpers import doc_of

scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**20), st.floats(allow_nan=False),
                    st.text(max_size=8), st.sampled_from(["😊", "\r\n", "working_hours", "TextQuoteSelector"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                      max_leaves=10)
small_int = st.one_of(st.integers(-2, 40), values)


@st.composite
def prodigy_like(draw: st.DrawFn) -> object:
    return {"text": draw(st.one_of(st.just("Crews 😊 worked\r\n22-hour days."), values)),
            "tokens": draw(st.one_of(st.none(), st.lists(st.fixed_dictionaries({"start": small_int, "end": small_int}), max_size=3), values)),
            "spans": draw(st.one_of(st.lists(st.fixed_dictionaries(
                {"start": small_int, "end": small_int, "label": st.one_of(st.just("injury"), values),
                 "token_start": small_int, "token_end": small_int, "text": st.one_of(st.just("worked"), values)}), max_size=3), values)),
            "answer": draw(st.sampled_from(["accept", "reject", None])), "meta": draw(values),
            "_annotator_id": draw(st.one_of(st.just("a"), values))}


@st.composite
def doccano_like(draw: st.DrawFn) -> object:
    return {"text": draw(st.one_of(st.just("Pay 💰 went to the state."), values)),
            draw(st.sampled_from(["label", "entities"])): draw(st.one_of(
                st.lists(st.one_of(st.tuples(small_int, small_int, values).map(list),
                                   st.fixed_dictionaries({"start_offset": small_int, "end_offset": small_int, "label": values})), max_size=3),
                values)),
            "id": draw(values), "annotator": draw(values)}


@st.composite
def label_studio_like(draw: st.DrawFn) -> object:
    result = st.fixed_dictionaries({"type": st.one_of(st.just("labels"), values), "value": st.one_of(
        st.fixed_dictionaries({"start": small_int, "end": small_int, "text": st.one_of(st.just("went"), values),
                               "labels": st.one_of(st.just(["injury"]), values)}), values), "meta": values})
    ann = st.fixed_dictionaries({"result": st.one_of(st.lists(result, max_size=3), values), "completed_by": values,
                                 "was_cancelled": values})
    return [{"data": draw(st.one_of(st.fixed_dictionaries({"text": st.just("Pay 💰 went to the state.")}), values)),
             "annotations": draw(st.one_of(st.lists(ann, max_size=2), values)),
             "predictions": draw(st.one_of(st.lists(ann, max_size=1), values))}]


@st.composite
def w3c_like(draw: st.DrawFn) -> object:
    known = doc_of("Crews worked 22-hour days.", []).document
    target = st.fixed_dictionaries({"source": st.one_of(st.just("urn:sha256:" + known.text_sha256), values),
                                    "selector": st.one_of(st.lists(st.fixed_dictionaries(
                                        {"type": st.sampled_from(["TextQuoteSelector", "TextPositionSelector"]),
                                         "exact": values, "start": small_int, "end": small_int, "prefix": values}), max_size=2), values)})
    ann = st.fixed_dictionaries({"type": st.just("Annotation"), "target": st.one_of(target, values),
                                 "body": st.one_of(st.just({"value": "injury"}), values), "creator": values})
    return {"type": "AnnotationCollection", "first": {"type": "AnnotationPage", "items": draw(st.one_of(st.lists(ann, max_size=3), values))}}


def _read(name: str, path: Path, **kw) -> None:
    ctx = ReadContext(str(path), **kw)
    try:
        for item in get_format(name).read(path, ctx):
            assert isinstance(item, AnnotatedDocument | AnnotatorError)
            if isinstance(item, AnnotatorError):
                assert str(item).startswith(str(path))
            else:
                for layer in item.layers:
                    for s in layer.spans:
                        assert item.document.text[s.start : s.end] == s.text and s.start < s.end
    except AnnotatorError as exc:
        assert str(exc).startswith(str(path))


@settings(max_examples=150, deadline=None)
@given(st.one_of(prodigy_like().map(lambda o: ("prodigy", o)), doccano_like().map(lambda o: ("doccano", o)),
                 label_studio_like().map(lambda o: ("label-studio", o)), w3c_like().map(lambda o: ("w3c", o)),
                 values.map(lambda o: ("prodigy", o)), values.map(lambda o: ("label-studio", o))))
def test_readers_never_raise_anything_but_annotator_errors(tmp_path_factory, case: tuple[str, object]) -> None:
    name, obj = case
    path = tmp_path_factory.mktemp("h") / ("in.json" if name in ("label-studio", "w3c") else "in.jsonl")
    path.write_text(json.dumps(obj, ensure_ascii=False) + "\n", encoding="utf-8")
    known = doc_of("Crews worked 22-hour days.", []).document
    _read(name, path, resolve_text={known.text_sha256: known}.get)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=30), st.sampled_from(["T1\tinjury 0 5\tCrews", "A1\tX T1", "#1\tAnnotatorNotes T1\tn",
                                                                 "T2\tinjury 0 5;7 9\tCrews or", "T3\tinjury 9 99\tx", "A2"])), max_size=6))
def test_brat_reader_never_raises_anything_but_annotator_errors(tmp_path_factory, lines: list[str]) -> None:
    folder = tmp_path_factory.mktemp("b")
    (folder / "a.txt").write_text("Crews 😊 worked 22-hour days.", encoding="utf-8")
    (folder / "a.ann").write_text("\n".join(lines), encoding="utf-8")
    _read("brat", folder)
