"""Facts: the flat units a rule evaluates, built from a Submission.

Every fact has an ``id`` (unique in the submission, never joined on: durable-rules L4), a ``key``
(the join key), a ``type``, a ``path`` into the submission (the stable location used by findings and
tests) and typed fields. ``FACT_TYPES`` declares each type's fields, so that the rule loader can refuse
a condition on a field that does not exist or a literal of the wrong type.
Checks (``checks/``) add derived fields and derived facts; they declare theirs the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from engine.model import Submission
from engine.numbers import Target, canonical

FieldType = Literal["text", "number", "bool", "date"]

# Level of the cascade each eselon's PK indicators belong to (Pasal 12 ayat (4) huruf b-d) and the
# level a parent indicator must have (Pasal 12 ayat (5)).
EXPECTED_LEVEL_BY_ESELON = {"II": "sasaran", "III": "program", "IV": "kegiatan"}
EXPECTED_ESELON_BY_LEVEL = {"sasaran": "II", "program": "III", "kegiatan": "IV", "sub_kegiatan": "IV"}
PARENT_LEVEL = {"sasaran": "tujuan", "program": "sasaran", "kegiatan": "program", "sub_kegiatan": "kegiatan"}

_TARGET_FIELDS: dict[str, FieldType] = {"target_jenis": "text", "target": "number", "target_teks": "text",
                                        "target_satuan": "text", "target_kunci": "text"}

FACT_TYPES: dict[str, dict[str, FieldType]] = {
    "opd": {"opd": "text", "tahun": "number", "peran": "text", "kelompok": "text", "asisten": "text",
            "nama_lampiran": "text"},
    "jabatan": {"jabatan": "text", "nama": "text", "eselon": "text", "plt": "bool", "atasan": "text",
                "pemegang": "text", "tupoksi": "text"},
    "indikator": {"indikator": "text", "nama": "text", "uraian": "text", "level": "text", "kode": "text",
                  "satuan": "text", "polaritas": "text", "baseline": "number", **_TARGET_FIELDS,
                  "target_akhir_jenis": "text", "definisi": "text", "formula": "text", "sumber_data": "text",
                  "induk": "text", "level_induk_diharapkan": "text", "penanggung_jawab": "text",
                  "eselon_pj_diharapkan": "text", "iku": "bool", "tahun_submisi": "number", "rpjmd": "text"},
    "pk": {"pk": "text", "jabatan": "text", "nama_jabatan": "text", "eselon": "text", "jenis": "text",
           "tahun": "number", "tanggal": "date", "pihak_pertama": "text", "pihak_kedua": "text",
           "alasan_perubahan": "text", "jumlah_indikator": "number", "pk_berlaku": "bool", "tahun_submisi": "number"},
    "pk_indikator": {"pk": "text", "jabatan": "text", "nama_jabatan": "text", "eselon": "text", "jenis": "text",
                     "indikator": "text", "nama": "text", "level_diharapkan": "text", "bobot": "number", "pk_berlaku": "bool",
                     "tahun_submisi": "number",
                     **_TARGET_FIELDS},
    "renaksi": {"tahun": "number", "tanggal": "date", "penandatangan": "text", "jumlah_baris": "number",
                "tahun_submisi": "number"},
    "renaksi_baris": {"indikator": "text", "nama": "text", "kegiatan": "text", "tw_satuan": "text",
                      "pagu": "number", "strategi": "text", "ada_tw": "bool", **_TARGET_FIELDS},
    "laporan": {"bulan": "number", "tahun": "number", "tanggal_kirim": "date", "realisasi_anggaran": "number",
                "tahun_submisi": "number"},
    "capaian": {"indikator": "text", "nama": "text", "bulan": "number", "kunci_bulan": "text", "realisasi": "number",
                "capaian": "number", "sumber_data": "text", "bukti": "text"},
    "renja_baris": {"kode": "text", "uraian": "text", "indikator": "text", "lokasi_renja": "text",
                    "lokasi_rka": "text", "dana_renja": "number", "dana_rka": "number", "kesesuaian": "text",
                    "evaluasi": "text", "tindak_lanjut": "text", "hasil_tindak_lanjut": "text",
                    "target_renja_teks": "text", "target_rka_teks": "text", "target_rka_jenis": "text", "dana_maju_renja": "number",
                    "dana_maju_rka": "number", "target_maju_renja_teks": "text", "target_maju_rka_teks": "text"},
    "lkjip": {"tahun": "number", "tanggal": "date", "tahun_submisi": "number", "total_anggaran": "number",
              "total_realisasi_anggaran": "number"},
    "lkjip_baris": {"indikator": "text", "nama": "text", "realisasi": "number", "capaian": "number",
                    "realisasi_tahun_lalu": "number", "tahun_realisasi": "number",
                    "target_akhir_renstra_jenis": "text", "standar_nasional": "number",
                    "keterangan_standar_nasional": "text", "pembanding": "text", "nilai_pembanding": "number",
                    "tahun_submisi": "number", "anggaran": "number", "realisasi_anggaran": "number",
                    "persentase_anggaran": "number", "efisiensi": "number", "rencana_perbaikan": "text",
                    **_TARGET_FIELDS},
    "lhe": {"tahun": "number", "komponen": "text", "nilai": "number", "sumber": "text"},
    "tindak_lanjut": {"rekomendasi": "text", "sumber": "text", "tanggal": "date", "status": "text",
                      "tanggal_tindak_lanjut": "date", "bukti": "text", "hasil": "text"},
    "atestasi": {"kewajiban": "text", "dokumen": "text", "nomor": "text", "tanggal": "date"},
    "iku": {"nomor_sk": "text", "tanggal": "date", "jumlah_indikator": "number"},
    "formulir_b1": {"tanggal": "date", "penandatangan": "text", "tanggal_terima_rekomendasi": "date",
                    "tanggal_kirim_tindak_lanjut": "date", "periode_renja": "number", "periode_rka": "number",
                    "tahun_submisi": "number"},
}

# Which document of the submission each fact type belongs to (for locations and reports).
DOCUMENT_OF = {
    "opd": "profil", "jabatan": "jabatan", "indikator": "indikator", "pk": "perjanjian_kinerja",
    "pk_indikator": "perjanjian_kinerja", "renaksi": "rencana_aksi", "renaksi_baris": "rencana_aksi",
    "laporan": "laporan_bulanan", "capaian": "laporan_bulanan", "renja_baris": "renja", "lkjip": "lkjip",
    "lkjip_baris": "lkjip", "atestasi": "atestasi", "lhe": "lhe", "tindak_lanjut": "tindak_lanjut", "iku": "iku", "formulir_b1": "renja",
    "slot_laporan": "laporan_bulanan", "kewajiban_a1": "perjanjian_kinerja", "kewajiban_blok": "indikator",  # derived
}


# The content that identifies a unit of each type among the units of its submission (engine/fingerprint.py):
# codes, names, position, month, never a list position. A fact type of a check (produces) is listed too.
IDENTITY: dict[str, tuple[str, ...]] = {
    "opd": (), "jabatan": ("jabatan",), "indikator": ("indikator",), "pk": ("jabatan", "jenis"),
    "pk_indikator": ("jabatan", "jenis", "indikator"), "renaksi": (), "renaksi_baris": ("indikator", "kegiatan"),
    "laporan": ("bulan",), "capaian": ("bulan", "indikator"), "renja_baris": ("kode", "uraian", "indikator"),
    "lkjip": (), "lkjip_baris": ("indikator",), "lhe": ("tahun", "komponen"),
    "tindak_lanjut": ("sumber", "rekomendasi"), "atestasi": ("kewajiban", "dokumen", "nomor"), "iku": (),
    "formulir_b1": (), "slot_laporan": ("indikator", "bulan"), "kewajiban_a1": ("jabatan", "indikator_a1"),
    "kewajiban_blok": ("blok", "jenis", "uraian"),
}


@dataclass
class Fact:
    """One unit. ``fields`` hold exact Python values (Decimal, str, bool, ISO date text)."""

    id: str
    type: str
    key: str
    path: str
    fields: dict[str, Any]
    # location details for findings: jabatan / indikator names, month
    where: dict[str, Any] = field(default_factory=dict)
    # the model object the fact was built from (checks read exact inputs such as TW lists from it)
    source: Any = None
    # what identifies the unit by content, with "#n" for the n-th unit of identical content (FactSet.add)
    identity: str = ""


def _target(prefix: str, t: Target) -> dict[str, Any]:
    # target_kunci: exact text of the value for equality joins (no float rounding in the engine)
    key = canonical(t.value) if t.kind == "angka" and t.value is not None else (" ".join(t.as_written.split()) or None)
    return {f"{prefix}_jenis": t.kind, prefix: t.value, f"{prefix}_teks": t.as_written or None,
            f"{prefix}_satuan": t.unit, f"{prefix}_kunci": key}


def _date(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


class FactSet:
    """All facts of one submission, by type, in submission order."""

    def __init__(self) -> None:
        self.by_type: dict[str, list[Fact]] = {}
        self.by_id: dict[str, Fact] = {}
        self._identities: dict[str, int] = {}

    def add(self, type_: str, key: str, path: str, fields: dict[str, Any], where: dict[str, Any] | None = None,
            source: Any = None) -> Fact:
        fact_id = f"{type_}:{len(self.by_type.get(type_, ()))}"
        fact = Fact(fact_id, type_, key, path, fields, where or {}, source)
        fact.identity = self._identity(type_, fields)
        self.by_type.setdefault(type_, []).append(fact)
        self.by_id[fact_id] = fact
        return fact

    def _identity(self, type_: str, fields: dict[str, Any]) -> str:
        from engine.fingerprint import identity_of

        base = identity_of(type_, fields)
        seen = self._identities.get(base, 0)
        self._identities[base] = seen + 1
        return base if seen == 0 else f"{base}#{seen + 1}"

    def of(self, type_: str) -> list[Fact]:
        return self.by_type.get(type_, [])

    def __len__(self) -> int:
        return len(self.by_id)


def build_facts(sub: Submission) -> FactSet:
    facts = FactSet()
    jabatan = {j.id: j for j in sub.jabatan}
    indikator = {i.id: i for i in sub.indikator}

    def ind_where(ind_id: str) -> dict[str, Any]:
        ind = indikator.get(ind_id)
        return {"indikator": ind.nama if ind else ind_id}

    def jab_where(jab_id: str | None) -> dict[str, Any]:
        j = jabatan.get(jab_id) if jab_id else None
        return {"jabatan": j.nama, "eselon": j.eselon.value} if j else {}

    year = Decimal(sub.profil.tahun)
    # the PK in force per position: the latest perubahan, else the murni (the signed PK wins)
    in_force: dict[str, str] = {}
    for pk in sub.perjanjian_kinerja:
        if pk.jabatan not in in_force or pk.jenis == "perubahan":
            in_force[pk.jabatan] = pk.id
    p = sub.profil
    facts.add("opd", "opd", "profil", {"opd": p.opd, "tahun": year, "peran": p.peran, "kelompok": p.kelompok,
                                       "asisten": p.asisten, "nama_lampiran": p.nama_lampiran})
    for i, j in enumerate(sub.jabatan):
        facts.add("jabatan", j.id, f"jabatan[{i}]",
                  {"jabatan": j.id, "nama": j.nama, "eselon": j.eselon.value, "plt": j.plt, "atasan": j.atasan,
                   "pemegang": j.pemegang, "tupoksi": j.tupoksi},
                  {"jabatan": j.nama, "eselon": j.eselon.value})
    for i, ind in enumerate(sub.indikator):
        level = ind.level.value
        facts.add("indikator", ind.id, f"indikator[{i}]",
                  {"indikator": ind.id, "nama": ind.nama, "uraian": ind.uraian, "level": level, "kode": ind.kode,
                   "satuan": ind.satuan, "polaritas": ind.polaritas.value, "baseline": ind.baseline,
                   **_target("target", ind.target), "target_akhir_jenis": ind.target_akhir.kind,
                   "definisi": ind.definisi, "formula": ind.formula, "sumber_data": ind.sumber_data,
                   "induk": ind.induk, "level_induk_diharapkan": PARENT_LEVEL.get(level),
                   "penanggung_jawab": ind.penanggung_jawab,
                   "eselon_pj_diharapkan": EXPECTED_ESELON_BY_LEVEL.get(level), "iku": ind.iku, "tahun_submisi": year,
                   "rpjmd": ind.rpjmd},
                  {"indikator": ind.nama, **jab_where(ind.penanggung_jawab)}, ind)
    for i, pk in enumerate(sub.perjanjian_kinerja):
        j = jabatan.get(pk.jabatan)
        eselon = j.eselon.value if j else None
        common = {"pk": pk.id, "jabatan": pk.jabatan, "nama_jabatan": j.nama if j else pk.jabatan,
                  "eselon": eselon, "jenis": pk.jenis, "pk_berlaku": in_force.get(pk.jabatan) == pk.id}
        facts.add("pk", pk.id, f"perjanjian_kinerja[{i}]",
                  {**common, "tahun": Decimal(pk.tahun), "tanggal": _date(pk.tanggal),
                   "pihak_pertama": pk.pihak_pertama, "pihak_kedua": pk.pihak_kedua,
                   "alasan_perubahan": pk.alasan_perubahan, "jumlah_indikator": Decimal(len(pk.indikator)),
                   "tahun_submisi": year},
                  jab_where(pk.jabatan), pk)
        for k, row in enumerate(pk.indikator):
            ind = indikator.get(row.indikator)
            facts.add("pk_indikator", f"{pk.id}#{k}", f"perjanjian_kinerja[{i}].indikator[{k}]",
                      {**common, "indikator": row.indikator, "nama": ind.nama if ind else row.indikator,
                       "level_diharapkan": EXPECTED_LEVEL_BY_ESELON.get(eselon or ""), "bobot": row.bobot,
                       "tahun_submisi": year,
                       **_target("target", row.target)},
                      {**jab_where(pk.jabatan), **ind_where(row.indikator)}, row)
    ra = sub.rencana_aksi
    if ra is not None:
        facts.add("renaksi", "renaksi", "rencana_aksi",
                  {"tahun": Decimal(ra.tahun), "tanggal": _date(ra.tanggal), "penandatangan": ra.penandatangan,
                   "jumlah_baris": Decimal(len(ra.baris)), "tahun_submisi": year},
                  jab_where(ra.penandatangan), ra)
        for k, row in enumerate(ra.baris):
            ind = indikator.get(row.indikator)
            facts.add("renaksi_baris", f"renaksi#{k}", f"rencana_aksi.baris[{k}]",
                      {"indikator": row.indikator, "nama": ind.nama if ind else row.indikator,
                       "kegiatan": row.kegiatan, "tw_satuan": row.tw_satuan, "pagu": row.pagu,
                       "strategi": row.strategi, "ada_tw": row.tw is not None, **_target("target", row.target)},
                      {**ind_where(row.indikator), **jab_where(ind.penanggung_jawab if ind else None)}, row)
    for i, rep in enumerate(sub.laporan_bulanan):
        facts.add("laporan", f"laporan#{i}", f"laporan_bulanan[{i}]",
                  {"bulan": Decimal(rep.bulan), "tahun": Decimal(rep.tahun), "tanggal_kirim": _date(rep.tanggal_kirim),
                   "realisasi_anggaran": rep.realisasi_anggaran, "tahun_submisi": year},
                  {"bulan": rep.bulan}, rep)
        for k, row in enumerate(rep.capaian):
            ind = indikator.get(row.indikator)
            facts.add("capaian", f"laporan#{i}#{k}", f"laporan_bulanan[{i}].capaian[{k}]",
                      {"indikator": row.indikator, "nama": ind.nama if ind else row.indikator,
                       "bulan": Decimal(rep.bulan), "kunci_bulan": f"{row.indikator}#{rep.bulan}",
                       "realisasi": row.realisasi, "capaian": row.capaian,
                       "sumber_data": row.sumber_data, "bukti": row.bukti},
                      {**ind_where(row.indikator), "bulan": rep.bulan,
                       **jab_where(ind.penanggung_jawab if ind else None)}, row)
    for k, row in enumerate(sub.renja):
        facts.add("renja_baris", f"renja#{k}", f"renja[{k}]",
                  {"kode": row.kode, "uraian": row.uraian, "indikator": row.indikator,
                   "lokasi_renja": row.lokasi_renja, "lokasi_rka": row.lokasi_rka, "dana_renja": row.dana_renja,
                   "dana_rka": row.dana_rka, "kesesuaian": row.kesesuaian, "evaluasi": row.evaluasi,
                   "tindak_lanjut": row.tindak_lanjut, "hasil_tindak_lanjut": row.hasil_tindak_lanjut,
                   "target_renja_teks": row.target_renja.as_written or None,
                   "target_rka_teks": row.target_rka.as_written or None, "target_rka_jenis": row.target_rka.kind,
                   "dana_maju_renja": row.dana_maju_renja, "dana_maju_rka": row.dana_maju_rka,
                   "target_maju_renja_teks": row.target_maju_renja.as_written or None,
                   "target_maju_rka_teks": row.target_maju_rka.as_written or None},
                  {"indikator": row.indikator or row.uraian}, row)
    lk = sub.lkjip
    if lk is not None:
        facts.add("lkjip", "lkjip", "lkjip",
                  {"tahun": Decimal(lk.tahun), "tanggal": _date(lk.tanggal), "tahun_submisi": year,
                   "total_anggaran": lk.total_anggaran, "total_realisasi_anggaran": lk.total_realisasi_anggaran},
                  source=lk)
        for k, row in enumerate(lk.baris):
            ind = indikator.get(row.indikator)
            facts.add("lkjip_baris", f"lkjip#{k}", f"lkjip.baris[{k}]",
                      {"indikator": row.indikator, "nama": ind.nama if ind else row.indikator,
                       "realisasi": row.realisasi, "capaian": row.capaian,
                       "realisasi_tahun_lalu": row.realisasi_tahun_lalu,
                       "tahun_realisasi": None if row.tahun_realisasi is None else Decimal(row.tahun_realisasi),
                       "target_akhir_renstra_jenis": row.target_akhir_renstra.kind,
                       "standar_nasional": row.standar_nasional,
                       "keterangan_standar_nasional": row.keterangan_standar_nasional,
                       "pembanding": row.pembanding, "nilai_pembanding": row.nilai_pembanding,
                       "tahun_submisi": year, "anggaran": row.anggaran, "realisasi_anggaran": row.realisasi_anggaran,
                       "persentase_anggaran": row.persentase_anggaran, "efisiensi": row.efisiensi,
                       "rencana_perbaikan": row.rencana_perbaikan, **_target("target", row.target)},
                      ind_where(row.indikator), row)
    if sub.formulir_b1 is not None:
        b1 = sub.formulir_b1
        facts.add("formulir_b1", "formulir_b1", "formulir_b1",
                  {"tanggal": _date(b1.tanggal), "penandatangan": b1.penandatangan,
                   "tanggal_terima_rekomendasi": _date(b1.tanggal_terima_rekomendasi),
                   "tanggal_kirim_tindak_lanjut": _date(b1.tanggal_kirim_tindak_lanjut),
                   "periode_renja": None if b1.periode_renja is None else Decimal(b1.periode_renja),
                   "periode_rka": None if b1.periode_rka is None else Decimal(b1.periode_rka),
                   "tahun_submisi": year},
                  jab_where(b1.penandatangan), b1)
    if sub.iku is not None:
        facts.add("iku", "iku", "iku", {"nomor_sk": sub.iku.nomor_sk, "tanggal": _date(sub.iku.tanggal),
                                        "jumlah_indikator": Decimal(len(sub.iku.indikator))}, source=sub.iku)
    for k, v in enumerate(sub.lhe):
        facts.add("lhe", f"lhe#{k}", f"lhe[{k}]", {"tahun": Decimal(v.tahun), "komponen": v.komponen,
                                                   "nilai": v.nilai, "sumber": v.sumber})
    for k, t in enumerate(sub.tindak_lanjut):
        facts.add("tindak_lanjut", f"tindak_lanjut#{k}", f"tindak_lanjut[{k}]",
                  {"rekomendasi": t.rekomendasi, "sumber": t.sumber, "tanggal": _date(t.tanggal), "status": t.status,
                   "tanggal_tindak_lanjut": _date(t.tanggal_tindak_lanjut), "bukti": t.bukti, "hasil": t.hasil})
    for k, a in enumerate(sub.atestasi):
        facts.add("atestasi", f"atestasi#{k}", f"atestasi[{k}]",
                  {"kewajiban": a.kewajiban, "dokumen": a.dokumen, "nomor": a.nomor, "tanggal": _date(a.tanggal)})
    return facts
