"""Importing files into the store: documents, and annotation layers from JSONL.

Each file is one transaction: a file with a bad record changes nothing (unless the caller asked to skip
bad records), and files that are fine are kept even when another file in the same run is refused.
Records are written in batches with bulk statements — a 20,000-article export imports in seconds —
and documents are matched by the hash of their canonical text, so importing another analyst's export
adds their layers to the articles already here instead of duplicating the articles.
"""

from __future__ import annotations

import operator
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.orm import Session

from annotator.core.errors import AnnotatorError
from annotator.core.formats.base import Format, ReadContext, get_format
from annotator.core.gc_pause import collecting_between_batches
from annotator.core.import_files import collect_files, format_for
from annotator.core.model import AnnotatedDocument, DocumentRecord, SpanRecord
from annotator.core.scheme import Scheme, default_scheme, fold_key, new_label
from annotator.core.text import surrogate_problem
from annotator.core.wording import plural
from annotator.store import repository as repo
from annotator.store.bulk import DeferredIndexes, encoder_for, insert_encoded, insert_with_ids, select_in
from annotator.store.database import Store
from annotator.store.import_structure import ImportStructure, StructureAdded
from annotator.store.import_summary import ImportSummary
from annotator.store.marks import DeferredMarks
from annotator.store.models import Document, Layer, Span, utcnow
from annotator.store.tallies import PausedTallies

BATCH = 1000
REPEAT_NOTICES = 20
"""Repeated spans named one by one per file; the rest are counted in one notice."""
SPAN_COLUMNS = ("layer_id", "start", "end", "label_id", "quote", "attributes", "note", "created", "updated")
LAYER_COLUMNS = ("document_id", "annotator_id", "status", "span_count", "updated")
DOCUMENT_COLUMNS = ("doc_id", "text_sha256", "text", "length", "title", "source", "url", "published", "filename",
                    "meta", "created")
Progress = Callable[[float, str], None]


@dataclass
class _FileCounts:
    added: int = 0
    duplicates: int = 0
    layers: int = 0
    spans: int = 0
    spans_present: int = 0
    spans_repeated: int = 0


class ImportCancelled(Exception):
    """Raised inside a file's transaction to roll it back when the user cancels."""


def import_paths(
    store: Store,
    paths: Sequence[str | os.PathLike[str]],
    *,
    annotator: str | None = None,
    actor: str | None = None,
    skip_bad: bool = False,
    add_labels: bool = False,
    format_name: str | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportSummary:
    """Import files and folders; see the module docstring for the transaction rules."""
    summary = ImportSummary()
    files = collect_files(paths, summary.notices)
    total = max(1, len(files))
    for index, path in enumerate(files):
        if cancelled is not None and cancelled():
            summary.cancelled = True
            break
        if progress is not None:
            progress(index / total, f"Importing {path.name}")
        try:
            fmt = get_format(format_name) if format_name else format_for(path)
            ctx = ReadContext(str(path), resolve_text=_document_resolver(store), scheme=_stored_scheme(store))
            counts = _import_file(
                store, fmt, path, ctx, summary, annotator=annotator, actor=actor, skip_bad=skip_bad,
                add_labels=add_labels, cancelled=cancelled,
                progress=_file_progress(progress, index / total, path.name),
            )
        except ImportCancelled:
            summary.cancelled = True
            break
        except AnnotatorError as exc:
            summary.refused.append(str(exc.at(path=str(path))))
            continue
        summary.files += 1
        summary.notices.extend(ctx.notices)
        summary.documents_added += counts.added
        summary.duplicates += counts.duplicates
        summary.layers += counts.layers
        summary.spans += counts.spans
        summary.spans_present += counts.spans_present
        summary.spans_repeated += counts.spans_repeated
    if progress is not None:
        progress(1.0, "Import finished")
    return summary


def _import_file(
    store: Store,
    fmt: Format,
    path: Path,
    ctx: ReadContext,
    summary: ImportSummary,
    *,
    annotator: str | None,
    actor: str | None,
    skip_bad: bool,
    add_labels: bool,
    cancelled: Callable[[], bool] | None,
    progress: Callable[[int], None] | None,
) -> _FileCounts:
    counts = _FileCounts()
    skipped: list[str] = []
    labels_added: list[str] = []
    with store.write() as session, collecting_between_batches() as collect:
        structure_added = StructureAdded()
        writer = _BatchWriter(session, annotator=annotator, actor=actor, add_labels=add_labels,
                              labels_added=labels_added, counts=counts, notice=ctx.notice,
                              structure_added=structure_added)
        batch: list[AnnotatedDocument] = []
        for item in fmt.read(path, ctx):
            if isinstance(item, AnnotatorError):
                if not skip_bad:
                    raise item
                skipped.append(str(item))
                continue
            problem = writer.check(item)
            if problem is not None:
                line = item.line if item.line is not None else writer.record_number
                error = AnnotatorError(problem, path=str(path), line=line)
                if not skip_bad:
                    raise error
                skipped.append(str(error))
                continue
            batch.append(item)
            if len(batch) >= BATCH:
                if cancelled is not None and cancelled():
                    raise ImportCancelled
                writer.write(batch)
                batch = []
                collect()
                if progress is not None:
                    progress(writer.record_number)
        writer.write(batch)
        writer.finish()
    summary.skipped_records.extend(skipped)
    summary.labels_added.extend(labels_added)
    summary.structure_added.fields.extend(structure_added.fields)
    summary.structure_added.text_fields.extend(structure_added.text_fields)
    summary.structure_added.relation_types.extend(structure_added.relation_types)
    for theirs, ours in writer.labels_mapped.items():
        summary.labels_mapped.setdefault(theirs, ours)
    return counts


def _document_resolver(store: Store) -> Callable[[str], DocumentRecord | None]:
    """Look up a stored document by text hash, for formats that carry no text (W3C annotations)."""

    def resolve(sha256: str) -> DocumentRecord | None:
        with store.session() as session:
            row = repo.find_document(session, sha256=sha256)
            return repo.document_record(row) if row is not None else None

    return resolve


def _stored_scheme(store: Store) -> Scheme:
    """The scheme formats read typed values by (brat's ``A1\thours_per_day T2 12`` is the number 12): the
    stored one, or for an empty database the default scheme its first import will store."""
    with store.session() as session:
        scheme = repo.get_scheme(session)
    return scheme if scheme.labels else default_scheme()


def _file_progress(progress: Progress | None, fraction: float, name: str) -> Callable[[int], None] | None:
    """A heartbeat inside one large file: the overall fraction stays, the message counts records."""
    if progress is None:
        return None
    return lambda records: progress(fraction, f"Importing {name}: {records:,} records")


class _BatchWriter:
    """Writes batches of parsed records with a handful of bulk statements per batch.

    Rows are built as tuples of driver-ready values (``bulk.Encoder``) and documents and layers get their
    ids from the insert itself, so a batch of 1,000 new articles costs two lookups (text hashes and
    ``doc_id`` values already taken) and three inserts. Layers that already existed are only looked up for
    documents that existed before the batch.
    """

    def __init__(self, session: Session, *, annotator: str | None, actor: str | None, add_labels: bool,
                 labels_added: list[str], counts: _FileCounts, notice: Callable[[str, int | None], None],
                 structure_added: StructureAdded) -> None:
        self.session = session
        self.notice = notice
        self.file_layers: set[int] = set()  # layers this file wrote: their stored spans are the file's own
        self.default_annotator = annotator
        self.actor = actor
        self.add_labels = add_labels
        self.labels_added = labels_added
        self.labels_mapped: dict[str, str] = {}
        """Labels of the file stored under the scheme's key that differs only in case (file's -> scheme's)."""
        self.counts = counts
        self.record_number = 0
        repo.ensure_default_scheme(session)
        self.structure = ImportStructure(session, add_labels=add_labels, added=structure_added)
        self.labels = repo.label_ids(session)
        self.encoder = encoder_for(session)
        self.annotator_ids: dict[str, int] = {}
        self.checked_names: dict[str, str | AnnotatorError] = {}
        self.recount_layers: set[int] = set()
        self.seen_in_file: set[str] = set()
        self.span_indexes = DeferredIndexes(session, Span)
        # Marks (store/marks.py) are counted once at the end, for the documents that got spans; all of them
        # when the span table was empty (its indexes are deferred too, so per-row counts would scan it).
        self.marks = DeferredMarks(session.connection())
        self.marks.everything = bool(self.span_indexes.pending)
        self.tallies = PausedTallies(session)

    def check(self, item: AnnotatedDocument) -> str | None:
        """Why a parsed record cannot be stored (unknown label, no annotator), or None."""
        self.record_number += 1
        doc = item.document
        problem = surrogate_problem(doc.doc_id, "the document id") or surrogate_problem(doc.meta, "the metadata")
        if problem is not None:
            return problem
        for layer in item.layers:
            for span in layer.spans:
                problem = (surrogate_problem(span.note, "a span note")
                           or surrogate_problem(span.attributes, "a span attribute")
                           or surrogate_problem(span.label, "a label"))
                if problem is not None:
                    return problem
            if layer.annotator is None:
                if (layer.spans or layer.doc_fields) and not self.default_annotator:
                    what = "spans" if layer.spans else "document fields"
                    return f"the record has {what} but no annotator (give one with --annotator)"
                layer.annotator = self.default_annotator
            if layer.annotator is not None:
                name = self._checked_name(layer.annotator)
                if isinstance(name, AnnotatorError):
                    return name.reason
                layer.annotator = name
            labels = self.labels
            for span in layer.spans:
                if span.label not in labels:
                    same = [key for key in labels if fold_key(key) == fold_key(span.label)]
                    if len(same) == 1:  # keys are compared without case: "Injury" is the scheme's "injury"
                        self.labels_mapped.setdefault(span.label, same[0])
                        span.label = same[0]
                        continue
                    if same:
                        return (f"label {span.label!r} matches {' and '.join(repr(k) for k in sorted(same))} "
                                "without case; rename one of them in the scheme or the file")
                    if not self.add_labels:
                        return f"unknown label {span.label!r} (not in the scheme; use --add-labels to add it)"
                    try:
                        row = repo.add_label(self.session, new_label(span.label, len(labels)))
                    except AnnotatorError as exc:
                        return exc.reason
                    labels[span.label] = row.id
                    self.labels_added.append(span.label)
            if layer.spans or layer.doc_fields:
                problem = self.structure.check(layer)
                if problem is not None:
                    return problem
        return None

    def _checked_name(self, name: str) -> str | AnnotatorError:
        """``repo.check_annotator_name`` once per distinct name in a file (a file has few annotators)."""
        found = self.checked_names.get(name)
        if found is None:
            try:
                found = repo.check_annotator_name(name)
            except AnnotatorError as exc:
                found = exc
            self.checked_names[name] = found
        return found

    def _annotator_id(self, name: str) -> int:
        if name not in self.annotator_ids:
            repo.check_can_write(self.session, name, self.actor)
            self.annotator_ids[name] = repo.get_or_create_annotator(self.session, name).id
        return self.annotator_ids[name]

    def write(self, batch: list[AnnotatedDocument]) -> None:
        if not batch:
            return
        session = self.session
        shas = list({item.document.text_sha256 for item in batch})
        known = dict(select_in(session, Document, ("text_sha256", "id"), "text_sha256", shas))
        new_rows: dict[str, dict] = {}
        for item in batch:
            sha = item.document.text_sha256
            if sha in known or sha in new_rows:
                self.counts.duplicates += 1
                continue
            new_rows[sha] = repo.document_values(item.document)
        new_ids: set[int] = set()
        if new_rows:
            wanted = [row["doc_id"] for row in new_rows.values()]
            taken = {row[0] for row in select_in(session, Document, ("doc_id",), "doc_id", wanted)}
            encode_json = self.encoder.json
            created = self.encoder.time(utcnow())
            rows = []
            document_tuple = operator.itemgetter(*DOCUMENT_COLUMNS)
            for sha, row in new_rows.items():
                if row["doc_id"] in taken or row["doc_id"] in self.seen_in_file:
                    row["doc_id"] = f"{row['doc_id']}-{sha[:8]}"
                self.seen_in_file.add(row["doc_id"])
                row["meta"] = encode_json(row["meta"])
                row["created"] = created
                rows.append(document_tuple(row))
            ids = insert_with_ids(session, Document, DOCUMENT_COLUMNS, rows)
            known.update(zip(new_rows, ids, strict=True))
            new_ids.update(ids)
            self.counts.added += len(new_rows)
        self._write_layers(batch, known, new_ids)

    def _write_layers(self, batch: list[AnnotatedDocument], doc_ids: dict[str, int], new_docs: set[int]) -> None:
        session = self.session
        wanted: dict[tuple[int, int], str] = {}
        for item in batch:
            for layer in item.layers:
                if layer.annotator:
                    wanted[(doc_ids[item.document.text_sha256], self._annotator_id(layer.annotator))] = layer.status
        if not wanted:
            return
        self.counts.layers += len(wanted)
        # Documents added by this batch have no layers yet: only older ones need a look.
        older = sorted({doc for doc, _ in wanted if doc not in new_docs})
        existing: dict[tuple[int, int], int] = {}
        if older:
            existing = {
                (d, a): lid
                for lid, d, a in session.execute(
                    select(Layer.id, Layer.document_id, Layer.annotator_id).where(Layer.document_id.in_(older))
                )
                if (d, a) in wanted
            }
        # A layer holds each span once (core/repeats.py has the rule): spans stored before this import are
        # counted as already there, a span the file itself gives twice is skipped with a notice naming its line.
        before: dict[tuple[int, int], set[tuple[int, int, int]]] = {key: set() for key in wanted}
        from_file: dict[tuple[int, int], set[tuple[int, int, int]]] = {key: set() for key in wanted}
        # Layers whose relations need span ids: (start, end, label id) → id, stored spans and new ones alike.
        span_ids: dict[tuple[int, int], dict[tuple[int, int, int], int]] = {
            (doc_ids[item.document.text_sha256], self.annotator_ids[layer.annotator]): {}
            for item in batch for layer in item.layers if layer.annotator and layer.relations}
        if existing:
            self.span_indexes.restore()  # the lookup below reads spans by layer
            key_of = {lid: key for key, lid in existing.items()}
            for lid, start, end, label_id, span_id in session.execute(
                select(Span.layer_id, Span.start, Span.end, Span.label_id, Span.id)
                .where(Span.layer_id.in_(sorted(key_of)))
            ):
                key = key_of[lid]
                (from_file if lid in self.file_layers else before)[key].add((start, end, label_id))
                if key in span_ids:
                    span_ids[key][(start, end, label_id)] = span_id
            # One executemany for the batch's reused layers (status and time), not one statement each.
            layers = cast(Table, Layer.__table__)
            session.connection().execute(
                update(layers).where(layers.c.id == bindparam("layer")).values(status=bindparam("new_status"),
                                                                              updated=utcnow()),
                [{"layer": lid, "new_status": wanted[key]} for key, lid in existing.items()],
            )
            self.recount_layers.update(key_of)
        labels = self.labels
        kept: dict[tuple[int, int], list[SpanRecord]] = {key: [] for key in wanted}
        for item in batch:
            doc = doc_ids[item.document.text_sha256]
            for layer in item.layers:
                if not layer.annotator:
                    continue
                key = (doc, self.annotator_ids[layer.annotator])
                own, stored, keep = from_file[key], before[key], kept[key].append
                for span in layer.spans:
                    found = (span.start, span.end, labels[span.label])
                    if found in own:
                        self._repeated(span, layer.annotator, item.line)
                        continue
                    own.add(found)
                    if found in stored:
                        self.counts.spans_present += 1
                    else:
                        keep(span)
        now = utcnow()
        now_text = self.encoder.time(now)
        fresh = [key for key in wanted if key not in existing]
        if fresh:
            # A new layer's span count is known before it is stored: no recount afterwards.
            layer_rows = [(d, a, wanted[(d, a)], len(kept[(d, a)]), now_text) for d, a in fresh]
            existing.update(zip(fresh, insert_with_ids(session, Layer, LAYER_COLUMNS, layer_rows), strict=True))
        encode_json = self.encoder.json
        empty = self.encoder.empty_json
        rows = []
        for key, spans in kept.items():
            lid = existing[key]
            for label_id, count in Counter(labels[s.label] for s in spans).items():
                self.tallies.add(key[1], label_id, now, count)
            rows.extend([
                (lid, s.start, s.end, labels[s.label], s.text, encode_json(s.attributes) if s.attributes else empty,
                 s.note, now_text, now_text)
                for s in spans
            ])
        if rows and span_ids:  # relations point at these spans: learn their ids from the insert
            key_of_layer = {lid: key for key, lid in existing.items()}
            for row, span_id in zip(rows, insert_with_ids(session, Span, SPAN_COLUMNS, rows), strict=True):
                ids_of_layer = span_ids.get(key_of_layer[row[0]])
                if ids_of_layer is not None:
                    ids_of_layer[(row[1], row[2], row[3])] = span_id
            self.counts.spans += len(rows)
        elif rows:
            insert_encoded(session, Span, SPAN_COLUMNS, rows)
            self.counts.spans += len(rows)
        if rows:
            self.marks.documents.update(key[0] for key, spans in kept.items() if spans)
        reused = set(existing.values()) - {existing[key] for key in fresh}
        self._store_structure(batch, doc_ids, existing, span_ids, reused)
        self.file_layers.update(existing.values())
        reviewed = [(existing[(doc_ids[item.document.text_sha256], self.annotator_ids[layer.annotator])], layer.review)
                    for item in batch for layer in item.layers if layer.annotator and layer.review is not None]
        if reviewed:  # rare (a curator's verdicts): the ORM path, one row per reviewed layer
            from annotator.store.assignments import store_review

            for layer_id, review in reviewed:
                store_review(session, layer_id, review)

    def _store_structure(self, batch: list[AnnotatedDocument], doc_ids: dict[str, int],
                         layer_ids: dict[tuple[int, int], int],
                         span_ids: dict[tuple[int, int], dict[tuple[int, int, int], int]], reused: set[int]) -> None:
        """Fields and relations of the batch's layers, relation indexes resolved to the stored spans' ids."""
        labels = self.labels
        placed = []
        for item in batch:
            for layer in item.layers:
                if not layer.annotator or not (layer.doc_fields or layer.relations):
                    continue
                key = (doc_ids[item.document.text_sha256], self.annotator_ids[layer.annotator])
                ids = span_ids.get(key, {})
                placed.append((layer_ids[key], layer,
                               [ids[(s.start, s.end, labels[s.label])] for s in layer.spans] if layer.relations else []))
        if placed:
            self.structure.store(placed, reused)

    def _repeated(self, span: SpanRecord, annotator: str, line: int | None) -> None:
        """Count a span the file gives twice for one layer, and say where (the first few per file)."""
        self.counts.spans_repeated += 1
        if self.counts.spans_repeated <= REPEAT_NOTICES:
            quote = " ".join(span.text.split())
            quote = quote if len(quote) <= 40 else quote[:39] + "…"
            self.notice(f"span {span.start}-{span.end} {span.label!r} (“{quote}”) is given more than once for "
                        f"{annotator}'s layer; skipped (a layer holds each span once)", line)

    def finish(self) -> None:
        """Rebuild deferred indexes; recount spans of every layer that existed before and got spans."""
        left_out = self.counts.spans_repeated - REPEAT_NOTICES
        if left_out > 0:
            self.notice(f"{plural(left_out, 'more repeated span')} skipped", None)
        self.span_indexes.restore()
        self.marks.finish()
        self.tallies.restore()
        layer_ids = sorted(self.recount_layers)
        count = select(func.count(Span.id)).where(Span.layer_id == Layer.id).scalar_subquery()
        for i in range(0, len(layer_ids), 500):
            chunk = layer_ids[i : i + 500]
            self.session.execute(update(Layer).where(Layer.id.in_(chunk)).values(span_count=count))
