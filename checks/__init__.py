"""Named checks: exact arithmetic (Decimal), aggregates and text heuristics.

A check runs in Python over one submission's facts and *derives*: it adds typed fields to existing
facts, or adds new facts, which the declarative rules then match in the engine. Every check declares
what it provides, so the rule loader can refuse a condition on a field nobody computes.
Registration is explicit (a duplicate name is an error); the module list at the bottom is the full list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from engine.facts import Fact, FactSet, FieldType
from engine.model import Submission


@dataclass
class CheckContext:
    submission: Submission
    facts: FactSet
    params: Any  # engine.pack.Parameters
    reference: dict[str, Any] = field(default_factory=dict)  # the pack's _reference/*.yaml, by file stem
    cache: dict[str, Any] = field(default_factory=dict)

    def derive(self, fact: Fact, **values: Any) -> None:
        fact.fields.update(values)


CheckFn = Callable[[CheckContext], None]


@dataclass(frozen=True)
class CheckSpec:
    name: str
    fn: CheckFn
    doc: str
    provides: dict[str, dict[str, FieldType]]  # existing fact type -> derived fields
    produces: dict[str, dict[str, FieldType]]  # new fact type -> its fields
    after: tuple[str, ...]


CHECKS: dict[str, CheckSpec] = {}


def check(
    name: str,
    *,
    provides: dict[str, dict[str, FieldType]] | None = None,
    produces: dict[str, dict[str, FieldType]] | None = None,
    after: tuple[str, ...] = (),
) -> Callable[[CheckFn], CheckFn]:
    def register(fn: CheckFn) -> CheckFn:
        if name in CHECKS:
            raise ValueError(f"check {name!r} is registered twice")
        CHECKS[name] = CheckSpec(name, fn, (fn.__doc__ or "").strip(), provides or {}, produces or {}, after)
        return fn

    return register


def run_checks(names: set[str], ctx: CheckContext) -> None:
    """Run the named checks and what they depend on, in registration order (deterministic)."""
    wanted: set[str] = set()
    stack = list(names)
    while stack:
        name = stack.pop()
        if name not in wanted:
            wanted.add(name)
            stack.extend(CHECKS[name].after)
    for name, spec in CHECKS.items():
        if name in wanted:
            spec.fn(ctx)


from checks import teks, struktur, capaian, renaksi, laporan, tabel_b2, renja, atestasi, lampiran, anggaran, provinsi  # noqa: E402,F401  the full list
from checks import anggaran_tabel, efisiensi, perbandingan  # noqa: E402,F401  LKjIP budget hierarchy, efficiency, Pasal 27 (issue 8)
