"""Accounts of contact persons, triage of reports, the audit log and scheduled tasks.

Revision ID: 143ea2a74726
Revises: c8ba30b97913
Create Date: 2026-11-24 16:34:00.234611

"""

import sqlalchemy as sa
from alembic import op

import pwa.models

# revision identifiers, used by Alembic.
revision = "143ea2a74726"
down_revision = "c8ba30b97913"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("created_at", pwa.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
        sa.UniqueConstraint("email", name=op.f("uq_account_email")),
    )
    op.create_table(
        "scheduled_task",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("last_run_at", pwa.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduled_task")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", pwa.models.UTCDateTime(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_audit_event_account_id_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_report_id_id", ["report_id", "id"], unique=False)

    op.create_table(
        "harbour_assignment",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("harbour_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_harbour_assignment_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["harbour_id"],
            ["harbour.id"],
            name=op.f("fk_harbour_assignment_harbour_id_harbour"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "harbour_id", name=op.f("pk_harbour_assignment")),
    )
    with op.batch_alter_table("plate", schema=None) as batch_op:
        batch_op.drop_index("ix_plate_text_country")
        batch_op.create_index("ix_plate_text_report_id", ["text", "report_id"], unique=False)

    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("read_at", pwa.models.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("ended_at", pwa.models.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("police_case_number", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("duplicate_of_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=False, server_default=""))
        batch_op.create_index(batch_op.f("ix_report_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_report_ended_at"), ["ended_at"], unique=False)
        batch_op.create_index("ix_report_harbour_id_id", ["harbour_id", "id"], unique=False)
        batch_op.create_index("ix_report_status_id", ["status", "id"], unique=False)
        batch_op.create_index(
            "ix_report_unread",
            ["harbour_id"],
            unique=False,
            sqlite_where=sa.text("read_at IS NULL"),
            postgresql_where=sa.text("read_at IS NULL"),
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_report_duplicate_of_id_report"),
            "report",
            ["duplicate_of_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_report_duplicate_of_id_report"), type_="foreignkey")
        batch_op.drop_index(
            "ix_report_unread",
            sqlite_where=sa.text("read_at IS NULL"),
            postgresql_where=sa.text("read_at IS NULL"),
        )
        batch_op.drop_index("ix_report_status_id")
        batch_op.drop_index("ix_report_harbour_id_id")
        batch_op.drop_index(batch_op.f("ix_report_ended_at"))
        batch_op.drop_index(batch_op.f("ix_report_created_at"))
        batch_op.drop_column("note")
        batch_op.drop_column("duplicate_of_id")
        batch_op.drop_column("police_case_number")
        batch_op.drop_column("ended_at")
        batch_op.drop_column("read_at")

    with op.batch_alter_table("plate", schema=None) as batch_op:
        batch_op.drop_index("ix_plate_text_report_id")
        batch_op.create_index("ix_plate_text_country", ["text", "country"], unique=False)

    op.drop_table("harbour_assignment")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_report_id_id")

    op.drop_table("audit_event")
    op.drop_table("scheduled_task")
    op.drop_table("account")
