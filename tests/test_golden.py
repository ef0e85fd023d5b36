"""Golden files: the whole report of each bundled example, byte for byte, in every format.

A deliberate change of messages or layout: regenerate with `SAKIP_UPDATE_GOLDEN=1 .venv/bin/pytest
tests/test_golden.py` and review the diff of tests/golden/ like code.
"""

import os
from pathlib import Path

import pytest

from sakip_checker.cli import main

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests/golden"
EXAMPLES = ["biro-pemerintahan-otda-2023", "biro-contoh-bersih-2023"]
FORMATS = {"markdown": "md", "csv": "csv", "json": "json", "checklist": "tindak-lanjut.md", "checklist-html": "tindak-lanjut.html", "html": "html"}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("example", EXAMPLES)
def test_report_matches_golden_file(tmp_path, monkeypatch, capsys, example, fmt):
    monkeypatch.chdir(ROOT)  # the report names the file as given: keep it relative
    out = tmp_path / f"out.{FORMATS[fmt]}"
    assert main(["check", f"examples/{example}.yaml", "--format", fmt, "--output", str(out)]) == 0
    golden = GOLDEN / example / f"laporan.{FORMATS[fmt]}"
    if os.environ.get("SAKIP_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(out.read_bytes())
    assert out.read_bytes() == golden.read_bytes()
