"""Monthly reports judged month by month (Pasal 23; Pasal 28 ayat (2) huruf a).

The "PK in force" of the rest of the checker is the last perubahan of the year. A month, though, is
governed by the PK in force *in that month*: the murni PK from January, a perubahan from the month it was
signed. An indicator a perubahan adds in October is not due in January, and January's capaian is not
measured against the October target. A PK perubahan without a date cannot be placed in the year; then the
year's PK in force is used for every month, as before.

A monthly capaian may also be stated against the cumulative Rencana Aksi target of the month's quarter
(that is what TW targets are for), and, for an indicator where lower is better, as target / realisasi x 100
as well as (2 x target - realisasi) / target x 100: the Pergub prescribes neither basis nor formula, so a
stated capaian that agrees with any of them is accepted, and the basis that agrees is named.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from sakip_checker.checks import CheckContext, check
from sakip_checker.checks.capaian import HUNDRED, agrees
from sakip_checker.checks.renaksi import classify_tw
from sakip_checker.model import PerjanjianKinerja, Submission
from sakip_checker.numbers import BULAN_LABEL


def pk_by_month(sub: Submission) -> dict[str, list[PerjanjianKinerja | None]]:
    """Per jabatan id, the PK in force in months 1..12 of the submission year (index 0 = January), or
    None for every month when a perubahan has no date (it cannot be placed)."""
    year = sub.profil.tahun
    out: dict[str, list[PerjanjianKinerja | None]] = {}
    by_holder: dict[str, list[PerjanjianKinerja]] = {}
    for pk in sub.perjanjian_kinerja:
        if pk.tahun == year:
            by_holder.setdefault(pk.jabatan, []).append(pk)
    for holder, pks in by_holder.items():
        murni = [p for p in pks if p.jenis == "murni"]
        changes = [p for p in pks if p.jenis == "perubahan"]
        if any(p.tanggal is None for p in changes):
            out[holder] = [None] * 12
            continue
        changes.sort(key=lambda p: p.tanggal)
        months: list[PerjanjianKinerja | None] = []
        for month in range(1, 13):
            end = dt.date(year, month, calendar.monthrange(year, month)[1])
            signed = [p for p in changes if p.tanggal <= end]
            months.append(signed[-1] if signed else (murni[0] if murni else None))
        out[holder] = months
    return out


def _pk_targets(pk: PerjanjianKinerja) -> dict[str, Decimal]:
    return {row.indikator: row.target.value for row in pk.indikator if row.target.kind == "angka"}


def _pk_months(ctx: CheckContext) -> tuple[dict[str, str], dict[str, list[PerjanjianKinerja | None]]]:
    """Who holds each indicator in a PK in force, and each holder's PK month by month: once per evaluation
    (both checks of this module read them)."""
    if "pk_bulan" not in ctx.cache:
        holder_of: dict[str, str] = {}
        for row in ctx.facts.of("pk_indikator"):
            if row.fields["pk_berlaku"]:
                holder_of.setdefault(row.fields["indikator"], row.fields["jabatan"])
        ctx.cache["pk_bulan"] = (holder_of, pk_by_month(ctx.submission))
    return ctx.cache["pk_bulan"]


@check("bulanan.pk_bulan", after=("laporan.wajib",), provides={"slot_laporan": {"berlaku_bulan": "bool"}})
def due_in_month(ctx: CheckContext) -> None:
    """``berlaku_bulan`` on each monthly slot: whether the indicator is in the PK its holder had in force
    in that month (true when the holder's PKs cannot be placed in the year)."""
    holder_of, months = _pk_months(ctx)
    unplaced = [None] * 12
    listed: dict[int, set] = {}  # per PK (by identity): the indicators it lists, built on first use
    for slot in ctx.facts.of("slot_laporan"):
        ident = slot.fields["indikator"]
        pk = months.get(holder_of.get(ident), unplaced)[int(slot.fields["bulan"]) - 1]
        if pk is None:
            in_force = True
        else:
            names = listed.get(id(pk))
            if names is None:
                names = listed[id(pk)] = {r.indikator for r in pk.indikator}
            in_force = ident in names
        ctx.derive(slot, berlaku_bulan=in_force)


@check("bulanan.capaian_dasar", after=("capaian.hitung",),
       provides={"capaian": {"capaian_sesuai_dasar_lain": "bool", "capaian_dasar": "text"}})
def other_bases(ctx: CheckContext) -> None:
    """On each monthly row whose stated capaian disagrees with its target acuan (``capaian_sesuai`` false):
    ``capaian_sesuai_dasar_lain`` says whether
    the stated capaian agrees (rounded as printed) with one of the bases the Pergub leaves open, and
    ``capaian_dasar`` names the first that agrees: the annual target of the PK in force that month, the
    cumulative Rencana Aksi target of the month's quarter, and for negative polarity target / realisasi."""
    sub = ctx.submission
    holder_of, months = _pk_months(ctx)
    polarity = {i.key: i.fields["polaritas"] for i in ctx.facts.of("indikator")}
    tw_rows = {}
    if sub.rencana_aksi is not None:
        for r in sub.rencana_aksi.baris:
            if r.tw and len(r.tw) == 4 and all(v is not None for v in r.tw):
                tw_rows.setdefault(r.indikator, r)
    targets_of = {}  # per PK: its numeric targets
    for fact in ctx.facts.of("capaian"):
        f = fact.fields
        stated, realisasi, ident = f.get("capaian"), f.get("realisasi"), f["indikator"]
        if stated is None or realisasi is None or f.get("capaian_sesuai") is not False:
            continue  # only a capaian that disagrees with its target acuan (LAP-006) needs another basis
        month = int(f["bulan"])
        negative = polarity.get(ident) == "negatif"
        bases: list[tuple[str, Decimal]] = []
        pk = months.get(holder_of.get(ident), [None] * 12)[month - 1] if 1 <= month <= 12 else None
        annual = f.get("target_acuan")
        pk_targets = targets_of.setdefault(pk.id, _pk_targets(pk)) if pk is not None else {}
        if ident in pk_targets:
            annual = pk_targets[ident]
            bases.append((f"target PK yang berlaku bulan itu ({pk.id})", annual))
        row = tw_rows.get(ident)
        if row is not None and annual:
            values = list(row.tw)
            mode, _, _ = classify_tw(values, row.target.value if row.target.kind == "angka" else None)
            quarter = (month - 1) // 3
            cumulative = {"bagian": lambda: annual * sum(values[:quarter + 1], Decimal(0)) / HUNDRED,
                          "kumulatif": lambda: annual * values[quarter] / HUNDRED,
                          "absolut": lambda: sum(values[:quarter + 1], Decimal(0)),
                          "absolut kumulatif": lambda: values[quarter]}.get(mode)
            if cumulative is not None:
                bases.append((f"target kumulatif TW {['I', 'II', 'III', 'IV'][quarter]} Rencana Aksi", cumulative()))
        found = None
        for label, target in bases:
            if not target:
                continue
            formulas = [(label, (2 * target - realisasi) / target * HUNDRED if negative else realisasi / target * HUNDRED)]
            if negative and realisasi:
                formulas.append((f"{label}, rumus target / realisasi x 100", target / realisasi * HUNDRED))
            found = next((name for name, value in formulas if agrees(stated, value)), None)
            if found:
                break
        if found is None and negative and annual and realisasi:
            if agrees(stated, annual / realisasi * HUNDRED):
                found = "target tahunan, rumus target / realisasi x 100"
        ctx.derive(fact, capaian_sesuai_dasar_lain=found is not None, capaian_dasar=found)


@check("bulanan.nama_bulan", provides={"laporan": {"nama_bulan": "text"}, "capaian": {"nama_bulan": "text"}})
def month_names(ctx: CheckContext) -> None:
    """``nama_bulan`` (Januari .. Desember) on monthly reports and their rows, for messages: planners read
    "laporan Maret", not "bulan ke-3"."""
    for kind in ("laporan", "capaian"):
        for fact in ctx.facts.of(kind):
            month = int(fact.fields["bulan"])
            if 1 <= month <= 12:
                ctx.derive(fact, nama_bulan=BULAN_LABEL[month - 1])
