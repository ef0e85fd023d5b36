"""A compliance index per SAKIP component and overall, with the grade band it would correspond to. An
estimate of this tool from document checks, never an official evaluation result: the official evaluation
also judges quality and use (kualitas, pemanfaatan), which no document check decides.

Method (declared here and in the pack's ``penilaian``, shown with every figure):
* per rule: compliance = passed units / assessed units, where assessed = passed + failed. A unit that is
  "tidak dapat dinilai" (unknown) leaves the denominator and is counted beside it; a rule with no assessed
  unit leaves its component and is shown as not assessed ("n dari m aturan dinilai");
* per component: the severity-weighted mean of its assessed rules' compliance (error 3, warning 2, info 1:
  the tool's own weights), in %; its coverage is the share of the severity weight of its applicable rules
  that was assessed (a rule whose scope excluded every unit of the submission, e.g. duties of Bappeda for
  another OPD, is not applicable);
* the components are the pack's own (for the Pergub Banten 42/2018 pack: its four parts, Pasal 2-29); the
  weights of the components for the submission's year come from the pack (``penilaian.bobot``, e.g.
  PermenPANRB 88/2021 from 2021); a year without weights gets no overall figure;
* overall: the components weighted by those weights, only when every component has a figure (weights
  renormalised over some components would present part of the system as the whole);
* grade band (``penilaian.predikat``, AA > 90 ... D <= 30) of the value rounded to two decimals: shown
  for a component only when its coverage reaches ``penilaian.cakupan_minimum`` (50 % by default: most of the component, by weight, was assessed), and
  overall only when every component reaches it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, ConfigDict

from sakip_checker.pack import COMPONENTS, Penilaian

SEVERITY_WEIGHTS = {"error": 3, "warning": 2, "info": 1}
LABEL = "Indeks kepatuhan dokumen"
ESTIMATE = ("Perkiraan sakip-checker berdasarkan pemeriksaan dokumen, bukan nilai resmi evaluasi SAKIP "
            "dan bukan predikat resmi")
_DEFAULT = Penilaian()


class ComponentScore(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    component: str
    weight: int | None  # the year's weight of the component (None: the pack has no weights for the year)
    rules_evaluated: int  # rules with at least one assessed unit (passed or failed)
    rules_applicable: int  # rules of the component that apply to this submission
    units_unknown: int  # units "tidak dapat dinilai": left out of the denominators, counted here
    coverage: str  # % of the applicable rules' severity weight that was assessed
    score: str | None  # percentage with two decimals, None when no rule was assessed
    grade: str | None = None  # only when coverage reaches the pack's threshold


class Scores(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str = LABEL
    framework: str = _DEFAULT.kerangka
    weights_source: str | None = None  # e.g. "PermenPANRB 88/2021"; None: no weights for the year
    threshold: int = _DEFAULT.cakupan_minimum  # % coverage a band needs
    components: list[ComponentScore]
    overall: str | None
    grade: str | None
    grade_withheld: str | None = None  # why no overall band is shown, in Indonesian
    note: str = ESTIMATE


def grade_of(value: Decimal, penilaian: Penilaian = _DEFAULT) -> str:
    for lower, label in penilaian.predikat:
        if value > lower:
            return label
    return penilaian.predikat_terendah


def _pct(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _applicable(c) -> bool:
    return getattr(c, "applicable", True)


def score(coverage, penilaian: Penilaian | None = None, year: int | None = None) -> Scores:
    """Scores from the per-rule counts of a report (``RuleCoverage`` items)."""
    penilaian = penilaian or _DEFAULT
    weights = penilaian.weights_for(year)
    threshold = Decimal(penilaian.cakupan_minimum)
    components = []
    overall_num, overall_den = Decimal(0), Decimal(0)
    all_graded = True
    for component in COMPONENTS:
        weight = weights.komponen.get(component) if weights else None
        num, den, used, applicable, unknown = Decimal(0), Decimal(0), 0, 0, 0
        total_weight = Decimal(0)
        for c in coverage:
            if c.component != component or not _applicable(c):
                continue
            w = SEVERITY_WEIGHTS[c.severity]
            applicable += 1
            total_weight += w
            unknown += c.unknown
            assessed = c.passed + c.failed
            if assessed == 0:
                continue
            num += w * Decimal(c.passed) / Decimal(assessed)
            den += w
            used += 1
        value = num / den * 100 if den else None
        share = den / total_weight * 100 if total_weight else Decimal(0)
        rounded = None if value is None else Decimal(_pct(value))
        grade = grade_of(rounded, penilaian) if rounded is not None and share >= threshold else None
        all_graded = all_graded and grade is not None
        components.append(ComponentScore(component=component, weight=weight, rules_evaluated=used,
                                         rules_applicable=applicable, units_unknown=unknown, coverage=_pct(share),
                                         score=None if value is None else _pct(value), grade=grade))
        if value is not None and weight:
            overall_num += weight * value
            overall_den += weight
    common = {"framework": penilaian.kerangka, "weights_source": weights.sumber if weights else None,
              "threshold": penilaian.cakupan_minimum}
    if weights is None:
        return Scores(components=components, overall=None, grade=None,
                      grade_withheld=f"paket tidak memuat bobot komponen untuk tahun {year}", **common)
    unscored = [c.component for c in components if c.score is None]
    if unscored:  # weights renormalised over the rest would present part of the system as the whole
        return Scores(components=components, overall=None, grade=None,
                      grade_withheld=f"komponen tanpa aturan yang dapat dinilai: {', '.join(unscored)}", **common)
    overall = Decimal(_pct(overall_num / overall_den))
    withheld = None if all_graded else (f"cakupan penilaian belum mencapai {penilaian.cakupan_minimum}% "
                                        "pada setiap komponen")
    return Scores(components=components, overall=str(overall), grade=grade_of(overall, penilaian) if all_graded else None,
                  grade_withheld=withheld, **common)
