"""Curation decisions: disagreement groups a curator rejected (resolved with nothing in gold).

Revision ID: 0003
Revises: 0002

Accepted groups are visible in the gold layer itself; a rejection leaves gold untouched, so without this
table it lived only in the open curation window. Portable SQL: one plain table, no dialect branches.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "curation_decisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end_", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("curator", sa.String(100), nullable=True),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("document_id", "start", "end_", name="uq_curation_decision_group"),
    )


def downgrade() -> None:
    op.drop_table("curation_decisions")
