"""The report form and the endpoint it and the outbox post to; receipts; the status look-up."""

import uuid

from flask import current_app, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from .. import rate_limits, security
from ..extensions import csrf, db
from ..formatting import local_input_text
from ..models import ReportStatus
from ..rendering import json_answer, json_error, render, wants_json
from . import bp, notifications, readers
from .forms import PLATE_ROWS_READ, ReportForm, StatusForm
from .submission import Conflict, find_report, is_stored, submit_report

#: The fields a JSON client may send, as the form names them.
JSON_FIELDS = (
    "client_id",
    "harbour",
    "place",
    "observed_at",
    "vehicle",
    "direction",
    "what_happened",
    "latitude",
    "longitude",
    "phone",
)
PLATE_FIELDS = ("country", "text")


bp.add_app_template_global(readers.harbours_without_contact_person)


@bp.context_processor
def add_reader_texts():
    """Give the receipts and "My reports" what they say of who reads a report."""
    return {"reader_texts": readers.READERS}


@bp.route("/report", methods=["GET", "POST"])
@csrf.exempt
def new_report():
    """Show the report form; take a report from it, from htmx or from the outbox, exactly once."""
    if request.method == "GET":
        harbours = readers.form_harbours()
        form = ReportForm(
            formdata=None,
            harbours=harbours.offered,
            unread=harbours.unread,
            data={"client_id": str(uuid.uuid4()), "observed_at": local_input_text()},
        )
        return render("reports/new_report.html", form=form)
    if not security.is_same_origin():
        return refuse_cross_site()
    data = submitted_data()
    if data is None:
        return answer_unreadable()
    harbours = readers.form_harbours()
    form = ReportForm(
        formdata=data,
        harbours=harbours.offered,
        unread=harbours.unread,
        withdrawn=harbours.withdrawn,
    )
    if "add_plate" in data:
        return answer_with_another_plate_row(form)
    refusal = rate_limits.count("REPORT_RATE_LIMIT")
    valid = form.validate()
    # Over the limit, an outbox's retry of a stored report still gets its receipt. Only then
    # is the client_id looked up: otherwise the insert itself tells a repeat from a new one.
    if refusal and not (valid and is_stored(form.client_id.uuid)):
        raise refusal
    if not valid:
        return answer_invalid(form)
    outcome = submit_report(form.client_id.uuid, form.observation())
    if isinstance(outcome, Conflict):
        return answer_conflict(form)
    db.session.commit()
    if outcome.created:
        notifications.notify_new_report(outcome.report_id)
    return answer_stored(outcome, form)


@bp.get("/report/receipt")
def show_receipt():
    """Show the receipt whose reference code is in the address's fragment, or say there is none.

    The fragment (`/sv/report/receipt#7K3M9QX2PB`) never reaches the server, its access log or
    a proxy: static/js/show-receipt-page.js reads it. So the page is the same for everyone and
    opens offline from the service worker's cache. A post without JavaScript gets this page
    with its report filled in by the server instead (see `answer_stored`).
    """
    return render("reports/show_receipt.html", report=None, form=StatusForm(formdata=None))


@bp.route("/status", methods=["GET", "POST"])
@csrf.exempt
def show_status():
    """Look up the status of a report by its reference code, without showing its content.

    The form posts the code, so that it stays out of addresses, histories and access logs.
    A GET shows the empty form; one with `?code=` (a link of an earlier version) is sent to
    it rather than answered, so that no link on the page repeats the code.
    """
    if "code" in request.args:
        return redirect(url_for("reports.show_status"), 303)
    looks_up = request.method == "POST"
    if looks_up:
        rate_limits.check("STATUS_RATE_LIMIT")
    form = StatusForm(formdata=request.form if looks_up else None)
    report, status = None, 200
    if looks_up and form.validate():
        report = find_report(form.code.reference)
        if report is None:
            form.code.errors.append(
                _("No report has the code %(code)s.", code=form.code.reference)
                + " "
                + _(
                    "Reports are deleted %(closed)s days after they are closed and at the "
                    "latest %(max)s days after they were sent, so an old code finds nothing.",
                    closed=current_app.config["REPORT_RETENTION_CLOSED_DAYS"],
                    max=current_app.config["REPORT_RETENTION_MAX_DAYS"],
                )
            )
            status = 404
    elif looks_up:
        status = 422
    return render(
        "reports/show_status.html",
        status=status,
        form=form,
        report=report,
        meanings=status_meanings(),
    )


def submitted_data():
    """Return the posted fields as the form names them, from a form or JSON; None if unreadable."""
    if not request.is_json:
        return request.form
    data = request.get_json(silent=True)
    return formdata_from_json(data) if isinstance(data, dict) else None


def formdata_from_json(data):
    """Name the fields of a JSON report as the HTML form does (plates-0-text and so on)."""
    formdata = MultiDict()
    for name in JSON_FIELDS:
        if is_scalar(data.get(name)):
            formdata.add(name, str(data[name]))
    categories = data.get("categories")
    for category in categories if isinstance(categories, list) else []:
        if is_scalar(category):
            formdata.add("categories", str(category))
    rows = data.get("plates")
    for index, row in enumerate(rows[:PLATE_ROWS_READ] if isinstance(rows, list) else []):
        if not isinstance(row, dict):
            continue
        for name in PLATE_FIELDS:
            if is_scalar(row.get(name)):
                formdata.add(f"plates-{index}-{name}", str(row[name]))
        if row.get("uncertain") is True:
            formdata.add(f"plates-{index}-uncertain", "y")
    return formdata


def is_scalar(value):
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def receipt(stored, form):
    """Say what the phone keeps of a stored report, and who reads it (as the form chose)."""
    return {
        "client_id": str(form.client_id.uuid),
        "reference": stored.reference,
        "status": stored.status.value,
        # The code is posted to it (as `code`), never put in the address.
        "status_url": url_for("reports.show_status"),
        "harbour": form.harbour_name(),
        "read_by": form.reader().value,
    }


def answer_stored(stored, form):
    """Give the receipt; its reference code never in an address, which access logs keep.

    Without JavaScript the answer to the post is the receipt itself: a reload sends the same
    report again, which gets the same receipt. htmx goes to the receipt page with the code in
    the fragment, which the browser keeps to itself; the JSON receipt in the body of that
    answer is what the page keeps in "My reports" on the phone before it goes there.
    """
    status = 201 if stored.created else 200
    if wants_json():
        return json_answer(receipt(stored, form), status)
    if request.headers.get("HX-Request"):
        # A whole new page: htmx would otherwise put the receipt page inside the form.
        response = json_answer(receipt(stored, form), 200)
        response.headers["HX-Redirect"] = url_for("reports.show_receipt", _anchor=stored.reference)
        return response
    return render(
        "reports/show_receipt.html",
        status=status,
        report=stored.report,
        receipt=receipt(stored, form),
        harbour=form.harbour_name(),
        reader=form.reader(),
        meanings=status_meanings(),
    )


def answer_with_another_plate_row(form):
    """Give the form back as typed, with one more plate row to fill in: "Add a registration
    number" without JavaScript. Nothing is checked or stored yet."""
    if len(form.plates) < form.max_plates:
        form.plates.append_entry()
    return render("reports/new_report.html", form=form, added_plate=True)


def answer_invalid(form):
    if wants_json():
        message = _("The report was not sent: correct what is said beside each field.")
        return json_error(422, message, errors=form.errors_by_name())
    return render_form(form, 422)


def answer_unreadable():
    message = _("The report could not be read. Send it as a form or as a JSON object.")
    if wants_json():
        return json_error(400, message, errors={"form": [message]})
    return render(
        "errors/error.html", status=400, title=_("The report could not be read"), message=message
    )


def answer_conflict(form):
    message = _(
        "A different report was already sent from this form. This one has now been given a "
        "new identity: check it and send it again."
    )
    if wants_json():
        return json_error(409, message, client_id=form.client_id.data)
    form.client_id.data = str(uuid.uuid4())
    form.form_errors.append(message)
    return render_form(form, 409)


def refuse_cross_site():
    message = _(
        "The report was not accepted because it was sent from another website. "
        "Open the form on this site and send it from there."
    )
    if wants_json():
        return json_error(403, message)
    return render(
        "errors/error.html", status=403, title=_("Sent from another website"), message=message
    )


def render_form(form, status):
    return render(
        "reports/new_report.html", fragment="reports/_form.html", status=status, form=form
    )


def status_meanings():
    return {
        ReportStatus.RECEIVED: (
            _("Received"),
            _("Your report has arrived. The harbour’s contact person has not looked at it yet."),
        ),
        ReportStatus.UNDER_REVIEW: (
            _("Under review"),
            _("The harbour’s contact person is looking at your report."),
        ),
        ReportStatus.PASSED_TO_POLICE: (
            _("Passed to the police"),
            _("The contact person has passed your report on to the police."),
        ),
        ReportStatus.CLOSED: (
            _("Closed"),
            _("Nothing more will be done with the report. Thank you for sending it."),
        ),
        ReportStatus.DUPLICATE: (
            _("Already reported"),
            _(
                "Someone had already reported the same thing; the contact person handles it "
                "together with that report."
            ),
        ),
        ReportStatus.DISCARDED: (
            _("Not taken further"),
            _("The contact person has looked at the report and will not take it further."),
        ),
    }
