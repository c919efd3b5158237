"""A narrow index of document ids, so the document list counts and pages without reading the documents.

Revision ID: 0006
Revises: 0005

On SQLite the documents table is stored in id order with each article's text inline, so counting the
documents, counting those before one of them, or skipping to the 900,000th read the articles' pages
(a 1,000,000-document file is about 1 GB): 40 ms, 110 ms and 190 ms. An index on ``id`` alone holds
just the integers (about 15 MB there) and SQLite reads it instead: 4 ms, 27 ms and 14 ms. The app's
document list relies on it to open without loading every id (``store/queries.py``).

PostgreSQL's primary-key index already serves these queries, so nothing changes on a server.
Building the index reads every document once; the first open of a large file after the upgrade takes
correspondingly longer (about a second per million documents).
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("CREATE INDEX IF NOT EXISTS ix_documents_id ON documents (id)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP INDEX IF EXISTS ix_documents_id")
