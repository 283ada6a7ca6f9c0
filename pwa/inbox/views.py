"""The contact person's inbox: the reports of their harbours, a report's page, triage."""

from flask import abort, current_app, flash, make_response, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict
from wtforms import SelectField

from .. import i18n, paging, security
from ..auth import accounts
from ..extensions import db
from ..formatting import local_today
from ..models import STATUS_LABELS, ReportStatus, utc_now
from ..rendering import render
from ..reports import plates
from ..reports.submission import CATEGORIES
from . import bp, details, exports, queries, searches, triage
from .forms import ExportForm, FilterForm, TriageForm


@bp.before_request
@login_required
def require_login():
    """Every page here is for logged-in contact persons and administrators."""


bp.after_request(security.no_store)


@bp.get("/")
def list_reports():
    """List the reports of the person's harbours, newest first, filtered and page by page."""
    search_id, form = kept_filters()
    return render_inbox(form, search_id)


@bp.post("/")
def filter_reports():
    """Keep the filters in the session and go to the inbox they select, named by an id only."""
    form = FilterForm(accounts.visible_harbours(current_user), formdata=request.form)
    if not form.validate():
        return render_inbox(form)
    values = form.query_args()
    search_id = searches.remember(values) if values else None
    # htmx follows the redirect too, and puts the address it ends at in the history.
    return redirect(url_for("inbox.list_reports", filter=search_id), 303)


def kept_filters():
    """Return the id of the filters the address names and their form; none if the session
    holds no such filters."""
    search_id = request.args.get("filter")
    values = searches.recall(search_id)
    if values is None:
        search_id = None
    return search_id, FilterForm(
        accounts.visible_harbours(current_user), formdata=MultiDict(values or {})
    )


def render_inbox(form, search_id=None):
    """Render the inbox as the filter form selects it, or its errors (422)."""
    harbour_ids = accounts.visible_harbour_ids(current_user)
    status = 200
    if form.validate():
        page = queries.page_of(harbour_ids, form.filters(), before=paging.before_id())
    else:
        page, status = paging.Page([]), 422
    return render(
        "inbox/list_reports.html",
        fragment="inbox/_results.html",
        status=status,
        form=form,
        export_form=ExportForm(formdata=None),
        filter_args={"filter": search_id} if search_id else {},
        page=page,
        harbour_ids=harbour_ids,
        counts=queries.plate_counts(harbour_ids, page.items),
        unread=queries.unread_count(harbour_ids),
        latest=queries.latest_id(harbour_ids),
        **labels(),
    )


@bp.get("/new")
def list_new_reports():
    """Answer the open inbox's poll with the reports that arrived since it last asked."""
    harbour_ids = accounts.visible_harbour_ids(current_user)
    after = paging.id_arg("after")
    search_id, form = kept_filters()
    # Filters the session no longer holds: all reports would not be what the list shows.
    if after is None or search_id != request.args.get("filter") or not form.validate():
        abort(400)
    reports = queries.newer_than(harbour_ids, form.filters(), after)
    return render(
        "inbox/_new_reports.html",
        form=form,
        filter_args={"filter": search_id} if search_id else {},
        reports=reports,
        counts=queries.plate_counts(harbour_ids, reports),
        unread=queries.unread_count(harbour_ids),
        latest=max([after] + [report.id for report in reports]),
        **labels(),
    )


#: What Sec-Fetch-Site says of a page the person asked for: a link on this site's pages, or an
#: address typed, bookmarked or opened from a mail program.
OWN_REQUESTS = {"same-origin", "none"}


@bp.get("/<int:report_id>")
def show_report(report_id):
    """Show everything that was reported, its other sightings of plates, and its triage."""
    report = readable_report(report_id)
    if not asked_by_the_person():
        return render("inbox/confirm_report.html", report=report)
    triage.open_report(current_user, report, logged=seen_in_session(report.id))
    db.session.commit()
    return render_report(report, TriageForm(report, data=triage_data(report)))


#: The session key of the reports whose opening is in the audit log, oldest first.
VIEWED = "viewed_reports"
#: Reports kept in that list at most: a session that opens more logs the oldest again.
VIEWED_KEPT = 500


def seen_in_session(report_id):
    """Tell whether this session has opened the report before; remember that it has now."""
    viewed = session.get(VIEWED, [])
    if report_id in viewed:
        return True
    session[VIEWED] = [*viewed, report_id][-VIEWED_KEPT:]
    return False


@bp.post("/<int:report_id>")
def update_report(report_id):
    """Change the status and note of a report."""
    report = readable_report(report_id)
    form = TriageForm(report)
    if not form.validate():
        return render_report(report, form, status=422)
    triage.change_status(
        current_user,
        report,
        ReportStatus(form.status.data),
        case_number=form.case_number.data or None,
        duplicate_of=form.original,
    )
    triage.change_note(current_user, report, form.note.data or "")
    db.session.commit()
    flash(_("The report has been saved."))
    # To the top of the content, where the message is, not to the form the post came from.
    return redirect(url_for("inbox.show_report", report_id=report.id, _anchor="main"), 303)


def asked_by_the_person():
    """Tell whether the person asked for this page, rather than a link on another site.

    Opening a report marks it read, starts its review and writes who read it in the log. A
    link on another site (in a mail read on the web, too) brings the session cookie along
    (SameSite=Lax lets a link through), so it would do all that in the person's name: it
    gets a page that asks first. Browsers say where a request comes from in Sec-Fetch-Site,
    for every hop of a redirect; a browser too old for it by the Referer of a link, which
    another site can leave out, so one without either counts as the person's own.
    """
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in OWN_REQUESTS
    source = request.headers.get("Origin") or request.headers.get("Referer")
    return not source or security.is_this_site(source)


def readable_report(report_id):
    """Return the report if the person may read it; 404 otherwise, so ids reveal nothing."""
    report = queries.visible_report(current_user, report_id)
    if report is None:
        abort(404)
    return report


def triage_data(report):
    return {
        "status": report.status.value,
        "case_number": report.police_case_number or "",
        "duplicate_of": report.duplicate_of.reference if readable_original(report) else "",
        "note": report.note,
    }


def readable_original(report):
    """Return the report this one duplicates if the person may read it, else None."""
    original = report.duplicate_of
    return original if original and accounts.may_read(current_user, original) else None


def render_report(report, form, status=200):
    harbour_ids = accounts.visible_harbour_ids(current_user)
    history = triage.history(report)
    return render(
        "inbox/show_report.html",
        status=status,
        report=report,
        form=form,
        matches=queries.matches(harbour_ids, report),
        history=history,
        names=triage.history_names(current_user, history),
        duplicate_of=readable_original(report),
        **labels(),
    )


@bp.app_template_filter()
def category_label(key):
    return CATEGORIES.get(key, key)


def labels():
    return {
        "status_labels": STATUS_LABELS,
        "details": details,
        "categories": CATEGORIES,
        "countries": plates.COUNTRIES,
        "poll_seconds": current_app.config["INBOX_POLL_SECONDS"],
        "counted": queries.COUNTED,
        "related_shown": queries.RELATED_SHOWN,
    }


@bp.post("/export.csv")
def export_csv():
    """Download the filtered reports as a spreadsheet file, to pass on to the police.

    A post with the form's token, as the printable page: each writes to the audit log, which
    a link from another site must not do in the person's name.
    """
    form = FilterForm(accounts.visible_harbours(current_user), formdata=request.form)
    if not form.validate():
        # The inbox with the filter's errors beside it (422), where they can be corrected.
        return render_inbox(form)
    harbour_ids = accounts.visible_harbour_ids(current_user)
    selection = exports.select_reports(harbour_ids, form.filters())
    included = ExportForm(formdata=request.form).included()
    exports.record_export(current_user, selection, "csv", included)
    db.session.commit()
    response = make_response(exports.write_csv(selection, i18n.current_language(), included))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    day = local_today().isoformat()
    response.headers["Content-Disposition"] = f'attachment; filename="batsamverkan-{day}.csv"'
    return response


@bp.post("/print")
def print_reports():
    """Show the filtered reports in full on a page laid out for paper."""
    form = FilterForm(accounts.visible_harbours(current_user), formdata=request.form)
    if not form.validate():
        return render_inbox(form)
    harbour_ids = accounts.visible_harbour_ids(current_user)
    selection = exports.select_reports(
        harbour_ids, form.filters(), limit=exports.MAX_PRINTED_REPORTS
    )
    included = ExportForm(formdata=request.form).included()
    exports.record_export(current_user, selection, "print", included)
    db.session.commit()
    values = form.query_args()
    return render(
        "inbox/print_reports.html",
        form=form,
        filter_args={"filter": searches.remember(values)} if values else {},
        selection=selection,
        left_out=details.left_out(included),
        described_filters=described_filters(form),
        printed_at=utc_now(),
        counts=queries.plate_counts(harbour_ids, selection.reports),
        duplicates={
            report.id: original.reference
            if (original := readable_original(report))
            else _("a report of another harbour")
            for report in selection.reports
            if report.duplicate_of
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
