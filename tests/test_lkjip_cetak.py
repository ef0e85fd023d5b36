"""What a clerk reads off the printed LKjIP (checks/lkjip_cetak.py, rules LAP-066 to LAP-071): the edges the
rules' own examples do not show. Nothing is judged without the data it needs (a skipped unit is no pass)."""

from pathlib import Path

import pytest
import yaml

from sakip_checker.cli import main
from sakip_checker.evaluate import evaluate
from sakip_checker.rules import load_catalogue
from sakip_checker.submission import build_submission, example_data

CATALOGUE = load_catalogue()


def _report(lkjip: dict):
    data = example_data(CATALOGUE.root, "lengkap", {"lkjip": {"tahun": 2023, "tanggal": "2024-02-20", **lkjip}})
    return evaluate(build_submission(data), CATALOGUE)


def _outcomes(report, rule: str) -> tuple[list[tuple[str, str]], int]:
    cov = next(c for c in report.coverage if c.rule_id == rule)
    return sorted((f.outcome, f.location.path) for f in report.units() if f.rule_id == rule), cov.evaluated


LAMPIRAN = {"tabel": "Lampiran 1", "sumber": "lampiran"}


def test_an_empty_realisasi_cell_is_zero_only_where_the_table_fills_the_column():
    rows = [{**LAMPIRAN, "id": "1", "tingkat": "sub_kegiatan", "uraian": "A", "pagu_murni": "9.100.000,00",
             "realisasi": "9.000.000,00"},
            {**LAMPIRAN, "id": "2", "tingkat": "sub_kegiatan", "uraian": "B", "pagu_murni": "9.100.000,00"}]
    assert _outcomes(_report({"anggaran": rows}), "LAP-066") == ([("fail", "lkjip.anggaran[1]")], 2)
    # a table of pagu only (BAB II, Tabel 2.1) says nothing about realisasi: not judged, not passed
    pagu_only = [{"tabel": "BAB II", "id": str(k), "tingkat": "kegiatan", "uraian": u, "pagu_murni": "Rp 9.100.000"}
                 for k, u in enumerate("AB")]
    assert _outcomes(_report({"anggaran": pagu_only}), "LAP-066") == ([], 0)


def test_a_placeholder_row_is_one_finding_not_two():
    row = {**LAMPIRAN, "id": "1", "tingkat": "sub_kegiatan", "uraian": "Penampung", "pagu_murni": "250,00",
           "realisasi": "0,00", "target_keluaran": "0", "realisasi_keluaran": "0"}
    report = _report({"anggaran": [row]})
    assert _outcomes(report, "LAP-067") == ([("fail", "lkjip.anggaran[0]")], 1)
    assert _outcomes(report, "LAP-066") == ([], 0)


def test_a_count_without_anything_to_count_from_is_not_judged():
    counts = [{"besaran": "kegiatan", "jumlah": 9, "kutipan": "9 kegiatan"},  # no table named
              {"besaran": "sub_kegiatan", "jumlah": 1, "tabel": "T", "kutipan": "1 sub kegiatan"}]
    rows = [{"tabel": "T", "id": "1", "tingkat": "kegiatan", "uraian": "A", "pagu_murni": "Rp 1.000.000"},
            {"tabel": "T", "id": "1.1", "induk": "1", "tingkat": "sub_kegiatan", "uraian": "A1", "pagu_murni": "Rp 1.000.000"}]
    assert _outcomes(_report({"jumlah": counts, "anggaran": rows}), "LAP-068") == ([], 1)
    # without an Eselon IV PK there are no output indicators to count
    data = example_data(CATALOGUE.root, "lengkap", {"lkjip": {"tahun": 2023, "jumlah": [
        {"besaran": "keluaran", "jumlah": 45, "kutipan": "45 keluaran"}]}})
    data["perjanjian_kinerja"] = [pk for pk in data["perjanjian_kinerja"] if pk["jabatan"] != "KASUBAG"]
    cov = next(c for c in evaluate(build_submission(data), CATALOGUE).coverage if c.rule_id == "LAP-068")
    assert (cov.evaluated, cov.failed) == (0, 0)


def test_unmeasurable_quantity_without_an_indicator_is_matched_by_its_uraian():
    statements = [
        {"uraian": "Indeks kepuasan layanan", "bagian": "analisis", "letak": "BAB IX", "halaman": "hlm. 30",
         "tidak_dapat_diukur": True, "kutipan": "Belum ada instrumen survei"},
        {"uraian": "Indeks  Kepuasan Layanan", "bagian": "ikhtisar", "letak": "Ikhtisar", "halaman": "hlm. 2",
         "realisasi": "3.3"},
    ]
    report = _report({"pernyataan": statements})
    assert _outcomes(report, "LAP-069") == ([("fail", "lkjip.pernyataan[0]")], 1)
    (finding,) = [f for f in report.units() if f.rule_id == "LAP-069"]
    assert "3,3 (Ikhtisar, hlm. 2)" in finding.message


@pytest.mark.parametrize("capaian,judged", [("90,50", False), ("120", False), ("85", True)])
def test_a_stated_rating_is_judged_only_inside_a_printed_band(capaian, judged):
    row = {"indikator": "K1", "target": "24 Dataset", "capaian": capaian, "peringkat_tertulis": "Sedang"}
    failed, evaluated = _outcomes(_report({"baris": [row]}), "LAP-070")
    assert evaluated == int(judged) and len(failed) == int(judged)


def test_the_annex_keterangan_heuristic_reads_only_rows_with_output_columns():
    rows = [{**LAMPIRAN, "id": "1", "tingkat": "sub_kegiatan", "uraian": "A", "pagu_murni": "1.000.000,00",
             "keterangan": "Persentase realisasi kebijakan"},  # no output columns: not judged
            {**LAMPIRAN, "id": "2", "tingkat": "sub_kegiatan", "uraian": "B", "pagu_murni": "1.000.000,00",
             "target_keluaran": "1", "realisasi_keluaran": "1", "keterangan": "Jumlah dokumen kebijakan"}]
    assert _outcomes(_report({"anggaran": rows}), "LAP-071") == ([("fail", "lkjip.anggaran[1]")], 1)


def test_a_count_naming_an_unknown_table_is_one_line(tmp_path: Path, capsys):
    data = {"profil": {"opd": "Biro Contoh", "tahun": 2021},
            "lkjip": {"tahun": 2021, "jumlah": [{"besaran": "program", "jumlah": 2, "tabel": "Tabel 9"}]}}
    path = tmp_path / "pengajuan.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "lkjip.jumlah[0].tabel: tabel 'Tabel 9' tidak ada dalam lkjip.anggaran" in err and "Traceback" not in err
