"""A rule pack: one regulation, its dates, components and the parameters its rules use.

Parameters are configuration, not constants: the Pergub sets no dates except "di awal tahun",
"setiap bulan" and the 7 days of Lampiran B angka 6, so deadlines live here and can be overridden
per run (``sakip check --set batas_laporan_bulanan_hari=15``).
"""

from __future__ import annotations

from decimal import Decimal

import datetime as dt
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

COMPONENTS = ("perencanaan", "pengukuran", "pelaporan", "evaluasi")


class Parameters(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    batas_rencana_aksi: str = Field(
        "01-31",
        description='Tanggal terakhir (BB-HH) penandatanganan Rencana Aksi yang masih dianggap "di awal tahun" (Pasal 11)',
    )
    batas_laporan_bulanan_hari: int = Field(
        10, ge=1, le=28,
        description="Laporan capaian bulan n paling lambat tanggal ini pada bulan n+1 (Pasal 23: 'setiap bulan')",
    )
    bulan_terakhir_laporan: int = Field(
        12, ge=0, le=12, description="Laporan bulanan yang sudah jatuh tempo: bulan 1 s.d. nilai ini"
    )
    eselon_wajib_lapor: tuple[str, ...] = Field(
        ("II", "III", "IV"), description="Eselon yang indikator PK-nya wajib dilaporkan tiap bulan (Pasal 23)"
    )
    batas_tindak_lanjut_b1_hari: int = Field(
        7, ge=1, le=60, description="Lampiran B angka 6: hasil tindak lanjut dikirim paling lama N hari (kalender) "
        "sejak rekomendasi diterima")
    batas_tindak_lanjut_hari: dict[str, int] = Field(
        {"error": 60, "warning": 60, "info": 90},
        description="Batas waktu tindak lanjut temuan (hari kalender sejak temuan pertama kali disimpan) per "
        "tingkat (error/warning/info) atau per id aturan (mis. EVA-003: 7); aturan mengalahkan tingkat "
        "(`sakip tindak-lanjut terlambat`)")
    tabel_b2_kebijakan: Literal["kontigu", "tegas"] = Field(
        "kontigu",
        description="kontigu: celah 90-91, 75-76, 65-66, 50-51 masuk ke kelas di atasnya dan >100% = Sangat tinggi; "
        "tegas: nilai di celah atau >100% tidak diklasifikasikan",
    )
    batas_serapan_kecil: Decimal = Field(
        Decimal(10), ge=0, le=100,
        description="LKjIP: capaian keluaran >= 100% dengan serapan anggaran di bawah persentase ini ditandai "
        "(hasil penuh dengan biaya sangat kecil perlu dijelaskan)")
    pola_indikator_proses: tuple[str, ...] = Field(
        (
            "ketercapaian kegiatan",
            "ketercapaian dari seluruh kegiatan",
            "ketercapaian jumlah dokumen kegiatan",
            "cakupan kegiatan",
            "realisasi kegiatan",
            "pelaksanaan kegiatan",
            "terlaksananya",
            "jumlah kegiatan",
        ),
        description="Pola nama indikator proses (huruf kecil): mengukur terlaksananya kegiatan, bukan keluaran/hasil",
    )

    @field_validator("batas_rencana_aksi")
    @classmethod
    def _month_day(cls, value: str) -> str:
        if not re.fullmatch(r"\d{2}-\d{2}", value):
            raise ValueError('harus berbentuk BB-HH, mis. "01-31"')
        month, day = (int(x) for x in value.split("-"))
        dt.date(2001, month, day)  # raises for an impossible date
        return value

    @field_validator("batas_tindak_lanjut_hari")
    @classmethod
    def _follow_up_limits(cls, value: dict[str, int]) -> dict[str, int]:
        for key, days in value.items():
            if key not in ("error", "warning", "info") and not re.fullmatch(r"[A-Z]{2,6}-\d{3}", key):
                raise ValueError(f"kunci {key!r}: harus error, warning, info, atau id aturan (mis. EVA-003)")
            if not 1 <= days <= 3650:
                raise ValueError(f"{key}: {days} hari di luar 1-3650")
        return value

    def renaksi_deadline(self, year: int) -> dt.date:
        month, day = (int(x) for x in self.batas_rencana_aksi.split("-"))
        return dt.date(year, month, day)


class BobotTahun(BaseModel):
    """The weights of the components for the evaluations of a range of years, and where they come from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dari_tahun: int
    sampai_tahun: int | None = None
    sumber: str = Field(description="the regulation the weights are taken from, e.g. PermenPANRB 88/2021")
    komponen: dict[Literal["perencanaan", "pengukuran", "pelaporan", "evaluasi"], int]

    def covers(self, year: int) -> bool:
        return self.dari_tahun <= year and (self.sampai_tahun is None or year <= self.sampai_tahun)


def _default_weights() -> tuple[BobotTahun, ...]:
    return (BobotTahun(dari_tahun=2021, sumber="PermenPANRB 88/2021",
                       komponen={"perencanaan": 30, "pengukuran": 30, "pelaporan": 15, "evaluasi": 25}),)


class Penilaian(BaseModel):
    """How the compliance index of a pack is computed and when a grade band may be shown (engine/scoring.py)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kerangka: str = Field(
        "bagian-bagian peraturan paket ini, dengan bobot komponen dari sumber yang disebut per tahun",
        description="which framework the components follow, in Indonesian, shown beside the figures")
    bobot: tuple[BobotTahun, ...] = Field(
        default_factory=_default_weights,
        description="component weights by year of the submission; a year no entry covers gets no overall figure")
    cakupan_minimum: int = Field(
        50, ge=0, le=100,
        description="share (%) of a component's rule weight that must be assessed for a grade band to be shown; "
        "the overall band needs every component at or above it")
    predikat: tuple[tuple[int, str], ...] = Field(
        ((90, "AA"), (80, "A"), (70, "BB"), (60, "B"), (50, "CC"), (30, "C")),
        description="grade bands: (lower bound, exclusive; label), highest first")
    predikat_terendah: str = "D"

    def weights_for(self, year: int | None) -> BobotTahun | None:
        if year is None:
            return self.bobot[0] if self.bobot else None
        return next((b for b in self.bobot if b.covers(year)), None)


class Regulation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    title: str
    short: str
    ditetapkan: dt.date
    diundangkan: dt.date
    berlaku_sejak: dt.date
    berita_daerah: str


DEFAULT_ID_PREFIX = {"perencanaan": "REN", "pengukuran": "UKR", "pelaporan": "LAP", "evaluasi": "EVA"}
PG42_OBLIGATION = r"PG42-(P\d+[\w.-]*|L[AB]-[\w.]+)"


class ReferencePeriod(BaseModel):
    """Reference data that holds for a period only (e.g. Lampiran A: the RPJMD 2017-2022 indicators): the
    rules listed judge a submission against it only when its year lies in the period."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    from_year: int
    to_year: int
    label: str = Field(description="what the reference is, e.g. 'Lampiran A (Tabel A.1-A.5)'")
    basis: str = Field(description="what it holds, so why for these years only: the report shows "
                       "'<label> <basis>, sehingga hanya berlaku untuk tahun <from>-<to>'")
    rules: list[str] = Field(min_length=1, description="ids of the rules that judge against it")


class Pack(BaseModel):
    """pack.yaml of a rule pack."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    version: str
    regulation: Regulation
    applies_from_year: int
    applies_to_year: int | None = None
    components: dict[Literal["perencanaan", "pengukuran", "pelaporan", "evaluasi"], str]
    other_sources: dict[str, str] = Field(
        default_factory=dict, description="Other regulations a rule may cite where the Pergub is silent"
    )
    parameters: Parameters = Field(default_factory=Parameters)
    penilaian: Penilaian = Field(default_factory=Penilaian)
    catatan: dict[str, str] = Field(
        default_factory=dict,
        description="Lines of the obligations table that are notes, not duties (id -> why no rule checks it)")
    id_prefix: dict[Literal["perencanaan", "pengukuran", "pelaporan", "evaluasi"], str] = Field(
        default_factory=lambda: dict(DEFAULT_ID_PREFIX),
        description="Rule id prefix per component (REN-001 ...); another regulation takes its own")
    obligation_pattern: str = Field(
        PG42_OBLIGATION, description="Regular expression every obligation id of this pack's rules matches")
    reference_periods: dict[str, ReferencePeriod] = Field(
        default_factory=dict, description="Reference data of _reference/ that holds for some years only")

    @field_validator("id_prefix")
    @classmethod
    def _prefixes(cls, value: dict[str, str]) -> dict[str, str]:
        for component, prefix in value.items():
            if not re.fullmatch(r"[A-Z]{2,5}", prefix):
                raise ValueError(f"awalan id {component} '{prefix}' harus 2-5 huruf kapital")
        if set(value) != set(COMPONENTS) or len(set(value.values())) != len(value):
            raise ValueError("setiap komponen wajib memiliki awalan id sendiri")
        return value

    @field_validator("obligation_pattern")
    @classmethod
    def _pattern(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"ekspresi reguler tidak sah: {exc}") from None
        return value

    def covers(self, year: int) -> bool:
        return self.applies_from_year <= year and (self.applies_to_year is None or year <= self.applies_to_year)

    def distance(self, year: int) -> int:
        """Years between ``year`` and the pack's years of force (0 inside them)."""
        if year < self.applies_from_year:
            return self.applies_from_year - year
        return 0 if self.applies_to_year is None or year <= self.applies_to_year else year - self.applies_to_year

    def years_label(self) -> str:
        if self.applies_to_year is None:
            return f"sejak {self.applies_from_year}"
        return f"{self.applies_from_year}-{self.applies_to_year}"

    def out_of_period(self, year: int) -> dict[str, str]:
        """Rules that judge against reference data whose period excludes ``year``: rule id -> why."""
        out: dict[str, str] = {}
        for ref in self.reference_periods.values():
            if not ref.from_year <= year <= ref.to_year:
                why = (f"{ref.label} {ref.basis}, sehingga hanya berlaku untuk tahun {ref.from_year}-"
                       f"{ref.to_year}; tahun {year} di luar periode itu: aturan ini tidak dinilai")
                out.update({rule_id: why for rule_id in ref.rules})
        return out


class PackYears(BaseModel):
    """How the pack relates to the submission's year; ``notices`` are shown at the top of every report."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    year: int
    pack_years: str
    in_force: bool
    chosen_by: Literal["tahun", "paket"] | None = None
    notices: list[str] = Field(default_factory=list)


def pack_years(pack: Pack, year: int, chosen_by: str | None = None) -> PackYears:
    notices: list[str] = []
    short = pack.regulation.short
    if not pack.covers(year):
        how = {"paket": "paket ini dipilih dengan --paket",
               "tahun": "tidak ada paket aturan yang berlaku untuk tahun itu, sehingga dipakai paket yang masa "
                        "berlakunya terdekat"}.get(chosen_by, "pengajuan tetap diperiksa dengan paket ini")
        notices.append(f"Tahun pengajuan {year} berada di luar masa berlaku {short} ({pack.years_label()}); "
                       f"{how} ({pack.id}). Temuan dan skor diukur dengan ketentuan yang mungkin sudah tidak "
                       "berlaku: periksa peraturan yang berlaku pada tahun itu.")
    for ref in pack.reference_periods.values():
        if not ref.from_year <= year <= ref.to_year:
            notices.append(f"{ref.label} {short} {ref.basis}, sehingga hanya berlaku untuk tahun "
                           f"{ref.from_year}-{ref.to_year}: aturan {', '.join(sorted(ref.rules))} tidak dinilai "
                           f"untuk tahun {year}.")
    return PackYears(year=year, pack_years=pack.years_label(), in_force=pack.covers(year), chosen_by=chosen_by,
                     notices=notices)


def pack_dirs(root: Path) -> list[Path]:
    """The pack folders under a rules root (those holding a pack.yaml), by name."""
    return sorted(p.parent for p in root.glob("*/pack.yaml"))


def read_pack(pack_dir: Path) -> Pack:
    from pydantic import ValidationError

    from sakip_checker.inputs import InputProblem, describe_validation_error, read_document

    doc = read_document(pack_dir / "pack.yaml")
    try:
        return Pack.model_validate(doc.data)
    except ValidationError as exc:
        raise InputProblem(describe_validation_error(exc, doc)) from None


def pack_for_year(root: Path, year: int) -> str:
    """The pack in force in ``year``: of those whose years of force hold it, the latest to take effect;
    when none does, the nearest (later on a tie). Deterministic; the report says when the year is outside."""
    from sakip_checker.inputs import InputProblem

    packs = [(d.name, read_pack(d)) for d in pack_dirs(root)]
    if not packs:
        raise InputProblem([f"{root}: tidak ada paket aturan (folder berisi pack.yaml)"])
    best = min(packs, key=lambda item: (item[1].distance(year), -item[1].applies_from_year, item[0]))
    return best[0]
