"""The audit log: who read or changed what, written as it happens and read back in words."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from . import paging
from .extensions import db
from .formatting import period_text
from .models import STATUS_LABELS, AuditEvent, Report, ReportStatus

PAGE_SIZE = 50
#: What record() writes as the actor when no account acted.
SYSTEM = "system"
#: The kinds of entry the administrator filters by, each with the actions it holds.
KINDS = {
    "reports": (_l("Report views and changes"), ("viewed", "status", "note")),
    "exports": (_l("Exports"), ("exported",)),
    "logins": (
        _l("Log-ins and passwords"),
        ("logged_in", "login_failed", "logged_out", "password_changed", "sessions_ended"),
    ),
    "admin": (
        _l("Accounts, harbours and citizen promises"),
        (
            "account_added",
            "account_changed",
            "password_set",
            "harbour_added",
            "harbour_changed",
            "promise_added",
            "promise_changed",
            "promise_published",
            "training_changed",
        ),
    ),
    "deletions": (_l("Deletions"), ("deleted",)),
    "alerts": (_l("Alerts"), ("alert_sent", "alert_withdrawn")),
}


#: How the log names what an export included beyond what the police were promised
#: (inbox/details.OPTIONAL).
EXPORT_CHOICES = {"phone": _l("the reporter's phone number"), "note": _l("the note")}


def init_app(app):
    app.add_template_filter(describe, "audit_text")


def record(account, action, report_id=None, **details):
    """Write who did what to the audit log."""
    db.session.add(
        AuditEvent(
            account_id=account.id if account else None,
            actor=account.email if account else SYSTEM,
            action=action,
            report_id=report_id,
            details=details,
        )
    )


@dataclass(frozen=True)
class Names:
    """The names of the accounts and harbours that entries know by id only.

    The log keeps no names: they are today's, looked up as the page is shown.
    """

    accounts: dict[int, str] = field(default_factory=dict)
    harbours: dict[int, str] = field(default_factory=dict)
    #: How the reader may name the reports that entries point to: their reference codes while
    #: they exist (report_codes, triage.history_names).
    reports: dict[int, str] = field(default_factory=dict)

    def account(self, account_id):
        return self.accounts.get(account_id) or _("account no. %(id)s", id=account_id)

    def harbour(self, harbour_id, name=None):
        return self.harbours.get(harbour_id) or name or _("harbour no. %(id)s", id=harbour_id)

    def report(self, report_id):
        return self.reports.get(report_id) or _("a deleted report")

    def actor(self, event):
        """Say who wrote the entry: the account with its address then, or what ran without one."""
        if event.account_id in self.accounts:
            return f"{self.accounts[event.account_id]} ({event.actor})"
        if event.actor != SYSTEM:
            return event.actor
        # Only the daily purge deletes; everything else without an account is a flask command.
        return _("Scheduled deletion") if event.action == "deleted" else _("Command line")


def page_of(account_id=None, kind=None, since=None, until=None, before=None, size=PAGE_SIZE):
    """Return a page of entries older than the id `before`, newest first, of the days from
    `since` to `until` (both included, either open)."""
    query = select(AuditEvent)
    if account_id is not None:
        query = query.where(AuditEvent.account_id == account_id)
    if kind is not None:
        query = query.where(AuditEvent.action.in_(KINDS[kind][1]))
    query = paging.within_days(query, AuditEvent.at, since, until)
    return paging.page_of(query, AuditEvent.id, before, size)


def report_codes(events):
    """Return the reference codes of the reports that the entries name and that still exist.

    The log keeps a report's number only: its code is looked up as the log is read, and once
    the report is deleted the entry names nothing that leads to it.
    """
    report_ids = {event.report_id for event in events if event.report_id is not None}
    report_ids |= {(event.details or {}).get("duplicate_of_id") for event in events} - {None}
    if not report_ids:
        return {}
    return dict(
        db.session.execute(
            select(Report.id, Report.reference).where(Report.id.in_(report_ids))
        ).all()
    )


def describe(event, names=None):
    """Say in the reader's language what an entry records."""
    names = names or Names()
    details = event.details or {}
    match event.action:
        case "viewed":
            return _("opened the report")
        case "note":
            return _("changed the note")
        case "status":
            return status_text(details, names)
        case "exported":
            return export_text(event, details)
        case "logged_in":
            return _("logged in")
        case "login_failed":
            return _("a log-in to this account failed")
        case "logged_out":
            return _("logged out")
        case "password_changed":
            return _("changed their own password")
        case "sessions_ended":
            return _("ended every session: everyone must log in again")
        case "password_set":
            return _("gave %(name)s a new password", name=names.account(details.get("account_id")))
        case "account_added":
            return account_added_text(details, names)
        case "account_changed":
            return _(
                "changed the account of %(name)s (%(what)s)",
                name=names.account(details.get("account_id")),
                what=account_changes(details),
            )
        case "harbour_added":
            return _(
                "added the harbour %(name)s",
                name=names.harbour(details.get("harbour_id"), details.get("name")),
            )
        case "harbour_changed":
            return _(
                "changed the harbour %(name)s (%(what)s)",
                name=names.harbour(details.get("harbour_id"), details.get("name")),
                what=harbour_changes(details),
            )
        case "promise_added":
            return _("added a draft of the citizen promise for %(period)s", period=period(details))
        case "promise_changed":
            return _("changed the citizen promise for %(period)s", period=period(details))
        case "promise_published":
            return _("published the citizen promise for %(period)s", period=period(details))
        case "training_changed":
            return _("changed the training line of the public page")
        case "deleted":
            return deletion_text(details)
        case "alert_sent":
            return ngettext(
                "sent an alert for %(harbour)s to %(num)s phone",
                "sent an alert for %(harbour)s to %(num)s phones",
                details.get("sent_to", 0),
                harbour=alert_harbour(details, names),
            )
        case "alert_withdrawn":
            return _("withdrew an alert for %(harbour)s", harbour=alert_harbour(details, names))
    # An action newer than this function: its name is better than nothing.
    return event.action


def alert_harbour(details, names):
    harbour_id = details.get("harbour_id")
    return _("every harbour") if harbour_id is None else names.harbour(harbour_id)


def status_text(details, names):
    text = _(
        "changed the status from %(old)s to %(new)s",
        old=status_label(details.get("from")),
        new=status_label(details.get("to")),
    )
    if details.get("case_number"):
        # An entry written before the log left the number out, until retention.forget_codes
        # takes it out. Such an entry's reference code is never shown: it may be another
        # harbour's.
        text += f" ({details['case_number']})"
    elif details.get("case_number_changed"):
        text += " ({})".format(_("police case number set"))
    if details.get("duplicate_of_id") is not None:
        original = names.report(details["duplicate_of_id"])
        text += " ({})".format(_("duplicate of %(report)s", report=original))
    return text


def status_label(value):
    try:
        return STATUS_LABELS[ReportStatus(value)]
    except ValueError:
        return value


def export_text(event, details):
    """Describe an export: in a report's history the report, in the whole log the count; and
    what the contact person chose to include beyond what the police were promised."""
    printed = details.get("format") == "print"
    if event.report_id is not None:
        text = _("opened it for printing") if printed else _("exported it as CSV")
    else:
        count = details.get("count", 0)
        if printed:
            text = ngettext(
                "opened %(num)s report for printing", "opened %(num)s reports for printing", count
            )
        else:
            text = ngettext(
                "exported %(num)s report as CSV", "exported %(num)s reports as CSV", count
            )
    included = [EXPORT_CHOICES[key] for key in details.get("included", []) if key in EXPORT_CHOICES]
    if included:
        text += " ({})".format(
            _("with %(what)s", what=_(" and ").join(str(what) for what in included))
        )
    return text


def account_added_text(details, names):
    name = names.account(details.get("account_id"))
    if details.get("admin"):
        return _("added the administrator account of %(name)s", name=name)
    return _("added the account of %(name)s", name=name)


def account_changes(details):
    """Name what changed of an account, as edit_account and the deactivate command log it."""
    changes = []
    if details.get("name_changed"):
        changes.append(_("name"))
    if "admin" in details:
        changes.append(_("role"))
    if "harbour_ids" in details:
        changes.append(_("harbours"))
    if "language" in details:
        changes.append(_("language"))
    if "active" in details:
        changes.append(_("activated") if details["active"] else _("deactivated"))
    return ", ".join(changes)


def harbour_changes(details):
    changes = []
    if "name" in details:
        changes.append(_("name"))
    if "sort_order" in details:
        changes.append(_("place in lists"))
    if "active" in details:
        changes.append(
            _("offered in the report form")
            if details["active"]
            else _("taken out of the report form")
        )
    return ", ".join(changes)


def period(details):
    return period_text(details.get("first_year"), details.get("last_year"))


def deletion_text(details):
    count, days = details.get("count", 0), details.get("days")
    if details.get("reason") == "ended":
        return ngettext(
            "deleted %(num)s report ended over %(days)s days ago",
            "deleted %(num)s reports ended over %(days)s days ago",
            count,
            days=days,
        )
    return ngettext(
        "deleted %(num)s report received over %(days)s days ago",
        "deleted %(num)s reports received over %(days)s days ago",
        count,
        days=days,
    )
