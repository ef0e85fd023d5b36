"""LKjIP budget figures (Pasal 11: analisis efisiensi penggunaan sumber daya; Pasal 28 ayat (2): valid
data) recomputed exactly, and what the LKjIP must say where a target was missed (Pasal 29 ayat (1)).

The Pergub prescribes no efficiency method (obligations.md, PG42-P11.2). The practice of LKjIP under
PermenPANRB 53/2014 is applied and written next to every value:
* serapan anggaran = realisasi anggaran / anggaran x 100
* efisiensi        = capaian kinerja - serapan anggaran   (percentage points; > 0 = more result per rupiah)
A stated value is right when the recomputed one, rounded half-up to the decimals the document prints,
equals it (``checks.capaian.agrees``).
"""

from __future__ import annotations

from decimal import Decimal

from checks import CheckContext, check
from checks.capaian import HUNDRED, agrees, capaian_of

_ROW = {"serapan_hitung": "number", "serapan_sesuai": "bool", "efisiensi_hitung": "number",
        "efisiensi_sesuai": "bool", "di_bawah_target": "bool"}


@check("anggaran.lkjip", after=("capaian.hitung",), provides={
    "lkjip_baris": _ROW,
    "lkjip": {"jumlah_anggaran_hitung": "number", "jumlah_realisasi_hitung": "number",
              "jumlah_anggaran_sesuai": "bool", "jumlah_realisasi_sesuai": "bool", "baris_tanpa_anggaran": "number"},
})
def budget(ctx: CheckContext) -> None:
    """Per LKjIP row: serapan and efisiensi recomputed (``*_sesuai`` only where the row states a value),
    and ``di_bawah_target`` (recomputed capaian, else the stated one, below 100). Per LKjIP: the sums of the
    rows' anggaran and realisasi anggaran against the stated totals (``baris_tanpa_anggaran`` counts rows
    that give no anggaran, which the sum cannot include)."""
    total_pagu = total_real = Decimal(0)
    missing = 0
    for row in ctx.facts.of("lkjip_baris"):
        f = row.fields
        values: dict = {}
        capaian = capaian_of(f)
        if capaian is not None:
            values["di_bawah_target"] = capaian < HUNDRED
        pagu, real = f["anggaran"], f["realisasi_anggaran"]
        if pagu is None:
            missing += 1
        else:
            total_pagu += pagu
        if real is not None:
            total_real += real
        if pagu and real is not None:
            serapan = real / pagu * HUNDRED
            values["serapan_hitung"] = serapan
            if f["persentase_anggaran"] is not None:
                values["serapan_sesuai"] = agrees(f["persentase_anggaran"], serapan)
            if f.get("capaian_hitung") is not None:
                efisiensi = f["capaian_hitung"] - serapan
                values["efisiensi_hitung"] = efisiensi
                if f["efisiensi"] is not None:
                    values["efisiensi_sesuai"] = agrees(f["efisiensi"], efisiensi)
        ctx.derive(row, **values)
    for fact in ctx.facts.of("lkjip"):
        values = {"jumlah_anggaran_hitung": total_pagu, "jumlah_realisasi_hitung": total_real,
                  "baris_tanpa_anggaran": Decimal(missing)}
        if fact.fields["total_anggaran"] is not None:
            values["jumlah_anggaran_sesuai"] = fact.fields["total_anggaran"] == total_pagu
        if fact.fields["total_realisasi_anggaran"] is not None:
            values["jumlah_realisasi_sesuai"] = fact.fields["total_realisasi_anggaran"] == total_real
        ctx.derive(fact, **values)


@check("anggaran.program_lkjip", provides={"indikator": {"lkjip_lengkap": "bool", "lkjip_kurang": "text"}})
def programs_in_lkjip(ctx: CheckContext) -> None:
    """Pasal 6 ayat (1): with an LKjIP in the submission, each program-level indicator of the cascade is
    there with target, realisasi and capaian, so that success and shortfall per program can be
    inventoried. ``lkjip_kurang`` names what is missing. Absent without an LKjIP."""
    if not ctx.facts.of("lkjip"):
        return
    rows = {}
    for row in ctx.facts.of("lkjip_baris"):
        rows.setdefault(row.fields["indikator"], row.fields)
    for ind in ctx.facts.of("indikator"):
        if ind.fields["level"] != "program":
            continue
        f = rows.get(ind.key)
        if f is None:
            lacking = ["baris LKjIP"]
        else:
            lacking = [name for name, ok in (("target", f["target_jenis"] != "kosong"),
                                             ("realisasi", f["realisasi"] is not None),
                                             ("capaian", f["capaian"] is not None)) if not ok]
        ctx.derive(ind, lkjip_lengkap=not lacking, lkjip_kurang=", ".join(lacking) or None)
