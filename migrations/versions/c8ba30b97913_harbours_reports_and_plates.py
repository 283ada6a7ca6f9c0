"""Harbours, reports of observations and the plates they name.

Times are stored as UTC without a zone (pwa.models.UTCDateTime); the status is a string
with the enum's values, so that a new status needs no ALTER TYPE on PostgreSQL.

Revision ID: c8ba30b97913
Revises:
Create Date: 2026-11-24 14:27:45.588577

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c8ba30b97913"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "harbour",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_harbour")),
        sa.UniqueConstraint("name", name=op.f("uq_harbour_name")),
    )
    op.create_table(
        "report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=10), nullable=False),
        sa.Column("harbour_id", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("observed_at", sa.DateTime(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("vehicle", sa.Text(), nullable=False),
        sa.Column("direction", sa.String(length=200), nullable=False),
        sa.Column("what_happened", sa.Text(), nullable=False),
        sa.Column("latitude", sa.Double(), nullable=True),
        sa.Column("longitude", sa.Double(), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "received",
                "under_review",
                "passed_to_police",
                "closed",
                name="reportstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["harbour_id"], ["harbour.id"], name=op.f("fk_report_harbour_id_harbour")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report")),
        sa.UniqueConstraint("client_id", name=op.f("uq_report_client_id")),
        sa.UniqueConstraint("reference", name=op.f("uq_report_reference")),
    )
    op.create_table(
        "plate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=5), nullable=False),
        sa.Column("text", sa.String(length=10), nullable=False),
        sa.Column("uncertain", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_plate_report_id_report"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plate")),
    )
    with op.batch_alter_table("plate", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plate_report_id"), ["report_id"], unique=False)
        batch_op.create_index("ix_plate_text_country", ["text", "country"], unique=False)


def downgrade():
    with op.batch_alter_table("plate", schema=None) as batch_op:
        batch_op.drop_index("ix_plate_text_country")
        batch_op.drop_index(batch_op.f("ix_plate_report_id"))

    op.drop_table("plate")
    op.drop_table("report")
    op.drop_table("harbour")
