"""The printable page of reports in Chromium: laid out for paper, and accessible on screen."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pwa.auth.accounts import create_account
from pwa.extensions import db
from pwa.models import Harbour
from tests.browser.helpers import axe_violations
from tests.staff import KIM, PASSWORD, add_report


@pytest.fixture
def kim_with_reports(live_app):
    """A contact person of the guest harbour, whose harbour has two reports."""
    with live_app.app_context():
        guest = db.session.scalar(select(Harbour).filter_by(name="Oxelösunds gästhamn"))
        create_account(KIM, "Kim Kontakt", PASSWORD, harbours=[guest])
        db.session.commit()
        add_report(guest.id, plates=("ABC123",), what_happened="Two people carried an outboard.")
        add_report(guest.id, plates=("ABC123",), what_happened="The same van again.\nAt night.")


def log_in(page, lang):
    page.goto(f"/{lang}/login")
    page.locator("#email").fill(KIM)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/{lang}/inbox/")


def display(page, selector):
    return page.locator(selector).first.evaluate("(element) => getComputedStyle(element).display")


def test_on_paper_only_the_reports_remain_and_none_is_split(page, kim_with_reports):
    log_in(page, "en")
    page.get_by_role("button", name="Printable page").click()
    page.wait_for_url("**/en/inbox/print")
    print_button = page.get_by_role("button", name="Print")
    expect(print_button).to_be_visible()
    expect(page.locator(".printed-report")).to_have_count(2)
    expect(page.locator(".printed-report").first).to_contain_text("also in 1 other report")

    page.emulate_media(media="print")
    for selector in (".police", ".site-header", ".site-footer", ".print-reports .actions"):
        assert display(page, selector) == "none", selector
    expect(print_button).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    article = page.locator(".printed-report").first
    assert article.evaluate("(element) => getComputedStyle(element).breakInside") == "avoid"
    # Line breaks the reporter typed survive on paper.
    assert "again.\nAt night." in article.inner_text()

    # Other pages keep the site's name and address when printed.
    page.goto("/en/stolen-boat")
    assert display(page, ".site-header") != "none"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_printable_page_and_the_export_links_pass_axe(axe_page, kim_with_reports, lang):
    log_in(axe_page, lang)
    assert axe_page.locator(".export-links button").count() == 2
    assert axe_violations(axe_page) == []
    axe_page.locator(".export-links button").nth(1).click()
    axe_page.wait_for_url(f"**/{lang}/inbox/print")
    assert axe_violations(axe_page) == []


def test_the_phone_number_is_printed_only_when_ticked(page, live_app, kim_with_reports):
    with live_app.app_context():
        guest = db.session.scalar(select(Harbour).filter_by(name="Oxelösunds gästhamn"))
        add_report(guest.id, phone="070-123 45 67", what_happened="Call me back.")
    log_in(page, "en")
    phone = page.get_by_role("checkbox", name="The reporter's phone number")
    expect(phone).not_to_be_checked()
    page.get_by_role("button", name="Printable page").click()
    page.wait_for_url("**/en/inbox/print")
    expect(page.locator(".printed-report").first).to_contain_text("Call me back.")
    expect(page.locator(".print-reports")).not_to_contain_text("070-123 45 67")

    page.get_by_role("link", name="Back to the inbox").click()
    page.wait_for_url("**/en/inbox/")
    page.get_by_role("checkbox", name="The reporter's phone number").check()
    page.get_by_role("button", name="Printable page").click()
    page.wait_for_url("**/en/inbox/print")
    expect(page.locator(".printed-report").first).to_contain_text("070-123 45 67")
