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

from sakip_checker.model import Submission, is_month_only
from sakip_checker.numbers import Target, canonical

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

# The LKjIP as it is really written (issue 8): every statement, the Pasal 27 comparisons, the budget
# tables, the efficiency analysis as declared, and what shows the reporting year. ``letak``/``halaman`` name
# the place in the report so that a finding can say where.
_PLACE: dict[str, FieldType] = {"letak": "text", "halaman": "text"}
FACT_TYPES["lkjip_baris"].update({"sumber_data": "text", "bukti": "text", "metode_pengukuran": "text",
                                  "proksi": "bool", "penyebab": "text"})
FACT_TYPES["pk"]["tanggal_hanya_bulan"] = "bool"  # "Januari 2025": signed in that month, day not printed
FACT_TYPES["lkjip"].update({"jumlah_pernyataan": "number", "ada_efisiensi": "bool", "jumlah_anggaran_baris": "number"})
FACT_TYPES.update({
    "lkjip_pernyataan": {"indikator": "text", "uraian": "text", "kunci": "text", "nama": "text", "bagian": "text",
                         **_PLACE, **_TARGET_FIELDS, "realisasi": "number", "capaian": "number", "satuan": "text",
                         "tahun": "number", "penanggung_jawab": "text", "nama_jabatan": "text", "kutipan": "text",
                         "level": "text", "tahun_submisi": "number"},
    "lkjip_realisasi_tahunan": {"indikator": "text", "nama": "text", "tahun": "number", "realisasi": "number",
                                **_PLACE, "tahun_submisi": "number"},
    "lkjip_perbandingan": {"indikator": "text", "nama": "text", "target_akhir_jenis": "text", "target_akhir": "number",
                           "target_akhir_teks": "text", "tahun_akhir_renstra": "number",
                           "persentase_renstra": "number", "sisa_renstra": "number", "klaim_tren": "text",
                           "tren": "text", "standar_nasional": "number", "sumber_standar": "text", **_PLACE,
                           "tahun_submisi": "number"},
    "lkjip_pembanding": {"indikator": "text", "nama": "text", "instansi": "text", "nilai": "number",
                         "tahun": "number", "sumber": "text", **_PLACE},
    "lkjip_anggaran": {"tabel": "text", "sumber": "text", "anggaran": "text", "induk": "text", "tingkat": "text",
                       "kode": "text", "uraian": "text", "pagu_murni": "number", "pagu_perubahan": "number",
                       "pagu": "number", "realisasi": "number", "sisa": "number", "persentase": "number",
                       "sasaran": "text", "jumlah_sasaran": "number", "halaman": "text"},
    "lkjip_efisiensi": {"metode": "text", **_PLACE, "kutipan": "text", "jumlah_baris": "number"},
    "lkjip_efisiensi_baris": {"metode": "text", "indikator": "text", "nama": "text", "anggaran": "text",
                              "capaian": "number", "serapan": "number", "efisiensi": "number", "output": "number",
                              "biaya_per_output": "number", "halaman": "text"},
    "lkjip_label_tahun": {"tahun": "number", "jenis": "text", "teks": "text", **_PLACE, "tahun_submisi": "number"},
    "lkjip_tanggal": {"tertulis": "text", "hari": "text", "tanggal": "date", "tahun": "number", "kegiatan": "text",
                      **_PLACE, "tahun_submisi": "number"},
    "lkjip_tanda_tangan": {"tanggal": "date", "hanya_bulan": "bool", "tertulis": "text", "tempat": "text",
                           "nama": "text", "jabatan": "text", "nama_jabatan": "text", "eselon": "text",
                           "jabatan_tertulis": "text", "status": "text", **_PLACE, "tahun_submisi": "number"},
    "lkjip_dasar_hukum": {"jenis": "text", "nomor": "text", "tahun": "number", "tentang": "text", **_PLACE},
    "lkjip_draf": {"teks": "text", **_PLACE},
})
# what a clerk reads off the printed report besides (issue 8, the LKIP 2021 defects 7, 35, 41, 42, 49): the
# rating it states, a statement that the indicator cannot be measured, the annex's output columns, stated counts
FACT_TYPES["lkjip_baris"]["peringkat_tertulis"] = "text"
FACT_TYPES["lkjip_pernyataan"]["tidak_dapat_diukur"] = "bool"
FACT_TYPES["lkjip_anggaran"].update({"target_keluaran": "number", "realisasi_keluaran": "number",
                                     "satuan_keluaran": "text", "keterangan": "text"})
FACT_TYPES["lkjip_jumlah"] = {"besaran": "text", "jumlah": "number", "tabel": "text", "kutipan": "text", **_PLACE}

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
    # the LKjIP as written: a statement is identified by its indicator and its place (section/table), never
    # by its rank in a list
    "lkjip_pernyataan": ("indikator", "bagian", "letak"), "lkjip_realisasi_tahunan": ("indikator", "tahun", "letak"),
    "lkjip_perbandingan": ("indikator", "letak"), "lkjip_pembanding": ("indikator", "instansi", "tahun"),
    "lkjip_anggaran": ("sumber", "tabel", "tingkat", "kode", "uraian"), "lkjip_efisiensi": ("metode",),
    "lkjip_efisiensi_baris": ("indikator",), "lkjip_label_tahun": ("letak", "teks"),
    "lkjip_tanggal": ("letak", "tertulis"), "lkjip_tanda_tangan": ("letak", "nama"),
    "lkjip_dasar_hukum": ("jenis", "nomor", "tahun"), "lkjip_draf": ("letak", "teks"),
    "lkjip_selisih": ("indikator", "besaran"), "lkjip_tahun_tertulis": ("tahun_tertulis",),
    "lkjip_anggaran_tabel": ("sumber", "tabel"),
    "lkjip_jumlah": ("besaran", "tabel", "letak"),
}
DOCUMENT_OF.update({t: "lkjip" for t in FACT_TYPES if t.startswith("lkjip_")})
DOCUMENT_OF.update({"lkjip_selisih": "lkjip", "lkjip_tahun_tertulis": "lkjip"})  # derived (checks/lkjip.py)
DOCUMENT_OF["lkjip_anggaran_tabel"] = "lkjip"  # derived (checks.anggaran_tabel)


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
    # what identifies the unit by content, with "#n" for the n-th unit of identical content: computed for a
    # whole type at once, the first time a unit of it is asked (only units with findings need it)
    owner: FactSet | None = field(default=None, repr=False, compare=False)
    _identity: str | None = field(default=None, repr=False, compare=False)

    @property
    def identity(self) -> str:
        if self._identity is None and self.owner is not None:
            self.owner.fill_identities(self.type)
        return self._identity or ""


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

    def add(self, type_: str, key: str, path: str, fields: dict[str, Any], where: dict[str, Any] | None = None,
            source: Any = None) -> Fact:
        same_type = self.by_type.get(type_)
        if same_type is None:
            if type_ not in IDENTITY:  # every fact type has an identity: fail when it is made, not at its first finding
                raise KeyError(f"fact type '{type_}' has no identity in engine.facts.IDENTITY")
            same_type = self.by_type[type_] = []
        fact_id = f"{type_}:{len(same_type)}"
        fact = Fact(fact_id, type_, key, path, fields, where or {}, source, self)
        same_type.append(fact)
        self.by_id[fact_id] = fact
        return fact

    def fill_identities(self, type_: str) -> None:
        """The identity of every unit of a type, in submission order: its content (IDENTITY's fields, which no
        check changes), and "#n" for the n-th unit of identical content."""
        from sakip_checker.fingerprint import identities_of

        seen: dict[str, int] = {}
        units = self.of(type_)
        for fact, base in zip(units, identities_of(type_, units)):
            count = seen.get(base, 0)
            seen[base] = count + 1
            fact._identity = base if count == 0 else f"{base}#{count + 1}"

    def of(self, type_: str) -> list[Fact]:
        return self.by_type.get(type_, [])

    def __len__(self) -> int:
        return len(self.by_id)


def build_facts(sub: Submission) -> FactSet:
    facts = FactSet()
    jabatan = {j.id: j for j in sub.jabatan}
    indikator = {i.id: i for i in sub.indikator}

    # names looked up once per indicator / position, not per unit (thousands of monthly rows)
    ind_name = {i: ind.nama for i, ind in indikator.items()}
    jab_shown = {i: (j.nama, j.eselon.value) for i, j in jabatan.items()}

    def ind_where(ind_id: str) -> dict[str, Any]:
        return {"indikator": ind_name.get(ind_id, ind_id)}

    def jab_where(jab_id: str | None) -> dict[str, Any]:
        shown = jab_shown.get(jab_id) if jab_id else None
        return {"jabatan": shown[0], "eselon": shown[1]} if shown is not None else {}

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
        eselon = j.eselon.value if j is not None else None
        common = {"pk": pk.id, "jabatan": pk.jabatan, "nama_jabatan": j.nama if j is not None else pk.jabatan,
                  "eselon": eselon, "jenis": pk.jenis, "pk_berlaku": in_force.get(pk.jabatan) == pk.id}
        facts.add("pk", pk.id, f"perjanjian_kinerja[{i}]",
                  {**common, "tahun": Decimal(pk.tahun), "tanggal": _date(pk.tanggal),
                   "tanggal_hanya_bulan": is_month_only(pk.tanggal),
                   "pihak_pertama": pk.pihak_pertama, "pihak_kedua": pk.pihak_kedua,
                   "alasan_perubahan": pk.alasan_perubahan, "jumlah_indikator": Decimal(len(pk.indikator)),
                   "tahun_submisi": year},
                  jab_where(pk.jabatan), pk)
        for k, row in enumerate(pk.indikator):
            ind = indikator.get(row.indikator)
            facts.add("pk_indikator", f"{pk.id}#{k}", f"perjanjian_kinerja[{i}].indikator[{k}]",
                      {**common, "indikator": row.indikator, "nama": ind.nama if ind is not None else row.indikator,
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
                      {"indikator": row.indikator, "nama": ind.nama if ind is not None else row.indikator,
                       "kegiatan": row.kegiatan, "tw_satuan": row.tw_satuan, "pagu": row.pagu,
                       "strategi": row.strategi, "ada_tw": row.tw is not None, **_target("target", row.target)},
                      {**ind_where(row.indikator), **jab_where(ind.penanggung_jawab if ind is not None else None)}, row)
    for i, rep in enumerate(sub.laporan_bulanan):
        facts.add("laporan", f"laporan#{i}", f"laporan_bulanan[{i}]",
                  {"bulan": Decimal(rep.bulan), "tahun": Decimal(rep.tahun), "tanggal_kirim": _date(rep.tanggal_kirim),
                   "realisasi_anggaran": rep.realisasi_anggaran, "tahun_submisi": year},
                  {"bulan": rep.bulan}, rep)
        bulan = Decimal(rep.bulan)
        for k, row in enumerate(rep.capaian):
            ind = indikator.get(row.indikator)
            facts.add("capaian", f"laporan#{i}#{k}", f"laporan_bulanan[{i}].capaian[{k}]",
                      {"indikator": row.indikator, "nama": ind.nama if ind is not None else row.indikator,
                       "bulan": bulan, "kunci_bulan": f"{row.indikator}#{rep.bulan}",
                       "realisasi": row.realisasi, "capaian": row.capaian,
                       "sumber_data": row.sumber_data, "bukti": row.bukti},
                      {**ind_where(row.indikator), "bulan": rep.bulan,
                       **jab_where(ind.penanggung_jawab if ind is not None else None)}, row)
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
                   "total_anggaran": lk.total_anggaran, "total_realisasi_anggaran": lk.total_realisasi_anggaran,
                   "jumlah_pernyataan": Decimal(len(lk.pernyataan)),
                   "ada_efisiensi": lk.efisiensi is not None and lk.efisiensi.metode != "tidak_ada",
                   "jumlah_anggaran_baris": Decimal(len(lk.anggaran))},
                  source=lk)
        for k, row in enumerate(lk.baris):
            ind = indikator.get(row.indikator)
            facts.add("lkjip_baris", f"lkjip#{k}", f"lkjip.baris[{k}]",
                      {"indikator": row.indikator, "nama": ind.nama if ind is not None else row.indikator,
                       "realisasi": row.realisasi, "capaian": row.capaian,
                       "realisasi_tahun_lalu": row.realisasi_tahun_lalu,
                       "tahun_realisasi": None if row.tahun_realisasi is None else Decimal(row.tahun_realisasi),
                       "target_akhir_renstra_jenis": row.target_akhir_renstra.kind,
                       "standar_nasional": row.standar_nasional,
                       "keterangan_standar_nasional": row.keterangan_standar_nasional,
                       "pembanding": row.pembanding, "nilai_pembanding": row.nilai_pembanding,
                       "tahun_submisi": year, "anggaran": row.anggaran, "realisasi_anggaran": row.realisasi_anggaran,
                       "persentase_anggaran": row.persentase_anggaran, "efisiensi": row.efisiensi,
                       "rencana_perbaikan": row.rencana_perbaikan, **_target("target", row.target),
                       "sumber_data": row.sumber_data, "bukti": row.bukti,
                       "metode_pengukuran": row.metode_pengukuran, "proksi": row.proksi, "penyebab": row.penyebab,
                       "peringkat_tertulis": row.peringkat_tertulis},
                      ind_where(row.indikator), row)
        _lkjip_sections(facts, sub, year, ind_where, jab_where)
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


_PLACE_NAMES = ("letak", "halaman")
_HAS_PLACE: dict[type, tuple[bool, bool]] = {}  # model class -> whether it can carry letak / halaman


def _place(item: Any) -> dict[str, Any]:
    # getattr with a default on a model without the field raises and catches inside pydantic's __getattr__:
    # costly for thousands of rows, so a model class without the field (nor extra fields) is not asked
    cls = item.__class__
    has = _HAS_PLACE.get(cls)
    if has is None:
        fields = getattr(cls, "model_fields", None)
        if fields is None or getattr(cls, "model_config", {}).get("extra") == "allow":
            has = (True, True)
        else:
            has = _HAS_PLACE[cls] = tuple(n in fields or hasattr(cls, n) for n in _PLACE_NAMES)
    return {"letak": getattr(item, "letak", None) if has[0] else None,
            "halaman": getattr(item, "halaman", None) if has[1] else None}


def _lkjip_sections(facts: FactSet, sub: Submission, year: Decimal, ind_where, jab_where) -> None:
    """The facts of the LKjIP as written (issue 8); ``where`` carries the place in the report."""
    lk = sub.lkjip
    indikator = {i.id: i for i in sub.indikator}
    jabatan = {j.id: j for j in sub.jabatan}

    def num(value: int | None) -> Decimal | None:
        return None if value is None else Decimal(value)

    def name(ind_id: str | None) -> str | None:
        ind = indikator.get(ind_id) if ind_id else None
        return ind.nama if ind is not None else ind_id

    for k, st in enumerate(lk.pernyataan):
        ind = indikator.get(st.indikator) if st.indikator else None
        j = jabatan.get(st.penanggung_jawab) if st.penanggung_jawab else None
        facts.add("lkjip_pernyataan", f"lkjip.pernyataan#{k}", f"lkjip.pernyataan[{k}]",
                  {"indikator": st.indikator, "uraian": st.uraian,
                   "kunci": st.indikator if st.indikator else " ".join(st.uraian.lower().split()),
                   "nama": ind.nama if ind is not None else (st.uraian or st.indikator), "bagian": st.bagian, **_place(st),
                   **_target("target", st.target), "realisasi": st.realisasi, "capaian": st.capaian,
                   "satuan": st.satuan, "tahun": num(st.tahun), "penanggung_jawab": st.penanggung_jawab,
                   "nama_jabatan": j.nama if j is not None else None, "kutipan": st.kutipan,
                   "level": ind.level.value if ind is not None else None, "tahun_submisi": year,
                   "tidak_dapat_diukur": st.tidak_dapat_diukur},
                  {**(ind_where(st.indikator) if st.indikator else {"indikator": st.uraian}),
                   **jab_where(st.penanggung_jawab), **_place(st)}, st)
    for k, row in enumerate(lk.realisasi_tahunan):
        facts.add("lkjip_realisasi_tahunan", f"{row.indikator}#{row.tahun}", f"lkjip.realisasi_tahunan[{k}]",
                  {"indikator": row.indikator, "nama": name(row.indikator), "tahun": Decimal(row.tahun),
                   "realisasi": row.realisasi, **_place(row), "tahun_submisi": year},
                  {**ind_where(row.indikator), **_place(row)}, row)
    for k, row in enumerate(lk.perbandingan):
        t = row.target_akhir_renstra
        facts.add("lkjip_perbandingan", row.indikator, f"lkjip.perbandingan[{k}]",
                  {"indikator": row.indikator, "nama": name(row.indikator), "target_akhir_jenis": t.kind,
                   "target_akhir": t.value, "target_akhir_teks": t.as_written or None,
                   "tahun_akhir_renstra": num(row.tahun_akhir_renstra), "persentase_renstra": row.persentase_renstra,
                   "sisa_renstra": row.sisa_renstra, "klaim_tren": row.klaim_tren, "tren": row.tren,
                   "standar_nasional": row.standar_nasional, "sumber_standar": row.sumber_standar, **_place(row),
                   "tahun_submisi": year},
                  {**ind_where(row.indikator), **_place(row)}, row)
    for k, row in enumerate(lk.pembanding):
        facts.add("lkjip_pembanding", f"{row.indikator}#{k}", f"lkjip.pembanding[{k}]",
                  {"indikator": row.indikator, "nama": name(row.indikator), "instansi": row.instansi,
                   "nilai": row.nilai, "tahun": num(row.tahun), "sumber": row.sumber, **_place(row)},
                  {**ind_where(row.indikator), **_place(row)}, row)
    for k, row in enumerate(lk.anggaran):
        pagu = row.pagu_perubahan if row.pagu_perubahan is not None else row.pagu_murni
        facts.add("lkjip_anggaran", f"{row.tabel}#{row.id if row.id is not None else k}", f"lkjip.anggaran[{k}]",
                  {"tabel": row.tabel, "sumber": row.sumber, "anggaran": row.id, "induk": row.induk,
                   "tingkat": row.tingkat, "kode": row.kode, "uraian": row.uraian, "pagu_murni": row.pagu_murni,
                   "pagu_perubahan": row.pagu_perubahan, "pagu": pagu, "realisasi": row.realisasi, "sisa": row.sisa,
                   "persentase": row.persentase, "sasaran": ", ".join(row.sasaran) or None,
                   "jumlah_sasaran": Decimal(len(row.sasaran)), "halaman": row.halaman,
                   "target_keluaran": row.target_keluaran, "realisasi_keluaran": row.realisasi_keluaran,
                   "satuan_keluaran": row.satuan_keluaran, "keterangan": row.keterangan},
                  {"indikator": row.uraian or row.kode, "letak": row.tabel, "halaman": row.halaman}, row)
    if lk.efisiensi is not None:
        ef = lk.efisiensi
        facts.add("lkjip_efisiensi", "efisiensi", "lkjip.efisiensi",
                  {"metode": ef.metode, **_place(ef), "kutipan": ef.kutipan, "jumlah_baris": Decimal(len(ef.baris))},
                  _place(ef), ef)
        for k, row in enumerate(ef.baris):
            facts.add("lkjip_efisiensi_baris", f"efisiensi#{k}", f"lkjip.efisiensi.baris[{k}]",
                      {"metode": ef.metode, "indikator": row.indikator, "nama": name(row.indikator),
                       "anggaran": row.anggaran, "capaian": row.capaian, "serapan": row.serapan,
                       "efisiensi": row.efisiensi, "output": row.output, "biaya_per_output": row.biaya_per_output,
                       "halaman": row.halaman},
                      {**(ind_where(row.indikator) if row.indikator else {}), "letak": ef.letak,
                       "halaman": row.halaman}, row)
    for k, row in enumerate(lk.label_tahun):
        facts.add("lkjip_label_tahun", f"label#{k}", f"lkjip.label_tahun[{k}]",
                  {"tahun": Decimal(row.tahun), "jenis": row.jenis, "teks": row.teks, **_place(row),
                   "tahun_submisi": year}, _place(row), row)
    for k, row in enumerate(lk.tanggal_kegiatan):
        facts.add("lkjip_tanggal", f"tanggal#{k}", f"lkjip.tanggal_kegiatan[{k}]",
                  {"tertulis": row.tertulis, "hari": row.hari, "tanggal": _date(row.tanggal),
                   "tahun": Decimal(row.tanggal.year), "kegiatan": row.kegiatan, **_place(row),
                   "tahun_submisi": year}, _place(row), row)
    for k, sig in enumerate(lk.tanda_tangan):
        j = jabatan.get(sig.jabatan) if sig.jabatan else None
        facts.add("lkjip_tanda_tangan", f"tanda_tangan#{k}", f"lkjip.tanda_tangan[{k}]",
                  {"tanggal": _date(sig.tanggal), "hanya_bulan": is_month_only(sig.tanggal),
                   "tertulis": sig.tertulis, "tempat": sig.tempat, "nama": sig.nama, "jabatan": sig.jabatan,
                   "nama_jabatan": j.nama if j is not None else None, "eselon": j.eselon.value if j is not None else None,
                   "jabatan_tertulis": sig.jabatan_tertulis, "status": sig.status, **_place(sig),
                   "tahun_submisi": year},
                  {**jab_where(sig.jabatan), **_place(sig)}, sig)
    for k, row in enumerate(lk.dasar_hukum):
        facts.add("lkjip_dasar_hukum", f"dasar_hukum#{k}", f"lkjip.dasar_hukum[{k}]",
                  {"jenis": row.jenis, "nomor": row.nomor, "tahun": num(row.tahun), "tentang": row.tentang,
                   **_place(row)}, _place(row), row)
    for k, row in enumerate(lk.tanda_draf):
        facts.add("lkjip_draf", f"draf#{k}", f"lkjip.tanda_draf[{k}]", {"teks": row.teks, **_place(row)},
                  _place(row), row)
    for k, row in enumerate(lk.jumlah):
        facts.add("lkjip_jumlah", f"jumlah#{k}", f"lkjip.jumlah[{k}]",
                  {"besaran": row.besaran, "jumlah": Decimal(row.jumlah), "tabel": row.tabel, "kutipan": row.kutipan,
                   **_place(row)}, _place(row), row)
