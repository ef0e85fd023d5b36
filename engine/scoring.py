"""A compliance figure per SAKIP component and overall, with the PermenPANRB 88/2021 grade band it would
correspond to. An estimate of this tool, never an official evaluation result: the official evaluation
also judges quality and use (kualitas, pemanfaatan), which no document check decides.

Method (declared here, not evaluated from configuration text):
* per rule: compliance = passed units / evaluated units; an "unknown" unit counts as not demonstrated;
  rules that evaluated no unit are left out;
* per component: the severity-weighted mean of its rules' compliance (error 3, warning 2, info 1), in %;
* overall: the components weighted as in PermenPANRB 88/2021 (Perencanaan 30, Pengukuran 30, Pelaporan
  15, Evaluasi 25), over the components that have a figure;
* grade band of the overall figure: AA > 90, A > 80, BB > 70, B > 60, CC > 50, C > 30, D <= 30.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, ConfigDict

COMPONENT_WEIGHTS = {"perencanaan": 30, "pengukuran": 30, "pelaporan": 15, "evaluasi": 25}
SEVERITY_WEIGHTS = {"error": 3, "warning": 2, "info": 1}
GRADES = ((Decimal(90), "AA"), (Decimal(80), "A"), (Decimal(70), "BB"), (Decimal(60), "B"), (Decimal(50), "CC"),
          (Decimal(30), "C"))
ESTIMATE = "Perkiraan sakip-checker berdasarkan pemeriksaan dokumen, bukan nilai resmi evaluasi SAKIP"


class ComponentScore(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    component: str
    weight: int
    rules_evaluated: int
    score: str | None  # percentage with two decimals, None when no rule evaluated anything


class Scores(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    components: list[ComponentScore]
    overall: str | None
    grade: str | None
    note: str = ESTIMATE


def grade_of(value: Decimal) -> str:
    for lower, label in GRADES:
        if value > lower:
            return label
    return "D"


def _pct(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def score(coverage) -> Scores:
    """Scores from the per-rule counts of a report (``RuleCoverage`` items)."""
    components = []
    overall_num, overall_den = Decimal(0), Decimal(0)
    for component, weight in COMPONENT_WEIGHTS.items():
        num, den, used = Decimal(0), Decimal(0), 0
        for c in coverage:
            if c.component != component or c.evaluated == 0:
                continue
            w = SEVERITY_WEIGHTS[c.severity]
            num += w * Decimal(c.passed) / Decimal(c.evaluated)
            den += w
            used += 1
        value = num / den * 100 if den else None
        components.append(ComponentScore(component=component, weight=weight, rules_evaluated=used,
                                         score=None if value is None else _pct(value)))
        if value is not None:
            overall_num += weight * value
            overall_den += weight
    if not overall_den:
        return Scores(components=components, overall=None, grade=None)
    overall = overall_num / overall_den
    return Scores(components=components, overall=_pct(overall), grade=grade_of(overall))
