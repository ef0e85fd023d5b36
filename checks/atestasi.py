"""Attested documents whose date the regulation fixes: the two reports Pasal 11 requires "di akhir tahun"
(Laporan Analisis Efisiensi Penggunaan Sumber Daya, Laporan Realisasi Kinerja dan Anggaran)."""

from __future__ import annotations

from sakip_checker.checks import CheckContext, check

YEAR_END_DUTIES = ("PG42-P11.2", "PG42-P11.3")


@check("atestasi.akhir_tahun", provides={"atestasi": {"akhir_tahun": "bool", "awal_desember": "date"}})
def year_end(ctx: CheckContext) -> None:
    """``akhir_tahun``: a dated attestation of a year-end report is dated on or after 1 December of the
    submission year (the Pergub says only "di akhir tahun"); absent when undated or for other duties."""
    year = ctx.submission.profil.tahun
    for fact in ctx.facts.of("atestasi"):
        if fact.fields["kewajiban"] in YEAR_END_DUTIES:
            start = f"{year}-12-01"
            values = {"awal_desember": start}
            if fact.fields.get("tanggal"):
                values["akhir_tahun"] = fact.fields["tanggal"] >= start
            ctx.derive(fact, **values)
