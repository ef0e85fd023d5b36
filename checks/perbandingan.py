"""The Pasal 27 comparisons of an LKjIP as the report states them (issue 8 item 2), recomputed.

* Whether each comparison is present at all (huruf a, c, d, e) is read from the row itself *or* from the
  sections that hold it as stated (``lkjip.realisasi_tahunan``, ``lkjip.perbandingan``, ``lkjip.pembanding``),
  so that the presence rules (LAP-014, LAP-016 to LAP-018) see both.
* The stated Renstra percentage and remaining gap are recomputed from the realisasi of the reporting year
  (the series value of that year, else the LKjIP row) and the Renstra end target, with the indicator's
  polarity (``checks.capaian.compute``): gap = target - realisasi (lower is better: realisasi - target).
* A narrative trend claim is read against the stated series, in year order: ``selalu_meningkat`` (every step
  up), ``meningkat`` (last above first), the same for down, ``tetap`` (all equal), ``fluktuatif`` (at least one
  step up and one step down). A claim on fewer than two values cannot be judged.
* A previous-year value stated twice (row and series) must agree; a previous-year column that repeats this
  year's figures for every indicator is a sign of a mislabelled (recycled) comparison.
"""

from __future__ import annotations

from decimal import Decimal

from sakip_checker.checks import CheckContext, check
from sakip_checker.checks.capaian import agrees, compute
from sakip_checker.numbers import format_number

TREN = {"meningkat": "meningkat", "selalu_meningkat": "selalu meningkat", "menurun": "menurun",
        "selalu_menurun": "selalu menurun", "tetap": "tetap", "fluktuatif": "fluktuatif"}


def _series(ctx: CheckContext) -> dict[str, list]:
    if "deret" not in ctx.cache:
        out: dict[str, list] = {}
        for fact in ctx.facts.of("lkjip_realisasi_tahunan"):
            out.setdefault(fact.fields["indikator"], []).append(fact)
        for facts in out.values():
            facts.sort(key=lambda x: x.fields["tahun"])
        ctx.cache["deret"] = out
    return ctx.cache["deret"]


def _where(f: dict) -> str:
    parts = [p for p in (f.get("letak"), f.get("halaman")) if p]
    return ", ".join(parts) if parts else "tanpa letak"


def trend_holds(claim: str, values: list[Decimal]) -> bool:
    steps = [b - a for a, b in zip(values, values[1:])]
    if claim == "selalu_meningkat":
        return all(s > 0 for s in steps)
    if claim == "selalu_menurun":
        return all(s < 0 for s in steps)
    if claim == "meningkat":
        return values[-1] > values[0]
    if claim == "menurun":
        return values[-1] < values[0]
    if claim == "tetap":
        return all(s == 0 for s in steps)
    return any(s > 0 for s in steps) and any(s < 0 for s in steps)  # fluktuatif


def describe(values: list[Decimal]) -> str:
    steps = [b - a for a, b in zip(values, values[1:])]
    if all(s > 0 for s in steps):
        return "selalu meningkat"
    if all(s < 0 for s in steps):
        return "selalu menurun"
    if all(s == 0 for s in steps):
        return "tetap"
    if all(s >= 0 for s in steps):
        return "meningkat (dengan tahun yang tetap)"
    if all(s <= 0 for s in steps):
        return "menurun (dengan tahun yang tetap)"
    return "naik-turun (fluktuatif)"


@check("perbandingan.ada", provides={"lkjip_baris": {
    "ada_tahun_lalu": "bool", "ada_target_akhir": "bool", "ada_standar": "bool", "ada_pembanding": "bool",
    "tahun_lalu_deret": "number", "tahun_lalu_letak": "text", "tahun_lalu_sesuai": "bool",
}})
def presence(ctx: CheckContext) -> None:
    """Per LKjIP row: whether each Pasal 27 comparison is given, on the row or in the stated sections
    (``ada_*``); ``tahun_lalu_deret`` is the series value of the year before the realisasi's year, and
    ``tahun_lalu_sesuai`` whether the row's own previous-year value agrees with it."""
    series = _series(ctx)
    compared = {f.fields["indikator"]: f.fields for f in ctx.facts.of("lkjip_perbandingan")}
    peers: dict[str, list] = {}
    for fact in ctx.facts.of("lkjip_pembanding"):
        peers.setdefault(fact.fields["indikator"], []).append(fact.fields)
    for fact in ctx.facts.of("lkjip_baris"):
        f = fact.fields
        ind = f["indikator"]
        year = f["tahun_realisasi"] if f["tahun_realisasi"] is not None else f["tahun_submisi"]
        previous = [s.fields for s in series.get(ind, []) if s.fields["tahun"] == year - 1
                    and s.fields["realisasi"] is not None]
        comp = compared.get(ind)
        values: dict = {
            "ada_tahun_lalu": f["realisasi_tahun_lalu"] is not None or bool(previous),
            "ada_target_akhir": f["target_akhir_renstra_jenis"] != "kosong"
            or (comp is not None and comp["target_akhir_jenis"] != "kosong"),
            "ada_standar": f["standar_nasional"] is not None or f["keterangan_standar_nasional"] is not None
            or (comp is not None and comp["standar_nasional"] is not None),
            "ada_pembanding": (f["pembanding"] is not None and f["nilai_pembanding"] is not None)
            or any(p["nilai"] is not None for p in peers.get(ind, [])),
        }
        if previous:
            values["tahun_lalu_deret"] = previous[0]["realisasi"]
            values["tahun_lalu_letak"] = _where(previous[0])
            if f["realisasi_tahun_lalu"] is not None:
                values["tahun_lalu_sesuai"] = f["realisasi_tahun_lalu"] == previous[0]["realisasi"]
        ctx.derive(fact, **values)


@check("perbandingan.renstra", after=("capaian.hitung",), provides={"lkjip_perbandingan": {
    "realisasi_kini": "number", "realisasi_kini_letak": "text", "persentase_renstra_hitung": "number",
    "persentase_renstra_sesuai": "bool", "sisa_renstra_hitung": "number", "sisa_renstra_sesuai": "bool",
    "renstra_sesuai": "bool", "deret": "text", "jumlah_deret": "number", "tren_deret": "text",
    "tren_sesuai": "bool", "klaim": "text", "standar_tanpa_sumber": "bool",
}})
def medium_term(ctx: CheckContext) -> None:
    """Per stated Pasal 27 comparison of an indicator: the realisasi of the reporting year (``realisasi_kini``:
    the series value of that year, else the LKjIP row's realisasi), the Renstra percentage and gap recomputed
    (``*_hitung``, ``*_sesuai`` where stated; ``renstra_sesuai`` both), the series as text (``deret``), the
    trend it shows (``tren_deret``) and whether the claim holds (``tren_sesuai``, only with two values or
    more), and ``standar_tanpa_sumber`` (a national standard whose source is not named)."""
    series = _series(ctx)
    rows = {f.fields["indikator"]: f.fields for f in ctx.facts.of("lkjip_baris")}
    polarity = {f.key: f.fields["polaritas"] for f in ctx.facts.of("indikator")}
    for fact in ctx.facts.of("lkjip_perbandingan"):
        f = fact.fields
        ind = f["indikator"]
        points = [s.fields for s in series.get(ind, []) if s.fields["realisasi"] is not None]
        values: dict = {}
        now = [p for p in points if p["tahun"] == f["tahun_submisi"]]
        if now:
            values.update(realisasi_kini=now[0]["realisasi"], realisasi_kini_letak=_where(now[0]))
        elif ind in rows and rows[ind]["realisasi"] is not None:
            values.update(realisasi_kini=rows[ind]["realisasi"], realisasi_kini_letak="baris LKjIP")
        current = values.get("realisasi_kini")
        target = f["target_akhir"] if f["target_akhir_jenis"] == "angka" else None
        checks = []
        if current is not None and target is not None:
            pol = polarity.get(ind, "positif")
            pct = compute(current, target, pol)
            if pct is not None:
                values["persentase_renstra_hitung"] = pct
                if f["persentase_renstra"] is not None:
                    values["persentase_renstra_sesuai"] = agrees(f["persentase_renstra"], pct)
                    checks.append(values["persentase_renstra_sesuai"])
            gap = current - target if pol == "negatif" else target - current
            values["sisa_renstra_hitung"] = gap
            if f["sisa_renstra"] is not None:
                values["sisa_renstra_sesuai"] = agrees(f["sisa_renstra"], gap)
                checks.append(values["sisa_renstra_sesuai"])
        if checks:
            values["renstra_sesuai"] = all(checks)
        values["deret"] = "; ".join(f"{int(p['tahun'])}: {format_number(p['realisasi'])} ({_where(p)})"
                                    for p in points) or None
        values["jumlah_deret"] = Decimal(len(points))
        if len(points) >= 2:
            values["tren_deret"] = describe([p["realisasi"] for p in points])
        if f["tren"] is not None:
            values["klaim"] = f["klaim_tren"] or TREN[f["tren"]]
            if len(points) >= 2:
                values["tren_sesuai"] = trend_holds(f["tren"], [p["realisasi"] for p in points])
        if f["standar_nasional"] is not None:
            values["standar_tanpa_sumber"] = f["sumber_standar"] is None
        ctx.derive(fact, **values)


@check("perbandingan.pembanding", provides={"lkjip_pembanding": {"pembanding_lengkap": "bool",
                                                                  "pembanding_kurang": "text"}})
def peers(ctx: CheckContext) -> None:
    """Per peer comparator: ``pembanding_kurang`` names what the comparison lacks to be a comparison of
    like with like (the peer's value, its year, a year other than the reporting year, its source)."""
    year = ctx.submission.lkjip.tahun if ctx.submission.lkjip else ctx.submission.profil.tahun
    for fact in ctx.facts.of("lkjip_pembanding"):
        f = fact.fields
        lacking = []
        if f["nilai"] is None:
            lacking.append("nilai pembanding tidak ada")
        if f["tahun"] is None:
            lacking.append("tahun data pembanding tidak disebut")
        elif int(f["tahun"]) != year:
            lacking.append(f"data pembanding tahun {int(f['tahun'])}, bukan tahun {year}")
        if f["sumber"] is None:
            lacking.append("sumber data pembanding tidak disebut")
        ctx.derive(fact, pembanding_lengkap=not lacking, pembanding_kurang="; ".join(lacking) or None)


@check("perbandingan.tahun_lalu", after=("perbandingan.ada",), provides={"lkjip": {
    "tahun_lalu_berulang": "bool", "tahun_lalu_berulang_rincian": "text", "jumlah_tahun_lalu_berulang": "number",
}})
def repeated_previous_year(ctx: CheckContext) -> None:
    """Per LKjIP: ``tahun_lalu_berulang`` when at least three indicators have both a value of this year (realisasi
    or capaian) and a previous-year value in the series, every one of those previous-year values equals this
    year's realisasi or capaian, and they are not all the same number (a column of 100s repeats nothing)."""
    lk = ctx.facts.of("lkjip")
    if not lk:
        return
    pairs = []
    for fact in ctx.facts.of("lkjip_baris"):
        f = fact.fields
        prev = f.get("tahun_lalu_deret")
        if prev is None or (f["realisasi"] is None and f["capaian"] is None):
            continue
        pairs.append((f["nama"], prev, prev in (f["realisasi"], f["capaian"]), f.get("tahun_lalu_letak")))
    if len(pairs) < 3:
        return
    repeated = all(same for _, _, same, _ in pairs) and len({p for _, p, _, _ in pairs}) >= 2
    detail = None
    if repeated:
        shown = [f"{name}: {format_number(prev)}" for name, prev, _, _ in pairs[:6]]
        detail = "; ".join(shown) + (f"; dan {len(pairs) - 6} indikator lain" if len(pairs) > 6 else "")
        detail += f" (letak: {pairs[0][3]})"
    ctx.derive(lk[0], tahun_lalu_berulang=repeated, tahun_lalu_berulang_rincian=detail,
               jumlah_tahun_lalu_berulang=Decimal(len(pairs)))
