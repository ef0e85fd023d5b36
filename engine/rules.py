"""Rule files: one YAML file per rule, validated with pydantic; a bad file stops the run.

Layout: ``rules/<pack>/pack.yaml`` and ``rules/<pack>/<component>/<ID>_<slug>.yaml``. Files and folders
starting with ``_`` are not rules (``_bases/`` holds the example base submissions).
"""

from __future__ import annotations

import re
import string
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sakip_checker.conditions import Compiled, Compiler, ConditionError, matcher
from sakip_checker.facts import DOCUMENT_OF, FACT_TYPES, FieldType
from sakip_checker.inputs import Document, InputProblem, describe_validation_error, read_document
from sakip_checker.model import DOKUMEN
from sakip_checker.pack import COMPONENTS, DEFAULT_ID_PREFIX, Pack, pack_dirs, read_pack

_HERE = Path(__file__).resolve().parent
# the rule packs: inside the installed package (a wheel: sakip_checker/rule_packs), else the checkout's rules/
RULES_ROOT = _HERE / "rule_packs" if (_HERE / "rule_packs").is_dir() else _HERE.parent / "rules"
DEFAULT_PACK = "pergub-banten-42-2018"
ID_PREFIX = DEFAULT_ID_PREFIX  # of the bundled pack; a pack sets its own (pack.yaml id_prefix)
SEVERITIES = ("error", "warning", "info")


Severity = Literal["error", "warning", "info"]
Component = Literal["perencanaan", "pengukuran", "pelaporan", "evaluasi"]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Citation(_Frozen):
    regulation: str = Field(description="key of the pack's regulation, or of pack.other_sources")
    pasal: str | None = None
    ayat: str | None = None
    huruf: str | None = None
    angka: str | None = None
    bagian: str | None = Field(None, description="for Lampiran citations, e.g. 'Lampiran B angka 4'")
    quote: str | None = Field(None, description="the words of the article, copied exactly (required for the pack's regulation)")
    note: str | None = Field(None, description="for other sources: what practice is applied and why it is cited")

    def label(self, regulations: dict[str, str]) -> str:
        parts = []
        if self.bagian:
            parts.append(self.bagian)
        if self.pasal:
            parts.append(f"Pasal {self.pasal}")
        if self.ayat:
            parts.append(f"ayat ({self.ayat})")
        if self.huruf:
            parts.append(f"huruf {self.huruf}")
        if self.angka:
            parts.append(f"angka {self.angka}")
        return " ".join(parts + [regulations.get(self.regulation, self.regulation)])


class FindingAt(_Frozen):
    at: str


class Example(_Frozen):
    name: str = Field(pattern=r"^(pass|fail|unknown)_[a-z0-9_]+$")
    expect: Literal["pass", "fail", "unknown"]
    base: str | None = Field(None, description="name of a base submission in rules/<pack>/_bases/")
    input: dict[str, Any]
    parameters: dict[str, Any] = Field(default_factory=dict, description="pack parameters for this example")
    findings: list[FindingAt] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> "Example":
        if not self.name.startswith(self.expect):
            raise ValueError(f"nama contoh '{self.name}' harus diawali '{self.expect}_'")
        if self.expect == "pass" and self.findings:
            raise ValueError("contoh pass tidak boleh memuat findings")
        if self.expect != "pass" and not self.findings:
            raise ValueError("contoh fail/unknown wajib menyebut findings (lokasi yang harus muncul)")
        return self


class RequiredRelated(_Frozen):
    """A counterpart the rule compares the unit with: without one, the unit is "tidak dapat dinilai"."""

    type: str
    on: dict[str, str] = Field(description="{field of the other fact: field of the unit}, as in a related join")
    where: Any = Field(None, description="a condition on the other fact alone (no {unit: ...})")
    karena: str = Field(description="what is missing, in Indonesian, shown in the finding")
    tanpa: Literal["unknown", "skip"] = Field(
        "unknown", description="without a counterpart the unit is 'tidak dapat dinilai' (unknown), or not "
        "evaluated (skip) where a counterpart need not exist")


class Rule(_Frozen):
    id: str = Field(pattern=r"^[A-Z]{2,5}-\d{3}$", description="the pack's id_prefix of the component, then 3 digits")
    name: str = Field(pattern=r"^(perencanaan|pengukuran|pelaporan|evaluasi)\.[a-z0-9_]+$")
    title: str
    component: Component
    document: str
    for_each: str
    severity: Severity
    status: Literal["draft", "stable", "deprecated"] = "stable"
    since: str = "0.1.0"
    obligations: list[str] = Field(default_factory=list, description="ids of shared/domain/obligations.md")
    citation: Citation
    see_also: list[Citation] = Field(default_factory=list)
    derive: list[str] = Field(default_factory=list, description="checks whose derived fields the conditions read")
    needs: list[str] = Field(
        default_factory=list,
        description="documents the rule reads only through a check (e.g. lhe, lkjip); those of for_each and of "
        "joined facts are found by the loader")
    requires: dict[str, str] = Field(
        default_factory=dict,
        description="unit fields the rule judges -> what is missing when one is absent (Indonesian, may use the "
        "unit's placeholders): a unit without one is 'tidak dapat dinilai', never 'memenuhi'")
    requires_related: list[RequiredRelated] = Field(
        default_factory=list, description="counterparts the unit is compared with; without one it is 'tidak dapat "
        "dinilai'")
    skip_without: list[str] = Field(
        default_factory=list, description="unit fields without which the rule does not apply: the unit is not "
        "evaluated (neither passed nor scored)")
    group_by: list[str] = Field(
        default_factory=list,
        description="unit fields that identify the cause of a finding: the rule's findings with the same outcome "
        "and the same values of these fields are reported once, with all their locations (none: one entry "
        "per outcome for the whole rule)")
    applies_when: Any = None
    fail_when: Any = None
    unknown_when: Any = None
    message: str
    message_unknown: str | None = Field(
        None, description="message when unknown_when holds, if it differs from the fail message "
        "(observed/expected are then left out: they describe the failure)")
    observed: str | None = None
    expected: str | None = None
    rationale: str
    remediation: str
    tags: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    examples: list[Example]

    @model_validator(mode="after")
    def _shape(self) -> "Rule":
        if self.fail_when is None and self.unknown_when is None:
            raise ValueError("aturan wajib memiliki fail_when dan/atau unknown_when")
        if not self.name.startswith(self.component + "."):
            raise ValueError(f"name harus berawalan '{self.component}.'")
        expects = {e.expect for e in self.examples}
        if "pass" not in expects or not expects & {"fail", "unknown"}:
            raise ValueError("aturan wajib memiliki contoh pass dan contoh fail (atau unknown)")
        if self.fail_when is not None and "fail" not in expects:
            raise ValueError("aturan dengan fail_when wajib memiliki contoh fail")
        if self.unknown_when is not None and "unknown" not in expects:
            raise ValueError("aturan dengan unknown_when wajib memiliki contoh unknown")
        return self


class CompiledRule:
    """A rule with its conditions compiled and its scope matcher ready."""

    def __init__(self, rule: Rule, fail: Compiled | None, unknown: Compiled | None, scope: dict | None,
                 scope_durable: dict | None, fields: dict[str, set[str]], source: Path):
        self.rule = rule
        self.fail = fail
        self.unknown = unknown
        self.scope = scope
        self._in_scope = matcher(scope) if scope is not None else None
        self.scope_durable = [scope_durable] if scope_durable else []
        self.fields = fields
        self.source = source
        self.needs: frozenset[str] = frozenset()  # documents the rule examines (set by the loader)
        self.requires_documents: frozenset[str] = frozenset()  # without one of them, no unit is evaluated
        self._related = [(r, matcher(r.where) if r.where is not None else None) for r in rule.requires_related]

    def skipped(self, fields: dict) -> bool:
        """The unit has none of the fields without which the rule does not apply."""
        names = self.rule.skip_without
        return bool(names) and all(fields.get(name) is None for name in names)

    def counterparts(self, facts) -> list[set[tuple]]:
        """Per ``requires_related`` entry, the join keys of the facts that can be compared with a unit."""
        out = []
        for req, where in self._related:
            names = sorted(req.on)
            out.append({tuple(f.key if k == "key" else f.fields.get(k) for k in names)
                        for f in facts.of(req.type) if where is None or where(f.fields)})
        return out

    def lacking(self, unit, counterparts: list[set[tuple]]) -> tuple[str, str] | None:
        """Why the unit cannot be judged: ("unknown" or "skip", the Indonesian reason as a template on the
        unit's fields), or None. ``counterparts``: ``self.counterparts(facts)``."""
        for name, reason in self.rule.requires.items():
            if unit.fields.get(name) is None:
                return "unknown", reason
        for (req, _), keys in zip(self._related, counterparts):
            wanted = tuple(unit.key if req.on[k] == "key" else unit.fields.get(req.on[k]) for k in sorted(req.on))
            if None in wanted or wanted not in keys:
                return req.tanpa, req.karena
        return None

    def in_scope(self, fields: dict) -> bool:
        return self._in_scope is None or self._in_scope(fields)

    def durable_rules(self) -> dict[str, dict]:
        out = {}
        for outcome, compiled in (("fail", self.fail), ("unknown", self.unknown)):
            if compiled is not None:
                out[f"{self.rule.id}:{outcome}"] = compiled.durable(self.rule.for_each, self.scope_durable)
        return out


class Catalogue:
    """A loaded, validated rule pack."""

    def __init__(self, root: Path, pack: Pack, rules: list[CompiledRule], fact_fields: dict[str, dict[str, FieldType]]):
        self.root = root
        self.pack = pack
        self.rules = rules
        self.by_id = {r.rule.id: r for r in rules}
        self.fact_fields = fact_fields
        self.chosen_by: str | None = None  # "tahun" (by the submission's year) or "paket" (--paket)

    @property
    def regulations(self) -> dict[str, str]:
        return {self.pack.regulation.key: self.pack.regulation.short, **self.pack.other_sources}

    def subset(self, ids: list[str]) -> "Catalogue":
        sub = Catalogue(self.root, self.pack, [self.by_id[i] for i in ids], self.fact_fields)
        sub.chosen_by = self.chosen_by
        return sub

    @cached_property
    def reference(self) -> dict[str, Any]:
        """Reference data of the pack (``_reference/<name>.yaml``), by file stem, for the checks."""
        data: dict[str, Any] = {}
        cached = getattr(self, "cached_files", None) or {}
        for path in sorted((self.root / "_reference").glob("*.yaml")):
            rel = path.relative_to(self.root).as_posix()
            data[path.stem] = cached[rel] if rel in cached else read_document(path).data
        return data

    @cached_property
    def needed_checks(self) -> set[str]:
        return {name for r in self.rules for name in r.rule.derive}

    @cached_property
    def adapter(self):
        from sakip_checker.durable import DurableAdapter

        return DurableAdapter(self.rules, self.fact_fields)


def fact_fields_with_checks() -> dict[str, dict[str, FieldType]]:
    from sakip_checker.checks import CHECKS

    fields = {t: dict(f) for t, f in FACT_TYPES.items()}
    for spec in CHECKS.values():
        for fact_type, provided in spec.provides.items():
            fields[fact_type].update(provided)
        for fact_type, produced in spec.produces.items():
            fields.setdefault(fact_type, {}).update(produced)
    return fields


def _provider_of(fact_fields_by_check: dict[str, dict[str, dict]], fact_type: str, name: str) -> str | None:
    for check_name, by_type in fact_fields_by_check.items():
        if name in by_type.get(fact_type, {}):
            return check_name
    return None


def _template_fields(template: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


def _compile(rule: Rule, path: Path, fact_fields: dict[str, dict[str, FieldType]]) -> CompiledRule:
    from sakip_checker.checks import CHECKS

    problems: list[str] = []
    for name in rule.derive:
        if name not in CHECKS:
            problems.append(f"derive: check '{name}' tidak terdaftar di checks/")
    if rule.for_each not in fact_fields:
        raise InputProblem([f"{path}: for_each: jenis fakta '{rule.for_each}' tidak dikenal "
                            f"(yang ada: {', '.join(sorted(fact_fields))})"])
    if DOCUMENT_OF.get(rule.for_each) != rule.document:
        problems.append(f"document: '{rule.document}' tidak sesuai dengan for_each '{rule.for_each}' "
                        f"(seharusnya '{DOCUMENT_OF.get(rule.for_each)}')")
    compiler = Compiler(fact_fields)
    compiled: dict[str, Any] = {}
    fields: dict[str, set[str]] = {}
    scope = scope_durable = None
    try:
        if rule.applies_when is not None:
            scope_durable, f = compiler.compile_scope(rule.applies_when, rule.for_each, "applies_when")
            scope = rule.applies_when
            for t, names in f.items():
                fields.setdefault(t, set()).update(names)
        for key in ("fail_when", "unknown_when"):
            cond = getattr(rule, key)
            if cond is not None:
                compiled[key] = compiler.compile_rule_condition(cond, rule.for_each, key)
                for t, names in compiled[key].fields.items():
                    fields.setdefault(t, set()).update(names)
    except ConditionError as exc:
        problems.append(str(exc))
    # every derived field a condition reads must come from a check the rule lists in `derive`
    by_check = {name: spec.provides | spec.produces for name, spec in CHECKS.items()}
    for fact_type, names in fields.items():
        for name in sorted(names):
            if name in FACT_TYPES.get(fact_type, {}) or name == "key":
                continue
            provider = _provider_of(by_check, fact_type, name)
            if provider and provider not in rule.derive:
                problems.append(f"derive: field '{name}' ({fact_type}) dihitung oleh check '{provider}'; "
                                f"tambahkan ke derive")
    unit_known = set(fact_fields[rule.for_each]) | {"key"}
    for key, names in (("requires", list(rule.requires)), ("skip_without", rule.skip_without),
                       ("group_by", rule.group_by)):
        for name in names:
            if name not in unit_known:
                problems.append(f"{key}: field '{name}' tidak ada pada fakta '{rule.for_each}'")
    for i, req in enumerate(rule.requires_related):
        where = f"requires_related[{i}]"
        if req.type not in fact_fields:
            problems.append(f"{where}.type: jenis fakta '{req.type}' tidak dikenal")
            continue
        for theirs, mine in req.on.items():
            if theirs not in set(fact_fields[req.type]) | {"key"} or mine not in unit_known:
                problems.append(f"{where}.on: '{theirs}: {mine}' bukan pasangan field '{req.type}' dan '{rule.for_each}'")
        if req.where is not None:
            try:
                compiler.compile_scope(req.where, req.type, f"{where}.where")
            except ConditionError as exc:
                problems.append(str(exc))
    # a derived field that may be absent must not be compared silently: a comparison on an absent field is
    # false, so the unit would pass on no data. The rule must say what happens then.
    handled = set(rule.requires) | set(rule.skip_without)
    for cond in (rule.applies_when, rule.fail_when, rule.unknown_when):
        handled |= _presence_tested(cond)
    absent_by_check = {name: CHECKS[name].may_be_absent for name in rule.derive if name in CHECKS}
    judged = set().union(*(c.fields.get(rule.for_each, set()) for c in compiled.values()))  # not applies_when
    for name in sorted(judged - handled):
        for check_name, by_type in absent_by_check.items():
            if name in by_type.get(rule.for_each, ()):
                problems.append(f"field '{name}' ({rule.for_each}) dapat tidak ada (check '{check_name}'); "
                                f"nyatakan apa yang terjadi: requires (tidak dapat dinilai), skip_without (tidak "
                                f"dinilai) atau uji exists/missing")
    for name in rule.needs:
        if name not in DOKUMEN:
            problems.append(f"needs: dokumen '{name}' tidak dikenal (yang ada: {', '.join(DOKUMEN)})")
    produced_by = {t: n for n, s in CHECKS.items() for t in s.produces}
    if rule.for_each in produced_by and produced_by[rule.for_each] not in rule.derive:
        problems.append(f"derive: fakta '{rule.for_each}' dibuat oleh check '{produced_by[rule.for_each]}'; "
                        f"tambahkan ke derive")
    unit_fields = set(fact_fields[rule.for_each]) | {"key"}
    for key in ("message", "message_unknown", "observed", "expected", "remediation"):
        template = getattr(rule, key)
        if not template:
            continue
        try:
            names = _template_fields(template)
        except ValueError as exc:
            problems.append(f"{key}: templat tidak sah ({exc})")
            continue
        join = compiled.get("fail_when") and compiled["fail_when"].join
        rel_fields = {f"rel_{n}" for n in fact_fields[join.type]} if join and join.kind == "related" else set()
        for name in sorted(names - unit_fields - rel_fields):
            problems.append(f"{key}: placeholder {{{name}}} bukan field fakta '{rule.for_each}'")
    for name, reason in [*rule.requires.items(), *((f"requires_related[{i}]", r.karena)
                                                   for i, r in enumerate(rule.requires_related))]:
        try:
            for placeholder in sorted(_template_fields(reason) - unit_fields):
                problems.append(f"requires {name}: placeholder {{{placeholder}}} bukan field fakta '{rule.for_each}'")
        except ValueError as exc:
            problems.append(f"requires {name}: templat tidak sah ({exc})")
    if problems:
        raise InputProblem([f"{path}: {p}" for p in problems])
    compiled_rule = CompiledRule(rule, compiled.get("fail_when"), compiled.get("unknown_when"), scope, scope_durable,
                                 fields, path)
    compiled_rule.needs = documents_examined(rule)
    compiled_rule.requires_documents = documents_required(rule)
    return compiled_rule


def _presence_tested(cond: Any) -> set[str]:
    """Unit fields a condition tests with exists/missing (outside joins): the rule says what absence means."""
    if isinstance(cond, dict):
        found: set[str] = set()
        for op, arg in cond.items():
            if op in ("exists", "missing") and isinstance(arg, str):
                found.add(arg)
            elif op in ("all", "any"):
                found |= _presence_tested(arg)
        return found
    if isinstance(cond, list):
        return set().union(*(_presence_tested(c) for c in cond))
    return set()


def _related_types(cond: Any) -> set[str]:
    if isinstance(cond, dict):
        found = {cond["related"]["type"]} if isinstance(cond.get("related"), dict) else set()
        return found.union(*(_related_types(v) for v in cond.values()))
    if isinstance(cond, list):
        return set().union(*(_related_types(v) for v in cond))
    return set()


def _absent_types(rule: Rule) -> set[str]:
    def walk(cond: Any) -> set[str]:
        if isinstance(cond, dict):
            found = {cond["absent"]["type"]} if isinstance(cond.get("absent"), dict) else set()
            return found.union(*(walk(v) for v in cond.values()))
        if isinstance(cond, list):
            return set().union(*(walk(v) for v in cond))
        return set()
    return walk(rule.fail_when) | walk(rule.unknown_when)


def documents_required(rule: Rule) -> frozenset[str]:
    """The documents without which no unit of the rule can be judged: the unit's own, those of the facts
    it compares the unit with (``related``), those of ``requires_related`` and those it declares in
    ``needs``. A document joined with ``absent`` is not required: its absence is what such a rule finds."""
    handled = _joined_types(rule.fail_when) | _joined_types(rule.unknown_when)
    related = _related_types(rule.fail_when) | _related_types(rule.unknown_when)
    absent = handled - related | (related & _absent_types(rule))  # the rule says what their absence means
    types = {rule.for_each} | (related - absent) | {r.type for r in rule.requires_related}
    return frozenset({DOCUMENT_OF.get(t, t) for t in types} | set(rule.needs)) - {"profil"}


def _joined_types(cond: Any) -> set[str]:
    if isinstance(cond, dict):
        found = {cond[op]["type"] for op in ("related", "absent") if isinstance(cond.get(op), dict)}
        return found.union(*(_joined_types(v) for v in cond.values()))
    if isinstance(cond, list):
        return set().union(*(_joined_types(v) for v in cond))
    return set()


def documents_examined(rule: Rule) -> frozenset[str]:
    """The documents a rule looks at: its unit's, the joined facts', and those it declares in ``needs``.
    The profil is always part of a submission and is left out."""
    types = {rule.for_each} | _joined_types(rule.fail_when) | _joined_types(rule.unknown_when)
    return frozenset({DOCUMENT_OF.get(t, t) for t in types} | set(rule.needs)) - {"profil"}


# The rule pack cache (issue 11): the data of a pack's YAML files (rules and _reference/), pickled once under
# the user's cache folder, keyed by the files' content and the versions that parse them; the rules are still
# validated and compiled from it at every load. A load that finds a problem is redone from the files (the
# messages then name their lines). RULE_CACHE is a switch for the test that shows the outputs identical.
RULE_CACHE = True


def _cache_dir() -> Path | None:
    import os

    if os.environ.get("SAKIP_CACHE_DIR"):
        return Path(os.environ["SAKIP_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
    return Path(base) / "sakip-checker"


def _cache_path(pack_dir: Path) -> tuple[Path | None, list[Path]]:
    import hashlib
    import sys

    import yaml

    files = [p for p in sorted(pack_dir.rglob("*.yaml")) if p.name != "pack.yaml"
             and not p.relative_to(pack_dir).parts[0] in ("_bases", "_source")]
    digest = hashlib.sha256(f"{sys.version}|{yaml.__version__}|{__file__}".encode())
    for path in files:
        digest.update(path.relative_to(pack_dir).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    folder = _cache_dir()
    return (folder / f"{pack_dir.name}-{digest.hexdigest()[:32]}.pickle" if folder else None), files


def _cache_read(target: Path) -> dict[str, Any] | None:
    import os
    import pickle

    try:
        st, folder = target.stat(), target.parent.stat()
    except OSError:
        return None
    # only a file this user wrote, in a folder nobody else can write into (pickle runs what it loads)
    if any(s.st_uid != os.getuid() or s.st_mode & 0o022 for s in (st, folder)):
        return None
    try:
        with target.open("rb") as fh:
            data = pickle.load(fh)
    except Exception:  # a damaged cache is no cache
        return None
    return data if isinstance(data, dict) else None


def _cache_write(target: Path, files: list[Path], pack_dir: Path, read: dict[str, Any]) -> None:
    import os
    import pickle

    try:
        data = {p.relative_to(pack_dir).as_posix(): read.get(p.relative_to(pack_dir).as_posix())
                for p in files}
        for rel, value in list(data.items()):
            if value is None:
                data[rel] = read_document(pack_dir / rel).data
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = target.with_name(f".{target.name}.{os.getpid()}")
        with tmp.open("wb") as fh:
            pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
    except (OSError, InputProblem, pickle.PicklingError):
        pass  # no cache: the next run reads the files again


def load_catalogue(root: Path | None = None, pack: str = DEFAULT_PACK) -> Catalogue:
    """Load and validate a pack. Raises InputProblem naming every bad file and field at once."""
    pack_dir = (root or RULES_ROOT) / pack
    target, files, cached = None, [], None
    if RULE_CACHE and (pack_dir / "pack.yaml").exists():
        target, files = _cache_path(pack_dir)
        cached = _cache_read(target) if target else None
        if cached is not None:
            try:
                catalogue = _load_catalogue(root, pack, cached, {})
            except InputProblem:  # redone from the files below: the messages then give lines
                cached = None
            else:
                catalogue.cached_files = cached
                return catalogue
    read: dict[str, Any] = {}
    catalogue = _load_catalogue(root, pack, None, read)
    if target is not None:
        _cache_write(target, files, pack_dir, read)
    return catalogue


def _load_catalogue(root: Path | None, pack: str, cached: dict[str, Any] | None, read: dict[str, Any]) -> Catalogue:
    pack_dir = (root or RULES_ROOT) / pack
    problems: list[str] = []
    if not (pack_dir / "pack.yaml").exists():
        known = ", ".join(d.name for d in pack_dirs(root or RULES_ROOT)) or "-"
        raise InputProblem([f"paket aturan '{pack}' tidak ada di {root or RULES_ROOT} (yang ada: {known})"])
    pack_model = read_pack(pack_dir)
    fact_fields = fact_fields_with_checks()
    rules: list[CompiledRule] = []
    seen: dict[str, Path] = {}
    for path in sorted(pack_dir.rglob("*.yaml")):
        rel = path.relative_to(pack_dir)
        if path.name == "pack.yaml" or any(part.startswith("_") for part in rel.parts):
            continue
        try:
            key = rel.as_posix()
            if cached is not None and key in cached:
                rdoc = Document(path, cached[key])
            else:
                rdoc = read_document(path)
                read[key] = rdoc.data
            rule = Rule.model_validate(rdoc.data)
        except InputProblem as exc:
            problems.extend(exc.lines)
            continue
        except ValidationError as exc:
            problems.extend(describe_validation_error(exc, rdoc))
            continue
        file_problems = []
        prefix = pack_model.id_prefix[rule.component]
        if not re.fullmatch(rf"{prefix}-\d{{3}}", rule.id):
            file_problems.append(f"{path}: id {rule.id} harus berawalan {prefix}- untuk komponen {rule.component}")
        for item in rule.obligations:
            if not re.fullmatch(pack_model.obligation_pattern, item):
                file_problems.append(f"{path}: obligations: id kewajiban '{item}' tidak sesuai pola paket "
                                     f"{pack_model.obligation_pattern}")
        if not path.name.startswith(rule.id + "_"):
            file_problems.append(f"{path}: nama berkas harus diawali id '{rule.id}_'")
        if rel.parts[0] != rule.component or rel.parts[0] not in COMPONENTS:
            file_problems.append(f"{path}: berkas harus berada di folder komponen '{rule.component}/'")
        for ident in [rule.id, *rule.aliases]:
            if ident in seen:
                file_problems.append(f"{path}: id '{ident}' sudah dipakai oleh {seen[ident]}")
            seen[ident] = path
        regs = {pack_model.regulation.key, *pack_model.other_sources}
        for i, cit in enumerate([rule.citation, *rule.see_also]):
            where = f"citation{'' if i == 0 else f' see_also[{i - 1}]'}"
            if cit.regulation not in regs:
                file_problems.append(f"{path}: {where}.regulation: "
                                     f"'{cit.regulation}' tidak dikenal (yang ada: {', '.join(sorted(regs))})")
            elif cit.regulation == pack_model.regulation.key and not cit.quote:
                file_problems.append(f"{path}: {where}.quote: kutip bunyi pasal persis seperti dalam peraturan")
            elif cit.regulation != pack_model.regulation.key and not (cit.note or cit.quote):
                file_problems.append(f"{path}: {where}.note: jelaskan praktik yang dirujuk dari sumber ini")
        try:
            compiled = _compile(rule, path, fact_fields)
        except InputProblem as exc:
            file_problems.extend(exc.lines)
        if file_problems:
            problems.extend(file_problems)
            continue
        rules.append(compiled)
    if problems:
        raise InputProblem(problems)
    if not rules:
        raise InputProblem([f"{pack_dir}: tidak ada berkas aturan"])
    ids = {r.rule.id for r in rules}
    for name, period in pack_model.reference_periods.items():
        if not (pack_dir / "_reference" / f"{name}.yaml").exists():
            problems.append(f"{pack_dir / 'pack.yaml'}: reference_periods.{name}: _reference/{name}.yaml tidak ada")
        problems.extend(f"{pack_dir / 'pack.yaml'}: reference_periods.{name}.rules: aturan '{i}' tidak ada"
                        for i in period.rules if i not in ids)
    if problems:
        raise InputProblem(problems)
    rules.sort(key=lambda r: r.rule.id)
    return Catalogue(pack_dir, pack_model, rules, fact_fields)
