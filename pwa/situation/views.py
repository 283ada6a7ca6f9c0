"""The lägesbild's pages: the staff's figures, their printed page and files, the training
line, and the public "How it is going"."""

from flask import flash, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import i18n, security
from ..auth import accounts
from ..auth.sessions import admin_required
from ..extensions import db
from ..formatting import local_today
from ..models import utc_now
from ..rendering import render
from ..reports.submission import CATEGORIES
from . import bp, charts, counts, exports, figures, operations, public_bp
from .forms import SituationForm, TrainingForm


@bp.before_request
@login_required
def require_login():
    """The lägesbild is for logged-in contact persons and administrators."""


bp.after_request(security.no_store)


@bp.before_request
@public_bp.before_request
def count_new_reports():
    """Count the reports stored since the counts were last read: the pages show them all."""
    counts.catch_up()
    db.session.commit()


for helper in (charts.number_text, charts.percent, charts.progress_charts):
    bp.add_app_template_global(helper)


def chosen():
    """Return the filter form as the address fills it, and the person's harbours."""
    harbours = accounts.visible_harbours(current_user)
    form = SituationForm(harbours, local_today(), formdata=request.args)
    return form, harbours


def render_situation(template):
    """Render the lägesbild of the filters in the address, or their errors (422)."""
    form, harbours = chosen()
    if not form.validate():
        return render(template, status=422, form=form, situation=None, charts=[])
    situation = figures.situation(form.scope(), harbours)
    return render(
        template,
        form=form,
        situation=situation,
        charts=charts.charts(situation, CATEGORIES),
        filter_args=form.query_args(),
        printed_at=utc_now(),
    )


@bp.get("/")
def show_situation():
    """Show the reports of the person's harbours as charts with their numbers beside them."""
    return render_situation("situation/show_situation.html")


@bp.get("/print")
def print_situation():
    """Show the same figures on a page laid out for paper."""
    return render_situation("situation/print_situation.html")


@bp.get("/export.csv")
def export_csv():
    """Download the figures, and the public numbers of the same harbours, as CSV."""
    return export("csv")


@bp.get("/export.xlsx")
def export_xlsx():
    """Download the figures, and the public numbers of the same harbours, as a workbook."""
    return export("xlsx")


def export(kind):
    """Answer the file of the filters in the address.

    A GET: the file holds only counts, no report, so following a link to it does no harm.
    """
    form, harbours = chosen()
    if not form.validate():
        return render("situation/show_situation.html", status=422, form=form, situation=None)
    scope = form.scope()
    situation = figures.situation(scope, harbours)
    shown = [harbour for harbour in harbours if harbour.id in scope.harbour_ids]
    progress = figures.progress(local_today(), shown, scope.harbour_ids)
    found = exports.tables(
        situation,
        charts.charts(situation, CATEGORIES),
        progress,
        {harbour.id: harbour.name for harbour in shown},
    )
    if kind == "csv":
        response = make_response(exports.write_csv(found, i18n.current_language()))
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
    else:
        response = make_response(exports.write_xlsx(found))
        response.headers["Content-Type"] = (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    name = f"lagesbild-{scope.first.isoformat()}-{scope.last.isoformat()}.{kind}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/training", methods=["GET", "POST"])
@admin_required
def edit_training():
    """Let the administrator say when the contact persons' training is, on the public page."""
    form = TrainingForm(data=operations.training_lines())
    if not form.validate_on_submit():
        return render("situation/edit_training.html", form=form, status=422 if form.errors else 200)
    operations.change_training(current_user, {"sv": form.sv.data or "", "en": form.en.data or ""})
    db.session.commit()
    flash(_("The training line has been saved."))
    return redirect(url_for("situation.edit_training"), 303)


@public_bp.get("/progress")
def show_progress():
    """Show everyone how it is going: this season against the last, small numbers hidden.

    Not a shared page: its numbers change without a release. The service worker fetches it
    from the network first and keeps the last copy for offline use (shell.DATA_PAGES).
    """
    response = render(
        "situation/show_progress.html",
        progress=figures.progress(local_today()),
        training=operations.training_lines().get(i18n.current_language(), ""),
    )
    response.cache_control.no_cache = True
    return response
