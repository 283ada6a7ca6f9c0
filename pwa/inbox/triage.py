"""Triage: a report opened, moved to another status or given a note, each in the audit log."""

from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit
from ..auth import accounts
from ..extensions import db
from ..models import ENDED_STATUSES, AuditEvent, Report, ReportStatus, utc_now
from ..situation import counts


def open_report(account, report, *, logged=False):
    """Record that the account looked at the report; the first look starts its review.

    `logged` says that this look is already in the log: the caller logs a report once per
    session, for a reload or a return from another page is not another reading.
    """
    if not logged:
        audit.record(account, "viewed", report.id)
    if report.read_at is not None:
        # Only the first look: a report set back to New on purpose stays New.
        return
    report.read_at = utc_now()
    if report.status == ReportStatus.RECEIVED:
        change_status(account, report, ReportStatus.UNDER_REVIEW)


def change_status(account, report, status, *, case_number=None, duplicate_of=None):
    """Move the report to a status, keeping what the status needs, and log the change."""
    previous = report.status
    before = (report.police_case_number, report.duplicate_of)
    report.status = status
    if status == ReportStatus.PASSED_TO_POLICE:
        report.police_case_number = case_number
    report.duplicate_of = duplicate_of if status == ReportStatus.DUPLICATE else None
    if status in ENDED_STATUSES:
        if previous not in ENDED_STATUSES:
            report.ended_at = utc_now()
    else:
        report.ended_at = None
    # The log outlives the report: it says that a case number was set, never the number, and
    # names an original by its id, never by its reference code (the privacy page says so).
    details = {"from": previous.value, "to": status.value}
    if report.police_case_number != before[0]:
        details["case_number_changed"] = True
    if report.duplicate_of is not None:
        details["duplicate_of_id"] = report.duplicate_of.id
    # Saving a note alone leaves the status as it was: that is no change to log.
    if previous != status or before != (report.police_case_number, report.duplicate_of):
        audit.record(account, "status", report.id, **details)
    # The lägesbild counts reports passed to the police: move this one if that changed.
    counts.catch_up([report])


def change_note(account, report, note):
    if note != report.note:
        report.note = note
        # The note may hold personal data: the log says only that it changed.
        audit.record(account, "note", report.id)


def history(report):
    """Return the audit log of a report, oldest first."""
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.report_id == report.id).order_by(AuditEvent.id)
    ).all()


def history_names(account, events):
    """Name the reports that entries point to, as the account may see them.

    A report of a harbour the account may not read is named as such, without its code.
    """
    ids = {(event.details or {}).get("duplicate_of_id") for event in events} - {None}
    found = db.session.scalars(select(Report).where(Report.id.in_(ids))).all() if ids else []
    reports = dict.fromkeys(ids, _("a deleted report"))
    for report in found:
        readable = accounts.may_read(account, report)
        reports[report.id] = report.reference if readable else _("a report of another harbour")
    return audit.Names(reports=reports)
