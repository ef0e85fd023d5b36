"""Exact reading of numbers, targets and dates written the Indonesian way.

Grammar (no guessing: anything outside it is an error that says what was expected):

* ``1234``                       integer
* ``1.234.567`` / ``1.234.567,89`` dot = thousands separator in groups of three, comma = decimal
* ``3,49``                       decimal comma
* optional ``Rp``/``Rp.`` prefix, ``,-`` suffix, ``%`` suffix, leading minus (``- 7.912.100``)
* ``""``, ``-``, ``NIHIL``       empty (``None``)

``99.64`` and ``1,234,567`` are refused: in Indonesian notation the dot separates thousands, so a
dot followed by other than three digits is not a number, and several commas cannot be decimals.
YAML/JSON numbers (int, float) are taken as they are typed.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Literal

__all__ = [
    "NumberFormatError",
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

_INT = re.compile(r"\d+")
_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_DEC_COMMA = re.compile(r"\d+,\d+")
_PREFIX_RP = re.compile(r"^rp\.?\s*", re.IGNORECASE)
_SUFFIX_DASH = re.compile(r"[,.]-$")


def _body_to_decimal(body: str, original: str) -> Decimal:
    if _INT.fullmatch(body):
        return Decimal(body)
    if _GROUPED.fullmatch(body):
        return Decimal(body.replace(".", "").replace(",", "."))
    if _DEC_COMMA.fullmatch(body):
        return Decimal(body.replace(",", "."))
    if re.fullmatch(r"\d+\.\d+", body):
        raise NumberFormatError(
            f'angka "{original}" memakai titik sebagai tanda desimal; dalam format Indonesia titik '
            f'adalah pemisah ribuan (kelompok tiga angka). Tulis desimal dengan koma, '
            f'misalnya "{body.replace(".", ",")}"'
        )
    if re.fullmatch(r"\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?", body):
        raise NumberFormatError(
            f'angka "{original}" ditulis dengan format bahasa Inggris (koma pemisah ribuan); '
            f'gunakan format Indonesia, misalnya "{body.replace(",", "#").replace(".", ",").replace("#", ".")}"'
        )
    raise NumberFormatError(
        f'"{original}" bukan angka yang dapat dibaca; yang diharapkan misalnya "1.234.567,89", '
        f'"95,22%" atau "Rp 1.550.000.000"'
    )


def parse_optional_number(value: object) -> Decimal | None:
    """Read one number; ``None`` for an empty cell. Raises NumberFormatError otherwise."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise NumberFormatError(f"nilai {value!r} bukan angka")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise NumberFormatError(f"nilai {value!r} bukan angka yang sah")
        return Decimal(repr(value))
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
    number = _body_to_decimal(text, original)
    return -number if negative else number


def parse_number(value: object) -> Decimal:
    number = parse_optional_number(value)
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


def parse_target(value: object) -> Target:
    """Read a target cell. Raises NumberFormatError only for a malformed number inside it."""
    if isinstance(value, Target):
        return value
    if value is None:
        return Target("", "kosong")
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        number = parse_number(value)
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
        low = parse_number(range_match.group("a"))
        high = parse_number(range_match.group("b"))
        unit = _clean_unit(range_match.group("ub") or range_match.group("ua") or "")
        return Target(value, "rentang", low=low, high=high, unit=unit)
    if len(tokens) > 1:
        numbers = [parse_number(t) for t in tokens]
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
    number = parse_number(token)
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
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        text = format(number, "f")
    else:
        text = canonical(number)
    negative = text.startswith("-")
    text = text.lstrip("-")
    whole, _, frac = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = ".".join(groups) + ("," + frac if frac else "")
    return ("-" if negative else "") + out

