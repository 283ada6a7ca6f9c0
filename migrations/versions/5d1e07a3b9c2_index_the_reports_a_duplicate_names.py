"""Index the report a duplicate names, so that deleting old reports stays fast.

Revision ID: 5d1e07a3b9c2
Revises: 143ea2a74726
Create Date: 2026-11-24 17:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5d1e07a3b9c2"
down_revision = "143ea2a74726"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.create_index(
            "ix_report_duplicate_of_id",
            ["duplicate_of_id"],
            unique=False,
            sqlite_where=sa.text("duplicate_of_id IS NOT NULL"),
            postgresql_where=sa.text("duplicate_of_id IS NOT NULL"),
        )


def downgrade():
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_report_duplicate_of_id",
            sqlite_where=sa.text("duplicate_of_id IS NOT NULL"),
            postgresql_where=sa.text("duplicate_of_id IS NOT NULL"),
        )
