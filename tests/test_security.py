"""Who may reach the staff pages and the reports behind them: nobody anonymous, no other harbour."""

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from pwa.extensions import db
from pwa.models import Account, Alert, AuditEvent, Harbour, Promise, Report, ReportStatus
from tests.staff import ADMIN, BO, KIM, PASSWORD, add_report, csrf_token, log_in

#: Routes anyone may reach: everything else is for logged-in staff and must refuse a visitor.
PUBLIC_BLUEPRINTS = {"public", "reports", "shell", "alerts"}
PUBLIC_ENDPOINTS = {"auth.login", "static", "progress.show_progress"}
SECRET = "Two men carried an outboard engine to a red Volvo."
#: Each request is also made as htmx makes it, which must get 401 rather than a redirect.
HTMX = {"HX-Request": "true"}


def is_public(rule):
    return rule.endpoint in PUBLIC_ENDPOINTS or rule.endpoint.split(".")[0] in PUBLIC_BLUEPRINTS


def staff_rules(app):
    return [rule for rule in app.url_map.iter_rules() if not is_public(rule)]


def plausible_values(app, lang, **values):
    """Return values for every argument of the staff routes: a language, ids that exist."""
    with app.app_context():
        harbour_id = db.session.scalar(select(Harbour.id).filter_by(name="Femöresund"))
        account_id = db.session.scalar(select(Account.id).filter_by(email=BO))
        promise_id = db.session.scalar(select(Promise.id))
        alert_id = db.session.scalar(select(Alert.id).filter_by(harbour_id=harbour_id)) or 1
    return {
        "lang": lang,
        "harbour_id": harbour_id,
        "account_id": account_id,
        "promise_id": promise_id,
        "alert_id": alert_id,
        **values,
    }


def build_url(app, rule, values):
    """Build the rule's URL from plausible values; a new argument name must be added to them."""
    missing = rule.arguments - values.keys()
    assert not missing, f"{rule.endpoint}: give the test a plausible value for {missing}"
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        return adapter.build(rule.endpoint, {name: values[name] for name in rule.arguments})


@pytest.fixture
def reports(app, staff):
    """A report of each harbour, with the same plate: (Kim's report, Bo's report)."""
    guest, femoresund = staff
    with app.app_context():
        mine = add_report(guest, plates=("ABC123",), what_happened="Someone tried the gate.")
        theirs = add_report(femoresund, plates=("ABC123",), what_happened=SECRET)
        return mine.id, theirs.id


def visitor(app, method):
    """Return a client with no log-in, and the request to make.

    A GET comes with no session at all; a POST carries a valid CSRF token of its session, so
    that CSRF is not what refuses it.
    """
    client = app.test_client()
    if method != "POST":
        return client, {"method": method}
    token = csrf_token(client, "/sv/login")
    return client, {"method": method, "data": {"csrf_token": token, "status": "closed"}}


def staff_token(client):
    return csrf_token(client, "/sv/account/password")


def snapshot(app, report_id):
    """Return what triage could change in a report, and the number of its audit entries."""
    with app.app_context():
        report = db.session.get(Report, report_id)
        events = db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.report_id == report_id)
        )
        return (report.status, report.note, report.police_case_number, report.read_at, events)


def test_the_rule_finds_every_staff_route(app):
    endpoints = {rule.endpoint for rule in staff_rules(app)}
    assert {
        "inbox.list_reports",
        "inbox.list_new_reports",
        "inbox.show_report",
        "inbox.update_report",
        "admin.list_harbours",
        "admin.list_accounts",
        "admin.list_audit_events",
        "auth.logout",
        "auth.change_password",
    } <= endpoints
    assert "auth.login" not in endpoints and "reports.show_status" not in endpoints


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_staff_route_refuses_a_visitor(app, reports, lang):
    values = plausible_values(app, lang, report_id=reports[1])
    checked = 0
    for rule in staff_rules(app):
        url = build_url(app, rule, values)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            client, request = visitor(app, method)
            answer = client.open(url, **request)
            where = f"{method} {url}"
            assert answer.status_code == 303, where
            location = urlsplit(answer.headers["Location"])
            assert location.path == f"/{lang}/login", where
            assert SECRET not in answer.get_data(as_text=True), where

            client, request = visitor(app, method)
            answer = client.open(url, headers=HTMX, **request)
            if rule.endpoint == "auth.logout":
                # Logging out is allowed to anyone: it only ends a session there is none of.
                assert answer.status_code == 303, where
                continue
            assert answer.status_code == 401, where
            assert urlsplit(answer.headers["HX-Redirect"]).path == f"/{lang}/login", where
            assert SECRET not in answer.get_data(as_text=True), where
            checked += 1
    assert checked >= 8
    assert snapshot(app, reports[1]) == (ReportStatus.RECEIVED, "", None, None, 0)


def test_a_visitor_is_sent_back_after_logging_in(client, reports):
    answer = client.get(f"/en/inbox/{reports[0]}")
    login_url = answer.headers["Location"]
    assert urlsplit(login_url).query == f"next=/en/inbox/{reports[0]}?"
    page = client.get(login_url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = client.post(login_url, data={"csrf_token": token, "email": KIM, "password": ""})
    assert answer.status_code == 422
    answer = client.post(login_url, data={"csrf_token": token, "email": KIM, "password": PASSWORD})
    assert answer.status_code == 303
    assert urlsplit(answer.headers["Location"]).path == f"/en/inbox/{reports[0]}"


def test_an_htmx_request_is_sent_back_to_its_page_after_logging_in(client, reports):
    page = "http://localhost/sv/inbox/?status=closed"
    answer = client.get("/sv/inbox/new?after=3", headers={**HTMX, "HX-Current-URL": page})
    assert answer.status_code == 401
    login_url = answer.headers["HX-Redirect"]
    assert urlsplit(login_url).query == "next=/sv/inbox/?status%3Dclosed"
    token = csrf_token(client, login_url)
    answer = client.post(login_url, data={"csrf_token": token, "email": KIM, "password": PASSWORD})
    assert answer.headers["Location"] == "/sv/inbox/?status=closed"


def test_an_htmx_request_from_another_site_is_not_sent_back_there(client, reports):
    page = "https://evil.example/sv/inbox/"
    answer = client.get("/sv/inbox/new?after=3", headers={**HTMX, "HX-Current-URL": page})
    assert answer.headers["HX-Redirect"] == "/sv/login"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_contact_person_cannot_reach_the_administrators_pages(app, client, staff, lang):
    log_in(client, KIM)
    token = csrf_token(client, "/sv/account/password")
    for rule in staff_rules(app):
        if rule.endpoint.startswith("admin."):
            url = build_url(app, rule, plausible_values(app, lang))
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                answer = client.open(url, method=method, data={"csrf_token": token})
                assert answer.status_code == 404, (rule.endpoint, method)


def test_the_administrator_reaches_the_administrators_pages(app, client, staff):
    log_in(client, ADMIN)
    for rule in staff_rules(app):
        if rule.endpoint.startswith("admin.") and "GET" in rule.methods:
            answer = client.get(build_url(app, rule, plausible_values(app, "sv")))
            assert answer.status_code == 200, rule.endpoint
            assert answer.headers["Cache-Control"] == "no-store"


def without_id(answer, report_id):
    """Return the page with the report id in its addresses replaced by a placeholder."""
    return answer.get_data(as_text=True).replace(f"/inbox/{report_id}", "/inbox/ID")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_another_harbours_report_looks_like_none_at_all(app, client, reports, lang):
    theirs = reports[1]
    log_in(client, KIM, lang=lang)
    forbidden = client.get(f"/{lang}/inbox/{theirs}")
    absent = client.get(f"/{lang}/inbox/{theirs + 1000}")
    assert forbidden.status_code == absent.status_code == 404
    assert without_id(forbidden, theirs) == without_id(absent, theirs + 1000)
    assert SECRET not in forbidden.get_data(as_text=True)


@pytest.mark.parametrize(
    "identifier", ["0", "-1", "99999999", "9" * 19, "9" * 40, "abc", "1.5", "1e3", "%00", "1%20"]
)
def test_odd_report_identifiers_are_not_found(app, client, reports, identifier):
    log_in(client, KIM)
    token = staff_token(client)
    for answer in (
        client.get(f"/sv/inbox/{identifier}"),
        client.post(f"/sv/inbox/{identifier}", data={"csrf_token": token, "status": "closed"}),
    ):
        assert answer.status_code == 404
        assert SECRET not in answer.get_data(as_text=True)


@pytest.mark.parametrize("position", ["", "-1", "abc", "١٢", "9" * 10, "9" * 19, "9" * 40])
def test_odd_positions_in_the_list_and_the_poll_are_no_error(client, reports, position):
    log_in(client, KIM)
    answer = client.get("/sv/inbox/", query_string={"before": position})
    assert answer.status_code == 200
    assert f'id="report-{reports[0]}"' in answer.get_data(as_text=True)
    assert client.get("/sv/inbox/new", query_string={"after": position}).status_code == 400


def test_a_contact_person_cannot_change_another_harbours_report(app, client, reports):
    theirs = reports[1]
    before = snapshot(app, theirs)
    log_in(client, KIM)
    token = staff_token(client)
    for status in ReportStatus:
        answer = client.post(
            f"/sv/inbox/{theirs}",
            data={
                "csrf_token": token,
                "status": status.value,
                "case_number": "5000-K123456-24",
                "note": "Changed by the wrong person",
            },
        )
        assert answer.status_code == 404
        assert SECRET not in answer.get_data(as_text=True)
    assert snapshot(app, theirs) == before


def test_a_contact_person_cannot_find_another_harbours_report(app, client, reports, staff):
    mine, theirs = reports
    with app.app_context():
        their_reference = db.session.get(Report, theirs).reference
    log_in(client, KIM)

    inbox = client.get("/sv/inbox/").get_data(as_text=True)
    assert f'id="report-{mine}"' in inbox and f'id="report-{theirs}"' not in inbox
    # The plate is in a report of the other harbour too, which must not be counted.
    assert "also in" not in inbox and "också i" not in inbox

    token = staff_token(client)
    for filters in (
        {"plate": "ABC123"},
        {"plate": "abc 123", "status": "received"},
        {"category": "vehicle"},
    ):
        answer = client.post("/sv/inbox/", data={"csrf_token": token, **filters})
        page = client.get(answer.headers["Location"]).get_data(as_text=True)
        assert f'id="report-{theirs}"' not in page and SECRET not in page, filters
    page = client.get("/sv/inbox/", query_string={"before": str(theirs + 1)}).get_data(as_text=True)
    assert f'id="report-{theirs}"' not in page and SECRET not in page

    answer = client.post("/sv/inbox/", data={"csrf_token": token, "harbour": staff[1]})
    assert answer.status_code == 422
    assert f'id="report-{theirs}"' not in answer.get_data(as_text=True)

    poll = client.get("/sv/inbox/new", query_string={"after": "0"}).get_data(as_text=True)
    assert f'id="report-{mine}"' in poll and f'id="report-{theirs}"' not in poll
    assert SECRET not in poll
    poll = client.get("/sv/inbox/new", query_string={"after": "0", "filter": "theirs"})
    assert poll.status_code == 400

    page = client.get(f"/sv/inbox/{mine}").get_data(as_text=True)
    assert their_reference not in page and SECRET not in page
    assert 'id="matches-title"' not in page and "Femöresund" not in page

    token = staff_token(client)
    answer = client.post(
        f"/sv/inbox/{mine}",
        data={"csrf_token": token, "status": "duplicate", "duplicate_of": their_reference},
    )
    assert answer.status_code == 422
    assert SECRET not in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Report, mine).duplicate_of_id is None


def test_the_administrator_reads_every_harbour(app, client, reports):
    mine, theirs = reports
    log_in(client, ADMIN)
    inbox = client.get("/en/inbox/").get_data(as_text=True)
    assert f'id="report-{mine}"' in inbox and f'id="report-{theirs}"' in inbox
    for report_id in reports:
        assert client.get(f"/en/inbox/{report_id}").status_code == 200
    assert SECRET in client.get(f"/en/inbox/{theirs}").get_data(as_text=True)


def test_bo_reads_his_harbour_but_not_kims(app, client, reports):
    mine, theirs = reports
    log_in(client, BO, lang="en")
    assert SECRET in client.get(f"/en/inbox/{theirs}").get_data(as_text=True)
    assert client.get(f"/en/inbox/{mine}").status_code == 404


def test_triage_without_a_csrf_token_is_refused(app, client, reports):
    mine = reports[0]
    log_in(client, KIM)
    client.get(f"/sv/inbox/{mine}")
    before = snapshot(app, mine)
    answer = client.post(f"/sv/inbox/{mine}", data={"status": "closed", "note": "Forged"})
    assert answer.status_code == 400
    answer = client.post(
        f"/sv/inbox/{mine}", data={"csrf_token": "forged", "status": "closed", "note": "Forged"}
    )
    assert answer.status_code == 400
    assert snapshot(app, mine) == before
