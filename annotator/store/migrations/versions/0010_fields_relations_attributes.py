"""Richer schemes: typed attribute definitions, document fields and their values, relation types and relations.

Revision ID: 0010
Revises: 0009

Attribute definitions are a JSON list on each label (read and written only with the whole scheme). Fields
and relation types are scheme tables of their own; a field's value is one row per (layer, field), because
each analyst judges the document; a relation is one row linking two spans of one layer and disappears
with either span (ON DELETE CASCADE; SQLite connections enable foreign keys). Portable SQL.

"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN with a constant default (no table rebuild: spans point at labels).
    op.add_column("labels", sa.Column("attribute_defs", sa.JSON(), nullable=False, server_default="[]"))
    op.create_table(
        "field_defs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("guideline", sa.Text(), nullable=False),
        sa.Column("shortcut", sa.String(40), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
    )
    op.create_table(
        "relation_types",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("color", sa.String(7), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("directed", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
    )
    op.create_table(
        "layer_fields",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("layer_id", sa.Integer(), sa.ForeignKey("layers.id", ondelete="CASCADE"), nullable=False),
        sa.Column("field_id", sa.Integer(), sa.ForeignKey("field_defs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("layer_id", "field_id", name="uq_layer_field"),
    )
    op.create_table(
        "relations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("layer_id", sa.Integer(), sa.ForeignKey("layers.id", ondelete="CASCADE"), nullable=False),
        sa.Column("source_span_id", sa.Integer(), sa.ForeignKey("spans.id", ondelete="CASCADE"), nullable=False),
        sa.Column("target_span_id", sa.Integer(), sa.ForeignKey("spans.id", ondelete="CASCADE"), nullable=False),
        sa.Column("type_id", sa.Integer(), sa.ForeignKey("relation_types.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("source_span_id", "target_span_id", "type_id", name="uq_relation_ends_type"),
    )
    op.create_index("ix_relations_layer", "relations", ["layer_id"])
    op.create_index("ix_relations_target", "relations", ["target_span_id"])


def downgrade() -> None:
    op.drop_index("ix_relations_target", table_name="relations")
    op.drop_index("ix_relations_layer", table_name="relations")
    op.drop_table("relations")
    op.drop_table("layer_fields")
    op.drop_table("relation_types")
    op.drop_table("field_defs")
    with op.batch_alter_table("labels") as batch:
        batch.drop_column("attribute_defs")
