"""Named checks: exact arithmetic (Decimal), aggregates and text heuristics.

A check runs in Python over one submission's facts and *derives*: it adds typed fields to existing
facts, or adds new facts, which the declarative rules then match in the engine. Every check declares
what it provides, so the rule loader can refuse a condition on a field nobody computes.
Registration is explicit (a duplicate name is an error); the module list at the bottom is the full list.

A derived field may be left absent when the data it is computed from is missing (no Rencana Aksi, no
stated capaian, a position without superior, ...). A comparison on an absent field is false, so a rule
reading such a field would silently pass the unit: every derived field is therefore taken as possibly
absent (``CheckSpec.may_be_absent``) unless ``ALWAYS_DERIVED`` lists it as set on every fact of its type,
and the rule loader refuses a rule that reads a possibly absent field without saying what happens then
(``requires``, ``skip_without``, or an explicit ``exists``/``missing`` test).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from sakip_checker.facts import Fact, FactSet, FieldType
from sakip_checker.model import Submission


@dataclass
class CheckContext:
    submission: Submission
    facts: FactSet
    params: Any  # engine.pack.Parameters
    reference: dict[str, Any] = field(default_factory=dict)  # the pack's _reference/*.yaml, by file stem
    cache: dict[str, Any] = field(default_factory=dict)

    def derive(self, fact: Fact, **values: Any) -> None:
        fact.fields.update(values)


CheckFn = Callable[[CheckContext], None]


@dataclass(frozen=True)
class CheckSpec:
    name: str
    fn: CheckFn
    doc: str
    provides: dict[str, dict[str, FieldType]]  # existing fact type -> derived fields
    produces: dict[str, dict[str, FieldType]]  # new fact type -> its fields
    after: tuple[str, ...]

    @property
    def may_be_absent(self) -> dict[str, frozenset[str]]:
        """Fact type -> the derived fields this check may leave absent on some fact of that type."""
        always = ALWAYS_DERIVED.get(self.name, {})
        return {t: frozenset(set(fields) - always.get(t, set()))
                for t, fields in {**self.provides, **self.produces}.items()}


# Derived fields a check sets on *every* fact of the type (read in the check's code: no early return,
# no branch that leaves them out). Any other derived field may be absent. A check missing here has all
# its fields possibly absent, which is the safe default.
ALWAYS_DERIVED: dict[str, dict[str, set[str]]] = {
    "renaksi.tw": {"renaksi_baris": {"tw_teks"}},
    "renaksi.tanggal": {"renaksi": {"batas_tanggal"}},
    "laporan.ketepatan": {"laporan": {"batas_kirim"}},
    "laporan.wajib": {"slot_laporan": {"indikator", "nama", "bulan", "nama_bulan", "jabatan", "eselon",
                                       "dilaporkan"}},
    "renja.b1": {"renja_baris": {"kesesuaian_hitung", "perbedaan_dijelaskan", "baris_judul", "baris_rincian"}},
    "renja.ketidaksesuaian": {"formulir_b1": {"ada_ketidaksesuaian", "baris_tidak_sesuai"}},
    "renja.tindak_lanjut": {"formulir_b1": {"batas_hari"}},
    "struktur.bobot": {"pk": {"bobot_terisi"}},
    "teks.indikator": {"indikator": {"indikator_proses", "jumlah_persen", "skor_persen"}},
    "lampiran.opd": {"opd": {"lampiran_dikenal"}},
    "lampiran.bawaan": {"kewajiban_blok": {"jenis", "uraian", "indikator_lampiran", "blok", "ada"}},
    "lkjip.pernyataan": {"lkjip_selisih": {"indikator", "nama", "besaran", "sepakat", "jumlah_nilai",
                                           "jumlah_pernyataan", "nilai_tempat", "tahun_submisi"}},
    "lkjip.tahun": {"lkjip_tahun_tertulis": {"tahun_tertulis", "tahun_submisi", "sesuai", "jumlah", "tempat"},
                    "lkjip_tanggal": {"hari_sebenarnya"},
                    "lkjip": {"hari_tidak_sesuai", "hari_cocok_tahun_sebelumnya", "daur_ulang"}},
    "lkjip.realisasi": {"lkjip_tanda_tangan": {"sementara"}, "pk_indikator": {"pimpinan"}},
    "perbandingan.ada": {"lkjip_baris": {"ada_tahun_lalu", "ada_target_akhir", "ada_standar", "ada_pembanding"}},
    "efisiensi.ada": {"lkjip": {"ada_anggaran", "ada_analisis_efisiensi", "laporan_efisiensi_terpisah"}},
    "lampiran.a1": {"kewajiban_a1": {"ada_di_pk", "baris", "catatan_pembacaan", "indikator_a1", "jabatan",
                                     "nama_jabatan"}},
}


CHECKS: dict[str, CheckSpec] = {}


def check(
    name: str,
    *,
    provides: dict[str, dict[str, FieldType]] | None = None,
    produces: dict[str, dict[str, FieldType]] | None = None,
    after: tuple[str, ...] = (),
) -> Callable[[CheckFn], CheckFn]:
    def register(fn: CheckFn) -> CheckFn:
        if name in CHECKS:
            raise ValueError(f"check {name!r} is registered twice")
        spec = CheckSpec(name, fn, (fn.__doc__ or "").strip(), provides or {}, produces or {}, after)
        for fact_type, fields in ALWAYS_DERIVED.get(name, {}).items():
            declared = {**spec.provides, **spec.produces}.get(fact_type, {})
            if not fields <= set(declared):
                raise ValueError(f"ALWAYS_DERIVED[{name!r}][{fact_type!r}] names fields the check does not derive: "
                                 f"{sorted(fields - set(declared))}")
        CHECKS[name] = spec
        return fn

    return register


def run_checks(names: set[str], ctx: CheckContext) -> None:
    """Run the named checks and what they depend on, in registration order (deterministic)."""
    wanted: set[str] = set()
    stack = list(names)
    while stack:
        name = stack.pop()
        if name not in wanted:
            wanted.add(name)
            stack.extend(CHECKS[name].after)
    for name, spec in CHECKS.items():
        if name in wanted:
            spec.fn(ctx)


from sakip_checker.checks import teks, struktur, capaian, renaksi, laporan, tabel_b2, renja, atestasi, lampiran, anggaran, provinsi, lkjip  # noqa: E402,F401  the full list
from sakip_checker.checks import bulanan  # noqa: E402,F401  after laporan and capaian (its checks read theirs)
from sakip_checker.checks import anggaran_tabel, efisiensi, perbandingan  # noqa: E402,F401  LKjIP budget hierarchy, efficiency, Pasal 27 (issue 8)
from sakip_checker.checks import lkjip_cetak  # noqa: E402,F401  what a clerk reads off the printed LKjIP (issue 8: unexecuted rows, stated counts, ratings)
