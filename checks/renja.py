"""Formulir B.1 (Lampiran B angka 1): control of the Renja against the RKA, row by row.

Per row the checker recomputes what the form's columns (9)/(10) should say: Renja and RKA agree on
location (4), target (5), funds (6), forward target (7) and forward funds (8). Funds are compared exactly
(Decimal); targets by value when both are single numbers, else by their text; locations by text (case and
spacing ignored). A side left empty is a difference. Codes are checked against the Permendagri 90/2019 shape
(program U.BB.PP, kegiatan U.BB.PP.G.KK, sub-kegiatan U.BB.PP.G.KK.SS or .SSSS).
"""

from __future__ import annotations

import re
from decimal import Decimal

from checks import CheckContext, check
from checks.lampiran import norm
from engine.numbers import Target

CODE = re.compile(r"^\d\.\d{2}\.\d{2}(\.\d\.\d{2}(\.\d{2}|\.\d{4})?)?$")
PAIRS = (("4", "lokasi"), ("5", "target"), ("6", "dana"), ("7", "target_maju"), ("8", "dana_maju"))


def _given(value) -> bool:
    return value is not None and not (isinstance(value, Target) and value.kind == "kosong")


def _same_target(a: Target, b: Target) -> bool:
    if a.kind == "angka" and b.kind == "angka":
        return a.value == b.value
    return " ".join(a.as_written.lower().split()) == " ".join(b.as_written.lower().split())


def _same(row, name: str) -> bool | None:
    """None when neither side is given; False when one side is missing or they differ."""
    left, right = getattr(row, f"{name}_renja"), getattr(row, f"{name}_rka")
    if not _given(left) and not _given(right):
        return None
    if not (_given(left) and _given(right)):
        return False
    if name.startswith("target"):
        return _same_target(left, right)
    if name == "lokasi":
        return " ".join(left.lower().split()) == " ".join(right.lower().split())
    return left == right


@check("renja.tindak_lanjut", provides={"formulir_b1": {"hari_tindak_lanjut": "number", "tepat_waktu": "bool",
                                                         "batas_hari": "number"}})
def follow_up_days(ctx: CheckContext) -> None:
    """Lampiran B angka 6: days from receiving the recommendation to sending the follow-up, against the
    parameter ``batas_tindak_lanjut_b1_hari`` (7, calendar days: the Pergub says "hari"). Absent without
    both dates."""
    limit = ctx.params.batas_tindak_lanjut_b1_hari
    for fact in ctx.facts.of("formulir_b1"):
        received, sent = fact.source.tanggal_terima_rekomendasi, fact.source.tanggal_kirim_tindak_lanjut
        values = {"batas_hari": Decimal(limit)}
        if received and sent:
            days = (sent - received).days
            values.update(hari_tindak_lanjut=Decimal(days), tepat_waktu=days <= limit)
        ctx.derive(fact, **values)


@check(
    "renja.b1",
    provides={"renja_baris": {"kode_sah": "bool", "kode_ganda": "bool", "dana_sesuai": "bool",
                              "kesesuaian_hitung": "text", "kolom_berbeda": "text", "sisi_kosong": "text"}},
)
def form_b1(ctx: CheckContext) -> None:
    """Per row: ``kode_sah`` (code shape, absent without a code), ``dana_sesuai`` (funds equal, absent when
    a side is missing), ``kesesuaian_hitung`` ("ya"/"tidak") with the differing columns in ``kolom_berbeda``,
    ``sisi_kosong`` ("Renja"/"RKA") when one side of the row is entirely empty, and ``kode_ganda`` when the
    same code stands on another row too."""
    counts: dict[str, int] = {}
    for fact in ctx.facts.of("renja_baris"):
        code = (fact.source.kode or "").strip()
        if code:
            counts[code] = counts.get(code, 0) + 1
    for fact in ctx.facts.of("renja_baris"):
        row = fact.source
        values = {}
        if row.kode:
            values["kode_sah"] = bool(CODE.match(row.kode.strip()))
            values["kode_ganda"] = counts[row.kode.strip()] > 1
        if row.dana_renja is not None and row.dana_rka is not None:
            values["dana_sesuai"] = row.dana_renja == row.dana_rka
        results = {col: _same(row, name) for col, name in PAIRS}
        differing = [f"({col})" for col, same in results.items() if same is False]
        values["kesesuaian_hitung"] = "tidak" if differing else "ya"
        values["kolom_berbeda"] = ", ".join(differing) or None
        renja_empty = not any(_given(getattr(row, f"{name}_renja")) for _, name in PAIRS)
        rka_empty = not any(_given(getattr(row, f"{name}_rka")) for _, name in PAIRS)
        if renja_empty != rka_empty:
            values["sisi_kosong"] = "Renja" if renja_empty else "RKA"
        ctx.derive(fact, **values)


@check("renja.uraian", provides={"renja_baris": {"uraian_cascade": "text", "uraian_sesuai": "bool"}})
def description(ctx: CheckContext) -> None:
    """Formulir B.1 kolom (2): where a row's code is also the code of an indicator's program/kegiatan in
    the cascade, ``uraian_sesuai`` says whether the two names agree (case, spacing and punctuation
    ignored)."""
    by_code = {f.fields["kode"]: f.fields["uraian"] for f in ctx.facts.of("indikator") if f.fields["kode"]}
    for row in ctx.facts.of("renja_baris"):
        name = by_code.get(row.fields["kode"])
        if name is not None and row.fields["uraian"]:
            ctx.derive(row, uraian_cascade=name, uraian_sesuai=norm(name) == norm(row.fields["uraian"]))


@check("renja.ketidaksesuaian", after=("renja.b1",),
       provides={"formulir_b1": {"ada_ketidaksesuaian": "bool", "baris_tidak_sesuai": "number"}})
def mismatches(ctx: CheckContext) -> None:
    """Lampiran B angka 5: whether any row of the form is a mismatch (ticked "tidak", or funds that
    differ when recomputed) — the case in which a recommendation must follow."""
    count = sum(1 for r in ctx.facts.of("renja_baris")
                if r.fields["kesesuaian"] == "tidak" or r.fields.get("dana_sesuai") is False)
    for fact in ctx.facts.of("formulir_b1"):
        ctx.derive(fact, ada_ketidaksesuaian=count > 0, baris_tidak_sesuai=Decimal(count))


@check("renja.anggaran_target", provides={"renja_baris": {"dana_berubah_target_tetap": "bool", "selisih_dana": "number"}})
def budget_without_target(ctx: CheckContext) -> None:
    """Pertanyaan kunci 5 ("sesuai dengan ketersediaan anggaran"): a row whose funds differ between Renja and
    RKA while its target (a single number on both sides) stays the same. ``selisih_dana`` = RKA - Renja."""
    for row in ctx.facts.of("renja_baris"):
        src = row.source
        left, right = src.target_renja, src.target_rka
        if src.dana_renja is None or src.dana_rka is None or left.kind != "angka" or right.kind != "angka":
            continue
        ctx.derive(row, dana_berubah_target_tetap=not _same(src, "dana") and _same(src, "target"),
                   selisih_dana=src.dana_rka - src.dana_renja)
