"""Monthly capaian reports (Pasal 19, Pasal 23): which reports are due, and whether each was sent on
time. "Setiap bulan" is the only timing the Pergub gives; the day of the following month is the
parameter ``batas_laporan_bulanan_hari``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sakip_checker.checks import CheckContext, check
from sakip_checker.numbers import BULAN_LABEL


def deadline(year: int, month: int, day: int) -> dt.date:
    return dt.date(year + 1, 1, day) if month == 12 else dt.date(year, month + 1, day)


@check(
    "laporan.wajib",
    produces={"slot_laporan": {"indikator": "text", "nama": "text", "bulan": "number", "nama_bulan": "text",
                               "jabatan": "text", "eselon": "text", "dilaporkan": "bool"}},
)
def due_reports(ctx: CheckContext) -> None:
    """One ``slot_laporan`` fact per PK indicator (of the PK in force of an Eselon listed in
    ``eselon_wajib_lapor``) and per month due: 1 .. ``profil.bulan_pelaporan`` when the submission says how
    far reporting is due, else 1 .. parameter ``bulan_terakhir_laporan``. ``dilaporkan`` says whether a
    capaian row exists for it. (An engine absence join over 3,600 slots and 3,600 rows cost ~110 ms of a
    province-size evaluation; the set lookup here costs ~2 ms.)"""
    due = ctx.submission.profil.bulan_pelaporan
    last = ctx.params.bulan_terakhir_laporan if due is None else due
    seen: set[str] = set()
    wanted = set(ctx.params.eselon_wajib_lapor)
    reported = {f.fields["kunci_bulan"] for f in ctx.facts.of("capaian")}
    add = ctx.facts.add
    months: list[tuple[int, Decimal, str]] | None = None  # (month, as a number, its name): made once
    for row in ctx.facts.of("pk_indikator"):
        f = row.fields
        if not f["pk_berlaku"] or f["eselon"] not in wanted or f["indikator"] in seen:
            continue
        seen.add(f["indikator"])
        if months is None:
            months = [(month, Decimal(month), BULAN_LABEL[month - 1]) for month in range(1, last + 1)]
        ident, nama, jabatan, eselon = f["indikator"], f["nama"], f["nama_jabatan"], f["eselon"]
        for month, number, label in months:
            key = f"{ident}#{month}"  # the key = capaian.kunci_bulan
            add(
                "slot_laporan", key,
                f"laporan_bulanan[bulan={month}].capaian[indikator={ident}]",
                {"indikator": ident, "nama": nama, "bulan": number,
                 "nama_bulan": label, "jabatan": jabatan, "eselon": eselon,
                 "dilaporkan": key in reported},
                {"indikator": nama, "jabatan": jabatan, "eselon": eselon, "bulan": month},
            )


@check("laporan.ketepatan", provides={"laporan": {"batas_kirim": "date", "terlambat_hari": "number",
                                                   "tepat_waktu": "bool"}})
def timeliness(ctx: CheckContext) -> None:
    """Per monthly report: its deadline and, when a sending date is given, the days late."""
    day = ctx.params.batas_laporan_bulanan_hari
    for fact in ctx.facts.of("laporan"):
        due = deadline(int(fact.fields["tahun"]), int(fact.fields["bulan"]), day)
        values = {"batas_kirim": due.isoformat()}
        sent = fact.fields.get("tanggal_kirim")
        if sent:
            late = (dt.date.fromisoformat(sent) - due).days
            values.update(terlambat_hari=Decimal(max(late, 0)), tepat_waktu=late <= 0)
        ctx.derive(fact, **values)
