"""A password someone else chose must be changed at the first log-in.

Revision ID: d3a5c7e9f1b2
Revises: b7e2d4f6a8c1
Create Date: 2026-12-02 06:05:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d3a5c7e9f1b2"
down_revision = "b7e2d4f6a8c1"
branch_labels = None
depends_on = None


def upgrade():
    # Accounts that exist already keep their password: their people have logged in with it.
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade():
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_column("must_change_password")
