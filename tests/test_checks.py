from decimal import Decimal as D

import pytest

from sakip_checker.checks.capaian import agrees, compute
from sakip_checker.checks.renaksi import classify_tw
from sakip_checker.checks.tabel_b2 import rate


@pytest.mark.parametrize(("value", "kontigu", "tegas"), [
    ("100", "Sangat tinggi", "Sangat tinggi"), ("91", "Sangat tinggi", "Sangat tinggi"),
    ("90.5", "Sangat tinggi", None), ("90", "Tinggi", "Tinggi"), ("76", "Tinggi", "Tinggi"),
    ("75.5", "Tinggi", None), ("75", "Sedang", "Sedang"), ("66", "Sedang", "Sedang"), ("65.01", "Sedang", None),
    ("65", "Rendah", "Rendah"), ("51", "Rendah", "Rendah"), ("50.5", "Rendah", None), ("50", "Sangat Rendah", "Sangat Rendah"),
    ("0", "Sangat Rendah", "Sangat Rendah"), ("-5", "Sangat Rendah", "Sangat Rendah"), ("100.01", "Sangat tinggi", None),
    ("250", "Sangat tinggi", None),
])
def test_tabel_b2_boundaries_and_gaps(value, kontigu, tegas):
    label, note = rate(D(value), "kontigu")
    assert label == kontigu
    inside_band = tegas is not None
    assert (note is None) == inside_band  # an interpretation is always stated for gaps and > 100 %
    label, note = rate(D(value), "tegas")
    assert label == tegas
    assert (note is None) == inside_band


def test_gap_note_says_what_was_applied():
    _, note = rate(D("90.5"), "kontigu")
    assert "celah (90-91)" in note and "Sangat tinggi" in note and "kontigu" in note


@pytest.mark.parametrize(("r", "t", "pol", "expected"), [
    ("3.46", "3.20", "positif", "108.125"), ("6.24", "6.00", "negatif", "96"), ("5.00", "6.00", "negatif", "116.6666666666666666666666667"),
])
def test_capaian_with_polarity(r, t, pol, expected):
    assert compute(D(r), D(t), pol) == D(expected)


def test_capaian_zero_target_is_not_computable():
    assert compute(D(1), D(0), "positif") is None


@pytest.mark.parametrize(("stated", "computed", "ok"), [
    ("108,13", "108.125", True), ("108,12", "108.125", False), ("108", "108.125", True), ("108,1", "108.125", True),
    ("100", "99.5", True), ("99", "99.5", False),
])
def test_stated_capaian_compared_at_printed_precision(stated, computed, ok):
    assert agrees(D(stated.replace(",", ".")), D(computed)) is ok


@pytest.mark.parametrize(("tw", "target", "mode", "rounded"), [
    (["24", "10", "46", "20"], "100", "bagian", False),
    (["20.00", "13.33", "33.33", "33.33"], "100", "bagian", True),
    (["25.64", "29.43", "22.47", "22.47"], "100", "bagian", True),
    (["21", "27", "24", "27"], "100", None, False),
    (["10", "40", "70", "100"], "24", "kumulatif", False),
    (["6", "6", "6", "6"], "24", "absolut", False),
    (["6", "12", "18", "24"], "24", "absolut kumulatif", False),
    (["6", "6", "6", "5"], "24", None, False),
])
def test_quarterly_modes(tw, target, mode, rounded):
    got_mode, _, got_rounded = classify_tw([D(x) for x in tw], D(target))
    assert (got_mode, got_rounded) == (mode, rounded)


@pytest.mark.parametrize(("raw", "read"), [
    ("4", ("4", "urusan")), ("4.01", ("4.01", "bidang")), ("04.01.01", ("4.01.01", "program")),
    ("40101201", ("4.01.01.2.01", "kegiatan")), ("4010120101", ("4.01.01.2.01.01", "sub_kegiatan")),
    ("401012010001", ("4.01.01.2.01.0001", "sub_kegiatan")), ("4.01.01.2.01.01", ("4.01.01.2.01.01", "sub_kegiatan")),
    ("4.01.02.2.02.001", None), ("4.1.1", None), ("4.01.01.2", None), ("4 1 1", None), ("", None), (None, None),
])
def test_permendagri_90_codes_read_with_or_without_dots(raw, read):
    from sakip_checker.checks.renja import read_code

    assert read_code(raw) == read


def _pk(ident, jenis, tanggal, indicators):
    from sakip_checker.model import PerjanjianKinerja

    return PerjanjianKinerja.model_validate({"id": ident, "jabatan": "J", "jenis": jenis, "tahun": 2023, "tanggal": tanggal,
                                             "indikator": [{"indikator": i, "target": "1"} for i in indicators]})


def test_pk_in_force_month_by_month():
    from sakip_checker.checks.bulanan import pk_by_month
    from sakip_checker.model import Submission

    def months(*pks):
        sub = Submission.model_construct(profil=type("P", (), {"tahun": 2023})(), perjanjian_kinerja=list(pks))
        return [p.id if p else None for p in pk_by_month(sub)["J"]]

    murni, october = _pk("M", "murni", "2023-02-10", ["K1"]), _pk("P", "perubahan", "2023-10-02", ["K1", "K2"])
    assert months(murni, october) == ["M"] * 9 + ["P"] * 3  # murni from January even if signed in February
    assert months(murni, _pk("X", "perubahan", None, ["K1"])) == [None] * 12  # an undated perubahan: unplaceable
