"""Capaian recomputed exactly, with the indicator's polarity.

The Pergub gives no formula (see obligations.md, "What the Pergub does not say"); the practice of
PermenPANRB 53/2014 is applied and the formula used is recorded with every value:
* positif (higher is better): capaian = realisasi / target x 100
* negatif (lower is better):  capaian = (2 x target - realisasi) / target x 100
The stated capaian is correct when the recomputed value, rounded half-up to the number of decimals the
document prints, equals it (so 108,13 is right for 3,46 / 3,20 = 108,125 %).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sakip_checker.checks import CheckContext, check
from sakip_checker.facts import Fact

HUNDRED = Decimal(100)
FORMULA = {
    "positif": "realisasi / target x 100",
    "negatif": "(2 x target - realisasi) / target x 100",
}


def compute(realisasi: Decimal, target: Decimal, polaritas: str) -> Decimal | None:
    if target == 0:
        return None
    if polaritas == "negatif":
        return (2 * target - realisasi) / target * HUNDRED
    return realisasi / target * HUNDRED


_PLACES: dict[int, Decimal] = {}  # exponent of a stated value -> the quantum it is rounded to


def agrees(stated: Decimal, computed: Decimal) -> bool:
    exponent = stated.as_tuple().exponent
    places = _PLACES.get(exponent) if exponent.__class__ is int else None
    if places is None:
        places = Decimal(1).scaleb(min(int(exponent), 0))
        if exponent.__class__ is int and len(_PLACES) < 64:
            _PLACES[exponent] = places
    return computed.quantize(places, rounding=ROUND_HALF_UP) == stated


def target_zero(fields: dict) -> bool:
    """The row is measured against a target of 0: no capaian can be computed (x / 0), whatever it states."""
    target = fields.get("target_acuan")
    if target is None and fields.get("target_jenis") == "angka":
        target = fields.get("target")
    return target is not None and target == 0


def capaian_of(fields: dict) -> Decimal | None:
    """The capaian a row is judged by: the recomputed one, else the one the document states; none against a
    target of 0 (a stated "100 %" for 0 of 0 is not a capaian: nothing was to be achieved)."""
    if target_zero(fields):
        return None
    return fields.get("capaian_hitung", fields.get("capaian"))


def reference_targets(ctx: CheckContext) -> dict[str, Decimal]:
    """The target each indicator is measured against: the PK in force, else the Renstra cascade."""
    if "targets" in ctx.cache:
        return ctx.cache["targets"]
    targets: dict[str, Decimal] = {}
    for ind in ctx.facts.of("indikator"):
        if ind.fields["target_jenis"] == "angka":
            targets[ind.key] = ind.fields["target"]
    from_pk: dict[str, Decimal] = {}
    for row in ctx.facts.of("pk_indikator"):
        if row.fields["pk_berlaku"] and row.fields["target_jenis"] == "angka":
            from_pk.setdefault(row.fields["indikator"], row.fields["target"])
    targets.update(from_pk)
    ctx.cache["targets"] = targets
    return targets


_PROVIDED = {"target_acuan": "number", "capaian_hitung": "number", "capaian_rumus": "text", "capaian_sesuai": "bool"}


@check("capaian.hitung", provides={"capaian": _PROVIDED, "lkjip_baris": _PROVIDED})
def recompute(ctx: CheckContext) -> None:
    """Recompute capaian for monthly report rows (realisasi s.d. bulan itu against the annual target of
    the PK in force) and LKjIP rows (against the row's own target, else the PK's). ``capaian_sesuai`` is
    present only when a stated capaian can be compared."""
    targets = reference_targets(ctx)
    polarity = {i.key: i.fields["polaritas"] for i in ctx.facts.of("indikator")}

    def derive(fact: Fact, target: Decimal | None) -> None:
        realisasi = fact.fields.get("realisasi")
        pol = polarity.get(fact.fields["indikator"], "positif")
        if target is None or realisasi is None:
            return
        computed = compute(realisasi, target, pol)
        values = {"target_acuan": target, "capaian_rumus": FORMULA[pol]}
        if computed is not None:
            values["capaian_hitung"] = computed
            stated = fact.fields.get("capaian")
            if stated is not None:
                values["capaian_sesuai"] = agrees(stated, computed)
        ctx.derive(fact, **values)

    for fact in ctx.facts.of("capaian"):
        derive(fact, targets.get(fact.fields["indikator"]))
    for fact in ctx.facts.of("lkjip_baris"):
        own = fact.fields["target"] if fact.fields["target_jenis"] == "angka" else None
        derive(fact, own if own is not None else targets.get(fact.fields["indikator"]))
