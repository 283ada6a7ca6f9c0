import json
import re

import pytest
from sqlalchemy import event

from pwa import create_app, shell
from pwa.config import ROOT
from pwa.extensions import db


def test_security_headers_on_every_response(client):
    for path in ["/sv/", "/en/privacy", "/sw.js", "/manifest.json", "/nope", "/"]:
        with client.get(path) as response:
            headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "style-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "camera=()" in headers["Permissions-Policy"]
        assert "Strict-Transport-Security" not in headers


def test_https_adds_hsts_and_secure_cookies(client):
    response = client.get("/en/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Secure" in response.headers["Set-Cookie"]
    plain = client.get("/sv/")
    assert "Secure" not in plain.headers["Set-Cookie"]


def test_manifest_makes_the_app_installable(client):
    with client.get("/manifest.json") as response:
        assert response.status_code == 200
        assert response.mimetype == "application/manifest+json"
        manifest = response.get_json(force=True)
    assert manifest == json.loads((ROOT / "manifest.json").read_text())
    assert manifest["name"] and manifest["short_name"]
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] and manifest["background_color"]
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        with client.get(icon["src"]) as response:
            assert response.status_code == 200


def test_pages_link_the_manifest_and_ios_icons(client):
    html = client.get("/sv/").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.json">' in html
    assert 'rel="apple-touch-icon"' in html
    assert 'name="apple-mobile-web-app-capable"' in html


def test_service_worker_is_served_from_the_root_and_never_cached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert "no-cache" in response.headers["Cache-Control"]


def test_service_worker_precaches_every_public_page_and_hashed_asset(app, client):
    source = client.get("/sw.js").get_data(as_text=True)
    precache = json.loads(source.split("const PRECACHE = ", 1)[1].split(";\n", 1)[0])
    for path in ["/sv/", "/en/", "/sv/promise", "/en/promise", "/sv/offline", "/en/offline"]:
        assert path in precache
    assets = [url for url in precache if url.startswith("/static/")]
    assert any(url.endswith(".css") for url in assets)
    for url in precache:
        with client.get(url) as response:
            assert response.status_code == 200, url


def test_the_report_form_and_the_outbox_code_open_offline(client):
    source = client.get("/sw.js").get_data(as_text=True)
    precache = json.loads(source.split("const PRECACHE = ", 1)[1].split(";\n", 1)[0])
    for path in ["/sv/report", "/en/report", "/static/js/outbox.js", "/static/js/outbox-view.js"]:
        assert path in precache
    assert "/static/js/database.js" in precache
    # The worker loads the same sending code as the pages, under its hashed name.
    outbox_script = json.loads(source.split("const OUTBOX_SCRIPT = ", 1)[1].split(";\n", 1)[0])
    assert re.fullmatch(r"/static/js/outbox\.[0-9a-f]{8}\.js", outbox_script)
    assert "importScripts(OUTBOX_SCRIPT)" in source
    # First the IndexedDB layer that outbox.js uses, also under its hashed name.
    database_script = json.loads(source.split("const DATABASE_SCRIPT = ", 1)[1].split(";\n")[0])
    assert re.fullmatch(r"/static/js/database\.[0-9a-f]{8}\.js", database_script)
    assert source.index("importScripts(DATABASE_SCRIPT)") < source.index("importScripts(OUTBOX")
    assert client.get(database_script).status_code == 200
    assert 'addEventListener("sync"' in source
    assert client.get(outbox_script).status_code == 200


def test_the_receipt_page_opens_offline_and_is_kept_until_the_next_release(client):
    """It shows the code from the address's fragment, never anything of the database."""
    source = client.get("/sw.js").get_data(as_text=True)
    precache = json.loads(source.split("const PRECACHE = ", 1)[1].split(";\n", 1)[0])
    data_pages = json.loads(source.split("const DATA_PAGES = ", 1)[1].split(";\n", 1)[0])
    for lang in ("sv", "en"):
        assert f"/{lang}/report/receipt" in precache
        assert f"/{lang}/report/receipt" not in data_pages
        page = client.get(f"/{lang}/report/receipt").get_data(as_text=True)
        script = re.search(r'src="(/static/js/show-receipt-page\.[0-9a-f]{8}\.js)"', page)
        assert script and script.group(1) in precache


def test_the_worker_is_told_which_pages_show_the_database(client):
    source = client.get("/sw.js").get_data(as_text=True)
    data_pages = json.loads(source.split("const DATA_PAGES = ", 1)[1].split(";\n", 1)[0])
    assert data_pages == [
        "/en/",
        "/en/alerts/",
        "/en/progress",
        "/en/promise",
        "/en/promise/earlier",
        "/en/report",
        "/sv/",
        "/sv/alerts/",
        "/sv/progress",
        "/sv/promise",
        "/sv/promise/earlier",
        "/sv/report",
    ]
    precache = json.loads(source.split("const PRECACHE = ", 1)[1].split(";\n", 1)[0])
    # Still cached at install, so that the form opens offline before its first visit.
    assert set(data_pages) <= set(precache)
    assert "const DATA_PAGE_TIMEOUT_SECONDS = 3;" in source


def test_every_cached_page_that_reads_the_database_is_a_data_page(app, client):
    """A page that shows what is in the database must not be kept until the next release."""
    with app.test_request_context():
        pages, data_pages = shell.public_pages(), set(shell.data_pages())
    with app.app_context():
        engine = db.engine
    queries = []

    def count(*args):
        queries.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    reading = set()
    try:
        for path in pages:
            before = len(queries)
            assert client.get(path).status_code == 200, path
            if len(queries) > before:
                reading.add(path)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert reading == data_pages


def test_every_page_has_the_outbox_count_in_its_header(client):
    for lang, label in [("sv", "Utkorg: {count} väntar"), ("en", "Outbox: {count} waiting")]:
        page = client.get(f"/{lang}/promise").get_data(as_text=True)
        assert f'id="outbox-badge" href="/{lang}/report#outbox" hidden' in page
        assert f'data-label="{label}"' in page


def test_a_new_release_names_a_new_cache(app, client):
    before = client.get("/sw.js").get_data(as_text=True)
    app.config["APP_VERSION"] = "release-2"
    after = client.get("/sw.js").get_data(as_text=True)
    assert before != after
    assert 'const VERSION = "release-2";' in after


def test_hashed_assets_are_cached_for_a_year(app, client):
    html = client.get("/sv/").get_data(as_text=True)
    css = html.split('<link rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    with client.get(css) as response:
        assert response.status_code == 200
        assert "immutable" in response.headers["Cache-Control"]
        assert "max-age=31536000" in response.headers["Cache-Control"]
    with client.get("/static/css/app.css") as plain:
        assert "no-cache" in plain.headers["Cache-Control"]
    assert client.get("/static/css/app.00000000.css").status_code == 404


def test_pages_are_compressed(client):
    response = client.get("/sv/promise", headers={"Accept-Encoding": "br, gzip"})
    assert response.headers["Content-Encoding"] == "br"


def test_static_text_is_served_compressed_once_and_for_all(client):
    with client.get("/static/css/app.css", headers={"Accept-Encoding": "gzip, br"}) as br:
        assert br.headers["Content-Encoding"] == "br"
        assert "Accept-Encoding" in br.vary
    with client.get("/static/css/app.css", headers={"Accept-Encoding": "gzip"}) as gz:
        assert gz.headers["Content-Encoding"] == "gzip"
        assert gz.get_data() != br.get_data()
    with client.get("/static/css/app.css", headers={"Accept-Encoding": "identity"}) as plain:
        assert "Content-Encoding" not in plain.headers
        assert b":root" in plain.get_data()
    with client.get("/static/icons/icon-192.png", headers={"Accept-Encoding": "br"}) as png:
        assert "Content-Encoding" not in png.headers


@pytest.mark.parametrize(
    ("setting", "values"),
    [
        ("REPORT_RETENTION_CLOSED_DAYS", (30, 7)),
        ("OUTBOX_TIMEOUT_SECONDS", (15, 30)),
        ("OUTBOX_NETWORK_RETRY_SECONDS", (10, 5)),
    ],
)
def test_other_settings_that_cached_pages_show_are_a_new_release(setting, values):
    """The privacy page states the retention periods and every page carries the outbox's
    settings: phones must fetch the pages again when these change."""
    versions = set()
    for value in values:
        app = create_app({setting: value, "SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})
        sw = app.test_client().get("/sw.js").get_data(as_text=True)
        versions.add(re.search(r'const VERSION = "(\w+)";', sw).group(1))
    assert len(versions) == 2


def test_the_outbox_settings_reach_the_worker_and_every_page(app, client):
    app.config.update(
        OUTBOX_TIMEOUT_SECONDS=7, OUTBOX_NETWORK_RETRY_SECONDS=3, OUTBOX_BACK_OFF_SECONDS=(1, 4)
    )
    settings = {"timeoutSeconds": 7, "networkRetrySeconds": 3, "backOffSeconds": [1, 4]}
    source = client.get("/sw.js").get_data(as_text=True)
    header = source.split("const OUTBOX_SETTINGS = ", 1)[1].split(";\n", 1)[0]
    assert json.loads(header) == settings
    assert "outbox.configure(OUTBOX_SETTINGS)" in source
    for path in ["/sv/", "/en/report", "/sv/login"]:
        html = client.get(path).get_data(as_text=True)
        script = html.split('<script type="application/json" id="outbox-settings">', 1)[1]
        assert json.loads(script.split("</script>", 1)[0]) == settings, path
    # The report form's own post waits as long, before the report goes to the outbox.
    assert '"timeout": 7000' in client.get("/sv/report").get_data(as_text=True)


def test_security_txt_says_where_to_report_a_problem_and_until_when(app, client):
    """RFC 9116: Contact and Expires (under a year ahead) required, both languages preferred."""
    from datetime import UTC, datetime, timedelta

    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    fields = dict(line.split(": ", 1) for line in response.get_data(as_text=True).splitlines())
    assert set(fields) == {"Contact", "Expires", "Preferred-Languages", "Canonical"}
    assert fields["Canonical"] == "http://localhost/.well-known/security.txt"
    assert fields["Contact"] == "mailto:kommun@oxelosund.se"
    assert fields["Preferred-Languages"] == "sv, en"
    expires = datetime.fromisoformat(fields["Expires"])
    assert fields["Expires"].endswith("T00:00:00Z")
    now = datetime.now(UTC)
    assert now + timedelta(days=150) < expires < now + timedelta(days=365)
    assert client.get_cookie("session") is None

    app.config.update(
        SECURITY_CONTACT="mailto:security@example.org",
        PUBLIC_URL="https://batsamverkan.example.org",
    )
    text = client.get("/.well-known/security.txt").get_data(as_text=True)
    assert "Contact: mailto:security@example.org\n" in text
    assert "Canonical: https://batsamverkan.example.org/.well-known/security.txt\n" in text
    assert client.get("/sv/.well-known/security.txt").status_code == 404
