"""Project settings: small (key, value) choices a lead makes for the whole database, such as blind mode.

Revision ID: 0011
Revises: 0010

One row per setting, the key unique; an absent row means "the default" (``store/project_settings.py``
says which), so an old database needs no data written. An ``id`` column like every other table's, so
``db copy`` streams it in id order as it does the rest. Portable SQL, no dialect branches.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "project_settings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(64), nullable=False, unique=True),
        sa.Column("value", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("project_settings")
