"""The Alerts page and the address phones subscribe at; the contact persons' alert desk."""

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from .. import i18n, security
from ..auth import accounts
from ..extensions import csrf, db
from ..models import Alert, utc_now
from ..rendering import json_error, render
from ..reports import readers
from ..validators import to_int
from . import bp, delivery, operations, staff
from .forms import AlertForm
from .push import Pusher, is_push_address


def current_alerts(harbour_ids=None):
    """Return the alerts shown now, newest first: of these harbours and to all, or every one."""
    query = select(Alert).where(Alert.withdrawn_at.is_(None), Alert.ends_at > utc_now())
    if harbour_ids is not None:
        query = query.where(or_(Alert.harbour_id.in_(harbour_ids), Alert.harbour_id.is_(None)))
    return db.session.scalars(query.order_by(Alert.id.desc())).all()


@bp.get("/")
def list_alerts():
    """Show every current alert, and let the phone turn alerts on or off for its harbours.

    A data page of the service worker: fetched from the network first, so that a phone that
    has a signal never shows old alerts, and kept for when it has none.
    """
    return render(
        "alerts/list_alerts.html",
        alerts=current_alerts(),
        shown_at=utc_now(),
    )


@bp.post("/subscription")
@csrf.exempt
def subscribe():
    """Keep a phone's push subscription for the harbours it chose, or forget it with none.

    Posted as JSON by static/js/alert-toggles.js: {"endpoint", "keys": {"p256dh", "auth"},
    "harbours": [ids], "quiet_from", "quiet_until"}. Nothing else is stored.
    """
    if not security.is_same_origin():
        return json_error(403, _("Turn alerts on from this site's Alerts page."))
    data = request.get_json(silent=True)
    subscription = readable_subscription(data)
    if subscription is None:
        return json_error(400, _("The phone's subscription could not be read. Try again."))
    operations.subscribe(**subscription, language=i18n.current_language())
    db.session.commit()
    return "", 204


@bp.post("/unsubscription")
@csrf.exempt
def unsubscribe():
    """Forget a phone's push subscription: {"endpoint"}."""
    if not security.is_same_origin():
        return json_error(403, _("Turn alerts off from this site's Alerts page."))
    data = request.get_json(silent=True)
    endpoint = data.get("endpoint") if isinstance(data, dict) else None
    if not is_push_address(endpoint):
        return json_error(400, _("The phone's subscription could not be read. Try again."))
    operations.unsubscribe(endpoint)
    db.session.commit()
    return "", 204


def readable_subscription(data):
    """Return the subscription's fields as operations.subscribe takes them, or None."""
    if not isinstance(data, dict):
        return None
    keys = data.get("keys")
    harbours = data.get("harbours")
    if not (is_push_address(data.get("endpoint")) and isinstance(keys, dict)):
        return None
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    if not (is_key(p256dh, 80, 100) and is_key(auth, 16, 50) and isinstance(harbours, list)):
        return None
    quiet = [
        to_int(data.get(name)) if data.get(name) is not None else None
        for name in ("quiet_from", "quiet_until")
    ]
    if any(hour is not None and not 0 <= hour <= 23 for hour in quiet) or (
        None in quiet and quiet != [None, None]
    ):
        return None
    return {
        "endpoint": data["endpoint"],
        "p256dh": p256dh,
        "auth": auth,
        "harbour_ids": [
            to_int(harbour) for harbour in harbours[:50] if to_int(harbour) is not None
        ],
        "quiet_from": quiet[0],
        "quiet_until": quiet[1],
    }


def is_key(value, shortest, longest):
    return (
        isinstance(value, str)
        and shortest <= len(value) <= longest
        and value.replace("-", "").replace("_", "").replace("=", "").isalnum()
        and value.isascii()
    )


@staff.before_request
@login_required
def require_login():
    """The alert desk is for logged-in contact persons and administrators."""


staff.after_request(security.no_store)


def own_alert(alert_id):
    """Return an alert the person may see and withdraw, or answer 404, whoever's it is."""
    alert = db.session.get(Alert, alert_id)
    harbour_ids = accounts.visible_harbour_ids(current_user)
    if alert is None or not (harbour_ids is None or alert.harbour_id in harbour_ids):
        abort(404)
    return alert


@staff.route("/write", methods=["GET", "POST"])
def write_alert():
    """Write an alert, see it as boat owners will, then send it."""
    form = AlertForm(accounts.visible_harbours(current_user), every_harbour=current_user.is_admin)
    if request.method == "GET" or not form.validate():
        status = 422 if request.method == "POST" else 200
        return render("alerts/write_alert.html", form=form, preview=None, status=status)
    if "send" not in request.form:
        preview = Alert(harbour=form.chosen_harbour(), **form.content())
        return render("alerts/write_alert.html", form=form, preview=preview)
    alert = operations.send_alert(current_user, form.chosen_harbour(), **form.content())
    db.session.commit()
    courier = current_app.extensions.get("alert_courier")
    if courier:
        courier.wake()
    flash(
        ngettext(
            "The alert has been published and is being sent to %(num)s phone.",
            "The alert has been published and is being sent to %(num)s phones.",
            alert.sent_to,
        )
    )
    return redirect(url_for("alert_desk.list_sent_alerts"), 303)


@staff.get("/sent")
def list_sent_alerts():
    """List the alerts of the person's harbours, with how many phones each reached."""
    harbour_ids = accounts.visible_harbour_ids(current_user)
    query = select(Alert)
    if harbour_ids is not None:
        query = query.where(Alert.harbour_id.in_(harbour_ids))
    alerts = db.session.scalars(query.order_by(Alert.id.desc()).limit(100)).all()
    return render("alerts/list_sent_alerts.html", alerts=alerts, now=utc_now())


@staff.post("/<int:alert_id>/withdraw")
def withdraw_alert(alert_id):
    """Take an alert off the Alerts page; phones remove its notification when they next look."""
    alert = own_alert(alert_id)
    if alert.withdrawn_at is None:
        operations.withdraw_alert(current_user, alert)
        db.session.commit()
        flash(_("The alert has been withdrawn."))
    return redirect(url_for("alert_desk.list_sent_alerts"), 303)


def harbour_name(alert):
    """Name the harbour an alert is for, or say that it is for every harbour."""
    return alert.harbour.name if alert.harbour else _("Every harbour")


def public_key():
    """Return the key phones subscribe with, or None where alerts are not pushed."""
    pusher = current_app.extensions.get("alert_pusher")
    return pusher.public_key if pusher else None


def init_app(app):
    """Give the app its VAPID key, and each serving process a courier that sends the pushes.

    The courier starts on the process's first request: not in the `flask` commands and the
    tests that create apps which serve nothing.
    """
    app.add_template_global(harbour_name, "alert_harbour_name")
    app.add_template_global(public_key, "alert_public_key")
    app.add_template_global(readers.active_harbours, "alert_harbours")
    config = app.config
    if not config["VAPID_PRIVATE_KEY"]:
        app.logger.info("push not configured (VAPID_PRIVATE_KEY): alerts are shown, not pushed")
        return
    pusher = Pusher(
        config["VAPID_PRIVATE_KEY"], config["VAPID_SUBJECT"], max(config["PUSH_SENDERS"], 1)
    )
    app.extensions["alert_pusher"] = pusher
    if config["PUSH_SENDERS"] > 0:
        courier = app.extensions["alert_courier"] = delivery.Courier(app, pusher)
        app.before_request(courier.start)
