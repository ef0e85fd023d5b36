"""Lampiran A of the Pergub as reference data (``rules/<pack>/_reference/lampiran-a.yaml``, generated
from the structured extract, and ``pemetaan.yaml``, the hand-kept name mapping).

Texts are compared letters-and-digits only (case, spaces and punctuation dropped), which bridges the
hyphenation splits of the PDF conversion ("Penyele nggaraan") and nothing more: a renamed OPD, program
or official is found only through ``pemetaan.yaml`` or ``profil.nama_lampiran``, never by similarity.
"""

from __future__ import annotations

import re
from typing import Any

from sakip_checker.checks import CheckContext, check

TUJUAN_HOLDER = re.compile(r"^(sekretarisdaerah|asisten|stafahli)")
UNCERTAIN = ("Sel penanggung jawab baris ini tercetak sebagai sel gabungan yang pembacaannya tidak pasti; "
             "pastikan dengan naskah Lampiran.")


def norm(text: str | None) -> str:
    """Letters and digits only, lower case; 'Sekertaris' (the Lampiran's spelling) read as 'Sekretaris'."""
    t = (text or "").lower().replace("sekertaris", "sekretaris")
    return re.sub(r"[^0-9a-z]", "", t)


class Lampiran:
    """Lookups over the two reference files (a few hundred names), built once per evaluation."""

    def __init__(self, reference: dict[str, Any]):
        annex, mapping = reference["lampiran-a"], reference["pemetaan"]
        self.a2 = {norm(row["opd"]): row for row in annex["tabel_a2"]}
        self.blocks = {b["blok"]: b for b in annex["blok"]}
        self.opd_map = {norm(m["nama"]): m["lampiran"] for m in mapping["opd"]}
        self.program_map = {norm(m["nama"]): [norm(x) for x in m["lampiran"]] for m in mapping["program"]}
        self.official = {norm(m["nama"]): norm(m["lampiran"]) for m in mapping["jabatan"]}
        self.a1 = annex["tabel_a1"]
        self.a1_names = {row["indikator"]: [norm(n) for n in mapping["indikator_a1"][row["indikator"]]]
                         for row in self.a1}
        self.a1_owners = {row["indikator"]: {norm(pj) for pj in row["penanggung_jawab"]} for row in self.a1}
        self.a1_holders = set().union(*self.a1_owners.values())

    def a2_rows(self, opd: str, nama_lampiran: str | None) -> list[dict]:
        """The Tabel A.2 rows of an OPD: its own name, else the name it gives, else the mapping table."""
        for name in (nama_lampiran, opd):
            if name and norm(name) in self.a2:
                return [self.a2[norm(name)]]
        return [self.a2[norm(n)] for n in self.opd_map.get(norm(opd), []) if norm(n) in self.a2]

    def official_key(self, name: str) -> str | None:
        """The Tabel A.1 spelling of an official's position name, or None if it holds no Tujuan indicator."""
        n = norm(name).removesuffix("provinsibanten")
        key = self.official.get(n, n)
        return key if key in self.a1_holders else None

    def a1_indicator(self, name: str) -> str | None:
        """The Tabel A.1 indicator an indicator name denotes (exact, or a known full name contained in it)."""
        n = norm(name)
        for short, names in self.a1_names.items():
            if any(n == x or (len(x) > 4 and x in n) for x in names):
                return short
        return None


def lampiran(ctx: CheckContext) -> Lampiran:
    if "lampiran" not in ctx.cache:
        ctx.cache["lampiran"] = Lampiran(ctx.reference)
    return ctx.cache["lampiran"]


def _jabatan_names(ctx: CheckContext) -> dict[str, str]:
    return {j.id: j.nama for j in ctx.submission.jabatan}


@check("lampiran.opd", provides={
    "opd": {"lampiran_dikenal": "bool", "lampiran_opd": "text", "lampiran_kelompok": "text",
            "lampiran_asisten": "text", "kelompok_sesuai": "bool", "asisten_sesuai": "bool"},
    "indikator": {"asisten_lampiran": "text", "asisten_pj_sesuai": "bool"},
})
def opd_group(ctx: CheckContext) -> None:
    """Tabel A.2: the OPD's Kelompok and Asisten. ``kelompok_sesuai`` / ``asisten_sesuai`` compare what the
    profil states (absent when it states nothing). On a Tujuan-level indicator whose responsible official
    is an Asisten Daerah, ``asisten_pj_sesuai`` says whether it is the Asisten of the OPD's Kelompok."""
    lam = lampiran(ctx)
    fact = ctx.facts.of("opd")[0]
    f = fact.fields
    rows = lam.a2_rows(f["opd"], f["nama_lampiran"])
    if not rows:
        ctx.derive(fact, lampiran_dikenal=False)
        return
    groups = sorted({r["kelompok"] for r in rows})
    assistants = sorted({r["asisten"] for r in rows})
    assistant_keys = {norm(a) for a in assistants}
    values: dict[str, Any] = {"lampiran_dikenal": True, "lampiran_opd": ", ".join(r["opd"] for r in rows),
                              "lampiran_kelompok": ", ".join(groups), "lampiran_asisten": ", ".join(assistants)}
    if f["kelompok"]:
        values["kelompok_sesuai"] = norm(f["kelompok"]).removeprefix("kelompok") in {norm(g) for g in groups}
    if f["asisten"]:
        values["asisten_sesuai"] = lam.official_key(f["asisten"]) in assistant_keys
    ctx.derive(fact, **values)
    names = _jabatan_names(ctx)
    for ind in ctx.facts.of("indikator"):
        pj = names.get(ind.fields["penanggung_jawab"] or "")
        key = lam.official_key(pj) if pj else None
        if ind.fields["level"] == "tujuan" and key and key.startswith("asisten"):
            ctx.derive(ind, asisten_lampiran=", ".join(assistants),
                       asisten_pj_sesuai=key in assistant_keys)


@check("lampiran.cascade", after=("lampiran.opd",), provides={
    "indikator": {"lampiran_dikenal": "bool", "lampiran_cocok": "bool", "lampiran_blok": "text"},
})
def cascade(ctx: CheckContext) -> None:
    """Tabel A.3-A.5: for each sasaran- and program-level indicator of an OPD found in Tabel A.2, whether
    the Lampiran distributes to that OPD's block(s) its sasaran/program (uraian: exact normalised text, or
    a program through the mapping) or the indicator itself (nama, among that level's indicators)."""
    lam = lampiran(ctx)
    opd = ctx.facts.of("opd")[0].fields
    rows = lam.a2_rows(opd["opd"], opd["nama_lampiran"])
    blocks = [lam.blocks[r["blok"]] for r in rows]
    block_names = ", ".join(dict.fromkeys(b["blok"] for b in blocks))
    known = {
        "sasaran": ({norm(s["sasaran"]) for b in blocks for s in b["sasaran"]},
                    {norm(i) for b in blocks for s in b["sasaran"] for i in s["indikator"]}),
        "program": ({norm(p["program"]) for b in blocks for p in b["program"]},
                    {norm(i) for b in blocks for p in b["program"] for i in p["indikator"]}),
    }
    for ind in ctx.facts.of("indikator"):
        level = ind.fields["level"]
        if level not in ("sasaran", "program"):
            continue
        if not blocks:
            ctx.derive(ind, lampiran_dikenal=False)
            continue
        names, indicators = known[level]
        text = norm(ind.fields["uraian"])
        found = (text in names or norm(ind.fields["nama"]) in indicators
                 or (level == "program" and any(x in names for x in lam.program_map.get(text, []))))
        ctx.derive(ind, lampiran_dikenal=True, lampiran_cocok=found, lampiran_blok=block_names)


@check("lampiran.a1", provides={
    "pk_indikator": {"pemegang_tujuan": "bool", "indikator_a1": "text", "a1_milik_jabatan": "bool"},
}, produces={
    "kewajiban_a1": {"jabatan": "text", "nama_jabatan": "text", "indikator_a1": "text", "baris": "text",
                     "ada_di_pk": "bool", "catatan_pembacaan": "text"},
})
def macro_indicators(ctx: CheckContext) -> None:
    """Tabel A.1 (Pasal 12 ayat (4) huruf a): on each PK row of a Sekretaris Daerah, Asisten Daerah or Staf
    Ahli, ``pemegang_tujuan`` and the Tabel A.1 indicator it denotes (``indikator_a1``, absent when none)
    and whether Tabel A.1 gives it to that official. Per such official of the submission and per Tabel
    A.1 indicator assigned to it, one ``kewajiban_a1`` fact saying whether its PK in force carries it."""
    lam = lampiran(ctx)
    carried: dict[str, set[str]] = {}
    for row in ctx.facts.of("pk_indikator"):
        f = row.fields
        key = lam.official_key(f["nama_jabatan"])
        if key is None or not TUJUAN_HOLDER.match(key):
            continue
        short = lam.a1_indicator(f["nama"])
        values: dict[str, Any] = {"pemegang_tujuan": True}
        if short:
            values.update(indikator_a1=short, a1_milik_jabatan=key in lam.a1_owners[short])
            if f["pk_berlaku"]:
                carried.setdefault(f["jabatan"], set()).add(short)
        ctx.derive(row, **values)
    pk_index = {pk.jabatan: i for i, pk in enumerate(ctx.submission.perjanjian_kinerja)}
    for i, jab in enumerate(ctx.submission.jabatan):
        key = lam.official_key(jab.nama)
        if key is None or not TUJUAN_HOLDER.match(key):
            continue
        where = f"perjanjian_kinerja[{pk_index[jab.id]}]" if jab.id in pk_index else f"jabatan[{i}]"
        for r in lam.a1:
            if key in lam.a1_owners[r["indikator"]]:
                first, last = r["baris"][0], r["baris"][-1]
                lines = str(first) if first == last else f"{first}-{last}"
                ctx.facts.add(
                    "kewajiban_a1", f"{jab.id}#{r['indikator']}", f"{where}.indikator[a1={r['indikator']}]",
                    {"jabatan": jab.id, "nama_jabatan": jab.nama, "indikator_a1": r["indikator"],
                     "baris": lines, "ada_di_pk": r["indikator"] in carried.get(jab.id, set()),
                     "catatan_pembacaan": UNCERTAIN if r.get("tidak_pasti") else ""},
                    {"jabatan": jab.nama, "eselon": jab.eselon.value, "indikator": r["indikator"]})


@check("lampiran.direktur", provides={"pk_indikator": {"direktur": "bool"}})
def director(ctx: CheckContext) -> None:
    """``direktur`` on every PK row: whether the position is a Direktur (e.g. Direktur RSUD). Tabel A.2
    kolom (b) gives Direktur program indicators, while the Tabel A.3-A.5 block of Dinas Kesehatan names the
    Direktur RSUD Banten and RSUD Malingping beside the Kepala Dinas for a sasaran indicator: a Direktur's
    level follows neither Pasal 12 ayat (4) nor the eselon mapping, whatever its eselon."""
    for row in ctx.facts.of("pk_indikator"):
        ctx.derive(row, direktur=norm(row.fields["nama_jabatan"]).startswith("direktur"))


@check("lampiran.bawaan", after=("lampiran.opd",), produces={
    "kewajiban_blok": {"jenis": "text", "uraian": "text", "indikator_lampiran": "text", "blok": "text",
                       "ada": "bool"},
})
def assigned(ctx: CheckContext) -> None:
    """Tabel A.3-A.5 seen from the Lampiran side (Pasal 12 ayat (7)): for an OPD found in Tabel A.2, one
    ``kewajiban_blok`` fact per sasaran and per program its block(s) assign to it, ``ada`` saying whether
    the OPD's cascade carries it: an indicator of that level whose uraian is the Lampiran's (exact
    normalised text, or a program through the mapping) or whose name is one of the Lampiran's indicators
    for it. The reverse of ``lampiran.cascade`` (OPD -> Lampiran)."""
    lam = lampiran(ctx)
    opd = ctx.facts.of("opd")[0].fields
    rows = lam.a2_rows(opd["opd"], opd["nama_lampiran"])
    if not rows or not ctx.submission.indikator:
        return
    carried: dict[str, tuple[set[str], set[str]]] = {"sasaran": (set(), set()), "program": (set(), set())}
    for ind in ctx.facts.of("indikator"):
        level = ind.fields["level"]
        if level in carried:
            text = norm(ind.fields["uraian"])
            carried[level][0].add(text)
            carried[level][0].update(lam.program_map.get(text, []) if level == "program" else [])
            carried[level][1].add(norm(ind.fields["nama"]))
    for block in dict.fromkeys(r["blok"] for r in rows):
        b = lam.blocks[block]
        for level in ("sasaran", "program"):
            names, indicators = carried[level]
            for item in b[level]:
                uraian = item[level]
                has = norm(uraian) in names or any(norm(i) in indicators for i in item["indikator"])
                ctx.facts.add(
                    "kewajiban_blok", f"{block}#{level}#{norm(uraian)}", f"indikator[{level}={uraian}]",
                    {"jenis": level, "uraian": uraian, "indikator_lampiran": "; ".join(item["indikator"]),
                     "blok": f"{block}, Tabel {b['tabel']}" + (f" baris {item['baris']}" if item.get("baris") else ""),
                     "ada": has},
                    {"blok": block, level: uraian})
