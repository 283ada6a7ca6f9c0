"""The contact person's side of reports: finding them and cross-referencing plates."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import String, cast, func, literal, select, union_all
from sqlalchemy.orm import selectinload

from .. import paging
from ..auth import accounts
from ..extensions import db
from ..models import Harbour, Plate, Report, ReportStatus
from ..reports import plates

PAGE_SIZE = 25
#: Other reports of a plate shown on a report's page.
MATCHES_SHOWN = 20
#: Other reports of a plate counted at most: a plate seen everywhere must not slow the
#: pages, which then say "50 or more".
COUNTED = 50
#: Known plates listed at most for a partial one ("AB?12" may be ABC12, ABD12, …), and
#: partial ones for a known plate: each is a look-up of its own.
RELATED_SHOWN = 10


@dataclass(frozen=True)
class Filters:
    """What the inbox is narrowed to; None is no narrowing."""

    harbour_id: int | None = None
    status: ReportStatus | None = None
    category: str | None = None
    received_from: date | None = None
    received_to: date | None = None
    #: Normalised, as plates are stored.
    plate: str | None = None


@dataclass(frozen=True)
class Match:
    """The other reports that name a plate, within what the person may read."""

    text: str
    #: At most COUNTED.
    count: int
    harbours: list[str]
    reports: list[Report]
    #: The plate of the report that this one may be, when they differ: the partial AB?12
    #: for ABC12, or the known ABC12 for AB?12. None for the same plate.
    through: str | None = None


@dataclass(frozen=True)
class Matches:
    """The matches of a report's plates, and the partial plates whose candidates were cut
    short at RELATED_SHOWN."""

    found: list[Match]
    cut_short: list[str]

    def __bool__(self):
        return bool(self.found or self.cut_short)


def visible(harbour_ids):
    """Return a query of the reports in these harbours (None: all of them)."""
    query = select(Report)
    if harbour_ids is not None:
        query = query.where(Report.harbour_id.in_(harbour_ids))
    return query


def filtered(harbour_ids, filters):
    """Return a query of the visible reports that pass the filters, newest first."""
    query = visible(harbour_ids)
    if filters.harbour_id is not None:
        query = query.where(Report.harbour_id == filters.harbour_id)
    if filters.status is not None:
        query = query.where(Report.status == filters.status)
    if filters.category is not None:
        # The categories are a JSON list of fixed keys: their quoted name finds them.
        query = query.where(cast(Report.categories, String).contains(f'"{filters.category}"'))
    query = paging.within_days(query, Report.created_at, filters.received_from, filters.received_to)
    if filters.plate:
        query = query.where(
            Report.id.in_(select(Plate.report_id).where(Plate.text == filters.plate))
        )
    # Ids grow as reports arrive: newest first is highest id first, which indexes serve.
    return query.order_by(Report.id.desc())


def page_of(harbour_ids, filters, before=None):
    """Return a page of the reports that pass the filters, older than the id `before`."""
    query = filtered(harbour_ids, filters).options(
        selectinload(Report.plates), selectinload(Report.harbour)
    )
    return paging.page_of(query, Report.id, before, PAGE_SIZE)


def newer_than(harbour_ids, filters, after):
    """Return the reports that passed the filters and arrived after the id `after`."""
    query = filtered(harbour_ids, filters).where(Report.id > after)
    return db.session.scalars(
        query.options(selectinload(Report.plates), selectinload(Report.harbour)).limit(PAGE_SIZE)
    ).all()


def unread_count(harbour_ids):
    query = select(func.count()).select_from(Report).where(Report.read_at.is_(None))
    if harbour_ids is not None:
        query = query.where(Report.harbour_id.in_(harbour_ids))
    return db.session.scalar(query)


def latest_id(harbour_ids):
    query = select(func.max(Report.id))
    if harbour_ids is not None:
        query = query.where(Report.harbour_id.in_(harbour_ids))
    return db.session.scalar(query) or 0


def plate_counts(harbour_ids, reports):
    """Return, for each plate text in these reports, how many visible reports name it.

    Each count stops at COUNTED + 1: the report itself and COUNTED others.
    """
    texts = dict.fromkeys(plate.text for report in reports for plate in report.plates)
    if not texts:
        return {}
    # One statement for the page, not one for each plate.
    counts = union_all(
        *(
            select(
                literal(text).label("text"),
                counted_sightings(harbour_ids, text, COUNTED + 1).scalar_subquery(),
            )
            for text in texts
        )
    )
    return dict(db.session.execute(counts).all())


def counted_sightings(harbour_ids, text, limit, *, besides=None):
    """Return the count of the visible reports that name a plate, up to `limit`, as a subquery."""
    query = sightings(harbour_ids, text)
    if besides is not None:
        query = query.where(Plate.report_id != besides)
    return select(func.count()).select_from(query.distinct().limit(limit).subquery())


def sightings(harbour_ids, *texts):
    """Return a query of the ids of the visible reports that name one of these plates (or,
    without texts, any plate: for the caller to narrow)."""
    query = select(Plate.report_id)
    if texts:
        query = query.where(Plate.text.in_(texts))
    if harbour_ids is not None:
        # Correlated, so that the plates lead: joined, SQLite without statistics may read
        # every report of the harbours instead, seconds with a million reports.
        query = query.where(
            select(Report.id)
            .where(Report.id == Plate.report_id, Report.harbour_id.in_(harbour_ids))
            .exists()
        )
    return query


def related_plates(harbour_ids, text, limit=RELATED_SHOWN):
    """Return up to `limit` plates of visible reports that may be the same as this one.

    For a partial plate, the known plates it could be: those with the same head (an index
    look-up) that fit the pattern, each `?` a LIKE `_`. For a known plate, the partial
    plates it fits: at most 2⁸ − 1 patterns, each an index look-up of its text. Each plate
    found is then asked once whether a visible report names it, rather than each of its
    sightings: a hot plate has thousands.
    """
    if plates.is_partial(text):
        fitting = select(Plate.text).where(
            Plate.head == text[: plates.KNOWN_START],
            Plate.text.like(plates.like_pattern(text), escape="\\"),
            Plate.text.not_like(f"%{plates.UNKNOWN}%"),
        )
    else:
        fitting = select(Plate.text).where(Plate.text.in_(plates.partial_patterns(text)))
    found = fitting.distinct().subquery()
    query = select(found.c.text)
    if harbour_ids is not None:
        query = query.where(sightings(harbour_ids).where(Plate.text == found.c.text).exists())
    return db.session.scalars(query.order_by(found.c.text).limit(limit)).all()


def matches(harbour_ids, report):
    """Return the Matches of the report's plates: other visible reports of the same plate,
    and of the plates that may be the same (see related_plates)."""
    own = list(dict.fromkeys(plate.text for plate in report.plates))
    found, cut_short = [], []
    for text in own:
        match = match_of(harbour_ids, report, text)
        if match:
            found.append(match)
        related = related_plates(harbour_ids, text, RELATED_SHOWN + 1)
        if len(related) > RELATED_SHOWN:
            cut_short.append(text)
        for other in related[:RELATED_SHOWN]:
            # A plate of the report itself has its own match above.
            if other not in own and (match := match_of(harbour_ids, report, other, text)):
                found.append(match)
    return Matches(found, cut_short)


def match_of(harbour_ids, report, text, through=None):
    """Return the Match of the other visible reports that name a plate, or None."""
    count = db.session.scalar(counted_sightings(harbour_ids, text, COUNTED, besides=report.id))
    if not count:
        return None
    others = (
        visible(harbour_ids)
        .where(Report.id != report.id)
        .where(Report.id.in_(select(Plate.report_id).where(Plate.text == text)))
    )
    # Each harbour stops at its first sighting, rather than reading every sighting.
    harbours = select(Harbour.name).where(
        others.with_only_columns(Report.id).where(Report.harbour_id == Harbour.id).exists()
    )
    if harbour_ids is not None:
        harbours = harbours.where(Harbour.id.in_(harbour_ids))
    # The newest sightings first, read from the plate's index until there are enough.
    newest = (
        sightings(harbour_ids, text)
        .where(Plate.report_id != report.id)
        .order_by(Plate.report_id.desc())
        .limit(MATCHES_SHOWN)
    )
    shown = db.session.scalars(
        select(Report)
        .where(Report.id.in_(newest))
        .options(selectinload(Report.harbour))
        .order_by(Report.id.desc())
    ).all()
    names = db.session.scalars(harbours.order_by(Harbour.name)).all()
    return Match(text, count, list(names), list(shown), through)


def visible_report(account, report_id):
    """Return the report if the account may read it, else None: the same for absent ones."""
    if not 0 < report_id <= paging.MAX_ID:
        return None
    report = db.session.get(Report, report_id)
    if report is None or not accounts.may_read(account, report):
        return None
    return report
