"""bench/web_load.py, the load test of `sakip web` (its figures are in the README, not asserted here): a small
run of it works (3 concurrent uploads, each stored as its own run, the server still up), and an upload the
server refuses makes it fail with the server's reason."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bench/web_load.py"


def _run(*args):
    return subprocess.run([sys.executable, str(SCRIPT), "--json", *map(str, args)], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)


def test_three_concurrent_uploads_all_stored():
    done = _run("--uploads", 3, "--proses", 2)
    assert done.returncode == 0, done.stdout + done.stderr
    out = json.loads(done.stdout)
    assert out["ok"] == 3 and out["errors"] == [] and out["workers"] == 2
    assert 0 < out["min_s"] <= out["median_s"] <= out["p95_s"] <= out["max_s"] <= out["wall_s"] + 0.01
    assert out["page_loads"] >= 1 and 0 < out["page_median_s"] <= out["page_max_s"]  # pages answered meanwhile


def test_a_refused_upload_fails_the_run(tmp_path):
    bad = tmp_path / "rusak.yaml"
    bad.write_text("profil: {opd: Biro Contoh Layanan Data, tahun: 2023}\nindikator: [\n", encoding="utf-8")
    done = _run("--uploads", 1, "--file", bad)
    assert done.returncode == 1, done.stdout + done.stderr
    out = json.loads(done.stdout)
    assert out["ok"] == 0 and len(out["errors"]) == 1 and out["errors"][0].startswith("HTTP 400")
    assert "rusak.yaml" in out["errors"][0]
