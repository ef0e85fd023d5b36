"""No pass without evidence (issue 9): for every rule, a submission that lacks the document the rule
examines, or the fields its conditions judge, yields no "memenuhi" for that rule: the unit fails, is
"tidak dapat dinilai", or is not evaluated.

Each rule's own pass examples are the starting point: they are the submissions on which the rule passes.
"""

import pytest

from sakip_checker.evaluate import effective_parameters, evaluate
from sakip_checker.facts import DOCUMENT_OF
from sakip_checker.inputs import InputProblem
from sakip_checker.checks import CHECKS
from sakip_checker.rules import _presence_tested, load_catalogue
from sakip_checker.submission import build_submission, example_data

CATALOGUE = load_catalogue()
SECTIONS = {"renja": ("renja", "formulir_b1")}  # a document and the sections of the submission that hold it

PASSES = [(cr, ex) for cr in CATALOGUE.rules for ex in cr.rule.examples if ex.expect == "pass"]


def _passed(report, rule_id):
    return next(c for c in report.coverage if c.rule_id == rule_id).passed


def _without_document(data: dict, document: str) -> dict:
    data = {k: v for k, v in data.items() if k not in SECTIONS.get(document, (document,))}
    profil = dict(data.get("profil", {}))
    if profil.get("dokumen"):
        profil["dokumen"] = [d for d in profil["dokumen"] if d != document] or None
    return {**data, "profil": profil}


@pytest.mark.parametrize(("cr", "example"), PASSES, ids=[f"{cr.rule.id}:{ex.name}" for cr, ex in PASSES])
def test_no_pass_without_the_document(cr, example):
    """Every document the rule examines, taken away from a submission on which the rule passes."""
    base = example_data(CATALOGUE.root, example.base, example.input)
    params = effective_parameters(CATALOGUE, example.parameters)
    for document in sorted(cr.needs | {DOCUMENT_OF[cr.rule.for_each]} - {"profil"}):
        try:
            submission = build_submission(_without_document(base, document))
        except InputProblem:
            continue  # the submission cannot exist without it (other sections refer to it)
        report = evaluate(submission, CATALOGUE, params)
        assert _passed(report, cr.rule.id) == 0, f"{cr.rule.id} passes without {document}"


# Base fields engine.facts.build_facts sets on every fact of the type, from required model values (a kind
# of target is always set, "kosong" when none is given): taking them away makes a submission that cannot exist.
# The value fields of a target (target, target_kunci) are present exactly when its kind is "angka", which
# every rule comparing them tests first; taken away alone they make a fact that cannot exist either.
TARGET = {"target", "target_kunci", "target_teks"}
ALWAYS_PRESENT = {
    "indikator": {"indikator", "nama", "level", "target_jenis", "target_akhir_jenis", "tahun_submisi", *TARGET,
                  "level_induk_diharapkan", "eselon_pj_diharapkan"},
    "pk_indikator": {"pk", "jabatan", "nama_jabatan", "eselon", "jenis", "indikator", "nama", "pk_berlaku",
                     "tahun_submisi", "target_jenis", "level_diharapkan", *TARGET},
    "pk": {"pk", "jabatan", "nama_jabatan", "eselon", "jenis", "tahun", "pk_berlaku", "tahun_submisi",
           "jumlah_indikator"},
    "renaksi": {"tahun", "tahun_submisi", "jumlah_baris"},
    "renaksi_baris": {"indikator", "nama", "ada_tw", "target_jenis", *TARGET},
    "laporan": {"bulan", "tahun", "tahun_submisi"},
    "capaian": {"indikator", "nama", "bulan", "kunci_bulan"},
    "renja_baris": {"target_rka_jenis"},
    "lkjip": {"tahun", "tahun_submisi"},
    "lkjip_baris": {"indikator", "nama", "tahun_submisi", "target_jenis", "target_akhir_renstra_jenis", *TARGET},
    "opd": {"opd", "tahun"},
    "jabatan": {"jabatan", "nama", "eselon", "plt"},
    "formulir_b1": {"tahun_submisi"},
}


def _judged_fields(cr) -> list[str]:
    """The unit fields the rule's conditions read that a submission can lack: base fields not always set,
    and derived fields a check may leave absent. A field the rule tests with exists/missing is left out:
    the rule itself says what its absence means."""
    fields = set()
    for compiled in (cr.fail, cr.unknown):
        if compiled is not None:
            fields |= compiled.fields.get(cr.rule.for_each, set())
    unit = cr.rule.for_each
    always = set(ALWAYS_PRESENT.get(unit, set()))
    for name, spec in CHECKS.items():
        derived = {**spec.provides, **spec.produces}.get(unit, {})
        always |= set(derived) - spec.may_be_absent.get(unit, frozenset())
    tested = set()
    for cond in (cr.rule.applies_when, cr.rule.fail_when, cr.rule.unknown_when):
        tested |= _presence_tested(cond)
    return sorted(fields - {"key"} - always - tested)


FIELD_CASES = [(cr, ex) for cr, ex in PASSES if _judged_fields(cr)]


@pytest.mark.parametrize(("cr", "example"), FIELD_CASES, ids=[f"{cr.rule.id}:{ex.name}" for cr, ex in FIELD_CASES])
def test_no_pass_without_the_judged_fields(cr, example):
    """The fields the rule's conditions read on its unit, taken away (after the checks) from every unit."""
    base = example_data(CATALOGUE.root, example.base, example.input)
    params = effective_parameters(CATALOGUE, example.parameters)
    names = _judged_fields(cr)

    def drop(facts):
        for fact in facts.of(cr.rule.for_each):
            for name in names:
                fact.fields.pop(name, None)

    report = evaluate(build_submission(base), CATALOGUE, params, altered=drop)
    assert _passed(report, cr.rule.id) == 0, f"{cr.rule.id} passes without {', '.join(names)}"


def test_the_loader_refuses_a_possibly_absent_field_read_without_saying_what_then(tmp_path):
    from pathlib import Path

    pack = tmp_path / "pergub-banten-42-2018"
    (pack / "pengukuran").mkdir(parents=True)
    src = Path(__file__).resolve().parent.parent / "rules/pergub-banten-42-2018"
    (pack / "pack.yaml").write_text((src / "pack.yaml").read_text())
    good = (src / "pengukuran/UKR-013_pk_cascades_to_superior.yaml").read_text()
    assert "skip_without: [induk_di_pk_atasan]" in good
    bad = "\n".join(line for line in good.splitlines() if not line.startswith("skip_without:"))
    (pack / "pengukuran/UKR-013_pk_cascades_to_superior.yaml").write_text(bad)
    with pytest.raises(InputProblem) as err:
        load_catalogue(tmp_path)
    assert any("UKR-013" in line and "'induk_di_pk_atasan'" in line and "struktur.pk_atasan" in line
               for line in err.value.lines), err.value.lines


def test_a_rule_without_its_document_is_not_evaluated_and_says_which(catalogue):
    """REN-008 on a submission without a Rencana Aksi: no PK indicator passes; the coverage names it."""
    rule = catalogue.by_id["REN-008"].rule
    example = next(ex for ex in rule.examples if ex.expect == "pass")
    data = _without_document(example_data(CATALOGUE.root, example.base, example.input), "rencana_aksi")
    report = evaluate(build_submission(data), CATALOGUE)
    coverage = next(c for c in report.coverage if c.rule_id == "REN-008")
    assert (coverage.evaluated, coverage.passed, coverage.missing_documents) == (0, 0, ["rencana_aksi"])
    assert any(f.rule_id == "REN-001" for f in report.findings)  # the missing document is reported once


def test_nothing_to_compare_is_unknown_and_says_what_is_missing(catalogue):
    """LAP-009: an LKjIP row whose indicator is in no PK in force cannot be compared with the PK."""
    rule = catalogue.by_id["LAP-009"].rule
    example = next(ex for ex in rule.examples if ex.expect == "pass")
    base = example_data(CATALOGUE.root, example.base, example.input)
    report = evaluate(build_submission(base), CATALOGUE)
    assert next(c for c in report.coverage if c.rule_id == "LAP-009").passed >= 1

    def no_pk(facts):
        facts.by_type["pk_indikator"] = [f for f in facts.of("pk_indikator") if not f.fields["pk_berlaku"]]

    report = evaluate(build_submission(base), CATALOGUE, altered=no_pk)
    coverage = next(c for c in report.coverage if c.rule_id == "LAP-009")
    found = [f for f in report.units() if f.rule_id == "LAP-009"]
    assert coverage.passed == 0 and coverage.unknown == len(found) >= 1
    assert all(f.outcome == "unknown" and f.message.startswith("Tidak dapat dinilai: indikator")
               and "tidak terdapat dalam PK yang berlaku" in f.message for f in found)


def test_a_skipped_unit_leaves_the_rule_count(catalogue):
    """UKR-013 on a position whose superior has no PK: not evaluated (skip_without), neither passed nor failed."""
    rule = catalogue.by_id["UKR-013"].rule
    example = next(ex for ex in rule.examples if ex.expect == "pass")
    base = example_data(CATALOGUE.root, example.base, example.input)

    def no_superior_pk(facts):
        for f in facts.of("pk_indikator"):
            f.fields.pop("induk_di_pk_atasan", None)

    report = evaluate(build_submission(base), CATALOGUE, altered=no_superior_pk)
    coverage = next(c for c in report.coverage if c.rule_id == "UKR-013")
    assert coverage.passed == coverage.failed == coverage.unknown == coverage.evaluated == 0
    assert coverage.skipped >= 1


def test_a_counterpart_that_need_not_exist_leaves_the_unit_unevaluated(catalogue):
    """LAP-008 in the OTDA example: Rencana Aksi rows at kegiatan level have no PK murni indicator of their
    own to compare targets with: not evaluated (``tanpa: skip``), neither passed nor 'tidak dapat dinilai'."""
    from pathlib import Path

    from sakip_checker.submission import load_submission

    path = Path(__file__).resolve().parent.parent / "examples/biro-pemerintahan-otda-2023.yaml"
    sub, doc = load_submission(path)
    report = evaluate(sub, CATALOGUE, document=doc)
    coverage = next(c for c in report.coverage if c.rule_id == "LAP-008")
    assert (coverage.passed, coverage.failed, coverage.unknown, coverage.skipped) == (0, 0, 0, 11)
    assert not [f for f in report.findings if f.rule_id == "LAP-008"]
