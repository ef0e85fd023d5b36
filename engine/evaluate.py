"""Evaluate a submission against a catalogue: facts -> checks -> engine -> sorted findings + counts."""

from __future__ import annotations

import datetime as dt
import gc
import random
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable, Literal

from pydantic import BaseModel, ConfigDict

from sakip_checker.checks import CheckContext, run_checks
from sakip_checker.checks.capaian import capaian_of, target_zero
from sakip_checker.checks.tabel_b2 import latest_monthly
from sakip_checker.facts import DOCUMENT_OF, FACT_TYPES, Fact, build_facts
from sakip_checker.fingerprint import fingerprint_of
from sakip_checker.inputs import Document
from sakip_checker.model import Submission
from sakip_checker.numbers import BULAN_LABEL, canonical, format_number
from sakip_checker.pack import COMPONENTS, PackYears, Parameters, pack_years
from sakip_checker.rules import SEVERITIES, Catalogue, CompiledRule
from sakip_checker.scoring import Scores, score

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
    """One failing (or unassessable) unit. Reports show them grouped (``FindingGroup``)."""

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
    group: str | None = None  # id of its FindingGroup


class Located(_Frozen):
    """One location of a finding group: the unit's own rendering of the rule's texts."""

    location: Location
    message: str
    observed: str | None
    expected: str | None
    remediation: str
    fingerprint: str


class FindingGroup(_Frozen):
    """The findings of one rule that share a cause (the same outcome and the same values of the rule's
    ``group_by`` fields; without ``group_by``, the rule itself is the cause): one entry, every location."""

    group: str  # "<rule id>#<n>", stable for the same findings
    rule_id: str
    rule_name: str
    component: str
    severity: str
    outcome: Literal["fail", "unknown"]
    title: str
    citation: str
    cause: dict[str, str] = {}  # the group_by fields and their values
    message: str  # rendered once: the unit's own when all agree, else a summary of the rule and the count
    observed: str | None  # only when every location has the same
    expected: str | None
    remediation: str  # the locations' own when they all agree, else the first location's, as an example
    remediation_varies: bool = False  # each location has its own remediation (in ``locations``)
    locations: list[Located]

    @property
    def location(self) -> Location:
        return self.locations[0].location

    def units(self) -> list[Finding]:
        return [Finding(rule_id=self.rule_id, rule_name=self.rule_name, component=self.component,
                        severity=self.severity, outcome=self.outcome, title=self.title, citation=self.citation,
                        location=x.location, observed=x.observed, expected=x.expected, message=x.message,
                        remediation=x.remediation, fingerprint=x.fingerprint, group=self.group)
                for x in self.locations]


class RuleSummary(_Frozen):
    """A line of the summary that opens every report: one per rule with findings, heaviest first."""

    rule_id: str
    title: str
    citation: str
    severity: str
    failed: int
    unknown: int
    groups: int


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
    not_applicable: str | None = None  # why the rule is not evaluated for this year (pack reference_periods)
    missing_documents: list[str] = []  # documents the rule needs that the submission lacks: nothing evaluated
    skipped: int = 0  # units in scope the rule does not apply to (a field it needs is absent: skip_without)
    applicable: bool = True  # False: the submission has units of the rule's kind, but its scope excludes all
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


class RunRef(_Frozen):
    """A stored run (``--simpan``)."""

    run: int
    tahun: int
    tanggal: str  # ISO date of recording


class Resolved(_Frozen):
    """A finding of the previous run that this run no longer has (selesai)."""

    fingerprint: str
    rule_id: str
    severity: str
    message: str
    document: str
    path: str


class Riwayat(_Frozen):
    """This run against the previous stored run of the same OPD (``sakip check --simpan``)."""

    run: int  # the id of this run in the store
    pembanding: RunRef | None  # None: the OPD's first stored run
    status: dict[str, str]  # fingerprint -> "baru" / "berulang"
    selesai: list[Resolved]


class WaiverInfo(_Frozen):
    """A waiver (pengecualian): the evaluator's judgement that a finding is acceptable."""

    sumber: str  # the file (and entry) or "basis data #id"
    sidik_jari: str | None
    aturan: str | None
    lokasi: str | None
    alasan: str
    oleh: str
    tanggal: str
    berlaku_sampai: str | None


class Waived(_Frozen):
    finding: Finding
    waiver: WaiverInfo


class Pengecualian(_Frozen):
    """Waivers applied to the report (engine/waivers.py): nothing is dropped, waived findings are listed here."""

    tanggal_acuan: str  # the date expiry is judged against
    dikecualikan: list[Waived]  # waived findings, not counted among the findings
    kedaluwarsa: list[Waived]  # findings whose waiver expired: back among the findings
    tidak_cocok: list[WaiverInfo]  # waivers that match no finding


class Report(_Frozen):
    tool: str
    pack: str
    regulation: str
    submission: SubmissionInfo
    parameters: dict[str, Any]
    counts: dict[str, int]  # findings (groups) by severity and outcome; "lokasi": failing units
    summary: list[RuleSummary]
    findings: list[FindingGroup]
    coverage: list[RuleCoverage]
    scores: Scores
    ratings: list[Rating]
    series: list[Series]
    cascade: list[CascadeNode]
    pack_years: PackYears | None = None  # the submission's year against the pack's (notices: report top)
    riwayat: Riwayat | None = None  # with --simpan: baru / berulang / selesai against the previous run
    pengecualian: Pengecualian | None = None  # with waivers: the waived, expired and unmatched ones
    engine_failures: list[EngineFailure] = []

    def by_component(self) -> dict[str, list[FindingGroup]]:
        out: dict[str, list[FindingGroup]] = {c: [] for c in COMPONENTS}
        for f in self.findings:
            out[f.component].append(f)
        return out

    def units(self) -> list[Finding]:
        """Every failing or unassessable unit, one finding each, in report order."""
        return [u for g in self.findings for u in g.units()]


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
    """The unit's fields (and a related fact's, as ``rel_<name>``) as shown in messages, each rendered when a
    template first asks for it; a declared field the unit lacks shows "-" (only declared fields reach here:
    checked at load time)."""

    def __init__(self, unit: Fact, related: Fact | None, types: dict[str, dict[str, str]]):
        super().__init__(key=unit.key)
        self._unit, self._related, self._types = unit, related, types

    def __missing__(self, key: str) -> str:
        fact, name = self._unit, key
        if key.startswith("rel_") and self._related is not None:
            fact, name = self._related, key[4:]
        if name in fact.fields:
            value = display(fact.fields[name], self._types[fact.type].get(name), name)
        else:
            value = "-"
        self[key] = value
        return value


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
             document: Document | None = None, shuffle: random.Random | None = None,
             altered: Callable[[Any], None] | None = None) -> Report:
    """Evaluate one submission. ``shuffle`` feeds the engine the facts in a random order and ``altered``
    changes the facts after the checks (both for tests: e.g. a field taken away must leave no pass).

    The cyclic garbage collector is paused for the evaluation (and left as it was found): an evaluation
    builds ~10,000 facts and their dicts, all alive until it returns, and the ~150 collections their
    allocations would trigger on the way (the full ones walk the whole heap: catalogue, submission, facts)
    free nothing of them. One collection of the young generation afterwards frees the evaluation's cyclic
    garbage (the facts point to their FactSet), so nothing accumulates however many evaluations run."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return _evaluate(sub, catalogue, params, document, shuffle, altered)
    finally:
        if paused:
            gc.enable()
            gc.collect(0)


def _evaluate(sub: Submission, catalogue: Catalogue, params: Parameters | None, document: Document | None,
              shuffle: random.Random | None, altered: Callable[[Any], None] | None) -> Report:
    params = params or catalogue.pack.parameters
    facts = build_facts(sub)
    run_checks(catalogue.needed_checks | ALWAYS, CheckContext(sub, facts, params, catalogue.reference))
    if altered is not None:
        altered(facts)
    hits = catalogue.adapter.run(facts, shuffle)
    failures = [EngineFailure(rule_ids=list(f.rule_ids), message=f.message) for f in catalogue.adapter.failures]
    not_evaluated = {rule_id for f in failures for rule_id in f.rule_ids}
    outcome_of: dict[tuple[str, str], tuple[str, str | None]] = {}
    for hit in hits:
        key = (hit.rule_id, hit.unit_id)
        # unknown wins: a unit whose data is missing is "tidak dapat dinilai", not failed
        if key not in outcome_of or hit.outcome == "unknown":
            outcome_of[key] = (hit.outcome, hit.related_id)
    rules_hit = {rule_id for rule_id, _ in outcome_of}
    findings: list[Finding] = []
    coverage: list[RuleCoverage] = []
    regulations = catalogue.regulations
    declared = None if sub.profil.dokumen is None else set(sub.profil.dokumen)
    out_of_period = catalogue.pack.out_of_period(sub.profil.tahun)
    present = documents_present(sub, facts)
    for cr in catalogue.rules:
        submitted = declared is None or cr.needs <= declared  # else the rule examines a document not submitted
        not_applicable = out_of_period.get(cr.rule.id)
        # a document the rule needs is absent: no unit can be judged (the document's own rule reports it)
        missing = sorted(cr.requires_documents - present) if submitted and not not_applicable else []
        units = facts.of(cr.rule.for_each) if submitted and not missing and not not_applicable else []
        applicable = True
        if cr.scope is not None:
            candidates = units
            in_scope = cr.in_scope
            units = [f for f in units if in_scope(f.fields)]
            applicable = bool(units) or not candidates
        if cr.rule.id in not_evaluated:  # the engine failed on its ruleset: neither passed nor failed
            coverage.append(RuleCoverage(rule_id=cr.rule.id, component=cr.rule.component, severity=cr.rule.severity,
                                         title=cr.rule.title, evaluated=0, passed=0, failed=0, unknown=0,
                                         submitted=submitted, engine_failed=True))
            continue
        counts = {"fail": 0, "unknown": 0}
        skipped = 0
        counterparts = cr.counterparts(facts) if units and cr.rule.requires_related else []
        needs_check = bool(cr.rule.requires or cr.rule.requires_related)
        skip_rule = bool(cr.rule.skip_without)
        # no hit, nothing to skip, nothing lacking to look for: every unit passes (no loop over them)
        quiet = cr.rule.id not in rules_hit and not skip_rule and not needs_check
        rule_id, outcome_get = cr.rule.id, outcome_of.get
        for unit in () if quiet else units:
            result = outcome_get((rule_id, unit.id))
            if result is None:
                # no finding: a pass only when the data the rule judges is there (a hit always rests on data)
                if skip_rule and cr.skipped(unit.fields):
                    skipped += 1
                    continue
                why = cr.lacking(unit, counterparts) if needs_check else None
                if why is None:
                    continue
                if why[0] == "skip":
                    skipped += 1
                    continue
                lacking = why[1]
                result = ("unknown", None)
            else:
                lacking = None
            outcome, related_id = result
            counts[outcome] += 1
            findings.append(_finding(cr, unit, outcome, facts.by_id.get(related_id) if related_id else None,
                                     catalogue, regulations, document, lacking))
        evaluated = len(units) - skipped
        coverage.append(RuleCoverage(rule_id=cr.rule.id, component=cr.rule.component, severity=cr.rule.severity,
                                     title=cr.rule.title, evaluated=evaluated,
                                     passed=evaluated - counts["fail"] - counts["unknown"],
                                     failed=counts["fail"], unknown=counts["unknown"], submitted=submitted,
                                     not_applicable=not_applicable, missing_documents=missing, skipped=skipped,
                                     applicable=applicable))
    findings.sort(key=sort_key)
    groups = group_findings(findings, catalogue, facts)
    tally = {s: 0 for s in SEVERITIES} | {"fail": 0, "unknown": 0, "total": len(groups), "lokasi": len(findings)}
    for g in groups:
        tally[g.severity] += 1
        tally[g.outcome] += 1
    pack = catalogue.pack
    return Report(
        tool=TOOL,
        pack=f"{pack.id} {pack.version}",
        regulation=pack.regulation.title,
        submission=SubmissionInfo(opd=sub.profil.opd, tahun=sub.profil.tahun,
                                  file=str(document.path) if document else None, dokumen=sub.profil.dokumen),
        parameters=params.model_dump(mode="json"),
        counts=tally,
        summary=rule_summary(groups),
        findings=groups,
        coverage=coverage,
        scores=score(coverage, pack.penilaian, sub.profil.tahun),
        ratings=_ratings(facts),
        series=_series(facts),
        cascade=_cascade(facts, findings),
        pack_years=pack_years(pack, sub.profil.tahun, catalogue.chosen_by),
        engine_failures=failures,
    )


def _cause_value(value: Any, name: str) -> str:
    return display(value, None, name)


def group_findings(findings: list[Finding], catalogue: Catalogue, facts) -> list[FindingGroup]:
    """One group per rule, outcome and cause (the values of the rule's ``group_by`` fields on the unit), in
    the order of their first finding; locations in report order. Nothing is dropped: every finding is a
    location of exactly one group."""
    order: list[tuple] = []
    members: dict[tuple, list[Finding]] = {}
    units: dict[str, dict[str, Fact]] = {}
    for f in findings:
        rule = catalogue.by_id[f.rule_id].rule
        if rule.group_by and rule.for_each not in units:
            units[rule.for_each] = {u.path: u for u in facts.of(rule.for_each)}
        unit = units.get(rule.for_each, {}).get(f.location.path)
        cause = tuple((name, _cause_value(unit.fields.get(name) if unit else None, name)) for name in rule.group_by)
        key = (f.rule_id, f.outcome, cause)
        if key not in members:
            members[key] = []
            order.append(key)
        members[key].append(f)
    numbers: dict[str, int] = {}
    out = []
    for key in order:
        rule_id, outcome, cause = key
        items = members[key]
        rule = catalogue.by_id[rule_id].rule
        numbers[rule_id] = numbers.get(rule_id, 0) + 1
        first = items[0]

        def same(attr: str) -> str | None:
            values = {getattr(f, attr) for f in items}
            return values.pop() if len(values) == 1 else None

        message = same("message")
        if message is None:
            where = "; ".join(f"{name} {value}" for name, value in cause)
            verdict = "tidak terpenuhi" if outcome == "fail" else "tidak dapat dinilai"
            message = f"{rule.title}: {verdict} pada {len(items)} lokasi{f' ({where})' if where else ''}."
        out.append(FindingGroup(
            group=f"{rule_id}#{numbers[rule_id]}", rule_id=rule_id, rule_name=first.rule_name,
            component=first.component, severity=first.severity, outcome=outcome, title=first.title,
            citation=first.citation, cause=dict(cause), message=message, observed=same("observed"),
            expected=same("expected"),
            remediation=same("remediation") or first.remediation, remediation_varies=same("remediation") is None,
            locations=[Located(location=f.location, message=f.message, observed=f.observed, expected=f.expected,
                               remediation=f.remediation, fingerprint=f.fingerprint) for f in items]))
    return out


def rule_summary(groups: list[FindingGroup]) -> list[RuleSummary]:
    """Per rule with findings: failing and unassessable units; the heaviest severity first, then the most units."""
    by_rule: dict[str, dict] = {}
    for g in groups:
        row = by_rule.setdefault(g.rule_id, {"rule_id": g.rule_id, "title": g.title, "citation": g.citation,
                                             "severity": g.severity, "failed": 0, "unknown": 0, "groups": 0})
        row[g.outcome if g.outcome == "unknown" else "failed"] += len(g.locations)
        row["groups"] += 1
    rows = [RuleSummary(**row) for row in by_rule.values()]
    return sorted(rows, key=lambda r: (SEVERITIES.index(r.severity), -(r.failed + r.unknown), r.rule_id))


def documents_present(sub: Submission, facts) -> set[str]:
    """The documents the submission contains: those with at least one fact, and the SKP (read by checks)."""
    present = {DOCUMENT_OF[t] for t, items in facts.by_type.items() if items and t in FACT_TYPES}  # not derived
    if sub.skp:
        present.add("skp")
    return present


def _finding(cr: CompiledRule, unit: Fact, outcome: str, related: Fact | None, catalogue: Catalogue,
             regulations: dict[str, str], document: Document | None, lacking: str | None = None) -> Finding:
    rule = cr.rule
    types = catalogue.fact_fields
    values = _Values(unit, related, types)

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
    fingerprint = fingerprint_of(rule.id, unit)
    own_unknown = outcome == "unknown" and rule.message_unknown
    if lacking is not None:  # the data the rule judges is absent: say what is missing
        return Finding(
            rule_id=rule.id, rule_name=rule.name, component=rule.component, severity=rule.severity, outcome=outcome,
            title=rule.title, citation=rule.citation.label(regulations), location=location, observed=None,
            expected=None, message=f"Tidak dapat dinilai: {render(lacking)}.",
            remediation="Lengkapi data yang dibutuhkan aturan ini agar dapat dinilai.", fingerprint=fingerprint)
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
    texts: dict[Decimal, str] = {}  # canonical text of each distinct realisasi, computed once
    for fact in facts.of("capaian"):
        ind = fact.fields["indikator"]
        realisasi = fact.fields.get("realisasi")
        if realisasi is not None:
            text = texts.get(realisasi) if realisasi.__class__ is Decimal else None
            if text is None:
                text = canonical(realisasi)
                if realisasi.__class__ is Decimal:
                    texts[realisasi] = text
            points.setdefault(ind, []).append((int(fact.fields["bulan"]), text))
        if fact.fields.get("target_acuan") is not None:
            targets.setdefault(ind, canonical(fact.fields["target_acuan"]))
    return [Series(indikator=ind.key, nama=ind.fields["nama"], satuan=ind.fields.get("satuan"),
                   target=targets.get(ind.key), points=sorted(points[ind.key]))
            for ind in facts.of("indikator") if ind.key in points]


def _cascade(facts, findings: list[Finding]) -> list[CascadeNode]:
    per_path: dict[str, int] = {}
    for f in findings:  # per unit
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
                          catatan=f.get("peringkat_catatan") if value is not None or target_zero(f)
                          else "capaian tidak dapat dihitung (data tidak lengkap)"))
    return out
