"""Issue 8 items 2-4 on the real LKIP 2021 (examples/lkip-2021-biro-pemerintahan-kesra.yaml): which defects of
section c of the hand analysis (shared/data/lkip-2021-biro-pemerintahan-kesra.notes.md) in the budget,
efficiency and Pasal 27 areas the checker catches, by defect number -> rule and location; and that no finding
of these rules lands on a figure the notes verify as correct. Plus the arithmetic of the checks on small
tables (subtotals never counted twice, trends, declared methods)."""

from decimal import Decimal
from pathlib import Path

import pytest

from sakip_checker.checks.anggaran import efficiency
from sakip_checker.checks.perbandingan import describe, trend_holds
from sakip_checker.evaluate import evaluate
from sakip_checker.rules import load_catalogue
from sakip_checker.submission import build_submission, load_submission

ROOT = Path(__file__).resolve().parent.parent
LKIP = ROOT / "examples/lkip-2021-biro-pemerintahan-kesra.yaml"
CATALOGUE = load_catalogue()
OWN = {"LAP-014", "LAP-016", "LAP-017", "LAP-018", "LAP-027", "LAP-028", "LAP-029",
       *(f"LAP-0{n}" for n in range(50, 68))}

# defect of notes section c -> the findings (rule, location path) that show it
CAUGHT = {
    6: [("LAP-053", "lkjip.anggaran[116]"),   # Lampiran 1 Rp 20.160.770.750 vs body Rp 2.802.281.000 (L1097 / L124, L252)
        ("LAP-055", "lkjip.anggaran[116]")],  # the annex's programmes (Kesra 4.01.04 among them) serve no sasaran
    8: [("LAP-050", "lkjip.anggaran[0]")],    # BAB II total L124 vs its kegiatan with "Rp. 110.000,-" (L158)
    9: [("LAP-050", "lkjip.anggaran[54]"),    # Tabel 3.1 L286: the programme total on the kegiatan line
        ("LAP-050", "lkjip.anggaran[89]")],   # Tabel 8.4 L811: 243.250.500 leaves out item 2's Rp 141.000
    10: [("LAP-050", "lkjip.anggaran[88]")],  # Tabel 8.4 L810: 972.645.880 vs the kegiatan 972.645.380
    11: [("LAP-050", "lkjip.anggaran[75]"),   # Tabel 3.1 L312: items 36.702.000 + 131.803.000 != 168.702.000 ...
         ("LAP-050", "lkjip.anggaran[110]"),  # ... and the same in its copy Tabel 8.4 L837
         ("LAP-052", "lkjip.anggaran[76]"),   # L313: 82.536.000 / 36.702.000 = 224,88 %, printed 48,92
         ("LAP-052", "lkjip.anggaran[111]"),  # L838, the copy
         ("LAP-027", "lkjip.baris[22]")],     # the same figure as the LKjIP row of that output
    30: [("LAP-065", "lkjip")],               # Tabel 8.2 "2020" repeats this year's figures (L763-L764)
    31: [("LAP-016", f"lkjip.baris[{k}]") for k in range(35)],  # no Renstra end target anywhere
    32: [("LAP-017", f"lkjip.baris[{k}]") for k in range(35)]   # no national standard / RPJMN
        + [("LAP-018", f"lkjip.baris[{k}]") for k in range(35)],  # no peer
    36: [("LAP-057", "lkjip.baris[15]"),      # TU-5: 100 % on Rp 1.300.000 (2,95 %)
         ("LAP-057", "lkjip.baris[17]")],     # KSD-2: 100 % on Rp 141.000 (0,94 %)
    # placeholder sub-kegiatan with a Rp 250 pagu and output target 0 (L1100, L1110, L1112); the 1/1 outputs
    # whatever was spent (L1139, L1140) are not caught
    41: [("LAP-067", "lkjip.anggaran[119]"), ("LAP-067", "lkjip.anggaran[129]"), ("LAP-067", "lkjip.anggaran[131]")],
    # 4.01.01.1.01.06 and .07: Rp 9.100.000 each, realisasi 0,00, output 1/0, no keterangan (L1105, L1106)
    42: [("LAP-066", "lkjip.anggaran[124]"), ("LAP-066", "lkjip.anggaran[125]")],
    44: [("LAP-058", "lkjip.baris[31]"),      # OTDA-2: 0 % output, Rp 17.800.000 spent (L745, L832)
         ("LAP-059", "lkjip")],               # section 8.5 does no efficiency analysis (L783)
}
# Tabel 8.2 has previous-year values for the programme and kegiatan rows only: the 24 output rows have none
# (part of defect 30: there is no 2021-vs-2020 comparison at all).
PREVIOUS_YEAR_MISSING = [("LAP-014", f"lkjip.baris[{k}]") for k in range(11, 35)]


@pytest.fixture(scope="module")
def findings():
    sub, _ = load_submission(LKIP)
    report = evaluate(sub, CATALOGUE)
    return sorted((f.rule_id, f.location.path) for f in report.units() if f.rule_id in OWN)


@pytest.mark.parametrize("defect", sorted(CAUGHT))
def test_defect_is_caught(findings, defect):
    for expected in CAUGHT[defect]:
        assert expected in findings, (defect, expected)


def test_no_other_finding_of_these_rules(findings):
    """Every finding of the budget / efficiency / Pasal 27 rules is one of the defects above: none lands on a
    figure the notes verify (the Lampiran roll-ups, the body totals 2.802.281.000 and 1.825.878.250, every
    other budget percentage)."""
    expected = sorted({f for pairs in CAUGHT.values() for f in pairs} | set(PREVIOUS_YEAR_MISSING))
    assert findings == expected


def _report(lkjip: dict, **extra):
    data = {"profil": {"opd": "Biro Contoh", "tahun": 2023, "dokumen": ["indikator", "lkjip"]},
            "indikator": [{"id": "S1", "level": "sasaran", "uraian": "Sasaran", "nama": "Indeks A", "target": "3,4"}],
            "lkjip": {"tahun": 2023, **lkjip}, **extra}
    return evaluate(build_submission(data), CATALOGUE)


def _messages(report, rule):
    return [f.message for f in report.units() if f.rule_id == rule]


def test_subtotals_are_never_counted_twice():
    """A table total over a programme row left empty is the sum of its kegiatan, not the kegiatan plus a
    programme subtotal; a stated programme subtotal is summed instead of its children."""
    rows = [
        {"tabel": "T", "id": "1", "tingkat": "program"},
        {"tabel": "T", "id": "1.1", "induk": "1", "tingkat": "kegiatan", "pagu_murni": "100.000.000"},
        {"tabel": "T", "id": "1.1.1", "induk": "1.1", "tingkat": "sub_kegiatan", "pagu_murni": "60.000.000"},
        {"tabel": "T", "id": "1.1.2", "induk": "1.1", "tingkat": "sub_kegiatan", "pagu_murni": "40.000.000"},
        {"tabel": "T", "id": "2", "tingkat": "program", "pagu_murni": "50.000.000"},
        {"tabel": "T", "id": "2.1", "induk": "2", "tingkat": "kegiatan", "pagu_murni": "50.000.000"},
        {"tabel": "T", "tingkat": "jumlah", "pagu_murni": "150.000.000"},
    ]
    assert _messages(_report({"anggaran": rows}), "LAP-050") == []
    rows[-1] = {**rows[-1], "pagu_murni": "250.000.000"}
    (message,) = _messages(_report({"anggaran": rows}), "LAP-050")
    assert "Rp 250.000.000, jumlah rinciannya Rp 150.000.000 (Rp 100.000.000 lebih)" in message


def test_annex_finding_names_both_places():
    report = _report({"total_anggaran": "300.000.000", "anggaran": [
        {"tabel": "Tabel 3.1", "id": "1", "tingkat": "program", "pagu_murni": "300.000.000", "halaman": "hlm. 12"},
        {"tabel": "Lampiran 1", "sumber": "lampiran", "tingkat": "jumlah", "pagu_murni": "350.000.000,00",
         "halaman": "hlm. 40"}]})
    (message,) = _messages(report, "LAP-053")
    assert "Lampiran 1 baris jumlah (hlm. 40): Rp 350.000.000" in message
    assert "Tabel 3.1 (jumlah baris teratas): Rp 300.000.000" in message


def test_efficiency_is_recomputed_under_the_declared_method_only():
    pagu, real = Decimal("1550000000"), Decimal("1432187500")
    serapan = real / pagu * 100
    assert efficiency("capaian_dikurangi_serapan", Decimal("102.22"), serapan, pagu, real).quantize(
        Decimal("0.01")) == Decimal("9.82")
    assert efficiency("sisa_per_pagu", None, None, pagu, real).quantize(Decimal("0.01")) == Decimal("7.60")
    assert efficiency("biaya_per_output", None, None, None, Decimal("144000000"), output=Decimal(24)) == 6000000
    assert efficiency("tidak_ada", Decimal(100), serapan, pagu, real) is None
    row = {"indikator": "S1", "target": "3,4", "realisasi": "3,4", "anggaran": "100.000.000",
           "realisasi_anggaran": "90.000.000", "efisiensi": "10"}
    undeclared = _report({"baris": [row]})
    assert [f.outcome for f in undeclared.units() if f.rule_id == "LAP-028"] == ["unknown"]
    declared = _report({"baris": [row], "efisiensi": {"metode": "sisa_per_pagu"}})
    assert [f.rule_id for f in declared.findings if f.rule_id in ("LAP-028", "LAP-059")] == []
    wrong = _report({"baris": [{**row, "efisiensi": "9"}], "efisiensi": {"metode": "sisa_per_pagu"}})
    (message,) = _messages(wrong, "LAP-028")
    assert "(anggaran - realisasi anggaran) / anggaran x 100" in message


def test_tiny_share_threshold_is_a_pack_parameter():
    from sakip_checker.evaluate import effective_parameters
    row = {"indikator": "S1", "target": "3,4", "realisasi": "3,4", "anggaran": "100.000.000",
           "realisasi_anggaran": "8.000.000"}
    data = {"profil": {"opd": "Biro Contoh", "tahun": 2023, "dokumen": ["indikator", "lkjip"]},
            "indikator": [{"id": "S1", "level": "sasaran", "uraian": "Sasaran", "nama": "Indeks A", "target": "3,4"}],
            "lkjip": {"tahun": 2023, "baris": [row]}}
    sub = build_submission(data)
    assert [f.rule_id for f in evaluate(sub, CATALOGUE).units() if f.rule_id == "LAP-057"] == ["LAP-057"]
    params = effective_parameters(CATALOGUE, {"batas_serapan_kecil": "5"})
    assert [f.rule_id for f in evaluate(sub, CATALOGUE, params).findings if f.rule_id == "LAP-057"] == []


@pytest.mark.parametrize("claim,values,holds", [
    ("selalu_meningkat", ["1", "2", "3"], True), ("selalu_meningkat", ["1", "3", "2"], False),
    ("meningkat", ["1", "3", "2"], True), ("menurun", ["3", "1", "2"], True), ("selalu_menurun", ["3", "3", "1"], False),
    ("tetap", ["2", "2"], True), ("fluktuatif", ["1", "3", "2"], True), ("fluktuatif", ["1", "2", "3"], False),
])
def test_trend_claims(claim, values, holds):
    assert trend_holds(claim, [Decimal(v) for v in values]) is holds


def test_trend_description():
    assert describe([Decimal(1), Decimal(1), Decimal(2)]) == "meningkat (dengan tahun yang tetap)"
    assert describe([Decimal(3), Decimal(2)]) == "selalu menurun"
