"""Real headless Chromium (Debian's) driven by Playwright, against the app on a local port."""

import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from pwa import create_app, rate_limits
from pwa.alerts.push import new_private_key
from pwa.config import TestConfig
from pwa.extensions import db
from pwa.models import Harbour
from tests.browser import engines
from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS
from tests.browser.network import Connection
from tests.conftest import contact_person
from tests.databases import create_tables, drop_tables, empty_tables, threaded_config


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(item.fspath).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


class LiveConfig(TestConfig):
    #: The Alerts page offers alerts only with a key to sign the pushes with.
    VAPID_PRIVATE_KEY = new_private_key()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    # The server runs each request in a thread of its own.
    app = create_app(threaded_config(tmp_path_factory.mktemp("db"), base=LiveConfig))
    with app.app_context():
        create_tables()
    yield app
    with app.app_context():
        db.session.remove()
        drop_tables()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def database(live_app):
    """A clean database for every test, with the example harbours, which the form offers
    because each has a contact person."""
    with live_app.app_context():
        empty_tables()
        harbours = [Harbour(name="Oxelösunds gästhamn", sort_order=1), Harbour(name="Femöresund")]
        db.session.add_all([*harbours, contact_person(*harbours)])
        db.session.commit()


@pytest.fixture(scope="session")
def connection(live_app):
    """Serve the app on 127.0.0.1 (a secure context, as service workers need), reached
    through a connection that a test can cut."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    connection = Connection(server.server_port)
    yield connection
    connection.cut()
    server.shutdown()
    thread.join()


@pytest.fixture(scope="session")
def live_server(connection):
    return f"http://127.0.0.1:{connection.port}"


@pytest.fixture
def network(connection):
    """The phones' connection to the app, given back after the test if the test cut it."""
    yield connection
    connection.restore()


@pytest.fixture(scope="session")
def playwright():
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright):
    require("chromium")
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def firefox():
    require("firefox")
    firefox = engines.Firefox()
    yield firefox
    firefox.close()


@pytest.fixture(scope="session")
def virtual_screen():
    require("webkit")
    screen = engines.VirtualScreen()
    yield screen
    screen.close()


def require(engine):
    for path, package in engines.NEEDS[engine].items():
        if not Path(path).exists():
            pytest.fail(f"The browser tests need {path}: apt-get install {package}")


@pytest.fixture(params=["chromium", "firefox", "webkit"])
def phone(request, live_server):
    """A phone with an empty browser, in each engine in turn: WebKit stands in for Safari on
    iPhone, Firefox ESR for Firefox on Android, Chromium for Chrome on Android."""
    if request.param == "chromium":
        phone = engines.ChromiumPhone(live_server, request.getfixturevalue("browser"))
    elif request.param == "firefox":
        phone = engines.FirefoxPhone(live_server, request.getfixturevalue("firefox"))
    else:
        phone = engines.WebKitPhone(live_server, request.getfixturevalue("virtual_screen").display)
    yield phone
    phone.close()


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="sv-SE")
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def axe_page(browser, live_server):
    """A page into which axe-core can be injected despite the CSP; no service worker."""
    context = browser.new_context(base_url=live_server, bypass_csp=True, service_workers="block")
    yield context.new_page()
    context.close()


@pytest.fixture
def narrow_page(browser, live_server):
    """A phone 320 px wide into which axe-core can be injected; no service worker."""
    context = browser.new_context(
        base_url=live_server,
        bypass_csp=True,
        service_workers="block",
        viewport={"width": 320, "height": 640},
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def one_report_a_day(live_app):
    """Let the live app take one report a day from a client, then refuse with 429."""
    limit = live_app.config["REPORT_RATE_LIMIT"]
    live_app.config["REPORT_RATE_LIMIT"] = "1 per day"
    rate_limits.reset(live_app)
    yield
    live_app.config["REPORT_RATE_LIMIT"] = limit
    rate_limits.reset(live_app)
