"""Efficiency as the LKjIP does it (issue 8 item 4).

The efficiency analysis is recomputed under the method the report declares (``lkjip.efisiensi.metode``,
``checks.anggaran.METODE``) and only under it; a report that declares no method is not recomputed (and not
passed). Output and spending are also read together, whatever the method: a capaian of 100 % or more bought
with a tiny share of its budget (below the pack parameter ``batas_serapan_kecil``), and a capaian of 0 % with
money spent, are findings for the evaluator to look at. Low absorption alone is not (it may be efficiency).
"""

from __future__ import annotations

from decimal import Decimal

from sakip_checker.checks import CheckContext, check
from sakip_checker.checks.anggaran import METODE, declared_method, efficiency
from sakip_checker.checks.capaian import HUNDRED, agrees, capaian_of


@check("efisiensi.baris", after=("anggaran.tabel", "capaian.hitung"), provides={"lkjip_efisiensi_baris": {
    "efisiensi_hitung": "number", "efisiensi_sesuai": "bool", "rumus": "text", "dapat_dihitung": "bool",
    "biaya_hitung": "number", "biaya_sesuai": "bool", "capaian_dipakai": "number", "serapan_dipakai": "number",
}})
def analysis_rows(ctx: CheckContext) -> None:
    """Per row of the efficiency analysis, under the declared method: ``efisiensi_hitung`` and
    ``efisiensi_sesuai`` (capaian - serapan from the row's own figures, else the indicator's LKjIP row and the
    budget row it names; sisa / pagu from the budget row it names), ``biaya_hitung``/``biaya_sesuai``
    (realisasi of the budget row / output, against the stated cost per output). ``dapat_dihitung`` is false
    when a figure the method needs is missing."""
    metode = declared_method(ctx)
    if metode is None:
        return
    budget = {f.fields["anggaran"]: f.fields for f in ctx.facts.of("lkjip_anggaran") if f.fields["anggaran"]}
    baris = {f.fields["indikator"]: f.fields for f in ctx.facts.of("lkjip_baris")}
    for fact in ctx.facts.of("lkjip_efisiensi_baris"):
        f = fact.fields
        row = budget.get(f["anggaran"]) if f["anggaran"] else None
        ind = baris.get(f["indikator"]) if f["indikator"] else None
        capaian = f["capaian"] if f["capaian"] is not None else (capaian_of(ind) if ind else None)
        serapan = f["serapan"]
        if serapan is None and row is not None:
            serapan = row.get("serapan_hitung")
        if serapan is None and ind is not None:
            serapan = ind.get("serapan_hitung")
        pagu = realisasi = sisa = None
        if row is not None:
            pagu = row["pagu_perubahan"] if row["pagu_perubahan"] is not None else row["pagu_murni"]
            realisasi, sisa = row["realisasi"], row["sisa"]
        elif ind is not None:
            pagu, realisasi = ind["anggaran"], ind["realisasi_anggaran"]
        values: dict = {"rumus": METODE[metode], "capaian_dipakai": capaian, "serapan_dipakai": serapan}
        if metode == "biaya_per_output":
            cost = efficiency(metode, None, None, None, realisasi, output=f["output"])
            values["dapat_dihitung"] = cost is not None
            if cost is not None:
                values["biaya_hitung"] = cost
                if f["biaya_per_output"] is not None:
                    values["biaya_sesuai"] = agrees(f["biaya_per_output"], cost)
        else:
            value = efficiency(metode, capaian, serapan, pagu, realisasi, sisa=sisa)
            values["dapat_dihitung"] = value is not None
            if value is not None:
                values["efisiensi_hitung"] = value
                if f["efisiensi"] is not None:
                    values["efisiensi_sesuai"] = agrees(f["efisiensi"], value)
        ctx.derive(fact, **values)


@check("efisiensi.keluaran", after=("anggaran.lkjip",), provides={"lkjip_baris": {
    "capaian_dinilai": "number", "serapan_dinilai": "number", "hasil_penuh_biaya_kecil": "bool",
    "nol_dengan_belanja": "bool", "batas_serapan_kecil": "number",
}})
def output_and_spending(ctx: CheckContext) -> None:
    """Per LKjIP row with a budget: ``capaian_dinilai`` (recomputed, else stated), ``serapan_dinilai``
    (recomputed, else stated), ``hasil_penuh_biaya_kecil`` (capaian >= 100 and serapan below the parameter
    ``batas_serapan_kecil``), ``nol_dengan_belanja`` (capaian 0 and realisasi anggaran above 0)."""
    limit = Decimal(ctx.params.batas_serapan_kecil)
    for fact in ctx.facts.of("lkjip_baris"):
        f = fact.fields
        capaian = capaian_of(f)
        serapan = f.get("serapan_hitung", f["persentase_anggaran"])
        if capaian is None or (serapan is None and f["realisasi_anggaran"] is None):
            continue
        values: dict = {"capaian_dinilai": capaian, "serapan_dinilai": serapan, "batas_serapan_kecil": limit}
        if serapan is not None and f["anggaran"]:
            values["hasil_penuh_biaya_kecil"] = capaian >= HUNDRED and serapan < limit
        if f["realisasi_anggaran"] is not None:
            values["nol_dengan_belanja"] = capaian == 0 and f["realisasi_anggaran"] > 0
        ctx.derive(fact, **values)


@check("efisiensi.ada", after=("anggaran.lkjip",), provides={"lkjip": {
    "ada_anggaran": "bool", "ada_analisis_efisiensi": "bool", "laporan_efisiensi_terpisah": "bool",
    "kutipan_efisiensi": "text", "letak_efisiensi": "text",
}})
def analysis_present(ctx: CheckContext) -> None:
    """Per LKjIP: ``ada_anggaran`` (a budget table, a row's anggaran or a stated total), ``ada_analisis_efisiensi``
    (a declared method other than none, or an efficiency figure on any row), ``laporan_efisiensi_terpisah``
    (an atestasi names the separate year-end Laporan Analisis Efisiensi of Pasal 11, PG42-P11.2)."""
    lk = ctx.facts.of("lkjip")
    if not lk:
        return
    sub = ctx.submission.lkjip
    has_budget = bool(sub.anggaran) or sub.total_anggaran is not None or any(
        r.anggaran is not None or r.realisasi_anggaran is not None for r in sub.baris)
    ef = sub.efisiensi
    has_analysis = (ef is not None and ef.metode != "tidak_ada") or any(r.efisiensi is not None for r in sub.baris)
    separate = any(a.fields["kewajiban"] == "PG42-P11.2" and (a.fields["nomor"] or a.fields["tanggal"])
                   for a in ctx.facts.of("atestasi"))
    where = None
    if ef is not None:
        where = ", ".join(filter(None, (ef.letak, ef.halaman))) or None
    ctx.derive(lk[0], ada_anggaran=has_budget, ada_analisis_efisiensi=has_analysis,
               laporan_efisiensi_terpisah=separate, kutipan_efisiensi=ef.kutipan if ef else None,
               letak_efisiensi=where)
