"""Launching Debian's Chromium, and checks to run inside a page."""

import re
from urllib.parse import urlsplit

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect
from sqlalchemy import select

from pwa.admin import operations
from pwa.config import ROOT
from pwa.extensions import db
from pwa.models import Harbour, Report
from tests.conftest import contact_person

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: A reference code as the server writes it: ten characters of Crockford's base32.
REFERENCE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{10}$")


def wait_for_service_worker(page):
    """Wait until the service worker has cached everything and controls the page."""
    page.evaluate("async () => { await navigator.serviceWorker.ready; return true; }")
    # A function, not an expression: Playwright evals an expression in the page on every
    # poll after the first, which the CSP (no 'unsafe-eval') refuses.
    controlled = "() => navigator.serviceWorker.controller !== null"
    try:
        page.wait_for_function(controlled, timeout=5_000)
    except PlaywrightTimeoutError:
        # A page whose navigation began while the worker was still installing (a login
        # form sent meanwhile, say) is never claimed; loaded again, it is controlled.
        page.reload()
        page.wait_for_function(controlled)


def axe_violations(page):
    """Run axe-core on the page (the context must bypass the CSP to inject it)."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {
                runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
            });
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")),
            }));
        }"""
    )


def wider_than(page, paths, width):
    """Open each page; return those wider than `width` (WCAG 2.1 reflow: 320 CSS pixels
    without scrolling sideways), with their width."""
    wide = {}
    for path in paths:
        page.goto(path)
        scrolled = page.evaluate("() => document.documentElement.scrollWidth")
        if scrolled > width:
            wide[path] = scrolled
    return wide


def change_the_harbours(live_app):
    """Do as the administrator: add a harbour with a contact person, rename one and take one
    out of the form."""
    with live_app.app_context():
        named = {harbour.name: harbour for harbour in db.session.scalars(select(Harbour))}
        jogerso = operations.add_harbour(None, "Jogersö", sort_order=2)
        db.session.add(contact_person(jogerso, email="jogerso@example.org"))
        operations.update_harbour(None, named["Femöresund"], name="Femöresunds brygga")
        operations.update_harbour(None, named["Oxelösunds gästhamn"], active=False)
        db.session.commit()


def wait_for_receipt(page, live_app, lang):
    """Wait for the receipt page and return the code it shows: the last report stored.

    The code is only in the address's fragment, which the server never sees. A predicate, as
    a glob may not match an address with a fragment.
    """
    page.wait_for_url(lambda url: urlsplit(url).path == f"/{lang}/report/receipt")
    shown = page.locator("[data-receipt] .reference")
    expect(shown).to_have_text(REFERENCE)
    reference = shown.inner_text().strip()
    assert urlsplit(page.url).fragment == reference
    expect(page.locator("[data-receipt] input[name=code]")).to_have_value(reference)
    expect(page.locator("[data-no-receipt]")).to_be_hidden()
    with live_app.app_context():
        last = db.session.scalars(select(Report.reference).order_by(Report.id.desc())).first()
    assert reference == last
    return reference
