"""The LKjIP as it is really written (issue 8): the model holds every statement with its place, the
Pasal 27 comparisons, the budget tables, the declared efficiency method and what shows the reporting year;
bad input is one line per problem naming the place; month-only dates are read as months."""

import datetime as dt
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from sakip_checker.cli import main
from sakip_checker.excel import SHEETS, write_workbook
from sakip_checker.facts import FACT_TYPES, build_facts
from sakip_checker.model import Submission, TanggalBulan, is_month_only, parse_date_or_month
from sakip_checker.submission import load_submission

ROOT = Path(__file__).resolve().parent.parent
LKIP = ROOT / "examples/lkip-2021-biro-pemerintahan-kesra.yaml"


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "pengajuan.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return path


def base(**lkjip) -> dict:
    return {"profil": {"opd": "Biro Contoh", "tahun": 2021}, "lkjip": {"tahun": 2021, **lkjip}}


@pytest.mark.parametrize("text,expected", [
    ("Januari 2025", (2025, 1)), ("bulan Desember 2021", (2021, 12)), ("Nopember 2020", (2020, 11)),
    ("February 2021", (2021, 2)),
])
def test_a_month_only_date_is_read_as_a_month(text, expected):
    value = parse_date_or_month(text)
    assert isinstance(value, TanggalBulan) and (value.year, value.month) == expected and is_month_only(value)
    assert value.bulan_iso() == f"{expected[0]:04d}-{expected[1]:02d}"
    assert not is_month_only(parse_date_or_month("7 Januari 2022"))


def test_a_pk_dated_by_month_only_is_not_refused(tmp_path):
    data = {"profil": {"opd": "Biro Contoh", "tahun": 2025},
            "jabatan": [{"id": "SEKDA", "nama": "Sekretaris Daerah", "eselon": "I"}],
            "indikator": [{"id": "S1", "level": "sasaran", "uraian": "Sasaran", "nama": "Indeks A", "target": "3,4"}],
            "perjanjian_kinerja": [{"id": "PK1", "jabatan": "SEKDA", "tahun": 2025, "tanggal": "Januari 2025",
                                    "indikator": [{"indikator": "S1", "target": "3,4"}]}]}
    sub, _ = load_submission(write(tmp_path, data))
    assert sub.perjanjian_kinerja[0].tanggal == dt.date(2025, 1, 1)
    pk = build_facts(sub).of("pk")[0]
    assert pk.fields["tanggal_hanya_bulan"] is True and pk.fields["tanggal"] == "2025-01-01"
    bad = write(tmp_path, {**data, "perjanjian_kinerja": [{**data["perjanjian_kinerja"][0], "tanggal": "Janvier 2025"}]})
    assert main(["check", str(bad)]) == 2


def test_budget_rows_refuse_a_total_used_as_child_or_parent_and_unknown_parents(tmp_path, capsys):
    path = write(tmp_path, base(anggaran=[
        {"tabel": "Tabel 3.1", "id": "1", "tingkat": "program", "pagu_murni": "100.000"},
        {"tabel": "Tabel 3.1", "tingkat": "jumlah", "pagu_murni": "100.000", "induk": "1"},
        {"tabel": "Tabel 3.1", "id": "J", "tingkat": "jumlah", "pagu_murni": "100.000"},
        {"tabel": "Tabel 3.1", "id": "1.1", "induk": "J", "tingkat": "kegiatan", "pagu_murni": "100.000"},
        {"tabel": "Tabel 3.1", "id": "1.2", "induk": "9", "tingkat": "kegiatan"},
        {"tabel": "Lampiran 1", "id": "1.3", "induk": "1", "tingkat": "kegiatan"},  # parents resolve per table
        {"tabel": "Tabel 3.1", "id": "1", "tingkat": "program"},
    ]))
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 5 and all(line.startswith(f"{path}:") for line in err)
    text = "\n".join(err)
    assert "lkjip.anggaran[1].induk: baris jumlah adalah total" in text
    assert "lkjip.anggaran[3].induk: baris induk 'J' adalah baris jumlah" in text
    assert "lkjip.anggaran[4].induk: baris induk '9' tidak ada dalam tabel 'Tabel 3.1'" in text
    assert "lkjip.anggaran[5].induk: baris induk '1' tidak ada dalam tabel 'Lampiran 1'" in text
    assert "lkjip.anggaran[6].id: id '1' dipakai lebih dari sekali dalam tabel 'Tabel 3.1'" in text


def test_a_rupiah_amount_with_three_decimals_is_an_input_error(tmp_path, capsys):
    path = write(tmp_path, base(total_anggaran="2.500,000",
                                anggaran=[{"tabel": "Tabel 3.1", "tingkat": "jumlah", "pagu_murni": "20.160.770.750,00"}]))
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "lkjip.total_anggaran" in err[0] and "tiga angka desimal" in err[0]


def test_statement_weekday_and_references_are_checked(tmp_path, capsys):
    path = write(tmp_path, base(pernyataan=[{"bagian": "pengukuran", "capaian": "100"},
                                            {"indikator": "X9", "bagian": "kesimpulan"}],
                                tanggal_kegiatan=[{"hari": "Rabo", "tanggal": "19 Februari 2021"}]))
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "lkjip.pernyataan[0]: isi indikator (id cascade) atau uraian" in err
    assert "lkjip.tanggal_kegiatan[0].hari: nama hari \"Rabo\" tidak dikenal" in err
    fixed = write(tmp_path, base(pernyataan=[{"indikator": "X9", "bagian": "kesimpulan"}],
                                 tanggal_kegiatan=[{"hari": "Jum'at", "tanggal": "19 Februari 2021"}],
                                 efisiensi={"metode": "capaian_dikurangi_serapan", "baris": [{"anggaran": "Z"}]}))
    assert main(["check", str(fixed)]) == 2
    err = capsys.readouterr().err
    assert "lkjip.pernyataan[0].indikator: indikator 'X9' tidak ada" in err
    assert "lkjip.efisiensi.baris[0].anggaran: baris anggaran 'Z' tidak ada dalam lkjip.anggaran" in err
    ok = write(tmp_path, base(tanggal_kegiatan=[{"hari": "JUM'AT", "tanggal": "19 Februari 2021"}]))
    assert load_submission(ok)[0].lkjip.tanggal_kegiatan[0].hari == "Jumat"


def test_the_lkip_2021_example_holds_every_section_with_its_place():
    sub, doc = load_submission(LKIP)
    lk = sub.lkjip
    assert (lk.tahun, len(lk.baris), len(lk.tanggal_kegiatan), len(lk.tanda_tangan)) == (2021, 35, 42, 3)
    assert {a.tabel for a in lk.anggaran} == {"BAB II", "Tabel 2.1", "Tabel 3.1", "Tabel 8.4", "Lampiran 1"}
    assert [a.sumber for a in lk.anggaran if a.tingkat == "jumlah"] == ["badan", "badan", "lampiran"]
    assert lk.efisiensi.metode == "tidak_ada" and lk.tanda_draf[0].teks == "~~ BAHAN ~~"
    assert is_month_only(lk.tanda_tangan[2].tanggal) and lk.tanda_tangan[2].tanggal.month == 12
    facts = build_facts(sub)
    statements = facts.of("lkjip_pernyataan")
    assert len(statements) == len(lk.pernyataan) > 200
    # every statement names its place, which a finding's message can quote
    assert all(s.fields["letak"] and s.fields["halaman"] for s in statements)
    ksd = [s for s in statements if s.fields["indikator"] == "OUT-KSD-1" and s.fields["realisasi"] is not None]
    assert {(s.fields["letak"].split()[1], str(s.fields["realisasi"])) for s in ksd} == {("3.2", "9"), ("8.5", "9"), ("8.1", "7")}
    assert doc.line_of("lkjip.pernyataan[0]")  # findings point at the YAML line


def test_every_lkjip_section_has_a_sheet_and_fact_type():
    sections = {s.section for s in SHEETS if s.parent == "lkjip"}
    nested = {name for name, f in Submission.model_fields["lkjip"].annotation.__args__[0].model_fields.items()
              if name not in ("tahun", "tanggal", "total_anggaran", "total_realisasi_anggaran", "baris")}
    assert sections == nested
    for t in ("lkjip_pernyataan", "lkjip_realisasi_tahunan", "lkjip_perbandingan", "lkjip_pembanding", "lkjip_anggaran",
              "lkjip_efisiensi", "lkjip_efisiensi_baris", "lkjip_label_tahun", "lkjip_tanggal", "lkjip_tanda_tangan",
              "lkjip_dasar_hukum", "lkjip_draf", "lkjip_jumlah"):
        assert t in FACT_TYPES


def test_schema_documents_the_new_fields(capsys):
    assert main(["schema"]) == 0
    out = capsys.readouterr().out
    for name in ("LkjipPernyataan", "LkjipAnggaran", "LkjipEfisiensi", "LkjipTandaTangan", "penyebab", "metode_pengukuran",
                 "pagu_perubahan", "klaim_tren", "sumber_standar", "tanda_draf", "bulan saja", "LkjipJumlah",
                 "target_keluaran", "realisasi_keluaran", "satuan_keluaran", "keterangan", "tidak_dapat_diukur",
                 "peringkat_tertulis"):
        assert name in out


def test_workbook_reads_a_month_typed_as_text_and_names_a_bad_cell(tmp_path, capsys):
    from openpyxl import load_workbook

    path = tmp_path / "isi.xlsx"
    write_workbook(path)
    wb = load_workbook(path)
    wb["Profil"].append(["Biro Contoh", 2021])
    wb["LKjIP"].append([2021])
    wb["LKjIP Tanda Tangan"].append(["Lampiran 1", "L1174", "Serang", "Desember 2021", "Serang, Desember 2021"])
    wb["LKjIP Anggaran"].append(["Tabel 3.1", "badan", "1", None, "program", None, "Program A", "2.500,000"])
    wb.save(path)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "lembar LKjIP Anggaran, sel H3" in err  # "2.500,000" is an input error naming the cell
    wb = load_workbook(path)
    wb["LKjIP Anggaran"]["H3"] = "2.500.000"
    wb.save(path)
    sub, _ = load_submission(path)
    assert is_month_only(sub.lkjip.tanda_tangan[0].tanggal) and sub.lkjip.anggaran[0].pagu_murni == 2500000


PRINTED = {  # what a clerk reads off the printed report besides (LKIP 2021 defects 7, 35, 40-42, 49)
    "baris": [{"indikator": "S1", "target": "3,3", "realisasi": "3.3", "capaian": "100", "peringkat_tertulis": "SANGAT  TINGGI"}],
    "pernyataan": [{"indikator": "S1", "bagian": "analisis", "letak": "BAB IX", "halaman": "L1051",
                    "tidak_dapat_diukur": True, "kutipan": "Belum adanya rincian dan indikator terkait pengukuran nilai IKM"}],
    "anggaran": [{"tabel": "Lampiran 1", "sumber": "lampiran", "id": "4.01.01.1.01.06", "tingkat": "sub_kegiatan",
                  "uraian": "Evaluasi Kinerja Perangkat Daerah", "pagu_murni": "9.100.000,00", "realisasi": "0,00",
                  "target_keluaran": "1", "realisasi_keluaran": "0", "satuan_keluaran": "Kegiatan",
                  "keterangan": "Tersusunnya dokumen evaluasi"}],
    "jumlah": [{"besaran": "kegiatan", "jumlah": 9, "tabel": "Lampiran 1", "kutipan": "2 program, 9 kegiatan",
                "letak": "BAB II", "halaman": "L124"}],
}


def test_printed_fields_round_trip_through_the_workbook(tmp_path):
    data = base(**PRINTED)
    data["indikator"] = [{"id": "S1", "level": "sasaran", "uraian": "Sasaran", "nama": "Nilai IKM", "target": "3,3"}]
    sub, _ = load_submission(write(tmp_path, data))
    lk = sub.lkjip
    assert lk.baris[0].peringkat_tertulis == "Sangat tinggi"  # as people print it, read as the Tabel B.2 label
    assert lk.pernyataan[0].tidak_dapat_diukur is True and lk.jumlah[0].jumlah == 9
    assert (lk.anggaran[0].target_keluaran, lk.anggaran[0].realisasi_keluaran) == (1, 0)
    path = tmp_path / "cetak.xlsx"
    write_workbook(path, sub)
    again, _ = load_submission(path)
    assert again == sub
    assert "LKjIP Jumlah" in {s.name for s in SHEETS} and "LKjIP Jumlah" in load_workbook(path).sheetnames


def test_printed_fields_refuse_what_they_cannot_hold(tmp_path, capsys):
    data = base(baris=[{"indikator": "S1", "peringkat_tertulis": "Baik"}],
                jumlah=[{"besaran": "keluaran", "jumlah": -1}, {"besaran": "program", "jumlah": 2, "tabel": "Tabel 9"}])
    data["indikator"] = [{"id": "S1", "level": "sasaran", "uraian": "Sasaran", "nama": "Nilai IKM", "target": "3,3"}]
    path = write(tmp_path, data)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "lkjip.baris[0].peringkat_tertulis" in err and "Sangat tinggi" in err
    assert "lkjip.jumlah[0].jumlah" in err
    assert "Traceback" not in err
