"""Every route of the URL map, by every method, as each person who must get nothing from it.

A visitor, a contact person of another harbour and an account deactivated while logged in
walk the whole map, each with a valid CSRF token of their own session, so that a refusal
comes from who they are and not from a missing token. A new route is walked without being
listed; a new argument name in a route must be given a value in `values`.
"""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from pwa.alerts.operations import send_alert
from pwa.auth.accounts import account_with_email, deactivate_account
from pwa.extensions import db
from pwa.models import Alert, AlertPriority, Harbour, Report, utc_now
from tests.staff import BO, KIM, add_report, csrf_token, log_in
from tests.test_security import SECRET, build_url, is_public, plausible_values, snapshot

#: Routes that serve files, walked elsewhere (test_shell, test_pages).
SKIPPED = {"static"}


@pytest.fixture
def theirs(app, staff):
    """Bo's report at Femöresund, with a plate and a secret, and an alert of Femöresund: what
    the walkers must not reach or change."""
    _guest, femoresund = staff
    with app.app_context():
        report = add_report(femoresund, plates=("XYZ789",), what_happened=SECRET)
        harbour = db.session.get(Harbour, femoresund)
        send_alert(
            None,
            harbour,
            title="Stölder",
            text="Titta till båten.",
            priority=AlertPriority.URGENT,
            ends_at=utc_now() + timedelta(hours=24),
        )
        db.session.commit()
        return report.id, report.reference


def walk(app, client, token, lang, report_id):
    """Request every route by every method; yield (rule, method, url, answer).

    `token()` returns a CSRF token of the client's session as it is before each post: a
    route walked earlier (logging out, say) may have ended the one before.
    """
    values = plausible_values(app, lang, report_id=report_id, code="ABCD-EFGH-JK")
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED:
            continue
        url = build_url(app, rule, values)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            data = None
            if method == "POST":
                data = {"csrf_token": token(), "status": "closed", "note": "Changed"}
            answer = client.open(url, method=method, data=data)
            yield rule, method, url, answer


def login_token(client, lang):
    return lambda: csrf_token(client, f"/{lang}/login")


def assert_nothing_given_away(answer, where, reference):
    assert answer.status_code < 500, where
    # A workbook (the lägesbild's XLSX) is binary; it holds no report's text either.
    body = answer.get_data().decode(errors="replace")
    assert SECRET not in body, where
    assert reference not in body and "XYZ789" not in body, where


def sent_to_log_in(answer, lang):
    return answer.status_code == 303 and urlsplit(answer.headers["Location"]).path == (
        f"/{lang}/login"
    )


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_visitor_gets_nothing_from_any_route(app, theirs, lang):
    report_id, reference = theirs
    before = snapshot(app, report_id)
    client = app.test_client()
    walked = 0
    for rule, method, url, answer in walk(app, client, login_token(client, lang), lang, report_id):
        where = f"{method} {url}"
        assert_nothing_given_away(answer, where, reference)
        if not is_public(rule):
            assert sent_to_log_in(answer, lang), where
        walked += 1
    assert walked >= 30
    assert snapshot(app, report_id) == before


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_contact_person_gets_nothing_of_another_harbour_from_any_route(app, theirs, lang):
    report_id, reference = theirs
    before = snapshot(app, report_id)
    client = app.test_client()
    log_in(client, KIM, lang=lang)
    token = lambda: csrf_token(client, f"/{lang}/account/password")  # noqa: E731
    for rule, method, url, answer in walk(app, client, token, lang, report_id):
        where = f"{method} {url}"
        assert_nothing_given_away(answer, where, reference)
        if {"report_id", "alert_id"} & rule.arguments or rule.endpoint.startswith("admin."):
            assert answer.status_code == 404, where
        if rule.endpoint == "auth.logout":
            # The walk logged Kim out: in again, for the routes after it.
            log_in(client, KIM, lang=lang)
    assert snapshot(app, report_id) == before
    with app.app_context():
        assert db.session.scalar(select(Alert.withdrawn_at)) is None


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_deactivated_account_gets_nothing_from_any_route(app, theirs, lang):
    """Bo reads his own harbour's report, is deactivated, and his open session reads nothing."""
    report_id, reference = theirs
    client = app.test_client()
    log_in(client, BO, lang=lang)
    assert SECRET in client.get(f"/{lang}/inbox/{report_id}").get_data(as_text=True)
    with app.app_context():
        deactivate_account(None, account_with_email(BO))
        db.session.commit()
    before = snapshot(app, report_id)
    for rule, method, url, answer in walk(app, client, login_token(client, lang), lang, report_id):
        where = f"{method} {url}"
        assert_nothing_given_away(answer, where, reference)
        if not is_public(rule):
            assert sent_to_log_in(answer, lang), where
    assert snapshot(app, report_id) == before
    with app.app_context():
        assert db.session.scalar(select(Report.status).filter_by(id=report_id)) == before[0]
