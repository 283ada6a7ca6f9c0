"""Reporting an observation in real Chromium, with htmx and the service worker."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from pwa.extensions import db
from pwa.models import Report
from tests.browser.helpers import axe_violations, wait_for_receipt, wait_for_service_worker


def stored(live_app):
    with live_app.app_context():
        return db.session.scalar(select(func.count(Report.id)))


def fill_in(page, harbour, category, what_happened):
    page.get_by_label(harbour[0], exact=True).select_option(label=harbour[1])
    page.get_by_label(category).check()
    page.locator("#plates-0-text").fill("abc 123")
    page.locator("#what_happened").fill(what_happened)


def test_a_mistake_is_shown_beside_the_field_and_the_text_kept(live_app, page):
    page.goto("/sv/report")
    page.get_by_label("Hamn", exact=True).select_option(label="Oxelösunds gästhamn")
    page.locator("#place").fill("Brygga C")
    page.locator("#plates-0-text").fill("abi 123")
    with page.expect_response(re.compile(r"/sv/report$")) as answer:
        page.get_by_role("button", name="Skicka rapporten").click()
    assert answer.value.status == 422
    assert answer.value.request.headers.get("hx-request") == "true"
    error = page.locator("#what_happened-error")
    expect(error).to_have_text("Beskriv vad som hände.")
    expect(page.locator("#what_happened")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#plates-0-text-error")).to_contain_text("inget registreringsnummer")
    expect(page.locator("#place")).to_have_value("Brygga C")
    expect(page.locator("#plates-0-text")).to_have_value("abi 123")
    expect(page.locator("#error-summary")).to_be_focused()
    assert page.url.endswith("/sv/report")
    # Corrected, the same form is one report.
    page.locator("#plates-0-text").fill("abc 123")
    page.locator("#what_happened").fill("En gummibåt utan lanternor.")
    page.get_by_label("Person eller personer").check()
    page.get_by_role("button", name="Skicka rapporten").click()
    wait_for_receipt(page, live_app, "sv")
    assert stored(live_app) == 1


def stored_plates(live_app):
    with live_app.app_context():
        report = db.session.scalars(select(Report)).one()
        return [plate.text for plate in report.plates]


@pytest.mark.parametrize(
    ("lang", "add", "row_two", "send"),
    [
        ("sv", "Lägg till ett registreringsnummer", "Registreringsnummer 2", "Skicka rapporten"),
        ("en", "Add a registration number", "Registration number 2", "Send the report"),
    ],
)
def test_rows_are_added_up_to_ten_plates_and_every_plate_is_stored(
    live_app, page, lang, add, row_two, send
):
    page.goto(f"/{lang}/report")
    rows = page.locator("[data-plate-row]")
    expect(rows).to_have_count(1)
    add_row = page.get_by_role("button", name=add)
    add_row.focus()
    page.keyboard.press("Enter")
    expect(rows).to_have_count(2)
    expect(rows.nth(1).locator("legend")).to_have_text(row_two)
    expect(page.locator("#plates-1-text")).to_be_focused()
    page.keyboard.type("def 456")
    for _ in range(8):
        add_row.click()
    expect(rows).to_have_count(10)
    expect(add_row).to_be_hidden()
    page.locator("#plates-9-text").fill("abi 123")
    page.locator("#harbour").select_option(index=1)
    page.locator("#categories-boat").check()
    with page.expect_response(re.compile(rf"/{lang}/report$")) as answer:
        page.get_by_role("button", name=send).click()
    # Refused for the tenth plate and the missing description: all ten rows come back, as typed.
    assert answer.value.status == 422
    expect(page.locator("#plates-9-text-error")).to_be_visible()
    expect(rows).to_have_count(10)
    expect(page.locator("#plates-1-text")).to_have_value("def 456")
    expect(page.locator("#plates-9-text")).to_have_value("abi 123")
    expect(add_row).to_be_hidden()
    page.locator("#plates-9-text").fill("ghj 789")
    page.locator("#what_happened").fill("Three cars at the ramp at night.")
    page.get_by_role("button", name=send).click()
    wait_for_receipt(page, live_app, lang)
    assert stored_plates(live_app) == ["DEF456", "GHJ789"]


def test_every_load_of_the_cached_form_has_a_new_identity(page):
    page.goto("/sv/report")
    wait_for_service_worker(page)
    first = page.locator("#client_id").input_value()
    page.reload()
    second = page.locator("#client_id").input_value()
    assert first != second
    assert re.fullmatch(r"[0-9a-f-]{36}", second)
    assert page.locator("#observed_at").input_value()


def test_status_look_up(live_app, page):
    page.goto("/en/report")
    fill_in(page, ("Harbour", "Oxelösunds gästhamn"), "Damage", "A broken padlock.")
    page.get_by_role("button", name="Send the report").click()
    reference = wait_for_receipt(page, live_app, "en")
    page.get_by_role("button", name="Look up the status of this report").click()
    # Posted: the code is on the page, not in the address.
    page.wait_for_url("**/en/status")
    expect(page.locator("#code")).to_have_value(reference)
    expect(page.locator("main")).to_contain_text("Your report has arrived")
    expect(page.locator("main")).not_to_contain_text("padlock")


@pytest.mark.parametrize(("lang", "send"), [("sv", "Skicka rapporten"), ("en", "Send the report")])
def test_axe_finds_no_violations_on_the_report_pages(live_app, axe_page, lang, send):
    page = axe_page
    found = {}
    page.goto(f"/{lang}/report")
    found["form"] = axe_violations(page)
    page.locator("#add-plate").click()
    found["form with an added plate row"] = axe_violations(page)
    page.locator("#plates-0-text").fill("!!")
    page.get_by_role("button", name=send).click()
    expect(page.locator("#error-summary")).to_be_visible()
    found["form with errors"] = axe_violations(page)
    page.locator("#harbour").select_option(index=1)
    page.locator("#categories").check()
    page.locator("#plates-0-text").fill("")
    page.locator("#what_happened").fill("Someone tried the doors of cars.")
    page.get_by_role("button", name=send).click()
    reference = wait_for_receipt(page, live_app, lang)
    found["receipt"] = axe_violations(page)
    page.locator("[data-receipt] form button").click()
    expect(page.locator("#code")).to_have_value(reference)
    found["status"] = axe_violations(page)
    page.locator("#code").fill("nothing")
    page.locator(".status-form button").click()
    expect(page.locator("#code-error")).to_be_visible()
    found["unknown code"] = axe_violations(page)
    assert {name: v for name, v in found.items() if v} == {}


def test_the_position_is_sent_only_when_the_person_chooses_it(live_app, browser, live_server):
    context = browser.new_context(
        base_url=live_server,
        geolocation={"latitude": 58.6652, "longitude": 17.1125},
        permissions=["geolocation"],
    )
    try:
        page = context.new_page()
        page.goto("/sv/report")
        fill_in(page, ("Hamn", "Femöresund"), "En båt", "En båt utan lanternor.")
        page.get_by_role("button", name="Använd min position").click()
        expect(page.locator("#position-status")).to_have_text("Positionen är tillagd.")
        expect(page.get_by_role("button", name="Ta bort positionen")).to_be_visible()
        page.get_by_role("button", name="Skicka rapporten").click()
        wait_for_receipt(page, live_app, "sv")
    finally:
        context.close()
    with live_app.app_context():
        report = db.session.scalars(select(Report)).one()
        assert (report.latitude, report.longitude) == (58.6652, 17.1125)


def test_without_javascript_the_post_is_answered_with_the_receipt(live_app, browser, live_server):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/en/report")
        expect(page.get_by_role("button", name="Use my position")).to_be_hidden()
        page.get_by_role("button", name="Send the report").click()
        expect(page.locator("#error-summary")).to_contain_text("Choose the harbour from the list.")
        fill_in(page, ("Harbour", "Oxelösunds gästhamn"), "A vehicle", "A van by the gate.")
        with page.expect_response(re.compile(r"/en/report$")) as answer:
            page.get_by_role("button", name="Send the report").click()
        # The answer to the post is the receipt: no address with the code in it.
        assert answer.value.status == 201
        assert page.url.endswith("/en/report")
        expect(page.locator("h1")).to_have_text("Thank you: your report has been received")
        reference = page.locator(".reference").inner_text()
        expect(page.locator("main .status")).to_contain_text("Received")
        # Reloading sends the form again, which gets the same receipt.
        with page.expect_response(re.compile(r"/en/report$")) as again:
            page.reload()
        assert again.value.status == 200
        expect(page.locator(".reference")).to_have_text(reference)
        page.get_by_role("button", name="Look up the status of this report").click()
        page.wait_for_url("**/en/status")
        expect(page.locator("#code")).to_have_value(reference)
    finally:
        context.close()
    assert stored(live_app) == 1
    with live_app.app_context():
        report = db.session.scalars(select(Report)).one()
        assert report.latitude is None
        assert report.reference == reference


def test_htmx_shows_why_a_report_was_refused_and_keeps_the_form(live_app, page, one_report_a_day):
    page.goto("/sv/report")
    fill_in(page, ("Hamn", "Femöresund"), "En båt", "Första rapporten.")
    page.get_by_role("button", name="Skicka rapporten").click()
    wait_for_receipt(page, live_app, "sv")
    page.goto("/sv/report")
    fill_in(page, ("Hamn", "Femöresund"), "En båt", "Andra rapporten.")
    page.get_by_role("button", name="Skicka rapporten").click()
    expect(page.locator("#form-problem")).to_contain_text("Försök igen om")
    expect(page.locator("#what_happened")).to_have_value("Andra rapporten.")


def test_with_no_connection_the_report_is_kept_on_the_phone(context, page):
    page.goto("/en/report")
    fill_in(page, ("Harbour", "Femöresund"), "A boat", "Sent at sea.")
    context.set_offline(True)
    page.get_by_role("button", name="Send the report").click()
    expect(page.locator("#outbox-announcement")).to_have_text(
        "The report is saved on the phone and will be sent automatically when there is a "
        "connection."
    )
    expect(page.locator("#outbox-list > li")).to_contain_text("Femöresund · A boat · ABC 123")


def test_the_receipt_opens_offline_with_the_code_of_its_address(context, page):
    page.goto("/sv/")
    wait_for_service_worker(page)
    context.set_offline(True)
    page.goto("/sv/report/receipt#7K3M9QX2PB")
    expect(page.locator("h1:visible")).to_have_text("Tack: din rapport har tagits emot")
    expect(page.locator("[data-receipt] .reference")).to_have_text("7K3M9QX2PB")
    expect(page.locator("[data-receipt] input[name=code]")).to_have_value("7K3M9QX2PB")
    # No status: the page cannot know it offline, and a repeat may have moved on.
    expect(page.locator("main .status")).not_to_contain_text("Mottagen")
    # The other language's receipt, with the same code.
    page.get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"/en/report/receipt#7K3M9QX2PB$"))
    expect(page.locator("[data-receipt] .reference")).to_have_text("7K3M9QX2PB")
    expect(page.locator("h1:visible")).to_have_text("Thank you: your report has been received")


@pytest.mark.parametrize(
    ("lang", "none"),
    [("sv", "Den här sidan har inget kvitto"), ("en", "This page holds no receipt")],
)
def test_a_receipt_page_without_a_code_says_so_and_offers_the_look_up(page, lang, none):
    for fragment in ("", "#", "#7k3m9qx2pb", "#7K3M9QX2P", "#7K3M9QX2PBX", "#7K3M9QX2PU"):
        page.goto(f"/{lang}/report/receipt{fragment}")
        expect(page.locator("h1:visible")).to_have_text(none)
        expect(page.locator("[data-receipt]")).to_be_hidden()
        expect(page.locator("[data-receipt] .reference")).to_have_text("")
        expect(page.locator("#code")).to_be_visible()
    # A code written into the address afterwards is shown; taken away, it is gone again.
    page.goto(f"/{lang}/report/receipt#7K3M9QX2PB")
    expect(page.locator("[data-receipt] .reference")).to_have_text("7K3M9QX2PB")
    page.evaluate("() => { location.hash = 'nothing'; }")
    expect(page.locator("h1:visible")).to_have_text(none)
    expect(page.locator("[data-receipt] input[name=code]")).to_have_value("")
