"""Every rule's own examples, run through the whole pipeline (facts -> checks -> durable-rules).

A fail/unknown example must produce exactly the listed locations for its rule, a pass example none;
every example must evaluate at least one unit of the rule, so that a pass cannot be vacuous.
`pytest -k UKR-005` runs one rule.
"""

import pytest

from engine.evaluate import effective_parameters, evaluate
from engine.rules import load_catalogue
from engine.submission import build_submission, example_data

CATALOGUE = load_catalogue()
CASES = [(cr.rule.id, ex) for cr in CATALOGUE.rules for ex in cr.rule.examples]


@pytest.mark.parametrize(("rule_id", "example"), CASES, ids=[f"{rid}:{ex.name}" for rid, ex in CASES])
def test_rule_example(rule_id, example):
    data = example_data(CATALOGUE.root, example.base, example.input)
    submission = build_submission(data)
    report = evaluate(submission, CATALOGUE, effective_parameters(CATALOGUE, example.parameters))
    got = sorted((f.outcome, f.location.path) for f in report.units() if f.rule_id == rule_id)
    want = sorted((example.expect, f.at) for f in example.findings)
    assert got == want
    coverage = next(c for c in report.coverage if c.rule_id == rule_id)
    assert coverage.evaluated >= 1, "the example evaluates no unit of this rule"
    assert coverage.failed + coverage.unknown == len(got)


FAILING = [(rid, ex) for rid, ex in CASES if ex.expect != "pass"]


@pytest.mark.parametrize(("rule_id", "example"), FAILING, ids=[f"{rid}:{ex.name}" for rid, ex in FAILING])
def test_every_finding_renders_in_every_format(rule_id, example):
    """Each rule's findings, whatever document they point at, appear in every text report format."""
    from reports.formats import render

    data = example_data(CATALOGUE.root, example.base, example.input)
    report = evaluate(build_submission(data), CATALOGUE, effective_parameters(CATALOGUE, example.parameters))
    for fmt in ("markdown", "csv", "checklist", "html", "checklist-html"):
        text = render(report, fmt)
        assert rule_id in text, fmt
