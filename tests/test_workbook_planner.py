"""The workbook read as a planner means it (issue 10 item 2): columns found by their header, list values in
the forms people write, total rows, every problem in one pass, and a template whose cells type unambiguously.
Each workbook is filled with openpyxl the way a planner fills the blank template."""

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sakip_checker.cli import main
from sakip_checker.excel import SHEETS, enum_value, read_workbook, write_workbook
from sakip_checker.inputs import InputProblem
from sakip_checker.submission import load_submission


def blank(path: Path):
    write_workbook(path)
    return load_workbook(path)


def put(wb, sheet: str, row: int, values: list) -> None:
    for col, value in enumerate(values, 1):
        if value is not None:
            wb[sheet].cell(row=row, column=col, value=value)


def base(wb, *, eselon=("II", "III"), tingkat=("sasaran", "program"), polaritas="positif", peran="opd") -> None:
    put(wb, "Profil", 3, ["Dinas Perpustakaan dan Kearsipan", 2023, "Pemerintah Provinsi Banten", None, None, None, peran])
    put(wb, "Jabatan", 3, ["KADIS", "Kepala Dinas", eselon[0], "Drs. H. Ahmad", None, "tidak"])
    put(wb, "Jabatan", 4, ["SEKDIS", "Sekretaris Dinas", eselon[1], "Hj. Siti", None, None, "KADIS"])
    put(wb, "Indikator", 3, ["S1", tingkat[0], "Meningkatnya minat baca", "Indeks literasi", None, "Indeks", polaritas,
                             None, "65,5", None, None, None, None, None, "KADIS", "ya"])
    put(wb, "Indikator", 4, ["P1", tingkat[1], "Program pembinaan", "Persentase perpustakaan terakreditasi", None, "%",
                             "positif", None, "45%", None, None, None, None, "S1", "SEKDIS", "tidak"])


def problems_of(path: Path) -> list[str]:
    with pytest.raises(InputProblem) as err:
        read_workbook(path)
    return err.value.lines


# -- 1. columns found by their header -------------------------------------------------------------

def test_inserted_moved_and_extra_columns_are_read_by_their_header(tmp_path):
    path = tmp_path / "kolom.xlsx"
    wb = blank(path)
    base(wb)
    ws = wb["Indikator"]
    ws.insert_cols(1)  # a "No" column in front, numbered as planners do
    ws["A1"], ws["A3"], ws["A4"] = "No", 1, 2
    ws.move_range("O1:O4", cols=-9)  # "Kode indikator induk" moved over the empty "Kode" column (F)
    ws["C1"] = "  TINGKAT "  # case and spacing of a header do not matter
    wb.save(path)
    sub, doc = load_submission(path)
    assert [(i.id, i.level.value, i.induk) for i in sub.indikator] == [("S1", "sasaran", None), ("P1", "program", "S1")]
    assert sub.indikator[1].target.as_written == "45%"
    assert doc.where("indikator[1].induk").endswith("[lembar Indikator, sel F4]")

    ws["A4"] = "dua"  # a numbering column holds numbers: anything else is named
    wb.save(path)
    assert problems_of(path) == [f"{path} [lembar Indikator, sel A4]: kolom nomor urut berisi selain nomor dan tidak "
                                 "dibaca; pindahkan isinya ke kolom yang sesuai"]
    ws["A4"] = "2."
    ws["R1"], ws["R3"] = "Catatan", "periksa lagi"  # an extra column with an unknown header
    ws["S1"] = "Nama indikatr"
    wb.save(path)
    lines = problems_of(path)
    assert len(lines) == 2, lines  # one line per unknown column, nothing about the shifted ones
    assert "sel R1]: kolom berjudul 'Catatan' tidak dikenal dan tidak dibaca;" in lines[0]
    assert "sel S1]" in lines[1] and "mungkin maksudnya 'Nama indikator'" in lines[1]  # a header's typo


def test_a_missing_required_column_is_one_line(tmp_path):
    path = tmp_path / "hilang.xlsx"
    wb = blank(path)
    base(wb)
    wb["Indikator"].delete_cols(4)  # "Nama indikator", required by the model
    wb["Jabatan"].delete_cols(5)  # "NIP": optional, its absence is no problem
    wb.save(path)
    lines = problems_of(path)
    assert lines == [f"{path} [lembar Indikator, baris 1]: kolom wajib 'Nama indikator' tidak ada; tambahkan kolom "
                     "dengan judul itu (lihat `sakip template`)"]


def test_a_duplicate_header_is_named(tmp_path):
    path = tmp_path / "ganda.xlsx"
    wb = blank(path)
    base(wb)
    wb["Jabatan"]["I1"] = "Eselon"
    wb.save(path)
    assert any("sel I1]: kolom 'Eselon' muncul dua kali (juga sel C1)" in line for line in problems_of(path))


# -- 2. list values in the forms people write -----------------------------------------------------

def test_list_values_as_planners_write_them(tmp_path):
    path = tmp_path / "daftar.xlsx"
    wb = blank(path)
    base(wb, eselon=("II.a", "Eselon III"), tingkat=("Sasaran", "Sub Kegiatan"), polaritas="POSITIF", peran="OPD")
    put(wb, "Indikator", 3, [None] * 15 + ["YA"])
    put(wb, "Indikator", 4, [None] * 13 + [None, None, "Tidak"])
    put(wb, "Tindak Lanjut", 3, ["Perbaiki cascading", "LHE 2022", None, "Dalam Proses"])
    wb.save(path)
    sub, _ = load_submission(path)
    assert [j.eselon.value for j in sub.jabatan] == ["II", "III"]
    assert [i.level.value for i in sub.indikator] == ["sasaran", "sub_kegiatan"]
    assert sub.indikator[0].polaritas.value == "positif" and sub.profil.peran == "opd"
    assert [i.iku for i in sub.indikator] == [True, False]
    assert sub.tindak_lanjut[0].status == "proses"


@pytest.mark.parametrize(("typed", "choices", "read"), [
    ("II.b", ("I", "II", "III", "IV", "staf", "fungsional"), "II"),
    ("eselon IV.a", ("I", "II", "III", "IV", "staf", "fungsional"), "IV"),
    ("Staf", ("I", "II", "III", "IV", "staf", "fungsional"), "staf"),
    ("sub-kegiatan", ("tujuan", "sasaran", "program", "kegiatan", "sub_kegiatan"), "sub_kegiatan"),
    ("Sekretariat Daerah", ("opd", "bappeda", "inspektorat", "sekretariat_daerah"), "sekretariat_daerah"),
    ("Sasaran strategis", ("tujuan", "sasaran", "program", "kegiatan", "sub_kegiatan"), "Sasaran strategis"),
    ("Plt.", ("definitif", "plt", "pj", "plh"), "plt"),
    ("V", ("I", "II", "III", "IV", "staf", "fungsional"), "V"),
])
def test_enum_forms(typed, choices, read):
    assert enum_value(typed, choices) == read


# -- 3. total rows --------------------------------------------------------------------------------

def test_a_total_row_is_never_a_data_row(tmp_path):
    path = tmp_path / "total.xlsx"
    wb = blank(path)
    base(wb)
    put(wb, "Rencana Aksi", 3, [2023, "20 Januari 2023", "Serang", "KADIS", "P1", "Pembinaan perpustakaan", "45%",
                                "10%", "20%", "30%", "45%", "%", "Rp 1.250.000.000"])
    put(wb, "Rencana Aksi", 4, [None, None, None, None, "P1", "Total", None, None, None, None, None, None, "=SUM(M3)"])
    wb.save(path)  # a total never calculated: one line for the row, none for its formula
    lines = problems_of(path)
    assert lines == [f"{path} [lembar Rencana Aksi, baris 4]: baris 'Total' (sel F4) adalah baris jumlah, bukan data, "
                     "dan tidak dibaca; hapus baris ini (pemeriksa menghitung jumlahnya sendiri)"]
    wb["Rencana Aksi"].delete_rows(4)
    wb.save(path)
    sub, _ = load_submission(path)
    assert len(sub.rencana_aksi.baris) == 1


def test_total_rows_where_the_sheet_states_totals(tmp_path):
    path = tmp_path / "lkjip.xlsx"
    wb = blank(path)
    base(wb)
    lk = {c.field: i for i, c in enumerate(next(s for s in SHEETS if s.name == "LKjIP").head
                                          + next(s for s in SHEETS if s.name == "LKjIP").rows, 1)}
    row = [None] * len(lk)
    row[lk["tahun"] - 1], row[lk["indikator"] - 1], row[lk["target"] - 1] = 2023, "S1", "65,5"
    row[lk["anggaran"] - 1], row[lk["realisasi_anggaran"] - 1] = "Rp 1.000.000", "Rp 900.000"
    put(wb, "LKjIP", 3, row)
    total = [None] * len(lk)
    total[lk["indikator"] - 1] = "Jumlah"
    total[lk["anggaran"] - 1], total[lk["realisasi_anggaran"] - 1] = "Rp 1.000.000", "Rp 900.000"
    put(wb, "LKjIP", 4, total)
    put(wb, "LKjIP Anggaran", 3, ["T3.1", "badan", "P", None, "program", None, "Program pembinaan", 1000000])
    put(wb, "LKjIP Anggaran", 4, ["T3.1", "badan", None, None, None, None, "JUMLAH TOTAL", 1000000])
    wb.save(path)
    sub, _ = load_submission(path)
    assert len(sub.lkjip.baris) == 1
    assert (str(sub.lkjip.total_anggaran), str(sub.lkjip.total_realisasi_anggaran)) == ("1000000", "900000")
    assert [r.tingkat for r in sub.lkjip.anggaran] == ["program", "jumlah"]


def test_jumlah_as_the_start_of_a_name_is_data(tmp_path):
    path = tmp_path / "nama.xlsx"
    wb = blank(path)
    base(wb)
    wb["Indikator"]["D3"] = "Jumlah perpustakaan yang dibina"
    wb.save(path)
    sub, _ = load_submission(path)
    assert sub.indikator[0].nama == "Jumlah perpustakaan yang dibina"


# -- 4. every problem in one pass -----------------------------------------------------------------

def test_every_problem_of_the_workbook_in_one_pass(tmp_path, capsys):
    path = tmp_path / "salah.xlsx"
    wb = blank(path)
    base(wb, tingkat=("Sasaran", "subkegiatan"))
    wb["Indikator"]["N4"] = "S01"  # a reference that does not resolve
    wb["Jabatan"]["C4"] = "V"  # an eselon that does not exist
    put(wb, "Rencana Aksi", 3, [2023, None, "Serang", "KADIS", "P1", "Pembinaan", "45%", None, None, None, None,
                                None, "=SUM(1,2)"])  # a formula openpyxl never calculated
    wb.save(path)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert any("lembar Rencana Aksi, sel M3]: rumus '=SUM(1,2)' belum dihitung" in line for line in lines)
    assert (f"{path} [lembar Indikator, sel B4]: kolom 'Tingkat': isi salah satu dari: tujuan, sasaran, program, "
            "kegiatan, sub_kegiatan (diterima: 'subkegiatan')") in lines
    assert (f"{path} [lembar Jabatan, sel C4]: kolom 'Eselon': isi salah satu dari: I, II, III, IV, staf, "
            "fungsional (diterima: 'V')") in lines
    assert (f"{path} [lembar Indikator, sel N4]: kolom 'Kode indikator induk': indikator 'S01' tidak ada dalam "
            "daftar indikator pada berkas ini") in lines
    assert len(lines) == 4, lines  # the formula cell is not reported a second time by the model
    for english in (" or ", "Input should", "indikator[", "jabatan[", "Traceback"):
        assert english not in err


def test_a_required_value_of_a_sheet_left_out_names_sheet_and_column(tmp_path):
    path = tmp_path / "tanpa-lkjip.xlsx"
    wb = blank(path)
    base(wb)
    put(wb, "LKjIP Tanda Tangan", 3, ["Kata pengantar", None, "Serang", None, None, "Drs. H. Ahmad", "KADIS", None, "Plt."])
    wb.save(path)
    assert f"{path} [lembar LKjIP]: kolom 'Tahun': wajib diisi" in problems_of(path)


def test_a_required_value_left_empty_names_its_column(tmp_path):
    path = tmp_path / "kosong.xlsx"
    wb = blank(path)
    base(wb)
    wb["Indikator"]["D4"] = None
    wb.save(path)
    assert problems_of(path) == [f"{path} [lembar Indikator, sel D4]: kolom 'Nama indikator': wajib diisi"]


# -- 5. the blank template types unambiguously ----------------------------------------------------

def test_template_columns_are_preformatted(tmp_path):
    path = tmp_path / "templat.xlsx"
    wb = blank(path)

    def fmt(sheet: str, header: str) -> str:
        ws = wb[sheet]
        col = next(c for c in ws[1] if c.value == header).column_letter
        return ws.column_dimensions[col].number_format

    assert fmt("Indikator", "Target tahun berjalan") == "@"  # "45%" stays "45%"
    assert fmt("Indikator", "Kode indikator") == "@" and fmt("Jabatan", "NIP") == "@"  # "001" stays "001"
    assert fmt("Profil", "Tahun") == "0" and fmt("PK", "Tanggal tanda tangan") == "yyyy-mm-dd"
    assert fmt("Rencana Aksi", "Pagu (Rp)") == "#,##0"
    assert fmt("Laporan Bulanan", "Capaian (%)") == "General"  # a number as typed, never a percent cell
    assert fmt("Jabatan", "Nama jabatan") == "General"


def test_typed_text_in_a_text_cell_is_read_as_typed(tmp_path):
    """What Excel stores when a planner types into the template's text-formatted cells: the text itself."""
    path = tmp_path / "teks.xlsx"
    wb = blank(path)
    base(wb)
    for ref, typed in (("I4", "45%"), ("A4", "001")):
        cell = wb["Indikator"][ref]
        cell.value, cell.number_format = typed, "@"
    wb["Indikator"]["N4"] = "S1"
    wb.save(path)
    sub, _ = load_submission(path)
    assert sub.indikator[1].id == "001" and sub.indikator[1].target.as_written == "45%"


def test_the_review_planner_workbook_reaches_its_real_problems_in_one_run(tmp_path, capsys):
    """The usability review's planner (scripts/fill_template_as_planner.py, its mistakes), in one pass."""
    path = tmp_path / "isian.xlsx"
    wb = blank(path)
    put(wb, "Profil", 3, ["Dinas Perpustakaan dan Kearsipan", "2023 ", "Pemerintah Provinsi Banten", None, None, None,
                          "OPD"])
    put(wb, "Jabatan", 3, ["KADIS", "Kepala Dinas", "II.a", "Drs. H. Ahmad", "19700101 199503 1 001", "Tidak"])
    put(wb, "Jabatan", 4, ["SEKDIS", "Sekretaris Dinas", "Eselon III", "Hj. Siti", None, None, "KADIS"])
    put(wb, "Indikator", 3, ["S1", "Sasaran", "Minat baca", "IPLM", None, "Indeks", "Positif", None, "65,5", None,
                             None, None, None, None, "KADIS", "ya"])
    put(wb, "Indikator", 4, ["K1", "Sub Kegiatan", "Pembinaan", "Jumlah perpustakaan dibina", None, "Perpustakaan",
                             "positif", None, "1500", None, None, None, None, "S01", "SEKDIS", "tidak"])
    put(wb, "PK", 3, ["PK-KADIS", "KADIS", "murni", 2023, "16/01/2023", "Drs. H. Ahmad", "Gubernur Banten", None, "S1",
                      "65,5", "100%"])
    put(wb, "Rencana Aksi", 3, [2023, "20 Januari 2023", "Serang", "KADIS", "K1", "Pembinaan", "1500", 375, 375, 375,
                                375, "Perpustakaan", "Rp 1.250.000.000,-"])
    put(wb, "Rencana Aksi", 4, [None, None, None, None, "K1", "Total", None, None, None, None, None, None, 1250000000])
    put(wb, "Jabatan", 2, ["KABID", "Kepala Bidang Layanan", "III", "Rina", None, None, "KADIS"])
    wb.save(path)
    assert main(["check", str(path)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 3, lines
    assert "lembar Jabatan, baris 2]: baris 2 adalah baris petunjuk" in lines[0]
    assert "lembar Rencana Aksi, baris 4]: baris 'Total'" in lines[1]
    assert "lembar Indikator, sel N4]: kolom 'Kode indikator induk': indikator 'S01'" in lines[2]
    wb["Jabatan"].delete_rows(2)
    wb["Jabatan"].insert_rows(2)
    wb["Rencana Aksi"].delete_rows(4)
    wb["Indikator"]["N4"] = "S1"
    wb.save(path)
    sub, _ = load_submission(path)
    assert sub.profil.tahun == 2023 and sub.jabatan[0].eselon.value == "II"
    assert sub.perjanjian_kinerja[0].tanggal == dt.date(2023, 1, 16)


def test_list_values_as_written_in_yaml_too():
    """The model reads the same forms, so a YAML or JSON submission is as forgiving; other values are refused."""
    from sakip_checker.submission import build_submission

    data = {"profil": {"opd": "Dinas X", "tahun": 2023, "peran": "OPD"},
            "jabatan": [{"id": "KADIS", "nama": "Kepala Dinas", "eselon": "II.a"}],
            "indikator": [{"id": "S1", "level": "Sasaran", "uraian": "u", "nama": "n", "polaritas": "POSITIF",
                           "target": "1"},
                          {"id": "K1", "level": "Sub Kegiatan", "uraian": "u", "nama": "n", "induk": "S1",
                           "target": "1"}],
            "tindak_lanjut": [{"rekomendasi": "Susun cascading", "status": "Dalam proses"}]}
    sub = build_submission(data)
    assert (sub.profil.peran, sub.jabatan[0].eselon.value, sub.tindak_lanjut[0].status) == ("opd", "II", "proses")
    assert [i.level.value for i in sub.indikator] == ["sasaran", "sub_kegiatan"]
    assert sub.indikator[0].polaritas.value == "positif"
    data["indikator"][0]["level"] = "sasaran strategis"
    with pytest.raises(InputProblem) as err:
        build_submission(data)
    assert "indikator[0].level" in err.value.lines[0] and "'sasaran strategis'" in err.value.lines[0]


def test_two_values_of_one_document_head_name_the_column(tmp_path):
    path = tmp_path / "pk.xlsx"
    wb = blank(path)
    base(wb)
    put(wb, "PK", 3, ["PK-1", "KADIS", "murni", 2023, None, None, None, None, "S1", "65,5"])
    put(wb, "PK", 4, ["PK-1", "SEKDIS", None, None, None, None, None, None, "P1", "45%"])
    wb.save(path)
    assert problems_of(path) == [f"{path} [lembar PK, sel B4]: kolom 'Kode jabatan': 'SEKDIS' berbeda dengan 'KADIS' "
                                 "pada sel B3 untuk dokumen yang sama"]
