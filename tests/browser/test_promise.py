"""A citizen promise published while the phone was away is on the phone, offline too, after
one visit with a network; the administrator's promise pages pass axe."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pwa.admin import operations
from pwa.auth.accounts import create_account
from pwa.extensions import db
from pwa.formatting import local_today
from pwa.models import Account
from tests.browser.helpers import axe_violations, wait_for_service_worker
from tests.staff import ADMIN, PASSWORD

THIS_YEAR = local_today().year


def publish(live_app, first_year, last_year, text_sv, signatories_sv):
    """Publish a promise as the administrator's pages do."""
    with live_app.app_context():
        admin = db.session.scalar(select(Account).filter_by(email=ADMIN))
        promise = operations.add_promise(
            admin,
            first_year=first_year,
            last_year=last_year,
            text_sv=text_sv,
            text_en="",
            signatories_sv=signatories_sv,
            signatories_en="",
        )
        operations.publish_promise(admin, promise)
        db.session.commit()
        return promise.id


@pytest.fixture
def administrator(live_app):
    with live_app.app_context():
        create_account(ADMIN, "Alva Admin", PASSWORD, is_admin=True)
        db.session.commit()


#: True once every copy of a page that the service worker keeps contains a text.
CACHED_COPIES_CONTAIN = """
    const [path, text] = args;
    const copies = [];
    for (const name of await caches.keys()) {
        const copy = await (await caches.open(name)).match(path);
        if (copy) copies.push(await copy.text());
    }
    return copies.length > 0 && copies.every((copy) => copy.includes(text));
"""


def test_after_one_visit_with_a_network_the_phone_has_the_new_promise_offline(
    live_app, administrator, phone, network
):
    """In every engine: Chromium for Chrome on Android, Firefox, WebKit for Safari."""
    publish(live_app, 2024, 2025, "Vi lovar grannsamverkan.", "Undertecknat av Dag.")
    tab = phone.open("/sv/")
    tab.wait_for_service_worker()
    assert "Medborgarlöfte 2024–2025" in tab.text("main")

    # Published while the phone is in a pocket; then one visit to the home page, with network.
    period = f"{THIS_YEAR}–{THIS_YEAR + 1}"
    publish(live_app, THIS_YEAR, THIS_YEAR + 1, "Vi lovar **ljus** på bryggorna.", "Av Ada.")
    tab.goto("/sv/")
    tab.wait_for_text("main", f"Medborgarlöfte {period}")
    tab.wait_until(CACHED_COPIES_CONTAIN, "/sv/promise", "ljus</strong> på bryggorna")
    tab.wait_until(CACHED_COPIES_CONTAIN, "/sv/promise/earlier", "Vi lovar grannsamverkan.")

    network.cut()
    tab.goto("/sv/promise")
    assert tab.text("h1") == f"Medborgarlöfte {period}"
    assert tab.text("main strong") == "ljus"
    assert "Av Ada." in tab.text("main")
    tab.goto("/sv/promise/earlier")
    assert "Vi lovar grannsamverkan." in tab.text("main")
    tab.goto("/sv/")
    assert f"Medborgarlöfte {period}" in tab.text("main")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_promise_pages_pass_axe(axe_page, live_app, administrator, lang):
    page = axe_page
    promise_id = publish(live_app, 2024, 2025, "## Rubrik\n\nText.", "Undertecknat av Dag.")
    publish(live_app, THIS_YEAR, THIS_YEAR, "Ett år.\n\n- en\n- två", "Av Ada.")
    found = {}
    for path in ("/", "/promise", "/promise/earlier"):
        page.goto(f"/{lang}{path}")
        found[path] = axe_violations(page)
    page.goto(f"/{lang}/login?next=/{lang}/admin/promises/{promise_id}")
    page.locator("#email").fill(ADMIN)
    page.locator("#password").fill(PASSWORD)
    page.locator("#password").press("Enter")
    page.wait_for_url(f"**/{lang}/admin/promises/{promise_id}")
    found["edit"] = axe_violations(page)
    page.locator("#last_year").fill("1999")
    page.locator("form.promise-form button[type=submit]").click()
    expect(page.locator("#last_year-error")).to_be_visible()
    found["edit with errors"] = axe_violations(page)
    page.goto(f"/{lang}/admin/promises/new")
    found["new"] = axe_violations(page)
    assert {path: v for path, v in found.items() if v} == {}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_an_unchanged_data_page_comes_back_as_a_304_and_the_kept_copy_is_shown(page, lang):
    """A visit with a network asks whether the home page changed, with the kept copy's ETag:
    the phone gets only headers back, and shows the page it kept."""
    page.goto(f"/{lang}/")
    wait_for_service_worker(page)
    answers = []
    page.context.on(
        "response",
        lambda response: (
            answers.append(response.status)
            if response.request.service_worker and response.url.endswith(f"/{lang}/")
            else None
        ),
    )
    page.reload()
    for _ in range(50):
        if answers:
            break
        page.wait_for_timeout(100)
    assert answers == [304]
    assert ("Medborgarlöfte" if lang == "sv" else "Citizen promise") in page.inner_text("main")
