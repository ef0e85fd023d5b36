"""Tabel B.2 (Lampiran B angka 4): the rating scale of realisasi kinerja, with its gaps stated.

As printed: 91% <= 100% Sangat tinggi; 76% <= 90% Tinggi; 66% <= 75% Sedang; 51% <= 65% Rendah;
<= 50% Sangat Rendah. Values in (90, 91), (75, 76), (65, 66), (50, 51) and above 100 % fall in no band.
Two policies (parameter ``tabel_b2_kebijakan``):
* ``kontigu`` (default): every gap joins the band above it (x > 90 Sangat tinggi, 75 < x <= 90 Tinggi,
  65 < x <= 75 Sedang, 50 < x <= 65 Rendah, x <= 50 Sangat Rendah) and x > 100 is Sangat tinggi, each
  time with a note saying the interpretation was applied;
* ``tegas``: only values inside a printed band are rated; the rest get no rating and a note.
"""

from __future__ import annotations

from decimal import Decimal

from sakip_checker.checks import CheckContext, check
from sakip_checker.checks.capaian import capaian_of, target_zero
from sakip_checker.numbers import format_number

BANDS = (  # (lower inclusive as printed, upper inclusive, label)
    (Decimal(91), Decimal(100), "Sangat tinggi"),
    (Decimal(76), Decimal(90), "Tinggi"),
    (Decimal(66), Decimal(75), "Sedang"),
    (Decimal(51), Decimal(65), "Rendah"),
    (None, Decimal(50), "Sangat Rendah"),
)
LOW = ("Rendah", "Sangat Rendah")
ZERO_TARGET = "target 0: capaian tidak dapat dihitung, tidak diperingkat"


def rate(capaian: Decimal, policy: str) -> tuple[str | None, str | None]:
    """Return (rating, interpretation note). The note is None when the value sits inside a printed band."""
    for lower, upper, label in BANDS:
        if (lower is None or capaian >= lower) and capaian <= upper:
            return label, None
    shown = format_number(capaian, decimals=2)
    if capaian > 100:
        if policy == "tegas":
            return None, f"capaian {shown}% di atas 100% berada di luar skala Tabel B.2 (kebijakan tegas)"
        return "Sangat tinggi", (f"capaian {shown}% di atas 100% tidak tercantum dalam Tabel B.2; "
                                 "diperlakukan sebagai Sangat tinggi (kebijakan kontigu)")
    for lower, _upper, label in BANDS[:-1]:
        gap_low = lower - 1
        if gap_low < capaian < lower:
            if policy == "tegas":
                return None, (f"capaian {shown}% berada di celah ({format_number(gap_low)}-{format_number(lower)}) "
                              "Tabel B.2 dan tidak diklasifikasikan (kebijakan tegas)")
            return label, (f"capaian {shown}% berada di celah ({format_number(gap_low)}-{format_number(lower)}) "
                           f"Tabel B.2; dimasukkan ke kelas {label} (kebijakan kontigu)")
    raise AssertionError(f"unreachable: {capaian}")  # every value is in a band or a gap


def latest_monthly(facts) -> list:
    """Each indicator's monthly row of the latest month, in submission order."""
    latest: dict[str, object] = {}
    for fact in facts.of("capaian"):
        current = latest.get(fact.fields["indikator"])
        if current is None or fact.fields["bulan"] >= current.fields["bulan"]:
            latest[fact.fields["indikator"]] = fact
    return list(latest.values())


_RATED = {"peringkat": "text", "peringkat_catatan": "text", "peringkat_rendah": "bool"}


@check("tabel_b2.peringkat", after=("capaian.hitung",), provides={"lkjip_baris": _RATED, "capaian": _RATED})
def rating(ctx: CheckContext) -> None:
    """Rate each LKjIP row, and each indicator's latest monthly row (the capaian so far), by its recomputed
    capaian (the stated one when it cannot be recomputed); rows without any capaian get no rating, nor rows
    measured against a target of 0 (they get a note instead). Earlier
    monthly rows are not rated: nothing reads them, and rating 3,600 rows cost ~8 ms a submission."""
    policy = ctx.params.tabel_b2_kebijakan
    for fact in [*ctx.facts.of("lkjip_baris"), *latest_monthly(ctx.facts)]:
        value = capaian_of(fact.fields)
        if value is None:
            if target_zero(fact.fields):  # 0 of 0, or anything of 0: never rated, never 100 %
                ctx.derive(fact, peringkat_catatan=ZERO_TARGET)
            continue
        label, note = rate(value, policy)
        values = {"peringkat_catatan": note}
        if label is not None:
            values.update(peringkat=label, peringkat_rendah=label in LOW)
        ctx.derive(fact, **values)
