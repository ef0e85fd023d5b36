"""The workbook OPD planners fill: template, round trip, and every unreadable cell named."""

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sakip_checker.cli import main
from sakip_checker.evaluate import evaluate
from sakip_checker.excel import SHEETS, read_workbook, write_workbook
from sakip_checker.inputs import InputProblem
from sakip_checker.model import Submission
from sakip_checker.submission import build_submission, load_submission

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ["biro-pemerintahan-otda-2023", "biro-contoh-bersih-2023", "renja-perubahan-2023-setda-kota-serang",
            "lkip-2021-biro-pemerintahan-kesra"]


@pytest.mark.parametrize("example", EXAMPLES)
def test_round_trip_yaml_workbook_model_is_lossless(tmp_path, catalogue, example):
    original, _ = load_submission(ROOT / "examples" / f"{example}.yaml")
    path = tmp_path / f"{example}.xlsx"
    write_workbook(path, original)
    again, doc = load_submission(path)
    assert again == original
    # the printed decimals survive too ("20,00" is not "20"), so findings read the same
    def key(report):
        return [(f.rule_id, f.outcome, f.location.path, f.message, f.observed) for f in report.units()]
    assert key(evaluate(again, catalogue, document=doc)) == key(evaluate(original, catalogue))


def test_bundled_workbooks_are_current(tmp_path):
    for example in EXAMPLES:
        fresh = tmp_path / f"{example}.xlsx"
        write_workbook(fresh, load_submission(ROOT / "examples" / f"{example}.yaml")[0])
        committed = ROOT / "examples" / f"{example}.xlsx"
        assert committed.read_bytes() == fresh.read_bytes(), f"regenerate: sakip template {committed} --dari {example}.yaml"


def test_template_has_a_sheet_per_document_with_lists_and_instructions(tmp_path, capsys):
    path = tmp_path / "templat.xlsx"
    assert main(["template", str(path)]) == 0
    wb = load_workbook(path)
    assert wb.sheetnames == [s.name for s in SHEETS]
    ws = wb["Indikator"]
    assert ws["A1"].value == "Kode indikator" and ws["B1"].value == "Tingkat"
    assert ws["A2"].value.startswith("Cascade Renstra")
    lists = {str(dv.sqref).split(":")[0][0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["B"] == '"tujuan,sasaran,program,kegiatan,sub_kegiatan"'
    assert '"positif,negatif"' in lists.values()
    assert '"II' not in lists["B"]
    eselon = {dv.formula1 for dv in wb["Jabatan"].data_validations.dataValidation}
    assert '"I,II,III,IV,staf,fungsional"' in eselon
    assert main(["template", str(tmp_path / "x.yaml")]) == 2


def fill(path: Path, rows: dict[str, list[list]]) -> None:
    write_workbook(path)
    wb = load_workbook(path)
    for sheet, data in rows.items():
        for r, row in enumerate(data, start=3):
            for c, value in enumerate(row, start=1):
                wb[sheet].cell(row=r, column=c, value=value)
    wb.save(path)


PROFIL = [["Biro Uji", 2023]]
JABATAN = [["KARO", "Kepala Biro Uji", "II"], ["KABAG", "Kepala Bagian Uji", "III", None, None, "tidak", "KARO"]]


def test_indonesian_numbers_dates_merged_cells_and_empty_rows(tmp_path, catalogue):
    path = tmp_path / "isian.xlsx"
    fill(path, {
        "Profil": PROFIL, "Jabatan": [JABATAN[0], [None], JABATAN[1]],  # an empty row in between
        "Indikator": [["S1", "sasaran", "Sasaran uji", "Indeks kepuasan", None, "Indeks", "positif", None, "3,40"]],
        "PK": [["PK-1", "KARO", "murni", 2023, "20 Februari 2023", "A", "B", None, "S1", "3,40", 100]],
        "Rencana Aksi": [[2023, dt.datetime(2023, 1, 20), "Serang", "KARO", "S1", "Survei", "3,40", "25%", "25%",
                          "25%", "25%", "%", "Rp 1.550.000.000", "Strategi", "Satu\nDua"]],
    })
    wb = load_workbook(path)
    ws = wb["PK"]
    ws["I4"], ws["J4"], ws["K4"] = "S1", "3,40", 50  # a second row of the same PK, head merged from row 3
    ws["I3"], ws["K3"] = "S1", 50
    ws.merge_cells("A3:A4")
    wb.save(path)
    sub, doc = load_submission(path)
    assert sub.perjanjian_kinerja[0].tanggal == dt.date(2023, 2, 20)
    assert len(sub.perjanjian_kinerja) == 1 and len(sub.perjanjian_kinerja[0].indikator) == 2
    ra = sub.rencana_aksi
    assert str(ra.baris[0].pagu) == "1550000000" and ra.baris[0].kebijakan == ["Satu", "Dua"]
    assert [str(v) for v in ra.baris[0].tw] == ["25", "25", "25", "25"]
    assert [j.id for j in sub.jabatan] == ["KARO", "KABAG"]
    report = evaluate(sub, catalogue, document=doc)
    located = [f for f in report.units() if f.location.path == "indikator[0]"]
    assert located and all(f.location.sheet == "Indikator" and f.location.line == 3 for f in located)


@pytest.mark.parametrize(("sheet", "rows", "says"), [
    ("Indikator", [["S1", "sasaran", "u", "n", None, None, None, "1.500"]], "lembar Indikator, sel H3"),
    ("Jabatan", [["KARO", "Kepala Biro", "V"]], "lembar Jabatan, sel C3"),
    ("Jabatan", [["KARO", "Kepala Biro", "II", None, None, "mungkin"]], "lembar Jabatan, sel F3"),
    ("Laporan Bulanan", [[1, 2023, None, None, "S9", "=1/0"]], "lembar Laporan Bulanan, sel F3"),
])
def test_every_unreadable_cell_is_named(tmp_path, capsys, sheet, rows, says):
    path = tmp_path / "salah.xlsx"
    data = {"Profil": PROFIL, "Jabatan": JABATAN} | {sheet: rows}
    fill(path, data)
    code = main(["check", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and says in err and "Traceback" not in err


def test_conflicting_head_values_and_unknown_columns(tmp_path):
    path = tmp_path / "konflik.xlsx"
    fill(path, {"Profil": PROFIL, "Jabatan": JABATAN,
                "PK": [["PK-1", "KARO", "murni", 2023, None, None, None, None, "S1", "1"],
                       ["PK-1", "KABAG", "murni", 2023, None, None, None, None, "S1", "1"]]})
    wb = load_workbook(path)
    wb["Atestasi"]["F1"] = "Warna"
    wb.save(path)
    with pytest.raises(InputProblem) as err:
        read_workbook(path)
    text = "\n".join(err.value.lines)
    assert "lembar PK, sel B4" in text and "'KABAG'" in text and "B3" in text
    assert "lembar Atestasi, sel F1" in text and "Warna" in text


def test_not_a_workbook(tmp_path, capsys):
    path = tmp_path / "rusak.xlsx"
    path.write_text("bukan zip")
    assert main(["check", str(path)]) == 2
    assert "bukan buku kerja Excel" in capsys.readouterr().err


def test_formula_results_saved_by_excel_are_read(tmp_path):
    """A formula cell as Excel saves it: the formula and its cached result (<v>). openpyxl cannot compute
    formulas, so the cached value is written into the sheet XML here, as Excel would."""
    import re
    import zipfile

    path = tmp_path / "rumus.xlsx"
    fill(path, {"Profil": PROFIL, "Jabatan": JABATAN,
                "Laporan Bulanan": [[1, 2023, "2023-02-05", "=4750000*2", "S1", "=3.1", "=3.1/3.4*100"]],
                "Indikator": [["S1", "sasaran", "u", "Indeks kepuasan", None, "Indeks", None, None, "3,40"]]})
    sheet_no = [s.name for s in SHEETS].index("Laporan Bulanan") + 1
    name = f"xl/worksheets/sheet{sheet_no}.xml"
    with zipfile.ZipFile(path) as src:
        parts = {n: src.read(n) for n in src.namelist()}
    xml = parts[name].decode()
    cached = {"4750000*2": "9500000", "3.1": "3.1", "3.1/3.4*100": "91.176470588235"}
    for formula, result in cached.items():
        xml, n = re.subn(rf"<f>{re.escape(formula)}</f>(<v\s*/>|<v></v>)?", f"<f>{formula}</f><v>{result}</v>", xml)
        assert n == 1, formula
    parts[name] = xml.encode()
    with zipfile.ZipFile(path, "w") as dst:
        for n, content in parts.items():
            dst.writestr(n, content)
    sub, _ = load_submission(path)
    report = sub.laporan_bulanan[0]
    assert str(report.realisasi_anggaran) == "9500000"
    assert str(report.capaian[0].realisasi) == "3.1" and str(report.capaian[0].capaian) == "91.176470588235"


def test_round_trip_of_every_section(tmp_path, catalogue):
    """A submission using every section, Formulir B.1 and IKU included, survives the workbook unchanged."""
    from sakip_checker.submission import example_data

    data = example_data(catalogue.root, "lengkap", {
        "iku": {"nomor_sk": "060/Kep.12/2023", "tanggal": "2023-01-05", "indikator": ["S1", "P1"]},
        "renja": [{"kode": "4.01.01.1.01.01", "uraian": "Penyusunan dokumen", "indikator": "Jumlah dokumen",
                   "target_renja": "5 Dokumen", "target_rka": "5 Dokumen", "dana_renja": "Rp 1.500.000,50",
                   "dana_rka": "Rp 1.500.000,50", "kesesuaian": "ya"}],
        "formulir_b1": {"tanggal": "2023-08-20", "penandatangan": "KARO", "tanggal_terima_rekomendasi": "2023-09-04",
                        "tanggal_kirim_tindak_lanjut": "2023-09-11"},
        "atestasi": [{"kewajiban": "PG42-P21", "dokumen": "Laporan evaluasi internal", "tanggal": "2023-12-15"}],
        "lhe": [{"tahun": 2022, "komponen": "perencanaan", "nilai": "22,10"},
                {"tahun": 2023, "komponen": "pelaporan", "nilai": "11,25", "sumber": "LHE 700/1/2023"}],
        "tindak_lanjut": [{"rekomendasi": "Perbaiki indikator", "sumber": "LHE 2022", "tanggal": "2023-03-01",
                           "status": "selesai", "tanggal_tindak_lanjut": "2023-05-10", "bukti": "PK perubahan",
                           "hasil": "Indikator K1 diganti"}, {"rekomendasi": "Susun cascading", "status": "belum"}],
        "skp": [{"jabatan": "KARO", "indikator": ["S1"]}, {"jabatan": "KABAG", "indikator": ["P1", "S1"]}],
    })
    data["profil"] = {**data["profil"], "peran": "bappeda", "nama_lampiran": "Biro Organisasi", "kelompok": "III"}
    data["jabatan"][0] = {**data["jabatan"][0], "tupoksi": "Menyelenggarakan layanan data"}
    data["indikator"][0] = {**data["indikator"][0], "rpjmd": "Indeks Kepuasan Masyarakat"}
    data["lkjip"] = {**data["lkjip"], "total_anggaran": "Rp 1.550.000.000", "total_realisasi_anggaran": "Rp 1.432.187.500"}
    data["lkjip"]["baris"][1] = {**data["lkjip"]["baris"][1], "anggaran": "Rp 1.550.000.000",
                                 "realisasi_anggaran": "Rp 1.432.187.500", "persentase_anggaran": "92,40",
                                 "efisiensi": "9,82", "rencana_perbaikan": "Jadwal rilis dipercepat"}
    original = build_submission(data)
    dumped = original.model_dump()
    assert all(dumped[section] not in (None, [], {}) for section in Submission.model_fields), "a section is left empty"
    path = tmp_path / "semua.xlsx"
    write_workbook(path, original)
    again, _ = load_submission(path)
    assert again == original
    assert str(again.renja[0].dana_rka) == "1500000.50" and again.formulir_b1.tanggal_kirim_tindak_lanjut.day == 11
