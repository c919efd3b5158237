"""Article sources: plain text, Markdown and HTML pages become documents without annotations.

For ``.txt`` and ``.md`` the whole decoded file is the canonical text and the first non-empty line is its
title. For HTML the main article text, title, date and URL come from trafilatura, which is built for news
pages (it drops navigation, adverts and scripts); the HTML itself is never rendered or stored.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from annotator.core.decoding import MAX_ARTICLE_BYTES, read_text_file
from annotator.core.errors import AnnotatorError, printable
from annotator.core.formats.base import Format, ReadContext, register
from annotator.core.model import AnnotatedDocument, DocumentRecord, doc_id_for
from annotator.core.text import canonicalize, first_line_title, text_sha256

ARTICLE_MAX_BYTES = MAX_ARTICLE_BYTES
"""A single article file larger than this is refused: news articles are kilobytes, a 200 MB "article" is
a mistake (a log, a dump), and the editor could not show it anyway. Corpora go in JSONL, which streams."""


def document_from_text(text: str, meta: Mapping[str, object]) -> DocumentRecord:
    sha = text_sha256(text)
    return DocumentRecord(doc_id_for(sha), text, sha, {k: v for k, v in meta.items() if v not in (None, "")})


def _report_encoding(ctx: ReadContext, encoding: str, detected: bool) -> None:
    if detected:
        ctx.notice(f"not UTF-8; read as {encoding} (detected)")


class PlainText(Format):
    name = "text"
    description = "plain text or Markdown article (the whole file is the text)"
    extensions = (".txt", ".md", ".markdown", ".text")
    can_read = True

    def read(self, path: Path, ctx: ReadContext) -> Iterator[AnnotatedDocument | AnnotatorError]:
        decoded = read_text_file(path, max_bytes=ARTICLE_MAX_BYTES)
        _report_encoding(ctx, decoded.encoding, decoded.detected)
        text = canonicalize(decoded.text)
        if not text.strip():
            raise ctx.error("the file holds only whitespace")
        meta = {"title": first_line_title(text) or printable(path.stem), "filename": printable(path.name)}
        yield AnnotatedDocument(document_from_text(text, meta))


class HtmlArticle(Format):
    name = "html"
    description = "HTML news page (main text, title, date and URL extracted)"
    extensions = (".html", ".htm", ".xhtml")
    can_read = True

    def read(self, path: Path, ctx: ReadContext) -> Iterator[AnnotatedDocument | AnnotatorError]:
        decoded = read_text_file(path, max_bytes=ARTICLE_MAX_BYTES)
        _report_encoding(ctx, decoded.encoding, decoded.detected)
        yield AnnotatedDocument(extract_article(decoded.text, path.name, ctx))


def extract_article(html: str, filename: str, ctx: ReadContext) -> DocumentRecord:
    """Main text and metadata of a news page; refuses a page with no article text."""
    import trafilatura

    try:
        extracted = trafilatura.bare_extraction(
            html, include_comments=False, include_tables=True, with_metadata=True, favor_precision=True
        )
    except Exception as exc:  # trafilatura/lxml raise many types on malformed markup
        raise ctx.error(f"could not read the HTML ({exc.__class__.__name__})") from None
    if extracted is None:
        raise ctx.error("no article text found in this HTML page")
    data = extracted if isinstance(extracted, dict) else extracted.as_dict()
    # One blank line between paragraphs, as in the plain-text articles, for comfortable reading.
    paragraphs = [line.strip() for line in canonicalize(str(data.get("text") or "")).split("\n")]
    body = "\n\n".join(p for p in paragraphs if p)
    if not body.strip():
        raise ctx.error("no article text found in this HTML page")
    title = str(data.get("title") or "").strip()
    meta = {
        "title": title or first_line_title(body),
        "source": data.get("sitename") or data.get("hostname"),
        "url": data.get("url"),
        "published": data.get("date"),
        "filename": printable(filename),
    }
    return document_from_text(body, meta)


register(PlainText())
register(HtmlArticle())
