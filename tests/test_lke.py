"""The evaluator's worksheet (`--format lke`): the LKE mapping of the pack, proposals from the rules' units,
an empty "Jawaban evaluator" column, opened with openpyxl."""

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sakip_checker.api import check, render
from sakip_checker.cli import main
from sakip_checker.rules import RULES_ROOT
from sakip_checker.reports.lke import load_lke, propose

ROOT = Path(__file__).resolve().parent.parent
BIRO = ROOT / "examples/biro-pemerintahan-otda-2023.yaml"
PACK = RULES_ROOT / "pergub-banten-42-2018"


def test_the_mapping_names_existing_rules_and_the_regulations_weights(catalogue):
    lke = load_lke(PACK)
    assert "Menteri PANRB Nomor 88 Tahun 2021" in lke.sumber
    assert [(k.id, k.bobot) for k in lke.komponen] == [("perencanaan", 30), ("pengukuran", 30), ("pelaporan", 15),
                                                       ("evaluasi", 25)]
    for k in lke.komponen:  # keberadaan 20 %, kualitas 30 %, pemanfaatan 50 % of each component
        assert [(s.id, s.bobot / k.bobot) for s in k.sub] == [("keberadaan", Decimal("0.2")),
                                                              ("kualitas", Decimal("0.3")), ("pemanfaatan", Decimal("0.5"))]
        for s in k.sub:
            for c in s.kriteria:
                assert c.aturan and all(rule in catalogue.by_id for rule in c.aturan), c.aturan


@pytest.mark.parametrize(("scale", "passed", "failed", "answer"), [
    ("ya_tidak", 5, 0, "Ya"), ("ya_tidak", 5, 1, "Tidak"), ("ya_tidak", 0, 0, None),
    ("a_e", 10, 0, "A"), ("a_e", 9, 1, "A"), ("a_e", 7, 3, "B"), ("a_e", 5, 5, "C"), ("a_e", 3, 7, "D"),
    ("a_e", 1, 9, "E"), ("a_e", 0, 4, "E"), ("a_e", 0, 0, None),
    ("a_e", 7, 1, "A"),  # 87.5 %: halfway between A (100) and B (75): the higher letter
])
def test_proposal_from_units(scale, passed, failed, answer):
    assert propose(scale, load_lke(PACK), passed, failed)[0] == answer


def test_lke_workbook_opens_with_proposals_and_an_empty_evaluator_column(tmp_path, capsys):
    target = tmp_path / "lke.xlsx"
    assert main(["check", str(BIRO), "--format", "lke", "-o", str(target)]) == 0
    ws = load_workbook(target)["LKE"]
    rows = list(ws.iter_rows(values_only=True))
    assert any(r[0] == "USULAN" and "bukan jawaban evaluasi" in r[1] for r in rows)
    head = next(i for i, r in enumerate(rows) if r[0] == "No")
    assert rows[head][9].startswith("Usulan jawaban") and rows[head][11] == "Jawaban evaluator"
    criteria = [r for r in rows[head + 1:] if r[0] and r[0].count(".") == 2]
    assert len(criteria) == sum(len(s.kriteria) for k in load_lke(PACK).komponen for s in k.sub)
    assert all(r[11] is None and r[12] is None for r in criteria)  # left to the evaluator
    report = check(BIRO)
    cov = {c.rule_id: c for c in report.coverage}
    formal = next(r for r in criteria if r[1].startswith("Dokumen perencanaan kinerja telah diformalkan"))
    rules = formal[4].split(", ")
    passed, failed = sum(cov[r].passed for r in rules), sum(cov[r].failed for r in rules)
    assert (formal[5], formal[6]) == (passed, failed)
    assert formal[9] == propose("a_e", load_lke(PACK), passed, failed)[0]
    for r in criteria:
        if r[6]:  # a failing unit: its findings are the evidence
            assert r[8] != "tidak ada temuan" and any(rule in r[8] for rule in r[4].split(", "))
    assert {dv.formula1 for dv in ws.data_validations.dataValidation} == {'"Ya,Tidak"', '"A,B,C,D,E"'}
    assert render(report, "lke") == render(check(BIRO), "lke")  # byte-identical


def test_lke_needs_a_file_and_a_mapping(tmp_path, capsys):
    assert main(["check", str(BIRO), "--format", "lke"]) == 2
    assert "--format lke" in capsys.readouterr().err
    with pytest.raises(Exception) as exc:
        load_lke(tmp_path)
    assert "tidak memuat _reference/lke.yaml" in str(exc.value)


def test_the_worksheet_maps_with_the_pack_in_use_under_rules(tmp_path):
    """--rules DIR: the LKE mapping is the chosen pack's (DIR/<pack>/_reference/lke.yaml), for one file and for
    a batch, not the bundled pack's of the same name."""
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(RULES_ROOT, rules)
    mapping = rules / "pergub-banten-42-2018" / "_reference" / "lke.yaml"
    text = mapping.read_text(encoding="utf-8")
    assert "Menteri PANRB Nomor 88 Tahun 2021" in text
    mapping.write_text(text.replace("Menteri PANRB Nomor 88 Tahun 2021", "Menteri PANRB Nomor 88 Tahun 2021 (salinan)", 1),
                       encoding="utf-8")
    single = tmp_path / "satu.xlsx"
    assert main(["check", str(BIRO), "--rules", str(rules), "--format", "lke", "-o", str(single)]) == 0
    assert main(["check", str(BIRO), str(ROOT / "examples/biro-contoh-bersih-2023.yaml"), "--rules", str(rules),
                 "--format", "lke", "-o", str(tmp_path / "batch"), "--proses", "1"]) == 0
    for target in (single, tmp_path / "batch" / f"{BIRO.stem}.lke.xlsx"):
        cells = [c for row in load_workbook(target)["LKE"].iter_rows(values_only=True) for c in row if c]
        assert any("(salinan)" in str(c) for c in cells), target
    bundled = tmp_path / "bawaan.xlsx"
    assert main(["check", str(BIRO), "--format", "lke", "-o", str(bundled)]) == 0
    assert not any("(salinan)" in str(c) for row in load_workbook(bundled)["LKE"].iter_rows(values_only=True)
                   for c in row if c)
