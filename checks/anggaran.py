"""LKjIP budget figures recomputed exactly (Pasal 28 ayat (2) huruf a and e: the report's data are valid and
consistent; the year-end analysis of efficiency is the duty of Pasal 11), and what the LKjIP must say where a
target was missed (Pasal 29 ayat (1)).

Neither the Pergub nor PermenPANRB 53/2014 prescribes how efficiency is computed: 53/2014 asks the LKjIP for
an "analisis atas efisiensi penggunaan sumber daya", with no formula. The report declares its method
(``lkjip.efisiensi.metode``) and an efficiency figure is recomputed under that method only:
* capaian_dikurangi_serapan: capaian kinerja (recomputed, LAP-007) - serapan anggaran, percentage points
* sisa_per_pagu:             (anggaran - realisasi anggaran) / anggaran x 100
* biaya_per_output:          realisasi anggaran / realisasi keluaran (Rp per unit)
serapan anggaran = realisasi anggaran / anggaran x 100 whatever the method. A stated value is right when the
recomputed one, rounded half-up to the decimals the document prints, equals it (``checks.capaian.agrees``).
"""

from __future__ import annotations

from decimal import Decimal

from sakip_checker.checks import CheckContext, check
from sakip_checker.checks.capaian import HUNDRED, agrees, capaian_of

METODE = {
    "capaian_dikurangi_serapan": "capaian kinerja - serapan anggaran",
    "sisa_per_pagu": "(anggaran - realisasi anggaran) / anggaran x 100",
    "biaya_per_output": "realisasi anggaran / realisasi keluaran",
}

_ROW = {"serapan_hitung": "number", "serapan_sesuai": "bool", "efisiensi_hitung": "number",
        "efisiensi_sesuai": "bool", "di_bawah_target": "bool", "metode_efisiensi": "text",
        "rumus_efisiensi": "text"}


def declared_method(ctx: CheckContext) -> str | None:
    """The efficiency method the LKjIP declares (None: not declared, or declared as none)."""
    ef = ctx.facts.of("lkjip_efisiensi")
    metode = ef[0].fields["metode"] if ef else None
    return metode if metode in METODE else None


def efficiency(metode: str, capaian: Decimal | None, serapan: Decimal | None, pagu: Decimal | None,
               realisasi_anggaran: Decimal | None, sisa: Decimal | None = None,
               output: Decimal | None = None) -> Decimal | None:
    """The efficiency figure under the declared method; None when a figure it needs is missing."""
    if metode == "capaian_dikurangi_serapan":
        return None if capaian is None or serapan is None else capaian - serapan
    if metode == "sisa_per_pagu":
        if not pagu:
            return None
        if sisa is None:
            if realisasi_anggaran is None:
                return None
            sisa = pagu - realisasi_anggaran
        return sisa / pagu * HUNDRED
    if metode == "biaya_per_output":
        return None if realisasi_anggaran is None or not output else realisasi_anggaran / output
    return None


@check("anggaran.lkjip", after=("capaian.hitung",), provides={"lkjip_baris": _ROW})
def budget(ctx: CheckContext) -> None:
    """Per LKjIP row: serapan recomputed (``serapan_sesuai`` only where the row states a value), efisiensi
    recomputed under the declared method only (``metode_efisiensi``; none declared: no ``efisiensi_hitung``),
    and ``di_bawah_target`` (recomputed capaian, else the stated one, below 100)."""
    metode = declared_method(ctx)
    rows = ctx.facts.of("lkjip_baris")
    for row in rows:
        f = row.fields
        values: dict = {"metode_efisiensi": metode, "rumus_efisiensi": METODE.get(metode or "")}
        capaian = capaian_of(f)
        if capaian is not None:
            values["di_bawah_target"] = capaian < HUNDRED
        pagu, real = f["anggaran"], f["realisasi_anggaran"]
        serapan = None
        if pagu and real is not None:
            serapan = real / pagu * HUNDRED
            values["serapan_hitung"] = serapan
            if f["persentase_anggaran"] is not None:
                values["serapan_sesuai"] = agrees(f["persentase_anggaran"], serapan)
        if metode is not None:
            value = efficiency(metode, f.get("capaian_hitung"), serapan, pagu, real, output=f["realisasi"])
            if value is not None:
                values["efisiensi_hitung"] = value
                if f["efisiensi"] is not None:
                    values["efisiensi_sesuai"] = agrees(f["efisiensi"], value)
        ctx.derive(row, **values)


TOTAL_FIELDS = {"jumlah_anggaran_hitung": "number", "jumlah_realisasi_hitung": "number",
                "jumlah_anggaran_sesuai": "bool", "jumlah_realisasi_sesuai": "bool",
                "baris_tanpa_anggaran": "number", "dasar_jumlah": "text"}


def totals(ctx: CheckContext) -> None:
    """Per LKjIP: the stated totals against the budget they total (``dasar_jumlah`` says which): the body's
    budget tables when the LKjIP has any (each body table's total, ``anggaran.antartabel``), else the sum of
    the rows' anggaran counting a budget once: a row whose indicator descends (``induk``) from the indicator
    of another row that states an anggaran is part of that row's budget and is not added again.
    ``baris_tanpa_anggaran`` counts top rows that give no anggaran, which the sum cannot include.
    Registered as the check ``anggaran.jumlah_lkjip`` in ``checks.anggaran_tabel`` (it runs after it)."""
    rows = ctx.facts.of("lkjip_baris")
    # the budget rows, each counted once: a row's budgeted descendants (nearest budgeted ancestor = that row)
    # whose anggaran add up to the row's own are its breakdown (or the same budget repeated) and are left out
    # with everything under them; descendants that do not add up are separate budgets and are counted.
    parents = {ind.key: ind.fields["induk"] for ind in ctx.facts.of("indikator")}
    budget: dict[str, dict] = {}
    for row in rows:
        budget.setdefault(row.fields["indikator"], row.fields)
    budgeted = {ind for ind, f in budget.items() if f["anggaran"] is not None}

    def nearest(ind: str) -> str | None:
        seen = set()
        parent = parents.get(ind)
        while parent and parent not in seen:
            if parent in budgeted:
                return parent
            seen.add(parent)
            parent = parents.get(parent)
        return None

    under: dict[str | None, list[str]] = {}
    for ind in budget:
        under.setdefault(nearest(ind) if ind in parents else None, []).append(ind)
    total_pagu = total_real = Decimal(0)
    missing = 0
    counted: list[str] = []

    def visit(ind: str) -> None:
        nonlocal total_pagu, total_real
        f = budget[ind]
        kids = [k for k in under.get(ind, []) if k in budgeted]
        counted.append(ind)
        total_pagu += f["anggaran"]
        total_real += f["realisasi_anggaran"] or 0
        if kids and sum((budget[k]["anggaran"] for k in kids), Decimal(0)) == f["anggaran"]:
            return  # a breakdown of this budget
        for k in kids:
            visit(k)

    for ind in under.get(None, []):
        if ind in budgeted:
            visit(ind)
        else:
            missing += 1
    tables = [t for t in ctx.facts.of("lkjip_anggaran_tabel") if t.fields["sumber"] == "badan"]
    for fact in ctx.facts.of("lkjip"):
        values = {"jumlah_anggaran_hitung": total_pagu, "jumlah_realisasi_hitung": total_real,
                  "baris_tanpa_anggaran": Decimal(missing), "dasar_jumlah": "jumlah anggaran baris LKjIP"}
        stated_pagu, stated_real = fact.fields["total_anggaran"], fact.fields["total_realisasi_anggaran"]
        if tables:
            # the body's budget tables: the stated total must equal every one that has a total
            pagu_off = [t for t in tables if t.fields["total_pagu"] is not None and stated_pagu is not None
                        and t.fields["total_pagu"] != stated_pagu]
            real_off = [t for t in tables if t.fields["total_realisasi"] is not None and stated_real is not None
                        and t.fields["total_realisasi"] != stated_real]
            with_pagu = [t for t in tables if t.fields["total_pagu"] is not None]
            with_real = [t for t in tables if t.fields["total_realisasi"] is not None]
            values["dasar_jumlah"] = "tabel anggaran badan laporan: " + "; ".join(
                f"{t.fields['letak_total']} anggaran {_rp(t.fields['total_pagu'])}, realisasi "
                f"{_rp(t.fields['total_realisasi'])}" for t in tables if t.fields["letak_total"])
            if pagu_off:
                values["jumlah_anggaran_hitung"] = pagu_off[0].fields["total_pagu"]
            elif with_pagu:
                values["jumlah_anggaran_hitung"] = with_pagu[0].fields["total_pagu"]
            if real_off:
                values["jumlah_realisasi_hitung"] = real_off[0].fields["total_realisasi"]
            elif with_real:
                values["jumlah_realisasi_hitung"] = with_real[0].fields["total_realisasi"]
            if stated_pagu is not None and with_pagu:
                values["jumlah_anggaran_sesuai"] = not pagu_off
            if stated_real is not None and with_real:
                values["jumlah_realisasi_sesuai"] = not real_off
        else:
            if stated_pagu is not None and counted:
                values["jumlah_anggaran_sesuai"] = stated_pagu == total_pagu
            if stated_real is not None and counted:
                values["jumlah_realisasi_sesuai"] = stated_real == total_real
        ctx.derive(fact, **values)


def _rp(value: Decimal | None) -> str:
    from sakip_checker.numbers import format_number
    return "-" if value is None else "Rp " + format_number(value)


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
