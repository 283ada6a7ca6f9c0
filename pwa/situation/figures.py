"""The lägesbild's figures, summed from the counts: the staff's exact ones, and the public's,
where a number below 5 is shown as "fewer than 5"."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, or_, select

from ..extensions import db
from ..models import Harbour
from ..reports.submission import CATEGORIES
from .models import (
    ALL,
    DailyCount,
    HourlyCount,
    MonthlyCount,
    MonthlyHourCount,
    MonthlyWeekdayCount,
)

#: A public number below this is shown as "fewer than 5", so that nobody can be recognised.
PUBLIC_MINIMUM = 5


@dataclass(frozen=True)
class Scope:
    """Which counts a page shows: days from `first` to `last`, of harbours (None: all)."""

    first: date
    last: date
    harbour_ids: frozenset[int] | None = None


@dataclass
class Situation:
    """The staff's figures of a scope."""

    scope: Scope
    reports: int = 0
    passed: int = 0
    cross_harbour: int = 0
    #: (harbour, reports, passed), in the harbours' order.
    by_harbour: list = field(default_factory=list)
    #: {category key: reports}, in the form's order.
    by_category: dict = field(default_factory=dict)
    #: Reports by hour of the day (0-23) and by day of the week (Monday first).
    by_hour: list = field(default_factory=lambda: [0] * 24)
    by_weekday: list = field(default_factory=lambda: [0] * 7)
    #: The year of the scope's last day and the one before: {year: [12 monthly counts]}.
    by_month: dict = field(default_factory=dict)

    @property
    def year(self):
        return self.scope.last.year


def next_month(day):
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def split(first, last):
    """Split the days from first to last into whole months and the days outside them.

    Return ((first month, last month) or None, [(first day, last day), ...]): the months are
    read from the monthly sums, at most two part-months from the days.
    """
    whole_from = first if first.day == 1 else next_month(first)
    whole_until = (
        next_month(last) if next_month(last) - timedelta(days=1) == last else (last.replace(day=1))
    )
    if whole_from >= whole_until:
        return None, [(first, last)]
    days = []
    if first < whole_from:
        days.append((first, whole_from - timedelta(days=1)))
    if whole_until <= last:
        days.append((whole_until, last))
    return (whole_from, (whole_until - timedelta(days=1)).replace(day=1)), days


def of_harbours(model, scope):
    if scope.harbour_ids is None:
        return []
    return [model.harbour_id.in_(sorted(scope.harbour_ids))]


def summed(monthly, daily, keys, amounts, scope):
    """Return rows of the keys and the sums of the amounts over the scope's days, from the
    monthly model for whole months and the daily one for the days outside them."""
    months, days = split(scope.first, scope.last)
    found = []
    for model, where in (
        (monthly, months and [monthly.month.between(*months)]),
        (daily, days and [or_(*(daily.day.between(*span) for span in days))]),
    ):
        if not where:
            continue
        grouped = [getattr(model, key) for key in keys]
        found += db.session.execute(
            select(*grouped, *(func.sum(getattr(model, name)) for name in amounts))
            .where(*where, *of_harbours(model, scope))
            .group_by(*grouped)
        ).all()
    return found


def situation(scope, harbours):
    """Sum the counts of the scope for the staff's page: exact numbers, of these harbours."""
    found = Situation(scope)
    per_harbour = {}
    found.by_category = dict.fromkeys(CATEGORIES, 0)
    for harbour_id, category, reports, passed, cross_harbour in summed(
        MonthlyCount,
        DailyCount,
        ("harbour_id", "category"),
        ("reports", "passed", "cross_harbour"),
        scope,
    ):
        if category == ALL:
            before = per_harbour.get(harbour_id, (0, 0))
            per_harbour[harbour_id] = (before[0] + reports, before[1] + passed)
            found.reports += reports
            found.passed += passed
            found.cross_harbour += cross_harbour
        elif category in found.by_category:
            found.by_category[category] += reports
    found.by_harbour = [
        (harbour, *per_harbour.get(harbour.id, (0, 0)))
        for harbour in harbours
        if scope.harbour_ids is None or harbour.id in scope.harbour_ids
    ]
    for hour, reports in summed(MonthlyHourCount, HourlyCount, ("hour",), ("reports",), scope):
        found.by_hour[hour] += reports
    for weekday, reports in summed(
        MonthlyWeekdayCount, HourlyCount, ("weekday",), ("reports",), scope
    ):
        found.by_weekday[weekday] += reports
    year = scope.last.year
    found.by_month = {year - 1: [0] * 12, year: [0] * 12}
    for month, reports in db.session.execute(
        select(MonthlyCount.month, func.sum(MonthlyCount.reports))
        .where(
            MonthlyCount.category == ALL,
            MonthlyCount.month.between(date(year - 1, 1, 1), date(year, 12, 1)),
            *of_harbours(MonthlyCount, scope),
        )
        .group_by(MonthlyCount.month)
    ):
        found.by_month[month.year][month.month - 1] += reports
    return found


@dataclass
class Season:
    """A season's public figures: every number already suppressed (None is fewer than 5)."""

    year: int
    last_day: date
    reports: int | None
    passed: int | None
    #: Reports per month, January to the month of last_day.
    by_month: list
    #: {harbour id: reports}
    by_harbour: dict


@dataclass
class Progress:
    """What everyone may see: how it is going this season against the last."""

    harbours: list
    this: Season
    last: Season


def progress(today, harbours=None, harbour_ids=None):
    """Sum this season (1 January to today) and the last (to the same day a year earlier).

    Of every harbour, the active ones named, by default; of `harbour_ids` only, with their
    `harbours` named, for the public numbers of a contact person's export.
    """
    if harbours is None:
        harbours = db.session.scalars(
            select(Harbour).where(Harbour.active).order_by(Harbour.sort_order, Harbour.name)
        ).all()
    return Progress(
        harbours=harbours,
        this=season(today, harbours, harbour_ids),
        last=season(same_day_a_year_before(today), harbours, harbour_ids),
    )


def same_day_a_year_before(day):
    """Return the same day a year before: 28 February for the 29th."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def season(last_day, harbours, harbour_ids=None):
    """Sum a season from 1 January to last_day, suppressed for the public."""
    scope = Scope(date(last_day.year, 1, 1), last_day, harbour_ids)
    months = [0] * last_day.month
    per_harbour = dict.fromkeys((harbour.id for harbour in harbours), 0)
    reports = passed = 0
    whole, days = split(scope.first, scope.last)
    found = []
    if whole:
        found += db.session.execute(
            select(
                MonthlyCount.harbour_id,
                MonthlyCount.month,
                MonthlyCount.reports,
                MonthlyCount.passed,
            ).where(
                MonthlyCount.category == ALL,
                MonthlyCount.month.between(*whole),
                *of_harbours(MonthlyCount, scope),
            )
        ).all()
    # The days of this month so far (a season begins on 1 January: no other part-month).
    for first, last in days:
        found += [
            (harbour_id, first, count, passed_count)
            for harbour_id, count, passed_count in db.session.execute(
                select(
                    DailyCount.harbour_id, func.sum(DailyCount.reports), func.sum(DailyCount.passed)
                )
                .where(
                    DailyCount.category == ALL,
                    DailyCount.day.between(first, last),
                    *of_harbours(DailyCount, scope),
                )
                .group_by(DailyCount.harbour_id)
            )
        ]
    for harbour_id, month, count, passed_count in found:
        months[month.month - 1] += count
        if harbour_id in per_harbour:
            per_harbour[harbour_id] += count
        reports += count
        passed += passed_count
    shown_reports = suppressed(reports)
    return Season(
        year=last_day.year,
        last_day=last_day,
        reports=shown_reports,
        passed=suppressed(passed),
        by_month=suppressed_group(months, shown_reports),
        by_harbour=dict(
            zip(
                per_harbour,
                suppressed_group(list(per_harbour.values()), shown_reports),
                strict=True,
            )
        ),
    )


def suppressed(number):
    """Return the number, or None (fewer than 5) if it is below PUBLIC_MINIMUM."""
    return number if number >= PUBLIC_MINIMUM else None


def suppressed_group(numbers, total):
    """Suppress the parts of a shown total, so that no small part can be worked out.

    Each part below 5 is hidden; and while the hidden parts add up to 1-4, which the total
    less the shown parts would give away, the smallest shown part is hidden too.
    """
    shown = [suppressed(number) for number in numbers]
    if total is None:
        return [None] * len(numbers)
    while 0 < total - sum(number for number in shown if number is not None) < PUBLIC_MINIMUM:
        smallest = min(
            (index for index, number in enumerate(shown) if number is not None),
            key=lambda index: shown[index],
        )
        shown[smallest] = None
    return shown
