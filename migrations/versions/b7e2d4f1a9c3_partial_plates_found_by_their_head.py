"""Partial plates: each plate keeps its first two characters, indexed with its text.

Revision ID: b7e2d4f1a9c3
Revises: d24df04b0dc6
Create Date: 2026-12-02 06:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b7e2d4f1a9c3"
down_revision = "d24df04b0dc6"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("plate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("head", sa.String(length=2), nullable=True))
    # substr counts characters on both SQLite and PostgreSQL, so Å, Ä and Ö count as one.
    op.execute("UPDATE plate SET head = substr(text, 1, 2)")
    with op.batch_alter_table("plate", schema=None) as batch_op:
        batch_op.alter_column("head", existing_type=sa.String(length=2), nullable=False)
        batch_op.create_index(
            "ix_plate_head_text_report_id", ["head", "text", "report_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("plate", schema=None) as batch_op:
        batch_op.drop_index("ix_plate_head_text_report_id")
        batch_op.drop_column("head")
