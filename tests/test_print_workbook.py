"""The findings workbook prints as a working paper: A4 landscape, fit to the page width, the header row on
every page, OPD, year and page numbers in the footer, panes frozen; the sign-off block when asked for."""

from pathlib import Path

from openpyxl import load_workbook

from sakip_checker.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_findings_workbook_is_set_up_to_print(tmp_path):
    out = tmp_path / "temuan.xlsx"
    assert main(["check", str(ROOT / "examples/biro-pemerintahan-otda-2023.yaml"), "--format", "xlsx", "-o", str(out),
                 "--pemeriksa", "Dra. Siti Aminah", "--tanggal", "2024-03-05"]) == 0
    wb = load_workbook(out)
    for name in ("Temuan", "Tindak Lanjut"):
        ws = wb[name]
        assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0  # as many pages tall as needed, never shrunk to one
        assert ws.print_title_rows == "$1:$1" and ws.freeze_panes == "A2"
        assert "Biro Pemerintahan dan Otonomi Daerah · 2023" in ws.oddFooter.left.text
        assert ws.oddFooter.right.text == "Halaman &P dari &N"
    summary = wb["Ringkasan"]
    assert int(summary.page_setup.paperSize) == 9  # A4
    rows = {r[0]: r[1] for r in summary.iter_rows(values_only=True) if r and r[0]}
    assert rows["Pemeriksa"] == "Dra. Siti Aminah" and rows["Tanggal pemeriksaan"] == "5 Maret 2024"
    assert "Paraf" in rows


def test_no_sign_off_unless_asked(tmp_path):
    out = tmp_path / "temuan.xlsx"
    assert main(["check", str(ROOT / "examples/biro-pemerintahan-otda-2023.yaml"), "--format", "xlsx", "-o", str(out)]) == 0
    assert "Pemeriksa" not in [r[0] for r in load_workbook(out)["Ringkasan"].iter_rows(values_only=True) if r]


def test_bad_date_is_named(capsys):
    assert main(["check", str(ROOT / "examples/biro-pemerintahan-otda-2023.yaml"), "--tanggal", "5/3/2024"]) == 2
    assert "tanggal tidak sah: '5/3/2024'" in capsys.readouterr().err
