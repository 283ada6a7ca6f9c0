"""The lägesbild's figures, summed from the counts: the staff's exact ones, and the public's,
where a number below 5 is shown as "fewer than 5"."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from ..extensions import db
from ..models import Harbour
from ..reports.submission import CATEGORIES
from .models import ALL, DailyCount, HourlyCount

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


def within(model, scope, first=None, last=None):
    """Return the conditions that keep a count model's rows to the scope (or other days)."""
    conditions = [model.day >= (first or scope.first), model.day <= (last or scope.last)]
    if scope.harbour_ids is not None:
        conditions.append(model.harbour_id.in_(sorted(scope.harbour_ids)))
    return conditions


def situation(scope, harbours):
    """Sum the counts of the scope for the staff's page: exact numbers, of these harbours."""
    found = Situation(scope)
    rows = db.session.execute(
        select(
            DailyCount.harbour_id,
            DailyCount.category,
            func.sum(DailyCount.reports),
            func.sum(DailyCount.passed),
            func.sum(DailyCount.cross_harbour),
        )
        .where(*within(DailyCount, scope))
        .group_by(DailyCount.harbour_id, DailyCount.category)
    ).all()
    per_harbour = {}
    found.by_category = dict.fromkeys(CATEGORIES, 0)
    for harbour_id, category, reports, passed, cross_harbour in rows:
        if category == ALL:
            per_harbour[harbour_id] = (reports, passed)
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
    for weekday, hour, reports in db.session.execute(
        select(HourlyCount.weekday, HourlyCount.hour, func.sum(HourlyCount.reports))
        .where(*within(HourlyCount, scope))
        .group_by(HourlyCount.weekday, HourlyCount.hour)
    ):
        found.by_hour[hour] += reports
        found.by_weekday[weekday] += reports
    year = scope.last.year
    found.by_month = {year - 1: [0] * 12, year: [0] * 12}
    for month, reports in monthly(scope, date(year - 1, 1, 1), date(year, 12, 31)):
        found.by_month[month.year][month.month - 1] += reports
    return found


def monthly(scope, first, last):
    """Return (first of the month, reports) for the scope's harbours from `first` to `last`."""
    return db.session.execute(
        select(DailyCount.month, func.sum(DailyCount.reports))
        .where(DailyCount.category == ALL, *within(DailyCount, scope, first, last))
        .group_by(DailyCount.month)
    ).all()


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
    for harbour_id, month, count, passed_count in db.session.execute(
        select(
            DailyCount.harbour_id,
            DailyCount.month,
            func.sum(DailyCount.reports),
            func.sum(DailyCount.passed),
        )
        .where(DailyCount.category == ALL, *within(DailyCount, scope))
        .group_by(DailyCount.harbour_id, DailyCount.month)
    ):
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
