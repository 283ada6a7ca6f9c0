"""E-mail to contact persons of new reports, through a real SMTP server on loopback."""

import email
import email.policy
import logging
import socket
import ssl
import threading
from zoneinfo import ZoneInfo

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import func, select, update

from pwa.auth.accounts import create_account
from pwa.extensions import db
from pwa.models import Account, Harbour, Report
from pwa.reports import notifications
from tests.staff import ADMIN, BO, KIM, PASSWORD
from tests.test_reports import JSON, SAME_ORIGIN, form_data, json_body
from tests.test_settings import HOST, PUBLIC_URL, production

#: A browser at the site's public address, behind the one proxy that ends HTTPS.
AT_THE_PUBLIC_ADDRESS = {"Host": HOST, "Origin": PUBLIC_URL, "X-Forwarded-Proto": "https"}


def behind_proxy(**settings):
    return production(PROXY_COUNT=1, **settings)


PLATE = "ABC123"
WHAT_HAPPENED = "Två personer bar en utombordsmotor till en bil."
PHONE = "070-123 45 67"


class Collector:
    """Keeps every message the server accepts, or refuses them all with `refusal`."""

    def __init__(self, refusal=None):
        self.messages = []
        #: Whether each message came over TLS.
        self.encrypted = []
        self.refusal = refusal

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refusal:
            return self.refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), message, envelope.content))
        self.encrypted.append(session.ssl is not None)
        return "250 Message accepted"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    """Start an SMTP server on loopback; yield (collector, port)."""
    servers = []

    def start(collector=None, **kwargs):
        collector = collector or Collector()
        port = free_port()
        controller = Controller(collector, hostname="127.0.0.1", port=port, **kwargs)
        controller.start()
        servers.append(controller)
        return collector, port

    yield start
    for controller in servers:
        controller.stop()


def use_mail(app, port, **settings):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT=5, **settings)


def wait_for_notifications(app):
    """Wait until every notification being sent has been sent or has failed."""
    assert notifications.wait_for_notifications(app, timeout=10)


def post_report(client, harbour_id, lang="sv", headers=SAME_ORIGIN, **changes):
    data = form_data(
        harbour_id,
        **{"plates-0-text": "abc 123", "what_happened": WHAT_HAPPENED, "phone": PHONE, **changes},
    )
    return client.post(f"/{lang}/report", data=data, headers=headers), data


def stored_reports(app):
    with app.app_context():
        return db.session.scalars(select(Report).order_by(Report.id)).all()


def assert_nothing_personal(raw, message):
    body = message.get_body(preferencelist=("plain",)).get_content()
    for secret in (PLATE, "ABC 123", "abc 123", WHAT_HAPPENED, "utombordsmotor", PHONE, "Brygga C"):
        assert secret not in body
        assert secret.encode() not in raw
    assert "Vit Buster" not in body and "Femöre" not in body


def test_new_report_is_mailed_to_the_harbours_contact_person_in_swedish(
    app, client, staff, smtp_server
):
    guest, _femoresund = staff
    collector, port = smtp_server()
    use_mail(app, port)

    response, _data = post_report(client, guest, lang="en")
    wait_for_notifications(app)

    assert response.status_code == 201
    (report,) = stored_reports(app)
    assert len(collector.messages) == 1
    recipients, message, raw = collector.messages[0]
    assert recipients == [KIM]
    assert message["To"] == KIM and BO not in str(raw) and ADMIN not in str(raw)
    assert message["From"] == "batsamverkan@example.org"
    assert message["Subject"] == "Ny rapport för Oxelösunds gästhamn"
    assert message["Auto-Submitted"] == "auto-generated"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "En ny rapport för Oxelösunds gästhamn kom in" in body
    # The time is the clock's in Oxelösund, whatever the server's time zone.
    local = report.created_at.astimezone(ZoneInfo("Europe/Stockholm"))
    assert f"kom in {local:%Y-%m-%d %H:%M}." in body
    # In the contact person's language, whatever the language of the reporter.
    assert f"http://localhost/sv/inbox/{report.id}" in body
    assert "aldrig" in body
    assert_nothing_personal(raw, message)


def test_each_contact_person_gets_the_mail_in_their_language(app, client, staff, smtp_server):
    guest, _femoresund = staff
    with app.app_context():
        harbour = db.session.get(Harbour, guest)
        create_account("eve@example.org", "Eve", PASSWORD, harbours=[harbour], language="en")
        gone = create_account("gone@example.org", "Gone", PASSWORD, harbours=[harbour])
        gone.active = False
        db.session.commit()
    collector, port = smtp_server()
    use_mail(app, port, PUBLIC_URL="https://batsamverkan.example.org")

    response, _data = post_report(client, guest)
    wait_for_notifications(app)

    assert response.status_code == 201
    (report,) = stored_reports(app)
    by_recipient = {tuple(recipients): message for recipients, message, _raw in collector.messages}
    assert set(by_recipient) == {(KIM,), ("eve@example.org",)}
    english = by_recipient[("eve@example.org",)]
    assert english["Subject"] == "New report for Oxelösunds gästhamn"
    body = english.get_body(preferencelist=("plain",)).get_content()
    assert "A new report for Oxelösunds gästhamn was received at" in body
    assert f"https://batsamverkan.example.org/en/inbox/{report.id}" in body
    swedish = by_recipient[(KIM,)].get_body(preferencelist=("plain",)).get_content()
    assert f"https://batsamverkan.example.org/sv/inbox/{report.id}" in swedish


def test_administrator_is_mailed_only_when_assigned_to_the_harbour(app, client, staff, smtp_server):
    _guest, femoresund = staff
    collector, port = smtp_server()
    use_mail(app, port)

    post_report(client, femoresund)
    wait_for_notifications(app)
    assert [recipients for recipients, _message, _raw in collector.messages] == [[BO]]
    assert collector.messages[0][1]["Subject"] == "New report for Femöresund"

    with app.app_context():
        admin = db.session.scalar(select(Account).filter_by(email=ADMIN))
        admin.harbours.append(db.session.get(Harbour, femoresund))
        db.session.commit()
    post_report(client, femoresund)
    wait_for_notifications(app)
    assert sorted(r[0] for r, _m, _raw in collector.messages[1:]) == [ADMIN, BO]


def test_repeat_of_a_stored_report_sends_nothing_more(app, client, staff, smtp_server):
    guest, _femoresund = staff
    collector, port = smtp_server()
    use_mail(app, port)

    first, data = post_report(client, guest)
    wait_for_notifications(app)
    again = client.post("/sv/report", data=data, headers=SAME_ORIGIN)
    wait_for_notifications(app)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_data() == again.get_data()
    assert len(stored_reports(app)) == 1
    assert len(collector.messages) == 1


def test_without_a_mail_server_the_start_says_so_once_and_a_report_starts_nothing(
    make_app, staff, smtp_server, caplog
):
    guest, _femoresund = staff
    collector, port = smtp_server()
    caplog.set_level(logging.INFO, logger="pwa.reports.notifications")
    app = make_app()
    app.config["MAIL_PORT"] = port
    (record,) = [r for r in caplog.records if r.name == "pwa.reports.notifications"]
    assert record.levelno == logging.INFO
    assert "mail not configured" in record.getMessage()
    caplog.clear()
    threads = set(threading.enumerate())

    first, _data = post_report(app.test_client(), guest)
    second, _data = post_report(app.test_client(), guest)

    assert first.status_code == second.status_code == 201
    assert len(stored_reports(app)) == 2
    started = set(threading.enumerate()) - threads
    assert not [thread for thread in started if thread.name.startswith("notify-new-report")]
    assert [r for r in caplog.records if r.name == "pwa.reports.notifications"] == []
    assert collector.messages == []


def test_a_burst_of_reports_is_mailed_by_a_few_threads(
    app, client, staff, smtp_server, monkeypatch
):
    guest, _femoresund = staff
    collector, port = smtp_server()
    use_mail(app, port)
    senders = []
    real_send = notifications.send

    def send(*args):
        senders.append(threading.current_thread())
        return real_send(*args)

    monkeypatch.setattr(notifications, "send", send)

    for _ in range(6):
        response, _data = post_report(client, guest)
        assert response.status_code == 201
    wait_for_notifications(app)

    assert len(collector.messages) == 6
    assert len(senders) == 6
    assert len(set(senders)) <= notifications.SENDERS
    assert threading.current_thread() not in senders


@pytest.mark.parametrize("refusal", ["550 No such user here", "554 Transaction failed"])
def test_refusing_mail_server_does_not_fail_the_report(
    app, client, staff, smtp_server, caplog, refusal
):
    guest, _femoresund = staff
    _collector, port = smtp_server(Collector(refusal=refusal))
    use_mail(app, port)
    caplog.set_level(logging.INFO, logger="pwa.reports.notifications")

    response, _data = post_report(client, guest)
    wait_for_notifications(app)

    assert response.status_code == 201
    (report,) = stored_reports(app)
    assert f'<dd class="reference">{report.reference}</dd>' in response.get_data(as_text=True)
    (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert warning.name == "pwa.reports.notifications"
    assert f"report {report.id}" in warning.getMessage()
    assert_logs_hold_nothing_personal(caplog)


def test_closed_port_does_not_fail_the_report(app, client, staff, caplog):
    guest, _femoresund = staff
    use_mail(app, free_port())
    caplog.set_level(logging.INFO, logger="pwa.reports.notifications")

    response, _data = post_report(client, guest)
    wait_for_notifications(app)

    assert response.status_code == 201
    assert len(stored_reports(app)) == 1
    (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "ConnectionRefusedError" in warning.getMessage()
    assert_logs_hold_nothing_personal(caplog)


def test_json_and_htmx_reports_are_notified_too(app, client, staff, smtp_server):
    guest, _femoresund = staff
    collector, port = smtp_server()
    use_mail(app, port)

    as_json = client.post("/sv/report", json=json_body(guest), headers=JSON)
    htmx = client.post(
        "/sv/report", data=form_data(guest), headers={**SAME_ORIGIN, "HX-Request": "true"}
    )
    wait_for_notifications(app)

    assert as_json.status_code == 201 and htmx.status_code == 200
    assert len(collector.messages) == 2


def test_logs_name_the_count_of_recipients_not_their_addresses(
    app, client, staff, smtp_server, caplog
):
    guest, _femoresund = staff
    _collector, port = smtp_server()
    use_mail(app, port)
    caplog.set_level(logging.INFO, logger="pwa.reports.notifications")

    post_report(client, guest)
    wait_for_notifications(app)

    (record,) = [r for r in caplog.records if r.name == "pwa.reports.notifications"]
    assert record.getMessage().startswith("notified 1 contact persons of report ")
    assert_logs_hold_nothing_personal(caplog)


@pytest.fixture
def trusted_ca(tmp_path, monkeypatch):
    """A certificate authority the app trusts, as it trusts a real mail server's."""
    authority = trustme.CA()
    path = tmp_path / "trusted-ca.pem"
    authority.cert_pem.write_to_path(str(path))
    # Read by OpenSSL each time a default context loads the trusted certificates.
    monkeypatch.setenv("SSL_CERT_FILE", str(path))
    return authority


def tls_context(authority):
    """Return a server's TLS context with a certificate for 127.0.0.1 from this authority."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    return context


def password_checker(logins):
    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"mail secret")

    return authenticator


def test_mail_goes_over_starttls_and_logs_in(app, client, staff, smtp_server, trusted_ca):
    """The usual submission port: STARTTLS first, then AUTH, as the server demands."""
    guest, _femoresund = staff
    logins = []
    collector, port = smtp_server(
        tls_context=tls_context(trusted_ca),
        require_starttls=True,
        auth_required=True,
        auth_require_tls=True,
        authenticator=password_checker(logins),
    )
    use_mail(
        app, port, MAIL_USE_TLS=True, MAIL_USERNAME="batsamverkan", MAIL_PASSWORD="mail secret"
    )

    post_report(client, guest)
    wait_for_notifications(app)

    assert logins == [(b"batsamverkan", b"mail secret")]
    ((recipients, _message, _raw),) = collector.messages
    assert recipients == [KIM]


# aiosmtpd warns of AUTH without STARTTLS, not knowing that the whole connection is TLS.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_mail_goes_over_implicit_tls(app, client, staff, smtp_server, trusted_ca):
    guest, _femoresund = staff
    logins = []
    collector, port = smtp_server(
        ssl_context=tls_context(trusted_ca),
        auth_required=True,
        auth_require_tls=False,
        authenticator=password_checker(logins),
    )
    use_mail(
        app, port, MAIL_USE_SSL=True, MAIL_USERNAME="batsamverkan", MAIL_PASSWORD="mail secret"
    )

    post_report(client, guest)
    wait_for_notifications(app)

    assert logins == [(b"batsamverkan", b"mail secret")]
    assert len(collector.messages) == 1


def test_mail_goes_over_starttls_by_default_when_the_server_offers_it(
    make_app, staff, smtp_server, trusted_ca
):
    """No setting about TLS at all, a server that offers STARTTLS without demanding it."""
    guest, _femoresund = staff
    collector, port = smtp_server(tls_context=tls_context(trusted_ca))
    app = make_app(behind_proxy(MAIL_SERVER="127.0.0.1", MAIL_PORT=port))

    post_report(app.test_client(), guest, headers=AT_THE_PUBLIC_ADDRESS)
    wait_for_notifications(app)

    assert collector.encrypted == [True]


def test_without_starttls_nothing_is_sent_unless_plain_text_is_chosen(
    make_app, staff, smtp_server, caplog
):
    """A server that offers no TLS, or a stranger in between who strips the offer, gets no
    mail by default; MAIL_USE_TLS=false is the deliberate choice to send in plain text."""
    guest, _femoresund = staff
    collector, port = smtp_server()
    caplog.set_level(logging.INFO, logger="pwa.reports.notifications")
    careful = make_app(behind_proxy(MAIL_SERVER="127.0.0.1", MAIL_PORT=port))

    post_report(careful.test_client(), guest, headers=AT_THE_PUBLIC_ADDRESS)
    wait_for_notifications(careful)

    assert collector.messages == []
    (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "SMTPNotSupportedError" in warning.getMessage()

    plain = make_app(behind_proxy(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False))
    post_report(plain.test_client(), guest, headers=AT_THE_PUBLIC_ADDRESS)
    wait_for_notifications(plain)

    assert collector.encrypted == [False]


def test_the_link_is_the_public_address_whatever_host_the_report_names(
    make_app, staff, smtp_server
):
    """Behind a proxy, a client's X-Forwarded-Host must not put its own site in the mail."""
    guest, _femoresund = staff
    collector, port = smtp_server()
    app = make_app(behind_proxy(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False))

    post_report(
        app.test_client(),
        guest,
        headers={**AT_THE_PUBLIC_ADDRESS, "X-Forwarded-Host": "evil.example"},
    )
    wait_for_notifications(app)

    (report,) = stored_reports(app)
    ((_recipients, message, _raw),) = collector.messages
    body = message.get_body().get_content()
    assert f"{PUBLIC_URL}/sv/inbox/{report.id}" in body
    assert "evil.example" not in body


def test_a_mail_server_with_an_untrusted_certificate_gets_no_password(
    app, client, staff, smtp_server, trusted_ca, caplog
):
    """A server that cannot prove who it is, a stranger on the network, say, learns nothing."""
    guest, _femoresund = staff
    logins = []
    collector, port = smtp_server(
        tls_context=tls_context(trustme.CA()),
        require_starttls=True,
        auth_required=True,
        auth_require_tls=True,
        authenticator=password_checker(logins),
    )
    use_mail(
        app, port, MAIL_USE_TLS=True, MAIL_USERNAME="batsamverkan", MAIL_PASSWORD="mail secret"
    )
    caplog.set_level(logging.INFO, logger="pwa.reports.notifications")

    response, _data = post_report(client, guest)
    wait_for_notifications(app)

    assert response.status_code == 201
    (report,) = stored_reports(app)
    assert logins == []
    assert collector.messages == []
    (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert f"report {report.id}" in warning.getMessage()
    assert "SSLCertVerificationError" in warning.getMessage()
    assert_logs_hold_nothing_personal(caplog)


def test_no_mail_when_the_harbour_has_lost_its_contact_person(app, client, harbour, smtp_server):
    """A report from a form or an outbox older than the change is kept for the administrator."""
    collector, port = smtp_server()
    use_mail(app, port)
    with app.app_context():
        db.session.execute(update(Account).values(active=False))
        db.session.commit()

    response, _data = post_report(client, harbour, headers=JSON)
    wait_for_notifications(app)

    assert response.status_code == 201
    assert response.get_json()["read_by"] == "administrator"
    assert collector.messages == []
    with app.app_context():
        assert db.session.scalar(select(func.count(Report.id))) == 1


def assert_logs_hold_nothing_personal(caplog):
    for record in caplog.records:
        text = record.getMessage()
        for secret in (PLATE, WHAT_HAPPENED, PHONE, KIM, BO, ADMIN, "@"):
            assert secret not in text
