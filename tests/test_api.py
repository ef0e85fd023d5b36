"""The documented Python API (engine.api): what an embedding program (the province's e-SAKIP) calls."""

import json
from pathlib import Path

import pytest

from sakip_checker.api import EngineError, InputError, Report, check, render, report_schema
from sakip_checker.cli import main
from sakip_checker.inputs import read_document

ROOT = Path(__file__).resolve().parent.parent
BIRO = ROOT / "examples/biro-pemerintahan-otda-2023.yaml"


def test_check_a_file_gives_the_report_of_the_cli(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "cli.json"
    assert main(["check", "examples/biro-pemerintahan-otda-2023.yaml", "--format", "json", "-o", str(out)]) == 0
    report = check("examples/biro-pemerintahan-otda-2023.yaml")
    assert isinstance(report, Report)
    assert render(report, "json") == out.read_text(encoding="utf-8")


def test_check_a_mapping():
    data = read_document(BIRO).data
    from_mapping, from_file = check(data), check(BIRO)
    assert from_mapping.submission.file is None
    assert [f.fingerprint for f in from_mapping.units()] == [f.fingerprint for f in from_file.units()]
    assert from_mapping.scores == from_file.scores


def test_bad_input_raises_input_error_with_its_lines():
    with pytest.raises(InputError) as exc:
        check({"profil": {"opd": "Biro X", "tahun": "duaribu"}})
    assert any("profil.tahun" in line for line in exc.value.lines)
    with pytest.raises(InputError) as exc:
        check(ROOT / "tidak-ada.yaml")
    assert exc.value.lines == [f"{ROOT / 'tidak-ada.yaml'}: berkas tidak ditemukan"]


def test_parameters_and_pack_are_chosen_by_the_caller():
    report = check(BIRO, paket="pergub-banten-42-2018", parameters={"batas_laporan_bulanan_hari": 15})
    assert report.parameters["batas_laporan_bulanan_hari"] == 15
    with pytest.raises(InputError) as exc:
        check(BIRO, parameters={"batas_laporan_bulanan_hari": "lima belas"})
    assert exc.value.lines[0].startswith("parameter ")
    with pytest.raises(InputError):
        check(BIRO, paket="tidak-ada")


def test_report_schema_describes_the_json_report():
    schema = report_schema()
    report = json.loads(render(check(BIRO), "json"))
    assert set(report) <= set(schema["properties"]) and set(schema["required"]) <= set(report)
    assert Report.model_validate(report) == check(BIRO)  # the JSON is the model, losslessly


def test_schema_command_prints_the_report_schema(capsys):
    assert main(["schema", "--laporan"]) == 0
    assert json.loads(capsys.readouterr().out) == report_schema()


def test_engine_error_is_exported():
    assert issubclass(EngineError, Exception)
