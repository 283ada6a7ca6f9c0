"""Time from reconnect to the last of N reports queued offline stored on the server.

In real Chromium with the service worker: N reports are sent from the form with no connection
(so they wait in the outbox), the connection comes back, and the clock runs until the
database holds all N. Also checks that each arrived exactly once. Run it with

    .venv/bin/python -m benchmarks.outbox_reconnect [--reports 20]
"""

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import ClassVar

from playwright.sync_api import expect, sync_playwright
from sqlalchemy import func, select
from werkzeug.serving import make_server

from pwa import create_app
from pwa.config import Config as Production
from pwa.config import TestConfig
from pwa.extensions import db
from pwa.models import Harbour, Report
from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, wait_for_service_worker


def serve(folder):
    """Start the app on a free port with a fresh SQLite database; return the app and its URL."""

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{Path(folder) / 'outbox.db'}"
        SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {}
        # What a phone waits, not the tests' short times.
        OUTBOX_TIMEOUT_SECONDS = Production.OUTBOX_TIMEOUT_SECONDS
        OUTBOX_BACK_OFF_SECONDS = Production.OUTBOX_BACK_OFF_SECONDS

    app = create_app(Config)
    with app.app_context():
        db.create_all()
        db.session.add(Harbour(name="Femöresund"))
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return app, f"http://127.0.0.1:{server.server_port}", server


def stored(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Report)), len(
            set(db.session.scalars(select(Report.client_id)))
        )


def measure(count):
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        app, base, server = serve(folder)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(base_url=base)
            page = context.new_page()
            page.goto("/sv/report")
            wait_for_service_worker(page)
            context.set_offline(True)
            for number in range(1, count + 1):
                page.locator("#harbour").select_option(label="Femöresund")
                page.locator("#categories-boat").check()
                page.locator("#what_happened").fill(f"Rapport {number}.")
                page.get_by_role("button", name="Skicka rapporten").click()
                expect(page.locator("#outbox-list > li")).to_have_count(number)
            start = time.monotonic()
            context.set_offline(False)
            while stored(app)[0] < count and time.monotonic() - start < 300:
                time.sleep(0.05)
            seconds = time.monotonic() - start
            time.sleep(2)
            return seconds, stored(app)
        finally:
            browser.close()
            server.shutdown()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20)
    count = parser.parse_args().reports
    seconds, (rows, distinct) = measure(count)
    print(f"{count} reports queued offline: all stored {seconds:.2f} s after reconnecting")
    print(f"stored rows: {rows}, distinct client_ids: {distinct}")
    return 0 if rows == distinct == count else 1


if __name__ == "__main__":
    sys.exit(main())
