import datetime as dt
from decimal import Decimal

import pytest

from sakip_checker.numbers import NumberFormatError, format_number, parse_date, parse_optional_number, parse_target


@pytest.mark.parametrize(("text", "value"), [
    ("1.234.567,89", "1234567.89"), ("3,49", "3.49"), ("95,22%", "95.22"), ("Rp 1.550.000.000", "1550000000"),
    ("Rp. 1.550.000.000,-", "1550000000"), ("- 7.912.100", "-7912100"), ("1.234.000", "1234000"), ("80,80", "80.80"),
    ("24 %", "24"), ("0,00001", "0.00001"), (17880000000, "17880000000"), (95.22, "95.22"), ("  12  ", "12"),
])
def test_indonesian_numbers_are_read_exactly(text, value):
    assert parse_optional_number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "-", "NIHIL", "nihil", None])
def test_empty_markers_are_none(text):
    assert parse_optional_number(text) is None


@pytest.mark.parametrize(("text", "value"), [
    # as printed in a real LKjIP (LKIP 2021 Biro Pemerintahan dan Kesra, notes section d)
    ("82.81 %", "82.81"), ("99.64", "99.64"), ("3.3", "3.3"), ("71.51", "71.51"), ("0.00%", "0.00"), ("87.50%", "87.50"),
    ("65,16%", "65.16"), ("353,842,000", "353842000"), ("1,234,567.89", "1234567.89"), ("1234.567", "1234.567"),
    ("1.193.209.000,-", "1193209000"), ("Rp. 1.193.209.000,-", "1193209000"), ("2.802.281.000 -", "2802281000"),
    ("0,-", "0"), ("20.160.770.750,00", "20160770750.00"), ("250,00", "250.00"), ("1234,567", "1234.567"),
])
def test_a_mark_that_cannot_group_thousands_is_a_decimal_mark(text, value):
    assert parse_optional_number(text) == Decimal(value)


@pytest.mark.parametrize(("text", "notation", "value"), [
    ("1.500", "indonesia", "1500"), ("1.500", "internasional", "1.500"), ("1,234", "indonesia", "1.234"),
    ("1,234", "internasional", "1234"), ("82.81", "indonesia", "82.81"), ("3,3", "internasional", "3.3"),
    ("1.234.567", "internasional", "1234567"), ("353,842,000", "indonesia", "353842000"),
])
def test_a_declared_notation_settles_what_is_ambiguous(text, notation, value):
    assert parse_optional_number(text, notation) == Decimal(value)


@pytest.mark.parametrize(("text", "value"), [("1.500", "1500"), ("1,500", "1500"), ("Rp 2.500", "2500"), ("250,00", "250.00")])
def test_a_rupiah_amount_has_no_three_decimals_so_one_group_is_thousands(text, value):
    assert parse_optional_number(text, rupiah=True) == Decimal(value)


@pytest.mark.parametrize(("text", "notation"), [("2.500,000", None), ("2.500,000", "indonesia"), ("1.500", "internasional"),
                                                ("1234.567", None), ("1,5000", None)])
def test_a_rupiah_amount_is_never_read_with_three_decimals(text, notation):
    with pytest.raises(NumberFormatError, match="Rupiah"):
        parse_optional_number(text, notation, rupiah=True)


@pytest.mark.parametrize(("text", "says"), [
    ("1.500", "bermakna ganda"), ("1,234", "bermakna ganda"), ("2,802.281.000", "mencampur"),
    ("1.234,567.8", "bukan angka"), ("1,234.567,000", "mencampur"), ("#DIV/0!", "galat spreadsheet"), ("abc", "bukan angka"),
    ("1.23.456", "kelompok tiga"), ("1,23,456", "kelompok tiga"), (True, "bukan angka"), ("1E+999999", "bukan angka"),
    ("1" * 19, "terlalu besar"), (Decimal("1E+999999"), "terlalu besar"), (Decimal("1E-999999999"), "desimal"),
    (10 ** 500, "terlalu besar"), ("1" * 100, "terlalu panjang"), (float("1e300"), "terlalu besar"),
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
        parse_target("2,802.281.000 Rupiah")
    with pytest.raises(NumberFormatError, match="bermakna ganda"):
        parse_target("1.500 Dokumen")


def test_a_target_reads_decimal_points_and_the_declared_notation():
    assert parse_target("99.64 Nilai").value == Decimal("99.64")
    assert parse_target("1.500 Dokumen", "indonesia").value == Decimal(1500)
    assert parse_target("3.500 - 4.000", "internasional").low == Decimal("3.5")
    assert parse_target("Rp 1.500").value == Decimal(1500)


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
    ("123", {}, "123"), ("1234", {}, "1.234"), ("999999999999999999.99", {"decimals": 2}, "999.999.999.999.999.999,99"),
    ("1234567890123456789012345678.5", {"decimals": 2}, "1.234.567.890.123.456.789.012.345.678,50"),
])
def test_format_number(value, kwargs, text):
    assert format_number(Decimal(value), **kwargs) == text
