"""The lägesbild's charts, drawn on the server as SVG: each with a sentence that says what it
shows and the table of its numbers beside it (templates/situation/_chart.html draws them).

No script and no style attribute (the CSP forbids inline style): the geometry is in
attributes, the colours in classes of app.css, where the dark theme and print change them.
"""

from dataclasses import dataclass, field

from babel.dates import get_day_names, get_month_names
from flask_babel import format_date, format_percent, get_locale
from flask_babel import gettext as _

from .. import i18n

#: The drawing's own units; the page scales it to the column's width.
WIDTH = 320
LABEL_HEIGHT = 16
BAR_HEIGHT = 13
BAR_GAP = 2
ROW_GAP = 7
#: Room right of the longest bar for its number.
VALUE_ROOM = 48
LEGEND_HEIGHT = 24
#: The hours chart: columns, a number above the highest, every third hour named below.
COLUMN_PLOT_HEIGHT = 110
COLUMN_TOP = 18
COLUMN_AXIS = 20


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    text: str
    #: Where its number is written.
    text_x: float
    text_y: float
    series: int


@dataclass(frozen=True)
class Label:
    text: str
    x: float
    y: float


@dataclass
class Chart:
    """One chart: its drawing, its sentence, and its table (rows of label and numbers)."""

    id: str
    title: str
    summary: str
    #: The table's first column heading, and one heading per series after it.
    heading: str
    series: list[str]
    #: (label, [number per series]) per row; None is a public number below 5.
    rows: list[tuple[str, list[int | None]]]
    kind: str = "bars"
    height: float = 0
    bars: list[Bar] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    legend: list[tuple[str, float]] = field(default_factory=list)

    width = WIDTH


def month_names(in_a_sentence=False):
    """Return the months' names, January first: as a table's rows begin, or as a sentence
    writes them ("juli" in Swedish, "July" in English)."""
    names = get_month_names("wide", "format", locale=get_locale())
    return [shown(names[month], in_a_sentence) for month in range(1, 13)]


def weekday_names(in_a_sentence=False):
    """Return the weekdays' names, Monday first, as month_names does."""
    names = get_day_names("wide", "format", locale=get_locale())
    return [shown(names[day], in_a_sentence) for day in range(7)]


def shown(name, in_a_sentence):
    return name if in_a_sentence else name[:1].upper() + name[1:]


def bar_chart(chart_id, title, summary, heading, series, rows):
    """Lay out horizontal bars: each row's label above its bars, a number beside each bar.

    A public number below 5 (None) has no bar, and "fewer than 5" beside it.
    """
    chart = Chart(chart_id, title, summary, heading, series, rows)
    top = 0
    if len(series) > 1:
        chart.legend = [(name, 80 * index) for index, name in enumerate(series)]
        top = LEGEND_HEIGHT
    largest = max((v for _label, values in rows for v in values if v is not None), default=0) or 1
    for label, values in rows:
        chart.labels.append(Label(label, 0, top + LABEL_HEIGHT - 4))
        y = top + LABEL_HEIGHT
        for index, value in enumerate(values):
            width = (WIDTH - VALUE_ROOM) * (value or 0) / largest
            chart.bars.append(
                Bar(
                    x=0,
                    y=y,
                    width=round(width, 1),
                    height=BAR_HEIGHT,
                    value=value,
                    text=number_text(value),
                    text_x=round(width + 4, 1),
                    text_y=y + BAR_HEIGHT - 2,
                    series=index,
                )
            )
            y += BAR_HEIGHT + BAR_GAP
        top = y + ROW_GAP
    chart.height = top
    return chart


def column_chart(chart_id, title, summary, heading, series, rows):
    """Lay out one column per row (the hours), every third named below, the highest numbered."""
    chart = Chart(chart_id, title, summary, heading, series, rows, kind="columns")
    step = WIDTH / len(rows)
    values = [values[0] for _label, values in rows]
    largest = max(values, default=0) or 1
    for index, ((label, _values), value) in enumerate(zip(rows, values, strict=True)):
        height = COLUMN_PLOT_HEIGHT * value / largest
        x = round(index * step + 1, 1)
        y = round(COLUMN_TOP + COLUMN_PLOT_HEIGHT - height, 1)
        chart.bars.append(
            Bar(
                x=x,
                y=y,
                width=round(step - 2, 1),
                height=round(height, 1),
                value=value,
                # Only the highest column carries its number: all 24 would not fit a phone.
                text=number_text(value) if value and value == max(values) else "",
                text_x=x,
                text_y=y - 4,
                series=0,
            )
        )
        if index % 3 == 0:
            chart.labels.append(
                Label(label[:2], x, COLUMN_TOP + COLUMN_PLOT_HEIGHT + COLUMN_AXIS - 4)
            )
    chart.height = COLUMN_TOP + COLUMN_PLOT_HEIGHT + COLUMN_AXIS
    return chart


#: How each language groups the thousands of a whole number: Swedish with a (no-break) space.
THOUSANDS = {"sv": "\u00a0", "en": ","}


def number_text(number):
    """Write a whole number as the language does ("1 234", "1,234"); a public one below 5
    as such. Not Babel's format_number: a page writes hundreds, and this is the same."""
    if number is None:
        return _("fewer than 5")
    return f"{number:,}".replace(",", THOUSANDS.get(i18n.current_language(), ","))


def largest_of(rows, series=0):
    """Return the row with the highest number of a series, or None if every number is 0."""
    best = max(rows, key=lambda row: row[1][series] or 0, default=None)
    return best if best and best[1][series] else None


def months_chart(situation):
    """Reports per month, the scope's year against the year before."""
    year = situation.year
    names = month_names()
    rows = [
        (names[month], [situation.by_month[year][month], situation.by_month[year - 1][month]])
        for month in range(12)
    ]
    best = largest_of(rows)
    if best:
        summary = _(
            "Most reports came in %(month)s %(year)s, %(count)s, against %(before)s in"
            " %(month)s %(last_year)s.",
            month=month_names(in_a_sentence=True)[rows.index(best)],
            year=year,
            count=number_text(best[1][0]),
            before=number_text(best[1][1]),
            last_year=year - 1,
        )
    else:
        summary = _("No reports in %(year)s.", year=year)
    return bar_chart(
        "chart-months",
        _("Reports per month, %(year)s against %(last_year)s", year=year, last_year=year - 1),
        summary,
        _("Month"),
        [str(year), str(year - 1)],
        rows,
    )


def harbours_chart(situation):
    rows = [(harbour.name, [reports]) for harbour, reports, _passed in situation.by_harbour]
    best = largest_of(rows)
    summary = (
        _(
            "Most reports came from %(harbour)s: %(count)s of %(total)s.",
            harbour=best[0],
            count=number_text(best[1][0]),
            total=number_text(situation.reports),
        )
        if best
        else no_reports()
    )
    return bar_chart(
        "chart-harbours", _("Reports by harbour"), summary, _("Harbour"), [_("Reports")], rows
    )


def categories_chart(situation, labels):
    rows = [(str(labels[key]), [count]) for key, count in situation.by_category.items()]
    best = largest_of(rows)
    summary = (
        _(
            "The most common was %(category)s: %(count)s reports. A report may name more than"
            " one thing.",
            category=best[0].lower(),
            count=number_text(best[1][0]),
        )
        if best
        else no_reports()
    )
    return bar_chart(
        "chart-categories", _("What was seen"), summary, _("What"), [_("Reports")], rows
    )


def hours_chart(situation):
    rows = [(f"{hour:02}–{(hour + 1) % 24:02}", [situation.by_hour[hour]]) for hour in range(24)]
    best = largest_of(rows)
    summary = (
        _(
            "Most observations were made between %(start)s:00 and %(end)s:00: %(count)s.",
            start=best[0][:2],
            end=best[0][3:],
            count=number_text(best[1][0]),
        )
        if best
        else no_reports()
    )
    return column_chart(
        "chart-hours",
        _("Time of day of the observation"),
        summary,
        _("Hour"),
        [_("Reports")],
        rows,
    )


def weekdays_chart(situation):
    rows = list(zip(weekday_names(), ([count] for count in situation.by_weekday), strict=True))
    best = largest_of(rows)
    summary = (
        _(
            "Most observations were made on a %(weekday)s: %(count)s.",
            weekday=weekday_names(in_a_sentence=True)[rows.index(best)],
            count=number_text(best[1][0]),
        )
        if best
        else no_reports()
    )
    return bar_chart(
        "chart-weekdays", _("Day of the week"), summary, _("Day"), [_("Reports")], rows
    )


def passed_chart(situation):
    """The share passed to the police: two bars, passed and not, of the same total."""
    rows = [
        (_("Passed to the police"), [situation.passed]),
        (_("Not passed to the police"), [situation.reports - situation.passed]),
    ]
    summary = (
        _(
            "%(passed)s of %(total)s reports (%(share)s) were passed to the police.",
            passed=number_text(situation.passed),
            total=number_text(situation.reports),
            share=percent(situation.passed, situation.reports),
        )
        if situation.reports
        else no_reports()
    )
    return bar_chart(
        "chart-passed", _("Passed to the police"), summary, _("Status"), [_("Reports")], rows
    )


def no_reports():
    return _("No reports in this period.")


def percent(part, whole):
    """Write a share as a whole percentage, as the language writes it: "42 %" or "42%"."""
    return format_percent(part / whole if whole else 0)


def charts(situation, labels):
    """Return the charts of the staff's page, in the order it shows them."""
    return [
        months_chart(situation),
        harbours_chart(situation),
        categories_chart(situation, labels),
        passed_chart(situation),
        hours_chart(situation),
        weekdays_chart(situation),
    ]


def progress_charts(progress):
    """Return the public page's charts: this season against the last, per month and harbour."""
    this, last = progress.this, progress.last
    names = month_names()
    seasons = [str(this.year), str(last.year)]
    months = [
        (names[month], [count, before])
        for month, (count, before) in enumerate(zip(this.by_month, last.by_month, strict=True))
    ]
    harbours = [
        (harbour.name, [this.by_harbour.get(harbour.id), last.by_harbour.get(harbour.id)])
        for harbour in progress.harbours
    ]
    return [
        bar_chart(
            "chart-season-months",
            _("Reports per month"),
            season_summary(progress),
            _("Month"),
            seasons,
            months,
        ),
        bar_chart(
            "chart-season-harbours",
            _("Reports per harbour"),
            _("This season against the last, per harbour taking part."),
            _("Harbour"),
            seasons,
            harbours,
        ),
    ]


def season_summary(progress):
    """Say how this season compares with the last, in words."""
    return _(
        "%(count)s reports from 1 January to %(day)s %(year)s, against %(before)s in the same"
        " part of %(last_year)s.",
        count=number_text(progress.this.reports),
        day=format_date(progress.this.last_day, "d MMMM"),
        year=progress.this.year,
        before=number_text(progress.last.reports),
        last_year=progress.last.year,
    )
