"""Exact reading of numbers, targets and dates written the Indonesian way.

Grammar (no guessing: anything outside it is an error that says what was expected):

* ``1234``                       integer
* ``1.234.567`` / ``1.234.567,89`` dot = thousands separator in groups of three, comma = decimal
* ``3,49``                       decimal comma (``82.81``: decimal point, see below)
* optional ``Rp``/``Rp.`` prefix, ``,-`` suffix, ``%`` suffix, leading minus (``- 7.912.100``)
* ``""``, ``-``, ``NIHIL``       empty (``None``)

Real reports mix notations ("82.81 %" beside "65,16%"), so a mark is read by what it can be:

* ``82.81``, ``3.3``, ``1234.567``       a dot followed by one, two or four and more digits (or after more than
                                         three digits) cannot group thousands: decimal point
* ``353,842,000`` / ``1,234,567.89``     several comma groups of three: English thousands
* ``1.500`` / ``1,234``                  one mark followed by exactly three digits is ambiguous: an error,
                                         unless the submission declares ``profil.notasi`` (indonesia:
                                         1.500 = 1500, 1,234 = 1,234; internasional: the reverse)
* ``2,802.281.000``                      both marks grouping thousands: an error
* Rupiah amounts are never read with three decimals: ``1.500`` is Rp 1.500, ``2.500,000`` is an error.

YAML/JSON numbers (int, float) are taken as they are typed. Every number is bounded (18 digits before the
decimal mark, 20 after, 28 significant) so that exact arithmetic on it never rounds, overflows or runs for long.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache
from typing import Literal

__all__ = [
    "NumberFormatError",
    "NOTATIONS",
    "parse_number",
    "parse_optional_number",
    "Target",
    "parse_target",
    "parse_date",
    "format_number",
    "canonical",
]


class NumberFormatError(ValueError):
    """A value that cannot be read with certainty. The message is Indonesian and user-facing."""


EMPTY_MARKERS = {"", "-", "–", "—", "nihil", "n/a", "na"}
SPREADSHEET_ERRORS = {"#div/0!", "#n/a", "#value!", "#ref!", "#name?", "#num!", "#null!"}

Notation = Literal["indonesia", "internasional"]
NOTATIONS = ("indonesia", "internasional")

# Bounds of a number a submission may hold: far above any Rupiah budget (10^15) and any measured precision,
# and within Decimal's default 28-digit context, so that no arithmetic on a read number rounds or overflows.
MAX_INTEGER_DIGITS = 18
MAX_DECIMALS = 20  # a spreadsheet's computed cell carries up to 17 significant digits ("91.17647058823529")
MAX_SIGNIFICANT = 28  # Decimal's default precision: sums and differences of read numbers stay exact
MAX_TEXT = 64  # characters of a number written as text (after Rp, %, sign)

_INT = re.compile(r"\d+")
_DOTS = re.compile(r"\d{1,3}(?:\.\d{3})+")  # 1.234 / 1.234.567: dot-grouped thousands
_COMMAS = re.compile(r"\d{1,3}(?:,\d{3})+")  # 1,234 / 353,842,000: comma-grouped thousands
_PREFIX_RP = re.compile(r"^rp\.?\s*", re.IGNORECASE)
_SUFFIX_DASH = re.compile(r"(?:\s*[,.]|\s+)-$")  # "1.000,-", "2.802.281.000 -"


def _ambiguous(original: str, body: str, mark: str) -> NumberFormatError:
    whole, frac = body.split(mark)
    as_thousands = format_number(Decimal(whole + frac))
    as_decimal = format_number(Decimal(f"{whole}.{frac}"))
    return NumberFormatError(
        f'angka "{original}" bermakna ganda: {as_thousands} bila "{mark}" pemisah ribuan, {as_decimal} bila '
        f'"{mark}" tanda desimal. Tulis tanpa pemisah ribuan ("{whole}{frac}") atau dengan desimal yang jelas, '
        f'atau nyatakan notasi pengajuan pada profil.notasi (indonesia: titik ribuan, koma desimal; '
        f'internasional: koma ribuan, titik desimal)'
    )


def _readings(body: str, original: str, notation: Notation | None) -> list[tuple[Decimal, int]]:
    """Every reading of a number's digits, as (value, decimals written). Several readings: ambiguous."""
    if _INT.fullmatch(body):
        return [(Decimal(body), 0)]
    dots, commas = body.count("."), body.count(",")
    if dots and commas:
        first = "." if body.index(".") < body.index(",") else ","
        head, _, frac = body.rpartition("," if first == "." else ".")
        grouped = _DOTS if first == "." else _COMMAS
        if grouped.fullmatch(head) and _INT.fullmatch(frac):
            return [(Decimal(head.replace(first, "") + "." + frac), len(frac))]
        if not re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", body):
            raise NumberFormatError(
                f'"{original}" bukan angka yang dapat dibaca; yang diharapkan misalnya "1.234.567,89", '
                f'"95,22%" atau "Rp 1.550.000.000"'
            )
        raise NumberFormatError(
            f'angka "{original}" mencampur titik dan koma sebagai pemisah ribuan; tulis dengan satu notasi, '
            f'misalnya "1.234.567,89" (Indonesia) atau "1,234,567.89" (internasional)'
        )
    mark = "." if dots else ","
    if body.count(mark) > 1:  # several marks can only group thousands
        if (_DOTS if mark == "." else _COMMAS).fullmatch(body):
            return [(Decimal(body.replace(mark, "")), 0)]
        raise NumberFormatError(
            f'"{original}" bukan angka yang dapat dibaca: pemisah ribuan "{mark}" harus memisahkan kelompok tiga angka'
        )
    whole, _, frac = body.partition(mark)
    if not (_INT.fullmatch(whole) and _INT.fullmatch(frac)):
        raise NumberFormatError(
            f'"{original}" bukan angka yang dapat dibaca; yang diharapkan misalnya "1.234.567,89", '
            f'"95,22%" atau "Rp 1.550.000.000"'
        )
    decimal = (Decimal(f"{whole}.{frac}"), len(frac))
    if len(frac) != 3 or len(whole) > 3:  # "82.81", "3.3", "1234.567": this mark cannot group thousands
        return [decimal]
    thousands = (Decimal(whole + frac), 0)
    if notation is not None:
        decimal_mark = "," if notation == "indonesia" else "."
        return [decimal if mark == decimal_mark else thousands]
    return [thousands, decimal]


def _within_bounds(number: Decimal, original: object) -> Decimal:
    if not number.is_finite():
        raise NumberFormatError(f"nilai {original!r} bukan angka yang sah")
    if number and number.adjusted() >= MAX_INTEGER_DIGITS:
        raise NumberFormatError(f"angka {_shown(original)} terlalu besar (paling banyak {MAX_INTEGER_DIGITS} angka "
                                "sebelum tanda desimal)")
    sign, digits, exponent = number.as_tuple()
    if not any(digits):
        return number if exponent >= -MAX_DECIMALS else Decimal(0)
    zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    if exponent + zeros < -MAX_DECIMALS:  # "1.50000000000000000000000" is fine, "1E-400" is not
        raise NumberFormatError(f"angka {_shown(original)} memuat terlalu banyak angka desimal (paling banyak "
                                f"{MAX_DECIMALS})")
    if len(digits) - zeros > MAX_SIGNIFICANT:
        raise NumberFormatError(f"angka {_shown(original)} memuat lebih dari {MAX_SIGNIFICANT} angka bermakna; "
                                "bulatkan")
    if exponent < -MAX_DECIMALS:
        number = Decimal((sign, digits[:len(digits) - (-MAX_DECIMALS - exponent)], -MAX_DECIMALS))
    return number


def _shown(value: object) -> str:
    text = value if isinstance(value, str) else str(value)
    return f'"{text[:24]}..."' if len(text) > 27 else f'"{text}"'


def parse_optional_number(value: object, notation: Notation | None = None, rupiah: bool = False) -> Decimal | None:
    """Read one number; ``None`` for an empty cell. Raises NumberFormatError otherwise.

    A dot or comma followed by one, two or four and more digits is a decimal mark ("82.81", "3,3"); several
    dots or several commas group thousands ("1.234.567", "353,842,000"); "1.234,5" and "1,234.5" are read as
    their notation; a dot and a comma both grouping ("2,802.281.000") is an error. A single mark followed by
    exactly three digits ("1.500", "1,234") is ambiguous: ``notation`` settles it ("indonesia": dot groups
    thousands, comma is decimal; "internasional": the reverse), otherwise it is an error. A Rupiah amount
    (``rupiah``) is never read with three or more decimals: "1.500" is Rp 1.500 and "2.500,000" an error."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise NumberFormatError(f"nilai {value!r} bukan angka")
    if isinstance(value, Decimal):
        return _within_bounds(value, value)
    if isinstance(value, int):
        if abs(value).bit_length() > 64:  # never str() it: CPython refuses to print 4,300 digits and more
            raise NumberFormatError(f"bilangan bulat sekitar {int(abs(value).bit_length() * 0.30103) + 1} angka terlalu "
                                    f"besar (paling banyak {MAX_INTEGER_DIGITS} angka sebelum tanda desimal)")
        return _within_bounds(Decimal(value), value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise NumberFormatError(f"nilai {value!r} bukan angka yang sah")
        return _within_bounds(Decimal(repr(value)), value)
    if not isinstance(value, str):
        raise NumberFormatError(f"nilai {value!r} bukan angka")
    original = value
    text = value.strip().replace("\u2212", "-").replace("\u00a0", " ")
    if text.lower() in EMPTY_MARKERS:
        return None
    if text.lower() in SPREADSHEET_ERRORS:
        raise NumberFormatError(
            f'sel berisi galat spreadsheet "{original}"; isi dengan angka hasil perhitungan yang benar'
        )
    if len(text) > MAX_TEXT + 8:
        raise NumberFormatError(f"angka {_shown(original)} terlalu panjang (paling banyak {MAX_TEXT} karakter)")
    text = _PREFIX_RP.sub("", text)
    text = _SUFFIX_DASH.sub("", text)
    text = text.rstrip()
    if text.endswith("%"):
        text = text[:-1].rstrip()
    negative = False
    if text.startswith("-"):
        negative = True
        text = text[1:].lstrip()
    elif text.startswith("+"):
        text = text[1:].lstrip()
    if not text:
        raise NumberFormatError(f'"{original}" tidak memuat angka')
    readings = _readings(text, original, notation)
    if rupiah:
        readings = [r for r in readings if r[1] < 3]
        if not readings:
            raise NumberFormatError(
                f'jumlah Rupiah "{original}" terbaca dengan tiga angka desimal atau lebih; Rupiah ditulis dengan titik '
                f'pemisah ribuan, misalnya "2.500.000" atau "2.500.000,00"'
            )
    if len(readings) > 1:
        raise _ambiguous(original, text, "." if "." in text else ",")
    number = _within_bounds(readings[0][0], original)
    return -number if negative else number


def parse_number(value: object, notation: Notation | None = None, rupiah: bool = False) -> Decimal:
    number = parse_optional_number(value, notation, rupiah)
    if number is None:
        raise NumberFormatError("nilai wajib diisi dengan angka")
    return number


# --------------------------------------------------------------------------------------------
# Targets: a number with a unit, or the defects real documents carry (ranges, double targets,
# text). Those defects are findings for the rules, not input errors.

TargetKind = Literal["angka", "rentang", "ganda", "teks", "kosong"]

_TOKEN = re.compile(r"\d[\d.,]*\d|\d")
_RANGE = re.compile(r"^\s*(?P<a>\d[\d.,]*)\s*(?P<ua>%|[A-Za-z]+)?\s*[-–—]\s*(?P<b>\d[\d.,]*)\s*(?P<ub>.*?)\s*$")


@dataclass(frozen=True)
class Target:
    """A target as written, and what could be read from it."""

    as_written: str
    kind: TargetKind
    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    unit: str | None = None

    def __str__(self) -> str:  # pragma: no cover - convenience
        return self.as_written


def _clean_unit(text: str) -> str | None:
    text = text.strip().strip(".").strip()
    return text or None


def parse_target(value: object, notation: Notation | None = None) -> Target:
    """Read a target cell. Raises NumberFormatError only for a malformed number inside it."""
    if isinstance(value, Target):
        return value
    if value is None:
        return Target("", "kosong")
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        number = parse_number(value, notation)
        return Target(format_number(number), "angka", value=number)
    if not isinstance(value, str):
        raise NumberFormatError(f"target {value!r} tidak dapat dibaca")
    text = value.strip().replace("\u00a0", " ")
    if text.lower() in EMPTY_MARKERS:
        return Target(value, "kosong")
    if text.lower() in SPREADSHEET_ERRORS:
        raise NumberFormatError(f'sel target berisi galat spreadsheet "{value}"')
    tokens = _TOKEN.findall(text)
    if not tokens:
        return Target(value, "teks", unit=_clean_unit(text))
    range_match = _RANGE.match(text)
    if range_match and len(tokens) == 2:
        low = parse_number(range_match.group("a"), notation)
        high = parse_number(range_match.group("b"), notation)
        unit = _clean_unit(range_match.group("ub") or range_match.group("ua") or "")
        return Target(value, "rentang", low=low, high=high, unit=unit)
    if len(tokens) > 1:
        numbers = [parse_number(t, notation) for t in tokens]
        rest = _TOKEN.sub(" ", text)
        units = {u for u in (_clean_unit(p) for p in rest.split()) if u}
        return Target(value, "ganda", value=numbers[0], unit=" ".join(sorted(units)) or None)
    token = tokens[0]
    start = text.index(token)
    prefix, suffix = text[:start].strip(), text[start + len(token):].strip()
    negative = prefix in {"-", "\u2212"}
    if prefix.lower().rstrip(".") == "rp":
        prefix, suffix = "", ("Rp " + suffix).strip()
    elif prefix and not negative:
        # a word before the number ("Opini WTP 1") is not a numeric target
        return Target(value, "teks", unit=_clean_unit(text))
    number = parse_number(token, notation, rupiah=prefix == "" and (suffix or "").startswith("Rp"))
    number = -number if negative else number
    suffix = _SUFFIX_DASH.sub("", suffix)
    return Target(value, "angka", value=number, unit=_clean_unit(suffix))


# --------------------------------------------------------------------------------------------
# Dates

BULAN = [
    "januari", "februari", "maret", "april", "mei", "juni",
    "juli", "agustus", "september", "oktober", "november", "desember",
]
BULAN_LABEL = [b.capitalize() for b in BULAN]
_ALIASES = {"pebruari": 2, "nopember": 11, "agt": 8, "agu": 8, "okt": 10, "des": 12, "feb": 2,
            "jan": 1, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "sep": 9, "nov": 11}
_DATE_ID = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})$")
_DATE_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


def parse_date(value: object) -> _dt.date | None:
    """ISO dates, YAML dates, "20 Februari 2026" and "20/02/2026" (day first). Empty -> None."""
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if not isinstance(value, str):
        raise NumberFormatError(f"tanggal {value!r} tidak dapat dibaca")
    text = value.strip()
    if text.lower() in EMPTY_MARKERS:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return _dt.date.fromisoformat(text)
        match = _DATE_ID.match(text)
        if match:
            name = match.group(2).lower()
            month = BULAN.index(name) + 1 if name in BULAN else _ALIASES.get(name)
            if month is None:
                raise NumberFormatError(f'nama bulan "{match.group(2)}" pada tanggal "{value}" tidak dikenal')
            return _dt.date(int(match.group(3)), month, int(match.group(1)))
        match = _DATE_DMY.match(text)
        if match:
            return _dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError as exc:
        if isinstance(exc, NumberFormatError):
            raise
        raise NumberFormatError(f'tanggal "{value}" tidak ada di kalender') from None
    raise NumberFormatError(
        f'tanggal "{value}" tidak dapat dibaca; gunakan "2023-01-20" atau "20 Januari 2023"'
    )


# --------------------------------------------------------------------------------------------
# Output


@lru_cache(maxsize=8192)
def canonical(number: Decimal) -> str:
    """Exact, exponent-free text of a number ("100", "95.22"): for keys, comparisons and JSON.
    Cached: equal Decimals ("1.10", "1.1") have the same text, and a submission repeats its values."""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def format_number(number: Decimal | None, decimals: int | None = None, as_printed: bool = False) -> str:
    """Indonesian rendering: 1550000000 -> "1.550.000.000", 95.22 -> "95,22".
    ``as_printed`` keeps the decimals the value was written with ("20,00" stays "20,00")."""
    if number is None:
        return "-"
    if as_printed:
        decimals = max(0, -int(number.as_tuple().exponent))
    if decimals is not None:
        with localcontext() as ctx:  # a computed value may carry more digits than the default 28
            ctx.prec = max(ctx.prec, number.adjusted() + decimals + 2)
            number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        text = format(number, "f")
    else:
        text = canonical(number)
    negative = text.startswith("-")
    text = text.lstrip("-")
    whole, _, frac = text.partition(".")
    head = len(whole) % 3 or 3
    groups = [whole[:head]] + [whole[i:i + 3] for i in range(head, len(whole), 3)]
    out = ".".join(groups) + ("," + frac if frac else "")
    return ("-" if negative else "") + out

