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
* rules are split into rulesets of at most ``MAX_RULES_PER_RULESET`` per unit type (L14: 64 patterns
  behind one shared test crash the engine);
* exceptions inside actions are swallowed by the engine: ours are caught and re-raised after the run;
* found here (not in the study): a join group decided by its last comparison reads past its expression
  sequence and crashes at random; the compiler closes every group with a neutral comparison on the
  constant field ``_t``, which every fact carries (see engine/conditions.py);
* found here (not in the study): ``delete_state`` of a sid in which no action ever ran segfaults. Every
  ruleset therefore has a sentinel rule on the trigger fact, and the trigger is asserted into every
  ruleset, so each sid completes at least one action before it is deleted;
* activations are de-duplicated per (rule, outcome, unit) (L3: ``$or`` fires once per branch).
"""

from __future__ import annotations

import json
import random
import re
import threading
from dataclasses import dataclass
from decimal import Decimal
from itertools import count
from typing import Iterable

import durable_rules_engine
from durable import engine as durable_engine

from engine.conditions import CONSTANT_FIELD, TRIGGER_TYPE
from engine.facts import FactSet
from engine.numbers import canonical

MAX_RULES_PER_RULESET = 24
SENTINEL = "__sentinel__"
CHUNK = 500
_NUMBER_MARK = "\u0001"
_NUMBER_RE = re.compile(r'"\\u0001(-?[0-9]+(?:\.[0-9]+)?)"')


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


def encode(records: Iterable[dict]) -> str:
    """JSON for the engine: Decimal as exact plain text, never an exponent; floats refused."""

    def prepare(value):
        if isinstance(value, Decimal):
            return _NUMBER_MARK + canonical(value)
        if isinstance(value, float):
            raise EngineError(f"float {value!r} in a fact; facts carry Decimal only")
        return value

    payload = [{k: prepare(v) for k, v in rec.items() if v is not None} for rec in records]
    return _NUMBER_RE.sub(r"\1", json.dumps(payload, ensure_ascii=False))


class _Ruleset:
    def __init__(self, host: _Host, name: str, definition: dict, fact_types: dict[str, set[str]]):
        host.set_rulesets({name: definition})
        self.name = name
        self.handle = host.get_ruleset(name)
        self.fact_types = fact_types  # fact type -> fields to send


class DurableAdapter:
    """Compiled catalogue on one durable Host. Evaluate any number of submissions, one after another."""

    _ids = count()

    def __init__(self, compiled_rules: list) -> None:
        self._hits: list[Hit] = []
        self._errors: list[str] = []
        self._lock = threading.Lock()  # the C engine is not thread-safe: one evaluation at a time
        self._sids = count()
        self._broken = False
        actions = {SENTINEL: lambda c: None}
        by_type: dict[str, list] = {}
        for cr in compiled_rules:
            by_type.setdefault(cr.rule.for_each, []).append(cr)
            for name in cr.durable_rules():
                actions[name] = self._action(name)
        self.host = _Host(actions)
        self.rulesets: list[_Ruleset] = []
        prefix = f"sakip{next(self._ids)}"
        for unit_type in sorted(by_type):
            group = by_type[unit_type]
            for start in range(0, len(group), MAX_RULES_PER_RULESET):
                chunk = group[start:start + MAX_RULES_PER_RULESET]
                definition, fields = {SENTINEL: {"all": [{"go": {"type": TRIGGER_TYPE}}], "run": SENTINEL}}, {}
                for cr in chunk:
                    for name, rule in cr.durable_rules().items():
                        definition[name] = dict(rule, run=name)
                    for fact_type, names in cr.fields.items():
                        fields.setdefault(fact_type, set()).update(names)
                try:
                    self.rulesets.append(_Ruleset(self.host, f"{prefix}_{unit_type}_{start}", definition, fields))
                except Exception as exc:  # durable reports only numeric codes: name the rules involved
                    ids = ", ".join(cr.rule.id for cr in chunk)
                    raise EngineError(f"durable-rules menolak aturan {ids}: {exc}") from None

    def _action(self, name: str):
        rule_id, outcome = name.split(":")

        def action(c):
            try:
                matched = c._m
                unit = matched["u"]["id"]
                related = matched["r"]["id"] if "r" in matched else None
                self._hits.append(Hit(rule_id, outcome, unit, related))
            except Exception as exc:  # the engine would swallow it: keep it and raise after the run
                self._errors.append(f"{name}: {exc!r}")

        return action

    def _assert(self, rs: _Ruleset, batch: list[dict]) -> None:
        try:
            code, state = durable_rules_engine.assert_facts(rs.handle._handle, encode(batch))
        except durable_rules_engine.error as exc:
            self._broken = True  # e.g. error 303: the sid is corrupt and touching it segfaults
            raise EngineError(f"durable-rules gagal pada ruleset {rs.name}: {exc}") from None
        errors: list = []
        rs.handle.do_actions(state, lambda e, s: errors.append(e))
        if errors and errors[0]:
            raise EngineError(f"aksi gagal pada ruleset {rs.name}: {errors[0]}")
        if code == 2:
            raise EngineError(f"id fakta ganda pada ruleset {rs.name}")

    def run(self, facts: FactSet, shuffle: random.Random | None = None) -> list[Hit]:
        """Assert the facts each ruleset needs, then the trigger; return the activations, de-duplicated.
        ``shuffle`` asserts the facts in a random order (tests: the order must change no result)."""
        with self._lock:
            if self._broken:
                raise EngineError("durable-rules gagal sebelumnya; jalankan ulang proses")
            self._hits, self._errors = [], []
            sid = f"s{next(self._sids)}"
            for rs in self.rulesets:
                records = []
                for fact_type, names in rs.fact_types.items():
                    for fact in facts.of(fact_type):
                        rec = {"sid": sid, "id": fact.id, "key": fact.key, "type": fact.type, CONSTANT_FIELD: 1}
                        for name in names:
                            if name != "key":
                                rec[name] = fact.fields.get(name)
                        records.append(rec)
                if shuffle is not None:
                    shuffle.shuffle(records)
                try:
                    for start in range(0, len(records), CHUNK):
                        self._assert(rs, records[start:start + CHUNK])
                    # last: absence rules see all data (L5); the sentinel makes delete_state safe
                    self._assert(rs, [{"sid": sid, "id": "__go__", "key": "__go__", "type": TRIGGER_TYPE}])
                    state = self.host.get_state(rs.name, sid)
                    if "exception" in state:
                        raise EngineError(f"aksi gagal pada ruleset {rs.name}: {state['exception'][:300]}")
                finally:
                    if not self._broken:  # a corrupt sid segfaults when touched (L14)
                        self.host.delete_state(rs.name, sid)
            if self._errors:
                raise EngineError("; ".join(self._errors[:5]))
            unique: dict[tuple, Hit] = {}
            for hit in sorted(self._hits, key=lambda h: (h.rule_id, h.outcome, h.unit_id, h.related_id or "")):
                unique.setdefault((hit.rule_id, hit.outcome, hit.unit_id), hit)
            return list(unique.values())

