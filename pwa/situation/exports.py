"""The lägesbild as files for the municipality's report: CSV, and an XLSX workbook with a sheet
per table. Every text cell is neutralised as in the inbox's export, so that no cell runs as a
formula; the public numbers are suppressed as on the public page."""

import io
import re
from dataclasses import dataclass

from flask_babel import gettext as _
from openpyxl import Workbook

from ..inbox.exports import DELIMITERS, csv_text, neutralise
from .charts import month_names


@dataclass(frozen=True)
class Table:
    title: str
    header: list[str]
    rows: list[list]


#: What a sheet's name may not hold, and its longest (Excel's rules).
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_LENGTH = 31


def fewer_than_five(number):
    return _("fewer than 5") if number is None else number


def tables(situation, charts, progress, harbour_names):
    """Return the tables of an export: the summary, one per chart, and the public numbers."""
    scope = situation.scope
    found = [
        Table(
            _("Lägesbild"),
            [_("What"), _("Number")],
            [
                [_("From"), scope.first.isoformat()],
                [_("To"), scope.last.isoformat()],
                [_("Reports"), situation.reports],
                [_("Passed to the police"), situation.passed],
                [_("Named a plate also seen at another harbour"), situation.cross_harbour],
            ],
        )
    ]
    for chart in charts:
        found.append(
            Table(
                chart.title,
                [chart.heading, *chart.series],
                [[label, *v] for label, v in chart.rows],
            )
        )
    found.append(public_table(progress, harbour_names))
    return found


def public_table(progress, harbour_names):
    """The public page's numbers of the same harbours: below 5 written "fewer than 5"."""
    this, last = progress.this, progress.last
    names = month_names()
    rows = [
        [_("Reports"), fewer_than_five(this.reports), fewer_than_five(last.reports)],
        [_("Passed to the police"), fewer_than_five(this.passed), fewer_than_five(last.passed)],
    ]
    for month, (count, before) in enumerate(zip(this.by_month, last.by_month, strict=True)):
        rows.append([names[month], fewer_than_five(count), fewer_than_five(before)])
    for harbour_id, count in this.by_harbour.items():
        before = last.by_harbour.get(harbour_id)
        rows.append([harbour_names[harbour_id], fewer_than_five(count), fewer_than_five(before)])
    return Table(
        _("Public numbers"),
        [
            "",
            _("1 January to %(day)s", day=this.last_day.isoformat()),
            _("1 January to %(day)s", day=last.last_day.isoformat()),
        ],
        rows,
    )


def write_csv(found, lang):
    """Return the tables one after another, each under its title, as CSV text."""
    rows = []
    for table in found:
        rows += [[table.title], table.header, *table.rows, []]
    return csv_text(rows, DELIMITERS[lang])


def write_xlsx(found):
    """Return the tables as an XLSX workbook, one sheet each; text cells neutralised."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken = set()
    for table in found:
        sheet = workbook.create_sheet(sheet_name(table.title, taken))
        for row in [table.header, *table.rows]:
            sheet.append([cell if isinstance(cell, int) else neutralise(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_name(title, taken):
    """Return a sheet name Excel accepts, and no other sheet has, for a table's title."""
    name = SHEET_NAME_FORBIDDEN.sub(" ", title)[:SHEET_NAME_LENGTH].strip() or "-"
    base, number = name, 2
    while name.casefold() in taken:
        suffix = f" {number}"
        name = base[: SHEET_NAME_LENGTH - len(suffix)] + suffix
        number += 1
    taken.add(name.casefold())
    return name
