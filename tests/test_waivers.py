"""Waivers (engine/waivers.py): counted and shown apart in every format, never dropped; an expired waiver
brings its finding back; a waiver that matches nothing is reported; a bad waiver file is named line by line."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sakip_checker.api import check
from sakip_checker.cli import main
from sakip_checker.inputs import InputProblem
from sakip_checker.waivers import Waiver, apply_waivers, load_waivers
from sakip_checker.reports import render
from store_support import BIRO


@pytest.fixture(scope="module")
def biro():
    return check(BIRO)


def _waiver(**kw) -> Waiver:
    return Waiver(alasan="Dapat diterima: dokumen menyusul", oleh="Evaluator A", tanggal=dt.date(2024, 1, 1), **kw)


def test_waived_findings_leave_the_counts_and_are_listed(biro):
    group = next(g for g in biro.findings if len(g.locations) > 2)
    one = group.locations[0]
    single = next(g for g in biro.findings if len(g.locations) == 1)
    waivers = [_waiver(sidik_jari=one.fingerprint),
               _waiver(aturan=single.rule_id, lokasi=single.location.path, opd=biro.submission.opd.upper()),
               _waiver(sidik_jari="000000000000")]
    out = apply_waivers(biro, waivers, dt.date(2024, 6, 1))
    p = out.pengecualian
    assert {w.finding.fingerprint for w in p.dikecualikan} == {one.fingerprint, single.locations[0].fingerprint}
    assert [w.sidik_jari for w in p.tidak_cocok] == ["000000000000"] and p.kedaluwarsa == []
    assert out.counts["lokasi"] == biro.counts["lokasi"] - 2 and out.counts["dikecualikan"] == 2
    assert out.counts["total"] == biro.counts["total"] - 1  # the single-location group is gone, the other shrank
    kept = {u.fingerprint for u in out.units()}
    assert one.fingerprint not in kept and len(kept) + 2 == len(biro.units())  # nothing else lost
    assert sum(r.failed + r.unknown for r in out.summary) == out.counts["lokasi"]
    # shown apart in every format
    md = render(out, "markdown")
    assert "## Pengecualian" in md and one.fingerprint in md and "000000000000" in md
    assert "Pengecualian" in render(out, "checklist") and "pengecualian" in render(out, "html")
    assert "Pengecualian" in render(out, "checklist-html")
    data = json.loads(render(out, "json"))
    assert len(data["pengecualian"]["dikecualikan"]) == 2 and data["counts"]["dikecualikan"] == 2
    rows = render(out, "csv").splitlines()
    assert "Pengecualian" in rows[0].split(";")
    waived_rows = [r for r in rows if "dikecualikan: Dapat diterima" in r]
    assert len(waived_rows) == 2 and len(rows) == 1 + len(biro.units())
    # a waiver for another OPD does not apply
    other = apply_waivers(biro, [_waiver(sidik_jari=one.fingerprint, opd="Dinas Lain")], dt.date(2024, 6, 1))
    assert other.pengecualian.dikecualikan == [] and len(other.pengecualian.tidak_cocok) == 1


def test_an_expired_waiver_brings_its_finding_back(biro):
    fp = biro.units()[0].fingerprint
    waivers = [_waiver(sidik_jari=fp, berlaku_sampai=dt.date(2024, 6, 30))]
    inside = apply_waivers(biro, waivers, dt.date(2024, 6, 30))
    assert [w.finding.fingerprint for w in inside.pengecualian.dikecualikan] == [fp]
    after = apply_waivers(biro, waivers, dt.date(2024, 7, 1))
    assert after.pengecualian.dikecualikan == [] and [w.finding.fingerprint for w in after.pengecualian.kedaluwarsa] == [fp]
    assert after.counts["lokasi"] == biro.counts["lokasi"] and after.findings == biro.findings
    assert after.pengecualian.tidak_cocok == []  # it matched: expired, not unmatched
    md = render(after, "markdown")
    assert "Pengecualian kedaluwarsa: temuannya kembali dihitung (1)" in md
    assert "pengecualian kedaluwarsa: Dapat diterima" in render(after, "csv")


def test_bad_waiver_files_are_named_entry_by_entry(tmp_path):
    path = tmp_path / "pengecualian.yaml"
    path.write_text("pengecualian:\n"
                    "  - {sidik_jari: abcdef01234Z, alasan: x, oleh: y, tanggal: 2024-13-01}\n"
                    "  - {aturan: UKR-001, alasan: x, oleh: y, tanggal: 2024-01-01}\n"
                    "  - {sidik_jari: abcdef012345, aturan: UKR-001, lokasi: profil, alasan: x, oleh: y, tanggal: 2024-01-01}\n"
                    "  - {sidik_jari: abcdef012345, oleh: y, tanggal: 2024-01-01, warna: merah}\n", encoding="utf-8")
    with pytest.raises(InputProblem) as bad:
        load_waivers(path)
    lines = bad.value.lines
    assert f"{path}:2: pengecualian[0].tanggal: '2024-13-01' bukan tanggal TTTT-BB-HH" in lines
    assert any("pengecualian[0].sidik_jari: 'abcdef01234Z' bukan sidik jari" in x for x in lines)
    assert any("pengecualian[1]" in x and "aturan bersama lokasi" in x for x in lines)
    assert any("pengecualian[2]" in x and "bukan keduanya" in x for x in lines)
    assert any("pengecualian[3].alasan: wajib diisi" in x for x in lines)
    assert any("pengecualian[3].warna: kunci tidak dikenal" in x for x in lines)
    assert all(x.startswith(str(path)) for x in lines)


def test_a_fingerprint_of_digits_stays_text(tmp_path):
    path = tmp_path / "pengecualian.yaml"
    path.write_text("pengecualian:\n  - {sidik_jari: 001234567890, alasan: x, oleh: y, tanggal: 2024-01-01}\n",
                    encoding="utf-8")
    assert [w.sidik_jari for w in load_waivers(path)] == ["001234567890"]


def test_check_with_a_waiver_file(tmp_path, capsys, biro):
    fp = biro.units()[0].fingerprint
    path = tmp_path / "pengecualian.yaml"
    path.write_text(f"pengecualian:\n  - sidik_jari: {fp}\n    alasan: Diterima\n    oleh: Evaluator A\n"
                    f"    tanggal: 2024-01-01\n    berlaku_sampai: 2024-12-31\n", encoding="utf-8")
    assert main(["check", str(BIRO), "--pengecualian", str(path), "--tanggal", "2024-06-01", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["dikecualikan"] == 1 and data["counts"]["lokasi"] == biro.counts["lokasi"] - 1
    assert main(["check", str(BIRO), "--pengecualian", str(path), "--tanggal", "2025-01-01", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["lokasi"] == biro.counts["lokasi"] and len(data["pengecualian"]["kedaluwarsa"]) == 1
    assert main(["check", str(BIRO), "--pengecualian", str(tmp_path / "tidak-ada.yaml")]) == 2
    assert "berkas pengecualian tidak ditemukan" in capsys.readouterr().err
    path.write_text("pengecualian:\n  - sidik_jari: [\n", encoding="utf-8")
    assert main(["check", str(BIRO), "--pengecualian", str(path)]) == 2
    assert "YAML tidak sah" in capsys.readouterr().err


def test_a_partly_waived_group_says_how_many_locations_remain(biro):
    group = next(g for g in biro.findings
                 if len(g.locations) > 2 and all(x.message != g.message for x in g.locations))
    assert f"pada {len(group.locations)} lokasi" in group.message
    out = apply_waivers(biro, [_waiver(sidik_jari=group.locations[0].fingerprint)], dt.date(2024, 2, 1))
    kept = next(g for g in out.findings if g.group == group.group)
    assert len(kept.locations) == len(group.locations) - 1
    assert f"pada {len(kept.locations)} lokasi" in kept.message
