"""Reports taken out of the inbox for the police: as a spreadsheet file or a printed page."""

import csv
import io
import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from .. import audit
from ..extensions import db
from ..models import Report
from . import details, queries

#: Reports in one file: a spreadsheet of more is no longer read, and the request must stay short.
MAX_CSV_REPORTS = 5000
#: Reports on one printable page: a browser lays out so many pages at most with ease.
MAX_PRINTED_REPORTS = 500
#: A spreadsheet takes a cell that begins with one of these for a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Where a piece begins that a reader could take for a cell, up to one of FORMULA_STARTS: the
#: start, or after a separator where a reader may split (either file's delimiter, as Swedish
#: Excel splits the English file at semicolons, a tab, a line break), past spaces and the
#: quotes of a cell the reader did not unquote.
PIECE_START = re.compile(r"(^|[,;\t\n\r])([ \"]*)(?=[=+\-@\t\r])")
#: Swedish Excel splits lines at semicolons, since the comma is its decimal sign.
DELIMITERS = {"sv": ";", "en": ","}
#: The byte order mark tells Excel that the file is UTF-8, so that å, ä and ö survive.
BOM = "\ufeff"


@dataclass(frozen=True)
class Selection:
    """The reports of an export, newest first, and whether the limit left some out."""

    reports: list[Report]
    capped: bool
    limit: int


def select_reports(harbour_ids, filters, limit=MAX_CSV_REPORTS):
    """Return the visible reports that pass the filters, at most `limit` of them."""
    query = queries.filtered(harbour_ids, filters).options(
        selectinload(Report.plates), selectinload(Report.harbour)
    )
    rows = db.session.scalars(query.limit(limit + 1)).all()
    return Selection(list(rows[:limit]), len(rows) > limit, limit)


def record_export(account, selection, kind, included):
    """Log the export once as a whole and in the history of every report it held, with
    which of details.OPTIONAL it `included`."""
    included = [key for key in details.OPTIONAL if key in included]
    for report in selection.reports:
        audit.record(account, "exported", report.id, format=kind, included=included)
    audit.record(account, "exported", format=kind, count=len(selection.reports), included=included)


def neutralise(cell):
    """Keep a spreadsheet from running any piece of a cell as a formula.

    Quoting the cell is not enough: a reader that splits at another delimiter than the file's
    (`Bil;=HYPERLINK(…)` in the English file, opened in Swedish Excel) or that ignores quotes
    sees a cell wherever a separator ends. Each piece that would begin a formula starts with
    a `'` instead, which a spreadsheet shows and does not run.
    """
    return PIECE_START.sub(r"\1\2'", str(cell))


def write_csv(selection, lang, included=()):
    """Return the selection as CSV text for the spreadsheet of a reader of `lang`, with the
    details.OPTIONAL fields that are `included`."""
    left_out = details.left_out(included)
    fields = [(key, label) for key, label in details.FIELDS if key not in left_out]
    rows = [[label for _key, label in fields]]
    for report in selection.reports:
        rows.append([details.text(report, key) for key, _label in fields])
    if selection.capped:
        # Last, so that a reader who sorts or filters the rows still finds the data first.
        rows.append([capped_message(selection)])
    return csv_text(rows, DELIMITERS[lang])


def csv_text(rows, delimiter):
    """Return the rows as CSV text that Excel reads as UTF-8, every cell neutralised."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def capped_message(selection):
    return _(
        "Only the newest %(limit)s reports are included. Narrow the filters to get the others.",
        limit=selection.limit,
    )
