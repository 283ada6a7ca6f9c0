"""The anonymous counts of the lägesbild, which outlive the reports, and the training line.

The counts hold no report id, client_id, reference, plate, position, phone number or free
text: only a day, an hour, a harbour, a category and how many. Only CountedReport names a
report, to know what that report has added to the counts; it is deleted with the report.

Each day's counts are summed per month too, kept alongside: ten years of a page are then
read from 120 months and at most two part-months of days, not from 3,650 days.
"""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models import UTCDateTime, utc_now

#: The category of the row that counts each report once, whatever it was about.
ALL = ""


class DailyCount(db.Model):
    """How many reports were seen on a day at a harbour: all of them, and per category."""

    #: Local date of the observation in Oxelösund.
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    harbour_id: Mapped[int] = mapped_column(ForeignKey("harbour.id"), primary_key=True)
    #: A key of submission.CATEGORIES, or ALL: a report with two categories adds one to each
    #: and one to ALL, so that totals are never counted twice.
    category: Mapped[str] = mapped_column(String(20), primary_key=True)
    reports: Mapped[int] = mapped_column(default=0)
    #: Of these, passed to the police (and not taken back).
    passed: Mapped[int] = mapped_column(default=0)
    #: Of these, named a plate that a report of another harbour named too.
    cross_harbour: Mapped[int] = mapped_column(default=0)


class HourlyCount(db.Model):
    """How many reports were seen in an hour of a day at a harbour."""

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    harbour_id: Mapped[int] = mapped_column(ForeignKey("harbour.id"), primary_key=True)
    #: 0 to 23, local time.
    hour: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    #: Monday is 0, as date.weekday(): grouped alike on SQLite and PostgreSQL.
    weekday: Mapped[int] = mapped_column(SmallInteger)
    reports: Mapped[int] = mapped_column(default=0)


class MonthlyCount(db.Model):
    """DailyCount summed per month."""

    #: The first of the month.
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    harbour_id: Mapped[int] = mapped_column(ForeignKey("harbour.id"), primary_key=True)
    category: Mapped[str] = mapped_column(String(20), primary_key=True)
    reports: Mapped[int] = mapped_column(default=0)
    passed: Mapped[int] = mapped_column(default=0)
    cross_harbour: Mapped[int] = mapped_column(default=0)


class MonthlyHourCount(db.Model):
    """HourlyCount summed per month and hour."""

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    harbour_id: Mapped[int] = mapped_column(ForeignKey("harbour.id"), primary_key=True)
    hour: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    reports: Mapped[int] = mapped_column(default=0)


class MonthlyWeekdayCount(db.Model):
    """HourlyCount summed per month and day of the week."""

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    harbour_id: Mapped[int] = mapped_column(ForeignKey("harbour.id"), primary_key=True)
    weekday: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    reports: Mapped[int] = mapped_column(default=0)


class CountedReport(db.Model):
    """What a report that still exists has added to the counts, so that a change of its
    status moves exactly that; it goes with the report (ON DELETE CASCADE)."""

    report_id: Mapped[int] = mapped_column(
        ForeignKey("report.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date)
    hour: Mapped[int] = mapped_column(SmallInteger)
    harbour_id: Mapped[int]
    #: The categories, sorted and comma-separated.
    categories: Mapped[str] = mapped_column(String(200))
    passed: Mapped[bool]
    cross_harbour: Mapped[bool]


class TrainingLine(db.Model):
    """When the contact persons' training is, as the public page says it, per language."""

    language: Mapped[str] = mapped_column(String(2), primary_key=True)
    #: One line, for example "Next training: 12 March 2027, 18:00 in the town hall".
    text: Mapped[str] = mapped_column(String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
