"""Indexes on document titles and dates, so the document list sorted by either opens without a full sort.

Revision ID: 0009
Revises: 0008

The document list can be sorted by a column (``store/queries.py``: ``sorted_page``). Without an index,
the first page of a title or date sort reads and sorts every document's key (a temporary B-tree over the
whole corpus); with these it walks the index from either end and stops after one page, and SQLite finds
a page deep in the list by counting index entries without reading the articles. Status and span count
come from the acting annotator's layer (an outer join) and cannot use an index on documents.
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX IF NOT EXISTS ix_documents_title ON documents (title)")
    op.execute("CREATE INDEX IF NOT EXISTS ix_documents_published ON documents (published)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_documents_published")
    op.execute("DROP INDEX IF EXISTS ix_documents_title")
