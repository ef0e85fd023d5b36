"""Regulation by year: the pack is chosen by profil.tahun and the packs' years of force; outside them every
report says so; --paket chooses; reference data bound to a period (Lampiran A: RPJMD 2017-2022) judges only
submissions of that period. A second regulation (tests/packs/pergub-uji-2030) loads and runs without an
engine change."""

from __future__ import annotations

import copy
import io
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from sakip_checker.cli import main
from sakip_checker.evaluate import effective_parameters, evaluate
from sakip_checker.inputs import InputProblem, read_document
from sakip_checker.pack import pack_for_year, pack_years
from sakip_checker.rules import RULES_ROOT, load_catalogue
from sakip_checker.submission import build_submission, example_data, load_submission
from sakip_checker.reports.formats import render

ROOT = Path(__file__).resolve().parent.parent
PACKS = ROOT / "tests/packs"
UJI = PACKS / "pergub-uji-2030"
BERSIH = ROOT / "examples/biro-contoh-bersih-2023.yaml"
LAMPIRAN_RULES = {"UKR-033", "UKR-034", "UKR-035", "UKR-036", "UKR-037", "UKR-040", "UKR-044"}


@pytest.fixture(scope="module")
def uji():
    return load_catalogue(PACKS, "pergub-uji-2030")


@pytest.fixture()
def both(tmp_path):
    """A rules root holding the bundled pack and the test pack."""
    shutil.copytree(RULES_ROOT / "pergub-banten-42-2018", tmp_path / "pergub-banten-42-2018")
    shutil.copytree(UJI, tmp_path / "pergub-uji-2030")
    return tmp_path


def _bersih(year: int, tmp_path: Path) -> Path:
    text = BERSIH.read_text(encoding="utf-8").replace("tahun: 2023", f"tahun: {year}")
    path = tmp_path / f"bersih-{year}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("year", "expected"), [
    (2018, "pergub-banten-42-2018"), (2023, "pergub-banten-42-2018"), (2025, "pergub-banten-42-2018"),
    (2026, "pergub-uji-2030"),  # 3 years after 42/2018, 3 before the test pack: the later wins a tie
    (2029, "pergub-uji-2030"), (2040, "pergub-uji-2030"), (2010, "pergub-banten-42-2018"),
])
def test_the_pack_in_force_or_the_nearest(both, year, expected):
    assert pack_for_year(both, year) == expected


def test_a_root_with_one_pack_always_gives_it():
    assert pack_for_year(RULES_ROOT, 2030) == "pergub-banten-42-2018"
    assert pack_for_year(PACKS, 2020) == "pergub-uji-2030"


def test_in_force_year_has_no_year_notice(catalogue):
    status = pack_years(catalogue.pack, 2018, "tahun")
    assert status.in_force and status.notices == []


def test_year_outside_the_pack_is_said_in_every_format(tmp_path):
    path = _bersih(2026, tmp_path)
    out = tmp_path / "r.json"
    assert main(["check", str(path), "--format", "json", "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["pack"].startswith("pergub-banten-42-2018")
    years = data["pack_years"]
    assert years["in_force"] is False and years["chosen_by"] == "tahun" and years["pack_years"] == "2018-2023"
    assert "2026 berada di luar masa berlaku Pergub Banten 42/2018 (2018-2023)" in years["notices"][0]
    assert "terdekat" in years["notices"][0]
    sub, doc = load_submission(path)
    cat = load_catalogue()
    cat.chosen_by = "tahun"
    report = evaluate(sub, cat, None, doc)
    for fmt in ("markdown", "html", "checklist", "checklist-html", "csv"):
        text = render(report, fmt)
        assert "berada di luar masa berlaku Pergub Banten 42/2018" in text, fmt
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(render(report, "xlsx")))
    summary = [str(c.value) for row in wb["Ringkasan"].iter_rows() for c in row if c.value]
    assert any("berada di luar masa berlaku" in v for v in summary)


def test_explicit_paket_outside_its_years_says_it_was_chosen(tmp_path, capsys):
    path = _bersih(2030, tmp_path)
    assert main(["check", str(path), "--paket", "pergub-banten-42-2018", "--format", "json"]) == 0
    years = json.loads(capsys.readouterr().out)["pack_years"]
    assert years["chosen_by"] == "paket" and not years["in_force"]
    assert "dipilih dengan --paket" in years["notices"][0]


def test_unknown_paket_is_one_line_exit_2(tmp_path, capsys):
    assert main(["check", str(_bersih(2023, tmp_path)), "--paket", "pergub-tidak-ada"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"paket aturan 'pergub-tidak-ada' tidak ada di {RULES_ROOT} (yang ada: pergub-banten-42-2018)"]


# -- Lampiran A holds for the RPJMD 2017-2022 only ---------------------------------------------------------

def _otda(year: int) -> dict:
    data = read_document(ROOT / "examples/biro-pemerintahan-otda-2023.yaml").data
    data = copy.deepcopy(data)
    data["profil"]["tahun"] = year
    return data


def test_lampiran_a_rules_judge_only_the_rpjmd_period(catalogue):
    assert set(catalogue.pack.reference_periods["lampiran-a"].rules) == LAMPIRAN_RULES
    inside = evaluate(build_submission(_otda(2022)), catalogue)
    outside = evaluate(build_submission(_otda(2023)), catalogue)
    cov_in = {c.rule_id: c for c in inside.coverage}
    cov_out = {c.rule_id: c for c in outside.coverage}
    # in the period UKR-035 judges the OPD (the example states no kelompok to compare: the unit is skipped)
    assert cov_in["UKR-035"].evaluated + cov_in["UKR-035"].skipped == 1 and cov_in["UKR-035"].not_applicable is None
    assert any(f.rule_id in LAMPIRAN_RULES for f in inside.findings)  # the OTDA example fails UKR-037
    for rule_id in LAMPIRAN_RULES:
        assert cov_out[rule_id].evaluated == 0
        assert "hanya berlaku untuk tahun 2017-2022; tahun 2023 di luar periode itu" in cov_out[rule_id].not_applicable
    assert not any(f.rule_id in LAMPIRAN_RULES for f in outside.findings)
    assert outside.pack_years.in_force  # 2023: the Pergub itself still applies
    assert outside.pack_years.notices == [
        "Lampiran A (Tabel A.1-A.5) Pergub Banten 42/2018 memetakan indikator RPJMD Provinsi Banten 2017-2022 "
        "(Perda Provinsi Banten Nomor 7 Tahun 2017, konsiderans angka 17) kepada Sekretaris Daerah, Asisten, "
        "Staf Ahli dan OPD, sehingga hanya berlaku untuk tahun 2017-2022: aturan UKR-033, UKR-034, UKR-035, "
        "UKR-036, UKR-037, UKR-040, UKR-044 tidak dinilai untuk tahun 2023."]
    assert "tidak berlaku tahun ini" in render(outside, "markdown")  # the coverage table says it per rule


def test_every_rule_judging_tabel_a_is_period_bound(catalogue):
    """A rule reading Tabel A.1-A.5 is listed in reference_periods, except UKR-005, which only reads who holds
    Tujuan indicators (Pasal 12 ayat (4) huruf a names them) to leave them to UKR-033."""
    tabel_a = {"lampiran.opd", "lampiran.cascade", "lampiran.a1", "lampiran.bawaan"}
    users = {cr.rule.id for cr in catalogue.rules if set(cr.rule.derive) & tabel_a}
    assert users - {"UKR-005"} == LAMPIRAN_RULES


# -- a second regulation -------------------------------------------------------------------------------------

UJI_CASES = [(cr.rule.id, ex) for cr in load_catalogue(PACKS, "pergub-uji-2030").rules for ex in cr.rule.examples]


@pytest.mark.parametrize(("rule_id", "example"), UJI_CASES, ids=[f"{r}:{e.name}" for r, e in UJI_CASES])
def test_second_pack_rules_run_end_to_end(uji, rule_id, example):
    data = example_data(uji.root, example.base, example.input)
    report = evaluate(build_submission(data), uji, effective_parameters(uji, example.parameters))
    got = sorted((f.outcome, f.location.path) for f in report.units() if f.rule_id == rule_id)
    assert got == sorted((example.expect, f.at) for f in example.findings)
    assert next(c for c in report.coverage if c.rule_id == rule_id).evaluated >= 1
    assert report.pack == "pergub-uji-2030 0.0.1" and report.pack_years.in_force


def test_second_pack_has_its_own_prefixes_parameters_reference_and_obligations(uji, catalogue):
    from sakip_checker.coverage import gaps, obligations

    assert {cr.rule.id[:3] for cr in uji.rules} == {"UJR", "UJU", "UJL"}
    assert uji.regulations == {"pergub-uji-2030": "Pergub Uji 1/2029"}
    assert uji.pack.parameters.batas_laporan_bulanan_hari == 5 != catalogue.pack.parameters.batas_laporan_bulanan_hari
    assert [r["opd"] for r in uji.reference["lampiran-a"]["tabel_a2"]] == ["Biro Uji Data"]
    assert [o.id for o in obligations(uji)] == ["UJI-2", "UJI-3", "UJI-4"] and gaps(uji) == []
    # its own scoring: framework, weights of its years and coverage threshold, read by the same engine
    weights = uji.pack.penilaian.weights_for(2030)
    assert (weights.sumber, dict(weights.komponen)) == ("Pergub Uji 1/2029", {
        "perencanaan": 25, "pengukuran": 25, "pelaporan": 25, "evaluasi": 25})
    assert uji.pack.penilaian.cakupan_minimum == 40 != catalogue.pack.penilaian.cakupan_minimum
    assert uji.pack.penilaian.weights_for(2023) is None  # before the test regulation: no overall figure
    # the same late report: on time under 42/2018 (day 10), late under the test pack (day 5)
    data = example_data(uji.root, "dasar", {"laporan_bulanan": [
        {"bulan": 1, "tahun": 2023, "tanggal_kirim": "2023-02-08", "capaian": [{"indikator": "S1", "realisasi": "1"}]}]})
    data["profil"] = {**data["profil"], "tahun": 2023}
    sub = build_submission(data)
    assert [f.rule_id for f in evaluate(sub, uji).units() if f.location.document == "laporan_bulanan"] == ["UJL-001"]
    assert not [f for f in evaluate(sub, catalogue).findings if f.rule_id == "LAP-002"]


def test_second_pack_quotes_stand_in_its_text(uji):
    text = " ".join((UJI / "_source/pergub-uji-2030.txt").read_text(encoding="utf-8").split())
    for cr in uji.rules:
        assert cr.rule.citation.quote in text, cr.rule.id


def test_second_pack_reference_period_applies(uji):
    data = example_data(uji.root, "dasar", {})
    data["profil"] = {**data["profil"], "tahun": 2035, "kelompok": "I"}
    report = evaluate(build_submission(data), uji)
    assert not [f for f in report.findings if f.rule_id == "UJU-001"]
    assert report.pack_years.in_force and "Lampiran Uji Pergub Uji 1/2029" in report.pack_years.notices[0]


def test_cli_chooses_the_second_pack_by_year_and_by_paket(tmp_path, capsys):
    data = yaml.safe_load((UJI / "_bases/dasar.yaml").read_text(encoding="utf-8"))
    data["laporan_bulanan"][0]["tanggal_kirim"] = "2030-02-08"
    path = tmp_path / "uji.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["check", str(path), "--rules", str(PACKS), "--format", "json"]) == 0
    by_year = json.loads(capsys.readouterr().out)
    assert by_year["pack"] == "pergub-uji-2030 0.0.1" and by_year["pack_years"]["chosen_by"] == "tahun"
    assert [f["rule_id"] for f in by_year["findings"]] == ["UJL-001"]
    for option in ("--paket", "--pack"):
        assert main(["check", str(path), "--rules", str(PACKS), option, "pergub-uji-2030", "--format", "json"]) == 0
        chosen = json.loads(capsys.readouterr().out)
        assert chosen["pack_years"]["chosen_by"] == "paket"
        assert [[x["fingerprint"] for x in f["locations"]] for f in chosen["findings"]] == \
            [[x["fingerprint"] for x in f["locations"]] for f in by_year["findings"]]
    assert main(["rules", "--rules", str(PACKS), "--format", "json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == ["UJL-001", "UJR-001", "UJU-001"]


def _broken(tmp_path: Path, path: str, old: str, new: str) -> Path:
    root = tmp_path / "packs"
    shutil.copytree(UJI, root / "pergub-uji-2030")
    target = root / "pergub-uji-2030" / path
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new), encoding="utf-8")
    return root


@pytest.mark.parametrize(("path", "old", "new", "problem"), [
    ("perencanaan/UJR-001_rencana_aksi_dated.yaml", "obligations: [UJI-2]", "obligations: [PG42-P11]",
     r"obligations: id kewajiban 'PG42-P11' tidak sesuai pola paket UJI-\\d\+"),
    ("pack.yaml", "perencanaan: UJR,", "perencanaan: REN,", r"id UJR-001 harus berawalan REN- untuk komponen perencanaan"),
    ("pack.yaml", "rules: [UJU-001]", "rules: [UJU-001, UJU-009]", r"reference_periods.lampiran-a.rules: aturan 'UJU-009' tidak ada"),
    ("pack.yaml", "perencanaan: UJR,", "perencanaan: ujr,", r"awalan id perencanaan 'ujr' harus 2-5 huruf kapital"),
])
def test_loader_refuses_a_pack_that_contradicts_itself(tmp_path, path, old, new, problem):
    root = _broken(tmp_path, path, old, new)
    with pytest.raises(InputProblem) as exc:
        load_catalogue(root, "pergub-uji-2030")
    assert any(re.search(problem, line) for line in exc.value.lines), exc.value.lines
