"""The submission of one OPD for one year: every document of the SAKIP cycle.

Field names are the Indonesian ones a planner writes in the YAML/JSON file; numbers are read by
``engine.numbers`` (exact Decimal), targets keep their defects (ranges, double targets) for the rules.
Cross-references (positions, indicators) must resolve: a dangling reference is an input error.
"""

from __future__ import annotations

import datetime as dt
import re
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

from sakip_checker.numbers import BULAN, NumberFormatError, Target, canonical, parse_date, parse_optional_number, parse_target
from sakip_checker.numbers import _ALIASES as _MONTH_ALIASES
from pydantic import ValidationInfo, field_validator  # noqa: I001 (kept apart: a small, mergeable addition)
import re as _re

# --------------------------------------------------------------------------------------------
# Value types

def _notation(info: ValidationInfo):
    """The notation the submission declares (profil.notasi), passed as validation context."""
    return info.context.get("notasi") if isinstance(info.context, dict) else None


# Numbers written as text, read once per (text, notation, Rupiah or not): a submission repeats most of them
# ("100%", "0", "3,40"; the benchmark's 14,600 number cells hold 3,300 distinct texts). A Decimal is immutable;
# empty cells and errors are not remembered (they are read again, and raise again).
READ_NUMBERS_ONCE = True
_NUMBERS_READ: dict[tuple[str, str | None, bool], Decimal] = {}


def _read_number(value: Any, notation: str | None, rupiah: bool) -> Decimal | None:
    if type(value) is not str or not READ_NUMBERS_ONCE:
        return parse_optional_number(value, notation, rupiah=rupiah)
    key = (value, notation, rupiah)
    number = _NUMBERS_READ.get(key)
    if number is None:
        number = parse_optional_number(value, notation, rupiah=rupiah)
        if number is not None:
            if len(_NUMBERS_READ) >= 100_000:
                _NUMBERS_READ.clear()
            _NUMBERS_READ[key] = number
    return number


def _angka(value: Any, info: ValidationInfo) -> Decimal | None:
    return _read_number(value, _notation(info), False)


def _rupiah(value: Any, info: ValidationInfo) -> Decimal | None:
    """A Rupiah amount (``Rupiah``): never read with three or more decimals ("2.500,000" is an input error, not
    Rp 2.500), and a lone dot group is thousands ("1.500" is Rp 1.500)."""
    return _read_number(value, _notation(info), True)


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
            'kecuali profil.notasi diisi; kosong/"-" = tidak ada',
        }
    ),
]

Rupiah = Annotated[
    Decimal | None,
    BeforeValidator(_rupiah),
    PlainSerializer(lambda v: None if v is None else canonical(v), return_type=str | None),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number"}, {"type": "string"}, {"type": "null"}],
            "description": 'Jumlah Rupiah format Indonesia: "1.193.209.000", "Rp 1.193.209.000,-", "20.160.770.750,00"; '
            'paling banyak dua angka desimal ("2.500,000" ditolak)',
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



class TanggalBulan(dt.date):
    """A date printed with its month only ("Januari 2025", "Desember 2021"): held as the first day of the
    month; ``isoformat()`` stays the full date, ``bulan_iso()`` gives "2025-01". Checks read the precision
    from the type (``is_month_only``)."""

    def bulan_iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def __repr__(self) -> str:
        return f"TanggalBulan({self.year}, {self.month})"


_MONTH_ONLY = re.compile(r"^(?:bulan\s+)?([A-Za-z]+)\.?\s+(\d{4})$", re.IGNORECASE)
_ENGLISH_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                   "october", "november", "december")


def is_month_only(value: dt.date | None) -> bool:
    return isinstance(value, TanggalBulan)


def parse_date_or_month(value: object) -> dt.date | None:
    """A full date (``engine.numbers.parse_date``) or a month ("Januari 2025", "bulan Desember 2021"), which
    is read as a month (``TanggalBulan``), not refused."""
    if isinstance(value, str):
        match = _MONTH_ONLY.match(value.strip())
        if match:
            name = match.group(1).lower()
            month = (BULAN.index(name) + 1 if name in BULAN else _MONTH_ALIASES.get(name)
                     or (_ENGLISH_MONTHS.index(name) + 1 if name in _ENGLISH_MONTHS else None))
            if month is None:
                raise NumberFormatError(f'nama bulan "{match.group(1)}" pada tanggal "{value}" tidak dikenal')
            return TanggalBulan(int(match.group(2)), month, 1)
    return parse_date(value)


TanggalAtauBulan = Annotated[
    dt.date | None,
    BeforeValidator(parse_date_or_month),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string"}, {"type": "null"}],
            "description": 'Tanggal: "2023-01-20" atau "20 Januari 2023"; bila tercetak bulan saja ("Januari 2025") '
            "dibaca sebagai bulan; kosong bila tidak bertanggal",
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


_CHOICES: dict[type, dict[str, tuple[str, ...]]] = {}


def _choices_of(annotation: Any) -> tuple[str, ...]:
    """The values of an enum or string Literal field (also optional), else ()."""
    from typing import get_args, get_origin

    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return tuple(m.value for m in annotation)
    if get_origin(annotation) is Literal:
        args = get_args(annotation)
        return args if all(isinstance(a, str) for a in args) else ()
    if get_origin(annotation) is not list:
        for arg in get_args(annotation):
            found = _choices_of(arg)
            if found:
                return found
    return ()


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_missing(cls, data: Any) -> Any:
        """An empty or blank value is a missing one (a required field then says so)."""
        if isinstance(data, dict):
            for v in data.values():  # copied only when a value is blank (most rows have none)
                if isinstance(v, str) and not v.strip():
                    return {k: None if isinstance(v, str) and not v.strip() else v for k, v in data.items()}
        return data

    @model_validator(mode="before")
    @classmethod
    def _list_values_as_written(cls, data: Any) -> Any:
        """A list value in the forms people write ("Sasaran", "Sub Kegiatan", "POSITIF", "II.a") is the value."""
        if not isinstance(data, dict):
            return data
        choices = _CHOICES.get(cls)
        if choices is None:  # only the fields that have a list of values
            choices = _CHOICES[cls] = {name: found for name, f in cls.model_fields.items()
                                       if (found := _choices_of(f.annotation))}
        out = None
        for key, allowed in choices.items():
            value = data.get(key)
            if isinstance(value, str) and value not in allowed:
                from sakip_checker.excel import enum_value

                read = enum_value(value, allowed)
                if read in allowed:
                    out = out if out is not None else dict(data)
                    out[key] = read
        return out if out is not None else data

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
    tanggal: TanggalAtauBulan = None
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
    pagu: Rupiah = None
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
    realisasi_anggaran: Rupiah = None
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
    dana_renja: Rupiah = None
    dana_rka: Rupiah = None
    target_maju_renja: TargetValue = Field(default_factory=lambda: parse_target(None))
    target_maju_rka: TargetValue = Field(default_factory=lambda: parse_target(None))
    dana_maju_renja: Rupiah = None
    dana_maju_rka: Rupiah = None
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
    periode_renja: int | None = Field(None, description="Periode (tahun) Renja Perangkat Daerah di kepala formulir")
    periode_rka: int | None = Field(None, description="Periode (tahun) RKA Perangkat Daerah di kepala formulir")


PeringkatB2 = Literal["Sangat tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah"]  # Tabel B.2, as printed


def _rating(value: object) -> object:
    """A Tabel B.2 rating as people print it ("SANGAT TINGGI", "sangat  rendah") as the table's label."""
    if isinstance(value, str):
        key = " ".join(value.split()).casefold()
        for label in PeringkatB2.__args__:
            if label.casefold() == key:
                return label
    return value


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
    anggaran: Rupiah = Field(None, description="Pagu anggaran yang mendukung indikator (Rp)")
    realisasi_anggaran: Rupiah = Field(None, description="Realisasi anggaran (Rp)")
    persentase_anggaran: Angka = Field(None, description="Serapan anggaran (%) yang dinyatakan")
    efisiensi: Angka = Field(None, description="Efisiensi (%) yang dinyatakan: capaian kinerja - serapan anggaran")
    rencana_perbaikan: str | None = Field(None, description="Langkah perbaikan bila capaian di bawah target (Pasal 29)")
    sumber_data: str | None = Field(None, description="Sumber data realisasi yang dinyatakan LKjIP (Pasal 28 ayat (2))")
    bukti: str | None = Field(None, description="Rujukan bukti dukung realisasi (nomor dokumen, register, sistem)")
    metode_pengukuran: str | None = Field(None, description="Cara realisasi diukur/dihitung, seperti dinyatakan")
    proksi: bool | None = Field(
        None, description="LKjIP menyatakan realisasi ini proksi dari data tahun sebelumnya (tahun_realisasi)")
    penyebab: str | None = Field(
        None, description="Penjelasan penyebab capaian rendah/tidak tercapai, terpisah dari rencana perbaikan")
    peringkat_tertulis: Annotated[PeringkatB2 | None, BeforeValidator(_rating)] = Field(
        None, description="Peringkat/kriteria capaian yang dinyatakan LKjIP (skala Tabel B.2: Sangat tinggi, Tinggi, "
        "Sedang, Rendah, Sangat Rendah), seperti tercetak; kosong bila tidak tercetak")


# Where a statement stands in the report: the part of an LKjIP (PermenPANRB 53/2014 outline) it is read from.
BAGIAN_LKJIP = ("ikhtisar", "pendahuluan", "perencanaan", "perjanjian_kinerja", "pengukuran", "analisis", "rekap",
                "anggaran", "kesimpulan", "lampiran", "lainnya")


class LkjipPernyataan(_Base):
    """One statement of an indicator's quantity where the report makes it (Ikhtisar Eksekutif, BAB II table,
    PK annex, BAB III table or narrative, recap, Kesimpulan): the same quantity is usually stated several
    times, and every statement is kept as printed so that disagreements stay visible."""

    indikator: str | None = Field(None, description="id indikator dalam cascade (kosong bila besaran bukan indikator "
                                  "cascade, mis. capaian keseluruhan; isi uraian)")
    uraian: str | None = Field(None, description="Besaran yang dinyatakan bila bukan indikator cascade, "
                               "mis. \"Capaian kinerja urusan\"; pernyataan dengan uraian sama = besaran yang sama")
    bagian: Literal[BAGIAN_LKJIP] = Field(  # type: ignore[valid-type]
        "lainnya", description="Bagian LKjIP: " + ", ".join(BAGIAN_LKJIP))
    letak: str | None = Field(None, description="Nama tabel/subbab tempat pernyataan, mis. Tabel 8.1")
    halaman: str | None = Field(None, description="Halaman atau baris, mis. \"hlm. 23\" atau \"L707\"")
    target: TargetValue = Field(default_factory=lambda: parse_target(None))
    realisasi: Angka = None
    capaian: Angka = Field(None, description="Capaian (%) yang dinyatakan di tempat ini")
    satuan: str | None = Field(None, description="Satuan seperti tertulis di tempat ini (Dokumen, Kegiatan, %, Skala)")
    tahun: int | None = Field(None, description="Tahun yang tertulis pada tabel/kalimat pernyataan ini")
    penanggung_jawab: str | None = Field(None, description="id jabatan yang dinyatakan bertanggung jawab di tempat ini")
    kutipan: str | None = Field(None, description="Kalimat/sel sebagaimana tercetak")
    tidak_dapat_diukur: bool | None = Field(
        None, description="Di tempat ini LKjIP menyatakan indikator belum/tidak dapat diukur (mis. \"Belum adanya "
        "rincian dan indikator terkait pengukuran nilai IKM\"); isi kutipan")

    @model_validator(mode="after")
    def _names_a_quantity(self) -> "LkjipPernyataan":
        if self.indikator is None and self.uraian is None:
            raise ValueError("isi indikator (id cascade) atau uraian besaran yang dinyatakan")
        return self


class LkjipRealisasiTahun(_Base):
    """One value of an indicator's realisasi series over the Renstra years (Pasal 27 huruf a and c)."""

    indikator: str = Field(description="id indikator")
    tahun: int = Field(description="Tahun realisasi seperti tertulis")
    realisasi: Angka = None
    letak: str | None = None
    halaman: str | None = None


class LkjipPerbandingan(_Base):
    """The Pasal 27 comparisons of one indicator as the report states them: progress toward the Renstra
    end target (huruf c), its narrative trend claim, and the national standard with its source (huruf d).
    The series is ``lkjip.realisasi_tahunan``, the peers ``lkjip.pembanding``."""

    indikator: str = Field(description="id indikator")
    target_akhir_renstra: TargetValue = Field(default_factory=lambda: parse_target(None))
    tahun_akhir_renstra: int | None = None
    persentase_renstra: Angka = Field(None, description="Capaian terhadap target akhir Renstra (%) yang dinyatakan")
    sisa_renstra: Angka = Field(None, description="Kekurangan terhadap target akhir Renstra yang dinyatakan")
    klaim_tren: str | None = Field(None, description="Kalimat tren seperti tertulis, mis. \"selalu meningkat\"")
    tren: Literal["meningkat", "selalu_meningkat", "menurun", "selalu_menurun", "tetap", "fluktuatif"] | None = Field(
        None, description="Arti klaim tren: meningkat/selalu_meningkat/menurun/selalu_menurun/tetap/fluktuatif")
    standar_nasional: Angka = None
    sumber_standar: str | None = Field(None, description="Sumber standar nasional (RPJMN, SPM, Renstra K/L, ...)")
    letak: str | None = None
    halaman: str | None = None


class LkjipPembanding(_Base):
    """One peer comparator of an indicator (Pasal 27 huruf e): another instansi's value."""

    indikator: str = Field(description="id indikator")
    instansi: str = Field(description="Instansi pembanding, mis. Biro Pemerintahan Provinsi Jawa Barat")
    nilai: Angka = None
    tahun: int | None = None
    sumber: str | None = None
    letak: str | None = None
    halaman: str | None = None


class LkjipAnggaran(_Base):
    """One row of a budget table of the report, body or annex (Lampiran): program, kegiatan, sub-kegiatan,
    or the table's stated total ("Jumlah"), which is a stated total and never a child of anything."""

    tabel: str = Field(description="Tabel tempat baris ini, mis. \"Tabel 3.1\" atau \"Lampiran 1\"")
    sumber: Literal["badan", "lampiran"] = Field("badan", description="badan laporan atau lampiran")
    id: str | None = Field(None, description="Kode baris unik dalam tabel ini (kode rekening atau nomor urut)")
    induk: str | None = Field(None, description="id baris induk dalam tabel yang sama (kegiatan -> program)")
    tingkat: Literal["program", "kegiatan", "sub_kegiatan", "jumlah"] = Field(
        description="program, kegiatan, sub_kegiatan, atau jumlah (baris \"Jumlah\"/total yang dinyatakan)")
    kode: str | None = Field(None, description="Kode program/kegiatan seperti tertulis (teks, tidak dibaca sebagai angka)")
    uraian: str | None = None
    pagu_murni: Rupiah = Field(None, description="Pagu murni (Rp)")
    pagu_perubahan: Rupiah = Field(None, description="Pagu perubahan (Rp); kosong bila tabel hanya memuat satu pagu")
    realisasi: Rupiah = Field(None, description="Realisasi anggaran (Rp)")
    sisa: Rupiah = Field(None, description="Sisa anggaran yang dinyatakan (Rp)")
    persentase: Angka = Field(None, description="Serapan (%) yang dinyatakan")
    sasaran: list[str] = Field(default_factory=list, description="id indikator sasaran yang didukung baris ini")
    halaman: str | None = None
    target_keluaran: Angka = Field(None, description="Rencana hasil/keluaran (kuantitas) seperti tercetak, mis. kolom "
                                   "Rencana Lampiran 1")
    realisasi_keluaran: Angka = Field(None, description="Realisasi hasil/keluaran (kuantitas) seperti tercetak")
    satuan_keluaran: str | None = Field(None, description="Satuan keluaran seperti tercetak (Kegiatan, Dokumen, ...)")
    keterangan: str | None = Field(None, description="Kolom keterangan/uraian keluaran baris ini seperti tercetak")


class LkjipEfisiensiBaris(_Base):
    indikator: str | None = Field(None, description="id indikator yang dianalisis")
    anggaran: str | None = Field(None, description="id baris anggaran (lkjip.anggaran) yang dianalisis")
    capaian: Angka = Field(None, description="Capaian kinerja (%) yang dipakai")
    serapan: Angka = Field(None, description="Serapan anggaran (%) yang dipakai")
    efisiensi: Angka = Field(None, description="Efisiensi yang dinyatakan (% atau poin)")
    output: Angka = Field(None, description="Jumlah keluaran (metode biaya per keluaran)")
    biaya_per_output: Rupiah = Field(None, description="Biaya per keluaran yang dinyatakan (Rp)")
    halaman: str | None = None


class LkjipEfisiensi(_Base):
    """The efficiency analysis (Pasal 11) as the report declares it: its method and its figures."""

    metode: Literal["capaian_dikurangi_serapan", "sisa_per_pagu", "biaya_per_output", "tidak_ada"] = Field(
        description="capaian_dikurangi_serapan, sisa_per_pagu, biaya_per_output, atau tidak_ada (tidak dianalisis)")
    letak: str | None = None
    halaman: str | None = None
    kutipan: str | None = None
    baris: list[LkjipEfisiensiBaris] = Field(default_factory=list)


class LkjipLabelTahun(_Base):
    """A year printed as the period of the report, a section, a table, a column, the DPA or an activity (not a
    reference to another document, such as "Renstra 2017-2022" or "Perda Nomor 7 Tahun 2017")."""

    tahun: int
    jenis: Literal["judul", "bagian", "tabel", "kolom", "dpa", "teks"] = "teks"
    teks: str | None = Field(None, description="Teks sebagaimana tercetak")
    letak: str | None = None
    halaman: str | None = None


HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")  # = date.weekday() 0..6


def _weekday(value: object) -> object:
    """A printed weekday ("Jum'at", "JUMAT", "Ahad") as its canonical name."""
    if isinstance(value, str) and value.strip():
        key = value.strip().lower().replace("'", "").replace("’", "").rstrip(",")
        key = "minggu" if key == "ahad" else key
        names = [h.lower() for h in HARI]
        if key not in names:
            raise ValueError(f'nama hari "{value}" tidak dikenal (Senin, Selasa, Rabu, Kamis, Jumat, Sabtu, Minggu)')
        return HARI[names.index(key)]
    return value


class LkjipTanggalKegiatan(_Base):
    """A date printed in the report for an activity or evidence, with the weekday when it is printed."""

    tertulis: str | None = Field(None, description="Sebagaimana tercetak, mis. \"Rabu, 19 Februari 2021\"")
    hari: Annotated[str | None, BeforeValidator(_weekday)] = Field(
        None, description="Nama hari yang tercetak (Senin ... Minggu); kosong bila tidak tercetak")
    tanggal: Tanggal = Field(description="Tanggal yang tercetak (tahun seperti tertulis)")
    kegiatan: str | None = None
    letak: str | None = None
    halaman: str | None = None


class LkjipTandaTangan(_Base):
    """A signature block of the report (Kata Pengantar, Penutup, Lampiran): place, date as printed, signer."""

    letak: str | None = Field(None, description="Bagian tempat tanda tangan, mis. Kata Pengantar")
    halaman: str | None = None
    tempat: str | None = None
    tanggal: TanggalAtauBulan = None
    tertulis: str | None = Field(None, description="Tanggal sebagaimana tercetak, mis. \"Serang, Desember 2021\"")
    nama: str | None = None
    jabatan: str | None = Field(None, description="id jabatan penanda tangan")
    jabatan_tertulis: str | None = Field(None, description="Jabatan sebagaimana tercetak")
    status: Literal["definitif", "plt", "pj", "plh"] = Field(
        "definitif", description="definitif, atau pejabat sementara: plt, pj, plh")


class LkjipDasarHukum(_Base):
    """A legal basis the report cites (BAB I, Dasar Penyusunan)."""

    jenis: str = Field(description="Jenis peraturan, mis. Peraturan Gubernur Banten")
    nomor: str | None = None
    tahun: int | None = None
    tentang: str | None = None
    letak: str | None = None
    halaman: str | None = None


class LkjipTandaDraf(_Base):
    """A draft marker printed on the report ("~~ BAHAN ~~", "DRAFT", "KONSEP")."""

    teks: str
    letak: str | None = None
    halaman: str | None = None


class LkjipJumlah(_Base):
    """A count the report states ("2 program, 9 kegiatan, 45 keluaran"), recounted from the submission."""

    besaran: Literal["program", "kegiatan", "sub_kegiatan", "keluaran"] = Field(
        description="Yang dihitung: program, kegiatan, sub_kegiatan (baris tabel anggaran yang disebut), atau "
        "keluaran (indikator output pada Perjanjian Kinerja Eselon IV, Pasal 12 ayat (4) huruf d)")
    jumlah: int = Field(ge=0, description="Jumlah seperti tercetak")
    tabel: str | None = Field(None, description="Tabel anggaran (lkjip.anggaran) yang barisnya dihitung, untuk "
                              "program/kegiatan/sub_kegiatan")
    kutipan: str | None = None
    letak: str | None = None
    halaman: str | None = None


class Lkjip(_Base):
    tahun: int
    tanggal: Tanggal = None
    total_anggaran: Rupiah = Field(None, description="Jumlah pagu anggaran yang dinyatakan (Rp)")
    total_realisasi_anggaran: Rupiah = Field(None, description="Jumlah realisasi anggaran yang dinyatakan (Rp)")
    baris: list[LkjipBaris] = Field(default_factory=list)
    pernyataan: list[LkjipPernyataan] = Field(
        default_factory=list, description="Setiap pernyataan target/realisasi/capaian suatu indikator beserta letaknya")
    realisasi_tahunan: list[LkjipRealisasiTahun] = Field(
        default_factory=list, description="Deret realisasi per tahun Renstra (Pasal 27 huruf a dan c)")
    perbandingan: list[LkjipPerbandingan] = Field(
        default_factory=list, description="Perbandingan Pasal 27 huruf c dan d sebagaimana dinyatakan, per indikator")
    pembanding: list[LkjipPembanding] = Field(
        default_factory=list, description="Pembanding instansi lain (Pasal 27 huruf e), boleh lebih dari satu")
    anggaran: list[LkjipAnggaran] = Field(
        default_factory=list, description="Tabel anggaran program/kegiatan/sub-kegiatan badan laporan dan lampiran")
    efisiensi: LkjipEfisiensi | None = Field(None, description="Analisis efisiensi (Pasal 11) sebagaimana dinyatakan")
    label_tahun: list[LkjipLabelTahun] = Field(default_factory=list, description="Tahun yang tercetak pada judul/bab/tabel")
    tanggal_kegiatan: list[LkjipTanggalKegiatan] = Field(
        default_factory=list, description="Tanggal kegiatan/bukti sebagaimana tercetak, dengan nama hari")
    tanda_tangan: list[LkjipTandaTangan] = Field(default_factory=list)
    dasar_hukum: list[LkjipDasarHukum] = Field(default_factory=list)
    tanda_draf: list[LkjipTandaDraf] = Field(default_factory=list)
    jumlah: list[LkjipJumlah] = Field(
        default_factory=list, description="Jumlah program/kegiatan/keluaran yang dinyatakan, mis. \"45 keluaran\"")


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
        lk = sub.lkjip
        for k, row in enumerate(lk.baris):
            ref(row.indikator, indikator, f"lkjip.baris[{k}].indikator", "indikator")
        for k, st in enumerate(lk.pernyataan):
            ref(st.indikator, indikator, f"lkjip.pernyataan[{k}].indikator", "indikator")
            ref(st.penanggung_jawab, jabatan, f"lkjip.pernyataan[{k}].penanggung_jawab", "jabatan")
        for name in ("realisasi_tahunan", "perbandingan", "pembanding"):
            for k, row in enumerate(getattr(lk, name)):
                ref(row.indikator, indikator, f"lkjip.{name}[{k}].indikator", "indikator")
        rows_by_table: dict[str, dict[str, LkjipAnggaran]] = {}
        for k, row in enumerate(lk.anggaran):
            table = rows_by_table.setdefault(row.tabel, {})
            if row.id is not None:
                if row.id in table:
                    problems.append((f"lkjip.anggaran[{k}].id", f"id '{row.id}' dipakai lebih dari sekali dalam "
                                     f"tabel '{row.tabel}'"))
                table[row.id] = row
            for m, target in enumerate(row.sasaran):
                ref(target, indikator, f"lkjip.anggaran[{k}].sasaran[{m}]", "indikator")
        for k, row in enumerate(lk.anggaran):
            if row.induk is None:
                continue
            parent = rows_by_table[row.tabel].get(row.induk)
            if row.tingkat == "jumlah":
                problems.append((f"lkjip.anggaran[{k}].induk", "baris jumlah adalah total yang dinyatakan, bukan "
                                 "bagian dari baris lain; kosongkan induk"))
            elif parent is None:
                problems.append((f"lkjip.anggaran[{k}].induk", f"baris induk '{row.induk}' tidak ada dalam tabel "
                                 f"'{row.tabel}'"))
            elif parent.tingkat == "jumlah":
                problems.append((f"lkjip.anggaran[{k}].induk", f"baris induk '{row.induk}' adalah baris jumlah; "
                                 "baris jumlah tidak mempunyai anak (kosongkan induk)"))
        if lk.efisiensi:
            ids = {row.id for row in lk.anggaran if row.id is not None}
            for k, row in enumerate(lk.efisiensi.baris):
                ref(row.indikator, indikator, f"lkjip.efisiensi.baris[{k}].indikator", "indikator")
                if row.anggaran is not None and row.anggaran not in ids:
                    problems.append((f"lkjip.efisiensi.baris[{k}].anggaran", f"baris anggaran '{row.anggaran}' "
                                     "tidak ada dalam lkjip.anggaran"))
        for k, sig in enumerate(lk.tanda_tangan):
            ref(sig.jabatan, jabatan, f"lkjip.tanda_tangan[{k}].jabatan", "jabatan")
        for k, count in enumerate(lk.jumlah):
            if count.tabel is not None and count.tabel not in rows_by_table:
                problems.append((f"lkjip.jumlah[{k}].tabel", f"tabel '{count.tabel}' tidak ada dalam lkjip.anggaran"))
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
