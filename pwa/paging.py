"""Lists read page by page, newest first: keyset pages, and the filter forms that narrow them."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import request
from flask_babel import gettext as _
from wtforms.validators import ValidationError

from .extensions import db
from .formatting import start_of_day
from .forms import Form

#: The dates a filter accepts: the year 1 or 9999 would overflow turning a day into moments.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)
#: The largest id a row can have (PostgreSQL's integer): a larger number from an address is
#: no row, and PostgreSQL refuses even to compare with it.
MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class Page:
    items: list
    #: The id to pass as `before` for the next, older page; None on the last page.
    next_before: int | None = None
    #: Whether this is the newest page, the one without `before`.
    first: bool = True


def page_of(query, id_column, before=None, size=25):
    """Return the page of the query's rows with ids below `before`, newest first.

    Keyset pages rather than offsets: the hundredth page costs what the first does, and a row
    that arrives meanwhile moves nothing from one page to the next.
    """
    if before is not None:
        query = query.where(id_column < before)
    rows = db.session.scalars(query.order_by(None).order_by(id_column.desc()).limit(size + 1)).all()
    items = list(rows[:size])
    next_before = items[-1].id if len(rows) > size else None
    return Page(items, next_before, before is None)


def id_arg(name):
    """Return an id from the address, or None if it is missing or cannot be a row's id."""
    value = request.args.get(name, "")
    # isdigit() admits digits of other scripts, which int() reads too: only ASCII ones here.
    if not (value.isascii() and value.isdigit() and len(value) <= len(str(MAX_ID))):
        return None
    return int(value) if int(value) <= MAX_ID else None


def before_id():
    """Return the keyset position from the address, or None for the first page."""
    return id_arg("before")


class FilterForm(Form):
    """The filters of a list: sent by GET, so without a token, and kept in its page links."""

    class Meta:
        csrf = False

    def query_args(self):
        """Return the filters as URL arguments, for links to other pages of the same list."""
        return {
            field.name: field.raw_data[0] for field in self if field.raw_data and field.raw_data[0]
        }


def plausible_day(form, field):
    """Refuse a date a filter cannot turn into moments (see FIRST_DAY)."""
    if field.data and not FIRST_DAY <= field.data <= LAST_DAY:
        raise ValidationError(
            _(
                "Choose a date from %(first)s to %(last)s.",
                first=FIRST_DAY.isoformat(),
                last=LAST_DAY.isoformat(),
            )
        )


def not_before(start_field):
    """Refuse an end date before the start date in the field named `start_field`."""

    def check(form, field):
        start = form[start_field].data
        if field.data and start and field.data < start:
            raise ValidationError(_("The end date must not be before the start date."))

    return check


def within_days(query, column, first=None, last=None):
    """Narrow the query to the moments of `column` from the day `first` to the day `last`,
    both included, as days in Oxelösund; a missing day leaves that end open."""
    if first is not None:
        query = query.where(column >= start_of_day(first))
    if last is not None:
        query = query.where(column < start_of_day(last + timedelta(days=1)))
    return query
