"""Engine behaviour that durable-rules makes easy to get wrong: fact order, re-entrancy, encoding, errors."""

import json
import random
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from sakip_checker import durable
from sakip_checker.durable import EngineError, encode
from sakip_checker.evaluate import evaluate
from sakip_checker.rules import load_catalogue
from sakip_checker.submission import load_submission

ROOT = Path(__file__).resolve().parent.parent
BIRO = ROOT / "examples/biro-pemerintahan-otda-2023.yaml"
CLEAN = ROOT / "examples/biro-contoh-bersih-2023.yaml"


def keyed(report):
    return [(f.rule_id, f.outcome, f.location.path, f.message) for f in report.units()]


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_fact_order_changes_no_finding(catalogue, seed):
    sub, _ = load_submission(BIRO)
    reference = keyed(evaluate(sub, catalogue))
    assert reference
    assert keyed(evaluate(sub, catalogue, shuffle=random.Random(seed))) == reference


def test_reordering_the_submission_changes_no_finding(catalogue):
    sub, _ = load_submission(BIRO)
    rng = random.Random(7)
    shuffled = sub.model_copy(update={
        "indikator": rng.sample(sub.indikator, len(sub.indikator)),
        "rencana_aksi": sub.rencana_aksi.model_copy(
            update={"baris": rng.sample(sub.rencana_aksi.baris, len(sub.rencana_aksi.baris))}),
    })

    def by_content(report):  # paths name positions, so compare what was found, not where in the list
        return Counter((f.rule_id, f.outcome, f.message) for f in report.units())

    assert by_content(evaluate(shuffled, catalogue)) == by_content(evaluate(sub, catalogue))


def test_a_then_b_equals_each_alone():
    a, _ = load_submission(BIRO)
    b, _ = load_submission(CLEAN)
    alone_a = keyed(evaluate(a, load_catalogue()))
    alone_b = keyed(evaluate(b, load_catalogue()))
    shared = load_catalogue()
    assert keyed(evaluate(a, shared)) == alone_a
    assert keyed(evaluate(b, shared)) == alone_b
    assert keyed(evaluate(a, shared)) == alone_a
    assert alone_b == [] and alone_a


def test_states_are_freed_past_the_engine_limit_of_1024_sessions():
    catalogue = load_catalogue().subset(["UKR-001", "UKR-015"])
    sub, _ = load_submission(CLEAN)
    for _ in range(1100):
        report = evaluate(sub, catalogue)
    assert report.findings == []


def test_encode_writes_exact_decimals_without_exponent():
    text = encode([{"a": Decimal("0.00001"), "b": Decimal("1E+16"), "c": Decimal("-7912100"), "d": None,
                    "e": 'Biro "Otda" \\ é', "f": True, "g": 7}])
    assert text == '[{"a":0.00001,"b":10000000000000000,"c":-7912100,"e":"Biro \\"Otda\\" \\\\ é","f":true,"g":7}]'
    assert json.loads(text)[0]["e"] == 'Biro "Otda" \\ é'
    with pytest.raises(EngineError):
        encode([{"a": 1e-05}])


def test_an_exception_inside_an_action_is_not_swallowed(monkeypatch):
    catalogue = load_catalogue().subset(["UKR-021"])
    sub, _ = load_submission(BIRO)

    def broken(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(durable, "Hit", broken)  # every activation of the action now raises inside durable
    with pytest.raises(EngineError, match="boom"):
        evaluate(sub, catalogue)


def test_documents_not_submitted_are_not_reported_as_not_made(catalogue):
    """profil.dokumen: rules on a document the submission does not contain are not evaluated (and not
    scored); without the declaration the same absence is a finding."""
    from sakip_checker.submission import build_submission, example_data

    renja_row = {"kode": "4.01.01.2.01.01", "uraian": "Penyusunan Dokumen Perencanaan", "indikator": "Jumlah dokumen",
                 "target_renja": "3 Dokumen", "target_rka": "3 Dokumen", "dana_renja": "Rp 1.000.000",
                 "dana_rka": "Rp 1.000.000", "kesesuaian": "ya"}
    plain = {"profil": {"opd": "Dinas Pertanian", "tahun": 2023}, "jabatan": [], "indikator": [],
             "perjanjian_kinerja": [], "rencana_aksi": None, "renja": [renja_row]}
    undeclared = evaluate(build_submission(example_data(catalogue.root, "minimal", plain)), catalogue)
    assert "REN-001" in {f.rule_id for f in undeclared.units()}  # Rencana Aksi absent: a finding

    declared = {**plain, "profil": {**plain["profil"], "dokumen": ["renja"]}}
    report = evaluate(build_submission(example_data(catalogue.root, "minimal", declared)), catalogue)
    out = {c.rule_id for c in report.coverage if not c.submitted}
    assert {"REN-001", "LAP-012", "UKR-032", "REN-022"} <= out  # Rencana Aksi, LKjIP, SK IKU, evidence items
    assert not out & {f.rule_id for f in report.units()}
    assert {"REN-013", "REN-016", "UKR-035"}.isdisjoint(out)  # Formulir B.1 and the profil are still checked
    assert all(c.evaluated == 0 for c in report.coverage if not c.submitted)


def test_data_in_a_document_left_out_of_the_declaration_is_an_input_error(catalogue):
    from sakip_checker.inputs import InputProblem
    from sakip_checker.submission import build_submission, example_data

    data = example_data(catalogue.root, "minimal", {"profil": {"opd": "Biro Contoh", "tahun": 2023,
                                                               "dokumen": ["jabatan", "indikator"]}})
    with pytest.raises(InputProblem) as exc:
        build_submission(data)
    text = "\n".join(exc.value.lines)
    assert "profil.dokumen" in text and "'perjanjian_kinerja'" in text and "'rencana_aksi'" in text


def test_an_evaluation_leaves_the_garbage_collector_as_it_found_it_and_no_fact_behind(catalogue):
    """evaluate() pauses the cyclic collector while it runs: afterwards the collector is on or off as before,
    the report is the same either way, and the evaluation's facts (a cycle with their FactSet) are freed."""
    import gc

    from sakip_checker.facts import Fact

    sub, _ = load_submission(BIRO)
    assert gc.isenabled()
    log: list = []

    def record(phase, info):
        if phase == "stop":
            log.append((info["generation"], info["collected"]))

    gc.callbacks.append(record)
    try:
        on = evaluate(sub, catalogue)
        seen = len(log)  # the collection at the end of evaluate(), before anything else can trigger one
    finally:
        gc.callbacks.remove(record)
    assert seen and log[0][0] == 0 and log[0][1] > 0  # the young generation, and it freed the facts' cycles
    assert gc.isenabled()
    gc.collect()  # facts other tests keep (or left as garbage) are counted once, before

    def facts_alive() -> int:
        return sum(1 for o in gc.get_objects() if isinstance(o, Fact))

    before = facts_alive()
    for _ in range(3):
        evaluate(sub, catalogue)
    assert facts_alive() == before  # without a full collection: the evaluations' own are already freed
    gc.disable()
    try:
        off = evaluate(sub, catalogue)
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert off.model_dump_json() == on.model_dump_json()
