"""The Excel export, re-opened with openpyxl as an evaluator's spreadsheet would read it."""

import time
from pathlib import Path

from openpyxl import load_workbook

from sakip_checker.cli import main

ROOT = Path(__file__).resolve().parent.parent
BIRO = ROOT / "examples/biro-pemerintahan-otda-2023.yaml"


def test_workbook_has_findings_checklist_and_summary(tmp_path, capsys):
    path = tmp_path / "laporan.xlsx"
    assert main(["check", str(BIRO), "--format", "xlsx", "--output", str(path)]) == 0
    assert main(["check", str(BIRO), "--format", "json"]) == 0
    import json

    report = json.loads(capsys.readouterr().out)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Ringkasan", "Temuan", "Tindak Lanjut"]
    findings = wb["Temuan"]
    header = [c.value for c in findings[1]]
    assert header[:7] == ["No", "Kelompok", "Aturan", "Nama aturan", "Komponen", "Tingkat", "Hasil"] and "Tindak lanjut" in header
    units = [x for g in report["findings"] for x in g["locations"]]
    assert findings.max_row == len(units) + 1  # one row per location, with its group
    first = {h: c.value for h, c in zip(header, findings[2])}
    assert first["Aturan"] == report["findings"][0]["rule_id"] and first["Tingkat"] == "Berat"
    assert first["Kelompok"] == report["findings"][0]["group"]
    assert first["Baris"] == report["findings"][0]["locations"][0]["location"]["line"]
    todo = wb["Tindak Lanjut"]
    assert [c.value for c in todo[1]][-4:] == ["Status", "Bukti perbaikan", "Tanggal", "Sidik jari"]
    assert len(report["findings"]) + 1 <= todo.max_row <= len(units) + 1  # one row per action
    assert {todo.cell(row=r, column=9).value for r in range(2, todo.max_row + 1)} == {"belum"}
    validations = todo.data_validations.dataValidation
    assert len(validations) == 2 and validations[0].formula1 == '"belum,proses,selesai"'  # model's vocabulary
    assert str(validations[0].sqref) == f"I2:I{todo.max_row}"
    rows = {row[0].value: [c.value for c in row] for row in wb["Ringkasan"].iter_rows() if row[0].value}
    assert rows["Jumlah temuan"][1] == len(report["findings"]) and rows["Jumlah lokasi"][1] == len(units)
    grade = rows["Keseluruhan"][7]
    assert grade == report["scores"]["grade"] or (report["scores"]["grade"] is None and grade.startswith("tanpa predikat"))
    assert any("bukan nilai resmi" in str(label) for label in rows)  # the figure is labelled as an estimate


def test_workbook_is_byte_identical_and_needs_an_output(tmp_path, capsys):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert main(["check", str(BIRO), "--format", "xlsx", "--output", str(a)]) == 0
    time.sleep(1.1)  # openpyxl writes the time of saving: a second apart must still give the same bytes
    assert main(["check", str(BIRO), "--format", "xlsx", "--output", str(b)]) == 0
    assert a.read_bytes() == b.read_bytes()
    assert main(["check", str(BIRO), "--format", "xlsx"]) == 2
    assert "--output" in capsys.readouterr().err
