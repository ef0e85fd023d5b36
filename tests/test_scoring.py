"""The compliance index (engine/scoring.py): unknowns and unassessed rules leave the denominators, grade
bands only above the pack's coverage threshold, the weights of the year from the pack; Tabel B.2 never
rates a target of 0."""

from decimal import Decimal as D

import pytest

from sakip_checker.checks.capaian import capaian_of
from sakip_checker.checks.tabel_b2 import ZERO_TARGET
from sakip_checker.evaluate import RuleCoverage, evaluate
from sakip_checker.pack import BobotTahun, Penilaian
from sakip_checker.scoring import grade_of, score
from sakip_checker.submission import build_submission, example_data


def cov(rule_id, component, severity, passed, failed=0, unknown=0, applicable=True):
    return RuleCoverage(rule_id=rule_id, component=component, severity=severity, title="t",
                        evaluated=passed + failed + unknown, passed=passed, failed=failed, unknown=unknown,
                        applicable=applicable)


def full(component):  # one assessed rule at 100 %
    return cov(f"X-{component}", component, "error", 1)


def test_component_and_overall_scores():
    scores = score([
        cov("REN-001", "perencanaan", "error", 1),           # 1,0  weight 3
        cov("REN-002", "perencanaan", "warning", 1, 3),      # 0,25 weight 2 -> (3 + 0,5) / 5 = 70 %
        cov("UKR-001", "pengukuran", "error", 10),           # 100 %
        cov("UKR-002", "pengukuran", "info", 0),             # assessed nothing: left out, but applicable
        cov("LAP-001", "pelaporan", "error", 0, 2),          # 0 %
    ], year=2023)
    by = {s.component: s for s in scores.components}
    assert (by["perencanaan"].score, by["pengukuran"].score, by["pelaporan"].score) == ("70.00", "100.00", "0.00")
    assert by["evaluasi"].score is None and by["pengukuran"].rules_evaluated == 1
    assert by["pengukuran"].rules_applicable == 2 and by["pengukuran"].coverage == "75.00"  # 3 of 4
    # evaluasi is not assessed: no overall figure (68 over the other three would pass for the whole)
    assert (scores.overall, scores.grade) == (None, None)
    assert scores.grade_withheld == "komponen tanpa aturan yang dapat dinilai: evaluasi"
    scores = score([*(cov(r.rule_id, r.component, r.severity, r.passed, r.failed) for r in [
        cov("REN-001", "perencanaan", "error", 1), cov("REN-002", "perencanaan", "warning", 1, 3),
        cov("UKR-001", "pengukuran", "error", 10), cov("LAP-001", "pelaporan", "error", 0, 2)]),
        cov("EVA-001", "evaluasi", "error", 0, 1), cov("EVA-002", "evaluasi", "error", 0)], year=2023)
    # (30 x 70 + 30 x 100 + 15 x 0 + 25 x 0) / 100 = 51; evaluasi covers 50 %: bands shown
    assert (scores.overall, scores.grade, scores.grade_withheld) == ("51.00", "CC", None)
    assert (by["perencanaan"].grade, by["pengukuran"].grade, by["pelaporan"].grade) == ("B", "AA", "D")
    assert "bukan nilai resmi" in scores.note and scores.label == "Indeks kepatuhan dokumen"
    assert scores.weights_source == "PermenPANRB 88/2021"


def test_unknown_units_leave_the_denominator_and_are_counted():
    # 1 passed, 1 failed, 8 unknown: 50 %, not 10 %
    scores = score([cov("UKR-001", "pengukuran", "error", 1, 1, 8)], year=2023)
    by = {s.component: s for s in scores.components}
    assert (by["pengukuran"].score, by["pengukuran"].units_unknown) == ("50.00", 8)


def test_a_rule_with_only_unknown_units_is_not_assessed():
    """Kota Serang: one unknown (the city is not in Tabel A.2) must not make Pengukuran 0 %."""
    scores = score([cov("REN-001", "perencanaan", "error", 7, 3), cov("UKR-035", "pengukuran", "error", 0, 0, 1)],
                   year=2023)
    by = {s.component: s for s in scores.components}
    assert by["pengukuran"].score is None and by["pengukuran"].units_unknown == 1
    assert by["perencanaan"].score == "70.00" and scores.overall is None and scores.grade is None


def test_grade_bands_need_coverage_in_every_component():
    graded = score([full(c) for c in ("perencanaan", "pengukuran", "pelaporan", "evaluasi")], year=2023)
    assert (graded.overall, graded.grade, graded.grade_withheld) == ("100.00", "AA", None)
    # evaluasi: 1 of 3 errors assessed (33 % < 50 %): no band for it, none overall
    partial = score([full(c) for c in ("perencanaan", "pengukuran", "pelaporan", "evaluasi")]
                    + [cov("EVA-9", "evaluasi", "error", 0), cov("EVA-8", "evaluasi", "error", 0)], year=2023)
    by = {s.component: s for s in partial.components}
    assert (by["evaluasi"].coverage, by["evaluasi"].grade, partial.grade) == ("33.33", None, None)
    # a rule whose scope excluded every unit is not applicable: it does not lower the coverage
    applicable = score([full(c) for c in ("perencanaan", "pengukuran", "pelaporan", "evaluasi")]
                       + [cov("EVA-9", "evaluasi", "error", 0, applicable=False)], year=2023)
    assert applicable.grade == "AA"


def test_the_threshold_and_the_weights_of_the_year_come_from_the_pack():
    rules = [full(c) for c in ("perencanaan", "pengukuran", "pelaporan")] + [cov("EVA-1", "evaluasi", "error", 0, 1),
                                                                            cov("EVA-2", "evaluasi", "error", 0)]
    strict = Penilaian(cakupan_minimum=60)
    assert score(rules, strict, 2023).grade is None  # evaluasi 50 % < 60 %
    assert score(rules, Penilaian(cakupan_minimum=50), 2023).grade == "BB"  # (30+30+15) x 100 / 100 = 75
    two = Penilaian(bobot=(BobotTahun(dari_tahun=2018, sampai_tahun=2020, sumber="PermenPANRB 12/2015",
                                      komponen={"perencanaan": 30, "pengukuran": 25, "pelaporan": 15, "evaluasi": 10}),
                           BobotTahun(dari_tahun=2021, sumber="PermenPANRB 88/2021",
                                      komponen={"perencanaan": 30, "pengukuran": 30, "pelaporan": 15, "evaluasi": 25})))
    assert score(rules, two, 2019).weights_source == "PermenPANRB 12/2015"
    # (30 x 100 + 25 x 100 + 15 x 100 + 10 x 0) / 80 = 87.50
    assert score(rules, two, 2019).overall == "87.50"
    assert score(rules, two, 2023).components[3].weight == 25
    none = score(rules, Penilaian(), 2019)  # the pack has no weights before 2021
    assert none.overall is None and none.grade is None and "2019" in none.grade_withheld
    assert none.components[0].score == "100.00"


@pytest.mark.parametrize(("value", "grade"), [("90.01", "AA"), ("90", "A"), ("80.5", "A"), ("70", "B"), ("50.01", "CC"),
                                              ("30.01", "C"), ("30", "D"), ("0", "D")])
def test_grade_bands(value, grade):
    assert grade_of(D(value)) == grade


def test_the_band_is_taken_from_the_printed_value():
    # 22,501 of 25,000 = 90.004 %, printed 90.00: that is A (> 80), not AA (> 90)
    rules = [cov(c, c, "error", 22501, 2499) for c in ("perencanaan", "pengukuran", "pelaporan", "evaluasi")]
    scores = score(rules, year=2023)
    assert (scores.overall, scores.grade, scores.components[0].grade) == ("90.00", "A", "A")


def test_no_assessed_rule_gives_no_score():
    assert score([cov("REN-001", "perencanaan", "error", 0)], year=2023).overall is None


def test_the_pack_states_its_weights(catalogue):
    penilaian = catalogue.pack.penilaian
    assert penilaian.weights_for(2023).komponen == {"perencanaan": 30, "pengukuran": 30, "pelaporan": 15, "evaluasi": 25}
    assert penilaian.weights_for(2019) is None and penilaian.cakupan_minimum == 50
    assert "Pergub" in penilaian.kerangka


# -- Tabel B.2: a target of 0 -------------------------------------------------------------------------

@pytest.mark.parametrize("fields", [
    {"target_acuan": D(0), "realisasi": D(0), "capaian": D(100)},  # 0 of 0 stated as 100 %
    {"target_jenis": "angka", "target": D(0), "capaian": D(100)},  # no realisasi: the row's own target
    {"target_acuan": D("0.00"), "realisasi": D(5), "capaian": D(100)},
])
def test_a_target_of_zero_has_no_capaian(fields):
    assert capaian_of(fields) is None


def test_a_target_of_zero_is_never_rated_in_tabel_b2(catalogue):
    data = example_data(catalogue.root, "minimal", {})
    lap = data.setdefault("laporan_bulanan", [])
    report = evaluate(build_submission(data), catalogue)
    assert report  # the base evaluates
    ind = next(i for i in data["indikator"] if i.get("level") != "tujuan")
    for pk in data.get("perjanjian_kinerja", []):
        for row in pk.get("indikator", []):
            if row["indikator"] == ind["id"]:
                row["target"] = "0"
    ind["target"] = "0"
    lap.append({"bulan": 1, "tahun": data["profil"]["tahun"], "tanggal_kirim": f"{data['profil']['tahun']}-02-05",
                "capaian": [{"indikator": ind["id"], "realisasi": "0", "capaian": "100"}]})
    report = evaluate(build_submission(data), catalogue)
    rating = next(r for r in report.ratings if r.path.startswith("laporan_bulanan"))
    assert (rating.capaian, rating.peringkat, rating.catatan) == ("-", None, ZERO_TARGET)
