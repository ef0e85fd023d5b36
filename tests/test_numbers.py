import datetime as dt
from decimal import Decimal

import pytest

from engine.numbers import NumberFormatError, format_number, parse_date, parse_optional_number, parse_target


@pytest.mark.parametrize(("text", "value"), [
    ("1.234.567,89", "1234567.89"), ("3,49", "3.49"), ("95,22%", "95.22"), ("Rp 1.550.000.000", "1550000000"),
    ("Rp. 1.550.000.000,-", "1550000000"), ("- 7.912.100", "-7912100"), ("1.234", "1234"), ("80,80", "80.80"),
    ("24 %", "24"), ("0,00001", "0.00001"), (17880000000, "17880000000"), (95.22, "95.22"), ("  12  ", "12"),
])
def test_indonesian_numbers_are_read_exactly(text, value):
    assert parse_optional_number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "-", "NIHIL", "nihil", None])
def test_empty_markers_are_none(text):
    assert parse_optional_number(text) is None


@pytest.mark.parametrize(("text", "says"), [
    ("99.64", "titik"), ("1,234,567", "bahasa Inggris"), ("#DIV/0!", "galat spreadsheet"), ("abc", "bukan angka"),
    ("1.23.456", "bukan angka"), (True, "bukan angka"),
])
def test_ambiguous_or_malformed_numbers_are_errors_not_guesses(text, says):
    with pytest.raises(NumberFormatError, match=says):
        parse_optional_number(text)


@pytest.mark.parametrize(("text", "kind", "value", "unit"), [
    ("60 Nilai", "angka", "60", "Nilai"), ("100%", "angka", "100", "%"), ("3,49", "angka", "3.49", None),
    ("70-80 Nilai", "rentang", None, "Nilai"), ("70 -80", "rentang", None, None), ("100 % 100%", "ganda", "100", "%"),
    ("WTP", "teks", None, "WTP"), ("", "kosong", None, None), ("Rp 1.000", "angka", "1000", "Rp"),
    ("- 2,5 %", "angka", "-2.5", "%"), (24, "angka", "24", None),
])
def test_targets_keep_their_defects(text, kind, value, unit):
    target = parse_target(text)
    assert target.kind == kind
    assert target.value == (Decimal(value) if value else None)
    assert target.unit == unit


def test_range_bounds():
    target = parse_target("70-80 Nilai")
    assert (target.low, target.high) == (Decimal(70), Decimal(80))


def test_malformed_number_inside_a_target_is_an_error():
    with pytest.raises(NumberFormatError):
        parse_target("99.64 Nilai")


@pytest.mark.parametrize(("text", "date"), [
    ("2023-01-20", dt.date(2023, 1, 20)), ("20 Februari 2026", dt.date(2026, 2, 20)), ("5 Nopember 2023", dt.date(2023, 11, 5)),
    ("20/02/2026", dt.date(2026, 2, 20)), ("", None),
])
def test_dates(text, date):
    assert parse_date(text) == date


@pytest.mark.parametrize("text", ["31 Februari 2023", "20 Brumaire 2023", "Serang, ____ 2023"])
def test_bad_dates(text):
    with pytest.raises(NumberFormatError):
        parse_date(text)


@pytest.mark.parametrize(("value", "kwargs", "text"), [
    ("1550000000", {}, "1.550.000.000"), ("95.22", {}, "95,22"), ("20.00", {"as_printed": True}, "20,00"),
    ("20.00", {}, "20"), ("-7912100", {}, "-7.912.100"), ("108.125", {"decimals": 2}, "108,13"), ("0.00001", {}, "0,00001"),
])
def test_format_number(value, kwargs, text):
    assert format_number(Decimal(value), **kwargs) == text
