"""The lägesbild and "How it is going": accessible, readable on a 320 px phone, and the public
page kept on the phone, fresh on every visit with a connection."""

import pytest
from sqlalchemy import select

from pwa import rate_limits
from pwa.auth.accounts import create_account
from pwa.extensions import db
from pwa.models import Harbour
from tests.browser.helpers import axe_violations
from tests.browser.test_admin import small_targets
from tests.staff import ADMIN, KIM, PASSWORD, add_report


@pytest.fixture
def counted(live_app, database):
    """Nine reports at the guest harbour and two at Femöresund, and a contact person and an
    administrator; return the harbour ids."""
    with live_app.app_context():
        guest = db.session.scalar(select(Harbour).filter_by(name="Oxelösunds gästhamn"))
        femoresund = db.session.scalar(select(Harbour).filter_by(name="Femöresund"))
        create_account(ADMIN, "Alva Admin", PASSWORD, is_admin=True)
        create_account(KIM, "Kim Kontakt", PASSWORD, harbours=[guest])
        for hours_ago in range(9):
            add_report(guest.id, hours_ago=hours_ago, plates=["ABC123"], categories=("boat",))
        for hours_ago in range(2):
            add_report(femoresund.id, hours_ago=hours_ago, plates=["ABC123"])
        db.session.commit()
        ids = guest.id, femoresund.id
    rate_limits.reset(live_app)
    return ids


def log_in(page, lang, email):
    page.goto(f"/{lang}/login?next=/{lang}/situation/")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("#password").press("Enter")
    page.wait_for_url(f"**/{lang}/situation/")


def width_of(page):
    return page.evaluate("() => document.documentElement.scrollWidth")


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("email", [ADMIN, KIM])
def test_the_lagesbild_is_accessible_and_fits_a_narrow_phone(narrow_page, counted, lang, email):
    page = narrow_page
    log_in(page, lang, email)
    found = {}
    for path in ("", "print", "?first=2026-06-01&last=2026-05-01"):
        page.goto(f"/{lang}/situation/{path}")
        found[path] = {
            "axe": axe_violations(page),
            "small": small_targets(page) if path != "print" else [],
            "width": width_of(page),
        }
    if email == ADMIN:
        page.goto(f"/{lang}/situation/training")
        found["training"] = {"axe": axe_violations(page), "small": [], "width": width_of(page)}
    assert {
        path: result
        for path, result in found.items()
        if result["axe"] or result["small"] or result["width"] > 320
    } == {}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_chart_says_what_it_shows_and_has_its_numbers_beside_it(narrow_page, counted, lang):
    page = narrow_page
    log_in(page, lang, ADMIN)
    charts = page.evaluate(
        """() => [...document.querySelectorAll("section.chart")].map((section) => {
            const svg = section.querySelector("svg[role=img]");
            const named = (ids) =>
                ids.split(" ").map((id) => document.getElementById(id).textContent).join(" ");
            return {
                name: named(svg.getAttribute("aria-labelledby")),
                description: named(svg.getAttribute("aria-describedby")),
                rows: section.querySelectorAll("table tbody tr").length,
                styled: section.querySelectorAll("[style]").length,
            };
        })"""
    )
    assert len(charts) == 6
    for chart in charts:
        assert chart["name"] and len(chart["description"]) > 20, chart
        assert chart["rows"] >= 2 and chart["styled"] == 0, chart


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_public_page_is_accessible_and_fits_a_narrow_phone(narrow_page, counted, lang):
    page = narrow_page
    page.goto(f"/{lang}/progress")
    fewer = {"sv": "färre än 5", "en": "fewer than 5"}[lang]
    # Femöresund's 2 is hidden, and so is the guest harbour's 9, which would give it away.
    assert page.locator("#chart-season-harbours-title ~ div table").inner_text().count(fewer) >= 2
    assert axe_violations(page) == []
    assert width_of(page) <= 320


def numbers_seen(tab):
    return [text.strip() for text in tab.texts(".key-figures dd")]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_public_page_is_fresh_on_every_visit_and_kept_for_no_connection(
    live_app, counted, phone, network, lang
):
    guest, _femoresund = counted
    tab = phone.open(f"/{lang}/progress")
    tab.wait_for_service_worker()
    tab.goto(f"/{lang}/progress")
    assert numbers_seen(tab)[1] == "11"
    with live_app.app_context():
        add_report(guest, hours_ago=0)
    # The very next visit with a connection shows the new number.
    tab.goto(f"/{lang}/progress")
    assert numbers_seen(tab)[1] == "12"
    # With no connection, the copy last seen.
    network.cut()
    tab.goto(f"/{lang}/progress")
    assert tab.run("return document.documentElement.lang;") == lang
    assert numbers_seen(tab)[1] == "12"
