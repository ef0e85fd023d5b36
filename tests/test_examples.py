"""The bundled examples: the real Rencana Aksi 2023 of Biro Pemerintahan dan Otonomi Daerah shows the
defects that shared/data/rencana-aksi-2023-setda-banten.notes.md lists for it; the clean one shows none."""

from pathlib import Path

from engine.evaluate import evaluate
from engine.submission import load_submission

ROOT = Path(__file__).resolve().parent.parent


def findings(catalogue, name):
    sub, doc = load_submission(ROOT / "examples" / name)
    return evaluate(sub, catalogue, document=doc)


def test_biro_pemerintahan_otda_shows_the_documented_defects(catalogue):
    report = findings(catalogue, "biro-pemerintahan-otda-2023.yaml")
    got = {(f.rule_id, f.location.path) for f in report.units() if f.outcome == "fail"}
    # defect 17: "Serang, ____ 2023", the signature has no date
    assert ("REN-002", "rencana_aksi") in got
    # defect 6: process indicators, "Persentase Ketercapaian Kegiatan ..." (K01-K05, K07-K09 = indikator[6..10], [12..14])
    # and "Persentase Ketercapaian dari Seluruh Kegiatan ..." (program P1 = indikator[3])
    process = {p for r, p in got if r == "UKR-019"}
    assert {f"indikator[{i}]" for i in (3, 6, 7, 8, 9, 10, 12, 13, 14)} <= process
    # defect 7: "Ketercapaian Jumlah Dokumen ..." with a percentage target (K06, K10, K11)
    assert {p for r, p in got if r == "UKR-020"} == {"indikator[11]", "indikator[15]", "indikator[16]"}
    # defect 10: a score ("Skoring/Nilai ...") with target 100%
    assert ("UKR-024", "indikator[1]") in got
    # defect 8: the Kesra program indicator repeats its sasaran indicator
    assert ("UKR-011", "indikator[5]") in got
    # defect 18: no penanggung jawab anywhere
    assert len({p for r, p in got if r == "UKR-021"}) == 17
    # every finding carries the file, and the line where the unit starts; a unit that is missing from the
    # document (UKR-044: a Lampiran A assignment the cascade does not carry) has no line of its own
    assert all(f.location.file for f in report.units())
    assert all(f.location.line for f in report.units() if "=" not in f.location.path)
    assert {f.rule_id for f in report.units() if not f.location.line} <= {"UKR-044"}


def test_clean_example_has_no_finding(catalogue):
    report = findings(catalogue, "biro-contoh-bersih-2023.yaml")
    assert report.findings == []
    assert all(c.evaluated >= 0 for c in report.coverage)
    assert sum(c.evaluated for c in report.coverage) > 300
    assert [r.peringkat for r in report.ratings if r.sumber == "lkjip"] == ["Sangat tinggi"] * 3


def test_renja_perubahan_kota_serang_shows_the_documented_formulir_b1_defects(catalogue):
    """shared/data/renja-perubahan-2023-setda-kota-serang.notes.md, section c: defects 15, 36, 38, 39, 40."""
    report = findings(catalogue, "renja-perubahan-2023-setda-kota-serang.yaml")
    by_rule: dict[str, set[str]] = {}
    for f in report.units():
        by_rule.setdefault(f.rule_id, set()).add(f.location.path)
    # 36: three notations in one table ("04.01.01", "40101201"); 39: "4.01.02.2.02.001"; 40: rows without a code
    assert {"renja[0]", "renja[1]", "renja[66]", "renja[41]", "renja[89]"} <= by_rule["REN-013"]
    # 38: "4.01.01.2.13.03" used for two sub-kegiatan; 37: "40102203" (BMD, programme 01 misprinted as 02)
    # reads as 4.01.02.2.03, the code of "Fasilitasi dan Koordinasi Hukum"
    assert by_rule["REN-021"] == {"renja[53]", "renja[54]", "renja[13]", "renja[70]"}
    # 15: pagu changed, no row explains a difference (Catatan Penting is empty): counted on the rows that
    # carry the pagu (32 sub-kegiatan, 7 rows without a code, "4.01.02.2.02.001"), not again on their
    # kegiatan and program totals
    assert len(by_rule["REN-016"]) == 40
    assert by_rule["REN-016"] <= by_rule["REN-018"]
    sub, _ = __import__("engine.submission", fromlist=["load_submission"]).load_submission(
        ROOT / "examples/renja-perubahan-2023-setda-kota-serang.yaml")
    assert len(sub.renja) == 90
