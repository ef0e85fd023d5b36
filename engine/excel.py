"""The workbook OPD planners fill: one sheet per document of the submission (openpyxl).

Row 1 holds the Indonesian headers, row 2 a short instruction, data start on row 3. Documents made of a
head and rows (PK, Rencana Aksi, monthly reports, LKjIP, IKU) repeat the head's columns on every row; a
head value written once (or in a merged cell) applies to its rows, and two different values for the same
document are an error naming both cells. Every cell that cannot be read is an error naming sheet and
cell; completely empty rows carry nothing and are passed over; every other row is read or reported.

``write_workbook`` writes a submission (or nothing: the blank template) with drop-down lists and number
formats; ``read_workbook`` reads it back into the data a Submission is validated from. The round trip
is lossless: numbers keep the decimals they were written with through the cell's number format.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sakip_checker.inputs import LIMITS, Document, InputProblem, nearest, read_bytes
from sakip_checker.model import BAGIAN_LKJIP, HARI, Eselon, Level, Polaritas, Submission, is_month_only

YA_TIDAK = ("ya", "tidak")
UNITS = ("%", "Dokumen", "Laporan", "Indeks", "Nilai", "Orang", "Unit", "Kegiatan", "Rupiah", "Hari", "Predikat")
FIRST_DATA_ROW = 3


@dataclass(frozen=True)
class Col:
    field: str
    header: str
    kind: str = "text"  # text | number | target | date | int | bool | enum | lines | tw
    choices: tuple[str, ...] = ()
    strict: bool = True  # drop-down list refuses other values (False: suggestions only)
    width: int = 16


@dataclass(frozen=True)
class Sheet:
    name: str
    section: str
    head: tuple[Col, ...]  # fields of the document (or of the single row for `rows` sheets)
    rows: tuple[Col, ...] = ()  # fields of each child row
    child: str | None = None  # key of the child list in the document
    many: bool = False  # several documents (grouped by the first head column) or one
    plain_child: bool = False  # each child row is a single value (an indicator id), not a record
    note: str = ""
    parent: str | None = None  # the section is a field of this section (e.g. lkjip.pernyataan)


SHEETS: tuple[Sheet, ...] = (
    Sheet("Profil", "profil", (
        Col("opd", "Nama OPD", width=40), Col("tahun", "Tahun", "int", width=8), Col("induk", "Induk organisasi", width=34),
        Col("kelompok", "Kelompok (Tabel A.2)"), Col("asisten", "Asisten Daerah", width=30),
        Col("nama_lampiran", "Nama dalam Tabel A.2 (bila berganti nama)", width=34),
        Col("peran", "Peran", "enum", ("opd", "bappeda", "inspektorat", "sekretariat_daerah"), width=16),
        Col("dokumen", "Dokumen diajukan (satu per baris; kosong = semua)", "lines", width=24),
        Col("bulan_pelaporan", "Laporan bulanan jatuh tempo s.d. bulan", "int", width=14),
        Col("notasi", "Notasi angka (untuk 1.500 / 1,234)", "enum", ("indonesia", "internasional"), width=14),
    ), note="Satu baris: identitas OPD dan tahun yang diperiksa."),
    Sheet("Jabatan", "jabatan", (), (
        Col("id", "Kode jabatan", width=12), Col("nama", "Nama jabatan", width=40),
        Col("eselon", "Eselon", "enum", tuple(e.value for e in Eselon), width=10), Col("pemegang", "Pemegang", width=28),
        Col("nip", "NIP", width=22), Col("plt", "Plt.", "bool", YA_TIDAK, width=7), Col("atasan", "Kode jabatan atasan", width=14),
        Col("tupoksi", "Tugas pokok dan fungsi", width=40),
    ), many=True, note="Satu baris per jabatan; atasan diisi dengan kode jabatan atasan langsung."),
    Sheet("Indikator", "indikator", (), (
        Col("id", "Kode indikator", width=12), Col("level", "Tingkat", "enum", tuple(lv.value for lv in Level), width=12),
        Col("uraian", "Tujuan/sasaran/program/kegiatan", width=40), Col("nama", "Nama indikator", width=44),
        Col("kode", "Kode (Permendagri 90/2019)", width=16), Col("satuan", "Satuan", "enum", UNITS, strict=False, width=10),
        Col("polaritas", "Polaritas", "enum", tuple(p.value for p in Polaritas), width=10),
        Col("baseline", "Baseline", "number", width=10), Col("target", "Target tahun berjalan", "target", width=14),
        Col("target_akhir", "Target akhir Renstra", "target", width=14), Col("definisi", "Definisi operasional", width=36),
        Col("formula", "Formula", width=30), Col("sumber_data", "Sumber data", width=24),
        Col("induk", "Kode indikator induk", width=12), Col("penanggung_jawab", "Kode jabatan penanggung jawab", width=14),
        Col("iku", "IKU", "bool", YA_TIDAK, width=7), Col("rpjmd", "Indikator RPJMD yang didukung", width=36),
    ), many=True, note="Cascade Renstra: satu baris per indikator; induk = indikator satu tingkat di atasnya."),
    Sheet("IKU", "iku", (Col("nomor_sk", "Nomor SK IKU", width=24), Col("tanggal", "Tanggal SK", "date", width=14)),
          (Col("indikator", "Kode indikator IKU", width=16),), child="indikator", plain_child=True,
          note="Satu baris per indikator IKU; nomor dan tanggal SK cukup diisi sekali."),
    Sheet("PK", "perjanjian_kinerja", (
        Col("id", "Kode PK", width=14), Col("jabatan", "Kode jabatan", width=12),
        Col("jenis", "Jenis", "enum", ("murni", "perubahan"), width=11), Col("tahun", "Tahun", "int", width=8),
        Col("tanggal", "Tanggal tanda tangan", "date", width=14), Col("pihak_pertama", "Pihak pertama", width=26),
        Col("pihak_kedua", "Pihak kedua", width=26), Col("alasan_perubahan", "Alasan perubahan", width=30),
    ), (Col("indikator", "Kode indikator", width=12), Col("target", "Target", "target", width=14),
        Col("bobot", "Bobot (%)", "number", width=9)), child="indikator", many=True,
        note="Satu baris per indikator PK; kolom PK (kode s.d. alasan) cukup diisi pada baris pertama setiap PK."),
    Sheet("Rencana Aksi", "rencana_aksi", (
        Col("tahun", "Tahun", "int", width=8), Col("tanggal", "Tanggal tanda tangan", "date", width=14),
        Col("tempat", "Tempat", width=12), Col("penandatangan", "Kode jabatan penanda tangan", width=14),
    ), (Col("indikator", "Kode indikator", width=12), Col("kegiatan", "Kegiatan", width=36),
        Col("target", "Target", "target", width=12), Col("tw", "TW I", "tw", width=8), Col("tw", "TW II", "tw", width=8),
        Col("tw", "TW III", "tw", width=8), Col("tw", "TW IV", "tw", width=8),
        Col("tw_satuan", "Satuan TW", "enum", UNITS, strict=False, width=10), Col("pagu", "Pagu (Rp)", "number", width=16),
        Col("strategi", "Strategi", width=34), Col("kebijakan", "Kebijakan (satu per baris)", "lines", width=40)),
        child="baris", note="Satu baris per kegiatan; tanggal kosong bila dokumen tidak bertanggal."),
    Sheet("Laporan Bulanan", "laporan_bulanan", (
        Col("bulan", "Bulan", "int", tuple(str(m) for m in range(1, 13)), width=7), Col("tahun", "Tahun", "int", width=8),
        Col("tanggal_kirim", "Tanggal kirim", "date", width=14), Col("realisasi_anggaran", "Realisasi anggaran (Rp)", "number", width=16),
    ), (Col("indikator", "Kode indikator", width=12), Col("realisasi", "Realisasi s.d. bulan ini", "number", width=12),
        Col("capaian", "Capaian (%)", "number", width=10), Col("sumber_data", "Sumber data", width=24),
        Col("bukti", "Bukti dukung", width=24)), child="capaian", many=True,
        note="Satu baris per indikator per bulan; kolom bulan s.d. realisasi anggaran cukup diisi pada baris pertama bulan itu."),
    Sheet("Renja", "renja", (), (
        Col("kode", "Kode (1)", width=16), Col("uraian", "Urusan/program/kegiatan (2)", width=36),
        Col("indikator", "Indikator kinerja (3)", width=30), Col("lokasi_renja", "Lokasi Renja (4)", width=14),
        Col("lokasi_rka", "Lokasi RKA (4)", width=14), Col("target_renja", "Target Renja (5)", "target", width=12),
        Col("target_rka", "Target RKA (5)", "target", width=12), Col("dana_renja", "Dana Renja (6)", "number", width=16),
        Col("dana_rka", "Dana RKA (6)", "number", width=16), Col("target_maju_renja", "Target maju Renja (7)", "target", width=12),
        Col("target_maju_rka", "Target maju RKA (7)", "target", width=12),
        Col("dana_maju_renja", "Dana maju Renja (8)", "number", width=16), Col("dana_maju_rka", "Dana maju RKA (8)", "number", width=16),
        Col("kesesuaian", "Kesesuaian (9)/(10)", "enum", YA_TIDAK, width=10), Col("evaluasi", "Evaluasi (11)", width=24),
        Col("tindak_lanjut", "Tindak lanjut (12)", width=24), Col("hasil_tindak_lanjut", "Hasil tindak lanjut (13)", width=24),
    ), many=True, note="Formulir B.1 (Lampiran B): satu baris per program/kegiatan."),
    Sheet("Formulir B.1", "formulir_b1", (
        Col("tanggal", "Tanggal formulir", "date", width=14), Col("penandatangan", "Kode jabatan penanda tangan", width=14),
        Col("tanggal_terima_rekomendasi", "Tanggal rekomendasi diterima", "date", width=16),
        Col("tanggal_kirim_tindak_lanjut", "Tanggal tindak lanjut dikirim", "date", width=16),
        Col("periode_renja", "Periode Renja", "int", width=10), Col("periode_rka", "Periode RKA", "int", width=10),
    ), note="Satu baris: tanggal dan penanda tangan Formulir B.1, serta tanggal rekomendasi dan tindak lanjutnya."),
    Sheet("LKjIP", "lkjip", (Col("tahun", "Tahun", "int", width=8), Col("tanggal", "Tanggal", "date", width=14),
                             Col("total_anggaran", "Jumlah anggaran (Rp)", "number", width=16),
                             Col("total_realisasi_anggaran", "Jumlah realisasi anggaran (Rp)", "number", width=16)), (
        Col("indikator", "Kode indikator", width=12), Col("target", "Target", "target", width=12),
        Col("realisasi", "Realisasi", "number", width=12), Col("capaian", "Capaian (%)", "number", width=10),
        Col("realisasi_tahun_lalu", "Realisasi tahun lalu", "number", width=12),
        Col("tahun_realisasi", "Tahun data realisasi", "int", width=10),
        Col("target_akhir_renstra", "Target akhir Renstra", "target", width=12),
        Col("standar_nasional", "Standar nasional/RPJMN", "number", width=12),
        Col("keterangan_standar_nasional", "Keterangan standar nasional", width=28),
        Col("pembanding", "Instansi pembanding", width=28), Col("nilai_pembanding", "Nilai pembanding", "number", width=12),
        Col("anggaran", "Anggaran (Rp)", "number", width=16), Col("realisasi_anggaran", "Realisasi anggaran (Rp)", "number", width=16),
        Col("persentase_anggaran", "Serapan anggaran (%)", "number", width=10), Col("efisiensi", "Efisiensi (%)", "number", width=10),
        Col("rencana_perbaikan", "Rencana perbaikan", width=30),
        Col("sumber_data", "Sumber data", width=24), Col("bukti", "Bukti dukung", width=24),
        Col("metode_pengukuran", "Metode pengukuran", width=24),
        Col("proksi", "Realisasi proksi tahun sebelumnya", "bool", YA_TIDAK, width=10),
        Col("penyebab", "Penyebab capaian rendah", width=30),
        Col("peringkat_tertulis", "Peringkat tertulis (Tabel B.2)", "enum",
            ("Sangat tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah"), width=14),
    ), child="baris", note="Satu baris per indikator (Pasal 27 huruf a-e; analisis efisiensi Pasal 11)."),
    Sheet("LKjIP Pernyataan", "pernyataan", (), (
        Col("indikator", "Kode indikator", width=12), Col("uraian", "Uraian besaran (bila bukan indikator)", width=30),
        Col("bagian", "Bagian LKjIP", "enum", BAGIAN_LKJIP, width=16), Col("letak", "Tabel/subbab", width=18),
        Col("halaman", "Halaman/baris", width=10), Col("target", "Target", "target", width=12),
        Col("realisasi", "Realisasi", "number", width=12), Col("capaian", "Capaian (%)", "number", width=10),
        Col("satuan", "Satuan", "enum", UNITS, strict=False, width=10), Col("tahun", "Tahun tertulis", "int", width=8),
        Col("penanggung_jawab", "Kode jabatan penanggung jawab", width=14), Col("kutipan", "Kutipan", width=40),
        Col("tidak_dapat_diukur", "Dinyatakan tidak dapat diukur", "bool", YA_TIDAK, width=10),
    ), many=True, parent="lkjip",
        note="Setiap tempat LKjIP menyatakan target/realisasi/capaian suatu indikator: satu baris per pernyataan, "
        "seperti tercetak."),
    Sheet("LKjIP Realisasi Tahunan", "realisasi_tahunan", (), (
        Col("indikator", "Kode indikator", width=12), Col("tahun", "Tahun", "int", width=8),
        Col("realisasi", "Realisasi", "number", width=12), Col("letak", "Tabel/subbab", width=18),
        Col("halaman", "Halaman/baris", width=10),
    ), many=True, parent="lkjip", note="Deret realisasi per tahun Renstra (Pasal 27 huruf a dan c)."),
    Sheet("LKjIP Perbandingan", "perbandingan", (), (
        Col("indikator", "Kode indikator", width=12), Col("target_akhir_renstra", "Target akhir Renstra", "target", width=12),
        Col("tahun_akhir_renstra", "Tahun akhir Renstra", "int", width=8),
        Col("persentase_renstra", "Capaian thd target akhir (%)", "number", width=12),
        Col("sisa_renstra", "Sisa thd target akhir", "number", width=12), Col("klaim_tren", "Klaim tren (tertulis)", width=30),
        Col("tren", "Arti klaim tren", "enum",
            ("meningkat", "selalu_meningkat", "menurun", "selalu_menurun", "tetap", "fluktuatif"), width=14),
        Col("standar_nasional", "Standar nasional", "number", width=12), Col("sumber_standar", "Sumber standar", width=24),
        Col("letak", "Tabel/subbab", width=18), Col("halaman", "Halaman/baris", width=10),
    ), many=True, parent="lkjip", note="Perbandingan Pasal 27 huruf c dan d sebagaimana dinyatakan, satu baris per indikator."),
    Sheet("LKjIP Pembanding", "pembanding", (), (
        Col("indikator", "Kode indikator", width=12), Col("instansi", "Instansi pembanding", width=30),
        Col("nilai", "Nilai", "number", width=12), Col("tahun", "Tahun", "int", width=8), Col("sumber", "Sumber", width=24),
        Col("letak", "Tabel/subbab", width=18), Col("halaman", "Halaman/baris", width=10),
    ), many=True, parent="lkjip", note="Pembanding instansi lain (Pasal 27 huruf e): satu baris per instansi per indikator."),
    Sheet("LKjIP Anggaran", "anggaran", (), (
        Col("tabel", "Tabel", width=14), Col("sumber", "Badan/lampiran", "enum", ("badan", "lampiran"), width=10),
        Col("id", "Kode baris", width=12), Col("induk", "Kode baris induk", width=12),
        Col("tingkat", "Tingkat", "enum", ("program", "kegiatan", "sub_kegiatan", "jumlah"), width=12),
        Col("kode", "Kode program/kegiatan", width=16), Col("uraian", "Uraian", width=36),
        Col("pagu_murni", "Pagu murni (Rp)", "number", width=16), Col("pagu_perubahan", "Pagu perubahan (Rp)", "number", width=16),
        Col("realisasi", "Realisasi (Rp)", "number", width=16), Col("sisa", "Sisa (Rp)", "number", width=16),
        Col("persentase", "Serapan (%)", "number", width=10),
        Col("sasaran", "Kode indikator sasaran (satu per baris)", "lines", width=16),
        Col("halaman", "Halaman/baris", width=10),
        Col("target_keluaran", "Rencana keluaran", "number", width=10),
        Col("realisasi_keluaran", "Realisasi keluaran", "number", width=10),
        Col("satuan_keluaran", "Satuan keluaran", width=12), Col("keterangan", "Keterangan", width=36),
    ), many=True, parent="lkjip",
        note="Satu baris per baris tabel anggaran (badan laporan dan lampiran); baris Jumlah bertingkat 'jumlah'."),
    Sheet("LKjIP Efisiensi", "efisiensi", (
        Col("metode", "Metode efisiensi", "enum",
            ("capaian_dikurangi_serapan", "sisa_per_pagu", "biaya_per_output", "tidak_ada"), width=20),
        Col("letak", "Tabel/subbab", width=18), Col("halaman", "Halaman/baris", width=10), Col("kutipan", "Kutipan", width=30),
    ), (Col("indikator", "Kode indikator", width=12), Col("anggaran", "Kode baris anggaran", width=12),
        Col("capaian", "Capaian (%)", "number", width=10), Col("serapan", "Serapan (%)", "number", width=10),
        Col("efisiensi", "Efisiensi", "number", width=10), Col("output", "Jumlah keluaran", "number", width=10),
        Col("biaya_per_output", "Biaya per keluaran (Rp)", "number", width=16), Col("halaman", "Halaman/baris", width=10)),
        child="baris", parent="lkjip",
        note="Analisis efisiensi (Pasal 11) seperti dinyatakan: metode cukup diisi pada baris pertama."),
    Sheet("LKjIP Label Tahun", "label_tahun", (), (
        Col("tahun", "Tahun tertulis", "int", width=8),
        Col("jenis", "Jenis", "enum", ("judul", "bagian", "tabel", "kolom", "dpa", "teks"), width=10),
        Col("teks", "Teks tercetak", width=40), Col("letak", "Tabel/subbab", width=18), Col("halaman", "Halaman/baris", width=10),
    ), many=True, parent="lkjip", note="Tahun yang tercetak pada judul, bab, tabel, kolom, DPA atau kalimat."),
    Sheet("LKjIP Tanggal", "tanggal_kegiatan", (), (
        Col("tertulis", "Tanggal tercetak", width=30), Col("hari", "Hari tercetak", "enum", HARI, strict=False, width=10),
        Col("tanggal", "Tanggal", "date", width=14), Col("kegiatan", "Kegiatan", width=30),
        Col("letak", "Tabel/subbab", width=18), Col("halaman", "Halaman/baris", width=10),
    ), many=True, parent="lkjip", note="Tanggal kegiatan/bukti seperti tercetak, dengan nama harinya bila tercetak."),
    Sheet("LKjIP Tanda Tangan", "tanda_tangan", (), (
        Col("letak", "Bagian", width=18), Col("halaman", "Halaman/baris", width=10), Col("tempat", "Tempat", width=12),
        Col("tanggal", "Tanggal (atau bulan)", "date", width=14), Col("tertulis", "Tanggal tercetak", width=24),
        Col("nama", "Nama penanda tangan", width=28), Col("jabatan", "Kode jabatan", width=12),
        Col("jabatan_tertulis", "Jabatan tercetak", width=30),
        Col("status", "Status", "enum", ("definitif", "plt", "pj", "plh"), width=10),
    ), many=True, parent="lkjip", note="Setiap blok tanda tangan LKjIP (kata pengantar, penutup, lampiran)."),
    Sheet("LKjIP Dasar Hukum", "dasar_hukum", (), (
        Col("jenis", "Jenis peraturan", width=30), Col("nomor", "Nomor", width=8), Col("tahun", "Tahun", "int", width=8),
        Col("tentang", "Tentang", width=40), Col("letak", "Tabel/subbab", width=18), Col("halaman", "Halaman/baris", width=10),
    ), many=True, parent="lkjip", note="Dasar hukum yang dikutip LKjIP."),
    Sheet("LKjIP Tanda Draf", "tanda_draf", (), (
        Col("teks", "Tanda tercetak", width=24), Col("letak", "Tempat", width=18), Col("halaman", "Halaman/baris", width=10),
    ), many=True, parent="lkjip", note="Tanda draf/konsep yang tercetak (mis. ~~ BAHAN ~~, DRAFT)."),
    Sheet("LKjIP Jumlah", "jumlah", (), (
        Col("besaran", "Yang dihitung", "enum", ("program", "kegiatan", "sub_kegiatan", "keluaran"), width=14),
        Col("jumlah", "Jumlah tertulis", "int", width=8), Col("tabel", "Tabel anggaran yang dihitung", width=16),
        Col("kutipan", "Kutipan", width=40), Col("letak", "Tabel/subbab", width=18), Col("halaman", "Halaman/baris", width=10),
    ), many=True, parent="lkjip", note="Jumlah yang dinyatakan LKjIP, mis. \"2 program, 9 kegiatan, 45 keluaran\"."),
    Sheet("LHE", "lhe", (), (
        Col("tahun", "Tahun", "int", width=8),
        Col("komponen", "Komponen", "enum", ("perencanaan", "pengukuran", "pelaporan", "evaluasi", "capaian"), width=14),
        Col("nilai", "Nilai", "number", width=10), Col("sumber", "Nomor/tanggal LHE", width=30),
    ), many=True, note="Nilai komponen hasil evaluasi SAKIP Pemerintah Provinsi per tahun (Pasal 8 dan 22)."),
    Sheet("Tindak Lanjut", "tindak_lanjut", (), (
        Col("rekomendasi", "Rekomendasi", width=40), Col("sumber", "Sumber (LHE/LHP)", width=24),
        Col("tanggal", "Tanggal rekomendasi", "date", width=14),
        Col("status", "Status", "enum", ("selesai", "proses", "belum"), width=10),
        Col("tanggal_tindak_lanjut", "Tanggal tindak lanjut", "date", width=14), Col("bukti", "Bukti", width=28),
        Col("hasil", "Hasil (perubahan yang dihasilkan)", width=36),
    ), many=True, note="Matriks tindak lanjut rekomendasi evaluasi SAKIP (Pasal 20 ayat (2))."),
    Sheet("SKP", "skp", (Col("jabatan", "Kode jabatan", width=12),),
          (Col("indikator", "Kode indikator dalam SKP", width=16),), child="indikator", many=True, plain_child=True,
          note="Satu baris per indikator SKP pemegang jabatan; kode jabatan cukup diisi pada baris pertama (Pasal 29 ayat (3))."),
    Sheet("Atestasi", "atestasi", (), (
        Col("kewajiban", "Kode kewajiban", width=14), Col("dokumen", "Dokumen", width=40), Col("nomor", "Nomor", width=24),
        Col("tanggal", "Tanggal", "date", width=14), Col("keterangan", "Keterangan", width=30),
    ), many=True, note="Bukti kewajiban yang tidak tampak dari dokumen lain (mis. PG42-P21: laporan evaluasi internal)."),
)


class WorkbookDocument(Document):
    """A read workbook: where each path of the submission came from (sheet and cell)."""

    def __init__(self, path: Path, data: Any, cells: dict[str, tuple[str, str]]):
        super().__init__(path, data, {p: int(re.sub(r"[A-Z]+", "", c)) for p, (_, c) in cells.items()})
        self.cells = cells
        self.submission: Submission | None = None  # the model read_workbook validated (no problem found)

    def where(self, dotted: str) -> str:
        place = nearest(self.cells, dotted)
        return f"{self.path} [lembar {place[0]}, sel {place[1]}]" if place else str(self.path)

    def sheet_of(self, dotted: str) -> str | None:
        place = nearest(self.cells, dotted)
        return place[0] if place else None


# -- writing ---------------------------------------------------------------------------------------

def _decimals_format(value: Decimal) -> str:
    places = max(0, -int(value.as_tuple().exponent))
    return "#,##0" + ("." + "0" * places if places else "")


def _cell_value(col: Col, value: Any) -> tuple[Any, str | None]:
    """(value, number format) to write for a model value."""
    if value is None:
        return None, None
    if col.kind == "target":
        return (value.as_written or None), "@"
    if col.kind in ("number", "tw"):
        if value == value.to_integral_value() and value.as_tuple().exponent >= 0:
            return int(value), "#,##0"
        return float(value), _decimals_format(value)
    if col.kind == "date":
        if is_month_only(value):  # "Januari 2025": written as printed, read back as a month
            from sakip_checker.numbers import BULAN_LABEL

            return f"{BULAN_LABEL[value.month - 1]} {value.year}", "@"
        return value, "yyyy-mm-dd"
    if col.kind == "bool":
        return ("ya" if value else "tidak"), None
    if col.kind == "lines":
        return "\n".join(value) or None, None
    if hasattr(value, "value"):  # enums
        return value.value, None
    return value, None


_CODE_FIELDS = {"id", "kode", "nip", "induk", "indikator", "jabatan", "atasan", "penanggung_jawab", "penandatangan",
                "anggaran", "halaman", "nomor", "nomor_sk"}


def _typing_format(col: Col) -> str | None:
    """The number format of a column's empty cells, so that typing is unambiguous: text for targets and codes
    (Excel would turn "45%" into 0,45 and "001" into 1), whole numbers for years and counts, thousands for
    Rupiah, a date for dates; other numbers as typed (General), never percent."""
    if col.kind == "target" or (col.kind in ("text", "lines") and col.field in _CODE_FIELDS):
        return "@"
    if col.kind == "int":
        return "0"
    if col.kind == "date":
        return "yyyy-mm-dd"
    if col.kind in ("number", "tw"):
        return "#,##0" if "(Rp)" in col.header else "General"
    return None


def write_workbook(path: Path, submission: Submission | None = None) -> None:
    """The blank template (``submission`` None) or a filled workbook of a submission."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from sakip_checker.reports.workbook import FIXED_TIME, fixed_zip, sanitise, visible_text

    wb = Workbook()
    wb.remove(wb.active)
    for spec in SHEETS:
        ws = wb.create_sheet(spec.name)
        cols = spec.head + spec.rows
        for i, col in enumerate(cols, 1):
            cell = ws.cell(row=1, column=i, value=col.header)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="344054")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.column_dimensions[get_column_letter(i)].width = col.width
        note = ws.cell(row=2, column=1, value=spec.note)
        note.font = Font(italic=True, color="475467")
        note.comment = Comment("Baris 2 adalah petunjuk; isi data mulai baris 3.", "sakip-checker")
        ws.freeze_panes = "A3"
        for i, col in enumerate(cols, 1):
            typed = _typing_format(col)
            if typed:  # what the planner types is read as typed: "45%" and "001" stay text in a target/code cell
                ws.column_dimensions[get_column_letter(i)].number_format = typed  # cells typed into take it
            if col.choices:
                dv = DataValidation(type="list", formula1='"' + ",".join(col.choices) + '"', allow_blank=True,
                                    showErrorMessage=col.strict, error="Pilih dari daftar", errorTitle=col.header)
                ws.add_data_validation(dv)
                dv.add(f"{get_column_letter(i)}{FIRST_DATA_ROW}:{get_column_letter(i)}1000")
        if submission is not None:
            for row in _rows_of(spec, submission):
                ws.append([visible_text(v) for v, _ in row])
                for i, (_, fmt) in enumerate(row, 1):
                    if fmt:
                        ws.cell(row=ws.max_row, column=i).number_format = fmt
    sanitise(wb)  # a submitted text starting with "=" stays text in the planner's workbook
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.properties.creator = "sakip-checker"
    raw = io.BytesIO()
    wb.save(raw)
    path.write_bytes(fixed_zip(raw.getvalue()))


def _rows_of(spec: Sheet, sub: Submission) -> list[list[tuple[Any, str | None]]]:
    owner = getattr(sub, spec.parent) if spec.parent else sub
    value = getattr(owner, spec.section) if owner is not None else None
    if value is None:
        return []
    docs = value if isinstance(value, list) else [value]
    out = []
    for doc in docs:
        head = [_cell_value(c, getattr(doc, c.field)) for c in spec.head]
        if not spec.rows:
            out.append(head)
            continue
        children = getattr(doc, spec.child) if spec.child else [doc]
        if not children and spec.child:
            out.append(head + [(None, None)] * len(spec.rows))
        for k, child in enumerate(children):
            row = []
            tw_index = 0
            for c in spec.rows:
                if c.kind == "tw":
                    tw = child.tw
                    row.append(_cell_value(c, tw[tw_index] if tw else None))
                    tw_index += 1
                elif spec.plain_child:  # IKU, SKP: the child is the indicator id itself
                    row.append((child, None))
                else:
                    row.append(_cell_value(c, getattr(child, c.field)))
            out.append((head if k == 0 else [(None, None)] * len(head)) + row)
    return out


# -- reading ---------------------------------------------------------------------------------------

_NUMBER_FORMAT_DECIMALS = re.compile(r"0\.(0+)")


def _read_value(cell, col: Col, where: str, problems: list[str]) -> Any:
    value = cell.value
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        if col.kind in ("text", "enum", "lines", "bool"):
            return repr(value)
        match = _NUMBER_FORMAT_DECIMALS.search(cell.number_format or "")
        number = Decimal(repr(value))
        if col.kind == "int" and number == number.to_integral_value():
            return int(number)
        percent = _is_percent(cell.number_format) and col.kind in ("number", "tw", "target")
        if percent:  # "91,18%" typed in Excel is stored as 0.9118: read the percent the planner sees
            number = (number * 100).normalize()
        if match:
            number = number.quantize(Decimal(1).scaleb(-len(match.group(1))))
        elif number == number.to_integral_value():
            number = Decimal(int(number))
        if col.kind == "target":
            return _target_text(number) + ("%" if percent else "")
        return number
    if isinstance(value, int):
        if col.kind in ("text", "enum", "lines"):
            return str(value)
        if _is_percent(cell.number_format) and col.kind in ("number", "tw", "target"):
            return Decimal(value * 100) if col.kind != "target" else f"{value * 100}%"  # 1 shown as 100%
        return value if col.kind != "target" else str(value)
    text = str(value).strip()
    if col.kind == "bool":
        lowered = text.lower()
        if lowered not in YA_TIDAK:
            problems.append(f"{where}: isi 'ya' atau 'tidak' (diterima: {text!r})")
            return None
        return lowered == "ya"
    if col.kind == "lines":
        return [line.strip() for line in text.splitlines() if line.strip()]
    if col.kind == "enum" and col.strict:
        return enum_value(text, col.choices)
    return text


# the forms planners write for the template's list values (case and spacing aside)
_ENUM_ALIASES = {"dalam_proses": "proses", "sedang_proses": "proses", "diproses": "proses", "sudah": "selesai",
                 "belum_selesai": "belum", "pelaksana": "staf", "jabatan_fungsional": "fungsional"}
_ESELON = re.compile(r"(?:eselon[\s_.]*)?(iv|i{1,3})(?:[\s_.-]*[ab])?")


def enum_value(text: str, choices: tuple[str, ...]) -> str:
    """A list value as people write it ("Sasaran", "Sub Kegiatan", "POSITIF", "II.a", "Eselon III", "Plt.",
    "Dalam proses") as the template's value; anything else is returned as typed, for the model to refuse."""
    key = re.sub(r"[\s_-]+", "_", text.strip().casefold()).strip("_.:")
    by_key = {c.casefold(): c for c in choices}
    if key in by_key:
        return by_key[key]
    alias = _ENUM_ALIASES.get(key)
    if alias in choices:
        return alias
    eselon = _ESELON.fullmatch(key)
    if eselon and "III" in choices:
        return eselon.group(1).upper()
    return text


def _header_key(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().strip(":*").strip().casefold()


_NUMBERING = {"no", "no.", "nomor", "nomor urut", "no urut", "no. urut"}


def _columns_by_header(path: Path, spec: Sheet, headers: dict[int, Any], problems: list[str],
                       missing: set[tuple[str, str]], has_data: bool) -> tuple[dict[int, int], int | None]:
    """Template column (1-based, in spec order) -> sheet column, found by the header's text (case and spacing
    aside), wherever the column stands. An unknown header is one line; a numbering column ("No") is read as
    what it is, a row number; a missing column is one line when the model requires its field."""
    import difflib

    from openpyxl.utils import get_column_letter

    cols = spec.head + spec.rows
    wanted: dict[str, int] = {}
    for i, c in reversed(list(enumerate(cols, 1))):
        wanted[_header_key(c.header)] = i
    repeated = {_header_key(c.header): [i for i, d in enumerate(cols, 1) if d.header == c.header] for c in cols}
    at: dict[int, int] = {}
    numbering = None
    for c, header in sorted(headers.items()):
        key = _header_key(header)
        where = f"{path} [lembar {spec.name}, sel {get_column_letter(c)}1]"
        i = next((k for k in repeated.get(key, ()) if k not in at), wanted.get(key))  # a header used twice
        if i is None:
            if key in _NUMBERING and numbering is None:
                numbering = c
                continue
            close = difflib.get_close_matches(key, list(wanted), n=1, cutoff=0.75)
            hint = f"; mungkin maksudnya {cols[wanted[close[0]] - 1].header!r}" if close else ""
            problems.append(f"{where}: kolom berjudul {str(header).strip()!r} tidak dikenal dan tidak dibaca{hint}; "
                            "ganti judulnya dengan judul kolom templat atau hapus kolom ini")
        elif i in at:
            problems.append(f"{where}: kolom {cols[i - 1].header!r} muncul dua kali (juga sel "
                            f"{get_column_letter(at[i])}1); hapus salah satu")
        else:
            at[i] = c
    if has_data:
        required = _required_fields(spec)
        for i, col in enumerate(cols, 1):
            if i not in at and col.field in required:
                missing.add((spec.name, col.field))
                problems.append(f"{path} [lembar {spec.name}, baris 1]: kolom wajib {col.header!r} tidak ada; "
                                "tambahkan kolom dengan judul itu (lihat `sakip template`)")
    return at, numbering


def _required_fields(spec: Sheet) -> set[str]:
    """Fields of the sheet's columns that the model requires."""
    from typing import get_args

    from pydantic import BaseModel

    def model_of(annotation):
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return annotation
        for arg in get_args(annotation):
            found = model_of(arg)
            if found is not None:
                return found
        return None

    owner = model_of(Submission.model_fields[spec.parent].annotation) if spec.parent else Submission
    doc = model_of(owner.model_fields[spec.section].annotation)
    child = model_of(doc.model_fields[spec.child].annotation) if spec.child and not spec.plain_child else None
    out = set()
    for model, cols in ((doc, spec.head if spec.rows and spec.head else spec.head + spec.rows),
                        (child, spec.rows if spec.head else ())):
        if model is None:
            continue
        out |= {c.field for c in cols if c.field in model.model_fields and model.model_fields[c.field].is_required()}
    return out


_TOTAL = re.compile(r"(sub[\s-]*total|grand\s+total|total|jumlah)(\s+(total|keseluruhan|seluruhnya|akhir))?\s*:?",
                    re.IGNORECASE)


def _total_row(path: Path, spec: Sheet, r: int, cols: tuple[Col, ...], row_vals: dict[int, tuple[Any, str]],
               problems: list[str], docs: list[dict]) -> bool:
    """A row one of whose text cells says only "Jumlah", "Total" or "Subtotal" is a total under the data, not
    a data row: in LKjIP Anggaran it is the stated total (tingkat 'jumlah'); in LKjIP its Anggaran and
    Realisasi anggaran are the stated totals of the head; elsewhere it is reported and not read."""
    label = next(((i, v, ref) for i, (v, ref) in sorted(row_vals.items())
                  if cols[i - 1].kind == "text" and isinstance(v, str) and _TOTAL.fullmatch(v.strip())), None)
    if label is None:
        return False
    i, text, ref = label
    if spec.section == "anggaran":
        level = next((k for k, c in enumerate(cols, 1) if c.field == "tingkat"), None)
        if level is not None and row_vals.get(level, (None,))[0] in (None, "jumlah"):
            row_vals[level] = ("jumlah", row_vals.get(level, (None, ref))[1])
            return False  # a stated total row the model knows
    if spec.section == "lkjip" and docs:
        stated = {"anggaran": "total_anggaran", "realisasi_anggaran": "total_realisasi_anggaran"}
        filled = {cols[k - 1].field: (v, rf) for k, (v, rf) in row_vals.items() if v is not None and k != i}
        if filled and set(filled) <= set(stated):
            head = docs[0]["head"]
            for field_, (value, rf) in filled.items():
                seen = head.get(stated[field_])
                if seen is not None and seen[0] != value:
                    problems.append(f"{path} [lembar {spec.name}, sel {rf}]: baris {text!r} menyatakan jumlah "
                                    f"{value} yang berbeda dengan {seen[0]} pada sel {seen[1]}")
                else:
                    head[stated[field_]] = (value, rf)
            return True
    problems.append(f"{path} [lembar {spec.name}, baris {r}]: baris {text!r} (sel {ref}) adalah baris jumlah, bukan "
                    "data, dan tidak dibaca; hapus baris ini (pemeriksa menghitung jumlahnya sendiri)")
    return True


def _model_problems(path: Path, data: dict, cells: dict[str, tuple[str, str]], headers_of: dict[str, str],
                    bad_cells: set[tuple[str, str]], missing: set[tuple[str, str]],
                    validated: list | None = None) -> list[str]:
    """What the model says of the workbook's data, each line naming sheet, cell and the column's header, in
    Indonesian; nothing on a cell already reported. References are checked even when some values are refused."""
    from pydantic import ValidationError

    from sakip_checker.inputs import _TYPE_MESSAGES, loc_to_path
    from sakip_checker.model import reference_problems
    from sakip_checker.submission import declared_notation

    def line(dotted: str, message: str, kind: str = "") -> str | None:
        place = nearest(cells, dotted)
        if place is not None and place in bad_cells:
            return None
        if kind == "missing" and place is not None and (place[0], dotted.rsplit(".", 1)[-1]) in missing:
            return None
        header = nearest(headers_of, dotted)
        where = f"{path} [lembar {place[0]}, sel {place[1]}]" if place else str(path)
        if place is None:  # a section no sheet row gave (lkjip of the LKjIP sheets): its sheet and column
            parts = re.sub(r"\[\d+\]", "", dotted).split(".")
            spec = next((s for s in SHEETS if s.section == parts[0] and s.parent is None), None)
            col = next((c for c in spec.head + spec.rows if c.field == parts[1]), None) if spec and len(parts) > 1 else None
            if spec is not None:
                where, header = f"{path} [lembar {spec.name}]", (col.header if col else None)
        return f"{where}: {f'kolom {header!r}: ' if header else ''}{message}"

    out: list[str] = []
    try:
        sub = Submission.model_validate(data, context={"notasi": declared_notation(data)})
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            kind = err["type"]
            if kind == "value_error":
                message = str(err["msg"]).removeprefix("Value error, ")
            elif kind in ("enum", "literal_error"):
                allowed = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
                message = "isi salah satu dari: " + ", ".join(allowed)
            else:
                message = _TYPE_MESSAGES.get(kind, "isi sel ini tidak dapat dibaca untuk kolom ini")
            if kind not in ("missing", "extra_forbidden") and not isinstance(err.get("input"), (dict, list, type(None))):
                message += f" (diterima: {err['input']!r})"
            text = line(loc_to_path(err["loc"]), message, kind)
            if text:
                out.append(text)
        sub = _references_only(data)
    else:
        if validated is not None:
            validated.append(sub)
    for dotted, message in (reference_problems(sub) if sub is not None else []):
        text = line(dotted, message)
        if text:
            out.append(text)
    return list(dict.fromkeys(out))


def _references_only(data: dict):
    """The data as attribute objects (lists where the model has lists), for the reference checks of a
    workbook whose values are not all valid; None when even that cannot be read."""
    from types import SimpleNamespace
    from typing import get_args, get_origin

    from pydantic import BaseModel

    def build(value, annotation):
        origin = get_origin(annotation)
        if origin is list:
            inner = get_args(annotation)[0]
            return [build(v, inner) for v in value] if isinstance(value, list) else []
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if not isinstance(value, dict):
                return None
            return SimpleNamespace(**{name: build(value.get(name), f.annotation)
                                      for name, f in annotation.model_fields.items()})
        for arg in get_args(annotation):
            if arg is type(None):
                continue
            if get_origin(arg) is list or (isinstance(arg, type) and issubclass(arg, BaseModel)):
                return build(value, arg) if value is not None else None
        if isinstance(value, (list, dict)):
            return None
        return value

    try:
        sub = build(data, Submission)
        if sub.profil is not None:
            sub.profil.dokumen = None  # declared documents are the model's to check once values are valid
        else:
            sub.profil = SimpleNamespace(dokumen=None)
        return sub
    except Exception:  # noqa: BLE001 -- a best effort: the model's own errors are already listed
        return None


def _is_percent(number_format: str | None) -> bool:
    """A percent number format ("0%", "0.00%", "#,##0.0%"), not a quoted or escaped percent sign."""
    text = re.sub(r'"[^"]*"|\\.', "", number_format or "")
    return "%" in text


def _target_text(number: Decimal) -> str:
    from sakip_checker.numbers import format_number

    return format_number(number, as_printed=True)


def read_workbook(path: Path) -> tuple[dict, WorkbookDocument]:
    """Read a filled workbook into submission data. Raises InputProblem naming every bad cell."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    raw = read_bytes(path)  # a regular file within the size limit
    _refuse_zip_bomb(path, raw)
    try:
        formulas = load_workbook(io.BytesIO(raw), data_only=False)
        values = load_workbook(io.BytesIO(raw), data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError of a damaged package, ...
        raise InputProblem([f"{path}: bukan buku kerja Excel (.xlsx) yang dapat dibaca ({type(exc).__name__})"]) from None
    cell_count = sum(len(ws._cells) for ws in values.worksheets)
    if cell_count > LIMITS.sel:
        raise InputProblem([f"{path}: buku kerja berisi {cell_count} sel, melebihi batas {LIMITS.sel} "
                            "(ubah dengan --batas sel=N)"])
    problems: list[str] = []
    data: dict[str, Any] = {}
    cells: dict[str, tuple[str, str]] = {}
    headers_of: dict[str, str] = {}  # dotted path -> the column's header, for messages
    bad_cells: set[tuple[str, str]] = set()  # (sheet, cell) already reported: the model's word on them is noise
    missing: set[tuple[str, str]] = set()  # (sheet, field) of a required column the sheet lacks
    known = {s.name for s in SHEETS}
    for name in values.sheetnames:
        if name not in known:
            problems.append(f"{path} [lembar {name}]: lembar tidak dikenal (yang ada: {', '.join(s.name for s in SHEETS)})")
    for spec in SHEETS:
        if spec.name not in values.sheetnames:
            continue
        ws, wf = values[spec.name], formulas[spec.name]
        merged = {}
        for rng in ws.merged_cells.ranges:
            top = ws.cell(row=rng.min_row, column=rng.min_col)
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    merged[(r, c)] = top
        cols = spec.head + spec.rows
        # only the cells the sheet holds are visited: one far cell (A1048576) is one row, not a million
        present = {rc: cell.value for rc, cell in ws._cells.items() if cell.value is not None}
        headers = {c: v for (r, c), v in present.items() if r == 1 and not (isinstance(v, str) and not v.strip())}
        data_rows = sorted({r for r, _ in present if r >= FIRST_DATA_ROW} | {r for r, _ in merged if r >= FIRST_DATA_ROW})
        at, numbering = _columns_by_header(path, spec, headers, problems, missing, bool(data_rows))
        problems.extend(_cells_not_read(path, spec, present, set(headers), at, numbering))
        docs: list[dict] = []
        group_key: dict[Any, dict] = {}
        for r in data_rows:
            row_vals = {}
            row_start = len(problems)
            for i, col in enumerate(cols, 1):
                if i not in at:
                    continue  # a column the sheet does not have (reported above when it is required)
                c = at[i]
                cell = merged.get((r, c)) or ws.cell(row=r, column=c)
                formula_cell = wf.cell(row=cell.row, column=cell.column)
                ref = f"{get_column_letter(c)}{r}"
                where = f"{path} [lembar {spec.name}, sel {ref}]"
                before = len(problems)
                if cell.value is None and isinstance(formula_cell.value, str) and formula_cell.value.startswith("="):
                    problems.append(f"{where}: rumus {formula_cell.value!r} belum dihitung; buka dan simpan berkas "
                                    "di Excel agar hasilnya tersimpan")
                    row_vals[i] = (None, ref)
                else:
                    row_vals[i] = (_read_value(cell, col, where, problems), ref)
                if len(problems) > before:
                    bad_cells.add((spec.name, ref))
            if all(v is None for v, _ in row_vals.values()):
                continue  # an empty row carries nothing
            if _total_row(path, spec, r, cols, row_vals, problems, docs):
                # a "Jumlah"/"Total" row is no data row: its own line replaces those of its cells (a =SUM never
                # calculated, say), unless it was read as the sheet's stated totals
                if len(problems) > row_start and "adalah baris jumlah" in problems[-1]:
                    del problems[row_start:-1]
                continue
            head = {c.field: row_vals[i + 1] for i, c in enumerate(spec.head) if i + 1 in row_vals}
            body = {}
            tw: list = []
            for j, c in enumerate(spec.rows):
                i = len(spec.head) + j + 1
                if i not in row_vals:
                    continue
                if c.kind == "tw":
                    tw.append(row_vals[i])
                else:
                    body[c.field] = row_vals[i]
            if tw:
                body["tw"] = (None if all(v is None for v, _ in tw) else [v for v, _ in tw], tuple(ref for _, ref in tw))
            # which document does this row belong to?
            if spec.many and spec.head:
                key_col = spec.head[0].field
                key = head.get(key_col, (None, ""))[0]
                if key is None:
                    if not docs:
                        problems.append(f"{path} [lembar {spec.name}, baris {r}]: kolom {spec.head[0].header!r} "
                                        "kosong pada baris pertama")
                        continue
                    doc = docs[-1]
                else:
                    doc = group_key.get(key)
                    if doc is None:
                        doc = group_key[key] = {"head": {}, "rows": [], "row": r}
                        docs.append(doc)
            elif spec.head and spec.rows:
                if not docs:
                    docs.append({"head": {}, "rows": [], "row": r})
                doc = docs[0]
            else:
                if docs and not spec.many:  # a sheet of one record (Profil, Formulir B.1): never drop a second
                    problems.append(f"{path} [lembar {spec.name}, baris {r}]: lembar ini hanya memuat satu baris data "
                                    f"(baris {docs[0]['row']}); baris {r} tidak dibaca. Gabungkan isinya ke baris "
                                    f"{docs[0]['row']} atau hapus")
                    continue
                doc = {"head": {}, "rows": [], "row": r}
                docs.append(doc)
            for field_, (value, ref) in head.items():
                if value is None:
                    continue
                seen = doc["head"].get(field_)
                if seen is None:
                    doc["head"][field_] = (value, ref)
                elif seen[0] != value:
                    header = next((c.header for c in spec.head if c.field == field_), field_)
                    problems.append(f"{path} [lembar {spec.name}, sel {ref}]: kolom {header!r}: {value!r} berbeda "
                                    f"dengan {seen[0]!r} pada sel {seen[1]} untuk dokumen yang sama")
            if spec.rows and spec.head:
                if any(v is not None for v, _ in body.values()):
                    doc["rows"].append((body, r))
            elif spec.rows:
                doc["head"] = body
        _assemble(spec, docs, data, cells, headers_of)
    # every problem of the workbook in one pass: the cells, then what the model says of the rest
    validated: list = []
    problems.extend(_model_problems(path, data, cells, headers_of, bad_cells, missing, validated))
    if problems:
        raise InputProblem(problems)
    doc = WorkbookDocument(path, data, cells)
    doc.submission = validated[0] if validated else None  # validated once: load_submission takes it
    return data, doc


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="\$?([A-Z]{1,3})\$?(\d{1,7}):\$?([A-Z]{1,3})\$?(\d{1,7})"')


_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")


def _sheet_names(archive) -> dict[str, str]:
    """Worksheet part -> sheet name, for messages (empty when the package does not say)."""
    try:
        book = archive.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return {}
    targets = {}
    for rel in re.findall(r"<(?:\w+:)?Relationship\s[^>]*>", rels):
        rid, target = re.search(r'\bId="([^"]+)"', rel), re.search(r'\bTarget="([^"]+)"', rel)
        if rid and target:
            name = target.group(1).lstrip("/")
            targets[rid.group(1)] = name if name.startswith("xl/") else f"xl/{name}"
    out = {}
    for sheet in re.findall(r"<(?:\w+:)?sheet\s[^>]*>", book):
        name, rid = re.search(r'\bname="([^"]*)"', sheet), re.search(r'\br:id="([^"]+)"', sheet)
        if name and rid and rid.group(1) in targets:
            out[targets[rid.group(1)]] = name.group(1)
    return out


def _refuse_zip_bomb(path: Path, raw: bytes) -> None:
    """A workbook is a zip of XML parts: refuse one whose parts unpack beyond the limit before openpyxl
    inflates them (a 1.4 MB file can hold 520 MB of rows). zipfile never reads past a part's declared size."""
    import zipfile
    import zlib

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputProblem([f"{path}: bukan buku kerja Excel (.xlsx) yang dapat dibaca ({type(exc).__name__})"]) from None
    if unpacked > LIMITS.xlsx_mb * 1024 * 1024:
        raise InputProblem([f"{path}: isi buku kerja {unpacked / 1048576:.0f} MB setelah dibuka, melebihi batas "
                            f"{LIMITS.xlsx_mb} MB (ubah dengan --batas xlsx_mb=N)"])
    try:
        _refuse_large_sheets(path, raw)
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, KeyError, EOFError, NotImplementedError) as exc:
        raise InputProblem([f"{path}: bukan buku kerja Excel (.xlsx) yang dapat dibaca ({type(exc).__name__})"]) from None


def _refuse_large_sheets(path: Path, raw: bytes) -> None:
    """Rows, cells and merged areas of every worksheet, counted in its XML before openpyxl loads it (openpyxl
    makes one object per cell, also per cell of a merged range: a merge over a whole sheet never ends)."""
    import zipfile

    from openpyxl.utils import column_index_from_string

    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        names = _sheet_names(archive)
        for info in archive.infolist():
            if not info.filename.startswith("xl/worksheets/") or not info.filename.endswith(".xml"):
                continue
            part = archive.read(info)
            where = f"{path} [lembar {names.get(info.filename, info.filename)}]"
            rows, cells = len(_ROW.findall(part)), len(_CELL.findall(part))
            if rows > LIMITS.baris + FIRST_DATA_ROW:  # refused before openpyxl spends minutes and gigabytes on it
                raise InputProblem([f"{where}: {rows} baris, melebihi batas {LIMITS.baris} baris data "
                                    "(ubah dengan --batas baris=N)"])
            if cells > LIMITS.sel:
                raise InputProblem([f"{where}: {cells} sel, melebihi batas {LIMITS.sel} (ubah dengan --batas sel=N)"])
            area = 0
            for match in _MERGE.finditer(part):
                c1, r1, c2, r2 = (m.decode() for m in match.groups())
                area += ((abs(int(r2) - int(r1)) + 1)
                         * (abs(column_index_from_string(c2) - column_index_from_string(c1)) + 1))
            if area > LIMITS.sel:
                raise InputProblem([f"{path}: sel gabungan meliputi {area} sel, melebihi batas {LIMITS.sel} "
                                    "(ubah dengan --batas sel=N)"])


def _cells_not_read(path: Path, spec: Sheet, present: dict[tuple[int, int], Any], headers: set[int],
                    at: dict[int, int], numbering: int | None) -> list[str]:
    """Cells the reader does not take, reported instead of dropped: anything on the instruction row (row 2)
    beside the template's note, and anything right of the template's columns under no header (a column with
    a header there is reported as an unknown column)."""
    from openpyxl.utils import get_column_letter

    out = []
    second = {c: v for (r, c), v in present.items() if r == 2 and not (isinstance(v, str) and not v.strip())}
    if numbering is not None and numbering != 1:
        second.pop(numbering, None)  # a planner's "No" column may number the instruction row too
    note = next(iter(second.values())) if len(second) == 1 else None
    instruction_only = len(second) <= 1 and (note is None or str(note).strip() == spec.note
                                               or (isinstance(note, str) and len(note) > 40 and " " in note))
    if second and not instruction_only:
        refs = ", ".join(f"{get_column_letter(c)}2" for c in sorted(second))
        out.append(f"{path} [lembar {spec.name}, baris 2]: baris 2 adalah baris petunjuk templat, tetapi berisi data "
                   f"(sel {refs}); data ini tidak dibaca. Pindahkan ke baris {FIRST_DATA_ROW} atau di bawahnya")
    if numbering is not None:  # a "No" column holds row numbers; anything else in it would be lost
        odd = sorted(r for (r, c), v in present.items() if c == numbering and r >= FIRST_DATA_ROW
                     and not re.fullmatch(r"\d{1,6}[.)]?", str(v).strip()) and not isinstance(v, (int, float)))
        if odd:
            refs = ", ".join(f"{get_column_letter(numbering)}{r}" for r in odd)
            out.append(f"{path} [lembar {spec.name}, sel {refs}]: kolom nomor urut berisi selain nomor dan tidak "
                       "dibaca; pindahkan isinya ke kolom yang sesuai")
    width = max([*at.values(), *headers, 1])
    outside: dict[int, list[int]] = {}
    for (r, c), v in present.items():
        if r >= 2 and c not in headers and not (isinstance(v, str) and not v.strip()):
            outside.setdefault(r, []).append(c)
    for r, columns in sorted(outside.items()):
        if r == 2 and not instruction_only:
            continue  # already named with the instruction row
        refs = ", ".join(f"{get_column_letter(c)}{r}" for c in sorted(columns))
        out.append(f"{path} [lembar {spec.name}, baris {r}]: sel {refs} berada di luar kolom templat (tanpa judul "
                   f"kolom) dan tidak dibaca; pindahkan isinya ke kolom yang sesuai (kolom A s.d. "
                   f"{get_column_letter(width)})")
    return out


def _assemble(spec: Sheet, docs: list[dict], data: dict, cells: dict[str, tuple[str, str]],
              headers_of: dict[str, str] | None = None) -> None:
    titles = {c.field: c.header for c in spec.head + spec.rows}
    titles["tw"] = "TW I-IV"

    def place(prefix: str, fields: dict[str, tuple[Any, str]]) -> dict:
        out = {}
        for field_, (value, ref) in fields.items():
            if value is not None:
                out[field_] = value
            if isinstance(ref, tuple):  # the TW I-IV cells of one list
                for k, one in enumerate(ref):
                    cells[f"{prefix}.{field_}[{k}]"] = (spec.name, one)
                    if headers_of is not None:
                        headers_of[f"{prefix}.{field_}[{k}]"] = ("TW I", "TW II", "TW III", "TW IV")[k % 4]
                ref = ref[0]
            cells[f"{prefix}.{field_}"] = (spec.name, ref)
            if headers_of is not None:
                headers_of[f"{prefix}.{field_}"] = titles.get(field_, field_)
        return out

    section = f"{spec.parent}.{spec.section}" if spec.parent else spec.section
    built = []
    for n, doc in enumerate(docs):
        prefix = f"{section}[{n}]" if spec.many else section
        record = place(prefix, doc["head"])
        cells[prefix] = (spec.name, f"A{doc['row']}")
        if spec.rows and spec.head:
            children = []
            for k, (body, r) in enumerate(doc["rows"]):
                child_prefix = f"{prefix}.{spec.child}[{k}]"
                cells[child_prefix] = (spec.name, f"A{r}")
                child = place(child_prefix, body)
                children.append(child.get(spec.rows[0].field) if spec.plain_child else child)
            record[spec.child] = children
        built.append(record)
    if not built:
        return
    owner = data.setdefault(spec.parent, {}) if spec.parent else data
    owner[spec.section] = built if spec.many else built[0]


def is_workbook(path: Path) -> bool:
    return path.suffix.lower() in (".xlsx", ".xlsm")
