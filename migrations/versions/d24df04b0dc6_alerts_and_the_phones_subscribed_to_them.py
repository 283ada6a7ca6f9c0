"""Alerts from contact persons to boat owners, the phones subscribed to them, and the queue of
pushes still to be sent. Times are stored as UTC without a zone (pwa.models.UTCDateTime).

Revision ID: d24df04b0dc6
Revises: d3a5c7e9f1b2
Create Date: 2026-12-02 05:50:41.028225

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d24df04b0dc6"
down_revision = "d3a5c7e9f1b2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "push_subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("endpoint", sa.String(length=1000), nullable=False),
        sa.Column("p256dh", sa.String(length=100), nullable=False),
        sa.Column("auth", sa.String(length=50), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("quiet_from", sa.Integer(), nullable=True),
        sa.Column("quiet_until", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_subscription")),
        sa.UniqueConstraint("endpoint", name=op.f("uq_push_subscription_endpoint")),
    )
    op.create_table(
        "alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("harbour_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=80), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("title_en", sa.String(length=80), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.Column(
            "priority",
            sa.Enum("urgent", "information", name="alertpriority", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("sent_to", sa.Integer(), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["account.id"],
            name=op.f("fk_alert_author_id_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["harbour_id"], ["harbour.id"], name=op.f("fk_alert_harbour_id_harbour")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert")),
    )
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_ends_at"), ["ends_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_alert_harbour_id"), ["harbour_id"], unique=False)

    op.create_table(
        "subscription_harbour",
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("harbour_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["harbour_id"],
            ["harbour.id"],
            name=op.f("fk_subscription_harbour_harbour_id_harbour"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["push_subscription.id"],
            name=op.f("fk_subscription_harbour_subscription_id_push_subscription"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "subscription_id", "harbour_id", name=op.f("pk_subscription_harbour")
        ),
    )
    op.create_table(
        "push_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alert.id"],
            name=op.f("fk_push_delivery_alert_id_alert"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["push_subscription.id"],
            name=op.f("fk_push_delivery_subscription_id_push_subscription"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_delivery")),
        sa.UniqueConstraint("alert_id", "subscription_id", name=op.f("uq_push_delivery_alert_id")),
    )
    with op.batch_alter_table("push_delivery", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_push_delivery_due_at"), ["due_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_push_delivery_subscription_id"), ["subscription_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("push_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_push_delivery_subscription_id"))
        batch_op.drop_index(batch_op.f("ix_push_delivery_due_at"))

    op.drop_table("push_delivery")
    op.drop_table("subscription_harbour")
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_harbour_id"))
        batch_op.drop_index(batch_op.f("ix_alert_ends_at"))

    op.drop_table("alert")
    op.drop_table("push_subscription")
