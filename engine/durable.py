"""The one adapter around durable-rules 2.0.28. Nothing else imports durable.

Conventions measured in shared/design/durable-rules.md, each applied here:
* one Host with its timer threads off (``_run`` does nothing) and actions resolved by name;
* one ``sid`` per evaluation, ``delete_state`` afterwards (memory, and the 1,024-sid limit);
* facts go in through ``durable_rules_engine.assert_facts`` directly, in chunks of 500, so that an
  unmatched fact raises nothing and every action runs now, on this thread;
* numbers are written as plain decimal text by our own encoder: never an exponent (L11 segfault);
  ``None`` fields are dropped (L8); only the fields the rules read are sent;
* joins are on keys, never ``id`` (L4, enforced by the compiler); absence rules start with the trigger
  fact, asserted after all data (L5);
* rules are packed into as few rulesets as possible, with at most ``PATTERN_BUDGET`` patterns behind
  one fact type's test in a ruleset (L14: more than 64 behind one shared test crash the engine);
* exceptions inside actions are swallowed by the engine: ours are caught and re-raised after the run;
* found here (not in the study): a condition group decided by its last comparison reads past its
  expression sequence and crashes at random; the compiler closes every group that compares against a fact
  with a neutral comparison on the constant field ``_t``, which every fact carries (engine/conditions.py);
* found here (not in the study): ``delete_state`` of a sid in which no action ever ran segfaults. Every
  ruleset therefore has a sentinel rule on the trigger fact, and the trigger is asserted into every
  ruleset, so each sid completes at least one action before it is deleted;
* activations are de-duplicated per (rule, outcome, unit) (L3: ``$or`` fires once per branch).
"""

from __future__ import annotations

import json
import json.encoder
import random
import threading
from dataclasses import dataclass
from decimal import Decimal
from itertools import count
from typing import Iterable

import durable_rules_engine
from durable import engine as durable_engine

from sakip_checker.conditions import CONSTANT_FIELD, TRIGGER_TYPE
from sakip_checker.facts import FactSet
from sakip_checker.numbers import canonical

PATTERN_BUDGET = 48  # patterns behind one fact type's test in one ruleset; the engine fails above 64 (L14)
SENTINEL = "__sentinel__"
CHUNK = 500
_string = json.encoder.encode_basestring  # the C-accelerated JSON string escaper (UTF-8 kept as is)


class EngineError(RuntimeError):
    """durable-rules failed; the message says where. The process should not reuse this adapter."""


@dataclass(frozen=True)
class Hit:
    rule_id: str
    outcome: str  # "fail" | "unknown"
    unit_id: str
    related_id: str | None


class _Host(durable_engine.Host):
    def __init__(self, actions):
        self._named = actions
        super().__init__()

    def _run(self):  # no background dispatch/timer threads: deterministic, single-threaded
        pass

    def get_action(self, name):
        return self._named[name]


def _value(value) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, Decimal):
        return canonical(value)
    if isinstance(value, int):
        return str(value)
    raise EngineError(f"nilai {value!r} ({type(value).__name__}) tidak dapat dikirim ke durable-rules; "
                      "fakta hanya memuat teks, bilangan bulat, Decimal dan boolean")


def _number(value) -> str:
    return canonical(value) if type(value) is Decimal else _value(value)


def _text(value) -> str:
    return _string(value) if type(value) is str else _value(value)


ENCODERS = {"text": _text, "date": _text, "number": _number, "bool": _value}


def _bool(value: bool) -> str:
    return "true" if value else "false"


# Every declared-type encoder above writes a value of these exact classes the same way (ENCODERS differ only
# in which class they try first), so a value is encoded by its class; any other class goes through _value.
_BY_CLASS = {str: _string, bool: _bool, int: str}


def encode(records: Iterable[dict]) -> str:
    """JSON for the engine: Decimal as exact plain text, never an exponent (L11); None dropped (L8);
    floats refused. Keys are our own identifiers and need no escaping."""
    return "[" + ",".join(
        "{" + ",".join(f'"{k}":{_value(v)}' for k, v in rec.items() if v is not None) + "}" for rec in records
    ) + "]"


def _pattern_types(durable_rule: dict) -> list[str]:
    """The fact type each pattern of a compiled rule tests first (its shared alpha node)."""
    types = []
    for pattern in durable_rule["all"]:
        cond = next(iter(pattern.values()))
        types.append(cond["type"] if "type" in cond else cond["$and"][0]["type"])
    return types


def _pack(compiled_rules: list) -> list[list]:
    """Rules into as few rulesets as possible (each fact is asserted once per ruleset that reads its type)
    while no fact type sits in front of more than PATTERN_BUDGET patterns of one ruleset (L14)."""
    groups: list[list] = []
    load: dict[str, int] = {}
    for cr in sorted(compiled_rules, key=lambda c: (c.rule.for_each, c.rule.id)):
        needed: dict[str, int] = {TRIGGER_TYPE: 0}
        for rule in cr.durable_rules().values():
            for fact_type in _pattern_types(rule):
                needed[fact_type] = needed.get(fact_type, 0) + 1
        if not groups or any(load.get(t, 0) + n > PATTERN_BUDGET for t, n in needed.items()):
            groups.append([])
            load = {TRIGGER_TYPE: 1}  # the sentinel
        groups[-1].append(cr)
        for t, n in needed.items():
            load[t] = load.get(t, 0) + n
    return groups


@dataclass(frozen=True)
class RulesetFailure:
    """durable-rules failed on one ruleset: its rules could not be evaluated (every other ruleset was)."""

    ruleset: str
    rule_ids: tuple[str, ...]
    message: str


class _Ruleset:
    def __init__(self, host: _Host, name: str, definition: dict, fact_types: dict[str, set[str]],
                 field_types: dict[str, dict[str, str]], rule_ids: tuple[str, ...] = ()):
        host.set_rulesets({name: definition})
        self.name = name
        self.rule_ids = rule_ids
        self.handle = host.get_ruleset(name)
        # fact type -> the fields its rules read, each with the encoder of its declared type
        self.encoders = {
            fact_type: [(n, ENCODERS[field_types[fact_type][n]]) for n in sorted(names) if n != "key"]
            for fact_type, names in sorted(fact_types.items())
        }
        # fact type -> whether a pattern reads its key (else the key is not sent), and each field as
        # (its JSON member prefix, its name)
        self.reads_key = {fact_type: "key" in names for fact_type, names in fact_types.items()}
        self.members = {fact_type: [(f',"{n}":', n) for n, _ in encoders]
                        for fact_type, encoders in self.encoders.items()}


class DurableAdapter:
    """Compiled catalogue on one durable Host. Evaluate any number of submissions, one after another."""

    _ids = count()

    def __init__(self, compiled_rules: list, field_types: dict[str, dict[str, str]]) -> None:
        self._hits: list[Hit] = []
        self._errors: list[str] = []
        self._lock = threading.Lock()  # the C engine is not thread-safe: one evaluation at a time
        self._sids = count()
        self._broken = False
        self.failures: list[RulesetFailure] = []  # of the last run
        actions = {SENTINEL: lambda c: None}
        for cr in compiled_rules:
            for name in cr.durable_rules():
                actions[name] = self._action(name)
        self._actions = actions  # called with the matched facts (the engine's message) by _do_actions
        self.host = _Host(actions)
        self.rulesets: list[_Ruleset] = []
        self._field_types = field_types
        self._groups: dict[str, list] = {}  # ruleset name -> its compiled rules
        self._halves: dict[str, list[_Ruleset]] = {}  # a failed ruleset split in two (built on first failure)
        prefix = f"sakip{next(self._ids)}"
        for number, group in enumerate(_pack(compiled_rules)):
            self.rulesets.append(self._build(f"{prefix}_{number}", group))

    def _build(self, name: str, group: list) -> _Ruleset:
        definition = {SENTINEL: {"all": [{"go": {"type": TRIGGER_TYPE}}], "run": SENTINEL}}
        fields: dict[str, set[str]] = {}
        for cr in group:
            for rule_name, rule in cr.durable_rules().items():
                definition[rule_name] = dict(rule, run=rule_name)
            for fact_type, names in cr.fields.items():
                fields.setdefault(fact_type, set()).update(names)
        try:
            ruleset = _Ruleset(self.host, name, definition, fields, self._field_types,
                               tuple(sorted(cr.rule.id for cr in group)))
        except Exception as exc:  # durable reports only numeric codes: name the rules involved
            ids = ", ".join(cr.rule.id for cr in group)
            raise EngineError(f"durable-rules menolak aturan {ids}: {exc}") from None
        self._groups[name] = group
        return ruleset

    def _split(self, rs: _Ruleset) -> list[_Ruleset]:
        """The rules of a failed ruleset in two new rulesets, so that a failure is narrowed to the rules that
        cause it (the whole catalogue usually fits one ruleset)."""
        if rs.name not in self._halves:
            group = self._groups[rs.name]
            middle = len(group) // 2
            self._halves[rs.name] = [self._build(f"{rs.name}{side}", half)
                                     for side, half in (("a", group[:middle]), ("b", group[middle:]))]
        return self._halves[rs.name]

    def _action(self, name: str):
        rule_id, outcome = name.split(":")

        def action(matched):
            try:
                unit = matched["u"]["id"]
                related = matched["r"]["id"] if "r" in matched else None
                self._hits.append(Hit(rule_id, outcome, unit, related))
            except Exception as exc:  # the engine would swallow it: keep it and raise after the run
                self._errors.append(f"{name}: {exc!r}")

        return action

    def _assert(self, rs: _Ruleset, batch: list[str]) -> None:
        """Assert a batch of facts, each already encoded as a JSON object."""
        try:
            code, state = durable_rules_engine.assert_facts(rs.handle._handle, "[" + ",".join(batch) + "]")
        except durable_rules_engine.error as exc:
            self._broken = True  # e.g. error 303: the sid is corrupt and touching it segfaults
            raise EngineError(f"durable-rules gagal pada ruleset {rs.name}: {exc}") from None
        except MemoryError:
            self._broken = True  # a half-asserted sid: delete_state on it segfaults (review F7)
            raise EngineError(f"memori habis saat durable-rules menilai ruleset {rs.name}") from None
        self._do_actions(rs, state)
        if code == 2:
            raise EngineError(f"id fakta ganda pada ruleset {rs.name}")

    def _do_actions(self, rs: _Ruleset, state_handle: int) -> None:
        """Run the activations pending after an assert: durable's own ``Ruleset.do_actions`` loop, without
        its per-activation Python (a Closure, the state decoded from JSON and encoded again): our actions
        never change the state, so the state text the engine gave is handed back as it is."""
        handle = rs.handle._handle
        try:
            result = durable_rules_engine.start_action_for_state(handle, state_handle)
        except Exception as exc:
            raise EngineError(f"aksi gagal pada ruleset {rs.name}: {exc}") from None
        if not result:
            return
        state_text, messages = result[0], result[1]
        while messages:
            for name, message in json.loads(messages).items():
                break
            try:
                self._actions[name](message)
                durable_rules_engine.update_state(handle, state_text)
                messages = durable_rules_engine.complete_and_start_action(handle, state_handle)
            except BaseException as exc:
                durable_rules_engine.abandon_action(handle, state_handle)
                raise EngineError(f"aksi gagal pada ruleset {rs.name}: {exc}") from None

    def run(self, facts: FactSet, shuffle: random.Random | None = None) -> list[Hit]:
        """Assert the facts each ruleset needs, then the trigger; return the activations, de-duplicated.
        ``shuffle`` asserts the facts in a random order (tests: the order must change no result).

        When durable-rules fails on one ruleset, that ruleset's session is left alone (touching a corrupt sid
        segfaults) and its activations are dropped; its rules are evaluated again in two halves, and so on
        down to the single rules that fail, which are recorded in ``failures``. Every other rule is evaluated:
        one engine failure costs the rules that cause it, not the check."""
        with self._lock:
            if self._broken:
                raise EngineError("durable-rules gagal sebelumnya; jalankan ulang proses")
            self._hits, self._errors = [], []
            self.failures = []
            sid = f"s{next(self._sids)}"
            pending = list(self.rulesets)
            while pending:
                rs = pending.pop(0)
                kept = len(self._hits)
                try:
                    self._run_ruleset(rs, facts, sid, shuffle)
                except EngineError as exc:
                    del self._hits[kept:]  # a half-evaluated ruleset reports nothing rather than part
                    if len(rs.rule_ids) > 1:
                        try:
                            pending[0:0] = self._split(rs)
                            continue
                        except EngineError:
                            pass
                    self.failures.append(RulesetFailure(rs.name, rs.rule_ids, str(exc)))
            if self._errors:
                raise EngineError("; ".join(self._errors[:5]))
            unique: dict[tuple, Hit] = {}
            for hit in sorted(self._hits, key=lambda h: (h.rule_id, h.outcome, h.unit_id, h.related_id or "")):
                unique.setdefault((hit.rule_id, hit.outcome, hit.unit_id), hit)
            return list(unique.values())

    def _run_ruleset(self, rs: _Ruleset, facts: FactSet, sid: str, shuffle: random.Random | None) -> None:
        broken_before, self._broken = self._broken, False  # only the sid of the ruleset that fails is corrupt
        records = []
        by_class = dict(_BY_CLASS)
        numbers: dict[Decimal, str] = {}  # canonical text of each distinct number, computed once
        for fact_type, members in rs.members.items():
            head = f'{{"sid":"{sid}","{CONSTANT_FIELD}":1,"type":"{fact_type}","id":"'
            with_key = rs.reads_key[fact_type]
            for fact in facts.of(fact_type):
                get = fact.fields.get
                parts = [head, fact.id, '","key":' + _string(fact.key) if with_key else '"']
                for prefix, name in members:
                    value = get(name)
                    if value is None:  # None is "present" to the engine (L8): leave it out
                        continue
                    if value.__class__ is Decimal:
                        text = numbers.get(value)
                        if text is None:
                            text = numbers[value] = canonical(value)
                    else:
                        text = by_class.get(value.__class__, _value)(value)
                    parts.append(prefix)
                    parts.append(text)
                parts.append("}")
                records.append("".join(parts))
        if shuffle is not None:
            shuffle.shuffle(records)
        try:
            for start in range(0, len(records), CHUNK):
                self._assert(rs, records[start:start + CHUNK])
            # last: absence rules see all data (L5); the sentinel makes delete_state safe
            self._assert(rs, [encode([{"sid": sid, "id": "__go__", "key": "__go__", "type": TRIGGER_TYPE}])[1:-1]])
            state = self.host.get_state(rs.name, sid)
            if "exception" in state:
                raise EngineError(f"aksi gagal pada ruleset {rs.name}: {state['exception'][:300]}")
        finally:
            if not self._broken:  # a corrupt sid segfaults when touched (L14)
                self.host.delete_state(rs.name, sid)
            self._broken = self._broken or broken_before
