"""What a clerk reads off a printed LKjIP besides its statements and budget sums (issue 8, the measured goal on
the LKIP 2021: its defects 7, 35, 41, 42 and 49).

* A funded budget row that was not executed: pagu above zero and realisasi zero (or its realisasi cell empty in a
  table whose other rows state realisasi, and no children to stand for it). Only the top-most such row is
  marked (a kegiatan with nothing spent is one finding, not one per sub-kegiatan). A row whose planned output is
  0 is the placeholder case (money without a planned output), judged by its own rule, never by both.
* A count the report states ("45 keluaran") recounted: program/kegiatan/sub-kegiatan as rows of the budget
  table it names; keluaran as the output indicators of the Eselon IV Perjanjian Kinerja (Pasal 12 ayat (4)
  huruf d: Indikator Output untuk Kepala Seksi/Sub. Bagian/Sub. Bidang).
* A statement that an indicator cannot be measured, against the realisasi the report states for it elsewhere.
* A keterangan of a budget row with output columns that reads as an indicator name ("Persentase ...") instead
  of the output of that row (a word heuristic).
* A Tabel B.2 rating the report states, against the band of the recomputed capaian (only inside a printed band:
  a capaian in a gap of the table, or above 100 %, is not judged). A report that states no rating is no finding:
  the Pergub gives the scale to the Kepala Bappeda's assessment (Lampiran B angka 4), not to the LKjIP.
"""

from __future__ import annotations

from decimal import Decimal

from sakip_checker.checks import CheckContext, check
from sakip_checker.checks.anggaran_tabel import tables
from sakip_checker.checks.teks import HEURISTIC_FIELDS, normalise
from sakip_checker.model import Eselon
from sakip_checker.numbers import format_number


def _pagu(f: dict) -> Decimal | None:
    return f["pagu_perubahan"] if f["pagu_perubahan"] is not None else f["pagu_murni"]


@check("anggaran.tanpa_realisasi", provides={"lkjip_anggaran": {
    "tidak_dilaksanakan": "bool", "realisasi_tertulis": "text", "keluaran_tertulis": "text",
}})
def not_executed(ctx: CheckContext) -> None:
    """Per kegiatan/sub-kegiatan/program row with a pagu above zero whose realisasi is known:
    ``tidak_dilaksanakan`` is true when nothing of it was spent (realisasi 0, or the realisasi cell empty in a
    table whose other rows state realisasi and no children to sum) and its parent is not itself unspent; false
    when something was spent. Rows planning an output of 0 are left to the placeholder rule.
    ``realisasi_tertulis`` says what was printed, ``keluaran_tertulis`` the output columns when stated."""
    for table in tables(ctx).values():
        column_used = any(r.fields["realisasi"] is not None for r in table.rows)
        by_id = {r.fields["anggaran"]: r for r in table.rows if r.fields["anggaran"]}

        def unspent(fact) -> bool | None:
            """True: pagu > 0 and nothing spent; False: pagu > 0 and money spent; None: not judged."""
            f = fact.fields
            pagu = _pagu(f)
            if f["tingkat"] == "jumlah" or pagu is None or pagu <= 0:
                return None
            if f["target_keluaran"] is not None and f["target_keluaran"] == 0:
                return None
            spent = table.value(fact, "realisasi")
            if spent is None:
                kids = table.children.get(f["anggaran"], []) if f["anggaran"] else []
                return True if column_used and not kids else None
            return spent == 0

        for fact in table.rows:
            verdict = unspent(fact)
            if verdict is None:
                continue
            f = fact.fields
            parent = by_id.get(f["induk"]) if f["induk"] else None
            if verdict and parent is not None and unspent(parent):
                continue  # the parent row is the one finding
            values: dict = {"tidak_dilaksanakan": verdict}
            if verdict:
                values["realisasi_tertulis"] = ("Rp 0" if f["realisasi"] is not None else "kosong")
                if f["target_keluaran"] is not None or f["realisasi_keluaran"] is not None:
                    shown = [f"rencana keluaran {format_number(f['target_keluaran'])}"
                             if f["target_keluaran"] is not None else "rencana keluaran tidak tercetak",
                             f"realisasi keluaran {format_number(f['realisasi_keluaran'])}"
                             if f["realisasi_keluaran"] is not None else "realisasi keluaran tidak tercetak"]
                    values["keluaran_tertulis"] = ", ".join(shown) + (
                        f" {f['satuan_keluaran']}" if f["satuan_keluaran"] else "")
                else:
                    values["keluaran_tertulis"] = "kolom keluaran tidak tercetak"
            ctx.derive(fact, **values)


@check("lkjip.jumlah", provides={"lkjip_jumlah": {"jumlah_hitung": "number", "jumlah_sesuai": "bool",
                                                  "dasar_hitung": "text"}})
def stated_counts(ctx: CheckContext) -> None:
    """Per stated count: ``jumlah_hitung`` (rows of that tingkat in the named budget table; for keluaran the
    distinct indicators of the Eselon IV Perjanjian Kinerja), ``jumlah_sesuai`` and ``dasar_hitung`` (what was
    counted). Not derived when there is nothing to count from (no table named, no Eselon IV PK)."""
    sub = ctx.submission
    eselon = {j.id: j.eselon for j in sub.jabatan}
    output_ids: list[str] = []
    pks = [pk for pk in sub.perjanjian_kinerja if eselon.get(pk.jabatan) == Eselon.IV]
    for pk in pks:
        for row in pk.indikator:
            if row.indikator not in output_ids:
                output_ids.append(row.indikator)
    all_tables = tables(ctx) if ctx.facts.of("lkjip_jumlah") else {}
    for fact in ctx.facts.of("lkjip_jumlah"):
        f = fact.fields
        if f["besaran"] == "keluaran":
            if not pks:
                continue
            counted = Decimal(len(output_ids))
            basis = f"indikator output pada {len(pks)} Perjanjian Kinerja Eselon IV"
        else:
            table = all_tables.get(f["tabel"]) if f["tabel"] else None
            if table is None:
                continue
            counted = Decimal(sum(1 for r in table.rows if r.fields["tingkat"] == f["besaran"]))
            basis = f"baris {f['besaran'].replace('_', '-')} pada {table.name}"
        ctx.derive(fact, jumlah_hitung=counted, jumlah_sesuai=counted == f["jumlah"], dasar_hitung=basis)


@check("lkjip.tidak_terukur", provides={"lkjip_pernyataan": {"ada_realisasi_lain": "bool",
                                                             "realisasi_lain": "text"}})
def unmeasurable_yet_reported(ctx: CheckContext) -> None:
    """Per statement saying its indicator cannot be measured: ``ada_realisasi_lain`` (the LKjIP row or another
    statement of the same indicator, or of the same uraian when it names no indicator, states a realisasi) and ``realisasi_lain`` (those values with their places)."""
    flagged = [f for f in ctx.facts.of("lkjip_pernyataan") if f.fields["tidak_dapat_diukur"]]
    if not flagged:
        return
    stated: dict[str, list[str]] = {}
    for row in ctx.facts.of("lkjip_baris"):
        if row.fields["realisasi"] is not None:
            stated.setdefault(row.fields["indikator"], []).append(
                f"{format_number(row.fields['realisasi'])} (baris LKjIP)")
    for st in ctx.facts.of("lkjip_pernyataan"):
        f = st.fields  # kunci: the indicator id, else the statement's normalised uraian (the same quantity)
        if f["realisasi"] is not None and not f["tidak_dapat_diukur"]:
            where = ", ".join(filter(None, (f["letak"], f["halaman"]))) or "tanpa letak"
            stated.setdefault(f["kunci"], []).append(f"{format_number(f['realisasi'])} ({where})")
    for fact in flagged:
        found = stated.get(fact.fields["kunci"], [])
        ctx.derive(fact, ada_realisasi_lain=bool(found), realisasi_lain="; ".join(found) or None)


@check("lkjip.peringkat_tertulis", after=("tabel_b2.peringkat",), provides={"lkjip_baris": {"peringkat_sesuai": "bool"}})
def stated_rating(ctx: CheckContext) -> None:
    """Per LKjIP row stating a Tabel B.2 rating whose recomputed capaian sits inside a printed band of the table
    (not in one of its gaps, not above 100 %): ``peringkat_sesuai``."""
    for fact in ctx.facts.of("lkjip_baris"):
        f = fact.fields
        if f["peringkat_tertulis"] is not None and f.get("peringkat") is not None and f.get("peringkat_catatan") is None:
            ctx.derive(fact, peringkat_sesuai=f["peringkat_tertulis"].lower() == f["peringkat"].lower())


# The first word of an indicator name (what is measured), never of an output ("Tersusunnya ...", "Terlaksananya
# ...", "Dokumen ..."). A word heuristic: a rule reading it is tagged heuristik and is never an error.
INDICATOR_WORDS = ("persentase", "presentase", "prosentase", "jumlah", "indeks", "nilai", "rasio", "tingkat",
                   "capaian", "proporsi", "angka", "skor")
HEURISTIC_FIELDS.setdefault("lkjip_anggaran", set()).add("keterangan_indikator")


@check("anggaran.keterangan", provides={"lkjip_anggaran": {"keterangan_indikator": "bool", "kata_indikator": "text"}})
def output_description(ctx: CheckContext) -> None:
    """Per budget row that prints its output columns and a keterangan (the output it describes):
    ``keterangan_indikator`` is true when the keterangan reads as an indicator name (its first word is one of
    ``INDICATOR_WORDS``) rather than the output of the row; ``kata_indikator`` is that word."""
    for fact in ctx.facts.of("lkjip_anggaran"):
        f = fact.fields
        if f["keterangan"] is None or f["target_keluaran"] is None:
            continue
        words = normalise(f["keterangan"]).split()
        first = words[0] if words else ""
        values: dict = {"keterangan_indikator": first in INDICATOR_WORDS}
        if first in INDICATOR_WORDS:
            values["kata_indikator"] = f["keterangan"].split()[0]  # as printed
        ctx.derive(fact, **values)
