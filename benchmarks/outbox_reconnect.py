"""Time from reconnect to the last of N reports, queued with no connection, stored on the server.

In each engine (Chromium, Firefox ESR, WebKitGTK) with the service worker and the production
outbox settings: N reports are sent from the form with no connection, so that they wait in
the outbox; the connection comes back, and the clock runs until the database holds all N.
The connection comes back in two ways:

- `online`: the browser was told it was offline and is told it is online again, which fires
  the `online` event (Chromium and Firefox; WebKit's driver cannot take it offline);
- `dead signal`: the connection was cut while the browser still counted itself online, as
  at sea or with the server down, and is given back (tests/browser/network.py): no event
  tells the pages, whose retry timer must find the connection back.

Also checks that each report arrived exactly once, and that on a dead signal the page saw
navigator.onLine true and no `online` event. Run it with

    .venv/bin/python -m benchmarks.outbox_reconnect [--reports 20] [--engines webkit ...]
"""

import argparse
import contextlib
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import ClassVar

from playwright.sync_api import sync_playwright
from sqlalchemy import func, select
from werkzeug.serving import make_server

from pwa import create_app
from pwa.config import Config as Production
from pwa.config import TestConfig
from pwa.extensions import db
from pwa.models import Harbour, Report
from tests.browser import engines
from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS
from tests.browser.network import Connection

ENGINES = ("chromium", "firefox", "webkit")
WAYS = ("online", "dead signal")
COUNT_ONLINE_EVENTS = (
    "window.onlineEvents = 0; addEventListener('online', () => window.onlineEvents++);"
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


def stored(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Report)), len(
            set(db.session.scalars(select(Report.client_id)))
        )


def queue(tab, count):
    """Send `count` reports from the form, each of which goes to the outbox."""
    for number in range(1, count + 1):
        tab.choose("#harbour", "Femöresund")
        tab.click("#categories-boat")
        tab.fill("#what_happened", f"Rapport {number}.")
        tab.click("#report-form button[type=submit]")
        tab.wait_for_count("#outbox-list > li", number, timeout=60)


def measure(phone, app, connection, count, way):
    """Return the seconds from reconnect to all stored, the rows and distinct client_ids
    stored, and what the page saw: navigator.onLine and the number of `online` events."""
    tab = phone.open("/sv/report")
    tab.wait_for_service_worker()
    tab.run(COUNT_ONLINE_EVENTS)
    if way == "online":
        phone.go_offline(True)
    else:
        connection.cut()
    queue(tab, count)
    start = time.monotonic()
    if way == "online":
        phone.go_offline(False)
    else:
        connection.restore()
    while stored(app)[0] < count and time.monotonic() - start < 300:
        time.sleep(0.05)
    seconds = time.monotonic() - start
    time.sleep(2)
    seen = tab.run("return [navigator.onLine, window.onlineEvents];")
    return seconds, stored(app), seen


@contextlib.contextmanager
def phone_in(engine, base_url):
    """Start `engine` with an empty profile; close it and all it needed afterwards."""
    with contextlib.ExitStack() as stack:
        if engine == "chromium":
            playwright = stack.enter_context(sync_playwright())
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            stack.callback(browser.close)
            phone = engines.ChromiumPhone(base_url, browser)
        elif engine == "firefox":
            firefox = engines.Firefox()
            stack.callback(firefox.close)
            phone = engines.FirefoxPhone(base_url, firefox)
        else:
            screen = engines.VirtualScreen()
            stack.callback(screen.close)
            phone = engines.WebKitPhone(base_url, screen.display)
        stack.callback(phone.close)
        yield phone


def run(engine, way, count):
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(folder)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        connection = Connection(server.server_port)
        try:
            with phone_in(engine, f"http://127.0.0.1:{connection.port}") as phone:
                if way == "online" and not phone.can_go_offline:
                    return None
                return measure(phone, app, connection, count, way)
        finally:
            connection.cut()
            server.shutdown()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20)
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=ENGINES)
    arguments = parser.parse_args()
    count = arguments.reports
    failed = False
    for engine in arguments.engines:
        for way in WAYS:
            result = run(engine, way, count)
            if result is None:
                print(f"{engine}, {way}: the engine cannot be told it is offline")
                continue
            seconds, (rows, distinct), (online, events) = result
            print(
                f"{engine}, {way}: {count} reports, all stored {seconds:.2f} s after reconnecting;"
                f" rows {rows}, distinct client_ids {distinct},"
                f" navigator.onLine {online}, online events {events}"
            )
            failed |= not rows == distinct == count
            failed |= way == "dead signal" and (not online or events != 0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
