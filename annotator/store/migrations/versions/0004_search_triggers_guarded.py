"""Search index triggers touch only documents that are already in the index.

Revision ID: 0004
Revises: 0003

Documents reach SQLite's FTS5 index in batches after imports (``store/search.py``). The delete and update
triggers of 0002 sent FTS5 a 'delete' for every row, including rows not yet indexed, which corrupts an
external-content FTS5 table ("database disk image is malformed"). The triggers now act only on rows at or
below the index's high-water mark; rows above it are picked up by the next batch as they are.
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

INDEXED = "old.id <= (SELECT last_document_id FROM search_index WHERE id = 1)"


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER IF EXISTS documents_fts_ad")
    op.execute("DROP TRIGGER IF EXISTS documents_fts_au")
    op.execute(
        f"CREATE TRIGGER documents_fts_ad AFTER DELETE ON documents WHEN {INDEXED} BEGIN "
        "INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); END"
    )
    op.execute(
        f"CREATE TRIGGER documents_fts_au AFTER UPDATE OF title, text ON documents WHEN {INDEXED} BEGIN "
        "INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); "
        "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER IF EXISTS documents_fts_ad")
    op.execute("DROP TRIGGER IF EXISTS documents_fts_au")
    op.execute(
        "CREATE TRIGGER documents_fts_ad AFTER DELETE ON documents BEGIN "
        "INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); END"
    )
    op.execute(
        "CREATE TRIGGER documents_fts_au AFTER UPDATE OF title, text ON documents BEGIN "
        "INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); "
        "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END"
    )
