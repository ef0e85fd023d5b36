"""Structure of the PK set: weights per PK (Pasal 12 ayat (6), Pasal 16) and the cascade of PK
indicators from one position to its superior (Pasal 15)."""

from __future__ import annotations

from decimal import Decimal

from sakip_checker.checks import CheckContext, check

HUNDRED = Decimal(100)


@check("struktur.bobot", provides={"pk": {"bobot_terisi": "text", "bobot_total": "number", "bobot_sesuai": "bool"}})
def weights(ctx: CheckContext) -> None:
    """Per PK: are weights given for every indicator (``bobot_terisi``: semua / sebagian / tidak ada),
    their exact sum, and whether all are positive and sum to exactly 100 (``bobot_sesuai``, only when all
    are given)."""
    rows_by_pk: dict[str, list] = {}
    for row in ctx.facts.of("pk_indikator"):
        rows_by_pk.setdefault(row.fields["pk"], []).append(row.fields.get("bobot"))
    for pk in ctx.facts.of("pk"):
        weights_ = rows_by_pk.get(pk.key, [])
        given = [w for w in weights_ if w is not None]
        if not weights_ or not given:
            ctx.derive(pk, bobot_terisi="tidak ada")
            continue
        total = sum(given, Decimal(0))
        if len(given) < len(weights_):
            ctx.derive(pk, bobot_terisi="sebagian", bobot_total=total)
            continue
        ctx.derive(pk, bobot_terisi="semua", bobot_total=total,
                   bobot_sesuai=total == HUNDRED and all(w > 0 for w in given))


@check(
    "struktur.pk_atasan",
    provides={"pk_indikator": {"induk_di_pk_atasan": "bool", "jabatan_atasan": "text", "induk": "text"}},
)
def cascade_to_superior(ctx: CheckContext) -> None:
    """For PK indicators of a position with a superior: is the indicator's parent (``induk`` in the
    cascade) an indicator of the superior's PK in force? Absent when the position has no superior or the
    superior has no PK (then it cannot be verified)."""
    sub = ctx.submission
    superior = {j.id: j.atasan for j in sub.jabatan}
    names = {j.id: j.nama for j in sub.jabatan}
    parent_of = {i.id: i.induk for i in sub.indikator}
    in_force_indicators: dict[str, set[str]] = {}
    for row in ctx.facts.of("pk_indikator"):
        if row.fields["pk_berlaku"]:
            in_force_indicators.setdefault(row.fields["jabatan"], set()).add(row.fields["indikator"])
    for row in ctx.facts.of("pk_indikator"):
        boss = superior.get(row.fields["jabatan"])
        parent = parent_of.get(row.fields["indikator"])
        if boss is None or boss not in in_force_indicators:
            continue
        ctx.derive(row, jabatan_atasan=names[boss], induk=parent,
                   induk_di_pk_atasan=parent is not None and parent in in_force_indicators[boss])


@check("struktur.skp", provides={"pk_indikator": {"di_skp": "bool"}})
def in_skp(ctx: CheckContext) -> None:
    """Pasal 29 ayat (3): for a PK in force whose holder's SKP is in the submission, whether the SKP
    contains each PK indicator. Absent when the holder's SKP is not given."""
    skp: dict[str, set[str]] = {}
    for s in ctx.submission.skp:
        skp.setdefault(s.jabatan, set()).update(s.indikator)
    for row in ctx.facts.of("pk_indikator"):
        if row.fields["pk_berlaku"] and row.fields["jabatan"] in skp:
            ctx.derive(row, di_skp=row.fields["indikator"] in skp[row.fields["jabatan"]])


@check("struktur.peran", provides={"indikator": {"peran_opd": "text"}})
def role(ctx: CheckContext) -> None:
    """The submitting organisation's role (``profil.peran``: opd, bappeda, inspektorat, sekretariat_daerah) on
    every cascade indicator, for rules whose duty the Pergub gives to one role only (e.g. Pasal 6: Bappeda)."""
    for ind in ctx.facts.of("indikator"):
        ctx.derive(ind, peran_opd=ctx.submission.profil.peran)


@check("struktur.iku", provides={"indikator": {"iku_lengkap": "bool", "iku_kurang": "text"}})
def key_indicators(ctx: CheckContext) -> None:
    """Pasal 4 (Kinerja Utama "indikator dan target" formulated "dengan penganggarannya"): on every IKU
    indicator (marked ``iku`` or listed in the iku section), what it lacks: a single numeric target, a unit,
    a program-level indicator in the cascade below it (the budget is set on programs), and, when the
    submission has a Formulir B.1 and the programs carry codes, a pagu on a row of such a program or of a
    kegiatan/sub-kegiatan under it (matched by code, read with or without dots; never by name).
    ``iku_lengkap`` when nothing lacks."""
    from sakip_checker.checks.renja import code_key

    sub = ctx.submission
    listed = set(sub.iku.indikator) if sub.iku is not None else set()
    children: dict[str, list] = {}
    for ind in sub.indikator:
        if ind.induk:
            children.setdefault(ind.induk, []).append(ind)
    funded = {code_key(r.kode) for r in sub.renja if r.kode and ((r.dana_rka or 0) > 0 or (r.dana_renja or 0) > 0)}
    funded.discard(None)

    def programs_below(ident: str, seen: set[str]) -> list:
        found = []
        for child in children.get(ident, []):
            if child.id in seen:
                continue
            seen.add(child.id)
            found += [child] if child.level.value == "program" else programs_below(child.id, seen)
        return found

    for fact in ctx.facts.of("indikator"):
        f = fact.fields
        if not (f["iku"] or fact.key in listed):
            continue
        lacking = []
        if f["target_jenis"] != "angka":
            lacking.append("target angka")
        if not f["satuan"]:
            lacking.append("satuan")
        programs = [fact.source] if f["level"] == "program" else programs_below(fact.key, {fact.key})
        if not programs:
            lacking.append("program pendukung dalam cascade")
        elif sub.renja and any(p.kode for p in programs) and not any(
                p.kode and any(k == code_key(p.kode) or k.startswith(code_key(p.kode) + ".") for k in funded)
                for p in programs):
            lacking.append("pagu program pendukung dalam Formulir B.1")
        ctx.derive(fact, iku_lengkap=not lacking, iku_kurang=", ".join(lacking) or None)
