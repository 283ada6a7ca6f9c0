"""Sending alerts to phones: the queue of pushes in the database, and the senders that empty it.

Sending an alert only queues one row per subscribed phone (`enqueue`), in the same
transaction as the alert: the contact person's request never waits for a push service, and
a queued push survives a restart. Each serving process has a courier, a thread that sends
what is due with a pool of PUSH_SENDERS threads: at once when its process queues an alert,
and every PUSH_CHECK_SECONDS for the rest (pushes held back by quiet hours, retries, and
alerts queued by another process). Processes share the queue through the database: a
sender claims rows by moving them ahead in time (`claim`), with PostgreSQL's SKIP LOCKED so
that two never wait for, or send, the same rows.
"""

import logging
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import delete, insert, literal, select, update

from ..extensions import db
from ..models import (
    Alert,
    AlertPriority,
    PushDelivery,
    PushSubscription,
    subscription_harbour,
    utc_now,
)
from .push import is_push_address

log = logging.getLogger(__name__)
#: Pushes claimed and sent at a time.
BATCH = 200
#: A claimed push not sent by then (its sender died) is claimed again.
LEASE = timedelta(minutes=5)
#: Seconds to wait after the first, second … failure (no answer, 429, 5xx); after the last
#: the push is given up, and the alert is still on the Alerts page.
BACK_OFF_SECONDS = (10, 60, 300, 1800, 3600, 3 * 3600)
#: The push service took it, and will deliver it while the alert lasts.
ACCEPTED = frozenset({200, 201, 202})
#: The subscription has ended (the person turned alerts off, or the browser dropped it).
GONE = frozenset({404, 410})
SWEDISH_TIME = ZoneInfo("Europe/Stockholm")


def enqueue(alert):
    """Queue a push of `alert` to every phone subscribed to its harbour, or to any harbour
    for an alert to all; return how many."""
    phones = select(PushSubscription.id)
    if alert.harbour_id is not None:
        phones = phones.join(subscription_harbour).where(
            subscription_harbour.c.harbour_id == alert.harbour_id
        )
    rows = select(literal(alert.id), PushSubscription.id, literal(utc_now()), literal(0)).where(
        PushSubscription.id.in_(phones)
    )
    # SQLAlchemy keeps the rowcount of an INSERT only when asked to.
    result = db.session.execute(
        insert(PushDelivery).from_select(
            ["alert_id", "subscription_id", "due_at", "attempts"], rows
        ),
        execution_options={"preserve_rowcount": True},
    )
    return result.rowcount


def claim(now):
    """Take up to BATCH due pushes for this sender; return their ids."""
    due = (
        select(PushDelivery.id)
        .where(PushDelivery.due_at <= now)
        .order_by(PushDelivery.due_at)
        .limit(BATCH)
        .with_for_update(skip_locked=True)
    )
    ids = db.session.scalars(
        update(PushDelivery)
        .where(PushDelivery.id.in_(due.scalar_subquery()))
        .values(due_at=now + LEASE, attempts=PushDelivery.attempts + 1)
        .returning(PushDelivery.id),
        execution_options={"synchronize_session": False},
    ).all()
    db.session.commit()
    return ids


def quiet_until(subscription, now):
    """Return when the phone's quiet hours end if `now` is within them, else None."""
    start, end = subscription.quiet_from, subscription.quiet_until
    if start is None or end is None or start == end:
        return None
    local = now.astimezone(SWEDISH_TIME)
    quiet = start <= local.hour < end if start < end else local.hour >= start or local.hour < end
    if not quiet:
        return None
    ends = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if ends <= local:
        ends += timedelta(days=1)
    return ends


def payload(alert, language):
    """Return the push's content: what the notification shows, and what the app fetches by.

    The text is not sent: the app shows it from the Alerts page. The form is Declarative Web
    Push (`web_push: 8030`), which Safari 18.4 and later shows without running the service
    worker; other browsers give it to the worker's push handler, which shows the same.
    """
    english = language == "en" and bool(alert.title_en)
    # The page's own address, with its slash: the service worker keeps it under that one.
    address = f"{current_app.config['PUBLIC_URL']}/{language}/alerts/#alert-{alert.id}"
    return {
        "web_push": 8030,
        "notification": {
            "title": alert.title_en if english else alert.title,
            "lang": "en" if english else "sv",
            "navigate": address,
            "tag": f"alert-{alert.id}",
            "data": {"id": alert.id, "priority": alert.priority.value},
        },
    }


def deliver_due(pusher, senders, now=None):
    """Send one batch of the pushes that are due; return how many were claimed (0: none due)."""
    now = now or utc_now()
    ids = claim(now)
    if not ids:
        return 0
    rows = db.session.execute(
        select(PushDelivery, Alert, PushSubscription)
        .join(Alert, PushDelivery.alert_id == Alert.id)
        .join(PushSubscription, PushDelivery.subscription_id == PushSubscription.id)
        .where(PushDelivery.id.in_(ids))
    ).all()
    done, gone, later, accepted = [], [], {}, Counter()
    sending = []
    for delivery, alert, phone in rows:
        if not is_push_address(phone.endpoint):
            # Kept before PUSH_SERVICE_HOSTS named the push services, or before one was taken
            # out of it: the server posts to no other host.
            gone.append(phone.id)
        elif alert.withdrawn_at is not None or alert.ends_at <= now:
            done.append(delivery.id)
        elif alert.priority is AlertPriority.INFORMATION and (until := quiet_until(phone, now)):
            later[delivery.id] = (until, delivery.attempts - 1)
        else:
            sending.append((delivery, alert, phone))
    # Made here, where the app's settings are; only the sending runs in the senders' threads.
    pushes = [push(alert, phone, now) for _, alert, phone in sending]
    statuses = senders.map(lambda arguments: pusher.send(*arguments), pushes)
    for (delivery, alert, phone), status in zip(sending, statuses, strict=True):
        if status in ACCEPTED:
            done.append(delivery.id)
            accepted[alert.id] += 1
        elif status in GONE:
            gone.append(phone.id)
        elif status in (0, 429) or status >= 500:
            if delivery.attempts > len(BACK_OFF_SECONDS):
                log.warning("an alert's push was given up after %s tries", delivery.attempts)
                done.append(delivery.id)
            else:
                wait = timedelta(seconds=BACK_OFF_SECONDS[delivery.attempts - 1])
                later[delivery.id] = (now + wait, delivery.attempts)
        else:
            # The push service refused this push for good (400, 403, 413): trying again
            # would be refused again. The endpoint is a secret address: never logged.
            log.warning("a push service refused an alert's push with status %s", status)
            done.append(delivery.id)
    record(done, gone, later, accepted)
    return len(ids)


def push(alert, phone, now):
    """Return the arguments of Pusher.send for one alert to one phone."""
    urgency = "high" if alert.priority is AlertPriority.URGENT else "normal"
    return (
        phone.keys(),
        payload(alert, phone.language),
        (alert.ends_at - now).total_seconds(),
        urgency,
    )


def record(done, gone, later, accepted):
    """Write what the push services answered, in one transaction."""
    if done:
        db.session.execute(delete(PushDelivery).where(PushDelivery.id.in_(done)))
    if gone:
        # Its other queued pushes go with it.
        db.session.execute(delete(PushSubscription).where(PushSubscription.id.in_(gone)))
    if later:
        # One statement for the batch, by primary key.
        db.session.execute(
            update(PushDelivery),
            [
                {"id": delivery_id, "due_at": due_at, "attempts": attempts}
                for delivery_id, (due_at, attempts) in later.items()
            ],
        )
    for alert_id, count in accepted.items():
        db.session.execute(
            update(Alert).where(Alert.id == alert_id).values(accepted=Alert.accepted + count)
        )
    db.session.commit()


class Courier:
    """A daemon thread of a serving process that sends what is due, batch after batch."""

    def __init__(self, app, pusher):
        self.app = app
        self.pusher = pusher
        self.senders = ThreadPoolExecutor(app.config["PUSH_SENDERS"], thread_name_prefix="push")
        self.woken = threading.Event()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.run, name="push-courier", daemon=True)
        self.lock = threading.Lock()

    def start(self):
        """Start sending, once: on a serving process's first request, not at import or in
        the `flask` commands and tests that create apps which serve nothing."""
        if self.thread.ident is None:
            with self.lock:
                if self.thread.ident is None:
                    self.thread.start()

    def wake(self):
        """Send now: an alert has been queued."""
        self.woken.set()

    def run(self):
        while not self.stopped.is_set():
            self.woken.clear()
            self.deliver()
            self.woken.wait(self.app.config["PUSH_CHECK_SECONDS"])

    def deliver(self):
        with self.app.app_context():
            try:
                while deliver_due(self.pusher, self.senders):
                    pass
            except Exception as error:
                db.session.rollback()
                # SQL errors quote their parameters, which hold push addresses.
                log.error("sending alerts failed: %s", type(error).__name__)
            finally:
                db.session.remove()

    def stop(self):
        """End the thread after the batch it is sending."""
        self.stopped.set()
        self.woken.set()
        if self.thread.ident is not None:
            self.thread.join()
        self.senders.shutdown()
