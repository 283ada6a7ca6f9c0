"""The lägesbild: anonymous counts of the reports, and the training line of the public page.

The counts are filled from the reports stored today, so that the lägesbild starts with them.

Revision ID: b7e4d2a9c610
Revises: b7e2d4f1a9c3
Create Date: 2026-12-02 06:00:00.000000

"""

from collections import Counter, defaultdict
from datetime import UTC

import sqlalchemy as sa
from alembic import op

from pwa.situation.counts import add, counted_values, rows_of, tally_of

# revision identifiers, used by Alembic.
revision = "b7e4d2a9c610"
down_revision = "b7e2d4f1a9c3"
branch_labels = None
depends_on = None

#: Reports read at a time while filling the counts.
BATCH = 1000


def upgrade():
    daily = op.create_table(
        "daily_count",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("harbour_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Integer(), nullable=False),
        sa.Column("cross_harbour", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["harbour_id"], ["harbour.id"], name=op.f("fk_daily_count_harbour_id_harbour")
        ),
        sa.PrimaryKeyConstraint("day", "harbour_id", "category", name=op.f("pk_daily_count")),
    )
    hourly = op.create_table(
        "hourly_count",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("harbour_id", sa.Integer(), nullable=False),
        sa.Column("hour", sa.SmallInteger(), nullable=False),
        sa.Column("weekday", sa.SmallInteger(), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["harbour_id"], ["harbour.id"], name=op.f("fk_hourly_count_harbour_id_harbour")
        ),
        sa.PrimaryKeyConstraint("day", "harbour_id", "hour", name=op.f("pk_hourly_count")),
    )
    monthly = op.create_table(
        "monthly_count",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("harbour_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Integer(), nullable=False),
        sa.Column("cross_harbour", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["harbour_id"], ["harbour.id"], name=op.f("fk_monthly_count_harbour_id_harbour")
        ),
        sa.PrimaryKeyConstraint("month", "harbour_id", "category", name=op.f("pk_monthly_count")),
    )
    monthly_hours = op.create_table(
        "monthly_hour_count",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("harbour_id", sa.Integer(), nullable=False),
        sa.Column("hour", sa.SmallInteger(), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["harbour_id"], ["harbour.id"], name=op.f("fk_monthly_hour_count_harbour_id_harbour")
        ),
        sa.PrimaryKeyConstraint("month", "harbour_id", "hour", name=op.f("pk_monthly_hour_count")),
    )
    monthly_weekdays = op.create_table(
        "monthly_weekday_count",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("harbour_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.SmallInteger(), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["harbour_id"],
            ["harbour.id"],
            name=op.f("fk_monthly_weekday_count_harbour_id_harbour"),
        ),
        sa.PrimaryKeyConstraint(
            "month", "harbour_id", "weekday", name=op.f("pk_monthly_weekday_count")
        ),
    )
    counted = op.create_table(
        "counted_report",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("hour", sa.SmallInteger(), nullable=False),
        sa.Column("harbour_id", sa.Integer(), nullable=False),
        sa.Column("categories", sa.String(length=200), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("cross_harbour", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["report.id"],
            name=op.f("fk_counted_report_report_id_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("report_id", name=op.f("pk_counted_report")),
    )
    op.create_table(
        "training_line",
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("language", name=op.f("pk_training_line")),
    )
    fill(op.get_bind(), [daily, hourly, monthly, monthly_hours, monthly_weekdays], counted)


def fill(connection, count_tables, counted):
    """Count the reports stored today, as the report endpoint would have counted them."""
    report = sa.table(
        "report",
        sa.column("id", sa.Integer),
        sa.column("harbour_id", sa.Integer),
        sa.column("observed_at", sa.DateTime),
        sa.column("categories", sa.JSON),
        sa.column("status", sa.String),
        sa.column("police_case_number", sa.String),
    )
    plate = sa.table("plate", sa.column("report_id", sa.Integer), sa.column("text", sa.String))
    # The harbours each plate was named at: a report is cross-harbour if one of its plates was
    # named at another harbour too.
    harbours_of = defaultdict(set)
    plates_of = defaultdict(set)
    for report_id, harbour_id, text in connection.execute(
        sa.select(plate.c.report_id, report.c.harbour_id, plate.c.text).join(
            report, report.c.id == plate.c.report_id
        )
    ):
        harbours_of[text].add(harbour_id)
        plates_of[report_id].add(text)
    daily, hourly = Counter(), Counter()
    last = 0
    while True:
        rows = connection.execute(
            sa.select(report).where(report.c.id > last).order_by(report.c.id).limit(BATCH)
        ).all()
        if not rows:
            break
        last = rows[-1].id
        tallies = []
        for row in rows:
            tally = tally_of(
                row.observed_at.replace(tzinfo=UTC),
                row.harbour_id,
                row.categories,
                row.status,
                row.police_case_number,
                any(harbours_of[text] - {row.harbour_id} for text in plates_of[row.id]),
            )
            tallies.append(counted_values(row.id, tally))
            add(tally, 1, daily, hourly)
        connection.execute(counted.insert(), tallies)
    # The tables as this revision made them, in the order of the app's COUNT_MODELS.
    for table, rows in zip(count_tables, rows_of(daily, hourly).values(), strict=True):
        if rows:
            connection.execute(table.insert(), rows)


def downgrade():
    op.drop_table("training_line")
    op.drop_table("counted_report")
    op.drop_table("monthly_weekday_count")
    op.drop_table("monthly_hour_count")
    op.drop_table("monthly_count")
    op.drop_table("hourly_count")
    op.drop_table("daily_count")
