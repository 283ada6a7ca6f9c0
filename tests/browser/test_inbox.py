"""The contact person's inbox in real Chromium: log-in, new reports, triage, filters, offline."""

import re
from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext, ngettext
from playwright.sync_api import expect
from sqlalchemy import select

from pwa import rate_limits
from pwa.auth.accounts import create_account
from pwa.extensions import db
from pwa.models import Harbour, Report
from tests.browser.helpers import axe_violations, wait_for_service_worker
from tests.staff import BO, KIM, PASSWORD, add_report

LANGUAGES = [("sv", KIM), ("en", BO)]


@pytest.fixture
def harbours(live_app, database):
    """Give each example harbour its contact person; return the harbour ids by name."""
    with live_app.app_context():
        guest = db.session.scalar(select(Harbour).filter_by(name="Oxelösunds gästhamn"))
        femoresund = db.session.scalar(select(Harbour).filter_by(name="Femöresund"))
        create_account(KIM, "Kim Kontakt", PASSWORD, harbours=[guest])
        create_account(BO, "Bo Båt", PASSWORD, harbours=[femoresund], language="en")
        db.session.commit()
        ids = {"guest": guest.id, "femoresund": femoresund.id}
    # Every test logs in from the same address: start each with the log-in limit unused.
    rate_limits.reset(live_app)
    return ids


def report(live_app, harbour_id, **fields):
    """Store a report as the form would; return its id and reference code."""
    with live_app.app_context():
        stored = add_report(harbour_id, **fields)
        return stored.id, stored.reference


def text(live_app, lang, message, **variables):
    """Return a message as the app writes it in `lang`."""
    with live_app.test_request_context(f"/{lang}/"), force_locale(lang):
        return gettext(message, **variables)


def plural(live_app, lang, singular, plural_form, num):
    with live_app.test_request_context(f"/{lang}/"), force_locale(lang):
        return ngettext(singular, plural_form, num)


def title(live_app, lang, name):
    return f"{name} – {text(live_app, lang, 'Boat Watch Oxelösund')}"


def tab_to(page, selector, presses=60):
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    pytest.fail(f"Tab never reached {selector}")


def log_in(page, lang="sv", email=KIM, password=PASSWORD):
    """Log in through the form with the keyboard only."""
    page.goto(f"/{lang}/login")
    tab_to(page, "#email")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")


def log_in_to_inbox(page, lang="sv", email=KIM):
    log_in(page, lang, email)
    page.wait_for_url(f"**/{lang}/inbox/")


@pytest.mark.parametrize(("lang", "email"), LANGUAGES)
def test_a_contact_person_logs_in_by_keyboard_and_lands_in_the_inbox(
    live_app, harbours, page, lang, email
):
    log_in(page, lang, email)
    page.wait_for_url(f"**/{lang}/inbox/")
    assert page.locator("html").get_attribute("lang") == lang
    expect(page.locator("h1")).to_have_text(text(live_app, lang, "Inbox"))
    expect(page.locator(".staff-nav")).to_contain_text(
        text(
            live_app,
            lang,
            "Logged in as %(name)s",
            name="Kim Kontakt" if email == KIM else "Bo Båt",
        )
    )


@pytest.mark.parametrize(("lang", "email"), LANGUAGES)
def test_a_wrong_password_is_said_and_the_address_kept(live_app, harbours, page, lang, email):
    log_in(page, lang, email, "not the password")
    summary = page.locator("#form-errors")
    expect(summary).to_have_text(
        text(live_app, lang, "The e-mail address or the password is wrong.")
    )
    expect(summary).to_have_attribute("role", "alert")
    expect(page.locator("#email")).to_have_value(email)
    expect(page.locator("#password")).to_have_value("")
    assert page.url.endswith(f"/{lang}/login")


def test_a_new_report_appears_in_the_open_inbox_without_reload(live_app, harbours, page):
    log_in_to_inbox(page)
    expect(page.locator("#report-list > li")).to_have_count(0)
    expect(page.locator("#no-reports")).to_have_text(
        text(live_app, "sv", "No reports have arrived yet.")
    )
    expect(page).to_have_title(title(live_app, "sv", text(live_app, "sv", "Inbox")))
    page.evaluate("() => { window.notReloaded = true; }")

    report_id, _ = report(live_app, harbours["guest"], plates=("ABC123",))
    # Another harbour's report must not reach this inbox.
    report(live_app, harbours["femoresund"], plates=("XYZ789",))

    item = page.locator(f"#report-{report_id}")
    expect(item).to_be_visible()
    expect(item.locator(".badge-new")).to_have_text(text(live_app, "sv", "Unread"))
    expect(page.locator("#report-list > li")).to_have_count(1)
    expect(page.locator("#no-reports")).to_be_hidden()
    expect(page).to_have_title(title(live_app, "sv", f"(1) {text(live_app, 'sv', 'Inbox')}"))
    news = page.locator("#inbox-news")
    expect(news).to_have_attribute("role", "status")
    expect(news).to_contain_text(
        plural(
            live_app,
            "sv",
            "%(num)s new report has arrived.",
            "%(num)s new reports have arrived.",
            1,
        )
    )
    expect(news).to_contain_text(
        plural(live_app, "sv", "%(num)s report is unread.", "%(num)s reports are unread.", 1)
    )
    assert page.evaluate("() => window.notReloaded") is True
    # The poll goes on from the newest report: the next one comes once, above the first.
    second_id, _ = report(live_app, harbours["guest"])
    expect(page.locator("#report-list > li")).to_have_count(2)
    expect(page.locator("#report-list > li").first).to_have_attribute("id", f"report-{second_id}")
    expect(page).to_have_title(title(live_app, "sv", f"(2) {text(live_app, 'sv', 'Inbox')}"))


def test_a_report_is_passed_to_the_police_by_keyboard(live_app, harbours, page):
    report_id, reference = report(live_app, harbours["guest"], plates=("ABC123",))
    log_in_to_inbox(page)
    tab_to(page, f"#report-{report_id} a")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/sv/inbox/{report_id}")
    expect(page.locator("h1")).to_contain_text(reference)

    tab_to(page, "#status")
    # Opening the report put it under review; the next status is "passed to the police".
    expect(page.locator("#status")).to_have_value("under_review")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#status")).to_have_value("passed_to_police")
    page.keyboard.press("Tab")
    page.keyboard.type("5000-k123456-24")
    page.keyboard.press("Enter")

    expect(page.locator(".notice")).to_have_text(text(live_app, "sv", "The report has been saved."))
    expect(page.locator("#case_number")).to_have_value("5000-K123456-24")
    expect(page.locator("main .status-passed_to_police").first).to_have_text(
        "Överlämnad till polisen"
    )
    with live_app.app_context():
        stored = db.session.get(Report, report_id)
        assert stored.police_case_number == "5000-K123456-24"

    page.goto("/sv/status")
    page.locator("#code").fill(reference)
    page.locator(".status-form button").click()
    expect(page.locator(".status")).to_contain_text("Överlämnad till polisen")


def test_a_case_number_that_is_missing_is_said_beside_the_field(live_app, harbours, page):
    report_id, _ = report(live_app, harbours["guest"])
    log_in_to_inbox(page)
    page.goto(f"/sv/inbox/{report_id}")
    page.locator("#status").select_option("passed_to_police")
    page.locator("#note").fill("Ringde polisen.")
    page.locator("#note").press("Tab")
    page.keyboard.press("Enter")
    error = page.locator("#case_number-error")
    expect(error).to_have_text(
        text(live_app, "sv", "Write the police case number, for example 5000-K123456-24.")
    )
    expect(page.locator("#case_number")).to_have_attribute("aria-invalid", "true")
    assert "case_number-error" in page.locator("#case_number").get_attribute("aria-describedby")
    expect(page.locator("#status")).to_have_value("passed_to_police")
    expect(page.locator("#note")).to_have_value("Ringde polisen.")


def test_a_plate_filter_shows_only_its_reports_and_back_restores_the_page(live_app, harbours, page):
    match_id, _ = report(live_app, harbours["guest"], plates=("ABC123",))
    other_id, _ = report(live_app, harbours["guest"], plates=("XYZ789",))
    log_in_to_inbox(page)
    expect(page.locator("#report-list > li")).to_have_count(2)

    page.locator(".filters > summary").click()
    page.locator("#plate").fill("abc 123")
    requested = []
    page.on("request", lambda request: requested.append(request))
    with page.expect_response(re.compile(r"/sv/inbox/\?filter=")):
        page.locator("#plate").press("Enter")
    assert requested[0].headers.get("hx-request") == "true"
    expect(page.locator("#report-list > li")).to_have_count(1)
    expect(page.locator(f"#report-{match_id}")).to_be_visible()
    # The plate was posted: the address names the filter by an id only.
    expect(page).to_have_url(re.compile(r"/sv/inbox/\?filter=[\w-]+$"))
    assert [request.method for request in requested[:2]] == ["POST", "GET"]
    # htmx followed the redirect: the list alone was swapped in, not a whole page.
    expect(page.locator(".site-header")).to_have_count(1)
    assert "abc" not in " ".join(request.url.lower() for request in requested)
    expect(page.locator(".site-header")).to_have_count(1)

    page.go_back()
    expect(page).to_have_url(re.compile(r"/sv/inbox/$"))
    expect(page.locator("#report-list > li")).to_have_count(2)
    expect(page.locator(f"#report-{other_id}")).to_be_visible()
    # The whole page, not the list alone: the header, the menu and the filters are back.
    expect(page.locator(".site-header")).to_have_count(1)
    expect(page.locator(".staff-nav")).to_have_count(1)
    expect(page.locator("h1")).to_have_text(text(live_app, "sv", "Inbox"))
    expect(page.locator("#plate")).to_have_value("")

    page.go_forward()
    expect(page.locator("#report-list > li")).to_have_count(1)
    expect(page.locator("#plate")).to_have_value("abc 123")


def test_logging_out_from_the_menu_ends_the_session(live_app, harbours, page):
    log_in_to_inbox(page)
    page.locator(".staff-nav").get_by_role("button", name=text(live_app, "sv", "Log out")).click()
    page.wait_for_url("**/sv/login")
    expect(page.locator(".notice")).to_have_text(text(live_app, "sv", "You have logged out."))
    page.goto("/sv/inbox/")
    expect(page).to_have_url(re.compile(r"/sv/login\?next=.*inbox"))
    expect(page.locator("#email")).to_be_visible()


def test_an_open_inbox_goes_to_the_log_in_page_when_the_session_ends(
    live_app, harbours, context, page
):
    log_in_to_inbox(page)
    other_tab = context.new_page()
    other_tab.goto("/sv/inbox/")
    other_tab.locator(".staff-nav .link-button").click()
    other_tab.wait_for_url("**/sv/login")
    # The next poll of the first tab finds no session and is sent to log in again.
    page.wait_for_url(re.compile(r"/sv/login\?next="))
    # Logged in again, the person is back in the inbox, not in what the poll asked for.
    page.locator("#email").fill(KIM)
    page.locator("#password").fill(PASSWORD)
    page.locator("#password").press("Enter")
    page.wait_for_url("**/sv/inbox/")
    expect(page.locator("h1")).to_have_text(text(live_app, "sv", "Inbox"))


def test_an_inbox_left_open_is_logged_out_after_the_idle_time_though_it_polls(
    live_app, harbours, page, monkeypatch
):
    monkeypatch.setitem(live_app.config, "PERMANENT_SESSION_LIFETIME", timedelta(seconds=4))
    log_in_to_inbox(page)
    # The poll asks every second, yet only the person's own requests keep the session.
    page.wait_for_url(re.compile(r"/sv/login\?next="), timeout=15_000)
    expect(page.locator(".notice")).to_have_text("Du loggades ut efter 1 minut utan aktivitet.")
    expect(page.locator("#email")).to_be_visible()


def test_the_service_worker_never_keeps_the_inbox(live_app, harbours, context, page):
    report(live_app, harbours["guest"], plates=("ABC123",))
    log_in_to_inbox(page)
    wait_for_service_worker(page)
    page.reload()
    expect(page.locator(".report-item")).to_have_count(1)

    context.set_offline(True)
    page.goto("/sv/inbox/")
    expect(page.locator("h1")).to_have_text("Du är offline")
    expect(page.locator(".report-item")).to_have_count(0)
    urls = page.evaluate(
        """async () => {
            const urls = [];
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                for (const request of await cache.keys()) urls.push(request.url);
            }
            return urls;
        }"""
    )
    assert urls, "the public pages are cached"
    assert not [url for url in urls if re.search(r"/(inbox|login|account|admin)", url)]


#: What a thumb must hit on these pages; links within running text are exempt.
TAP_TARGETS = (
    ".staff-nav a, .staff-nav button, main button, main select, main input:not([type=hidden]),"
    " main textarea, .filters > summary, .report-link-title, .back-link"
)


def small_targets(page):
    """Return the tap targets on the page less than 48 px high."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
            .filter((element) => element.checkVisibility())
            .filter((element) => element.getBoundingClientRect().height < 47.5)
            .map((element) => element.outerHTML.slice(0, 80))""",
        TAP_TARGETS,
    )


def submit(page):
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def login_page(page, lang, ids):
    page.goto(f"/{lang}/login")


def login_page_with_errors(page, lang, ids):
    page.goto(f"/{lang}/login")
    submit(page)
    expect(page.locator(".field-error")).to_have_count(2)


def login_page_with_a_wrong_password(page, lang, ids):
    log_in(page, lang, password="not the password")
    expect(page.locator("#form-errors")).to_be_visible()


def inbox(page, lang, ids):
    log_in_to_inbox(page, lang)
    page.goto(f"/{lang}/inbox/{ids[1]}")
    page.goto(f"/{lang}/inbox/")
    expect(page.locator(".report-item.unread")).to_have_count(1)
    expect(page.locator(".plate-repeat")).to_have_count(2)


def inbox_with_filter_errors(page, lang, ids):
    log_in_to_inbox(page, lang)
    page.locator(".filters > summary").click()
    page.locator("#received_from").fill("2026-06-02")
    page.locator("#received_to").fill("2026-06-01")
    page.locator("#plate").fill("abc")
    # Sent as without JavaScript, where the errors are beside the fields.
    page.evaluate("() => document.querySelector('.filter-form').submit()")
    expect(page.locator(".field-error")).to_have_count(1)


def report_page(page, lang, ids):
    log_in_to_inbox(page, lang)
    page.goto(f"/{lang}/inbox/{ids[0]}")
    expect(page.locator(".card-alarm")).to_be_visible()


def report_page_with_errors(page, lang, ids):
    report_page(page, lang, ids)
    page.locator("#status").select_option("duplicate")
    submit(page)
    expect(page.locator("#duplicate_of-error")).to_be_visible()


def report_page_passed_to_the_police(page, lang, ids):
    report_page(page, lang, ids)
    page.locator("#status").select_option("passed_to_police")
    page.locator("#case_number").fill("5000-K123456-24")
    submit(page)
    expect(page.locator(".notice")).to_be_visible()
    expect(page.locator("main .status-passed_to_police")).to_be_visible()


def password_page(page, lang, ids):
    log_in_to_inbox(page, lang)
    page.goto(f"/{lang}/account/password")


def password_page_with_errors(page, lang, ids):
    password_page(page, lang, ids)
    page.locator("#current").fill("wrong")
    page.locator("#new").fill("short")
    submit(page)
    expect(page.locator(".field-error")).to_have_count(3)


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize(
    "open_page",
    [
        login_page,
        login_page_with_errors,
        login_page_with_a_wrong_password,
        inbox,
        inbox_with_filter_errors,
        report_page,
        report_page_with_errors,
        report_page_passed_to_the_police,
        password_page,
        password_page_with_errors,
    ],
)
def test_the_staff_pages_are_accessible_and_fit_a_narrow_phone(
    live_app, harbours, narrow_page, lang, open_page
):
    ids = [
        report(live_app, harbours["guest"], plates=("ABC123", "XYZ789"), hours_ago=2)[0],
        report(live_app, harbours["guest"], plates=("ABC123",), phone="070-123 45 67")[0],
    ]
    open_page(narrow_page, lang, ids)
    assert narrow_page.locator("html").get_attribute("lang") == lang
    assert axe_violations(narrow_page) == []
    assert small_targets(narrow_page) == []
    width = narrow_page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"{width} px wide"


def test_a_link_on_another_site_opens_no_report_in_the_persons_name(
    live_app, live_server, harbours, context, page
):
    report_id, reference = report(live_app, harbours["guest"], what_happened="A van, no lights.")
    log_in_to_inbox(page)
    # Another site (its own origin, served here by the browser itself) links to the report.
    context.route(
        "http://elsewhere.test/**",
        lambda route: route.fulfill(
            content_type="text/html",
            body=f'<a href="{live_server}/sv/inbox/{report_id}">Look at this</a>',
        ),
    )
    page.goto("http://elsewhere.test/")
    # Chromium sends Sec-Fetch-Site: cross-site and the session cookie (SameSite=Lax).
    page.get_by_role("link", name="Look at this").click()
    expect(page.locator("h1")).to_have_text(text(live_app, "sv", "Open the report?"))
    expect(page.locator("main")).not_to_contain_text("A van, no lights.")
    with live_app.app_context():
        stored = db.session.get(Report, report_id)
        assert (stored.read_at, stored.status.value) == (None, "received")

    page.get_by_role("link", name=text(live_app, "sv", "Open the report")).click()
    expect(page.locator("h1")).to_contain_text(reference)
    expect(page.locator("main")).to_contain_text("A van, no lights.")
    expect(page.locator("#status")).to_have_value("under_review")
