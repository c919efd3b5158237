"""Full-text search over documents: SQLite FTS5, PostgreSQL's text search, or a plain LIKE.

On SQLite new documents are added to the FTS5 index in one batch after an import rather than by a trigger
per row: indexing costs about as much as the import itself, and a batch keeps the import fast while the
app brings the index up to date in the background before the next search.
"""

from __future__ import annotations

from sqlalchemy import Select, false, func, literal_column, or_, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnClause, ColumnElement

from annotator.core.search_fold import FOLD_FROM, FOLD_TO
from annotator.core.search_query import Term, parse_search
from annotator.store.models import Document, SearchIndex


def _sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


# PostgreSQL matches an expression index only against the same expression, constants included, so the
# folding strings are written into the statement as literals (they are ours, never user input), exactly
# as migration 0005 wrote them into ix_documents_search.
_PG_FOLD_FROM: ColumnClause[str] = literal_column(_sql_literal(FOLD_FROM))
_PG_FOLD_TO: ColumnClause[str] = literal_column(_sql_literal(FOLD_TO))


def update_search_index(session: Session) -> int:
    """Index documents added since the last update; returns how many were added to the index."""
    if session.get_bind().dialect.name != "sqlite":
        return 0
    state = session.get(SearchIndex, 1)
    last = state.last_document_id if state is not None else 0
    newest = session.scalar(select(func.max(Document.id))) or 0
    if newest <= last:
        return 0
    session.execute(
        text("INSERT INTO documents_fts(rowid, title, text) SELECT id, title, text FROM documents WHERE id > :last"),
        {"last": last},
    )
    if state is None:
        session.add(SearchIndex(id=1, last_document_id=newest))
    else:
        state.last_document_id = newest
    session.flush()
    return newest - last


def pending_documents(session: Session) -> int:
    """How many documents are not yet in the index (0 on servers that index by themselves)."""
    if session.get_bind().dialect.name != "sqlite":
        return 0
    last = session.scalar(select(SearchIndex.last_document_id).where(SearchIndex.id == 1)) or 0
    return session.scalar(select(func.count(Document.id)).where(Document.id > last)) or 0


def filter_by_search(query: Select, session: Session, search: str) -> Select:
    """Restrict a select over ``Document`` to documents matching ``search`` (syntax: core/search_query.py).

    Raises AnnotatorError for syntax the search does not support. Never writes: on SQLite the caller
    brings the index up to date first (``update_search_index`` in a write transaction) unless the database
    is read-only, in which case what is indexed is searched.
    """
    parsed = parse_search(search)
    if parsed.empty:
        return query
    if parsed.matches_nothing():
        return query.where(false())  # only punctuation: nothing matches, on every database
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        matching = text("SELECT rowid FROM documents_fts WHERE documents_fts MATCH :q").bindparams(q=parsed.fts5())
        return query.where(Document.id.in_(matching.columns(rowid=Document.id.type).subquery().select()))
    if dialect == "postgresql":
        document = func.coalesce(Document.title, literal_column("''")) + literal_column("' '") + Document.text
        vector = func.to_tsvector(literal_column("'simple'"), func.translate(document, _PG_FOLD_FROM, _PG_FOLD_TO))
        return query.where(vector.op("@@")(func.to_tsquery("simple", parsed.tsquery())))
    # Any other database: LIKE, with the same meaning (every group, none of the exclusions).
    def like(term: Term) -> ColumnElement[bool]:
        pattern = f"%{term.text}%"
        return or_(Document.title.ilike(pattern), Document.text.ilike(pattern))

    for group in parsed.groups:
        query = query.where(or_(*(like(t) for t in group)))
    for term in parsed.excluded:
        query = query.where(~like(term))
    return query
