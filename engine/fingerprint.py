"""Finding fingerprints that survive edits of the submission.

A fingerprint is ``sha1(rule id | unit identity)`` (12 hex digits). The identity of a unit is its fact type
and the content named for that type in ``engine.facts.IDENTITY``: the indicator's code, the position and
PK kind, the month, the Renja row's kode/uraian/indikator, ... — never its place in a list. So inserting,
deleting or reordering rows changes no other unit's fingerprint, and the same defect found in next year's
submission (or after a correction elsewhere) keeps its fingerprint.

Text is compared with whitespace folded and case ignored, numbers exactly (``1,50`` = ``1.5``). When two
units of one type have identical content (e.g. the same indicator listed twice in one PK), the first keeps
the plain identity and the n-th in submission order gets ``#n``: deterministic, and only the identical
units depend on their relative order.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

from sakip_checker.facts import IDENTITY, Fact
from sakip_checker.numbers import canonical


def _value(value: Any) -> str:
    if value.__class__ is str:
        return " ".join(value.split()).casefold()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, Decimal):
        return canonical(value)
    return " ".join(str(value).split()).casefold()


_SEPARATOR = "\x1f"  # the unit separator: never typed in a submission


def identity_of(fact_type: str, fields: dict[str, Any]) -> str:
    """The content identity of a unit (without the occurrence suffix): its type and the values of the
    fields ``IDENTITY`` names for it. Every fact type, checks' included, must be listed there."""
    names = IDENTITY.get(fact_type)
    if names is None:
        raise KeyError(f"fact type '{fact_type}' has no identity in engine.facts.IDENTITY")
    get = fields.get
    return _SEPARATOR.join([fact_type, *[_value(get(name)) for name in names]])


def identities_of(fact_type: str, facts: list[Fact]) -> list[str]:
    """``identity_of`` of each fact of one type, in order: the same texts, each distinct value rendered once
    (a submission repeats its months, years and names across thousands of units), field by field."""
    names = IDENTITY.get(fact_type)
    if names is None:
        raise KeyError(f"fact type '{fact_type}' has no identity in engine.facts.IDENTITY")
    columns = [[fact_type] * len(facts)]
    for name in names:
        values = [fact.fields.get(name) for fact in facts]
        classes = set(map(type, values))
        classes.discard(type(None))
        if len(classes) <= 1 and classes <= _ONE_TEXT_PER_VALUE:
            # equal values of one of these classes have the same text: render each distinct value once
            try:
                shown = {value: _value(value) for value in set(values)}
                columns.append([shown[value] for value in values])
                continue
            except TypeError:  # an unhashable value (a signalling NaN): value by value below
                pass
        # mixed classes (True == Decimal(1) == 1, rendered differently): value by value
        columns.append([_value(value) for value in values])
    return list(map(_SEPARATOR.join, zip(*columns)))


# classes whose equal values always render the same (_value): str exactly, Decimal by canonical, bool
_ONE_TEXT_PER_VALUE = {str, Decimal, bool}


def fingerprint_of(rule_id: str, unit: Fact) -> str:
    return hashlib.sha1(f"{rule_id}|{unit.identity}".encode()).hexdigest()[:12]
