"""The three browser engines a boat owner's phone may have, behind one small interface.

- Chromium (Chrome on Android), driven by Playwright, as the rest of the browser tests are.
- Firefox ESR (Firefox on Android), over WebDriver BiDi, the W3C protocol Firefox speaks
  itself: a WebSocket and a dozen commands, with no driver binary (geckodriver is not in
  Debian) and no Node.js bridge in between.
- WebKitGTK (Safari, and every browser on iPhone), through Selenium and WebKitWebDriver,
  which starts WebKit's MiniBrowser on a virtual screen of its own (Xvfb).

A `Phone` is one person's browser with storage of its own (a Playwright context, a Firefox
user context, a WebKit session: each starts empty). A `Tab` is one open page in it. Tabs do
everything through `run`, the body of an async function run in the page, so that a flow reads
the same in every engine, and acts as the page's own script would: it sets a field's value and
fires `input` and `change`, and clicks with `click()`.
"""

import contextlib
import itertools
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from typing import ClassVar

from playwright.sync_api import Error as PlaywrightError
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from websockets.sync.client import connect

from tests.browser.helpers import CHROMIUM

FIREFOX = "/usr/bin/firefox-esr"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
XVFB = "/usr/bin/Xvfb"
#: What each engine needs on the machine, and the Debian package that gives it.
NEEDS = {
    "chromium": {CHROMIUM: "chromium"},
    "firefox": {FIREFOX: "firefox-esr"},
    "webkit": {WEBKIT_DRIVER: "webkit2gtk-driver", MINIBROWSER: "webkit2gtk-driver", XVFB: "xvfb"},
}
#: The longest a script may run in a page, in seconds.
SCRIPT_TIMEOUT = 60


class PageGone(Exception):
    """The page navigated or closed while a script ran in it."""


class Tab:
    """One open page; everything else is built on goto, run, reload and close."""

    def __init__(self, base_url):
        self.base_url = base_url

    def url_of(self, path):
        return path if "://" in path else self.base_url + path

    def run(self, body, *args):
        """Run `body` as an async function of `args` in the page; return its JSON result."""
        raise NotImplementedError

    def resize(self, width, height):
        """Give the page a viewport of `width` × `height` CSS pixels, as a phone's screen."""
        raise NotImplementedError

    def wait_until(self, body, *args, timeout=30, message=""):
        """Run `body` until it returns something true, across navigations; return that."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                result = self.run(body, *args)
            except PageGone:
                result = None
            if result:
                return result
            if time.monotonic() > deadline:
                raise AssertionError(f"Waited {timeout} s in vain for {message or body}")
            time.sleep(0.1)

    # What a person does and sees, by CSS selector.

    def fill(self, selector, value):
        self.run(
            """const [selector, value] = args;
            const field = document.querySelector(selector);
            field.focus();
            field.value = value;
            field.dispatchEvent(new Event("input", { bubbles: true }));
            field.dispatchEvent(new Event("change", { bubbles: true }));""",
            selector,
            value,
        )

    def choose(self, selector, label):
        """Pick the option of a <select> by what it says."""
        self.run(
            """const [selector, label] = args;
            const select = document.querySelector(selector);
            const option = [...select.options].find((o) => o.textContent.trim() === label);
            if (!option) throw new Error(`No option ${label} in ${selector}`);
            select.value = option.value;
            select.dispatchEvent(new Event("input", { bubbles: true }));
            select.dispatchEvent(new Event("change", { bubbles: true }));""",
            selector,
            label,
        )

    def click(self, selector):
        self.run("document.querySelector(args[0]).click();", selector)

    def value(self, selector):
        return self.run("return document.querySelector(args[0]).value;", selector)

    def text(self, selector):
        return self.run(
            "const found = document.querySelector(args[0]); return found && found.textContent;",
            selector,
        )

    def texts(self, selector):
        return self.run(
            "return [...document.querySelectorAll(args[0])].map((e) => e.textContent);", selector
        )

    def wait_for_text(self, selector, text, timeout=30):
        """Wait until the element shows `text` (in its text, spaces evened out)."""
        self.wait_until(
            """const found = document.querySelector(args[0]);
            return !!found && !found.closest("[hidden]")
                && found.textContent.replace(/\\s+/g, " ").includes(args[1]);""",
            selector,
            text,
            timeout=timeout,
            message=f"{text!r} in {selector}",
        )

    def wait_for_count(self, selector, count, timeout=30):
        self.wait_until(
            "return document.querySelectorAll(args[0]).length === args[1];",
            selector,
            count,
            timeout=timeout,
            message=f"{count} × {selector}",
        )

    def wait_for_service_worker(self):
        """Wait until the service worker has cached everything and controls this page."""
        self.run("await navigator.serviceWorker.ready;")
        try:
            self.wait_until("return navigator.serviceWorker.controller !== null;", timeout=5)
        except AssertionError:
            # A navigation that began while the worker installed is never claimed.
            self.reload()
            self.wait_until("return navigator.serviceWorker.controller !== null;")


class Phone:
    engine = ""

    def __init__(self, base_url):
        self.base_url = base_url

    def open(self, path=None):
        """Open a new tab, at `path` if given."""
        raise NotImplementedError

    def close(self):
        raise NotImplementedError

    def go_offline(self, offline=True):
        """Tell the browser it has no network (navigator.onLine, `online` and `offline`)."""
        raise NotImplementedError(f"{self.engine} cannot be told it is offline")

    @property
    def can_go_offline(self):
        return type(self).go_offline is not Phone.go_offline


# Chromium, through Playwright.


class ChromiumTab(Tab):
    def __init__(self, base_url, page):
        super().__init__(base_url)
        self.page = page

    def goto(self, path):
        self.page.goto(self.url_of(path))

    def run(self, body, *args):
        try:
            return self.page.evaluate(f"async (args) => {{ {body} }}", list(args))
        except PlaywrightError as error:
            if re.search(r"context was destroyed|Target .*closed|navigat", str(error)):
                raise PageGone(str(error)) from error
            raise

    def reload(self):
        self.page.reload()

    def resize(self, width, height):
        self.page.set_viewport_size({"width": width, "height": height})

    def close(self):
        self.page.close()


class ChromiumPhone(Phone):
    engine = "chromium"

    def __init__(self, base_url, browser):
        super().__init__(base_url)
        self.context = browser.new_context(base_url=base_url, locale="sv-SE")

    def open(self, path=None):
        tab = ChromiumTab(self.base_url, self.context.new_page())
        if path:
            tab.goto(path)
        return tab

    def close(self):
        self.context.close()

    def go_offline(self, offline=True):
        self.context.set_offline(offline)


# Firefox, over WebDriver BiDi.


class Firefox:
    """One Firefox ESR process, headless, with WebDriver BiDi on a WebSocket."""

    PREFERENCES: ClassVar[dict] = {
        "browser.shell.checkDefaultBrowser": False,
        "datareporting.policy.dataSubmissionEnabled": False,
        "intl.accept_languages": "sv-SE, sv, en",
        # Notifications in Firefox's own small window: the system's (libnotify) needs a
        # desktop session, without which every showNotification() fails.
        "alerts.useSystemBackend": False,
    }

    def __init__(self, preferences=None):
        self.profile = tempfile.mkdtemp(prefix="firefox-")
        with open(os.path.join(self.profile, "user.js"), "w") as prefs:
            for name, value in {**self.PREFERENCES, **(preferences or {})}.items():
                prefs.write(f"user_pref({json.dumps(name)}, {json.dumps(value)});\n")
        self.process = subprocess.Popen(
            [
                FIREFOX,
                "--headless",
                "--no-remote",
                "--remote-debugging-port=0",
                "--profile",
                self.profile,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for line in self.process.stderr:
            if found := re.search(r"WebDriver BiDi listening on (ws://\S+)", line):
                break
        else:
            raise RuntimeError("Firefox did not start WebDriver BiDi")
        # Firefox keeps writing to stderr; read it, or it blocks when the pipe is full.
        self.drain = threading.Thread(target=self.process.stderr.read, daemon=True)
        self.drain.start()
        self.exits = contextlib.ExitStack()
        # No keepalive pings on loopback: each draws its payload from the global `random`, which
        # Hypothesis, drawing a fuzz test's data meanwhile, takes for the test's own use of it.
        self.socket = self.exits.enter_context(
            connect(found.group(1) + "/session", max_size=None, open_timeout=30, ping_interval=None)
        )
        self.ids = itertools.count(1)
        self.command("session.new", capabilities={})

    def command(self, method, **params):
        number = next(self.ids)
        self.socket.send(json.dumps({"id": number, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=SCRIPT_TIMEOUT + 30))
            if message.get("id") == number:
                break
        if message["type"] == "error":
            if message["error"] in ("no such frame", "unknown error") and (
                "navigat" in message["message"] or "destroyed" in message["message"]
            ):
                raise PageGone(message["message"])
            raise RuntimeError(f"{method}: {message['error']}: {message['message']}")
        return message["result"]

    def close(self):
        try:
            self.command("browser.close")
            self.exits.close()
            self.process.wait(timeout=30)
        finally:
            self.process.kill()
            self.process.wait()
            self.drain.join(timeout=10)
            self.process.stderr.close()
        shutil.rmtree(self.profile, ignore_errors=True)


class FirefoxTab(Tab):
    def __init__(self, base_url, firefox, context):
        super().__init__(base_url)
        self.firefox = firefox
        self.context = context

    def goto(self, path):
        self.firefox.command(
            "browsingContext.navigate", context=self.context, url=self.url_of(path), wait="complete"
        )

    def run(self, body, *args):
        result = self.firefox.command(
            "script.callFunction",
            functionDeclaration=(
                "async function (json) { const args = JSON.parse(json);"
                f" const result = await (async () => {{ {body} }})();"
                " return JSON.stringify(result === undefined ? null : result); }"
            ),
            arguments=[{"type": "string", "value": json.dumps(args)}],
            target={"context": self.context},
            awaitPromise=True,
            resultOwnership="none",
        )
        if result["type"] == "exception":
            text = result["exceptionDetails"]["text"]
            if "destroyed" in text or "navigat" in text:
                raise PageGone(text)
            raise RuntimeError(f"In the page: {text}")
        return json.loads(result["result"]["value"])

    def reload(self):
        self.firefox.command("browsingContext.reload", context=self.context, wait="complete")

    def resize(self, width, height):
        self.firefox.command(
            "browsingContext.setViewport",
            context=self.context,
            viewport={"width": width, "height": height},
        )

    def close(self):
        self.firefox.command("browsingContext.close", context=self.context)


class FirefoxPhone(Phone):
    engine = "firefox"

    def __init__(self, base_url, firefox):
        super().__init__(base_url)
        self.firefox = firefox
        self.user_context = firefox.command("browser.createUserContext")["userContext"]

    def open(self, path=None):
        context = self.firefox.command(
            "browsingContext.create", type="tab", userContext=self.user_context
        )["context"]
        tab = FirefoxTab(self.base_url, self.firefox, context)
        if path:
            tab.goto(path)
        return tab

    def close(self):
        self.firefox.command("browser.removeUserContext", userContext=self.user_context)

    def allow_notifications(self):
        """Let the app show notifications, as a person does who taps Allow."""
        self.firefox.command(
            "permissions.setPermission",
            descriptor={"name": "notifications"},
            state="granted",
            origin=self.base_url,
            userContext=self.user_context,
        )

    def go_offline(self, offline=True):
        self.firefox.command(
            "emulation.setNetworkConditions",
            networkConditions={"type": "offline"} if offline else None,
            userContexts=[self.user_context],
        )


# WebKit, through Selenium and WebKitWebDriver.


class VirtualScreen:
    """An X display of Xvfb's, for WebKit's MiniBrowser, which has no headless mode."""

    def __init__(self):
        read, write = os.pipe()
        self.process = subprocess.Popen(
            [XVFB, "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
            pass_fds=[write],
            stderr=subprocess.DEVNULL,
        )
        os.close(write)
        with os.fdopen(read) as display:
            self.display = ":" + display.readline().strip()

    def close(self):
        self.process.terminate()
        self.process.wait(timeout=30)


class WebKitTab(Tab):
    def __init__(self, base_url, driver, handle):
        super().__init__(base_url)
        self.driver = driver
        self.handle = handle

    def focus(self):
        if self.driver.current_window_handle != self.handle:
            self.driver.switch_to.window(self.handle)

    def goto(self, path):
        self.focus()
        self.driver.get(self.url_of(path))

    def run(self, body, *args):
        self.focus()
        try:
            answer = self.driver.execute_async_script(
                f"""const done = arguments[arguments.length - 1];
                (async (args) => {{ {body} }})(JSON.parse(arguments[0])).then(
                    (result) => done(JSON.stringify({{ result: result ?? null }})),
                    (error) => done(JSON.stringify({{ error: String(error) }})),
                );""",
                json.dumps(args),
            )
        except WebDriverException as error:
            raise PageGone(str(error)) from error
        answer = json.loads(answer)
        if "error" in answer:
            raise RuntimeError(f"In the page: {answer['error']}")
        return answer["result"]

    def reload(self):
        self.focus()
        self.driver.refresh()

    def resize(self, width, height):
        """Size the window so that the page inside MiniBrowser's frame gets width × height."""
        self.focus()
        self.driver.set_window_size(width, height)
        inner_width, inner_height = self.run("return [innerWidth, innerHeight];")
        self.driver.set_window_size(2 * width - inner_width, 2 * height - inner_height)

    def close(self):
        self.focus()
        self.driver.close()
        self.driver.switch_to.window(self.driver.window_handles[0])


class WebKitPhone(Phone):
    """A MiniBrowser of its own; its first window stays blank, so closing every tab of the app
    leaves the browser running, as closing the app leaves the phone on."""

    engine = "webkit"

    def __init__(self, base_url, display):
        super().__init__(base_url)
        options = webdriver.WebKitGTKOptions()
        options.binary_location = MINIBROWSER
        options.add_argument("--automation")
        service = webdriver.WebKitGTKService(
            executable_path=WEBKIT_DRIVER, env={**os.environ, "DISPLAY": display}
        )
        self.driver = webdriver.WebKitGTK(options=options, service=service)
        self.driver.set_script_timeout(SCRIPT_TIMEOUT)

    def open(self, path=None):
        self.driver.switch_to.new_window("tab")
        tab = WebKitTab(self.base_url, self.driver, self.driver.current_window_handle)
        if path:
            tab.goto(path)
        return tab

    def close(self):
        self.driver.quit()
