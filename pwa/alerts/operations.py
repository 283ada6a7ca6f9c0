"""Changes to alerts and to the phones subscribed to them: each flushes, the caller commits."""

from sqlalchemy import delete, select

from .. import audit
from ..extensions import db
from ..models import Alert, Harbour, PushDelivery, PushSubscription, utc_now
from . import delivery


def send_alert(actor, harbour, *, title, text, priority, ends_at, title_en="", text_en=""):
    """Publish an alert for `harbour` (None: every harbour) and queue its pushes; return it.

    The audit entry names the harbour and counts the phones, never a phone.
    """
    alert = Alert(
        harbour=harbour,
        title=title,
        text=text,
        title_en=title_en,
        text_en=text_en,
        priority=priority,
        ends_at=ends_at,
        author_id=actor.id if actor else None,
    )
    db.session.add(alert)
    db.session.flush()
    alert.sent_to = delivery.enqueue(alert)
    audit.record(
        actor,
        "alert_sent",
        alert_id=alert.id,
        harbour_id=alert.harbour_id,
        priority=alert.priority.value,
        sent_to=alert.sent_to,
    )
    return alert


def withdraw_alert(actor, alert):
    """Take an alert off the Alerts page, and its pushes not yet sent off the queue."""
    alert.withdrawn_at = utc_now()
    db.session.execute(delete(PushDelivery).where(PushDelivery.alert_id == alert.id))
    db.session.flush()
    audit.record(actor, "alert_withdrawn", alert_id=alert.id, harbour_id=alert.harbour_id)


def subscribe(endpoint, p256dh, auth, harbour_ids, language, quiet_from=None, quiet_until=None):
    """Keep a phone's subscription for these harbours, replacing what it asked for before.

    Return the subscription; with no harbour left, the phone is unsubscribed and None returned.
    """
    subscription = db.session.scalar(select(PushSubscription).filter_by(endpoint=endpoint))
    harbours = db.session.scalars(
        select(Harbour).where(Harbour.id.in_(harbour_ids), Harbour.active)
    ).all()
    if not harbours:
        unsubscribe(endpoint)
        return None
    if subscription is None:
        subscription = PushSubscription(endpoint=endpoint)
        db.session.add(subscription)
    subscription.p256dh = p256dh
    subscription.auth = auth
    subscription.language = language
    subscription.quiet_from = quiet_from
    subscription.quiet_until = quiet_until
    subscription.harbours = list(harbours)
    db.session.flush()
    return subscription


def unsubscribe(endpoint):
    """Forget a phone's subscription, and every push queued for it."""
    db.session.execute(delete(PushSubscription).where(PushSubscription.endpoint == endpoint))
