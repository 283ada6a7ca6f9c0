"""Settings that production depends on: a secret key, the public address and the hosts answered."""

import re
import secrets

import pytest
from sqlalchemy import func, select

from pwa import create_app
from pwa.config import Config, SettingsError, TestConfig, complete
from pwa.extensions import db
from pwa.models import Report
from tests.staff import KIM, PASSWORD
from tests.test_reports import json_body

PUBLIC_URL = "https://batsamverkan.example.org"
HOST = "batsamverkan.example.org"


class ProductionConfig(Config):
    """Production, as a deploy configures it, on the tests' database."""

    SECRET_KEY = secrets.token_urlsafe(48)
    PUBLIC_URL = PUBLIC_URL
    SQLALCHEMY_DATABASE_URI = TestConfig.SQLALCHEMY_DATABASE_URI
    SQLALCHEMY_ENGINE_OPTIONS = TestConfig.SQLALCHEMY_ENGINE_OPTIONS
    RATELIMIT_STORAGE_URI = "memory://"
    PURGE_SCHEDULED = False
    MAIL_SERVER = ""
    MAIL_FROM = "batsamverkan@example.org"


def production(**settings):
    return type("Production", (ProductionConfig,), settings)


@pytest.mark.parametrize("limit", ["30 a minute", "", "many per hour"])
def test_the_app_refuses_to_start_with_a_limit_it_cannot_read(limit):
    with pytest.raises(SettingsError, match="REPORT_RATE_LIMIT must be limits such as"):
        create_app(production(REPORT_RATE_LIMIT=limit))


@pytest.mark.parametrize(
    "key", ["", "dev-only-not-secret", "test", "a" * 31], ids=["none", "known", "test", "short"]
)
def test_production_refuses_to_start_without_a_real_secret_key(key):
    with pytest.raises(SettingsError, match="SECRET_KEY must be a secret of at least 32"):
        create_app(production(SECRET_KEY=key))


def test_production_refuses_to_start_without_its_public_address():
    with pytest.raises(SettingsError, match="PUBLIC_URL must be the site's address"):
        create_app(production(PUBLIC_URL=""))


def test_the_refusal_names_every_missing_setting_at_once():
    with pytest.raises(SettingsError) as refusal:
        create_app(production(SECRET_KEY="", PUBLIC_URL=""))
    assert "SECRET_KEY" in str(refusal.value) and "PUBLIC_URL" in str(refusal.value)
    assert "DEVELOPMENT=1" in str(refusal.value)


def test_development_keeps_keys_of_its_own_under_the_instance_folder(tmp_path):
    first = {
        "TESTING": False,
        "DEVELOPMENT": True,
        "SECRET_KEY": "",
        "PUBLIC_URL": "",
        "VAPID_PRIVATE_KEY": "",
    }
    second = dict(first)

    complete(first, tmp_path / "instance")
    complete(second, tmp_path / "instance")

    assert len(first["SECRET_KEY"]) >= 48
    assert second["SECRET_KEY"] == first["SECRET_KEY"]
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o777 == 0o600
    # The alerts' VAPID key too: phones subscribed with it must be reached after a restart.
    assert len(first["VAPID_PRIVATE_KEY"]) == 43
    assert second["VAPID_PRIVATE_KEY"] == first["VAPID_PRIVATE_KEY"]
    assert (tmp_path / "instance" / "vapid_key").stat().st_mode & 0o777 == 0o600
    assert first["PUBLIC_URL"] == "http://127.0.0.1:5000"
    assert "TRUSTED_HOSTS" not in first


def test_a_key_given_in_development_is_kept(tmp_path):
    config = {
        "TESTING": False,
        "DEVELOPMENT": True,
        "SECRET_KEY": "given",
        "PUBLIC_URL": "",
        "VAPID_PRIVATE_KEY": "given too",
    }
    complete(config, tmp_path)
    assert (config["SECRET_KEY"], config["VAPID_PRIVATE_KEY"]) == ("given", "given too")
    assert not (tmp_path / "secret_key").exists()
    assert not (tmp_path / "vapid_key").exists()


@pytest.fixture
def site(make_app):
    """A client of the app configured for production, at its public address."""
    app = make_app(production())
    return app, app.test_client()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_production_answers_its_own_host(site, lang):
    _app, client = site
    response = client.get(f"/{lang}/", headers={"Host": HOST})
    assert response.status_code == 200
    assert f'href="{PUBLIC_URL}/{lang}/"' in response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_production_refuses_a_forged_host_in_both_languages(site, lang):
    """No page of the site can be built for another host: a short text says why, in both
    languages, and echoes nothing of what was sent."""
    _app, client = site
    response = client.get(f"/{lang}/promise", headers={"Host": "evil.example"})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Okänd adress" in text and "Unknown address" in text
    assert "evil.example" not in text


def test_a_report_sent_with_a_forged_host_is_refused_before_it_is_stored(site, staff):
    app, client = site
    guest, _femoresund = staff
    response = client.post(
        "/sv/report",
        json=json_body(guest),
        headers={"Host": "evil.example", "Origin": "http://evil.example"},
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Report.id))) == 0


def test_other_hosts_are_answered_only_when_configured(make_app):
    app = make_app(production(EXTRA_HOSTS=("batsamverkan.oxelosund.se",)))
    client = app.test_client()
    assert client.get("/sv/", headers={"Host": "batsamverkan.oxelosund.se"}).status_code == 200
    assert client.get("/sv/", headers={"Host": "evil.example"}).status_code == 400


def test_a_forwarded_host_is_not_trusted_behind_a_proxy(make_app):
    """Behind one proxy the client's own X-Forwarded-Host must not become the site's host."""
    app = make_app(production(PROXY_COUNT=1))
    response = app.test_client().get(
        "/sv/",
        headers={"Host": HOST, "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "evil.example" not in html
    # X-Forwarded-Proto from the one proxy is still believed: HTTPS, so HSTS.
    assert "Strict-Transport-Security" in response.headers


def test_over_https_the_session_cookie_is_for_this_host_alone(site, staff):
    """The __Host- prefix: Secure, the whole site, no Domain, so no subdomain can set it."""
    _app, client = site
    page = client.get("/sv/login", base_url=PUBLIC_URL).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = client.post(
        "/sv/login",
        base_url=PUBLIC_URL,
        # Over HTTPS Flask-WTF also wants the page the form came from, as browsers send it.
        headers={"Referer": f"{PUBLIC_URL}/sv/login"},
        data={"csrf_token": token, "email": KIM, "password": PASSWORD},
    )
    assert answer.status_code == 303
    (cookie,) = [c for c in answer.headers.getlist("Set-Cookie") if "session=" in c]
    assert cookie.startswith("__Host-session=")
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"secure", "httponly", "path"} <= attributes and "domain" not in attributes
    assert "Path=/;" in cookie or cookie.endswith("Path=/")
    assert client.get("/sv/inbox/", base_url=PUBLIC_URL).status_code == 200
