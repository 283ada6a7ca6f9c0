"""Keeping the counts: what each report adds to them, moved exactly when it changes, and kept
when the report is deleted.

A report is counted after it is stored, not by the request that stores it: whatever reads
the counts, changes a report's status or deletes reports first counts every report not yet
counted (catch_up, keep), many in a few statements, so that a report costs its sender nothing
for the lägesbild. One process counts at a time (take_turn).

Each report remembers what it added (CountedReport). Counting it again compares what it
should add now with what it added, and moves the difference: counting is idempotent, and the
counts equal the reports whatever the order of events. The counts themselves are sums per
day, harbour and category (DailyCount) and per day, harbour and hour (HourlyCount), small
enough to be summed for a page at a million reports.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache

from sqlalchemy import delete, exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, selectinload

from ..extensions import db
from ..formatting import LOCAL_TIME, local_today
from ..models import INSERTS, Plate, Report, ReportStatus, ScheduledTask, utc_now
from .models import (
    ALL,
    CountedReport,
    DailyCount,
    HourlyCount,
    MonthlyCount,
    MonthlyHourCount,
    MonthlyWeekdayCount,
)

#: The ScheduledTask row whose lock is the turn to count, and whose time is when the last
#: count began.
TURN = "counting"
TURN_MARGIN = timedelta(minutes=5)
#: The turn's time before any count of every report.
NEVER = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Tally:
    """What one report adds to the counts."""

    day: date
    hour: int
    harbour_id: int
    categories: tuple[str, ...]
    passed: bool
    cross_harbour: bool


def is_passed(status, case_number):
    """Tell whether a report counts as passed to the police: it is, or it was closed after it
    was (its case number kept). One set back to review or discarded was taken back."""
    status = ReportStatus(status)
    return status == ReportStatus.PASSED_TO_POLICE or (
        status == ReportStatus.CLOSED and case_number is not None
    )


def tally_of(observed_at: datetime, harbour_id, categories, status, case_number, cross_harbour):
    """Return what a report adds: its day and hour are those of the observation in Oxelösund."""
    local = observed_at.astimezone(LOCAL_TIME)
    return Tally(
        day=local.date(),
        hour=local.hour,
        harbour_id=harbour_id,
        categories=tuple(sorted(categories)),
        passed=is_passed(status, case_number),
        cross_harbour=bool(cross_harbour),
    )


def recount(reports, cross_harbour=frozenset()):
    """Count the reports as they are now: move what each adds if it changed, else nothing.

    A report's cross-harbour mark is kept once made, also when the other report is deleted:
    it says that a plate was seen at two harbours while both reports were kept. `cross_harbour`
    names reports known to have it, which need no look-up.
    """
    counted = {
        row.report_id: row
        for row in db.session.scalars(
            select(CountedReport).where(CountedReport.report_id.in_([r.id for r in reports]))
        )
    }
    daily, hourly = Counter(), Counter()
    for report in reports:
        before = counted.get(report.id)
        crossed = (
            report.id in cross_harbour
            or (before is not None and before.cross_harbour)
            or bool(report.plates and db.session.scalar(select(exists(sharing_plates(report)))))
        )
        after = tally_of(
            report.observed_at,
            report.harbour_id,
            report.categories,
            report.status,
            report.police_case_number,
            crossed,
        )
        if before is not None:
            old = tally_of_row(before)
            if old == after:
                continue
            add(old, -1, daily, hourly)
            for name, value in counted_values(report.id, after).items():
                setattr(before, name, value)
        else:
            db.session.add(CountedReport(**counted_values(report.id, after)))
        add(after, 1, daily, hourly)
    store(daily, hourly)


def catch_up(changed=()):
    """Count the reports stored since the last count, then the `changed` reports as they
    are now.

    Called before the counts are read and when a report's status changes. Only reports
    stored since shortly before the last count began can wait (`since`), which the index
    on created_at finds without reading the older ones; reading takes no turn when none
    does, so that pages never queue behind each other.
    """
    since = counted_since()
    if changed or db.session.scalar(select(exists(uncounted(since)))):
        count_all(since)
    if changed:
        recount(changed)


def counted_since():
    """Return the moment after which reports may not be counted yet, or None for any.

    Every report stored before the last count of them all began was counted by it (the
    deletion's counts of what it deletes do not move this). TURN_MARGIN allows for a report
    stored, and its time taken, just before that count began but committed after it read
    the reports.
    """
    last = db.session.scalar(select(ScheduledTask.last_run_at).filter_by(name=TURN))
    return None if last is None or last == NEVER else last - TURN_MARGIN


def take_turn():
    """Wait until no other transaction counts, and make any other wait until this one ends.

    The first statement of the transaction that counts, an UPDATE of one row that changes
    nothing: PostgreSQL locks the row, and SQLite the whole database, until the commit, so
    that the counting of one process never misses what another counts at the same moment.
    """
    turn = (
        update(ScheduledTask)
        .where(ScheduledTask.name == TURN)
        .values(last_run_at=ScheduledTask.last_run_at)
    )
    if db.session.execute(turn, execution_options={"synchronize_session": False}).rowcount:
        return
    try:
        with db.session.begin_nested():
            # No count of every report has run yet (see counted_since).
            db.session.add(ScheduledTask(name=TURN, last_run_at=NEVER))
    except IntegrityError:
        # Another process made the row first: wait for its turn to end.
        db.session.execute(turn, execution_options={"synchronize_session": False})


def uncounted(since=None):
    """Return a query of the reports not counted, of those stored after `since` if given."""
    query = select(Report.id).where(~exists().where(CountedReport.report_id == Report.id))
    return query if since is None else query.where(Report.created_at >= since)


def keep(report_ids):
    """Count the reports, those not counted yet, and every report of another harbour that
    names one of their plates: a plate seen at two harbours is marked on both reports, once
    both are counted, whichever was stored first. Before reports are deleted, so that the
    counts outlive them."""
    take_turn()
    partners = db.session.scalars(partners_of(report_ids)).all()
    report_ids = sorted({*report_ids, *partners})
    crossed = set(db.session.scalars(crossing(report_ids)))
    behind = db.session.scalars(
        select(Report)
        .where(Report.id.in_(report_ids))
        .where(
            ~exists().where(
                CountedReport.report_id == Report.id,
                CountedReport.cross_harbour.is_(True) | Report.id.not_in(crossed),
            )
        )
        .order_by(Report.id)
        .options(selectinload(Report.plates))
    ).all()
    if behind:
        recount(behind, cross_harbour=crossed)


def partners_of(report_ids):
    """Return a query of the reports of other harbours that name a plate one of the reports
    names, and are not marked as such."""
    mine, other, my_plate = aliased(Report), aliased(Report), aliased(Plate)
    return (
        select(other.id)
        .join(Plate, Plate.report_id == other.id)
        .join(my_plate, my_plate.text == Plate.text)
        .join(mine, mine.id == my_plate.report_id)
        .where(mine.id.in_(report_ids), other.harbour_id != mine.harbour_id)
        .where(
            ~exists().where(
                CountedReport.report_id == other.id, CountedReport.cross_harbour.is_(True)
            )
        )
        .distinct()
    )


def crossing(report_ids):
    """Return a query of those of the reports that name a plate a report of another harbour
    names too: one statement for a batch, from the plates' index."""
    mine, other, other_plate = aliased(Report), aliased(Report), aliased(Plate)
    return (
        select(Plate.report_id)
        .join(mine, mine.id == Plate.report_id)
        .where(Plate.report_id.in_(report_ids))
        .where(
            exists().where(
                other_plate.text == Plate.text,
                other.id == other_plate.report_id,
                other.harbour_id != mine.harbour_id,
            )
        )
        .distinct()
    )


def count_all(since=None):
    """Count every report not counted yet, a thousand at a time; return how many were.

    Only those stored after `since`, when every report stored before it is counted already
    (counted_since). Then every report is counted, and the turn's row says since when.
    """
    take_turn()
    began = utc_now()
    total = 0
    while True:
        ids = db.session.scalars(uncounted(since).order_by(Report.id).limit(1000)).all()
        if not ids:
            db.session.execute(
                update(ScheduledTask).where(ScheduledTask.name == TURN).values(last_run_at=began),
                execution_options={"synchronize_session": False},
            )
            return total
        keep(ids)
        db.session.flush()
        total += len(ids)


def sharing_plates(report):
    """Return a query of the reports of other harbours that name one of the report's plates."""
    texts = sorted({plate.text for plate in report.plates})
    return (
        select(Report.id)
        .where(Report.harbour_id != report.harbour_id)
        .where(Report.id.in_(select(Plate.report_id).where(Plate.text.in_(texts))))
    )


def tally_of_row(row):
    return Tally(
        day=row.day,
        hour=row.hour,
        harbour_id=row.harbour_id,
        categories=tuple(row.categories.split(",")) if row.categories else (),
        passed=row.passed,
        cross_harbour=row.cross_harbour,
    )


def add(tally, sign, daily, hourly):
    """Add a report's tally, or take it away (sign -1), from the pending changes."""
    for category in (ALL, *tally.categories):
        key = (tally.day, tally.harbour_id, category)
        daily[(*key, "reports")] += sign
        daily[(*key, "passed")] += sign * tally.passed
        daily[(*key, "cross_harbour")] += sign * tally.cross_harbour
    hourly[(tally.day, tally.harbour_id, tally.hour)] += sign


def store(daily, hourly):
    """Add the pending changes to the counts, in one statement per table.

    Rows in key order: two transactions that change the same rows take their locks in the
    same order, so they wait for each other instead of deadlocking.
    """
    for model, rows in rows_of(daily, hourly).items():
        upsert(model, rows, [name for name in AMOUNTS if name in model.__table__.c])


def rows_of(daily, hourly):
    """Return the pending changes as rows of each count model, {model: rows in key order},
    leaving out those that change nothing: the days', and their sums per month."""
    tables = {model: {} for model in COUNT_MODELS}

    def change(model, key, names, column, amount):
        row = tables[model].setdefault(key, dict(zip(names, key, strict=True)))
        row[column] = row.get(column, 0) + amount

    for (day, harbour_id, category, column), amount in daily.items():
        names = ("harbour_id", "category")
        change(DailyCount, (day, harbour_id, category), ("day", *names), column, amount)
        change(
            MonthlyCount,
            (day.replace(day=1), harbour_id, category),
            ("month", *names),
            column,
            amount,
        )
    for (day, harbour_id, hour), amount in hourly.items():
        month = day.replace(day=1)
        change(
            HourlyCount, (day, harbour_id, hour), ("day", "harbour_id", "hour"), "reports", amount
        )
        tables[HourlyCount][day, harbour_id, hour]["weekday"] = day.weekday()
        change(
            MonthlyHourCount,
            (month, harbour_id, hour),
            ("month", "harbour_id", "hour"),
            "reports",
            amount,
        )
        change(
            MonthlyWeekdayCount,
            (month, harbour_id, day.weekday()),
            ("month", "harbour_id", "weekday"),
            "reports",
            amount,
        )
    return {
        model: [
            {column.name: row.get(column.name, 0) for column in model.__table__.c}
            for _key, row in sorted(rows.items())
            if any(row.get(name) for name in AMOUNTS)
        ]
        for model, rows in tables.items()
    }


def counted_values(report_id, tally):
    """Return the values of the CountedReport row of a report with this tally."""
    return {
        "report_id": report_id,
        "day": tally.day,
        "hour": tally.hour,
        "harbour_id": tally.harbour_id,
        "categories": ",".join(tally.categories),
        "passed": tally.passed,
        "cross_harbour": tally.cross_harbour,
    }


AMOUNTS = ("reports", "passed", "cross_harbour")
#: Every table of counts, the days' first.
COUNT_MODELS = (DailyCount, HourlyCount, MonthlyCount, MonthlyHourCount, MonthlyWeekdayCount)


def upsert(model, rows, amounts):
    """Insert the rows, or add their amounts to the rows of the same key."""
    if rows:
        dialect = db.session.get_bind().dialect.name
        db.session.execute(upsert_statement(model, dialect, tuple(amounts)), rows)


@cache
def upsert_statement(model, dialect, amounts):
    """Return the upsert of a count model: the same statement each time, made and compiled
    once, with the rows as its parameters."""
    table = model.__table__
    insert = INSERTS[dialect](table)
    return insert.on_conflict_do_update(
        index_elements=[column.name for column in table.primary_key],
        set_={name: table.c[name] + insert.excluded[name] for name in amounts},
    )


def forget_old(years, now=None):
    """Delete the counts of the months that began more than `years` years ago; return how
    many rows. Whole months go, so that no month is shown with only some of its days."""
    today = local_today(now)
    oldest = date(today.year - years, today.month, 1)
    deleted = 0
    for model in COUNT_MODELS:
        moment = model.day if "day" in model.__table__.c else model.month
        deleted += db.session.execute(
            delete(model).where(moment < oldest),
            execution_options={"synchronize_session": False},
        ).rowcount
    return deleted
