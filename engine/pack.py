"""A rule pack: one regulation, its dates, components and the parameters its rules use.

Parameters are configuration, not constants: the Pergub sets no dates except "di awal tahun",
"setiap bulan" and the 7 days of Lampiran B angka 6, so deadlines live here and can be overridden
per run (``sakip check --set batas_laporan_bulanan_hari=15``).
"""

from __future__ import annotations

from decimal import Decimal

import datetime as dt
import re
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

    def renaksi_deadline(self, year: int) -> dt.date:
        month, day = (int(x) for x in self.batas_rencana_aksi.split("-"))
        return dt.date(year, month, day)


class Regulation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    title: str
    short: str
    ditetapkan: dt.date
    diundangkan: dt.date
    berlaku_sejak: dt.date
    berita_daerah: str


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
    catatan: dict[str, str] = Field(
        default_factory=dict,
        description="Lines of the obligations table that are notes, not duties (id -> why no rule checks it)")
