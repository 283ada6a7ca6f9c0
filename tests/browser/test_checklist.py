"""The checklist in real Chromium: ticks and own items stay on the phone, also offline."""

import pytest
from playwright.sync_api import expect

from pwa.i18n import LANGUAGES
from pwa.public import checklist
from tests.browser.helpers import axe_violations
from tests.browser.phone import stored, wait_until_ready

TOTAL = len(checklist.ITEMS)


def tick(page, item_id):
    page.locator(f"label[for='item-{item_id}']").click()
    expect(page.locator(f"#item-{item_id}")).to_be_checked()


def add_own_item(page, season, title):
    page.fill(f"#own-{season}-title", title)
    page.locator(f"#{season} [data-add-own] button").click()
    expect(page.locator(f"#{season} [data-own-items] label", has_text=title)).to_be_visible()


@pytest.mark.parametrize(
    ("today", "first"),
    [("2026-07-15T12:00:00", "summer"), ("2027-01-10T12:00:00", "winter"),
     ("2026-04-02T08:00:00", "spring"), ("2026-10-31T20:00:00", "autumn")],
)  # fmt: skip
def test_the_current_season_comes_first_by_the_phone_s_date(page, today, first):
    page.clock.set_fixed_time(today)
    page.goto("/en/checklist")
    wait_until_ready(page)
    order = page.locator("[data-season]").evaluate_all("(all) => all.map((s) => s.id)")
    assert order[0] == first
    assert order[1] == "all-year"
    assert sorted(order) == sorted(season.id for season in checklist.SEASONS)
    expect(page.locator(f"#{first} [data-now]")).to_be_visible()
    expect(page.locator("[data-now]:visible")).to_have_count(1)


def test_without_javascript_the_server_order_stands_and_saving_is_explained(browser, live_server):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/en/checklist")
    order = page.locator("[data-season]").evaluate_all("(all) => all.map((s) => s.id)")
    assert order == [season.id for season in checklist.SEASONS]
    notice = page.locator("noscript p")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Saving needs JavaScript")
    expect(page.locator("#item-record-numbers")).to_be_disabled()
    expect(page.locator("label[for='item-record-numbers']")).to_be_visible()
    context.close()


def test_resetting_a_season_unticks_only_that_season(page):
    page.goto("/en/checklist")
    wait_until_ready(page)
    tick(page, "engine-indoors")
    tick(page, "light-storage")
    tick(page, "certified-locks")
    add_own_item(page, "autumn", "Take the battery home")
    page.locator("#autumn [data-own-items] label").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#autumn [data-reset]").click()
    expect(page.locator("[data-status]")).to_have_text(
        "Everything in “Autumn haul-out” is unticked."
    )
    expect(page.locator("#autumn input[type=checkbox]:checked")).to_have_count(0)
    expect(page.locator("#item-certified-locks")).to_be_checked()
    page.reload()
    wait_until_ready(page)
    expect(page.locator("#autumn input[type=checkbox]:checked")).to_have_count(0)
    expect(page.locator("#autumn [data-own-items] label")).to_have_text("Take the battery home")
    expect(page.locator("#item-certified-locks")).to_be_checked()


def test_an_own_item_can_be_removed(page):
    page.goto("/en/checklist")
    wait_until_ready(page)
    add_own_item(page, "winter", "Check the cover after storms")
    page.get_by_role("button", name="Remove Check the cover after storms").click()
    expect(page.locator("#winter [data-own-items] li")).to_have_count(0)
    expect(page.locator("#own-winter-title")).to_be_focused()
    page.reload()
    wait_until_ready(page)
    expect(page.locator("#winter [data-own-items] li")).to_have_count(0)


def test_an_empty_or_too_long_own_item_is_refused_with_what_was_typed_kept(page):
    page.goto("/sv/checklist")
    wait_until_ready(page)
    page.locator("#spring [data-add-own] button").click()
    error = page.locator("#own-spring-title-error")
    expect(error).to_have_text("Fyll i det här.")
    expect(page.locator("#own-spring-title")).to_be_focused()
    long = "x" * 130
    page.fill("#own-spring-title", long)
    page.locator("#spring [data-add-own] button").click()
    expect(error).to_have_text("Högst 120 tecken: du har skrivit 130.")
    expect(page.locator("#own-spring-title")).to_have_value(long)
    expect(page.locator("#own-spring-title")).to_have_attribute("aria-invalid", "true")
    described = page.locator("#own-spring-title").get_attribute("aria-describedby").split()
    assert described == ["own-spring-title-hint", "own-spring-title-error"]
    assert stored(page)["ownItems"] == []


def test_storage_that_is_unavailable_is_told_not_swallowed(page):
    # As in some private browsing modes: IndexedDB refuses to open.
    page.add_init_script(
        """indexedDB.open = () => {
            throw new DOMException("The user denied permission", "InvalidStateError");
        };"""
    )
    page.goto("/sv/checklist")
    alert = page.locator("[role=alert]")
    expect(alert).to_contain_text("privat surfning")
    expect(page.locator("#item-record-numbers")).to_be_disabled()


def test_a_full_storage_is_told_and_the_tick_is_undone(page):
    page.goto("/en/checklist")
    wait_until_ready(page)
    page.evaluate(
        """() => {
            IDBObjectStore.prototype.put = function () {
                throw new DOMException("Quota exceeded", "QuotaExceededError");
            };
        }"""
    )
    page.locator("label[for='item-photograph']").click()
    expect(page.locator("[role=alert]")).to_contain_text("storage on this phone is full")
    expect(page.locator("#item-photograph")).not_to_be_checked()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_finds_no_violations_with_ticks_own_items_and_an_error(axe_page, lang):
    page = axe_page
    page.goto(f"/{lang}/checklist")
    wait_until_ready(page)
    tick(page, "photograph")
    add_own_item(page, "spring", "Service the winch")
    page.locator("#summer [data-add-own] button").click()
    expect(page.locator("#own-summer-title-error")).to_be_visible()
    assert axe_violations(page) == []
