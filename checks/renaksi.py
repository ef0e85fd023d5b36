"""Rencana Aksi (Pasal 11): signing date against the configured "awal tahun", quarterly targets TW I-IV
against the annual target, and whether every PK indicator is served by a Rencana Aksi row.

The Pergub prescribes no Renaksi format; the TW logic follows PermenPANRB 53/2014 practice. A row is
consistent when its four values are, in this order of preference:
* ``bagian``: shares that add up to 100 (a sum off by one unit of the last printed decimal, e.g. 99,99
  for 2-decimal figures, is accepted and flagged as ``tw_pembulatan``);
* ``kumulatif``: non-decreasing with TW IV = 100;
* ``absolut``: amounts in the indicator's unit adding up to the annual target;
* ``absolut kumulatif``: non-decreasing with TW IV = the annual target.
"""

from __future__ import annotations

from decimal import Decimal

from sakip_checker.checks import CheckContext, check
from sakip_checker.numbers import format_number

HUNDRED = Decimal(100)


def classify_tw(values: list[Decimal], target: Decimal | None) -> tuple[str | None, Decimal, bool]:
    """Return (mode or None, sum, rounded) for four TW values."""
    total = sum(values, Decimal(0))
    non_decreasing = all(a <= b for a, b in zip(values, values[1:]))
    exponent = min(int(v.as_tuple().exponent) for v in values)
    if total == HUNDRED:
        return "bagian", total, False
    if exponent < 0 and abs(total - HUNDRED) <= Decimal(1).scaleb(exponent):
        return "bagian", total, True
    if non_decreasing and values[-1] == HUNDRED:
        return "kumulatif", total, False
    if target is not None and target != HUNDRED:
        if total == target:
            return "absolut", total, False
        if non_decreasing and values[-1] == target:
            return "absolut kumulatif", total, False
    return None, total, False


@check(
    "renaksi.tw",
    provides={"renaksi_baris": {"tw_jumlah": "number", "tw_mode": "text", "tw_konsisten": "bool",
                                "tw_pembulatan": "bool", "tw_teks": "text"}},
)
def quarterly(ctx: CheckContext) -> None:
    """Classify each row's TW I-IV (``tw_teks`` says "tidak dicantumkan" when the row has none)."""
    printed: dict[str | None, str] = {}  # a value as printed, by its exact text (digits and exponent)

    def as_printed(v: Decimal | None) -> str:
        written = None if v is None else str(v)
        text = printed.get(written)
        if text is None:
            text = printed[written] = format_number(v, as_printed=True)
        return text

    for fact in ctx.facts.of("renaksi_baris"):
        tw = fact.source.tw
        if tw is None:
            ctx.derive(fact, tw_teks="tidak dicantumkan")
            continue
        text = " / ".join(as_printed(v) for v in tw)
        if any(v is None for v in tw):
            ctx.derive(fact, tw_konsisten=False, tw_mode="tidak lengkap", tw_teks=text, tw_pembulatan=False)
            continue
        target = fact.fields["target"] if fact.fields["target_jenis"] == "angka" else None
        mode, total, rounded = classify_tw(tw, target)
        ctx.derive(fact, tw_jumlah=total, tw_mode=mode or "tidak dikenali", tw_konsisten=mode is not None,
                   tw_pembulatan=rounded, tw_teks=text)


@check("renaksi.tanggal", provides={"renaksi": {"tanggal_awal_tahun": "bool", "batas_tanggal": "date"}})
def signing_date(ctx: CheckContext) -> None:
    """``tanggal_awal_tahun``: signed on or before the configured deadline (parameter
    ``batas_rencana_aksi``) of the Renaksi year; absent when the document is undated."""
    for fact in ctx.facts.of("renaksi"):
        deadline = ctx.params.renaksi_deadline(int(fact.fields["tahun"]))
        values = {"batas_tanggal": deadline.isoformat()}
        if fact.fields.get("tanggal"):
            values["tanggal_awal_tahun"] = fact.fields["tanggal"] <= deadline.isoformat()
        ctx.derive(fact, **values)


@check("renaksi.cakupan", provides={"pk_indikator": {"tercakup_renaksi": "bool"}})
def coverage(ctx: CheckContext) -> None:
    """``tercakup_renaksi``: the PK indicator, or an indicator below it in the cascade, has a Rencana Aksi
    row (a Renaksi planned at kegiatan level serves the program and sasaran above it). Absent when the
    submission has no Rencana Aksi."""
    if ctx.submission.rencana_aksi is None:
        return
    parent = {i.id: i.induk for i in ctx.submission.indikator}
    served: set[str] = set()
    for row in ctx.submission.rencana_aksi.baris:
        node, seen = row.indikator, set()
        while node is not None and node not in seen:
            seen.add(node)
            served.add(node)
            node = parent.get(node)
    for fact in ctx.facts.of("pk_indikator"):
        ctx.derive(fact, tercakup_renaksi=fact.fields["indikator"] in served)
