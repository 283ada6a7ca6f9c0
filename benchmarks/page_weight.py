"""Weigh a first visit, the service worker's precache and a repeat visit, in bytes over the network.

For each page of the app on a fresh database, in a fresh Chromium profile, as the DevTools
protocol reports them (compressed bodies plus response headers: Network.loadingFinished
encodedDataLength):

(a) first visit: everything the page requests (HTML, CSS, JS, icons, manifest); budget 40 KB;
(b) precache: what the service worker fetches in the background, its own script included;
(c) repeat visit, once the worker controls the page: the page's own requests, and whatever the
    worker fetches to answer them. Only revalidations may use the network, each answered 304
    without a body: the worker asking whether a data page (home, promise) changed, and the
    browser itself asking for the manifest and the icon, which no worker answers.

Exits 1 when (a) is over budget or (c) transfers a body. Run it with

    .venv/bin/python -m benchmarks.page_weight [--verbose]
"""

import argparse
import sys
import tempfile
import time
from typing import NamedTuple

from playwright.sync_api import sync_playwright

from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS

from .reporting import fresh_database
from .server import gunicorn

PAGES = ("/sv/", "/en/", "/sv/promise")
BUDGET = 40 * 1024
#: Resolves once the service worker has installed (so precached) and claimed the page.
UNTIL_CONTROLLED = """async () => {
  const { serviceWorker } = navigator;
  if (serviceWorker.controller) return;
  await new Promise((resolve, reject) => {
    serviceWorker.addEventListener("controllerchange", resolve);
    setTimeout(() => reject(new Error("no service worker took control within 30 s")), 30000);
  });
}"""


class Request(NamedTuple):
    url: str
    #: Bytes received over the network, headers included; 0 when answered from a cache.
    size: int
    #: Who made it (page or worker) and, for the page, whether the worker answered it.
    source: str
    #: The HTTP status; 304 is a revalidation, answered without a body.
    status: int


class Traffic:
    """Record each finished request of one page and of its service worker."""

    def __init__(self, context, page):
        self.urls = {}
        self.raw_status = {}
        self.page_requests = []
        self.worker_requests = []
        self.last_event = time.monotonic()
        cdp = context.new_cdp_session(page)
        cdp.on("Network.responseReceived", self.on_response)
        cdp.on("Network.responseReceivedExtraInfo", self.on_raw_response)
        cdp.on("Network.loadingFinished", self.on_finished)
        cdp.send("Network.enable")
        # The worker's fetches happen in its own DevTools target, which Playwright follows. A
        # 304 the worker asked for (If-None-Match) ends as "failed", with no body to read.
        context.on("requestfinished", self.on_worker_request)
        context.on("requestfailed", self.on_worker_request)

    def on_response(self, event):
        self.last_event = time.monotonic()
        response = event["response"]
        source = "page, answered by worker" if response.get("fromServiceWorker") else "page"
        self.urls[event["requestId"]] = (response["url"], source, response["status"])

    def on_raw_response(self, event):
        """Note the status that came over the network: 304 where the browser revalidated its
        HTTP cache's copy, which the page is then told is a 200."""
        self.raw_status[event["requestId"]] = event["statusCode"]

    def on_finished(self, event):
        self.last_event = time.monotonic()
        url, source, status = self.urls.get(event["requestId"], ("?", "page", 0))
        status = self.raw_status.get(event["requestId"], status)
        self.page_requests.append(Request(url, event["encodedDataLength"], source, status))

    def on_worker_request(self, request):
        self.last_event = time.monotonic()
        if request.service_worker and request.response() is not None:
            self.worker_requests.append(request)

    def settle(self, page, quiet=1.0, timeout=20.0):
        """Wait until no request has finished for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() - self.last_event < quiet and time.monotonic() < deadline:
            page.wait_for_timeout(100)

    def take(self):
        """Return and forget the page's requests and the worker's requests so far."""
        worker = [
            Request(r.url, worker_bytes(r), "worker", r.response().status)
            for r in self.worker_requests
        ]
        page, self.page_requests, self.worker_requests = self.page_requests, [], []
        return page, worker


def worker_bytes(request):
    """Return the bytes over the network of a request the service worker made."""
    sizes = request.sizes()
    body = sizes["responseBodySize"]
    if body == 0 and request.resource_type == "script":
        # Chromium fetches the worker's own script before DevTools attaches to the worker, so
        # only its headers are reported; its compressed body is what Content-Length says.
        body = int(request.response().headers.get("content-length", 0))
    # For an answer from the HTTP cache the body size is minus the headers' size: 0 in all.
    return sizes["responseHeadersSize"] + body


def weigh(playwright, url):
    """Return the requests of a first visit, of the precache and of a repeat visit to `url`."""
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
            traffic = Traffic(context, page)
            page.goto(url)
            page.evaluate(UNTIL_CONTROLLED)
            traffic.settle(page)
            first, precache = traffic.take()
            page.goto(url)
            traffic.settle(page)
            repeat, through_worker = traffic.take()
        finally:
            context.close()
    return first, precache, repeat + through_worker


def total(requests):
    return sum(request.size for request in requests)


def kb(size):
    return f"{size / 1024:.1f} KB"


def print_requests(requests, base):
    for request in requests:
        url = request.url.removeprefix(base)
        print(f"    {request.size:>7} B  {request.status}  {url}  ({request.source})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every request")
    verbose = parser.parse_args().verbose
    failures = []
    print(f"{'page':<14}{'(a) first visit':>17}{'(b) precache':>15}{'(c) repeat':>20}")
    with (
        fresh_database() as (env, _url),
        gunicorn(env=env) as base,
        sync_playwright() as playwright,
    ):
        for path in PAGES:
            first, precache, repeat = weigh(playwright, base + path)
            revalidated = sum(1 for request in repeat if request.size and request.status == 304)
            sizes = (
                kb(total(first)),
                kb(total(precache)),
                f"{total(repeat)} B ({revalidated} × 304)",
            )
            print(f"{path:<14}{sizes[0]:>17}{sizes[1]:>15}{sizes[2]:>20}")
            if total(first) > BUDGET:
                failures.append((f"{path}: first visit over {kb(BUDGET)}", first))
            bodies = [request for request in repeat if request.size and request.status != 304]
            if bodies:
                failures.append((f"{path}: repeat visit fetched more than revalidations", bodies))
            if verbose:
                for title, requests in (
                    ("first", first),
                    ("precache", precache),
                    ("repeat", repeat),
                ):
                    print(f"  {title}:")
                    print_requests(requests, base)
        for title, requests in failures:
            print(f"FAIL {title}:")
            print_requests(requests, base)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
