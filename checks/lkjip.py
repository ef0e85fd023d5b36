"""The LKjIP as it is really written (issue 8, items 1, 5, 6 and 7): its statements checked against each
other, the evidence of its reporting year, the evidence behind each realisasi, and the head's PK.

* Statements (Pasal 28 ayat (2) huruf a and e, Pasal 26): the statements of one quantity (one indicator, or
  one ``uraian`` when the quantity is no cascade indicator) are grouped; for each of target, realisasi,
  capaian, satuan and penanggung jawab stated at least twice, one ``lkjip_selisih`` fact says whether they agree and, when
  they do not, names every value with every place it stands (one finding for one contradiction). Each
  statement's own capaian is recomputed from its own target and realisasi (``checks.capaian``).
* Zero targets: a target of 0 gives no capaian (0/0 and x/0 are undefined): ``target_nol``.
* Reporting year: weekday against the printed date; how many wrong weekdays fit the previous year (a
  heuristic signal of a recycled report); every year printed as a period (labels and activity dates);
  signatures dated before the year ended; signature blocks that disagree; draft markers; the legal basis.
* The head of the organisation whatever the eselon: the position at the top of ``jabatan`` (no atasan,
  highest eselon).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from sakip_checker.checks import CheckContext, check
from sakip_checker.checks.capaian import FORMULA, agrees, capaian_of, compute, reference_targets
from sakip_checker.facts import Fact
from sakip_checker.model import HARI
from sakip_checker.numbers import format_number

HUNDRED = Decimal(100)
ESELON_RANK = {"I": 1, "II": 2, "III": 3, "IV": 4, "fungsional": 5, "staf": 6}


def _place(fields: dict) -> str:
    parts = [p for p in (fields.get("letak"), fields.get("halaman")) if p]
    return ", ".join(parts) or "tempat tidak disebut"


def _number_key(value: Decimal) -> Decimal:
    return value.normalize()


def _shown(value: Decimal) -> str:
    return format_number(value, as_printed=True)


def _target_key(fields: dict) -> object:
    kind = fields.get("target_jenis")
    if kind in (None, "kosong"):
        return None
    if kind == "angka" and fields.get("target") is not None:
        return _number_key(fields["target"])
    return " ".join((fields.get("target_teks") or "").lower().split())


def _target_shown(fields: dict) -> str:
    if fields.get("target_jenis") == "angka" and fields.get("target") is not None:
        return _shown(fields["target"])
    return fields.get("target_teks") or ""


def _unit(fields: dict) -> str | None:
    return fields.get("satuan") or fields.get("target_satuan")


# besaran -> (comparison key of a statement, or None when it states none; the value as shown in a finding)
BESARAN = {
    "target": (_target_key, _target_shown),
    "realisasi": (lambda f: None if f.get("realisasi") is None else _number_key(f["realisasi"]),
                  lambda f: _shown(f["realisasi"])),
    "capaian": (lambda f: None if f.get("capaian") is None else _number_key(f["capaian"]),
                lambda f: _shown(f["capaian"]) + "%"),
    "satuan": (lambda f: " ".join(_unit(f).lower().split()) if _unit(f) else None, _unit),
    "penanggung_jawab": (lambda f: f.get("penanggung_jawab") or None,
                         lambda f: f.get("nama_jabatan") or f["penanggung_jawab"]),
}


def head_position(ctx: CheckContext) -> str | None:
    """The head of the organisation: the position with no atasan of the highest eselon (Eselon I for a
    Sekretariat Daerah, II for a Biro or Dinas); the first such position when several."""
    if "pimpinan" in ctx.cache:
        return ctx.cache["pimpinan"]
    best: tuple[int, int] | None = None
    head = None
    for n, j in enumerate(ctx.facts.of("jabatan")):
        if j.fields["atasan"]:
            continue
        rank = (ESELON_RANK.get(j.fields["eselon"], 9), n)
        if best is None or rank < best:
            best, head = rank, j.key
    ctx.cache["pimpinan"] = head
    return head


_STATEMENT = {"capaian_hitung": "number", "capaian_rumus": "text", "capaian_sesuai": "bool", "target_nol": "bool",
              "sama_dengan_baris": "bool"}


@check("lkjip.pernyataan", after=("capaian.hitung",), provides={
    "lkjip_pernyataan": _STATEMENT,
    "lkjip_baris": {"target_nol": "bool"},
}, produces={
    "lkjip_selisih": {"indikator": "text", "nama": "text", "besaran": "text", "sepakat": "bool",
                      "jumlah_nilai": "number", "jumlah_pernyataan": "number", "nilai_tempat": "text",
                      "tahun_submisi": "number"},
})
def statements(ctx: CheckContext) -> None:
    """Per statement: its capaian recomputed from its own target and realisasi (zero target: ``target_nol``,
    no capaian), and whether it repeats a row of ``lkjip.baris`` (judged there by LAP-007). Per quantity and
    per besaran stated twice or more: one ``lkjip_selisih`` naming every value and place."""
    if not ctx.facts.of("lkjip"):
        return
    year = ctx.facts.of("lkjip")[0].fields["tahun_submisi"]
    polarity = {i.key: i.fields["polaritas"] for i in ctx.facts.of("indikator")}
    targets = reference_targets(ctx)
    rows = {}
    for row in ctx.facts.of("lkjip_baris"):
        f = row.fields
        rows.setdefault(f["indikator"], set()).add((_target_key(f), f["realisasi"], f["capaian"]))
        own = f["target"] if f["target_jenis"] == "angka" else targets.get(f["indikator"])
        if own is not None:
            ctx.derive(row, target_nol=own == 0)
    groups: dict[str, list[Fact]] = {}
    for st in ctx.facts.of("lkjip_pernyataan"):
        f = st.fields
        groups.setdefault(f["kunci"], []).append(st)
        values: dict = {"sama_dengan_baris": (_target_key(f), f["realisasi"], f["capaian"]) in rows.get(f["indikator"], ())}
        if f["target_jenis"] == "angka" and f["target"] is not None:
            values["target_nol"] = f["target"] == 0
            if f["realisasi"] is not None and f["target"] != 0:
                pol = polarity.get(f["indikator"], "positif")
                computed = compute(f["realisasi"], f["target"], pol)
                values.update(capaian_hitung=computed, capaian_rumus=FORMULA[pol])
                if f["capaian"] is not None:
                    values["capaian_sesuai"] = agrees(f["capaian"], computed)
        ctx.derive(st, **values)
    for kunci, members in groups.items():
        if len(members) < 2:
            continue
        first = members[0].fields
        for besaran, (key_of, shown_of) in BESARAN.items():
            stated = [(key, m) for m in members if (key := key_of(m.fields)) is not None]
            if len(stated) < 2:
                continue
            by_value: dict[object, list[Fact]] = {}
            for key, m in stated:
                by_value.setdefault(key, []).append(m)
            # the places are written out only for a contradiction (the message); an agreement names its value
            text = "; ".join(f"{shown_of(ms[0].fields)} ({'; '.join(_place(m.fields) for m in ms)})"
                             if len(by_value) > 1 else shown_of(ms[0].fields) for ms in by_value.values())
            anchor = stated[0][1]
            ctx.facts.add(
                "lkjip_selisih", f"{kunci}#{besaran}", f"{anchor.path}.{besaran}",
                {"indikator": first["indikator"], "nama": first["nama"], "besaran": besaran,
                 "sepakat": len(by_value) == 1, "jumlah_nilai": Decimal(len(by_value)),
                 "jumlah_pernyataan": Decimal(len(stated)), "nilai_tempat": text, "tahun_submisi": year},
                {k: v for k, v in anchor.where.items() if k not in ("letak", "halaman")},
            )


def _weekday(date: dt.date) -> str:
    return HARI[date.weekday()]


def _shift_year(date: dt.date, years: int) -> dt.date | None:
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 Februari
        return None


@check("lkjip.tahun", produces={
    "lkjip_tahun_tertulis": {"tahun_tertulis": "number", "tahun_submisi": "number", "sesuai": "bool",
                             "jumlah": "number", "tempat": "text"},
}, provides={
    "lkjip_tanggal": {"hari_sebenarnya": "text", "hari_sesuai": "bool", "cocok_tahun_sebelumnya": "bool"},
    "lkjip_tanda_tangan": {"setelah_akhir_tahun": "bool"},
    "lkjip": {"hari_tidak_sesuai": "number", "hari_cocok_tahun_sebelumnya": "number", "daur_ulang": "bool",
              "tanda_draf": "text", "penandatangan_sesuai": "bool", "penandatangan_berbeda": "text"},
})
def reporting_year(ctx: CheckContext) -> None:
    """Weekday of each printed date (``hari_sesuai``; ``cocok_tahun_sebelumnya``: the printed weekday is the
    one the same day had a year earlier); per LKjIP the count of wrong weekdays in the reporting year and of
    those that fit the previous year (``daur_ulang`` when at least 3 and at least half of them do: a
    heuristic); one ``lkjip_tahun_tertulis`` per year printed as a period (year labels and activity dates);
    signatures dated after 31 December of the year (a month-only date counts as its whole month); signature
    blocks whose name or printed title differ; the draft markers."""
    lk_facts = ctx.facts.of("lkjip")
    if not lk_facts:
        return
    lk = lk_facts[0]
    year = int(lk.fields["tahun_submisi"])
    wrong = fits_previous = 0
    for fact in ctx.facts.of("lkjip_tanggal"):
        date = dt.date.fromisoformat(fact.fields["tanggal"])
        values: dict = {"hari_sebenarnya": _weekday(date)}
        printed = fact.fields["hari"]
        if printed:
            values["hari_sesuai"] = printed == _weekday(date)
            earlier = _shift_year(date, -1)
            values["cocok_tahun_sebelumnya"] = earlier is not None and printed == _weekday(earlier)
            if date.year == year and not values["hari_sesuai"]:
                wrong += 1
                fits_previous += values["cocok_tahun_sebelumnya"]
        ctx.derive(fact, **values)
    places: dict[int, list[str]] = {}
    first: dict[int, str] = {}
    for fact in [*ctx.facts.of("lkjip_label_tahun"), *ctx.facts.of("lkjip_tanggal")]:
        printed_year = int(fact.fields["tahun"])
        quote = fact.fields.get("teks") or fact.fields.get("tertulis")
        where = _place(fact.fields)
        places.setdefault(printed_year, []).append(f'"{quote}" ({where})' if quote else where)
        first.setdefault(printed_year, fact.path)
    for printed_year in sorted(places):
        where = places[printed_year]
        ctx.facts.add("lkjip_tahun_tertulis", f"tahun#{printed_year}", first[printed_year],
                      {"tahun_tertulis": Decimal(printed_year), "tahun_submisi": Decimal(year),
                       "sesuai": printed_year == year, "jumlah": Decimal(len(where)), "tempat": "; ".join(where)},
                      {"indikator": f"tahun {printed_year}"})
    signers: dict[str, list[str]] = {}
    titles: dict[str, list[str]] = {}
    shown: dict[str, str] = {}
    for fact in ctx.facts.of("lkjip_tanda_tangan"):
        f = fact.fields
        if f["tanggal"]:
            signed = dt.date.fromisoformat(f["tanggal"])
            ctx.derive(fact, setelah_akhir_tahun=signed > dt.date(year, 12, 31))
        for value, bucket in ((f["nama"], signers), (f["jabatan_tertulis"], titles)):
            if value:
                key = " ".join(re.sub(r"[^0-9a-z]+", " ", value.lower()).split())
                shown.setdefault(key, value)
                bucket.setdefault(key, []).append(_place(f))
    values = {"hari_tidak_sesuai": Decimal(wrong), "hari_cocok_tahun_sebelumnya": Decimal(fits_previous),
              "daur_ulang": fits_previous >= 3 and 2 * fits_previous >= wrong}
    drafts = [f'"{d.fields["teks"]}" ({_place(d.fields)})' for d in ctx.facts.of("lkjip_draf")]
    if drafts:
        values["tanda_draf"] = "; ".join(drafts)
    if len(ctx.facts.of("lkjip_tanda_tangan")) >= 2:
        differences = [f"{what}: " + "; ".join(f'"{shown[k]}" ({", ".join(p)})' for k, p in bucket.items())
                       for what, bucket in (("nama", signers), ("jabatan", titles)) if len(bucket) > 1]
        values["penandatangan_sesuai"] = not differences
        if differences:
            values["penandatangan_berbeda"] = " | ".join(differences)
    ctx.derive(lk, **values)


# Legal bases replaced by later regulation: (jenis contains, nomor, tahun) -> the replacement.
DIGANTI = (
    ("menteri dalam negeri", "54", 2010, "Permendagri Nomor 86 Tahun 2017 (mencabutnya)"),
    ("menteri dalam negeri", "13", 2006, "Permendagri Nomor 77 Tahun 2020 (pengelolaan keuangan daerah)"),
    ("peraturan pemerintah", "38", 2007, "UU Nomor 23 Tahun 2014 (pembagian urusan pemerintahan, Lampiran)"),
    ("peraturan pemerintah", "3", 2007, "PP Nomor 13 Tahun 2019 (mencabutnya)"),
    ("peraturan pemerintah", "6", 2008, "PP Nomor 13 Tahun 2019 (mencabutnya)"),
    ("peraturan pemerintah", "58", 2005, "PP Nomor 12 Tahun 2019 (mencabutnya)"),
    ("aparatur negara", "29", 2010, "PermenPANRB Nomor 53 Tahun 2014 (mencabutnya)"),
    ("instruksi presiden", "7", 1999, "Perpres Nomor 29 Tahun 2014 (mencabutnya)"),
)


@check("lkjip.dasar_hukum", provides={"lkjip_dasar_hukum": {"diganti_oleh": "text"},
                                      "lkjip": {"mengutip_pergub_sakip": "bool"}})
def legal_basis(ctx: CheckContext) -> None:
    """Per cited legal basis: ``diganti_oleh`` when a later regulation replaced it (the table ``DIGANTI``
    above). Per LKjIP with a legal basis transcribed: whether it cites the Pergub Banten 42/2018 on SAKIP."""
    rows = ctx.facts.of("lkjip_dasar_hukum")
    cites = False
    for fact in rows:
        f = fact.fields
        jenis = " ".join(f["jenis"].lower().split())
        nomor = (f["nomor"] or "").strip()
        tahun = int(f["tahun"]) if f["tahun"] is not None else None
        for words, number, year, replacement in DIGANTI:
            if words in jenis and nomor == number and tahun == year:
                ctx.derive(fact, diganti_oleh=replacement)
        if "gubernur" in jenis and nomor == "42" and tahun == 2018:
            cites = True
    if rows:
        for lk in ctx.facts.of("lkjip"):
            ctx.derive(lk, mengutip_pergub_sakip=cites)


@check("lkjip.realisasi", after=("capaian.hitung", "lkjip.pernyataan"), provides={
    "lkjip_baris": {"bukti_kurang": "text", "capaian_rendah": "bool"},
    "lkjip_tanda_tangan": {"sementara": "bool"},
    "pk_indikator": {"pimpinan": "bool", "di_kesimpulan": "bool"},
})
def evidence_and_head(ctx: CheckContext) -> None:
    """Per LKjIP row with a realisasi or capaian: what the report does not give to trace and verify it
    (``bukti_kurang``: sumber data; bukti dukung or metode pengukuran), and ``capaian_rendah`` (recomputed
    capaian, else stated, below 100). Per signature: an acting signer (status Plt./Pj./Plh., or a position
    held by a Plt.). Per PK row: whether its PK is the head's (``pimpinan``), and, when the LKjIP records
    statements, whether its conclusion (bagian kesimpulan) names the indicator (``di_kesimpulan``)."""
    for row in ctx.facts.of("lkjip_baris"):
        f = row.fields
        if f["realisasi"] is None and f["capaian"] is None:
            continue
        lacking = []
        if not f["sumber_data"]:
            lacking.append("sumber data")
        if not f["bukti"] and not f["metode_pengukuran"]:
            lacking.append("bukti dukung atau metode pengukuran")
        values: dict = {"bukti_kurang": ", ".join(lacking) or None}
        capaian = capaian_of(f)
        if capaian is not None and not f.get("target_nol"):
            values["capaian_rendah"] = capaian < HUNDRED
        ctx.derive(row, **values)
    acting = {j.key for j in ctx.facts.of("jabatan") if j.fields["plt"]}
    for sig in ctx.facts.of("lkjip_tanda_tangan"):
        ctx.derive(sig, sementara=sig.fields["status"] != "definitif" or sig.fields["jabatan"] in acting)
    head = head_position(ctx)
    statements = ctx.facts.of("lkjip_pernyataan")
    concluded = {s.fields["indikator"] for s in statements if s.fields["bagian"] == "kesimpulan"}
    for row in ctx.facts.of("pk_indikator"):
        values = {"pimpinan": row.fields["jabatan"] == head}
        if statements:
            values["di_kesimpulan"] = row.fields["indikator"] in concluded
        ctx.derive(row, **values)
