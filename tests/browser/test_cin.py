"""The hull identification number check (static/js/cin.js), run in real Chromium."""

import pytest


@pytest.fixture(scope="module")
def cin_page(browser, live_server):
    context = browser.new_context(base_url=live_server, service_workers="block")
    page = context.new_page()
    page.goto("/en/boat-card")
    yield page
    context.close()


def check(page, value):
    return page.evaluate(
        "async (value) => (await import('/static/js/cin.js')).checkCin(value)", value
    )


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("SE-ABC12345D404", "SE-ABC12345D404"),
        ("SEABC12345D404", "SE-ABC12345D404"),
        ("se-abc12345d404", "SE-ABC12345D404"),
        (" SE-ABC 12345 D4 04 ", "SE-ABC12345D404"),
        ("GB-ABC00042-A3-99", "GB-ABC00042A399"),
        ("FI-X9Z0A0B1L119", "FI-X9Z0A0B1L119"),
        ("US-CTYT0906I405", "US-CTYT0906I405"),
    ],
)
def test_valid_numbers_are_given_in_their_printed_form(cin_page, typed, printed):
    assert check(cin_page, typed) == {"cin": printed}


@pytest.mark.parametrize(
    ("typed", "problems"),
    [
        ("SE-ABC12345D40", [{"part": "length", "typed": "SEABC12345D40", "count": 13}]),
        ("SE-ABC12345D4045", [{"part": "length", "typed": "SEABC12345D4045", "count": 15}]),
        ("", [{"part": "length", "typed": "", "count": 0}]),
        ("SE-ÅBC12345D404", [{"part": "characters", "typed": "Å"}]),
        ("SE/ABC.12345D404", [{"part": "characters", "typed": "/ ."}]),
        ("S1-ABC12345D404", [{"part": "country", "typed": "S1"}]),
        ("SE-ABC12345M404", [{"part": "month", "typed": "M"}]),
        ("SE-ABC12345DX04", [{"part": "year", "typed": "X"}]),
        ("SE-ABC12345D4O4", [{"part": "modelYear", "typed": "O4"}]),
        (
            "12-ABC12345Z4AB",
            [
                {"part": "country", "typed": "12"},
                {"part": "month", "typed": "Z"},
                {"part": "modelYear", "typed": "AB"},
            ],
        ),
        ("ABC12345D404", [{"part": "noCountry", "typed": "ABC12345D404"}]),
    ],
)
def test_a_wrong_number_says_which_part_is_wrong(cin_page, typed, problems):
    assert check(cin_page, typed) == {"problems": problems}


def test_the_groups_for_reading_aloud(cin_page):
    groups = cin_page.evaluate(
        "async () => (await import('/static/js/cin.js')).cinGroups('SE-ABC12345D404')"
    )
    assert groups == ["SE", "ABC", "12345", "D4", "04"]
