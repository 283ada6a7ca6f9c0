import re

import pytest

from pwa.i18n import LANGUAGES
from pwa.public import checklist


def texts_in(app, lang):
    with app.test_request_context(f"/{lang}/checklist"):
        return {item.id: (str(item.title), str(item.why)) for item in checklist.ITEMS}


def test_the_catalogue_has_20_to_25_items_with_stable_unique_ids():
    ids = [item.id for item in checklist.ITEMS]
    assert 20 <= len(ids) <= 25
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", id) for id in ids)


def test_every_season_has_items_and_every_item_a_season():
    seasons = {season.id for season in checklist.SEASONS}
    assert seasons == {"all-year", "spring", "summer", "autumn", "winter"}
    assert {item.season for item in checklist.ITEMS} == seasons
    grouped = checklist.by_season()
    assert grouped[0][0] is checklist.ALL_YEAR
    assert sum(len(items) for _, items in grouped) == len(checklist.ITEMS)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_item_has_a_title_and_a_why_in_every_language(app, lang):
    for id, (title, why) in texts_in(app, lang).items():
        assert len(title) > 10, id
        assert len(why) > 40 and why.endswith("."), id


def test_swedish_differs_from_english_for_every_item(app):
    english, swedish = texts_in(app, "en"), texts_in(app, "sv")
    for id in english:
        assert swedish[id][0] != english[id][0], id
        assert swedish[id][1] != english[id][1], id


def test_every_month_belongs_to_exactly_one_season():
    months = [month for season in checklist.SEASONS for month in season.months]
    assert sorted(months) == list(range(1, 13))
    assert checklist.season_of(1).id == "winter"
    assert checklist.season_of(5).id == "spring"
    assert checklist.season_of(7).id == "summer"
    assert checklist.season_of(10).id == "autumn"


def test_the_issue_s_advice_is_in_the_catalogue(app):
    titles = " ".join(title for title, _ in texts_in(app, "en").values())
    for words in ["CIN", "serial number", "Photograph", "DNA", "sticker", "insurer", "tracker",
                  "trailer", "kill cord", "pontoon", "August", "indoors", "lit", "late autumn",
                  "boat card", "112", "114 14"]:  # fmt: skip
        assert words in titles, words
