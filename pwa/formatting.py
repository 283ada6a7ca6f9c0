"""Times, dates and numbers as the app reads and writes them: the clock in Oxelösund."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

#: Times are stored in UTC and shown as the clock in Oxelösund shows them.
TIME_ZONE = "Europe/Stockholm"
LOCAL_TIME = ZoneInfo(TIME_ZONE)
#: A moment on a page, in an e-mail or an export, the same in both languages: 2025-06-30 14:30.
MOMENT_FORMAT = "%Y-%m-%d %H:%M"
#: How the form's datetime-local input writes a time.
INPUT_FORMAT = "%Y-%m-%dT%H:%M"


def init_app(app):
    app.add_template_filter(local_datetime)
    app.add_template_global(position_text)
    app.add_template_global(period_text)


def local_datetime(moment):
    """Write a moment as the clock in Oxelösund showed it; nothing for no moment."""
    return moment.astimezone(LOCAL_TIME).strftime(MOMENT_FORMAT) if moment else ""


def local_today(now=None):
    """Return the date in Oxelösund."""
    return (now or datetime.now(UTC)).astimezone(LOCAL_TIME).date()


def start_of_day(day: date):
    """Return the moment at which a day begins in Oxelösund."""
    return datetime.combine(day, time(), LOCAL_TIME)


def local_input_text(now=None):
    """Return the local time as the form's input writes it."""
    return (now or datetime.now(UTC)).astimezone(LOCAL_TIME).strftime(INPUT_FORMAT)


def parse_local_time(text):
    """Read local Swedish time, or ISO 8601 with an offset, as UTC; None if unreadable."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TIME)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return None


def period_text(first_year, last_year):
    """Write a period of whole years as people say it: "2024–2025", or "2026" for one year."""
    return str(first_year) if first_year == last_year else f"{first_year}–{last_year}"


def position_text(latitude, longitude):
    """Write a position in degrees to five decimals (about a metre); nothing for none."""
    if latitude is None or longitude is None:
        return ""
    return f"{latitude:.5f}, {longitude:.5f}"
