"""Duties of Bappeda and the Sekretaris Daerah over the whole province: the component values of the
SAKIP evaluation (LHE) must rise every year (Pasal 8: Perencanaan; Pasal 22: Pelaporan Kinerja)."""

from __future__ import annotations

from decimal import Decimal

from sakip_checker.checks import CheckContext, check

COMPONENTS = ("perencanaan", "pelaporan")


def _fields(component: str) -> dict[str, str]:
    return {f"tahun_lhe_{component}": "number", f"nilai_{component}": "number",
            f"nilai_{component}_lalu": "number", f"{component}_naik": "bool"}


@check("provinsi.lhe", provides={"opd": {k: v for c in COMPONENTS for k, v in _fields(c).items()}})
def lhe_trend(ctx: CheckContext) -> None:
    """For each component: the latest LHE value up to the submission year and the value of the year
    before it; ``<komponen>_naik`` (strictly greater: "selalu meningkat") only when both years are given."""
    year = ctx.submission.profil.tahun
    values: dict = {}
    for component in COMPONENTS:
        by_year = {int(f.fields["tahun"]): f.fields["nilai"] for f in ctx.facts.of("lhe")
                   if f.fields["komponen"] == component and f.fields["nilai"] is not None
                   and int(f.fields["tahun"]) <= year}
        if not by_year:
            continue
        last = max(by_year)
        values[f"tahun_lhe_{component}"] = Decimal(last)
        values[f"nilai_{component}"] = by_year[last]
        if last - 1 in by_year:
            values[f"nilai_{component}_lalu"] = by_year[last - 1]
            values[f"{component}_naik"] = by_year[last] > by_year[last - 1]
    ctx.derive(ctx.facts.of("opd")[0], **values)
