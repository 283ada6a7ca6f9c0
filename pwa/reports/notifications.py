"""E-mail telling a harbour's contact persons that a report has arrived, never what it says."""

import logging
import smtplib
import ssl
import threading
from concurrent.futures import ThreadPoolExecutor, wait
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..formatting import local_datetime
from ..models import Account, Report, harbour_assignment

log = logging.getLogger(__name__)
#: Sends at once to different harbours; more would only queue at the mail server.
SENDERS = 2


def init_app(app):
    """Give the app its senders of e-mail, or say once that it sends none."""
    app.extensions["notifications"] = Senders()
    if not mail_configured(app.config):
        log.info("mail not configured (MAIL_SERVER, MAIL_FROM): no e-mail of new reports")


def mail_configured(config):
    return bool(config["MAIL_SERVER"] and config["MAIL_FROM"])


class Senders:
    """A few threads that send the e-mails, started when the first one is sent.

    The person waits for their receipt: a slow or absent mail server must not delay it, nor
    may a burst of reports start a thread each.
    """

    def __init__(self):
        self.pool = ThreadPoolExecutor(SENDERS, thread_name_prefix="notify-new-report")
        self.lock = threading.Lock()
        self.pending = set()

    def submit(self, *args):
        future = self.pool.submit(send, *args)
        with self.lock:
            self.pending.add(future)
        future.add_done_callback(self.done)
        return future

    def done(self, future):
        with self.lock:
            self.pending.discard(future)

    def wait(self, timeout=None):
        """Wait until every e-mail submitted so far is sent or has failed; tell whether so."""
        with self.lock:
            pending = list(self.pending)
        return not wait(pending, timeout).not_done


def notify_new_report(report_id):
    """Tell the active contact persons of the report's harbour by e-mail, in the background."""
    if not mail_configured(current_app.config):
        return None
    try:
        return start_notifying(db.session.get(Report, report_id))
    except Exception as error:
        # The report is stored and the person gets their receipt whatever happens here.
        log.warning("could not notify of report %s: %s", report_id, type(error).__name__)
        return None


def start_notifying(report):
    """Compose the e-mails and hand them to the senders; return their future, or None."""
    accounts = recipients(report.harbour_id)
    if not accounts:
        log.info("no contact person to notify of report %s", report.id)
        return None
    messages = [compose(report, account) for account in accounts]
    settings = {key: value for key, value in current_app.config.items() if key.startswith("MAIL_")}
    return current_app.extensions["notifications"].submit(settings, messages, report.id)


def wait_for_notifications(app, timeout=None):
    """Wait until the app's e-mails submitted so far are sent or have failed; tell whether so."""
    return app.extensions["notifications"].wait(timeout)


def recipients(harbour_id):
    """Return the active accounts assigned to the harbour, administrators only if assigned."""
    return db.session.scalars(
        select(Account)
        .join(harbour_assignment, harbour_assignment.c.account_id == Account.id)
        .where(harbour_assignment.c.harbour_id == harbour_id, Account.active.is_(True))
        .order_by(Account.id)
    ).all()


def compose(report, account):
    """Write the e-mail to one account in its language: the harbour, the time and a link."""
    sender = current_app.config["MAIL_FROM"]
    with force_locale(account.language):
        link = public_url(url_for("inbox.show_report", lang=account.language, report_id=report.id))
        harbour = report.harbour.name
        message = EmailMessage()
        message["Subject"] = _("New report for %(harbour)s", harbour=harbour)
        message.set_content(
            "\n\n".join(
                [
                    _(
                        "A new report for %(harbour)s was received at %(time)s.",
                        harbour=harbour,
                        time=local_datetime(report.created_at),
                    ),
                    _("Read it in the inbox (log in if asked):") + "\n" + link,
                    _(
                        "This e-mail never says what a report contains: e-mail is not a safe "
                        "way to send it."
                    ),
                    _("Boat Watch Oxelösund"),
                ]
            )
            + "\n"
        )
    message["From"] = sender
    message["To"] = account.email
    message["Date"] = formatdate(localtime=False)
    domain = sender.rpartition("@")[2].strip("> ") if "@" in sender else None
    message["Message-ID"] = make_msgid(domain=domain or None)
    # Tells mail servers and clients not to answer it automatically (RFC 3834).
    message["Auto-Submitted"] = "auto-generated"
    return message


def public_url(path):
    """Join a path to the site's configured address: never to a Host the request named."""
    return current_app.config["PUBLIC_URL"] + path


def send(settings, messages, report_id):
    """Send the messages over one connection; log what happened, without addresses."""
    try:
        with connect(settings) as server:
            for message in messages:
                server.send_message(message)
    except Exception as error:
        # The message of an SMTP error may quote addresses: log only its kind and code.
        code = getattr(error, "smtp_code", None)
        log.warning(
            "could not send the notification of report %s to %d contact persons: %s%s",
            report_id,
            len(messages),
            type(error).__name__,
            f" {code}" if code else "",
        )
        return False
    log.info("notified %d contact persons of report %s", len(messages), report_id)
    return True


def connect(settings):
    """Open a connection to the mail server, encrypted and logged in as configured.

    With MAIL_USE_TLS (the default) a server that offers no STARTTLS gets nothing: sending in
    plain text takes MAIL_USE_TLS=false.
    """
    host, port, timeout = settings["MAIL_SERVER"], settings["MAIL_PORT"], settings["MAIL_TIMEOUT"]
    context = ssl.create_default_context()
    if settings["MAIL_USE_SSL"]:
        server = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    else:
        server = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if settings["MAIL_USE_TLS"] and not settings["MAIL_USE_SSL"]:
            server.starttls(context=context)
        if settings["MAIL_USERNAME"]:
            server.login(settings["MAIL_USERNAME"], settings["MAIL_PASSWORD"])
    except BaseException:
        server.close()
        raise
    return server
