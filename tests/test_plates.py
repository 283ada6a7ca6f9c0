"""Registration numbers: normalised, and checked against each country's format."""

import pytest

from pwa.reports.plates import COUNTRIES, is_valid, normalise


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("abc 123", "ABC123"),
        (" ABC-12a ", "ABC12A"),
        ("ab–12\u00a0345", "AB12345"),
        ("b-ab 1234", "BAB1234"),
        ("åäö", "ÅÄÖ"),
    ],
)
def test_normalise(typed, normalised):
    assert normalise(typed) == normalised


VALID = {
    "SE": ["ABC123", "ABC12A", "XYZ99Z", "KALLE", "MAMMA1", "AB", "1A", "ÅSA", "BÅTEN7"],
    "FI": ["ABC123", "AB1", "A12", "ÅÄÖ999"],
    "NO": ["AB12345", "EL1234"],
    "DK": ["AB12345"],
    "DE": ["BAB1234", "MXY12E", "HHAB123", "KAA1H"],
    "PL": ["WA12345", "KR1234A", "WPI12345", "WE123AB"],
    "LT": ["ABC123"],
    "LV": ["AB1234", "AB1"],
    "EE": ["123ABC"],
    "other": ["X1", "AB123CD", "1234567890", "ÆØÅ12"],
}
INVALID = {
    "SE": [
        "ABI123",  # I is never used
        "QBC123",
        "ABV123",
        "ÅBC123",
        "ABÖ123",
        "ABC12O",  # the last letter is never O
        "ABC12I",
        "A",  # personal plates have 2–7 characters
        "ABCDEFGH",
        "123",  # and at least one letter
        "1234567",
    ],
    "FI": ["ABCD123", "ABC", "1234"],
    "NO": ["AB123", "ABC1234", "1234567"],
    "DK": ["AB1234", "ABC12345"],
    "DE": ["B", "1234", "BABCDEF1", "BAB12345", "BAB1234EE"],
    "PL": ["WABCDE", "W12345", "WA123", "WA1234567"],
    "LT": ["AB1234", "ABC12"],
    "LV": ["ABC123", "AB12345"],
    "EE": ["ABC123", "12ABC"],
    "other": ["X", "ABCDEFGHIJK"],
}


@pytest.mark.parametrize(
    ("country", "plate"), [(c, p) for c, plates in VALID.items() for p in plates]
)
def test_valid_plates(country, plate):
    assert is_valid(country, plate)


@pytest.mark.parametrize(
    ("country", "plate"), [(c, p) for c, plates in INVALID.items() for p in plates]
)
def test_invalid_plates(country, plate):
    assert not is_valid(country, plate)


def test_every_country_has_cases():
    assert set(VALID) == set(INVALID) == set(COUNTRIES)


@pytest.mark.parametrize("plate", ["A", "AB1", "ABI123", "1", "ÅÄÖ", "1234567890"])
def test_an_uncertain_plate_skips_the_format_check(plate):
    assert not is_valid("SE", plate) or plate in ("AB1", "ÅÄÖ")
    assert is_valid("SE", plate, uncertain=True)


@pytest.mark.parametrize("plate", ["", "AB#1", "AB 1", "ab1", "12345678901", "AB_1", "ЖЖЖ1"])
def test_even_an_uncertain_plate_is_1_to_10_letters_or_digits(plate):
    assert not is_valid("SE", plate, uncertain=True)
    assert not is_valid("other", plate, uncertain=True)


def test_an_unknown_country_is_refused():
    assert not is_valid("US", "ABC123")
    assert not is_valid("US", "ABC123", uncertain=True)
