"""Formulir B.1 (Lampiran B angka 1): control of the Renja against the RKA, row by row.

Per row the checker recomputes what the form's columns (9)/(10) should say: Renja and RKA agree on
location (4), target (5), funds (6), forward target (7) and forward funds (8). Funds are compared exactly
(Decimal); targets by value when both are single numbers, else by their text; locations by text (case and
spacing ignored), an RKA location that contains the Renja one being the "lebih spesifik dan sesuai" of
pertanyaan kunci 2. A side left empty is a difference.

Codes follow the Permendagri 90/2019 nomenclature (from performance year 2021): urusan U, bidang urusan
U.BB, program U.BB.PP, kegiatan U.BB.PP.G.KK, sub-kegiatan U.BB.PP.G.KK.SS (or .SSSS). A code is read with
or without dots (``read_code``) and the row's level comes from the code's depth, never from its words:
kolom (1) itself prescribes urusan and bidang urusan rows, which carry no indicator, target or location.
"""

from __future__ import annotations

from decimal import Decimal

from sakip_checker.checks import CheckContext, check
from sakip_checker.checks.lampiran import norm
from sakip_checker.numbers import Target

WIDTHS = (1, 2, 2, 1, 2, 2)  # U, BB, PP, G, KK, SS (SS may also be 4 digits)
LEVELS = {1: "urusan", 2: "bidang", 3: "program", 5: "kegiatan", 6: "sub_kegiatan"}
UNDOTTED = {1: 1, 3: 2, 5: 3, 6: 4, 8: 5, 10: 6, 12: 6}  # digits of an undotted code -> its segments
HEADING = ("urusan", "bidang")
NOMENCLATURE_FROM = 2021  # Permendagri 90/2019 codes are used from performance year 2021
PAIRS = (("4", "lokasi"), ("5", "target"), ("6", "dana"), ("7", "target_maju"), ("8", "dana_maju"))


def read_code(raw: str | None) -> tuple[str, str] | None:
    """(canonical dotted code, level) of a Permendagri 90/2019 code written with or without dots
    ("40101201" and "04.01.01.2.01" read as "4.01.01.2.01", kegiatan); None when it cannot be read
    unambiguously (a segment too long, e.g. "4.01.02.2.02.001", or a depth that is no level)."""
    text = (raw or "").strip()
    if not text:
        return None
    if "." in text:
        parts = text.split(".")
        if not all(p.isdigit() for p in parts) or len(parts) not in LEVELS:
            return None
    elif text.isdigit() and len(text) in UNDOTTED:
        n = UNDOTTED[len(text)]
        cuts, at = [], 0
        for i in range(n):
            width = len(text) - at if i == 5 else WIDTHS[i]
            cuts.append(text[at:at + width])
            at += width
        parts = cuts
    else:
        return None
    out = []
    for i, part in enumerate(parts):
        width = WIDTHS[i]
        if i == 0:
            part = part.lstrip("0") or "0"
            if len(part) != 1:
                return None
        elif i == 5 and len(part) == 4:
            pass
        elif len(part) != width:
            return None
        out.append(part)
    return ".".join(out), LEVELS[len(out)]


def code_key(raw: str | None) -> str | None:
    """What identifies a code: its canonical 90/2019 form when it reads as one, else the code as written."""
    read = read_code(raw)
    return read[0] if read else ((raw or "").strip() or None)


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
        return norm(left) in norm(right)  # the RKA location may be more specific (pertanyaan kunci 2)
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
    provides={"renja_baris": {"kode_sah": "bool", "kode_baku": "text", "tingkat": "text", "baris_judul": "bool",
                              "baris_rincian": "bool", "kode_ganda": "bool", "uraian_lain": "text",
                              "dana_sesuai": "bool", "perbedaan_dijelaskan": "bool",
                              "kesesuaian_hitung": "text", "kolom_berbeda": "text", "sisi_kosong": "text"}},
)
def form_b1(ctx: CheckContext) -> None:
    """Per row, from its code (``read_code``): ``tingkat`` (urusan .. sub_kegiatan), ``baris_judul`` (an
    urusan or bidang urusan heading row, which kolom (1)-(2) prescribe and which carries no indicator,
    target or location), ``baris_rincian`` (no other row of the form lies under its code: the level at
    which the "tabel rincian kegiatan" gives a location and the pagu is set; true for a row whose code
    cannot be read). From performance year 2021, ``kode_sah`` says whether the code is written in the
    dotted 90/2019 shape and ``kode_baku`` gives its canonical reading. ``kode_ganda``: the same code
    stands on another row with a different uraian (one program on two rows for two indicators is not a
    duplicate). ``dana_sesuai`` (funds equal, absent when a side is missing), ``perbedaan_dijelaskan``
    (ticked "tidak" with kolom (11) and (12) filled), ``kesesuaian_hitung`` ("ya"/"tidak") with the
    differing columns in ``kolom_berbeda``, ``sisi_kosong`` ("Renja"/"RKA") when one side of the row is
    entirely empty."""
    rows = ctx.facts.of("renja_baris")
    nomenclature = ctx.submission.profil.tahun >= NOMENCLATURE_FROM
    keys = [code_key(r.source.kode) for r in rows]
    names: dict[str, set[str]] = {}
    for key, fact in zip(keys, rows):
        if key and fact.source.uraian:
            names.setdefault(key, set()).add(norm(fact.source.uraian))
    for key, fact in zip(keys, rows):
        row = fact.source
        read = read_code(row.kode)
        values: dict = {}
        level = read[1] if read else None
        if read is None and key and "." in key:  # another nomenclature: the depth still tells urusan/bidang
            level = {1: "urusan", 2: "bidang"}.get(len(key.split(".")))
        values["tingkat"] = level
        values["baris_judul"] = level in HEADING
        values["baris_rincian"] = level not in HEADING and not (
            key and any(k and k.startswith(key + ".") for k in keys))
        if row.kode and nomenclature:
            values["kode_sah"] = read is not None and read[0] == row.kode.strip()
            values["kode_baku"] = read[0] if read else "tidak dapat dibaca sebagai kode Permendagri 90/2019"
        if key:
            others = names.get(key, set()) - ({norm(row.uraian)} if row.uraian else set())
            values["kode_ganda"] = bool(others) and (bool(row.uraian) or len(others) > 1)
            if values["kode_ganda"]:
                values["uraian_lain"] = "; ".join(sorted(
                    r.source.uraian for k, r in zip(keys, rows)
                    if k == key and r is not fact and r.source.uraian and norm(r.source.uraian) != norm(row.uraian or "")))
        if row.dana_renja is not None and row.dana_rka is not None:
            values["dana_sesuai"] = row.dana_renja == row.dana_rka
        values["perbedaan_dijelaskan"] = bool(row.kesesuaian == "tidak" and row.evaluasi and row.tindak_lanjut)
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
    the cascade (codes compared in their canonical reading, with or without dots), ``uraian_sesuai`` says
    whether the two names agree (case, spacing and punctuation ignored)."""
    by_code = {code_key(f.fields["kode"]): f.fields["uraian"] for f in ctx.facts.of("indikator") if f.fields["kode"]}
    for row in ctx.facts.of("renja_baris"):
        name = by_code.get(code_key(row.fields["kode"]))
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
