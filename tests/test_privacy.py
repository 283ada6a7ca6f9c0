"""The privacy page gives the legal basis, the data protection officer and every right."""

import html
import re

import pytest

from pwa.config import TestConfig

SAID = {
    "sv": [
        "lagen (2023:196) om kommuners ansvar för brottsförebyggande arbete",
        "artikel 6.1 e i dataskyddsförordningen",
        "Enligt artikel 10 i dataskyddsförordningen",
        "Att få veta vad som sparas om dig (registerutdrag)",
        "Att få felaktiga uppgifter rättade (rättelse)",
        "Att få uppgifter raderade (radering)",
        "Att få behandlingen begränsad (begränsning)",
        "Att invända",
        "Rätten till dataportabilitet gäller inte",
        "Integritetsskyddsmyndigheten (IMY)",
    ],
    "en": [
        "lag (2023:196) om kommuners ansvar för brottsförebyggande arbete",
        "Article 6(1)(e) of the General Data Protection Regulation",
        "Under Article 10 of the GDPR",
        "To know what is stored about you (access)",
        "To have wrong data corrected (rectification)",
        "To have data deleted (erasure)",
        "To have processing limited (restriction)",
        "To object",
        "The right to data portability does not apply",
        "Integritetsskyddsmyndigheten (IMY)",
    ],
}


def text(response):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_page_gives_the_legal_basis_and_every_right(client, lang):
    page = text(client.get(f"/{lang}/privacy"))
    for statement in SAID[lang]:
        assert statement in page


class OwnOfficer(TestConfig):
    DATA_PROTECTION_OFFICER = "dataskyddsombud@oxelosund.se"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_data_protection_officer_is_the_configured_one(make_app, lang):
    page = make_app(OwnOfficer).test_client().get(f"/{lang}/privacy").get_data(as_text=True)
    link = '<a href="mailto:dataskyddsombud@oxelosund.se">dataskyddsombud@oxelosund.se</a>'
    # Where to use one's rights, and the officer's own paragraph.
    assert page.count(link) == 2
    heading = {"sv": "<h3>Dataskyddsombudet</h3>", "en": "<h3>The data protection officer</h3>"}
    assert heading[lang] in page


def test_by_default_the_officer_is_reached_at_the_municipalitys_address(client):
    page = client.get("/sv/privacy").get_data(as_text=True)
    link = '<a href="mailto:kommun@oxelosund.se">kommun@oxelosund.se</a>'
    assert f"Skriv till kommunens dataskyddsombud på {link}" in page
    assert f"Skriv till dataskyddsombudet på {link}" in page


def test_the_officer_is_part_of_the_release_so_phones_do_not_keep_the_old_address(make_app):
    from pwa.shell import version

    default, own = make_app(), make_app(OwnOfficer)
    with default.app_context():
        before = version()
    with own.app_context():
        assert version() != before


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_page_says_the_log_names_a_report_by_its_code_only_while_it_exists(client, lang):
    page = text(client.get(f"/{lang}/privacy"))
    said = {
        "sv": "så länge rapporten finns ser administratören som läser loggen dess referenskod",
        "en": "while the report exists, the administrator reading the log sees its reference code",
    }
    assert said[lang] in page
    assert {"sv": "en gång per inloggning", "en": "once per log-in"}[lang] in page
