"""Deleting reports and alerts when the privacy page says they are deleted, and old audit
entries, daily."""

import logging
import threading
from datetime import timedelta

from flask import current_app
from sqlalchemy import String, cast, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from .audit import record
from .extensions import db
from .models import ENDED_STATUSES, Alert, AuditEvent, Report, ScheduledTask, utc_now
from .situation import counts

log = logging.getLogger(__name__)
TASK = "purge"
#: Once a day between all the processes that share the database.
INTERVAL = timedelta(hours=24)
#: Reports deleted per transaction: short locks, and a crash loses no more than a batch's work.
BATCH = 1000


def purge(now=None):
    """Delete the reports kept as long as the privacy page allows, with their plates; count them.

    Each batch is committed on its own, so that a million old reports never hold one long
    transaction. Plates go with their report (ON DELETE CASCADE), and a report that named a
    deleted one as its original keeps nothing pointing at it (ON DELETE SET NULL).
    """
    now = now or utc_now()
    config = current_app.config
    closed_days = config["REPORT_RETENTION_CLOSED_DAYS"]
    max_days = config["REPORT_RETENTION_MAX_DAYS"]
    ended = delete_in_batches(
        Report.ended_at,
        Report.ended_at < now - timedelta(days=closed_days),
        Report.status.in_(ENDED_STATUSES),
    )
    expired = delete_in_batches(
        Report.created_at, Report.created_at < now - timedelta(days=max_days)
    )
    forget_codes()
    # An alert, with its pushes not sent, as long after its end as a report after its own.
    alerts = db.session.execute(
        delete(Alert).where(Alert.ends_at < now - timedelta(days=closed_days)),
        execution_options={"synchronize_session": False},
    ).rowcount
    audit_days = config["AUDIT_RETENTION_DAYS"]
    forgotten = db.session.execute(
        delete(AuditEvent).where(AuditEvent.at < now - timedelta(days=audit_days)),
        execution_options={"synchronize_session": False},
    ).rowcount
    years = config["STATISTICS_RETENTION_YEARS"]
    old_counts = counts.forget_old(years, now)
    if ended:
        record(None, "deleted", count=ended, reason="ended", days=closed_days)
    if expired:
        record(None, "deleted", count=expired, reason="received", days=max_days)
    db.session.commit()
    log.info(
        "deleted %d reports ended over %d days ago and %d received over %d days ago,"
        " and %d audit log entries over %d days old; %d alerts ended over %d days ago",
        ended,
        closed_days,
        expired,
        max_days,
        forgotten,
        audit_days,
        alerts,
        closed_days,
    )
    if old_counts:
        log.info("deleted %d rows of the lägesbild's counts over %d years old", old_counts, years)
    return ended + expired


def forget_codes():
    """Take the case numbers and reference codes out of entries written before the log left
    them out (see triage.change_status), keeping that a case number was set.

    The log outlives the reports, and the privacy page says it keeps neither. Once every such
    entry is older than AUDIT_RETENTION_DAYS this finds nothing, and can go.
    """
    text = cast(AuditEvent.details, String)
    events = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "status",
            or_(text.contains('"case_number"'), text.contains('"duplicate_of"')),
        )
    )
    for event in events:
        details = dict(event.details)
        if details.pop("case_number", None):
            details["case_number_changed"] = True
        details.pop("duplicate_of", None)
        event.details = details


def delete_in_batches(moment, *conditions):
    """Delete the reports meeting the conditions, oldest `moment` first; return how many."""
    total = 0
    while True:
        # Ordered by the indexed moment, so the index finds the batch without reading the rest.
        ids = db.session.scalars(
            select(Report.id).where(*conditions).order_by(moment, Report.id).limit(BATCH)
        ).all()
        if not ids:
            return total
        # The lägesbild's anonymous counts outlive the reports: none leaves uncounted.
        counts.keep(ids)
        db.session.execute(
            delete(Report).where(Report.id.in_(ids)),
            execution_options={"synchronize_session": False},
        )
        db.session.commit()
        total += len(ids)


def claim(now):
    """Mark the purge as run now if it has not run for a day; tell whether this process won.

    One conditional UPDATE decides it: of two processes only one sees the old time, since
    the second waits for the first's row lock and then finds the row changed.
    """
    won = db.session.execute(
        update(ScheduledTask)
        .where(ScheduledTask.name == TASK, ScheduledTask.last_run_at <= now - INTERVAL)
        .values(last_run_at=now),
        execution_options={"synchronize_session": False},
    ).rowcount
    db.session.commit()
    if won:
        return True
    if db.session.get(ScheduledTask, TASK) is not None:
        return False
    try:
        db.session.execute(insert(ScheduledTask).values(name=TASK, last_run_at=now))
        db.session.commit()
    except IntegrityError:
        # Another process inserted the row first, and runs the purge itself.
        db.session.rollback()
        return False
    return True


def run_if_due(app, now=None):
    """Purge if no process has in the last 24 hours; return the count deleted, or None."""
    with app.app_context():
        now = now or utc_now()
        try:
            if not claim(now):
                return None
            return purge(now)
        except Exception as error:
            db.session.rollback()
            # SQL errors quote their parameters: log only the kind of error.
            log.error("the daily deletion of old reports failed: %s", type(error).__name__)
            return None
        finally:
            db.session.remove()


class Schedule:
    """A daemon thread that asks every PURGE_CHECK_SECONDS whether the purge is due."""

    def __init__(self, app):
        self.app = app
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.run, name="purge-schedule", daemon=True)

    def run(self):
        """Check now, then after every interval until stopped."""
        while True:
            run_if_due(self.app)
            if self.stopped.wait(self.app.config["PURGE_CHECK_SECONDS"]):
                return

    def stop(self):
        """End the thread after the check it is making."""
        self.stopped.set()
        self.thread.join()


def init_app(app):
    """Start the daily purge on the first request of a serving process.

    Not at import or in create_app: `flask` commands and the tests create apps that serve
    nothing. Each gunicorn worker starts its own thread; claim() lets only one of them purge.
    """
    lock = threading.Lock()

    @app.before_request
    def start_schedule():
        if "purge_schedule" in app.extensions or not app.config["PURGE_SCHEDULED"]:
            return
        with lock:
            if "purge_schedule" not in app.extensions:
                schedule = app.extensions["purge_schedule"] = Schedule(app)
                schedule.thread.start()
