"""The small condition language of rule files, compiled 1:1 onto durable-rules' JSON conditions.

On one fact (the unit a rule evaluates)::

    {eq|ne|lt|lte|gt|gte: {field: value}}   value: a literal, or {field: other} (same fact)
    {in: {field: [v1, v2]}}                  one of the literals
    {exists: field} / {missing: field}       (a field is missing when it is empty)
    {all: [cond, ...]} / {any: [cond, ...]}

Joining another fact, at the top of ``fail_when`` / ``unknown_when`` or inside its top-level ``all``::

    {related: {type: T, on: {field_of_T: field_of_unit, ...}, where: cond}}   such a fact exists
    {absent:  {type: T, on: {...}, where: cond}}                              no such fact exists

``on`` is the join key (never ``id``: durable-rules L4); without ``on`` the other fact is not tied to the
unit (for singleton checks such as "an attestation of Pasal 21 exists"). Inside ``where``, ``{unit: field}`` refers to
the unit's field. Absence is compiled with a trigger fact asserted after all data (durable-rules L5).
Semantics shared with the Python matcher: any comparison on a missing field is false, ``ne`` included.
"""

from __future__ import annotations

import operator

import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from sakip_checker.facts import FieldType

COMPARISONS = {"eq": None, "ne": "$neq", "lt": "$lt", "lte": "$lte", "gt": "$gt", "gte": "$gte"}
TRIGGER_TYPE = "__evaluate__"
UNIT, REL = "u", "r"
SELF = "$m"

# durable-rules 2.0.28 bug (events.c, reduceExpressionSequence): when an $and group is decided by its
# *last* plain comparison (false), or an $or group by its last one (true), the loop that skips to the
# group's OP_END starts from the comparison just evaluated and steps over the group's own OP_END: it
# reads past the sequence (valgrind: "Invalid read" in isBetaMatch) and crashes at random. Every group
# is therefore closed by a comparison that never decides it: `_t == _t` (true) in $and, `_t != _t`
# (false) in $or, on the constant field `_t` that the adapter puts on every fact. Only groups with a
# reference comparison of their own need it: literal comparisons become alpha nodes and never enter the
# sequence, and a nested group returns at its own OP_END. Closing other groups too would push every
# single-fact rule through beta matching (measured: about twice the engine time).
CONSTANT_FIELD = "_t"


def closing(group: str, alias: str) -> dict:
    ref = {CONSTANT_FIELD: {alias: CONSTANT_FIELD}}
    return ref if group == "$and" else {"$neq": ref}


def is_reference(cond: dict) -> bool:
    """A compiled comparison whose right side refers to a fact ({"u": f} or {"$m": f}), not a literal."""
    op, arg = next(iter(cond.items()))
    if op in ("$and", "$or"):
        return False
    inner = arg if op.startswith("$") else cond
    value = next(iter(inner.values())) if isinstance(inner, dict) and inner else None
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in (UNIT, SELF)


def close_group(group: str, members: list[dict], alias: str) -> dict:
    if any(is_reference(m) for m in members):
        members = [*members, closing(group, alias)]
    return {group: members}


class ConditionError(ValueError):
    """A problem in a condition; ``path`` is where inside the rule file (e.g. ``fail_when.all[1].eq``)."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass
class Join:
    kind: str  # "related" | "absent"
    type: str
    on: dict[str, str]


@dataclass
class Compiled:
    """A condition compiled for one rule outcome."""

    unit_conditions: list[dict]  # durable JSON, each one on the unit fact
    join: Join | None
    join_conditions: list[dict]  # durable JSON on the joined fact
    fields: dict[str, set[str]] = field(default_factory=dict)  # fact type -> fields the engine needs

    def durable(self, unit_type: str, scope: list[dict]) -> dict:
        unit = close_group("$and", [{"type": unit_type}, *scope, *self.unit_conditions], SELF)
        if self.join is None:
            return {"all": [{UNIT: unit}]}
        other = close_group("$and", [{"type": self.join.type},
                                     *({theirs: {UNIT: mine}} for theirs, mine in sorted(self.join.on.items())),
                                     *self.join_conditions], UNIT)
        if self.join.kind == "related":
            return {"all": [{UNIT: unit}, {REL: other}]}
        return {"all": [{"go": {"type": TRIGGER_TYPE}}, {UNIT: unit}, {"m_2$not": other}]}


class Compiler:
    """Validates conditions against the declared fact fields and compiles them."""

    def __init__(self, fact_fields: dict[str, dict[str, FieldType]]):
        self.fact_fields = fact_fields

    # -- entry points ------------------------------------------------------------------------

    def compile_rule_condition(self, cond: Any, unit_type: str, path: str) -> Compiled:
        out = Compiled([], None, [], {unit_type: set()})
        parts = [cond]
        if isinstance(cond, dict) and set(cond) == {"all"} and isinstance(cond["all"], list):
            parts = cond["all"]
            path_of = lambda i: f"{path}.all[{i}]"  # noqa: E731
        else:
            path_of = lambda i: path  # noqa: E731
        for i, part in enumerate(parts):
            if isinstance(part, dict) and len(part) == 1 and next(iter(part)) in ("related", "absent"):
                if out.join is not None:
                    raise ConditionError(path_of(i), "hanya satu related/absent per kondisi")
                out.join, out.join_conditions = self._join(part, unit_type, path_of(i), out.fields)
                # durable-rules fails the whole ruleset (error 311, ERR_PROPERTY_NOT_FOUND) when a joined fact's
                # test reads a field the unit does not carry (None fields are dropped, L8). A comparison on a
                # missing field is false, so a `related` join needs the unit to carry every field it refers to:
                # test that on the unit first, and the engine never looks the field up on a unit without it.
                for name in self._unit_references(part, path_of(i)):
                    out.unit_conditions.append({"$ex": {name: 1}})
            else:
                out.unit_conditions.append(self.single(part, unit_type, path_of(i), out.fields))
        return out

    @staticmethod
    def _unit_references(part: dict, path: str) -> list[str]:
        """The unit fields a join's ``where`` compares against, each on the conjunctive path from the top (a
        reference under ``any``, or in an ``absent`` join, could not be guarded exactly and is refused)."""
        kind = next(iter(part))
        where = part[kind].get("where") if isinstance(part[kind], dict) else None
        found: list[str] = []

        def visit(cond: Any, here: str, conjunctive: bool) -> None:
            if not isinstance(cond, dict) or len(cond) != 1:
                return
            op, arg = next(iter(cond.items()))
            if op in ("all", "any") and isinstance(arg, list):
                for k, c in enumerate(arg):
                    visit(c, f"{here}.{op}[{k}]", conjunctive and op == "all")
                return
            if op in COMPARISONS and isinstance(arg, dict) and len(arg) == 1:
                value = next(iter(arg.values()))
                if isinstance(value, dict) and set(value) == {"unit"}:
                    if kind != "related" or not conjunctive:
                        raise ConditionError(f"{here}.{op}", "{unit: ...} hanya boleh dalam where dari related, di luar "
                                             "any: field unit yang kosong membuat durable-rules gagal (galat 311)")
                    if value["unit"] not in found:
                        found.append(value["unit"])

        if where is not None:
            visit(where, f"{path}.{kind}.where", True)
        return found

    def compile_scope(self, cond: Any, unit_type: str, path: str) -> tuple[dict, dict[str, set[str]]]:
        fields: dict[str, set[str]] = {unit_type: set()}
        return self.single(cond, unit_type, path, fields), fields

    # -- pieces --------------------------------------------------------------------------------

    def _join(self, part: dict, unit_type: str, path: str, fields: dict[str, set[str]]) -> tuple[Join, list[dict]]:
        kind = next(iter(part))
        spec = part[kind]
        path = f"{path}.{kind}"
        if not isinstance(spec, dict):
            raise ConditionError(path, "harus berupa pemetaan dengan type, on, where")
        unknown = set(spec) - {"type", "on", "where"}
        if unknown:
            raise ConditionError(path, f"kunci tidak dikenal: {', '.join(sorted(unknown))}")
        other = spec.get("type")
        if other not in self.fact_fields:
            raise ConditionError(f"{path}.type", f"jenis fakta tidak dikenal: {other!r}")
        on = spec.get("on", {})
        if not isinstance(on, dict):
            raise ConditionError(f"{path}.on", "bentuknya pasangan kunci penghubung {field_lain: field_unit}")
        fields.setdefault(other, set())
        for theirs, mine in on.items():
            if "id" in (theirs, mine):
                raise ConditionError(f"{path}.on", "jangan menghubungkan lewat 'id' (durable-rules L4); pakai key")
            self._field(other, theirs, f"{path}.on", fields)
            self._field(unit_type, mine, f"{path}.on", fields)
        conditions = []
        if "where" in spec:
            conditions.append(self.single(spec["where"], other, f"{path}.where", fields, unit_type=unit_type))
        return Join(kind, other, dict(on)), conditions

    def _field(self, fact_type: str, name: Any, path: str, fields: dict[str, set[str]]) -> FieldType:
        known = self.fact_fields[fact_type]
        if name in ("key",):
            fields[fact_type].add(name)
            return "text"
        if not isinstance(name, str) or name not in known:
            raise ConditionError(path, f"field {name!r} tidak ada pada fakta '{fact_type}' "
                                       f"(yang ada: {', '.join(sorted(known))})")
        fields[fact_type].add(name)
        return known[name]

    def _literal(self, ftype: FieldType, value: Any, path: str) -> Any:
        if ftype == "bool":
            if not isinstance(value, bool):
                raise ConditionError(path, f"field bertipe bool; nilai {value!r} harus true/false")
            return value
        if ftype == "number":
            if isinstance(value, bool) or not isinstance(value, (int, str)):
                raise ConditionError(path, f"field bertipe angka; nilai {value!r} bukan angka")
            try:
                number = Decimal(str(value))
            except InvalidOperation:
                raise ConditionError(path, f"field bertipe angka; nilai {value!r} bukan angka") from None
            if number == number.to_integral_value():
                return int(number)
            as_float = float(number)
            if "e" in repr(as_float) or not math.isfinite(as_float):
                raise ConditionError(path, f"angka {value!r} tidak dapat diberikan ke durable-rules (L11)")
            return as_float
        if not isinstance(value, str):
            raise ConditionError(path, f"field bertipe {ftype}; nilai {value!r} harus teks")
        return value

    def _value(self, fact_type: str, ftype: FieldType, value: Any, path: str, fields, unit_type: str | None):
        if isinstance(value, dict):
            if set(value) == {"field"}:
                other = self._field(fact_type, value["field"], path, fields)
                if other != ftype:
                    raise ConditionError(path, f"membandingkan field {ftype} dengan field {other}")
                return {"$m": value["field"]}
            if set(value) == {"unit"}:
                if unit_type is None:
                    raise ConditionError(path, "{unit: ...} hanya boleh di dalam where dari related/absent")
                other = self._field(unit_type, value["unit"], path, fields)
                if other != ftype:
                    raise ConditionError(path, f"membandingkan field {ftype} dengan field {other} milik unit")
                return {UNIT: value["unit"]}
            raise ConditionError(path, f"nilai {value!r} tidak dikenal; gunakan literal, {{field: x}} atau {{unit: x}}")
        return self._literal(ftype, value, path)

    def single(self, cond: Any, fact_type: str, path: str, fields: dict[str, set[str]],
               unit_type: str | None = None) -> dict:
        if not isinstance(cond, dict) or len(cond) != 1:
            raise ConditionError(path, "kondisi harus berupa pemetaan dengan tepat satu operator "
                                       "(eq, ne, lt, lte, gt, gte, in, exists, missing, all, any)")
        op, arg = next(iter(cond.items()))
        here = f"{path}.{op}"
        if op in ("all", "any"):
            if not isinstance(arg, list) or not arg:
                raise ConditionError(here, "harus berupa daftar kondisi yang tidak kosong")
            parts = [self.single(c, fact_type, f"{here}[{i}]", fields, unit_type) for i, c in enumerate(arg)]
            if len(parts) == 1:
                return parts[0]
            return close_group("$and" if op == "all" else "$or", parts, SELF if unit_type is None else UNIT)
        if op in ("exists", "missing"):
            self._field(fact_type, arg, here, fields)
            return {"$ex" if op == "exists" else "$nex": {arg: 1}}
        if op == "in":
            if not isinstance(arg, dict) or len(arg) != 1:
                raise ConditionError(here, "bentuknya {field: [nilai, ...]}")
            name, values = next(iter(arg.items()))
            ftype = self._field(fact_type, name, here, fields)
            if not isinstance(values, list) or not values:
                raise ConditionError(here, "daftar nilai tidak boleh kosong")
            literals = [self._literal(ftype, v, here) for v in values]
            if len(literals) == 1:
                return {name: literals[0]}
            return {"$or": [{name: v} for v in literals]}
        if op in COMPARISONS:
            if not isinstance(arg, dict) or len(arg) != 1:
                raise ConditionError(here, "bentuknya {field: nilai}")
            name, value = next(iter(arg.items()))
            ftype = self._field(fact_type, name, here, fields)
            if ftype == "bool" and op not in ("eq", "ne"):
                raise ConditionError(here, "field bool hanya dapat dibandingkan dengan eq/ne")
            compiled = self._value(fact_type, ftype, value, here, fields, unit_type)
            return {name: compiled} if COMPARISONS[op] is None else {COMPARISONS[op]: {name: compiled}}
        raise ConditionError(path, f"operator tidak dikenal: {op!r}")


# -- Python matcher for single-fact conditions (rule scope, counted without the engine) ----------

def _number(value: Any) -> Any:
    return Decimal(str(value)) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


_ORDER = {"eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "lte": operator.le, "gt": operator.gt,
          "gte": operator.ge}


def matcher(cond: dict) -> Callable[[dict], bool]:
    """A single-fact condition as a closure, with the engine's semantics (a missing field never matches a
    comparison). Compiled once per rule: a rule's scope is tested on every unit of its type."""
    op, arg = next(iter(cond.items()))
    if op in ("all", "any"):
        parts = [matcher(c) for c in arg]
        return (lambda f: all(p(f) for p in parts)) if op == "all" else (lambda f: any(p(f) for p in parts))
    if op == "exists":
        return lambda f: f.get(arg) is not None
    if op == "missing":
        return lambda f: f.get(arg) is None
    name, value = next(iter(arg.items()))
    if op == "in":
        wanted = [_number(v) for v in value]
        return lambda f: f.get(name) is not None and any(f[name] == v for v in wanted)
    compare = _ORDER[op]
    if isinstance(value, dict) and "field" in value:
        other_name = value["field"]

        def against_field(f: dict) -> bool:
            mine, other = f.get(name), f.get(other_name)
            return mine is not None and other is not None and compare(mine, _number(other))
        return against_field
    literal = _number(value)
    if literal is None:
        return lambda f: False
    return lambda f: f.get(name) is not None and compare(f[name], literal)
