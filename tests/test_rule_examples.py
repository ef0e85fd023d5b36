"""Every rule's own examples, run through the whole pipeline (facts -> checks -> durable-rules).

A fail/unknown example must produce exactly the listed locations for its rule, a pass example none;
every example must evaluate at least one unit of the rule, so that a pass cannot be vacuous.
`pytest -k UKR-005` runs one rule.
"""

import pytest

from sakip_checker.evaluate import effective_parameters, evaluate
from sakip_checker.rules import load_catalogue
from sakip_checker.submission import build_submission, example_data

CATALOGUE = load_catalogue()
CASES = [(cr.rule.id, ex) for cr in CATALOGUE.rules for ex in cr.rule.examples]


def _data(rule_id, example):
    """The example's submission. A rule bound to reference data of a period (pack.yaml reference_periods,
    e.g. Lampiran A: 2017-2022) is not evaluated outside it, so its examples, written on the 2023 bases, run
    in the period's last year (tests/test_pack_years.py shows the rule silent outside the period)."""
    data = example_data(CATALOGUE.root, example.base, example.input)
    for period in CATALOGUE.pack.reference_periods.values():
        if rule_id in period.rules and not period.from_year <= data["profil"]["tahun"] <= period.to_year:
            data = {**data, "profil": {**data["profil"], "tahun": period.to_year}}
    return data


@pytest.mark.parametrize(("rule_id", "example"), CASES, ids=[f"{rid}:{ex.name}" for rid, ex in CASES])
def test_rule_example(rule_id, example):
    data = _data(rule_id, example)
    submission = build_submission(data)
    report = evaluate(submission, CATALOGUE, effective_parameters(CATALOGUE, example.parameters))
    got = sorted((f.outcome, f.location.path) for f in report.units() if f.rule_id == rule_id)
    want = sorted((example.expect, f.at) for f in example.findings)
    assert got == want
    coverage = next(c for c in report.coverage if c.rule_id == rule_id)
    assert coverage.evaluated >= 1, "the example evaluates no unit of this rule"
    assert coverage.failed + coverage.unknown == len(got)


FAILING = [(rid, ex) for rid, ex in CASES if ex.expect != "pass"]


@pytest.mark.parametrize(("rule_id", "example"), FAILING, ids=[f"{rid}:{ex.name}" for rid, ex in FAILING])
def test_every_finding_renders_in_every_format(rule_id, example):
    """Each rule's findings, whatever document they point at, appear in every text report format."""
    from sakip_checker.reports.formats import render

    data = _data(rule_id, example)
    report = evaluate(build_submission(data), CATALOGUE, effective_parameters(CATALOGUE, example.parameters))
    for fmt in ("markdown", "csv", "checklist", "html", "checklist-html"):
        text = render(report, fmt)
        assert rule_id in text, fmt


@pytest.mark.parametrize(("capaian", "rule_id"), [("50", "EVA-001"), ("90", "LAP-025")])
def test_a_row_below_target_without_improvement_is_one_finding(capaian, rule_id):
    """LAP-025 and EVA-001 share the defect (no improvement step, Pasal 29 ayat (1)); a row rated Rendah or
    Sangat Rendah is reported by EVA-001 with its Tabel B.2 class, any other row below target by LAP-025."""
    row = {"indikator": "P1", "target": "90%", "realisasi": str(int(capaian) * 9 // 10), "capaian": capaian}
    data = example_data(CATALOGUE.root, "lengkap", {"lkjip": {"tahun": 2023, "tanggal": "2024-02-20", "baris": [row]}})
    report = evaluate(build_submission(data), CATALOGUE)
    assert [f.rule_id for f in report.units() if f.location.path == "lkjip.baris[0]"
            and f.rule_id in ("EVA-001", "LAP-025")] == [rule_id]


def test_code_shape_is_not_judged_before_permendagri_90_2019():
    """REN-013 reads codes in the Permendagri 90/2019 shape from 2021 on; an earlier Renja is not evaluated
    (skipped, not passed: its nomenclature was another)."""
    row = {"kode": "40101101", "uraian": "Penyusunan Dokumen Perencanaan Perangkat Daerah", "indikator": "Jumlah dokumen",
           "target_renja": "5 Dokumen", "target_rka": "5 Dokumen", "dana_renja": "Rp 150.000.000",
           "dana_rka": "Rp 150.000.000", "kesesuaian": "ya"}
    for year, judged in ((2020, False), (2023, True)):
        data = example_data(CATALOGUE.root, "minimal", {"profil": {"opd": "Biro Contoh", "tahun": year}, "renja": [row]})
        cov = next(c for c in evaluate(build_submission(data), CATALOGUE).coverage if c.rule_id == "REN-013")
        assert (cov.evaluated == 1, cov.skipped == 1) == (judged, not judged)
