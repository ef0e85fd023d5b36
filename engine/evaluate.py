"""Evaluate a submission against a catalogue: facts -> checks -> engine -> sorted findings + counts."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from checks import CheckContext, run_checks
from checks.capaian import capaian_of
from checks.tabel_b2 import latest_monthly
from engine.facts import DOCUMENT_OF, Fact, build_facts
from engine.inputs import Document
from engine.model import Submission
from engine.numbers import BULAN_LABEL, canonical, format_number
from engine.pack import COMPONENTS, Parameters
from engine.rules import SEVERITIES, Catalogue, CompiledRule
from engine.scoring import Scores, score

TOOL = "sakip-checker 0.1.0"
ALWAYS = {"tabel_b2.peringkat"}  # the report's Tabel B.2 ratings read it (and it needs capaian.hitung)


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Location(_Frozen):
    document: str
    path: str
    jabatan: str | None = None
    eselon: str | None = None
    indikator: str | None = None
    bulan: str | None = None
    file: str | None = None
    sheet: str | None = None  # for a workbook: the sheet; `line` is then the row
    line: int | None = None


class Finding(_Frozen):
    rule_id: str
    rule_name: str
    component: str
    severity: str
    outcome: Literal["fail", "unknown"]
    title: str
    citation: str
    location: Location
    observed: str | None
    expected: str | None
    message: str
    remediation: str
    fingerprint: str


class RuleCoverage(_Frozen):
    rule_id: str
    component: str
    severity: str
    title: str
    evaluated: int
    passed: int
    failed: int
    unknown: int
    submitted: bool = True  # False: it examines a document the submission declares it does not contain
    engine_failed: bool = False  # True: durable-rules failed on the ruleset holding this rule; nothing evaluated


class EngineFailure(_Frozen):
    """durable-rules failed on one ruleset: these rules could not be evaluated; every other rule was."""

    rule_ids: list[str]
    message: str


class Rating(_Frozen):
    """Tabel B.2 rating of one indicator (Lampiran B angka 4)."""

    sumber: str  # "lkjip" or "laporan bulan <n>"
    path: str
    indikator: str
    target: str
    realisasi: str
    capaian: str
    peringkat: str | None
    catatan: str | None


class Series(_Frozen):
    """Monthly realisasi (s.d. bulan) of one indicator against its target, for the report's charts."""

    indikator: str
    nama: str
    satuan: str | None
    target: str | None  # exact decimal text
    points: list[tuple[int, str]]  # (bulan, realisasi as exact decimal text)


class CascadeNode(_Frozen):
    id: str
    level: str
    nama: str
    induk: str | None
    path: str
    temuan: int  # findings located at this indicator


class SubmissionInfo(_Frozen):
    opd: str
    tahun: int
    file: str | None
    dokumen: list[str] | None = None  # the documents the submission declares (None: all)


class Report(_Frozen):
    tool: str
    pack: str
    regulation: str
    submission: SubmissionInfo
    parameters: dict[str, Any]
    counts: dict[str, int]
    findings: list[Finding]
    coverage: list[RuleCoverage]
    scores: Scores
    ratings: list[Rating]
    series: list[Series]
    cascade: list[CascadeNode]
    engine_failures: list[EngineFailure] = []

    def by_component(self) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = {c: [] for c in COMPONENTS}
        for f in self.findings:
            out[f.component].append(f)
        return out


# -- rendering values for messages -----------------------------------------------------------------

PLAIN_NUMBERS = {"tahun", "tahun_submisi", "tahun_realisasi", "bulan"}  # shown without thousands dots


def display(value: Any, ftype: str | None = None, name: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, Decimal):
        if name in PLAIN_NUMBERS or name.startswith("tahun_"):
            return str(int(value))
        if value.as_tuple().exponent < -2:
            value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return format_number(value)
    if ftype == "date" and isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        d = dt.date.fromisoformat(value)
        return f"{d.day} {BULAN_LABEL[d.month - 1]} {d.year}"
    return str(value)


class _Values(dict):
    def __missing__(self, key: str) -> str:  # only declared fields reach here (checked at load time)
        return "-"


def _natural(path: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", path))


def sort_key(f: Finding) -> tuple:
    """Component (the Pergub's order), then the heaviest first, then rule and place: total and stable."""
    return (COMPONENTS.index(f.component), SEVERITIES.index(f.severity), f.rule_id, f.location.document,
            _natural(f.location.path), f.outcome)


# -- evaluation ----------------------------------------------------------------------------------------

def effective_parameters(catalogue: Catalogue, overrides: dict[str, Any] | None = None) -> Parameters:
    base = catalogue.pack.parameters.model_dump()
    return Parameters.model_validate({**base, **(overrides or {})})


def evaluate(sub: Submission, catalogue: Catalogue, params: Parameters | None = None,
             document: Document | None = None, shuffle: random.Random | None = None) -> Report:
    """Evaluate one submission. ``shuffle`` feeds the engine the facts in a random order (for tests)."""
    params = params or catalogue.pack.parameters
    facts = build_facts(sub)
    run_checks(catalogue.needed_checks | ALWAYS, CheckContext(sub, facts, params, catalogue.reference))
    hits = catalogue.adapter.run(facts, shuffle)
    failures = [EngineFailure(rule_ids=list(f.rule_ids), message=f.message) for f in catalogue.adapter.failures]
    not_evaluated = {rule_id for f in failures for rule_id in f.rule_ids}
    outcome_of: dict[tuple[str, str], tuple[str, str | None]] = {}
    for hit in hits:
        key = (hit.rule_id, hit.unit_id)
        # unknown wins: a unit whose data is missing is "tidak dapat dinilai", not failed
        if key not in outcome_of or hit.outcome == "unknown":
            outcome_of[key] = (hit.outcome, hit.related_id)
    findings: list[Finding] = []
    coverage: list[RuleCoverage] = []
    regulations = catalogue.regulations
    declared = None if sub.profil.dokumen is None else set(sub.profil.dokumen)
    for cr in catalogue.rules:
        submitted = declared is None or cr.needs <= declared  # else the rule examines a document not submitted
        units = facts.of(cr.rule.for_each) if submitted else []
        if cr.scope is not None:
            units = [f for f in units if cr.in_scope(f.fields)]
        if cr.rule.id in not_evaluated:  # the engine failed on its ruleset: neither passed nor failed
            coverage.append(RuleCoverage(rule_id=cr.rule.id, component=cr.rule.component, severity=cr.rule.severity,
                                         title=cr.rule.title, evaluated=0, passed=0, failed=0, unknown=0,
                                         submitted=submitted, engine_failed=True))
            continue
        counts = {"fail": 0, "unknown": 0}
        for unit in units:
            result = outcome_of.get((cr.rule.id, unit.id))
            if result is None:
                continue
            outcome, related_id = result
            counts[outcome] += 1
            findings.append(_finding(cr, unit, outcome, facts.by_id.get(related_id) if related_id else None,
                                     catalogue, regulations, document))
        coverage.append(RuleCoverage(rule_id=cr.rule.id, component=cr.rule.component, severity=cr.rule.severity,
                                     title=cr.rule.title, evaluated=len(units),
                                     passed=len(units) - counts["fail"] - counts["unknown"],
                                     failed=counts["fail"], unknown=counts["unknown"], submitted=submitted))
    findings.sort(key=sort_key)
    tally = {s: 0 for s in SEVERITIES} | {"fail": 0, "unknown": 0, "total": len(findings)}
    for f in findings:
        tally[f.severity] += 1
        tally[f.outcome] += 1
    pack = catalogue.pack
    return Report(
        tool=TOOL,
        pack=f"{pack.id} {pack.version}",
        regulation=pack.regulation.title,
        submission=SubmissionInfo(opd=sub.profil.opd, tahun=sub.profil.tahun,
                                  file=str(document.path) if document else None, dokumen=sub.profil.dokumen),
        parameters=params.model_dump(mode="json"),
        counts=tally,
        findings=findings,
        coverage=coverage,
        scores=score(coverage),
        ratings=_ratings(facts),
        series=_series(facts),
        cascade=_cascade(facts, findings),
        engine_failures=failures,
    )


def _finding(cr: CompiledRule, unit: Fact, outcome: str, related: Fact | None, catalogue: Catalogue,
             regulations: dict[str, str], document: Document | None) -> Finding:
    rule = cr.rule
    types = catalogue.fact_fields
    values = _Values({k: display(v, types[unit.type].get(k), k) for k, v in unit.fields.items()})
    values["key"] = unit.key
    if related is not None:
        values.update({f"rel_{k}": display(v, types[related.type].get(k), k) for k, v in related.fields.items()})

    def render(template: str | None) -> str | None:
        return " ".join(template.format_map(values).split()) if template else None

    document_name = DOCUMENT_OF[unit.type]
    month = unit.where.get("bulan")
    line = document.line_of(unit.path) if document and "=" not in unit.path else None
    location = Location(
        document=document_name, path=unit.path, jabatan=unit.where.get("jabatan"), eselon=unit.where.get("eselon"),
        indikator=unit.where.get("indikator"), bulan=BULAN_LABEL[month - 1] if month else None,
        file=str(document.path) if document else None, line=line,
        sheet=document.sheet_of(unit.path) if document and line else None,
    )
    fingerprint = hashlib.sha1(f"{rule.id}|{unit.path}".encode()).hexdigest()[:12]
    own_unknown = outcome == "unknown" and rule.message_unknown
    return Finding(
        rule_id=rule.id, rule_name=rule.name, component=rule.component, severity=rule.severity, outcome=outcome,
        title=rule.title, citation=rule.citation.label(regulations), location=location,
        observed=None if own_unknown else render(rule.observed), expected=None if own_unknown else render(rule.expected),
        message=render(rule.message_unknown if own_unknown else rule.message) or "",
        remediation=render(rule.remediation) or "", fingerprint=fingerprint,
    )


def _series(facts) -> list[Series]:
    points: dict[str, list[tuple[int, str]]] = {}
    targets: dict[str, str] = {}
    for fact in facts.of("capaian"):
        ind = fact.fields["indikator"]
        if fact.fields.get("realisasi") is not None:
            points.setdefault(ind, []).append((int(fact.fields["bulan"]), canonical(fact.fields["realisasi"])))
        if fact.fields.get("target_acuan") is not None:
            targets.setdefault(ind, canonical(fact.fields["target_acuan"]))
    return [Series(indikator=ind.key, nama=ind.fields["nama"], satuan=ind.fields.get("satuan"),
                   target=targets.get(ind.key), points=sorted(points[ind.key]))
            for ind in facts.of("indikator") if ind.key in points]


def _cascade(facts, findings: list[Finding]) -> list[CascadeNode]:
    per_path: dict[str, int] = {}
    for f in findings:
        per_path[f.location.path] = per_path.get(f.location.path, 0) + 1
    return [CascadeNode(id=ind.key, level=ind.fields["level"], nama=ind.fields["nama"], induk=ind.fields.get("induk"),
                        path=ind.path, temuan=per_path.get(ind.path, 0)) for ind in facts.of("indikator")]


def _ratings(facts) -> list[Rating]:
    out: list[Rating] = []
    sources = [("lkjip", f) for f in facts.of("lkjip_baris")]
    sources += [(f"laporan bulan {BULAN_LABEL[int(f.fields['bulan']) - 1]}", f)
                for f in sorted(latest_monthly(facts), key=lambda f: _natural(f.path))]
    for label, fact in sources:
        f = fact.fields
        value = capaian_of(f)
        target = f.get("target_acuan", f.get("target"))
        out.append(Rating(sumber=label, path=fact.path, indikator=f["nama"], target=display(target),
                          realisasi=display(f.get("realisasi")), capaian=display(value), peringkat=f.get("peringkat"),
                          catatan=f.get("peringkat_catatan") if value is not None
                          else "capaian tidak dapat dihitung (data tidak lengkap)"))
    return out
