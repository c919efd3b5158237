"""Property tests: native JSONL through a real store keeps every quote equal to text[start:end]."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.formats.native_jsonl import write_jsonl
from annotator.store import repository as repo
from annotator.store.database import open_store
from annotator.store.importing import import_paths
from tests.strategies import tricky_text

LABELS = ["working_hours", "injury", "surveillance", "remittance", "sanctions"]


@st.composite
def raw_record(draw: st.DrawFn) -> dict:
    """A record whose text may contain \\r\\n; spans carry offsets into the RAW text plus their quote."""
    raw = draw(tricky_text)
    if not raw.strip():
        raw = "text " + raw
    spans = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(raw) - 1))
        end = draw(st.integers(start + 1, len(raw)))
        quote = raw[start:end]
        if "\r" in quote[:1] or "\n" in quote[-1:] or "\r" in quote[-1:]:
            continue  # a quote that begins or ends inside a line break has no canonical counterpart
        spans.append({"start": start, "end": end, "label": draw(st.sampled_from(LABELS)), "text": quote})
    return {"text": raw, "annotator": draw(st.sampled_from(["ana", "bo"])), "status": "done", "spans": spans}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(raw_record(), min_size=1, max_size=4))
def test_import_export_keeps_every_quote(records: list[dict]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        src = folder / "in.jsonl"
        src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        store = open_store(folder / "db.sqlite3")
        try:
            summary = import_paths(store, [src])
            assert not summary.refused, summary.refused
            out = io.StringIO()
            with store.session() as session:
                write_jsonl(repo.iter_annotated_documents(session), out)
                assert list(repo.verify_quotes(session)) == []
        finally:
            store.close()
    exported = [json.loads(line) for line in out.getvalue().split("\n") if line]
    for record in exported:
        assert "\r" not in record["text"]
        for span in record["spans"]:
            assert record["text"][span["start"] : span["end"]] == span["text"]
    # every span given survives, re-anchored onto the canonical text when \r\n moved it
    wanted = {(r["text"].replace("\r\n", "\n").replace("\r", "\n"), s["text"].replace("\r\n", "\n").replace("\r", "\n"), s["label"])
              for r in records for s in r["spans"]}
    got = {(r["text"], s["text"], s["label"]) for r in exported for s in r["spans"]}
    assert wanted <= got
