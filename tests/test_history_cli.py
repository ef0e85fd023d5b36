"""The province's year through the command line: `check --simpan`, the OPD's returned workbook imported back
(`tindak-lanjut impor`, bad rows named), overdue follow-ups, waivers in the store, `riwayat` and `banding`."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook

from sakip_checker.cli import main
from sakip_checker.store import open_store
from store_support import BIRO, CLEAN, biro_fixed, load, write_yaml


def run(args, capsys):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_check_simpan_marks_findings_against_the_previous_run(db_url, tmp_path, capsys):
    fixed = write_yaml(tmp_path / "biro-2023-perbaikan.yaml", biro_fixed())
    code, first, err = run(["check", BIRO, "--simpan", "--db", db_url], capsys)
    assert code == 0 and "run #1 (pemeriksaan pertama OPD ini)" in err
    assert "· baru" in first and "· berulang" not in first and "semua temuan baru" in first
    code, second, err = run(["check", fixed, "--simpan", "--db", db_url, "--oleh", "Evaluator A"], capsys)
    assert code == 0 and "dibandingkan dengan run #1" in err
    assert "· berulang" in second and "· baru" not in second
    assert "Dibandingkan dengan run #1" in second and "| REN-002 |" in second.split("## Riwayat temuan")[1]
    code, plain, _ = run(["check", fixed], capsys)
    assert "Riwayat" not in plain and "· berulang" not in plain  # without --simpan the report is as before
    code, csv_text, _ = run(["check", fixed, "--simpan", "--db", db_url, "--format", "csv"], capsys)
    header, *rows = csv.reader(io.StringIO(csv_text.lstrip("\ufeff")), delimiter=";")
    assert "Riwayat" in header and rows and all(r[header.index("Riwayat")] == "berulang" for r in rows)
    code, out, _ = run(["riwayat", "--db", db_url], capsys)
    assert code == 0 and out.count("| Biro Pemerintahan dan Otonomi Daerah | 2023 |") == 3


def _returned_workbook(db_url, tmp_path, capsys):
    path = tmp_path / "temuan.xlsx"
    code, _, _ = run(["check", BIRO, "--simpan", "--db", db_url, "--format", "xlsx", "-o", path], capsys)
    assert code == 0
    return path


def test_import_of_the_filled_workbook_names_every_bad_row(db_url, tmp_path, capsys):
    path = _returned_workbook(db_url, tmp_path, capsys)
    wb = load_workbook(path)  # the OPD fills it in with Excel: here openpyxl, cell by cell
    ws = wb["Tindak Lanjut"]
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) + 1 for name in ("Status", "Tanggal", "Bukti perbaikan", "Sidik jari")}
    assert ws.max_row >= 7
    ws.cell(2, col["Status"], "selesai")
    ws.cell(2, col["Tanggal"], dt.datetime(2024, 4, 2))
    ws.cell(2, col["Bukti perbaikan"], "Rencana Aksi bertanggal diunggah ulang ke SIMRAL")
    ws.cell(3, col["Status"], "proses")
    ws.cell(3, col["Tanggal"], "15-04-2024")
    ws.cell(4, col["Status"], "sudah")  # not in the drop-down
    ws.cell(5, col["Status"], "proses")
    ws.cell(5, col["Tanggal"], "31/13/2024")
    ws.cell(6, col["Status"], "selesai")
    ws.cell(6, col["Tanggal"], dt.datetime(2024, 4, 3))  # no evidence
    ws.cell(7, col["Sidik jari"]).value = None  # erased
    wb.save(path)
    code, _, err = run(["tindak-lanjut", "impor", path, "--db", db_url], capsys)
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 4
    assert f"{path}: lembar Tindak Lanjut, baris 4, kolom Status: 'sudah' tidak dikenal (harapkan belum, proses, selesai)" in lines
    assert any("baris 5, kolom Tanggal: '31/13/2024' bukan tanggal" in x for x in lines)
    assert any("baris 6, kolom Bukti perbaikan: kosong" in x for x in lines)
    assert any("baris 7, kolom Sidik jari: kosong" in x for x in lines)
    with open_store(db_url) as store:
        assert store.counts()["follow_ups"] == 0  # nothing recorded while a row is unreadable
    # the OPD corrects the rows
    ws.cell(4, col["Status"], "dalam proses")  # the old drop-down's wording is still understood
    ws.cell(4, col["Tanggal"], "2024-04-20")
    ws.cell(5, col["Tanggal"], "2024-04-21")
    ws.cell(6, col["Bukti perbaikan"], "Surat 800/12")
    ws.cell(7, col["Sidik jari"], "ffffffffffff")  # a fingerprint this OPD never had
    ws.cell(7, col["Status"], "proses")
    ws.cell(7, col["Tanggal"], "2024-04-22")
    wb.save(path)
    code, _, err = run(["tindak-lanjut", "impor", path, "--db", db_url], capsys)
    assert code == 2 and "baris 7, kolom Sidik jari: ffffffffffff tidak ada dalam riwayat" in err
    wb = load_workbook(path)
    wb["Tindak Lanjut"].delete_rows(7)
    wb.save(path)
    code, out, err = run(["tindak-lanjut", "impor", path, "--db", db_url, "--oleh", "Admin Inspektorat"], capsys)
    assert code == 0, err
    rows = load_workbook(path)["Tindak Lanjut"]
    n = {r: len(rows.cell(r, col["Sidik jari"]).value.split(",")) for r in range(2, 7)}
    unchanged = rows.max_row - 6
    assert (f"{sum(n.values())} status tindak lanjut disimpan (selesai {n[2] + n[6]}, proses {n[3] + n[4] + n[5]}, "
            f"belum 0); {unchanged} baris tanpa perubahan") in out
    done = [fp.strip() for fp in rows.cell(2, col["Sidik jari"]).value.split(",")]
    opd = "Biro Pemerintahan dan Otonomi Daerah"
    with open_store(db_url) as store:
        history = store.follow_up_history(opd, done[0])
        assert [(h.status, h.tanggal, h.oleh, h.sumber) for h in history] == [
            ("selesai", dt.date(2024, 4, 2), "Admin Inspektorat", "temuan.xlsx")]
        assert history[0].bukti == "Rencana Aksi bertanggal diunggah ulang ke SIMRAL"
        # overdue: everything not selesai, past its deadline
        code, out, _ = run(["tindak-lanjut", "terlambat", "--db", db_url, "--tanggal", "2099-01-01"], capsys)
        assert code == 0 and done[0] not in out and "| proses |" in out and "| belum |" in out
        code, out, _ = run(["tindak-lanjut", "terlambat", "--db", db_url, "--opd", opd,
                            "--tanggal", dt.date.today().isoformat()], capsys)
        assert "Tidak ada tindak lanjut yang terlambat" in out


def test_import_refuses_what_is_not_a_findings_workbook(tmp_path, capsys):
    other = tmp_path / "lain.xlsx"
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Data"
    wb.save(other)
    code, _, err = run(["tindak-lanjut", "impor", other, "--db", tmp_path / "r.db"], capsys)
    assert code == 2 and "baris 'OPD' tidak ada" in err and "lembar 'Tindak Lanjut' tidak ada" in err
    (tmp_path / "rusak.xlsx").write_bytes(b"bukan zip")
    code, _, err = run(["tindak-lanjut", "impor", tmp_path / "rusak.xlsx", "--db", tmp_path / "r.db"], capsys)
    assert code == 2 and "bukan buku kerja .xlsx" in err and "Traceback" not in err


def test_waivers_in_the_store(db_url, tmp_path, capsys):
    code, out, _ = run(["check", BIRO, "--format", "csv"], capsys)
    header, first, *_ = csv.reader(io.StringIO(out.lstrip("\ufeff")), delimiter=";")
    fp = first[header.index("Sidik jari")]
    code, out, err = run(["pengecualian", "tambah", "--db", db_url, "--sidik-jari", fp, "--alasan",
                          "Dinilai dapat diterima", "--oleh", "Evaluator B", "--tanggal", "2024-01-10",
                          "--sampai", "2099-12-31", "--opd", "Biro Pemerintahan dan Otonomi Daerah"], capsys)
    assert code == 0 and "pengecualian #1 dicatat" in out
    code, _, err = run(["pengecualian", "tambah", "--db", db_url, "--aturan", "UKR-001", "--alasan", "x",
                        "--oleh", "y"], capsys)
    assert code == 2 and "aturan bersama lokasi" in err
    code, out, _ = run(["pengecualian", "daftar", "--db", db_url], capsys)
    assert f"| 1 | Biro Pemerintahan dan Otonomi Daerah | {fp} |" in out and "2099-12-31" in out
    code, out, _ = run(["check", BIRO, "--simpan", "--db", db_url, "--format", "json"], capsys)
    data = json.loads(out)
    assert [w["finding"]["fingerprint"] for w in data["pengecualian"]["dikecualikan"]] == [fp]
    assert data["pengecualian"]["dikecualikan"][0]["waiver"]["sumber"] == "basis data #1"
    assert fp not in data["riwayat"]["status"]
    with open_store(db_url) as store:
        rows = store.run_findings(data["riwayat"]["run"])
        assert [r.fingerprint for r in rows if r.waived] == [fp]  # recorded, marked waived


def test_banding_two_files_side_by_side(tmp_path, capsys):
    clean = load(CLEAN)
    later = copy.deepcopy(clean)
    later["profil"]["tahun"] = 2024
    first = write_yaml(tmp_path / "a-2023.yaml", clean)
    second = write_yaml(tmp_path / "b-2024.yaml", later)
    code, out, err = run(["banding", second, first], capsys)  # given in any order: the earlier year first
    assert code == 0, err
    assert out.startswith("# Perbandingan antartahun: Biro")
    assert "| Indikator | Target 2023 | Realisasi 2023 | Capaian 2023 (%) | Target 2024 |" in out
    assert "| Keseluruhan |" in out and "Temuan berulang (0)" in out and "Temuan selesai (0)" in out
    new = int(out.split("Temuan baru (")[1].split(")")[0])
    assert new > 0  # the 2023 dates are wrong for 2024
    code, page, _ = run(["banding", first, second, "--format", "html", "-o", tmp_path / "banding.html"], capsys)
    html = (tmp_path / "banding.html").read_text(encoding="utf-8")
    assert code == 0 and html.startswith("<!DOCTYPE html>") and f"Temuan baru ({new})" in html
    code, _, err = run(["banding", first], capsys)
    assert code == 2 and "tepat dua pemeriksaan" in err


def test_banding_two_stored_runs(tmp_path, capsys):
    db = tmp_path / "r.db"
    fixed = write_yaml(tmp_path / "perbaikan.yaml", biro_fixed())
    assert run(["check", BIRO, "--simpan", "--db", db], capsys)[0] == 0
    assert run(["check", fixed, "--simpan", "--db", db], capsys)[0] == 0
    code, out, err = run(["banding", "--run", "1", "--run", "2", "--db", db], capsys)
    assert code == 0, err
    assert "Temuan selesai (1)" in out and "| REN-002 |" in out.split("## Temuan selesai")[1]
    assert "Temuan baru (0)" in out
    code, _, err = run(["banding", "--run", "1", "--run", "9", "--db", db], capsys)
    assert code == 2 and "--run 9: tidak ada" in err


def test_store_options_need_simpan(capsys):
    code, _, err = run(["check", BIRO, "--db", "x.db"], capsys)
    assert code == 2 and "--db hanya berlaku bersama --simpan" in err


def test_one_vocabulary_of_follow_up_statuses():
    import typing

    from sakip_checker.excel import SHEETS
    from sakip_checker.model import TindakLanjut
    from sakip_checker.store.vocabulary import STATUSES
    from sakip_checker.reports.workbook import STATUS

    assert set(typing.get_args(TindakLanjut.model_fields["status"].annotation)) == set(STATUSES)
    assert STATUS == STATUSES
    # the follow-up matrix's status column (the LKjIP signature sheet's "status" is an official's: definitif/plt/...)
    columns = [c for sheet in SHEETS if sheet.section == "tindak_lanjut" for c in (*sheet.head, *sheet.rows)
               if c.field == "status"]
    assert columns and all(set(c.choices) == set(STATUSES) for c in columns)
