import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from pwa import audit, rate_limits
from pwa.auth.accounts import create_account
from pwa.extensions import db
from pwa.models import Account, AuditEvent, Harbour
from tests.browser.helpers import axe_violations
from tests.staff import ADMIN, PASSWORD, add_report

NEW_PASSWORD = "a password to hand over"


@pytest.fixture
def administrator(live_app):
    with live_app.app_context():
        create_account(ADMIN, "Alva Admin", PASSWORD, is_admin=True)
        # An account that was there before the test: its audit log starts empty.
        db.session.execute(delete(AuditEvent))
        db.session.commit()


def log_in(page, lang):
    page.goto(f"/{lang}/login?next=/{lang}/admin/harbours")
    page.locator("#email").fill(ADMIN)
    page.locator("#password").fill(PASSWORD)
    page.locator("#password").press("Enter")
    page.wait_for_url(f"**/{lang}/admin/harbours")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_admin_pages_pass_axe_with_and_without_errors(axe_page, administrator, lang):
    page = axe_page
    log_in(page, lang)
    found = {}
    for name in ("harbours", "harbours/new", "accounts", "promises", "accounts/new"):
        page.goto(f"/{lang}/admin/{name}")
        found[name] = axe_violations(page)
    page.locator("#password").fill("short")
    page.locator("form.admin-form button[type=submit]").click()
    expect(page.locator("#email-error")).to_be_visible()
    found["account with errors"] = axe_violations(page)
    page.goto(f"/{lang}/admin/harbours/new")
    page.locator("form.admin-form button[type=submit]").click()
    expect(page.locator("#name-error")).to_be_visible()
    found["harbour with errors"] = axe_violations(page)
    assert {name: v for name, v in found.items() if v} == {}


def test_an_account_is_added_with_the_keyboard_alone(page, administrator, live_app):
    log_in(page, "en")
    page.goto("/en/admin/accounts/new")
    page.locator("#email").focus()
    page.keyboard.type("stina@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("Stina Sjö")
    # The role's radio group: the checked one takes the focus; arrows choose.
    page.keyboard.press("Tab")
    expect(page.locator("#role")).to_be_focused()
    page.keyboard.press("Tab")
    # Femöresund comes first in the lists (sort order 0).
    expect(page.get_by_label("Femöresund")).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator("#language")).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    expect(page.locator("#active")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.type(NEW_PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(NEW_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/admin/accounts")
    expect(page.get_by_role("status")).to_contain_text("The account of Stina Sjö has been added.")
    with live_app.app_context():
        stina = db.session.scalar(select(Account).filter_by(email="stina@example.org"))
        assert (stina.name, stina.language, stina.active) == ("Stina Sjö", "en", True)
        assert [harbour.name for harbour in stina.harbours] == ["Femöresund"]


#: As long as an address gets: it must wrap on a phone, not widen the page.
LONG_ADDRESS = "sakerhetssamordnare.for.hamnarna@kommunledningskontoret.oxelosund.example.org"


@pytest.fixture
def audit_log(live_app, administrator):
    """An audit log with a report kept, a report deleted and an account with a long address."""
    with live_app.app_context():
        harbour = db.session.scalar(select(Harbour).filter_by(name="Femöresund"))
        person = create_account(LONG_ADDRESS, "Sigrid Säkerhetssamordnare", PASSWORD)
        kept, gone = add_report(harbour.id), add_report(harbour.id)
        audit.record(person, "viewed", kept.id)
        audit.record(person, "viewed", gone.id)
        audit.record(person, "exported", format="csv", count=2)
        db.session.delete(gone)
        audit.record(None, "deleted", count=1, reason="ended", days=30)
        db.session.commit()
    rate_limits.reset(live_app)


def small_targets(page):
    """Return the links, buttons and lists of the page less than 48 px high."""
    return page.evaluate(
        """() => [...document.querySelectorAll(".staff-nav a, main a, main button, main select")]
            .filter((element) => element.getBoundingClientRect().height < 47.5)
            .map((element) => element.outerHTML.slice(0, 80))"""
    )


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_audit_log_is_accessible_and_fits_a_narrow_phone(narrow_page, audit_log, lang):
    page = narrow_page
    log_in(page, lang)
    found = {}
    for query in ("", "?kind=exports", "?kind=nonsense"):
        page.goto(f"/{lang}/admin/audit{query}")
        expect(page.locator("h1")).to_be_visible()
        found[query] = {
            "axe": axe_violations(page),
            "small": small_targets(page),
            "width": page.evaluate("() => document.documentElement.scrollWidth"),
        }
    assert found[""]["width"] <= 320 and found["?kind=nonsense"]["width"] <= 320
    assert {query: v for query, v in found.items() if v["axe"] or v["small"]} == {}
    expect(page.locator(".form-problem")).to_be_visible()


def tab_to(page, selector, presses=40):
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    pytest.fail(f"Tab never reached {selector}")


def test_the_audit_log_is_reached_and_filtered_with_the_keyboard_alone(page, audit_log):
    log_in(page, "en")
    tab_to(page, ".staff-nav a[href='/en/admin/audit']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/admin/audit")
    expect(page.locator(".staff-nav a[aria-current=page]")).to_have_text("Audit log")
    expect(page.locator(".audit-list > li")).to_have_count(6)
    tab_to(page, "#kind")
    # A closed list chooses by the first letter typed: D for Deletions.
    page.keyboard.type("D")
    expect(page.locator("#kind")).to_have_value("deletions")
    # On past the days, left empty.
    page.keyboard.press("Tab")
    expect(page.locator("#since")).to_be_focused()
    tab_to(page, "form.filter-form button[type=submit]")
    page.keyboard.press("Enter")
    # Only the chosen filter is in the address, not the empty account.
    page.wait_for_url(re.compile(r"/en/admin/audit\?kind=deletions$"))
    expect(page.locator(".audit-list > li")).to_have_count(1)
    expect(page.locator(".audit-list")).to_contain_text("Scheduled deletion")
    expect(page.locator(".audit-list")).to_contain_text("deleted 1 report ended over 30 days ago")
