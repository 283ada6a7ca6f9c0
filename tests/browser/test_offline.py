"""The app installs, and every public page opens with no network after one visit."""

import threading

import pytest
from flask import request
from playwright.sync_api import expect

from pwa.i18n import LANGUAGES
from pwa.shell import DATA_PAGE_TIMEOUT_SECONDS, public_pages
from tests.browser.helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    axe_violations,
    change_the_harbours,
    wait_for_service_worker,
    wider_than,
)


@pytest.fixture(scope="module")
def pages(live_app):
    with live_app.test_request_context():
        return public_pages()


def test_chrome_finds_the_app_installable(playwright, live_server, tmp_path):
    # Chrome reports "in-incognito" in a default context: use a fresh persistent profile.
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profile", executable_path=CHROMIUM, args=CHROMIUM_ARGS, base_url=live_server
    )
    try:
        page = context.new_page()
        page.goto("/sv/")
        wait_for_service_worker(page)
        session = context.new_cdp_session(page)
        manifest = session.send("Page.getAppManifest")
        assert manifest["url"].endswith("/manifest.json")
        assert not manifest.get("errors")
        assert session.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    finally:
        context.close()


def test_offline_the_language_switch_still_works(context, page):
    page.goto("/sv/promise")
    wait_for_service_worker(page)
    context.set_offline(True)
    page.goto("/sv/boat-watch")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/boat-watch")
    assert page.locator("html").get_attribute("lang") == "en"


def test_offline_a_page_that_needs_the_network_shows_the_offline_page(context, page):
    page.goto("/en/")
    wait_for_service_worker(page)
    context.set_offline(True)
    for path, lang in [("/sv/not-cached", "sv"), ("/en/not-cached", "en"), ("/elsewhere", "en")]:
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == lang
        offline_title = {"sv": "Du är offline", "en": "You are offline"}[lang]
        assert page.locator("h1").inner_text() == offline_title, path


@pytest.mark.parametrize("lang", LANGUAGES)
def test_offline_the_start_url_opens_the_language_last_read(context, page, lang):
    page.goto(f"/{lang}/contact")
    wait_for_service_worker(page)
    context.set_offline(True)
    page.goto("/")
    assert page.url.endswith(f"/{lang}/")
    assert page.locator("html").get_attribute("lang") == lang


def test_axe_finds_no_violations_on_any_public_page(axe_page, pages):
    found = {}
    for path in [*pages, "/sv/missing", "/en/missing"]:
        axe_page.goto(path)
        violations = axe_violations(axe_page)
        if violations:
            found[path] = violations
    assert found == {}


def test_caching_both_languages_keeps_the_language_the_person_chose(context, page):
    page.goto("/en/")
    wait_for_service_worker(page)
    assert {c["name"]: c["value"] for c in context.cookies()}["lang"] == "en"
    page.goto("/sv/")
    page.goto("/")
    assert page.url.endswith("/sv/")


def test_no_page_makes_a_small_phone_scroll_sideways(browser, live_server, pages):
    context = browser.new_context(base_url=live_server, viewport={"width": 320, "height": 640})
    try:
        assert wider_than(context.new_page(), pages, 320) == {}
    finally:
        context.close()


def harbours_offered(page):
    return page.locator("#harbour option:not([value=''])")


@pytest.fixture
def report_form_requests(live_app):
    """Record the cookies of every request for the report form, and hold those asked to."""
    seen = []
    hold = threading.Event()
    hold.set()

    def record():
        if request.method == "GET" and request.path.endswith("/report"):
            seen.append(dict(request.cookies))
            hold.wait(timeout=30)

    live_app.before_request_funcs.setdefault(None, []).insert(0, record)
    yield seen, hold
    hold.set()
    live_app.before_request_funcs[None].remove(record)


def test_the_form_is_kept_without_anything_of_the_persons_session(
    context, page, report_form_requests
):
    seen, _ = report_form_requests
    page.goto("/sv/report")
    wait_for_service_worker(page)
    context.add_cookies([{"name": "session", "value": "a-contact-persons", "url": page.url}])
    seen.clear()
    page.goto("/sv/report")
    expect(harbours_offered(page)).to_have_count(2)
    # Fetched by the worker as the install fetches it: no cookies, so no session's token.
    assert seen == [{}]


def test_when_the_server_is_slow_the_form_kept_on_the_phone_opens(
    live_app, context, page, report_form_requests
):
    _, hold = report_form_requests
    page.goto("/sv/report")
    wait_for_service_worker(page)
    change_the_harbours(live_app)
    hold.clear()
    page.goto("/sv/report", timeout=(DATA_PAGE_TIMEOUT_SECONDS + 10) * 1000)
    expect(harbours_offered(page)).to_have_text(["Femöresund", "Oxelösunds gästhamn"])
    # The late answer is kept for the next visit, with or without a network.
    hold.set()
    page.wait_for_function(
        """async () => {
            const copies = [];
            for (const name of await caches.keys()) {
                const copy = await (await caches.open(name)).match("/sv/report");
                if (copy) copies.push(await copy.text());
            }
            return copies.length > 0 && copies.every((text) => text.includes("Jogersö"));
        }"""
    )
    context.set_offline(True)
    page.goto("/sv/report")
    expect(harbours_offered(page)).to_have_text(["Femöresunds brygga", "Jogersö"])
