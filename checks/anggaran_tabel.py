"""The budget tables of an LKjIP as a hierarchy (issue 8 item 3): program -> kegiatan -> sub-kegiatan, with
pagu murni, pagu perubahan, realisasi and sisa per row, and the tables' stated totals ("Jumlah"), in the body
and in the annex (Lampiran). Everything is exact (Decimal, Rupiah).

* A row with children (``induk`` in the same table) must equal the sum of its children, per column; a stated
  total ("jumlah") must equal the sum of the table's top rows. A child that states no value in a column is
  counted by the sum of its own children (a program row left empty), never together with them: subtotal rows
  are never counted twice.
* A table's total, for comparisons between tables, is its stated total, else the sum of its top rows when
  every top row states the column; a table whose top rows state nothing has no total (its rows are still
  checked against their children).
* sisa = pagu - realisasi, where pagu is the pagu perubahan when stated, else the pagu murni.
* serapan = realisasi / pagu x 100, compared with the stated percentage at the decimals printed.
* The sasaran a row serves are its own ``sasaran`` and those of its ancestors; a row of one table with the same
  code or the same name (letters and digits) and level as a linked row of another table of the same LKjIP
  serves the same sasaran.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from sakip_checker.checks import CheckContext, check
from sakip_checker.checks.anggaran import TOTAL_FIELDS, totals
from sakip_checker.checks.capaian import HUNDRED, agrees
from sakip_checker.numbers import format_number

COLUMNS = (("pagu_murni", "pagu murni"), ("pagu_perubahan", "pagu perubahan"), ("realisasi", "realisasi"),
           ("sisa", "sisa"))


def rupiah(value: Decimal) -> str:
    return "Rp " + format_number(value)


_NOT_ALNUM = re.compile(r"[^0-9a-z]")


@lru_cache(maxsize=4096)
def _norm(text: str | None) -> str:
    return _NOT_ALNUM.sub("", (text or "").lower())


def place(f: dict) -> str:
    """Where a budget row stands: table, row id or name, page/line."""
    name = f["anggaran"] or f["kode"] or f["uraian"] or f["tingkat"]
    label = f"{f['tabel']} baris {name}" if f["tingkat"] != "jumlah" else f"{f['tabel']} baris jumlah"
    return f"{label} ({f['halaman']})" if f["halaman"] else label


class _Table:
    def __init__(self, name: str):
        self.name = name
        self.rows: list = []
        self.children: dict[str, list] = {}
        self.roots: list = []
        self.totals: list = []  # stated "jumlah" rows
        self.memo: dict[tuple[str, str], Decimal | None] = {}

    def value(self, fact, column: str) -> Decimal | None:
        """The row's stated value, else the sum of its children's values (None when unknown)."""
        stated = fact.fields[column]
        if stated is not None:
            return stated
        key = (fact.id, column)
        if key not in self.memo:
            kids = self.children.get(fact.fields["anggaran"], []) if fact.fields["anggaran"] else []
            self.memo[key] = self.sum(kids, column) if kids else None
        return self.memo[key]

    def sum(self, facts: list, column: str) -> Decimal | None:
        total = Decimal(0)
        for fact in facts:
            value = self.value(fact, column)
            if value is None:
                return None
            total += value
        return total


def tables(ctx: CheckContext) -> dict[str, _Table]:
    if "anggaran_tabel" in ctx.cache:
        return ctx.cache["anggaran_tabel"]
    out: dict[str, _Table] = {}
    for fact in ctx.facts.of("lkjip_anggaran"):
        table = out.get(fact.fields["tabel"])
        if table is None:
            table = out[fact.fields["tabel"]] = _Table(fact.fields["tabel"])
        table.rows.append(fact)
        f = fact.fields
        if f["tingkat"] == "jumlah":
            table.totals.append(fact)
        elif f["induk"] is None:
            table.roots.append(fact)
        else:
            table.children.setdefault(f["induk"], []).append(fact)
    ctx.cache["anggaran_tabel"] = out
    return out


def _pagu(f: dict) -> Decimal | None:
    return f["pagu_perubahan"] if f["pagu_perubahan"] is not None else f["pagu_murni"]


@check("anggaran.tabel", provides={"lkjip_anggaran": {
    "rincian_sesuai": "bool", "rincian_selisih": "text", "rincian_letak": "text", "letak_baris": "text",
    "sisa_hitung": "number", "sisa_sesuai": "bool", "serapan_hitung": "number", "serapan_sesuai": "bool",
}})
def hierarchy(ctx: CheckContext) -> None:
    """Per budget row: ``rincian_sesuai`` (a row with children, or a stated total, equals the sum of its
    children / of the table's top rows in every column both state; where it does not, ``rincian_selisih``
    lists the columns that differ with both amounts and ``rincian_letak`` the rows summed; ``letak_baris``
    names the row where any of these checks fails), ``sisa_hitung``/``sisa_sesuai`` (stated sisa
    against pagu - realisasi), ``serapan_hitung``/``serapan_sesuai`` (stated percentage against realisasi /
    pagu x 100; no serapan on a pagu of zero)."""
    for table in tables(ctx).values():
        for fact in table.rows:
            f = fact.fields
            values: dict = {}
            if f["tingkat"] == "jumlah":
                parts = table.roots
            else:
                parts = table.children.get(f["anggaran"], []) if f["anggaran"] else []
            if parts:
                diffs = []
                judged = False
                for column, label in COLUMNS:
                    stated = f[column]
                    summed = table.sum(parts, column)
                    if stated is None or summed is None:
                        continue
                    judged = True
                    if stated != summed:
                        gap = stated - summed
                        diffs.append(f"{label} tertulis {rupiah(stated)}, jumlah rinciannya {rupiah(summed)} "
                                     f"({rupiah(abs(gap))} {'lebih' if gap > 0 else 'kurang'})")
                if judged:
                    values["rincian_sesuai"] = not diffs
                    if diffs:  # the texts a finding shows, only where there is one
                        values["rincian_selisih"] = "; ".join(diffs)
                        values["rincian_letak"] = ", ".join(
                            (p.fields["anggaran"] or p.fields["uraian"] or "?")
                            + (f" ({p.fields['halaman']})" if p.fields["halaman"] else "") for p in parts)
            pagu = _pagu(f)
            if pagu is not None and f["realisasi"] is not None:
                values["sisa_hitung"] = pagu - f["realisasi"]
                if f["sisa"] is not None:
                    values["sisa_sesuai"] = f["sisa"] == pagu - f["realisasi"]
                if pagu != 0:
                    serapan = f["realisasi"] / pagu * HUNDRED
                    values["serapan_hitung"] = serapan
                    if f["persentase"] is not None:
                        values["serapan_sesuai"] = agrees(f["persentase"], serapan)
            if False in (values.get("rincian_sesuai"), values.get("sisa_sesuai"), values.get("serapan_sesuai")):
                values["letak_baris"] = place(f)
            ctx.derive(fact, **values)


def table_total(table: _Table, column: str) -> tuple[Decimal | None, str | None]:
    """A table's total in one column and where it stands: the stated total row, else the sum of the top rows
    when every top row states the column."""
    for fact in table.totals:
        if fact.fields[column] is not None:
            return fact.fields[column], place(fact.fields)
    if table.roots and all(r.fields[column] is not None for r in table.roots):
        return sum((r.fields[column] for r in table.roots), Decimal(0)), f"{table.name} (jumlah baris teratas)"
    return None, None


_TABLE_FIELDS = {"tabel": "text", "sumber": "text", "total_pagu": "number", "total_realisasi": "number",
                 "letak_total": "text", "badan_berbeda": "text", "sama_dengan_badan": "bool",
                 "tanpa_sasaran": "number", "tanpa_sasaran_persen": "number", "tanpa_sasaran_rincian": "text",
                 "dua_sasaran_rincian": "text", "jumlah_dua_sasaran": "number"}


@check("anggaran.antartabel", after=("anggaran.tabel",), produces={"lkjip_anggaran_tabel": _TABLE_FIELDS})
def between_tables(ctx: CheckContext) -> None:
    """One ``lkjip_anggaran_tabel`` fact per budget table: its total pagu (perubahan, else murni) and realisasi
    (``table_total``); for an annex table, ``sama_dengan_badan`` compares it with every body table that has a
    total and with ``lkjip.total_anggaran`` (``badan_berbeda`` names the ones that differ); when the LKjIP
    links any budget row to a sasaran, ``tanpa_sasaran`` is the amount of the table linked to no sasaran
    (top-most unlinked rows, so nothing is counted twice) and ``tanpa_sasaran_persen`` its share of the
    table's total; ``dua_sasaran_rincian`` names the top-most rows whose rupiah serve two or more sasaran."""
    all_tables = tables(ctx)
    if not all_tables:
        return
    # sasaran per row: own + ancestors, within its table; then a row with none takes those of a linked row
    # of another table with the same code, or the same level and name
    own: dict[str, set[str]] = {}
    inherited: dict[str, set[str]] = {}
    for table in all_tables.values():
        by_id = {r.fields["anggaran"]: r for r in table.rows if r.fields["anggaran"]}
        for fact in table.rows:
            own[fact.id] = set(filter(None, (s.strip() for s in (fact.fields["sasaran"] or "").split(","))))

        def up(fact, by_id=by_id) -> set[str]:
            if fact.id not in inherited:
                parent = by_id.get(fact.fields["induk"]) if fact.fields["induk"] else None
                inherited[fact.id] = own[fact.id] | (up(parent) if parent is not None else set())
            return inherited[fact.id]

        for fact in table.rows:
            up(fact)
    linked_by_name: dict[tuple[str, str], set[str]] = {}
    for table in all_tables.values():
        for fact in table.rows:
            f = fact.fields
            if inherited[fact.id] and f["tingkat"] != "jumlah":
                for key in (("kode", _norm(f["kode"])), (f["tingkat"], _norm(f["uraian"]))):
                    if key[1]:
                        linked_by_name.setdefault(key, set()).update(inherited[fact.id])
    any_link = any(own.values())
    effective: dict[str, set[str]] = {}
    for table in all_tables.values():
        by_id = {r.fields["anggaran"]: r for r in table.rows if r.fields["anggaran"]}

        def serve(fact, by_id=by_id) -> set[str]:
            if fact.id in effective:
                return effective[fact.id]
            f = fact.fields
            result = set(own[fact.id])
            if not inherited[fact.id]:  # linked through its own table: no need to look elsewhere
                for key in (("kode", _norm(f["kode"])), (f["tingkat"], _norm(f["uraian"]))):
                    if key[1]:
                        result |= linked_by_name.get(key, set())
            parent = by_id.get(f["induk"]) if f["induk"] else None
            if parent is not None:
                result = result | serve(parent)
            effective[fact.id] = result
            return result

        for fact in table.rows:
            if fact.fields["tingkat"] != "jumlah":
                serve(fact)

    lk = ctx.facts.of("lkjip")
    stated_total = lk[0].fields["total_anggaran"] if lk else None
    body: list[tuple[str, Decimal]] = []
    for table in all_tables.values():
        if any(r.fields["sumber"] == "badan" for r in table.rows):
            total, where = table_total(table, "pagu_perubahan")
            if total is None:
                total, where = table_total(table, "pagu_murni")
            if total is not None:
                body.append((where, total))
    if stated_total is not None:
        body.append(("jumlah anggaran yang dinyatakan LKjIP", stated_total))

    for name, table in all_tables.items():
        sumber = table.rows[0].fields["sumber"]
        pagu, where = table_total(table, "pagu_perubahan")
        if pagu is None:
            pagu, where = table_total(table, "pagu_murni")
        realisasi, _ = table_total(table, "realisasi")
        fields: dict = {"tabel": name, "sumber": sumber, "total_pagu": pagu, "total_realisasi": realisasi,
                        "letak_total": where}
        if sumber == "lampiran" and pagu is not None and body:
            differ = [f"{w}: {rupiah(v)}" for w, v in body if v != pagu]
            fields["sama_dengan_badan"] = not differ
            fields["badan_berbeda"] = "; ".join(differ) or None
        if any_link:
            unlinked, rows = Decimal(0), []
            double, double_rows = Decimal(0), []

            def walk(fact, table=table) -> bool:
                """Adds the unlinked amount under ``fact`` and the top-most rows serving two sasaran or more;
                False when an unlinked amount is unknown."""
                nonlocal unlinked, double
                targets = effective.get(fact.id, set())
                value = table.value(fact, "pagu_perubahan")
                if value is None:
                    value = table.value(fact, "pagu_murni")
                kids = table.children.get(fact.fields["anggaran"], []) if fact.fields["anggaran"] else []
                if len(targets) >= 2:
                    double_rows.append(f"{place(fact.fields)} ({', '.join(sorted(targets))})")
                    double += value or 0
                    return True
                if targets:
                    for kid in kids:
                        walk(kid)  # only to find rows serving two sasaran; the amount is linked
                    return True
                if kids and any(effective.get(k.id) for k in kids):
                    return all([walk(k) for k in kids])
                if value is None:
                    return False
                if value:
                    unlinked += value
                    rows.append(f"{place(fact.fields)} {rupiah(value)}")
                return True

            known = all([walk(root) for root in table.roots])
            fields["dua_sasaran_rincian"] = "; ".join(double_rows) or None
            fields["jumlah_dua_sasaran"] = Decimal(len(double_rows))
            if known and pagu:
                fields["tanpa_sasaran"] = unlinked
                fields["tanpa_sasaran_persen"] = unlinked / pagu * HUNDRED
                fields["tanpa_sasaran_rincian"] = "; ".join(rows[:10]) + (
                    f"; dan {len(rows) - 10} baris lain" if len(rows) > 10 else "") if rows else None
        anchor = (table.totals or table.rows)[0]
        ctx.facts.add("lkjip_anggaran_tabel", name, anchor.path, fields, {"indikator": name})


check("anggaran.jumlah_lkjip", after=("anggaran.antartabel",), provides={"lkjip": TOTAL_FIELDS})(totals)
