"""spaCy DocBin: the file loads with spaCy, its doc.spans["sc"] equal our spans, doc.ents is the
non-overlapping part, and misaligned spans are reported. Skipped only when spaCy is not installed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.formats import get_format
from annotator.core.formats.conll import choose_non_overlapping
from annotator.core.model import SpanRecord
from tests.formats.helpers import SCHEME, doc_of, read_all, span_set, texts, token_spans

spacy = pytest.importorskip("spacy")
from spacy.tokens import DocBin  # noqa: E402

FMT = get_format("spacy")


def test_docbin_loads_and_its_spans_equal_ours(tmp_path: Path) -> None:
    text = "Crews 😊 worked 22-hour days; minders watched them.\nNo rest day."
    spans = [SpanRecord(text.index(q), text.index(q) + len(q), label, q) for q, label in
             [("22-hour days", "working_hours"), ("22-hour", "injury"), ("minders watched", "surveillance"),
              ("inders", "surveillance")]]
    out = tmp_path / "o.spacy"
    report = FMT.write([doc_of(text, spans)], out, SCHEME)
    (doc,) = DocBin().from_disk(out).get_docs(spacy.blank("xx").vocab)
    assert doc.text == text
    sc = {(sp.start_char, sp.end_char, sp.label_) for sp in doc.spans["sc"]}
    aligned = {(s.start, s.end, s.label) for s in spans if s.text != "inders"}
    assert sc == aligned
    assert {(e.start_char, e.end_char, e.label_) for e in doc.ents} == aligned - {(text.index("22-hour"), text.index("22-hour") + 7, "injury")}
    assert doc.user_data["doc_id"] == "d-1" and doc.user_data["annotator"] == "analyst-a"
    assert len(report.problems) == 2
    assert any("'inders' does not align with spaCy's tokens" in p for p in report.problems)
    assert any("not in doc.ents" in p for p in report.problems)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data(), texts())
def test_round_trip_of_aligned_spans(tmp_path: Path, data: st.DataObject, text: str) -> None:
    nlp = spacy.blank("xx")
    doc = nlp.make_doc(text)
    # spans on spaCy's own tokens, so all align; ours may be coarser or finer, both are allowed
    candidates = [SpanRecord(t.idx, t.idx + len(t.text), "injury", t.text) for t in doc if not t.is_space]
    spans = data.draw(st.lists(st.sampled_from(candidates), max_size=4, unique_by=lambda s: s.start)) if candidates else []
    spans += [s for s in data.draw(token_spans(text)) if doc.char_span(s.start, s.end, alignment_mode="strict")]
    out = tmp_path / "o.spacy"
    items = [doc_of(text, spans)]
    report = FMT.write(items, out, SCHEME)
    assert len(report.problems) == len(choose_non_overlapping(spans)[1])
    docs, errors, _ = read_all("spacy", out)
    assert errors == []
    assert span_set(docs) == span_set(items)
    assert docs[0].document.doc_id == "d-1" and docs[0].layers[0].annotator == "analyst-a"


def test_unreadable_file_is_one_clear_error(tmp_path: Path) -> None:
    from annotator.core.errors import AnnotatorError

    bad = tmp_path / "bad.spacy"
    bad.write_bytes(b"not a docbin")
    with pytest.raises(AnnotatorError) as info:
        read_all("spacy", bad)
    assert str(info.value).startswith(f"{bad}: not a readable spaCy DocBin")
