"""Documents as stored: one row per distinct text, found by its hash or its public id.

Why a module of its own: a document is identified by its text (the same article imported twice is one
document) while its public ``doc_id`` must stay unique, and the column values built here are shared by
the single insert below and the bulk import (``store.importing``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotator.core.model import DocumentRecord
from annotator.store.models import Document, utcnow


def document_values(record: DocumentRecord) -> dict[str, Any]:
    """Column values of a document row from a record (shared by single and bulk inserts)."""
    meta = record.meta
    return {
        "doc_id": record.doc_id,
        "text_sha256": record.text_sha256,
        "text": record.text,
        "length": len(record.text),
        "title": str(meta.get("title") or "")[:500],
        "source": _opt(meta.get("source"), 500),
        "url": _opt(meta.get("url"), None),
        "published": _opt(meta.get("published"), 40),
        "filename": _opt(meta.get("filename"), 500),
        "meta": {k: v for k, v in meta.items() if k not in ("title", "source", "url", "published", "filename")},
        "created": utcnow(),
    }


def _opt(value: object, limit: int | None) -> str | None:
    if value in (None, ""):
        return None
    text = str(value)
    return text if limit is None else text[:limit]


def document_record(row: Document) -> DocumentRecord:
    meta: dict[str, Any] = {
        "title": row.title,
        "source": row.source,
        "url": row.url,
        "published": row.published,
        "filename": row.filename,
    }
    meta.update(row.meta or {})
    return DocumentRecord(row.doc_id, row.text, row.text_sha256, {k: v for k, v in meta.items() if v not in (None, "")})


def count_documents(session: Session) -> int:
    return session.scalar(select(func.count(Document.id))) or 0


def find_document(session: Session, *, sha256: str | None = None, doc_id: str | None = None) -> Document | None:
    if sha256 is not None:
        row = session.scalar(select(Document).where(Document.text_sha256 == sha256))
        if row is not None:
            return row
    if doc_id is not None:
        return session.scalar(select(Document).where(Document.doc_id == doc_id))
    return None


def add_document(session: Session, record: DocumentRecord) -> tuple[Document, bool]:
    """Store a document unless the same text is already there; returns the row and whether it is new.

    A ``doc_id`` already used by a *different* text gets a suffix, so ids stay unique without losing either.
    """
    existing = find_document(session, sha256=record.text_sha256)
    if existing is not None:
        return existing, False
    values = document_values(record)
    values["doc_id"] = unique_doc_id(session, record.doc_id, record.text_sha256)
    row = Document(**values)
    session.add(row)
    session.flush()
    return row, True


def unique_doc_id(session: Session, wanted: str, sha256: str) -> str:
    if session.scalar(select(Document.id).where(Document.doc_id == wanted)) is None:
        return wanted
    return f"{wanted}-{sha256[:8]}"
