"""Lampiran A reference data: the shipped file is the cleaned extract, and every hand-written mapping
points at something the Lampiran really contains."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml

from sakip_checker.checks.lampiran import Lampiran, norm

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "rules/pergub-banten-42-2018"
EXTRACT = PACK / "_source/pergub-42-2018-lampiran.yaml"  # a copy of shared/data/pergub-42-2018-lampiran.yaml
SHARED_EXTRACT = ROOT.parent / "shared/data/pergub-42-2018-lampiran.yaml"


@pytest.fixture(scope="module")
def reference(catalogue):
    return catalogue.reference


def test_shipped_lampiran_is_the_cleaned_extract():
    spec = importlib.util.spec_from_file_location("build_lampiran", PACK / "_source/build_lampiran.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    extract = yaml.safe_load(EXTRACT.read_text(encoding="utf-8"))
    assert (PACK / "_reference/lampiran-a.yaml").read_text(encoding="utf-8") == module.render(extract), \
        "regenerate: python rules/pergub-banten-42-2018/_source/build_lampiran.py"


def test_vendored_extract_matches_the_shared_data():
    if not SHARED_EXTRACT.exists():
        pytest.skip("shared/data/pergub-42-2018-lampiran.yaml is not beside this checkout")
    assert EXTRACT.read_text(encoding="utf-8") == SHARED_EXTRACT.read_text(encoding="utf-8"), \
        "copy shared/data/pergub-42-2018-lampiran.yaml to rules/pergub-banten-42-2018/_source/"


def test_tables_are_complete(reference):
    annex = reference["lampiran-a"]
    assert len(annex["tabel_a1"]) == 8
    assert len(annex["tabel_a2"]) == 43
    blocks = {b["blok"] for b in annex["blok"]}
    assert len(blocks) == 41
    assert {row["blok"] for row in annex["tabel_a2"]} <= blocks  # every OPD of Tabel A.2 has its block
    assert sum(len(b["program"]) for b in annex["blok"]) >= 170


def test_every_mapping_points_into_the_lampiran(reference):
    lam = Lampiran(reference)
    mapping = reference["pemetaan"]
    for entry in mapping["opd"]:
        assert entry["dasar"]
        for name in entry["lampiran"]:
            assert norm(name) in lam.a2, f"{entry['nama']} -> {name}: not in Tabel A.2"
    programs = {norm(p["program"]) for b in reference["lampiran-a"]["blok"] for p in b["program"]}
    for entry in mapping["program"]:
        assert entry["dasar"]
        assert any(norm(name) in programs for name in entry["lampiran"]), entry["nama"]
    for entry in mapping["jabatan"]:
        assert norm(entry["lampiran"]) in lam.a1_holders, entry["nama"]
    assert set(mapping["indikator_a1"]) == {row["indikator"] for row in reference["lampiran-a"]["tabel_a1"]}


@pytest.mark.parametrize(("name", "expected"), [
    ("Indeks Pembangunan Manusia (IPM)", "IPM"),
    ("Tingkat Pengangguran Terbuka", "Pengangguran/TPT"),
    ("Persentase Penduduk Miskin", "Kemiskinan"),
    ("Indeks Kepuasan Masyarakat", "Capaian Indeks Kepuasan Masyarakat"),
    ("Persentase rumusan kebijakan", None),
    ("Nilai IKM unit layanan", None),  # a short name only counts when it is the whole name
])
def test_a1_indicator_names(reference, name, expected):
    assert Lampiran(reference).a1_indicator(name) == expected


def test_opd_found_by_name_mapping_or_predecessor(reference):
    lam = Lampiran(reference)
    assert [r["kelompok"] for r in lam.a2_rows("Dinas Pertanian", None)] == ["II"]
    assert [r["opd"] for r in lam.a2_rows("Biro Pemerintahan dan Otonomi Daerah", None)] == \
        ["Biro Pemerintahan", "Biro Kesejahteraan Rakyat"]
    assert [r["opd"] for r in lam.a2_rows("Biro Baru", "Biro Organisasi")] == ["Biro Organisasi"]
    assert lam.a2_rows("Biro Pemerintahan Baru", None) == []  # no guessing by similarity
    assert lam.official_key("Sekertaris Daerah Provinsi Banten") == "sekretarisdaerah"


def test_the_setda_as_a_whole_is_not_an_opd_of_tabel_a2(catalogue):
    from sakip_checker.evaluate import evaluate
    from sakip_checker.submission import build_submission, example_data

    data = example_data(catalogue.root, "minimal", {"profil": {"opd": "Sekretariat Daerah Provinsi Banten",
                                                               "tahun": 2023, "peran": "sekretariat_daerah"}})
    report = evaluate(build_submission(data), catalogue)
    assert next(c for c in report.coverage if c.rule_id == "UKR-035").evaluated == 0
