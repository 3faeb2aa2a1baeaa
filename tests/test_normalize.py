"""Values as written in news text become typed values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kg.normalize import parse_money, parse_quantity, parse_year, resolve_date

REF = dt.date(2022, 11, 4)  # a Friday


@pytest.mark.parametrize("text, amount, currency", [
    ("$26 billion", Decimal("26000000000"), "USD"),
    ("US$1.5 million", Decimal("1500000"), "USD"),
    ("₩3 trillion", Decimal("3000000000000"), "KRW"),
    ("26 billion dollars", Decimal("26000000000"), "USD"),
    ("€200", Decimal("200"), "EUR"),
    ("$7.5bn", Decimal("7500000000"), "USD"),
])
def test_money(text, amount, currency):
    money = parse_money(text)
    assert (money.amount, money.currency) == (amount, currency)


@pytest.mark.parametrize("text", ["lots", "26 billion", ""])
def test_not_money(text):
    with pytest.raises(ValueError):
        parse_money(text)


@pytest.mark.parametrize("text, amount, unit", [
    ("103 jets", 103, "jet"), ("30,000 units", 30000, "unit"), ("two carriers", 2, "carrier"),
    ("12 F-35 fighter jets", 12, "F-35 fighter jet"), ("5 batteries", 5, "battery"),
])
def test_quantity(text, amount, unit):
    q = parse_quantity(text)
    assert (q.amount, q.unit) == (amount, unit)


@pytest.mark.parametrize("text, expected, precision", [
    ("2022-11-04", "2022-11-04", "day"), ("last night", "2022-11-03", "day"), ("today", "2022-11-04", "day"),
    ("yesterday", "2022-11-03", "day"), ("tomorrow", "2022-11-05", "day"),
    ("this year", "2022-01-01", "year"), ("earlier this year", "2022-01-01", "year"),
    ("last year", "2021-01-01", "year"), ("last May", "2021-05-01", "month"), ("in April", "2022-04-01", "month"),
    ("Wednesday", "2022-11-02", "day"), ("on Thursday", "2022-11-03", "day"),
    ("April 26, 2023", "2023-04-26", "day"), ("11 July 2023", "2023-07-11", "day"), ("1953", "1953-01-01", "year"),
])
def test_dates(text, expected, precision):
    value = resolve_date(text, REF)
    assert value.value.isoformat() == expected and value.precision == precision


def test_relative_date_without_article_date_is_kept_as_text():
    value = resolve_date("this year", None)
    assert value.value is None and value.text == "this year"


@pytest.mark.parametrize("text", ["2022-13-45", "soonish", "next decade maybe"])
def test_not_dates(text):
    with pytest.raises(ValueError):
        resolve_date(text, REF)


def test_year():
    assert parse_year(1953).year == 1953
    with pytest.raises(ValueError):
        parse_year("53")


def test_spelled_out_and_estimated_counts():
    assert parse_quantity("Twenty-four K9 howitzers").amount == 24
    assert parse_quantity("ninety-six helicopters").amount == 96
    estimate = parse_quantity("almost a hundred AH-64E Apache attack helicopters")
    assert (estimate.amount, estimate.unit) == (100, "AH-64E Apache attack helicopter")
    assert estimate.text == "almost a hundred AH-64E Apache attack helicopters"  # the hedge stays in the text
    assert parse_quantity("around 80 support vehicles").amount == 80


def test_currencies_news_writes_by_code_symbol_and_name():
    from kg.normalize import MONEY_IN_TEXT

    for text, amount, currency in (("worth PLN 6.57 billion for", 6_570_000_000, "PLN"),
                                   ("a A$368 billion programme", 368_000_000_000, "AUD"),
                                   ("for 6.57 billion zlotys", 6_570_000_000, "PLN"),
                                   ("NOK 19 billion", 19_000_000_000, "NOK"),
                                   ("368 billion Australian dollars", 368_000_000_000, "AUD")):
        found = parse_money(MONEY_IN_TEXT.search(text).group(0).strip())
        assert (found.amount, found.currency) == (amount, currency), text


def test_singular_keeps_a_name_whole_and_drops_es_after_ch_in_words():
    from kg.normalize import singular
    assert singular("Apaches") == "Apache"
    assert singular("launches") == "launch"
    assert singular("batteries") == "battery"
    assert singular("jets") == "jet"


def test_money_spelled_out_in_words_and_in_us_dollars():
    from kg.normalize import MONEY_IN_TEXT, parse_money
    found = MONEY_IN_TEXT.search("Hanwha will invest an additional five billion U.S. dollars into its shipyard")
    assert found and parse_money(found.group(0)).amount == 5_000_000_000
    assert parse_money(found.group(0)).currency == "USD"
    assert parse_money("twenty-five billion euros").amount == 25_000_000_000
    assert MONEY_IN_TEXT.search("five hundred billion dollars") is None  # never "a hundred billion"
