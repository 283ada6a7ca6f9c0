"""The contact person's inbox: the reports of their harbours, a report's page, triage."""

import re
from datetime import date

from flask import Blueprint, abort, current_app, flash, make_response, redirect, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Optional, ValidationError

from . import accounts, audit, exports, i18n, inbox, plates, security
from .extensions import db
from .forms import at_most, clean, to_int
from .models import Harbour, ReportStatus, utc_now
from .observations import CATEGORIES, find_report
from .plates import COUNTRIES
from .rendering import render

bp = Blueprint("coordinator", __name__, url_prefix="/<any(sv, en):lang>/inbox")
i18n.localise(bp)

#: As the police write it: region, K and a serial number, year. For example 5000-K123456-24.
CASE_NUMBER = re.compile(r"[0-9]{4}-K[0-9]{1,8}-[0-9]{2}")
#: The dates a filter accepts: the year 1 or 9999 would overflow turning a day into moments.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


@bp.before_request
@login_required
def require_login():
    """Every page here is for logged-in contact persons and administrators."""


bp.after_request(security.no_store)


def status_choices():
    # The enum's plain value: a StrEnum member would be compared and rendered as itself.
    return [SelectChoice(status.value, label) for status, label in inbox.STATUS_LABELS.items()]


def upper_clean(value):
    value = clean(value)
    return "".join(value.split()).upper() if isinstance(value, str) else value


def plausible_day(form, field):
    if field.data and not FIRST_DAY <= field.data <= LAST_DAY:
        raise ValidationError(
            _(
                "Choose a date from %(first)s to %(last)s.",
                first=FIRST_DAY.isoformat(),
                last=LAST_DAY.isoformat(),
            )
        )


def choices(labels):
    """Return the options of a select field from a dict of labels by value."""
    return [SelectChoice(value, label) for value, label in labels.items()]


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    harbour = SelectField(_l("Harbour"), coerce=to_int, validate_choice=False)
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice("", _l("All statuses")), *status_choices()],
        default="",
    )
    category = SelectField(
        _l("What was seen"),
        choices=[SelectChoice("", _l("Everything")), *choices(CATEGORIES)],
        default="",
    )
    received_from = DateField(
        _l("Received from"),
        validators=[Optional(), plausible_day],
        render_kw={"autocomplete": "off"},
    )
    received_to = DateField(_l("Received until"), validators=[Optional(), plausible_day])
    plate = StringField(_l("Registration number"), filters=[clean])

    def __init__(self, harbours, **kwargs):
        super().__init__(**kwargs)
        self.harbour.choices = [
            # Empty, as the other filters' "all": it then stays out of the address.
            SelectChoice("", _("All my harbours")),
            *(SelectChoice(harbour.id, harbour.name) for harbour in harbours),
        ]
        self.visible_harbour_ids = {harbour.id for harbour in harbours}

    def validate_harbour(self, field):
        if field.data is not None and field.data not in self.visible_harbour_ids:
            raise ValidationError(_("Choose one of your harbours."))

    def validate_received_to(self, field):
        start = self.received_from.data
        if field.data and start and field.data < start:
            raise ValidationError(_("The end date must not be before the start date."))

    def validate_plate(self, field):
        if field.data and len(plates.normalise(field.data)) > plates.MAX_LENGTH:
            raise ValidationError(
                _("A registration number has at most %(max)s characters.", max=plates.MAX_LENGTH)
            )

    def filters(self):
        """Return the Filters the form describes (call after validate())."""
        return inbox.Filters(
            harbour_id=self.harbour.data,
            status=ReportStatus(self.status.data) if self.status.data else None,
            category=self.category.data or None,
            received_from=self.received_from.data,
            received_to=self.received_to.data,
            plate=plates.normalise(self.plate.data) if self.plate.data else None,
        )

    def query_args(self):
        """Return the filters as URL arguments, for links to other pages of the same list."""
        return {
            field.name: field.raw_data[0] for field in self if field.raw_data and field.raw_data[0]
        }


class TriageForm(FlaskForm):
    status = SelectField(_l("Status"), choices=status_choices())
    case_number = StringField(
        _l("Police case number"),
        filters=[upper_clean],
        description=_l("Needed when the report is passed to the police, e.g. 5000-K123456-24."),
    )
    duplicate_of = StringField(
        _l("Duplicate of report"),
        filters=[upper_clean],
        description=_l("The reference code of the earlier report, when this one repeats it."),
    )
    note = TextAreaField(
        _l("Note"),
        filters=[clean],
        validators=[at_most(2000)],
        description=_l("Only contact persons see it, never the person who reported."),
    )

    def __init__(self, report, **kwargs):
        super().__init__(**kwargs)
        self.report = report
        self.original = None

    def validate_case_number(self, field):
        if self.status.data != ReportStatus.PASSED_TO_POLICE:
            return
        if not field.data:
            raise ValidationError(_("Write the police case number, for example 5000-K123456-24."))
        if not CASE_NUMBER.fullmatch(field.data):
            raise ValidationError(
                _("A police case number looks like 5000-K123456-24. Check what you wrote.")
            )

    def validate_duplicate_of(self, field):
        if self.status.data != ReportStatus.DUPLICATE:
            return
        if not field.data:
            raise ValidationError(_("Write the reference code of the report this one repeats."))
        original = find_report(field.data)
        if original is None or not accounts.may_read(current_user, original):
            raise ValidationError(_("None of your reports has this reference code."))
        if original.id == self.report.id:
            raise ValidationError(_("A report cannot be a duplicate of itself."))
        self.original = original


def visible_harbours():
    harbour_ids = accounts.visible_harbour_ids(current_user)
    if harbour_ids is None:
        return db.session.scalars(db.select(Harbour).order_by(Harbour.name)).all()
    return current_user.harbours


def id_arg(name):
    """Return an id from the address, or None if it is missing or cannot be a report's id."""
    value = request.args.get(name, "")
    # isdigit() admits digits of other scripts, which int() reads too: only ASCII ones here.
    if not (value.isascii() and value.isdigit() and len(value) <= len(str(inbox.MAX_ID))):
        return None
    # Beyond MAX_ID PostgreSQL refuses even to compare; every id is below such a number anyway.
    return int(value) if int(value) <= inbox.MAX_ID else None


def before_id():
    """Return the keyset position from the address, or None for the first page."""
    return id_arg("before")


@bp.get("/")
def list_reports():
    """List the reports of the person's harbours, newest first, filtered and page by page."""
    harbour_ids = accounts.visible_harbour_ids(current_user)
    form = FilterForm(visible_harbours(), formdata=request.args)
    status = 200
    if form.validate():
        page = inbox.page_of(harbour_ids, form.filters(), before=before_id())
    else:
        page, status = inbox.Page([], None), 422
    return render(
        "coordinator/list_reports.html",
        fragment="coordinator/_results.html",
        status=status,
        form=form,
        page=page,
        first_page=before_id() is None,
        counts=inbox.plate_counts(harbour_ids, page.reports),
        unread=inbox.unread_count(harbour_ids),
        latest=inbox.latest_id(harbour_ids),
        **labels(),
    )


@bp.get("/new")
def list_new_reports():
    """Answer the open inbox's poll with the reports that arrived since it last asked."""
    harbour_ids = accounts.visible_harbour_ids(current_user)
    after = id_arg("after")
    form = FilterForm(visible_harbours(), formdata=request.args)
    if after is None or not form.validate():
        abort(400)
    reports = inbox.newer_than(harbour_ids, form.filters(), after)
    return render(
        "coordinator/_new_reports.html",
        form=form,
        reports=reports,
        counts=inbox.plate_counts(harbour_ids, reports),
        unread=inbox.unread_count(harbour_ids),
        latest=max([after] + [report.id for report in reports]),
        **labels(),
    )


@bp.get("/<int:report_id>")
def show_report(report_id):
    """Show everything that was reported, its other sightings of plates, and its triage."""
    report = readable_report(report_id)
    inbox.open_report(current_user, report)
    db.session.commit()
    return render_report(report, TriageForm(report, data=triage_data(report)))


@bp.post("/<int:report_id>")
def update_report(report_id):
    """Change the status and note of a report."""
    report = readable_report(report_id)
    form = TriageForm(report)
    if not form.validate():
        return render_report(report, form, status=422)
    inbox.change_status(
        current_user,
        report,
        ReportStatus(form.status.data),
        case_number=form.case_number.data or None,
        duplicate_of=form.original,
    )
    inbox.change_note(current_user, report, form.note.data or "")
    db.session.commit()
    flash(_("The report has been saved."))
    # To the top of the content, where the message is, not to the form the post came from.
    return redirect(url_for("coordinator.show_report", report_id=report.id, _anchor="main"), 303)


def readable_report(report_id):
    """Return the report if the person may read it; 404 otherwise, so ids reveal nothing."""
    report = inbox.visible_report(current_user, report_id)
    if report is None:
        abort(404)
    return report


def triage_data(report):
    return {
        "status": report.status.value,
        "case_number": report.police_case_number or "",
        "duplicate_of": report.duplicate_of.reference if report.duplicate_of else "",
        "note": report.note,
    }


def render_report(report, form, status=200):
    harbour_ids = accounts.visible_harbour_ids(current_user)
    duplicate_of = report.duplicate_of
    return render(
        "coordinator/show_report.html",
        status=status,
        report=report,
        form=form,
        matches=inbox.matches(harbour_ids, report),
        history=inbox.history(report),
        duplicate_of=duplicate_of
        if duplicate_of and accounts.may_read(current_user, duplicate_of)
        else None,
        **labels(),
    )


@bp.app_template_filter()
def local_datetime(moment):
    """Write a moment as the clock in Oxelösund showed it, the same way in both languages."""
    return format_datetime(moment, "yyyy-MM-dd HH:mm")


@bp.app_template_filter()
def category_label(key):
    return CATEGORIES.get(key, key)


@bp.app_template_filter()
def audit_text(event, names=None):
    """Say in the reader's language what an audit log entry records."""
    return audit.describe(event, names)


def labels():
    return {
        "status_labels": inbox.STATUS_LABELS,
        "categories": CATEGORIES,
        "countries": COUNTRIES,
        "poll_seconds": current_app.config["INBOX_POLL_SECONDS"],
        "counted": inbox.COUNTED,
    }


@bp.get("/export.csv")
def export_csv():
    """Download the filtered reports as a spreadsheet file, to pass on to the police."""
    form = FilterForm(visible_harbours(), formdata=request.args)
    if not form.validate():
        # The inbox with the filter's errors beside it (422), where they can be corrected.
        return list_reports()
    harbour_ids = accounts.visible_harbour_ids(current_user)
    selection = exports.select_reports(harbour_ids, form.filters())
    exports.record_export(current_user, selection, "csv")
    db.session.commit()
    response = make_response(exports.write_csv(selection, i18n.current_language()))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    day = utc_now().astimezone(exports.LOCAL_TIME).date().isoformat()
    response.headers["Content-Disposition"] = f'attachment; filename="batsamverkan-{day}.csv"'
    return response


@bp.get("/print")
def print_reports():
    """Show the filtered reports in full on a page laid out for paper."""
    form = FilterForm(visible_harbours(), formdata=request.args)
    if not form.validate():
        return list_reports()
    harbour_ids = accounts.visible_harbour_ids(current_user)
    selection = exports.select_reports(
        harbour_ids, form.filters(), limit=exports.MAX_PRINTED_REPORTS
    )
    exports.record_export(current_user, selection, "print")
    db.session.commit()
    return render(
        "coordinator/print_reports.html",
        form=form,
        selection=selection,
        described_filters=described_filters(form),
        printed_at=utc_now(),
        counts=inbox.plate_counts(harbour_ids, selection.reports),
        duplicates={
            report.id: report.duplicate_of.reference
            for report in selection.reports
            if report.duplicate_of and accounts.may_read(current_user, report.duplicate_of)
        },
        **labels(),
    )


def described_filters(form):
    """Return (label, value) of each filter in use, as the printed heading names them."""
    described = []
    for field in form:
        if not field.data:
            continue
        if isinstance(field, SelectField):
            value = {choice.value: choice.label for choice in field.choices}[field.data]
        elif field.name == "plate":
            value = plates.normalise(field.data)
        else:
            value = field.data.isoformat()
        described.append((field.label.text, value))
    return described
