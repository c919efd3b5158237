"""Annotator roles (team mode) and full-text search of documents.

Revision ID: 0002
Revises: 0001

Roles decide who may write the gold layer. Search uses SQLite's FTS5 as an external-content index; new
documents are indexed in batches after an import (``annotator.store.search.update_search_index``), not by
a per-row trigger, because indexing inside the import would double its time. ``search_index`` remembers
the last document indexed. On PostgreSQL a GIN expression index over ``to_tsvector('simple', ...)`` serves
the same queries and is maintained by the server.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("annotators") as batch:
        batch.add_column(sa.Column("role", sa.String(20), nullable=False, server_default="annotator"))
    # The first annotator of an existing database owns it.
    op.execute("UPDATE annotators SET role = 'admin' WHERE id = (SELECT MIN(id) FROM annotators)")
    op.create_table(
        "search_index",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("last_document_id", sa.Integer(), nullable=False),
    )
    op.execute("INSERT INTO search_index (id, last_document_id) SELECT 1, coalesce(max(id), 0) FROM documents")
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE documents_fts USING fts5("
            "title, text, content='documents', content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
        )
        op.execute("INSERT INTO documents_fts(rowid, title, text) SELECT id, title, text FROM documents")
        op.execute(
            "CREATE TRIGGER documents_fts_ad AFTER DELETE ON documents BEGIN "
            "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
            "VALUES ('delete', old.id, old.title, old.text); END"
        )
        op.execute(
            "CREATE TRIGGER documents_fts_au AFTER UPDATE OF title, text ON documents BEGIN "
            "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
            "VALUES ('delete', old.id, old.title, old.text); "
            "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END"
        )
    elif dialect == "postgresql":
        op.execute(
            "CREATE INDEX ix_documents_search ON documents USING GIN "
            "(to_tsvector('simple', coalesce(title, '') || ' ' || text))"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("documents_fts_ad", "documents_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS documents_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_documents_search")
    op.drop_table("search_index")
    with op.batch_alter_table("annotators") as batch:
        batch.drop_column("role")
