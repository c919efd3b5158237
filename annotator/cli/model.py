"""``annotator train``, ``annotator suggest`` and ``annotator patterns``: the learned recommender from the
command line (docs/architecture.md §5 for the conventions; README "Learned suggestions").

``train`` learns from done layers and stores the model in the database with its held-out scores, which
it prints (JSON with ``--json``); ``suggest`` writes the stored model's and the pattern rules'
suggestions for every document as native JSONL under the annotator "model", each span's score in its
attributes, so the output imports as a layer to compare with an analyst's in the agreement view;
``patterns`` imports and exports the rules. Every refusal is one line and changes nothing.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from annotator.cli.common import EXIT_OK, ProgressLine, open_from_args
from annotator.core.errors import AnnotatorError
from annotator.core.safe_io import write_text
from annotator.core.wording import plural


def _need_crfsuite() -> None:
    from annotator.core.model_suggest.tagger import unavailable_reason

    reason = unavailable_reason()
    if reason is not None:
        raise AnnotatorError(reason)


def run_train(args: argparse.Namespace) -> int:
    from annotator.core.model_suggest.training import fit
    from annotator.store.models_store import label_keys, save_model, training_documents

    _need_crfsuite()
    store = open_from_args(args, must_exist=True)
    try:
        with store.session() as session:
            docs, source = training_documents(session, annotators=args.annotators, gold=args.gold)
            known = label_keys(session)
        progress = ProgressLine()
        try:
            run = fit(docs, known, wanted=args.labels, source=source, curve=args.curve, progress=progress)
        finally:
            progress.close()
        trained_by = getattr(args, "annotator", None) or os.environ.get("ANNOTATOR_USER") or "command line"
        with store.write() as session:
            model_id = save_model(session, run.model, trained_by=trained_by, trained_on=run.trained_on,
                                  scores=run.scores)
    finally:
        store.close()
    if args.json:
        print(json.dumps({"model": model_id, "trained_on": run.trained_on, "skipped_labels": run.skipped,
                          **run.scores}, ensure_ascii=False, indent=2))
        return EXIT_OK
    on = run.trained_on
    print(f"trained on {plural(on['documents'], 'document')} ({plural(on['spans'], 'span')}, "
          f"{plural(on['rejections'], 'rejected suggestion')}); held out {plural(on['held_out_documents'], 'document')}")
    held = run.scores["held_out"]
    if held:
        print(f"{'label':24} {'precision':>9} {'recall':>7} {'F1':>6} {'exact F1':>9} {'spans':>6}")
        for label in [*on["labels"], "*"]:
            row = held.get(label, {})
            name = "all labels" if label == "*" else label
            print(f"{name:24} {_f(row.get('precision')):>9} {_f(row.get('recall')):>7} {_f(row.get('f1')):>6} "
                  f"{_f(row.get('exact_f1')):>9} {row.get('reference', 0):>6}")
    else:
        print("too few documents to hold some out: no scores (5 done documents at least)")
    for label, count in run.skipped.items():
        print(f"not trained: {label} ({plural(count, 'example')}; at least 5 are needed)")
    if run.scores.get("curve"):
        print("learning curve (overlap F1): " + ", ".join(f"{n} documents {_f(f1)}" for n, f1 in run.scores["curve"]))
    return EXIT_OK


def _f(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def run_suggest(args: argparse.Namespace) -> int:
    from annotator.core.formats.native_jsonl import document_line
    from annotator.core.model import MODEL_ANNOTATOR, STATUS_DONE, DocumentRecord, LayerRecord, SpanRecord
    from annotator.store.models import Document
    from annotator.store.models_store import (
        combined_suggestions,
        iter_texts,
        load_model,
        pattern_matcher,
    )

    if args.min_score is not None and not 0.0 <= args.min_score <= 1.0:
        raise AnnotatorError(f"--min-score must be between 0 and 1, not {args.min_score}")
    store = open_from_args(args, read_only=True, must_exist=True)
    out = Path(args.output)
    part = out.with_name(out.name + ".part")
    written = spans = 0
    try:
        with store.session() as session:
            _need_crfsuite()
            model = load_model(session, required=True)
            matcher = pattern_matcher(session)
            progress = ProgressLine()
            try:
                stream = open(part, "w", encoding="utf-8", newline="\n")  # noqa: SIM115 (closed below)
            except OSError as exc:
                raise AnnotatorError(f"cannot write ({exc.strerror or exc})", path=str(out)) from None
            with stream:
                for pk, _doc_id, text in iter_texts(session, only_unannotated=args.only_unannotated):
                    found = combined_suggestions(text, model, matcher, set(), set(), args.min_score or 0.0)
                    row = session.get(Document, pk)
                    assert row is not None
                    meta = {k: getattr(row, k) for k in ("title", "source", "url", "published", "filename")}
                    record = DocumentRecord(row.doc_id, text, row.text_sha256, {k: v for k, v in meta.items() if v})
                    layer = LayerRecord(MODEL_ANNOTATOR, STATUS_DONE, [
                        SpanRecord(s.start, s.end, s.label, text[s.start:s.end],
                                   {"score": s.score, "source": s.source}) for s in found])
                    stream.write(document_line(record, layer))
                    session.expunge(row)
                    written += 1
                    spans += len(found)
                    if written % 200 == 0:
                        progress(0.0, f"{written:,} documents")
            progress.close()
        part.replace(out)
    finally:
        store.close()
        part.unlink(missing_ok=True)
    print(f"wrote suggestions for {plural(written, 'document')} ({plural(spans, 'span')}) to {out}")
    return EXIT_OK


def run_patterns(args: argparse.Namespace) -> int:
    from annotator.core.decoding import read_text_file
    from annotator.core.model_suggest.patterns import export_patterns, parse_patterns
    from annotator.store.models_store import load_patterns, replace_patterns

    if args.patterns_command == "import":
        path = Path(args.path)
        rules = parse_patterns(read_text_file(path).text, str(path))
        store = open_from_args(args)
        try:
            with store.write() as session:
                count = replace_patterns(session, rules, where=str(path))
        finally:
            store.close()
        print(f"imported {plural(count, 'pattern rule')} from {path} (they replace the previous rules)")
        return EXIT_OK
    store = open_from_args(args, read_only=True, must_exist=True)
    try:
        with store.session() as session:
            rules = load_patterns(session)
    finally:
        store.close()
    out = Path(args.output)
    write_text(out, export_patterns(rules))
    print(f"exported {plural(len(rules), 'pattern rule')} to {out}")
    return EXIT_OK
