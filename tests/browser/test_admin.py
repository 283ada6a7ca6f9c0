import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pwa.accounts import create_account
from pwa.extensions import db
from pwa.models import Account
from tests.browser.helpers import axe_violations
from tests.staff import ADMIN, PASSWORD

NEW_PASSWORD = "a password to hand over"


@pytest.fixture
def administrator(live_app):
    with live_app.app_context():
        create_account(ADMIN, "Alva Admin", PASSWORD, is_admin=True)
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
    for name in ("harbours", "harbours/new", "accounts", "accounts/new"):
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
    expect(page.locator("#role-contact")).to_be_focused()
    page.keyboard.press("Tab")
    # Femöresund comes first in the lists (sort order 0).
    expect(page.get_by_label("Femöresund")).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator("#language-sv")).to_be_focused()
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
