"""Learned suggestions: the trained model, rejected suggestions, and pattern rules.

Revision ID: 0007
Revises: 0006

The recommender (``annotator/core/model_suggest``) is trained from the team's own layers; its bytes live
in the database with what it was trained on and its held-out scores, so every analyst of a PostgreSQL
team uses the same model. A rejected suggestion is remembered per document and annotator: it is not
offered to them again and is negative evidence at the next training. Pattern rules (one
``patterns.jsonl`` line each) suggest before any model exists. Portable SQL, no dialect branches.

"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "suggestion_models",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("trained_by", sa.String(100), nullable=False),
        sa.Column("trained_on", sa.JSON(), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "suggestion_rejections",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("annotator_id", sa.Integer(), sa.ForeignKey("annotators.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end_", sa.Integer(), nullable=False),
        sa.Column("label_key", sa.String(64), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("document_id", "annotator_id", "start", "end_", "label_key",
                            name="uq_suggestion_rejection"),
    )
    op.create_table(
        "suggestion_patterns",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("label_key", sa.String(64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("suggestion_patterns")
    op.drop_table("suggestion_rejections")
    op.drop_table("suggestion_models")
