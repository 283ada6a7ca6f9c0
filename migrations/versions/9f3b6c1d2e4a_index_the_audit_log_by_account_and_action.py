"""Index the audit log by account and by action, for the administrator's page of it.

Revision ID: 9f3b6c1d2e4a
Revises: 5d1e07a3b9c2
Create Date: 2026-11-24 19:00:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "9f3b6c1d2e4a"
down_revision = "5d1e07a3b9c2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_account_id_id", ["account_id", "id"], unique=False)
        batch_op.create_index("ix_audit_event_action_id", ["action", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_action_id")
        batch_op.drop_index("ix_audit_event_account_id_id")
