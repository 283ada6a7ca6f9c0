"""A plate seen only in part, reported in Chromium: refused until ticked uncertain, then stored."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from pwa.extensions import db
from pwa.models import Plate
from tests.browser.helpers import wait_for_receipt


def test_a_partly_seen_plate_is_sent_once_ticked_uncertain(live_app, page):
    page.goto("/en/report")
    page.locator("#harbour").select_option(index=1)
    page.locator("#categories-boat").check()
    page.locator("#what_happened").fill("A van without lights by the gate.")
    page.locator("#plates-0-text").fill("ab? 12")
    with page.expect_response(re.compile(r"/en/report$")) as answer:
        page.get_by_role("button", name="Send the report").click()
    assert answer.value.status == 422
    expect(page.locator("#plates-0-text-error")).to_contain_text("tick “Uncertain or partial”")
    expect(page.locator("#plates-0-text")).to_have_value("ab? 12")
    page.locator("#plates-0-uncertain").check()
    page.get_by_role("button", name="Send the report").click()
    wait_for_receipt(page, live_app, "en")
    with live_app.app_context():
        plate = db.session.scalars(select(Plate)).one()
        assert (plate.text, plate.uncertain) == ("AB?12", True)
