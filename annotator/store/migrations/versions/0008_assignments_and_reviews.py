"""Team workflow: who is assigned which document, and a curator's review of a done layer.

Revision ID: 0008
Revises: 0007

An assignment is one (document, analyst) pair, unique, so a document is never given to the same analyst
twice; ``store/assignments.py`` serialises whole assignment runs so two curators assigning at once never
both give the same unassigned document away. A review is one row per layer (approved or returned, by whom,
a comment, when): kept apart from ``layers`` so the tagging hot path's layer statements stay as they are.
Portable SQL, no dialect branches.

"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("annotator_id", sa.Integer(), sa.ForeignKey("annotators.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("assigned_by", sa.String(100), nullable=True),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("document_id", "annotator_id", name="uq_assignment_document_annotator"),
    )
    op.create_index("ix_assignments_annotator", "assignments", ["annotator_id", "document_id"])
    op.create_table(
        "layer_reviews",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("layer_id", sa.Integer(), sa.ForeignKey("layers.id", ondelete="CASCADE"), nullable=False,
                  unique=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("reviewer", sa.String(100), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("layer_reviews")
    op.drop_index("ix_assignments_annotator", table_name="assignments")
    op.drop_table("assignments")
