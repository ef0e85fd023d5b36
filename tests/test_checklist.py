from sakip_checker.evaluate import evaluate
from sakip_checker.submission import build_submission, example_data
from sakip_checker.reports.checklist import UNASSIGNED, checklist


def test_actions_grouped_by_position_from_eselon_ii_down(catalogue):
    data = example_data(catalogue.root, "minimal", {})
    data["perjanjian_kinerja"] = [dict(pk, tanggal=None) for pk in reversed(data["perjanjian_kinerja"])]  # UKR-002 x 3
    data["indikator"] = [dict(data["indikator"][0], penanggung_jawab=None), *data["indikator"][1:]]     # UKR-021
    report = evaluate(build_submission(data), catalogue)
    groups = checklist(report)
    assert [g.jabatan for g in groups] == [UNASSIGNED, "Kepala Biro Contoh", "Kepala Bagian Tata Kelola",
                                           "Kepala Subbagian Layanan Data"]
    assert [g.eselon for g in groups] == [None, "II", "III", "IV"]
    # every failing unit is in exactly one action
    located = sorted((a.rule_id, x.location.path) for g in groups for a in g.items for x in a.locations)
    assert located == sorted((f.rule_id, f.location.path) for f in report.units())
    for g in groups:
        ranks = [{"error": 0, "warning": 1, "info": 2}[f.severity] for f in g.items]
        assert ranks == sorted(ranks)
