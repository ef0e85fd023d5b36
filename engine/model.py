"""The submission of one OPD for one year: every document of the SAKIP cycle.

Field names are the Indonesian ones a planner writes in the YAML/JSON file; numbers are read by
``engine.numbers`` (exact Decimal), targets keep their defects (ranges, double targets) for the rules.
Cross-references (positions, indicators) must resolve: a dangling reference is an input error.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    model_validator,
)

from engine.numbers import Target, canonical, parse_date, parse_optional_number, parse_target
from pydantic import ValidationInfo, field_validator  # noqa: I001 (kept apart: a small, mergeable addition)
import re as _re

# --------------------------------------------------------------------------------------------
# Value types

# A field whose name names money is a Rupiah amount, never read with three decimals ("2.500,000" is an error,
# "1.500" is Rp 1.500): pagu, anggaran, realisasi_anggaran, dana_*, total_*anggaran, sisa, biaya, ...
_RUPIAH_FIELD = _re.compile(r"^(?!persentase|serapan|efisiensi|capaian)(?:.*_)?(?:anggaran|dana|pagu|rupiah|biaya|sisa)(?:_.*)?$")


def _notation(info: ValidationInfo):
    """The notation the submission declares (profil.notasi), passed as validation context."""
    return info.context.get("notasi") if isinstance(info.context, dict) else None


def _angka(value: Any, info: ValidationInfo) -> Decimal | None:
    rupiah = bool(info.field_name and _RUPIAH_FIELD.match(info.field_name))
    return parse_optional_number(value, _notation(info), rupiah)


def _target(value: Any, info: ValidationInfo) -> Target:
    return parse_target(value, _notation(info))


Angka = Annotated[
    Decimal | None,
    BeforeValidator(_angka),
    PlainSerializer(lambda v: None if v is None else canonical(v), return_type=str | None),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number"}, {"type": "string"}, {"type": "null"}],
            "description": 'Angka: "1.234.567,89", "95,22%", "Rp 1.550.000.000", juga "82.81" (titik diikuti selain '
            'tiga angka = desimal) dan "353,842,000" (beberapa kelompok koma = ribuan); "1.500"/"1,234" bermakna ganda '
            'kecuali profil.notasi diisi; jumlah Rupiah tidak pernah dibaca dengan tiga desimal; kosong/"-" = tidak ada',
        }
    ),
]

TargetValue = Annotated[
    Target,
    BeforeValidator(_target),
    PlainSerializer(lambda t: t.as_written, return_type=str),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number"}, {"type": "string"}, {"type": "null"}],
            "description": 'Target seperti tertulis: "100%", "60 Nilai", "3,49"; rentang "70-80" dan target ganda '
            "dibaca dan dilaporkan sebagai temuan",
        }
    ),
]

Tanggal = Annotated[
    dt.date | None,
    BeforeValidator(parse_date),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string"}, {"type": "null"}],
            "description": 'Tanggal: "2023-01-20" atau "20 Januari 2023"; kosong bila dokumen tidak bertanggal',
        }
    ),
]


class Eselon(str, Enum):
    I = "I"
    II = "II"
    III = "III"
    IV = "IV"
    STAF = "staf"
    FUNGSIONAL = "fungsional"


class Level(str, Enum):
    TUJUAN = "tujuan"
    SASARAN = "sasaran"
    PROGRAM = "program"
    KEGIATAN = "kegiatan"
    SUB_KEGIATAN = "sub_kegiatan"


class Polaritas(str, Enum):
    POSITIF = "positif"  # higher is better
    NEGATIF = "negatif"  # lower is better (kemiskinan, inflasi, pengangguran)


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_missing(cls, data: Any) -> Any:
        """An empty or blank value is a missing one (a required field then says so)."""
        if isinstance(data, dict):
            return {k: None if isinstance(v, str) and not v.strip() else v for k, v in data.items()}
        return data

    @field_validator("tahun", "tahun_realisasi", mode="after", check_fields=False)
    @classmethod
    def _a_year(cls, value: Any) -> Any:
        """Every year of a document is a calendar year a checker can compute with (a typo "20230" is an input
        error, not a crash in a deadline computed from it)."""
        if isinstance(value, int) and not isinstance(value, bool) and not 1900 <= value <= 2200:
            raise ValueError(f"tahun {value} tidak masuk akal (diharapkan antara 1900 dan 2200)")
        return value


# --------------------------------------------------------------------------------------------
# Documents


# The documents a submission may contain (its sections after profil); Formulir B.1 is "renja".
DOKUMEN = ("jabatan", "indikator", "iku", "perjanjian_kinerja", "rencana_aksi", "laporan_bulanan", "renja",
           "lkjip", "lhe", "tindak_lanjut", "skp", "atestasi")


class Profil(_Base):
    opd: str = Field(description="Nama OPD/Perangkat Daerah")
    tahun: int = Field(ge=2018, le=2100, description="Tahun anggaran/kinerja yang diperiksa")
    induk: str | None = Field(None, description="Induk organisasi, mis. Sekretariat Daerah Provinsi Banten")
    kelompok: str | None = Field(None, description="Kelompok Tabel A.2 (I, II, III)")
    asisten: str | None = Field(None, description="Asisten Daerah pembina (Tabel A.2)")
    nama_lampiran: str | None = Field(
        None, description="Nama OPD ini dalam Tabel A.2 Lampiran A bila namanya berubah sejak 2018 "
        "(mis. Biro Organisasi untuk Biro Organisasi dan Reformasi Birokrasi)")
    peran: Literal["opd", "bappeda", "inspektorat", "sekretariat_daerah"] = Field(
        "opd",
        description="Peran organisasi pengaju: OPD biasa, atau juga Bappeda / Inspektorat / Sekretariat Daerah, yang "
        "memikul kewajiban tambahan (mis. Pasal 5, 6, 14, 20)",
    )
    dokumen: list[Literal[DOKUMEN]] | None = Field(  # type: ignore[valid-type]
        None,
        description="Dokumen yang diajukan (jabatan, indikator, perjanjian_kinerja, rencana_aksi, laporan_bulanan, "
        "renja, lkjip, ...). Bila diisi, aturan yang memeriksa dokumen lain tidak dinilai (\"tidak diajukan\"), "
        "sehingga dokumen yang tidak diajukan tidak dilaporkan sebagai tidak dibuat. Kosong = semua dokumen",
    )
    notasi: Literal["indonesia", "internasional"] | None = Field(
        None,
        description="Notasi angka pengajuan, untuk angka yang bermakna ganda (satu titik atau koma diikuti tepat tiga "
        'angka): indonesia = "1.500" seribu lima ratus dan "1,234" satu koma dua tiga empat; internasional = '
        "sebaliknya. Kosong = angka seperti itu ditolak sebagai masukan yang bermakna ganda",
    )
    bulan_pelaporan: int | None = Field(
        None, ge=0, le=12,
        description="Laporan bulanan yang sudah jatuh tempo: bulan 1 s.d. nilai ini (0 = pemeriksaan awal tahun, "
        "belum ada laporan). Kosong = parameter paket bulan_terakhir_laporan",
    )


class Jabatan(_Base):
    id: str
    nama: str = Field(description="Nama jabatan, mis. Kepala Bagian Otonomi Daerah")
    eselon: Eselon
    pemegang: str | None = None
    nip: str | None = None
    plt: bool = Field(False, description="Pelaksana tugas (Plt.)")
    atasan: str | None = Field(None, description="id jabatan atasan langsung")
    tupoksi: str | None = Field(None, description="Tugas pokok dan fungsi jabatan (Pergub SOTK), untuk Pasal 15")


class Indikator(_Base):
    id: str
    level: Level
    uraian: str = Field(description="Tujuan/sasaran/program/kegiatan yang diukur")
    nama: str = Field(description="Nama indikator kinerja")
    kode: str | None = None
    satuan: str | None = None
    polaritas: Polaritas = Polaritas.POSITIF
    baseline: Angka = None
    target: TargetValue = Field(default_factory=lambda: parse_target(None), description="Target tahun berjalan (Renstra)")
    target_akhir: TargetValue = Field(default_factory=lambda: parse_target(None), description="Target akhir Renstra")
    definisi: str | None = None
    formula: str | None = None
    sumber_data: str | None = None
    induk: str | None = Field(None, description="id indikator satu tingkat di atasnya")
    penanggung_jawab: str | None = Field(None, description="id jabatan penanggung jawab")
    iku: bool = Field(False, description="Termasuk Indikator Kinerja Utama")
    rpjmd: str | None = Field(None, description="Indikator RPJMD yang didukung (tujuan/sasaran Renstra, Pasal 10)")


class Iku(_Base):
    nomor_sk: str | None = None
    tanggal: Tanggal = None
    indikator: list[str] = Field(default_factory=list, description="id indikator yang ditetapkan sebagai IKU")


class PkIndikator(_Base):
    indikator: str = Field(description="id indikator dalam cascade")
    target: TargetValue
    bobot: Angka = None


class PerjanjianKinerja(_Base):
    id: str
    jabatan: str = Field(description="id jabatan pihak pertama")
    jenis: Literal["murni", "perubahan"] = "murni"
    tahun: int
    tanggal: Tanggal = None
    pihak_pertama: str | None = None
    pihak_kedua: str | None = None
    alasan_perubahan: str | None = None
    indikator: list[PkIndikator] = Field(default_factory=list)


class RenaksiBaris(_Base):
    indikator: str = Field(description="id indikator (biasanya indikator kegiatan)")
    kegiatan: str | None = None
    target: TargetValue = Field(default_factory=lambda: parse_target(None))
    tw: list[Angka] | None = Field(None, description="Target TW I-IV seperti tertulis")
    tw_satuan: str | None = Field(None, description="Satuan angka TW (mis. %); kosong bila tidak dicetak")
    pagu: Angka = None
    strategi: str | None = None
    kebijakan: list[str] = Field(default_factory=list)


class RencanaAksi(_Base):
    tahun: int
    tanggal: Tanggal = Field(None, description="Tanggal tanda tangan; kosong bila tertulis 'Serang, ____ 2023'")
    tempat: str | None = None
    penandatangan: str | None = Field(None, description="id jabatan penandatangan")
    baris: list[RenaksiBaris] = Field(default_factory=list)


class CapaianBaris(_Base):
    indikator: str
    realisasi: Angka = None
    capaian: Angka = Field(None, description="Capaian (%) yang dinyatakan dalam laporan")
    sumber_data: str | None = None
    bukti: str | None = Field(None, description="Rujukan bukti dukung (dokumen, tautan, nomor berkas)")


class LaporanBulanan(_Base):
    bulan: int = Field(ge=1, le=12)
    tahun: int
    tanggal_kirim: Tanggal = None
    realisasi_anggaran: Angka = None
    capaian: list[CapaianBaris] = Field(default_factory=list)


class RenjaBaris(_Base):
    """One row of Formulir B.1 (Lampiran B): Renja against RKA."""

    kode: str | None = None
    uraian: str | None = None
    indikator: str | None = None
    lokasi_renja: str | None = None
    lokasi_rka: str | None = None
    target_renja: TargetValue = Field(default_factory=lambda: parse_target(None))
    target_rka: TargetValue = Field(default_factory=lambda: parse_target(None))
    dana_renja: Angka = None
    dana_rka: Angka = None
    target_maju_renja: TargetValue = Field(default_factory=lambda: parse_target(None))
    target_maju_rka: TargetValue = Field(default_factory=lambda: parse_target(None))
    dana_maju_renja: Angka = None
    dana_maju_rka: Angka = None
    kesesuaian: Literal["ya", "tidak"] | None = None
    evaluasi: str | None = None
    tindak_lanjut: str | None = None
    hasil_tindak_lanjut: str | None = None


class FormulirB1(_Base):
    """Formulir B.1 as a whole (Lampiran B angka 1, 5 and 6): its date and signer, and the dates of the
    recommendation received and of the follow-up sent."""

    tanggal: Tanggal = None
    penandatangan: str | None = Field(None, description="id jabatan Kepala Perangkat Daerah")
    tanggal_terima_rekomendasi: Tanggal = Field(None, description="rekomendasi Gubernur melalui Kepala Bappeda diterima")
    tanggal_kirim_tindak_lanjut: Tanggal = Field(None, description="hasil tindak lanjut dikirim ke Gubernur melalui Kepala Bappeda")


class LkjipBaris(_Base):
    indikator: str
    target: TargetValue = Field(default_factory=lambda: parse_target(None))
    realisasi: Angka = None
    capaian: Angka = Field(None, description="Capaian (%) yang dinyatakan dalam LKjIP")
    realisasi_tahun_lalu: Angka = None
    tahun_realisasi: int | None = Field(None, description="Tahun data realisasi bila berbeda dari tahun laporan")
    target_akhir_renstra: TargetValue = Field(default_factory=lambda: parse_target(None))
    standar_nasional: Angka = None
    keterangan_standar_nasional: str | None = Field(None, description="Isi bila tidak ada standar nasional/RPJMN")
    pembanding: str | None = Field(None, description="Instansi sejenis pembanding")
    nilai_pembanding: Angka = None
    anggaran: Angka = Field(None, description="Pagu anggaran yang mendukung indikator (Rp)")
    realisasi_anggaran: Angka = Field(None, description="Realisasi anggaran (Rp)")
    persentase_anggaran: Angka = Field(None, description="Serapan anggaran (%) yang dinyatakan")
    efisiensi: Angka = Field(None, description="Efisiensi (%) yang dinyatakan: capaian kinerja - serapan anggaran")
    rencana_perbaikan: str | None = Field(None, description="Langkah perbaikan bila capaian di bawah target (Pasal 29)")


class Lkjip(_Base):
    tahun: int
    tanggal: Tanggal = None
    total_anggaran: Angka = Field(None, description="Jumlah pagu anggaran yang dinyatakan (Rp)")
    total_realisasi_anggaran: Angka = Field(None, description="Jumlah realisasi anggaran yang dinyatakan (Rp)")
    baris: list[LkjipBaris] = Field(default_factory=list)


class NilaiLhe(_Base):
    """One component value of the SAKIP evaluation of the Pemerintah Provinsi (LHE), by year."""

    tahun: int
    komponen: Literal["perencanaan", "pengukuran", "pelaporan", "evaluasi", "capaian"]
    nilai: Angka
    sumber: str | None = Field(None, description="Nomor/tanggal LHE SAKIP")


class TindakLanjut(_Base):
    """One recommendation of a SAKIP evaluation and its follow-up (Pasal 20 ayat (2))."""

    rekomendasi: str
    sumber: str | None = Field(None, description="LHE/LHP yang memuat rekomendasi")
    tanggal: Tanggal = None
    status: Literal["selesai", "proses", "belum"]
    tanggal_tindak_lanjut: Tanggal = None
    bukti: str | None = Field(None, description="Bukti tindak lanjut (dokumen, nomor)")
    hasil: str | None = Field(None, description="Perubahan yang dihasilkan pada perencanaan/pengukuran/capaian")


class Skp(_Base):
    """Sasaran Kinerja Pegawai of the holder of a position: the indicators it contains (Pasal 29 ayat (3))."""

    jabatan: str = Field(description="id jabatan")
    indikator: list[str] = Field(default_factory=list, description="id indikator yang dimuat SKP")


class Atestasi(_Base):
    kewajiban: str = Field(description="id kewajiban, mis. PG42-P16.1")
    dokumen: str
    nomor: str | None = None
    tanggal: Tanggal = None
    keterangan: str | None = None


class Submission(_Base):
    """Satu OPD, satu tahun: seluruh dokumen SAKIP yang diperiksa."""

    profil: Profil
    jabatan: list[Jabatan] = Field(default_factory=list)
    indikator: list[Indikator] = Field(default_factory=list)
    iku: Iku | None = None
    perjanjian_kinerja: list[PerjanjianKinerja] = Field(default_factory=list)
    rencana_aksi: RencanaAksi | None = None
    laporan_bulanan: list[LaporanBulanan] = Field(default_factory=list)
    renja: list[RenjaBaris] = Field(default_factory=list)
    formulir_b1: FormulirB1 | None = None
    lkjip: Lkjip | None = None
    lhe: list[NilaiLhe] = Field(default_factory=list)
    tindak_lanjut: list[TindakLanjut] = Field(default_factory=list)
    skp: list[Skp] = Field(default_factory=list)
    atestasi: list[Atestasi] = Field(default_factory=list)


def reference_problems(sub: Submission) -> list[tuple[str, str]]:
    """Duplicate ids and references that do not resolve, as (path, Indonesian message)."""
    problems: list[tuple[str, str]] = []

    def unique(items, path) -> set[str]:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                problems.append((f"{path}[{i}].id", f"id '{item.id}' dipakai lebih dari sekali"))
            seen.add(item.id)
        return seen

    jabatan = unique(sub.jabatan, "jabatan")
    indikator = unique(sub.indikator, "indikator")
    unique(sub.perjanjian_kinerja, "perjanjian_kinerja")

    def ref(value, known, path, what):
        if value is not None and value not in known:
            problems.append((path, f"{what} '{value}' tidak ada dalam daftar {what} pada berkas ini"))

    for i, j in enumerate(sub.jabatan):
        ref(j.atasan, jabatan, f"jabatan[{i}].atasan", "jabatan")
    for i, ind in enumerate(sub.indikator):
        ref(ind.induk, indikator, f"indikator[{i}].induk", "indikator")
        ref(ind.penanggung_jawab, jabatan, f"indikator[{i}].penanggung_jawab", "jabatan")
    if sub.iku:
        for i, ind in enumerate(sub.iku.indikator):
            ref(ind, indikator, f"iku.indikator[{i}]", "indikator")
    for i, pk in enumerate(sub.perjanjian_kinerja):
        ref(pk.jabatan, jabatan, f"perjanjian_kinerja[{i}].jabatan", "jabatan")
        for k, row in enumerate(pk.indikator):
            ref(row.indikator, indikator, f"perjanjian_kinerja[{i}].indikator[{k}].indikator", "indikator")
    if sub.rencana_aksi:
        ref(sub.rencana_aksi.penandatangan, jabatan, "rencana_aksi.penandatangan", "jabatan")
        for k, row in enumerate(sub.rencana_aksi.baris):
            ref(row.indikator, indikator, f"rencana_aksi.baris[{k}].indikator", "indikator")
            if row.tw is not None and len(row.tw) != 4:
                problems.append((f"rencana_aksi.baris[{k}].tw", f"harus berisi 4 nilai (TW I-IV), ada {len(row.tw)}"))
    for i, rep in enumerate(sub.laporan_bulanan):
        for k, row in enumerate(rep.capaian):
            ref(row.indikator, indikator, f"laporan_bulanan[{i}].capaian[{k}].indikator", "indikator")
    if sub.formulir_b1:
        ref(sub.formulir_b1.penandatangan, jabatan, "formulir_b1.penandatangan", "jabatan")
    if sub.lkjip:
        for k, row in enumerate(sub.lkjip.baris):
            ref(row.indikator, indikator, f"lkjip.baris[{k}].indikator", "indikator")
    if sub.profil.dokumen is not None:  # nothing given may go unevaluated
        declared = set(sub.profil.dokumen)
        for section in (*DOKUMEN, "formulir_b1"):
            document = "renja" if section == "formulir_b1" else section  # the head of Formulir B.1
            if getattr(sub, section) not in (None, []) and document not in declared:
                problems.append(("profil.dokumen", f"bagian '{section}' berisi data tetapi '{document}' tidak "
                                 "tercantum dalam profil.dokumen; tambahkan, atau kosongkan profil.dokumen"))
    for i, skp in enumerate(sub.skp):
        ref(skp.jabatan, jabatan, f"skp[{i}].jabatan", "jabatan")
        for k, ind in enumerate(skp.indikator):
            ref(ind, indikator, f"skp[{i}].indikator[{k}]", "indikator")
    return problems
