"""Time from reconnect to the last of N reports queued without a connection stored on the server.

In real Chromium with the service worker, N reports are sent from the form while there is no
connection (so they wait in the outbox), the connection comes back, and the clock runs until
the database holds all N. The connection comes back in two ways:

- `online`: the browser was offline and comes back online, which fires the `online` event;
- `refused`: the server stopped listening, so that every post was refused while the browser
  still counted itself online (as on a dead signal, or with the server down), and listens
  again: no event tells the pages, whose retry timer must find the connection back.

Also checks that each report arrived exactly once, and that in the second way the page saw
navigator.onLine true and no `online` event. Run it with

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
from werkzeug.serving import WSGIRequestHandler, make_server

from pwa import create_app
from pwa.config import Config as Production
from pwa.config import TestConfig
from pwa.extensions import db
from pwa.models import Harbour, Report
from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, wait_for_service_worker

WAYS = ("online", "refused")
COUNT_ONLINE_EVENTS = (
    "() => { window.onlineEvents = 0; addEventListener('online', () => onlineEvents++); }"
)


def make_app(folder):
    """Return the app with a fresh SQLite database in `folder` and one harbour."""

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{Path(folder) / 'outbox.db'}"
        SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {}
        # What a phone waits, not the tests' short times.
        OUTBOX_TIMEOUT_SECONDS = Production.OUTBOX_TIMEOUT_SECONDS
        OUTBOX_NETWORK_RETRY_SECONDS = Production.OUTBOX_NETWORK_RETRY_SECONDS
        OUTBOX_BACK_OFF_SECONDS = Production.OUTBOX_BACK_OFF_SECONDS

    app = create_app(Config)
    with app.app_context():
        db.create_all()
        db.session.add(Harbour(name="Femöresund"))
        db.session.commit()
    return app


class OneRequestPerConnection(WSGIRequestHandler):
    # No connection stays open to a server that has stopped listening: every request while
    # it is stopped is refused.
    protocol_version = "HTTP/1.0"


class Server:
    """Serve the app on a free port of 127.0.0.1; stop listening there and listen again."""

    def __init__(self, app):
        self.app = app
        self.port = 0
        self.listen()
        self.url = f"http://127.0.0.1:{self.port}"

    def listen(self):
        self.server = make_server(
            "127.0.0.1",
            self.port,
            self.app,
            threaded=True,
            request_handler=OneRequestPerConnection,
        )
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def stored(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Report)), len(
            set(db.session.scalars(select(Report.client_id)))
        )


def queue(page, count):
    """Send `count` reports from the form, each of which goes to the outbox."""
    for number in range(1, count + 1):
        page.locator("#harbour").select_option(label="Femöresund")
        page.locator("#categories-boat").check()
        page.locator("#what_happened").fill(f"Rapport {number}.")
        page.get_by_role("button", name="Skicka rapporten").click()
        expect(page.locator("#outbox-list > li")).to_have_count(number)


def measure(count, way):
    """Return the seconds from reconnect to all stored, the rows and distinct client_ids
    stored, and what the page saw: navigator.onLine and the number of `online` events."""
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        app = make_app(folder)
        server = Server(app)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(base_url=server.url)
            page = context.new_page()
            page.goto("/sv/report")
            wait_for_service_worker(page)
            page.evaluate(COUNT_ONLINE_EVENTS)
            if way == "online":
                context.set_offline(True)
            else:
                server.stop()
            queue(page, count)
            start = time.monotonic()
            if way == "online":
                context.set_offline(False)
            else:
                server.listen()
            while stored(app)[0] < count and time.monotonic() - start < 300:
                time.sleep(0.05)
            seconds = time.monotonic() - start
            time.sleep(2)
            seen = page.evaluate("() => [navigator.onLine, window.onlineEvents]")
            return seconds, stored(app), seen
        finally:
            browser.close()
            server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20)
    count = parser.parse_args().reports
    failed = False
    for way in WAYS:
        seconds, (rows, distinct), (online, events) = measure(count, way)
        print(f"{way}: {count} reports queued: all stored {seconds:.2f} s after reconnecting")
        print(f"{way}: stored rows {rows}, distinct client_ids {distinct}, ", end="")
        print(f"navigator.onLine {online}, online events {events}")
        failed |= not rows == distinct == count
        failed |= way == "refused" and (not online or events != 0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
