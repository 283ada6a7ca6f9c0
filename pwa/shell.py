"""What the app serves from the site root: `/`, the service worker, the web app manifest,
robots.txt and security.txt."""

import hashlib
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Blueprint, current_app, redirect, request, url_for

from .config import ROOT
from .i18n import LANGUAGES, preferred_language

bp = Blueprint("shell", __name__)
PACKAGE = Path(__file__).resolve().parent
#: App icons are fetched by the operating system from the manifest, not by the pages.
NOT_PRECACHED = ("sw.js", ".png")
#: Blueprints whose pages open offline: every GET route whose only argument is the language.
PRECACHED_BLUEPRINTS = ("public", "reports", "alerts", "progress")
#: Pages that show what is in the database (the report form lists the active harbours, the
#: home page and the promise pages the citizen promises, the Alerts page the current alerts,
#: "How it is going" the counts of the reports): the worker fetches them from the network
#: first and keeps the last good copy for offline use, rather than keeping them unchanged
#: until the next release like the other pages.
DATA_PAGES = (
    "reports.new_report",
    "public.home",
    "public.promise",
    "public.earlier_promises",
    "alerts.list_alerts",
    "progress.show_progress",
)
#: How long a data page may take before the copy kept on the phone is shown instead: as
#: Workbox's page cache recipe, long enough for a weak signal, short enough not to feel stuck.
DATA_PAGE_TIMEOUT_SECONDS = 3
#: A static import of a module next to the importing one: `from "./cin.js"`, `import "./outbox.js"`.
IMPORT = re.compile(rb'\b(?:from|import)\s+"\./([\w-]+\.js)"')
#: IndexedDB, and the outbox's storage and sending, shared by the pages and the service worker.
DATABASE_SCRIPT = "js/database.js"
OUTBOX_SCRIPT = "js/outbox.js"
#: How far ahead security.txt says it expires.
SECURITY_TXT_DAYS = 180


@bp.get("/")
def index():
    """Send the person to the home page in their language."""
    response = redirect(url_for("public.home", lang=preferred_language()))
    response.vary.update(("Cookie", "Accept-Language"))
    return response


@bp.get("/manifest.json")
def manifest():
    """Serve the web app manifest from the top of the project."""
    content = (ROOT / "manifest.json").read_bytes()
    response = current_app.response_class(content, mimetype="application/manifest+json")
    response.cache_control.no_cache = True
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/robots.txt")
def robots():
    """Let search engines index the public pages."""
    return current_app.response_class("User-agent: *\nAllow: /\n", mimetype="text/plain")


@bp.get("/.well-known/security.txt")
def security_txt():
    """Say where to report a security problem (RFC 9116), in the languages the app speaks."""
    config = current_app.config
    lines = [
        f"Contact: {config['SECURITY_CONTACT']}",
        f"Expires: {expires()}",
        f"Preferred-Languages: {', '.join(LANGUAGES)}",
        f"Canonical: {config['PUBLIC_URL']}/.well-known/security.txt",
    ]
    response = current_app.response_class(
        "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
    )
    # Read by people and scanners now and then; a day old is fresh enough.
    response.cache_control.max_age = 24 * 3600
    return response


def expires():
    """Return when security.txt is stale: SECURITY_TXT_DAYS ahead at 00:00 UTC, in RFC 3339.

    RFC 9116 wants it less than a year ahead; computing it keeps a forgotten file from expiring.
    """
    day = datetime.now(UTC).date() + timedelta(days=SECURITY_TXT_DAYS)
    return f"{day.isoformat()}T00:00:00Z"


@bp.get("/sw.js")
def service_worker():
    """Serve the service worker with this version's name and list of what to cache."""
    assets = current_app.extensions["assets"]
    header = (
        f"const VERSION = {json.dumps(version())};\n"
        f"const PRECACHE = {json.dumps(precache_urls(), indent=0)};\n"
        f"const DATA_PAGES = {json.dumps(data_pages(), indent=0)};\n"
        f"const DATA_PAGE_TIMEOUT_SECONDS = {DATA_PAGE_TIMEOUT_SECONDS};\n"
        f"const LANGUAGES = {json.dumps(LANGUAGES)};\n"
        f"const DATABASE_SCRIPT = {json.dumps(assets.url(DATABASE_SCRIPT))};\n"
        f"const OUTBOX_SCRIPT = {json.dumps(assets.url(OUTBOX_SCRIPT))};\n"
        f"const OUTBOX_SETTINGS = {json.dumps(outbox_settings())};\n"
        f"const ICON = {json.dumps(url_for('static', filename='icons/icon-192.png'))};\n"
        f"const PUBLIC_URL = {json.dumps(current_app.config['PUBLIC_URL'])};\n"
    )
    source = (Path(current_app.static_folder) / "sw.js").read_text()
    response = current_app.response_class(header + source, mimetype="text/javascript")
    response.cache_control.no_cache = True
    return response


def outbox_settings():
    """Return the outbox's timeout and waits, for the service worker and the pages."""
    return {
        "timeoutSeconds": current_app.config["OUTBOX_TIMEOUT_SECONDS"],
        "networkRetrySeconds": current_app.config["OUTBOX_NETWORK_RETRY_SECONDS"],
        "backOffSeconds": list(current_app.config["OUTBOX_BACK_OFF_SECONDS"]),
    }


@bp.app_context_processor
def page_settings():
    """Give every page the outbox's settings, which base.html writes into it."""
    return {"outbox_settings": outbox_settings()}


def precache_urls():
    """Return every public page in every language and every static file the pages use."""
    assets = current_app.extensions["assets"]
    imported = imported_modules(assets)
    files = [
        url_for("static", filename=name) if name in imported else assets.url(name)
        for name in assets.hashed
        if not name.endswith(NOT_PRECACHED)
    ]
    return public_pages() + sorted(files)


def imported_modules(assets):
    """Return the JavaScript modules that other modules import.

    There is no build step: a page loads its module under its hashed name, and that module
    imports the others under their plain names, so those are the names to cache.
    """
    return {
        f"js/{imported.decode()}"
        for name in assets.hashed
        if name.startswith("js/")
        for imported in IMPORT.findall(assets.files[name].content)
    }


def public_pages():
    """Return the URL of every public page in every language (the report form among them)."""
    return sorted(
        url_for(rule.endpoint, lang=lang)
        for rule in current_app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in PRECACHED_BLUEPRINTS
        and rule.arguments == {"lang"}
        and "GET" in rule.methods
        for lang in LANGUAGES
    )


def data_pages():
    """Return the URL of every data page in every language: cached, but network first."""
    return sorted(url_for(endpoint, lang=lang) for endpoint in DATA_PAGES for lang in LANGUAGES)


#: Settings that the cached pages show or carry.
PAGE_SETTINGS = (
    "REPORT_RETENTION_CLOSED_DAYS",
    "REPORT_RETENTION_MAX_DAYS",
    "AUDIT_RETENTION_DAYS",
    "DATA_PROTECTION_OFFICER",
    "STATISTICS_RETENTION_YEARS",
    "OUTBOX_TIMEOUT_SECONDS",
    "OUTBOX_NETWORK_RETRY_SECONDS",
    "OUTBOX_BACK_OFF_SECONDS",
)


def version():
    """Name this release: APP_VERSION if set, else a hash of what the pages are made of."""
    if current_app.config["APP_VERSION"]:
        return current_app.config["APP_VERSION"]
    if "source_digest" not in current_app.extensions:
        current_app.extensions["source_digest"] = source_digest()
    return current_app.extensions["source_digest"]


def source_digest():
    """Hash the code, templates, compiled translations and static files."""
    digest = hashlib.sha256()
    sources = [
        *PACKAGE.rglob("*.py"),
        *PACKAGE.rglob("*.html"),
        *ROOT.glob("translations/*/LC_MESSAGES/*.mo"),
    ]
    for path in sorted(sources):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    digest.update(json.dumps(current_app.extensions["assets"].hashed, sort_keys=True).encode())
    # The privacy page states these periods and the officer's address, and every page carries
    # the outbox's timing: phones must not keep reading old ones.
    for setting in PAGE_SETTINGS:
        digest.update(f"{setting}={current_app.config[setting]}".encode())
    return digest.hexdigest()[:12]
