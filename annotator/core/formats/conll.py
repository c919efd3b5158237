"""CoNLL IOB2 export: one token per line (``token<TAB>tag``), a blank line between sentences.

Tokens come from :mod:`annotator.core.tokenize`; a sentence is a line of the text, except that a span
crossing a line break keeps its sentences together (reported): an ``I-`` tag opening a sentence is
invalid IOB2, which strict readers (seqeval's strict mode) split into two spans. The ``# doc_id = …`` and
``# annotator = …`` comment lines before each (document, layer) are written only on request
(``--conll-comments``): NLTK's ``ConllCorpusReader`` and other plain CoNLL readers take them for tokens.
IOB2 gives each token one
tag, so it cannot express overlapping spans: the longest (then earliest) span of an overlapping group is
kept and every dropped span is listed in the report. A span whose ends fall inside a token is widened
to the tokens it touches, and reported; a span covering no token (only whitespace) is dropped, and
reported. Nothing is dropped silently.

Import is not offered: tokens do not record the whitespace between them, so the original text (and with
it every code-point offset and the document's hash) cannot be rebuilt. Use native JSONL to move
annotations between databases.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from pathlib import Path

from annotator.core.formats._shared import short
from annotator.core.formats.base import Format, WriteReport, register
from annotator.core.formats.structure import drop_fields_and_relations
from annotator.core.model import AnnotatedDocument, LayerRecord, SpanRecord
from annotator.core.scheme import Scheme
from annotator.core.tokenize import Token, sentence_breaks, tokenize


def choose_non_overlapping(spans: Iterable[SpanRecord]) -> tuple[list[SpanRecord], list[SpanRecord]]:
    """Split spans into a kept non-overlapping set (longest first, then earliest) and the dropped rest.

    Used by every format that allows one label per character position (CoNLL, spaCy ``doc.ents``).
    """
    ordered = sorted(spans, key=lambda s: (-(s.end - s.start), s.start, s.label))
    kept: list[SpanRecord] = []
    dropped: list[SpanRecord] = []
    taken: list[tuple[int, int]] = []  # sorted, disjoint
    for span in ordered:
        i = bisect_left(taken, (span.start, span.start))
        clash = (i > 0 and taken[i - 1][1] > span.start) or (i < len(taken) and taken[i][0] < span.end)
        if clash:
            dropped.append(span)
        else:
            taken.insert(i, (span.start, span.end))
            kept.append(span)
    kept.sort(key=lambda s: (s.start, s.end))
    return kept, dropped


def iob2_tags(text: str, tokens: list[Token], layer: LayerRecord | None, where: str,
              report: WriteReport) -> list[str]:
    """One IOB2 tag per token; every span that cannot be expressed exactly is reported."""
    tags = ["O"] * len(tokens)
    if layer is None or not layer.spans:
        return tags
    starts = [t.start for t in tokens]
    ends = [t.end for t in tokens]
    # Widen to token boundaries first, so overlap is judged on what would actually be written.
    widened: list[SpanRecord] = []
    original: dict[int, SpanRecord] = {}
    for span in layer.spans:
        first = bisect_right(ends, span.start)  # first token ending after the span starts
        last = bisect_left(starts, span.end) - 1  # last token starting before the span ends
        desc = f"{where}: span {span.start}-{span.end} {span.label} {short(text[span.start:span.end])!r}"
        if first > last:
            report.problems.append(f"{desc} covers no token; dropped")
            continue
        s, e = tokens[first].start, tokens[last].end
        if (s, e) != (span.start, span.end):
            report.problems.append(f"{desc} is not on token boundaries; written as {s}-{e} {short(text[s:e])!r}")
        w = SpanRecord(start=s, end=e, label=span.label, text=text[s:e])
        original[id(w)] = span
        widened.append(w)
    kept, dropped = choose_non_overlapping(widened)
    for w in dropped:
        span = original[id(w)]
        report.problems.append(
            f"{where}: span {span.start}-{span.end} {span.label} {short(span.text or text[span.start:span.end])!r} "
            "overlaps another span; dropped (IOB2 has one tag per token)")
    report.spans += len(kept)  # what the file holds, not what was asked for
    for w in kept:
        first = bisect_left(starts, w.start)
        last = bisect_left(starts, w.end) - 1
        tags[first] = "B-" + w.label
        for k in range(first + 1, last + 1):
            tags[k] = "I-" + w.label
    return tags


def _one_line(value: str) -> str:
    return " ".join(value.split())


class Conll(Format):
    name = "conll"
    description = "CoNLL IOB2 (token<TAB>tag), export only; overlapping spans are reported and dropped"
    extensions = (".conll", ".iob")
    offset_unit = "tokens"
    can_read = False
    can_write = True
    comments: bool = False
    """Write ``# doc_id`` / ``# annotator`` comment lines (CoNLL-U style) before each block."""

    def with_comments(self) -> Conll:
        """The same format writing the comment lines (``--conll-comments``)."""
        variant = Conll()
        variant.comments = True
        return variant

    def write(self, docs: Iterable[AnnotatedDocument], out: Path, scheme: Scheme) -> WriteReport:
        report = WriteReport()
        with open(out, "w", encoding="utf-8", newline="\n") as stream:
            for item in docs:
                doc = item.document
                tokens = tokenize(doc.text)
                breaks = set(sentence_breaks(doc.text, tokens))
                layers: list[LayerRecord | None] = list(item.layers) or [None]
                for layer in layers:
                    annotator = layer.annotator if layer is not None else None
                    where = f"{doc.doc_id} ({annotator or 'no annotator'})"
                    tags = iob2_tags(doc.text, tokens, layer, where, report)
                    if layer is not None:
                        drop_fields_and_relations(report, layer, "CoNLL")
                        report.drop("span attributes", "CoNLL has one tag per token",
                                    sum(len(span.attributes) for span in layer.spans))
                    if self.comments:
                        stream.write(f"# doc_id = {_one_line(doc.doc_id)}\n")
                        if annotator:
                            stream.write(f"# annotator = {_one_line(annotator)}\n")
                    for i, (token, tag) in enumerate(zip(tokens, tags, strict=True)):
                        if i in breaks and tag.startswith("I-"):
                            report.problems.append(
                                f"{where}: a {tag[2:]} span crosses the line break before {short(token.text)!r}; "
                                "its sentences are written as one (an I- tag cannot open a sentence in IOB2)")
                        elif i in breaks:
                            stream.write("\n")
                        stream.write(f"{token.text}\t{tag}\n")
                    stream.write("\n")
                report.documents += 1
        return report


register(Conll())
