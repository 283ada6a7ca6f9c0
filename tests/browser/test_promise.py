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


def cached_copies_contain(page, path, text):
    """Wait until every copy of the page that the service worker keeps contains the text."""
    page.wait_for_function(
        """async ([path, text]) => {
            const copies = [];
            for (const name of await caches.keys()) {
                const copy = await (await caches.open(name)).match(path);
                if (copy) copies.push(await copy.text());
            }
            return copies.length > 0 && copies.every((copy) => copy.includes(text));
        }""",
        arg=[path, text],
    )


def test_after_one_visit_with_a_network_the_phone_has_the_new_promise_offline(
    live_app, administrator, context, page
):
    publish(live_app, 2024, 2025, "Vi lovar grannsamverkan.", "Undertecknat av Dag.")
    page.goto("/sv/")
    wait_for_service_worker(page)
    expect(page.locator("main")).to_contain_text("Medborgarlöfte 2024–2025")

    # Published while the phone is in a pocket; then one visit to the home page, with network.
    period = f"{THIS_YEAR}–{THIS_YEAR + 1}"
    publish(live_app, THIS_YEAR, THIS_YEAR + 1, "Vi lovar **ljus** på bryggorna.", "Av Ada.")
    page.goto("/sv/")
    expect(page.locator("main")).to_contain_text(f"Medborgarlöfte {period}")
    cached_copies_contain(page, "/sv/promise", "ljus</strong> på bryggorna")
    cached_copies_contain(page, "/sv/promise/earlier", "Vi lovar grannsamverkan.")

    context.set_offline(True)
    page.goto("/sv/promise")
    expect(page.locator("h1")).to_have_text(f"Medborgarlöfte {period}")
    expect(page.locator("main strong")).to_have_text("ljus")
    expect(page.locator("main")).to_contain_text("Av Ada.")
    page.goto("/sv/promise/earlier")
    expect(page.locator("main")).to_contain_text("Vi lovar grannsamverkan.")
    page.goto("/sv/")
    expect(page.locator("main")).to_contain_text(f"Medborgarlöfte {period}")


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
