"""Launching Debian's Chromium, and checks to run inside a page."""

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from sqlalchemy import select

from pwa.admin import operations
from pwa.config import ROOT
from pwa.extensions import db
from pwa.models import Harbour

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


def change_the_harbours(live_app):
    """Do as the administrator: add a harbour, rename one and take one out of the form."""
    with live_app.app_context():
        named = {harbour.name: harbour for harbour in db.session.scalars(select(Harbour))}
        operations.add_harbour(None, "Jogersö", sort_order=2)
        operations.update_harbour(None, named["Femöresund"], name="Femöresunds brygga")
        operations.update_harbour(None, named["Oxelösunds gästhamn"], active=False)
        db.session.commit()
