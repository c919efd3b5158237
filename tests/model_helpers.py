"""Databases for the learned-suggestion tests: documents from the benchmark's templated corpus
(``bench/model_corpus.py``), imported as done layers through the real command line."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def model_corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("model_corpus", ROOT / "bench" / "model_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_layers(path: Path, first: int, count: int, annotator: str | None = "ana", status: str = "done",
                 with_spans: bool = True) -> Path:
    """Native JSONL of corpus documents ``first``… with their spans as ``annotator``'s layer."""
    corpus = model_corpus().make_corpus(first, count)
    with open(path, "w", encoding="utf-8") as f:
        for key, text, spans in corpus:
            record: dict = {"doc_id": key, "text": text}
            if annotator is not None:
                record.update(annotator=annotator, status=status, spans=[
                    {"start": s, "end": e, "label": label} for s, e, label in spans] if with_spans else [])
            f.write(json.dumps(record) + "\n")
    return path
