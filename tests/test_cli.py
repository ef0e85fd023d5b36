"""The `sakip` command as a user meets it: exit codes, one-line errors, byte-identical output."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sakip_checker.cli import main

ROOT = Path(__file__).resolve().parent.parent
BIRO = ROOT / "examples/biro-pemerintahan-otda-2023.yaml"
CLEAN = ROOT / "examples/biro-contoh-bersih-2023.yaml"
GOOD = """\
profil: {opd: Biro X, tahun: 2023}
jabatan: [{id: KARO, nama: Kepala Biro X, eselon: II}]
indikator:
  - {id: S1, level: sasaran, uraian: Sasaran, nama: Indeks X, satuan: Indeks, target: "3,40", penanggung_jawab: KARO}
"""


def run(args, capsys):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("content", "where", "says"), [
    ("profil: {opd: X, tahun: 2023\n", ":2:", "dimulai di baris 1"),
    (GOOD + "lampiran: x\n", ":5: lampiran:", "kolom tidak dikenal"),
    (GOOD.replace("tahun: 2023", "tahun: duaribu"), ":1: profil.tahun:", "bilangan bulat"),
    (GOOD.replace('"3,40"', '"3,4,0"'), ":4: indikator[0].target:", "bukan angka"),
    (GOOD + "rencana_aksi: {tahun: 2023, baris: [{indikator: S1, pagu: \"1.550.000.000,5.5\"}]}\n",
     ":5: rencana_aksi.baris[0].pagu:", "bukan angka"),
    (GOOD + "rencana_aksi: {tahun: 2023, baris: [{indikator: S1, pagu: \"2.500,000\"}]}\n", "rencana_aksi.baris[0].pagu:",
     "tiga angka desimal"),
    (GOOD + "rencana_aksi: {tahun: 2023, baris: [{indikator: S1, pagu: \"2,802.281.000\"}]}\n",
     ":5: rencana_aksi.baris[0].pagu:", "mencampur"),
    (GOOD.replace('"3,40"', '"1.500"'), ":4: indikator[0].target:", "bermakna ganda"),
    (GOOD.replace("penanggung_jawab: KARO", "penanggung_jawab: KABAG"), ":4: indikator[0].penanggung_jawab:", "KABAG"),
    (GOOD.replace("eselon: II", "eselon: V"), "jabatan[0].eselon:", "harus salah satu dari"),
    (GOOD + "profil: {opd: Y, tahun: 2023}\n", ":5:", "muncul dua kali"),
])
def test_bad_input_is_one_clear_line_and_exit_2(tmp_path, capsys, content, where, says):
    path = tmp_path / "pengajuan.yaml"
    path.write_text(content, encoding="utf-8")
    code, out, err = run(["check", path], capsys)
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert str(path) in lines[0] and where in lines[0] and says in lines[0]
    assert "Traceback" not in err


def test_every_problem_of_a_file_is_named(tmp_path, capsys):
    path = tmp_path / "p.yaml"
    path.write_text(GOOD.replace("tahun: 2023", "tahun: x").replace("satuan: Indeks", "satuan: Indeks, warna: merah"))
    code, _, err = run(["check", path], capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 2 and "profil.tahun" in err and "indikator[0].warna" in err


def test_missing_file_and_bad_option(tmp_path, capsys):
    code, _, err = run(["check", tmp_path / "tidak-ada.yaml"], capsys)
    assert code == 2 and "tidak ditemukan" in err
    code, _, err = run(["check", BIRO, "--set", "batas_laporan_bulanan_hari=40"], capsys)
    assert code == 2 and "batas_laporan_bulanan_hari" in err and "Traceback" not in err
    code, _, err = run(["check", BIRO, "--format", "pdf"], capsys)
    assert code == 2 and "pdf" in err


def test_fail_on_sets_the_exit_code(capsys):
    assert run(["check", BIRO, "--fail-on", "error"], capsys)[0] == 1
    assert run(["check", BIRO], capsys)[0] == 0
    assert run(["check", CLEAN, "--fail-on", "info"], capsys)[0] == 0


@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_output_is_byte_identical(tmp_path, capsys, fmt):
    a, b = tmp_path / "a", tmp_path / "b"
    assert run(["check", BIRO, "--format", fmt, "--output", a], capsys)[0] == 0
    assert run(["check", CLEAN, "--format", fmt], capsys)[0] == 0  # another submission in between
    assert run(["check", BIRO, "--format", fmt, "--output", b], capsys)[0] == 0
    assert a.read_bytes() == b.read_bytes() and a.stat().st_size > 1000


def test_byte_identical_across_processes_and_hash_seeds(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        proc = subprocess.run([sys.executable, "-m", "sakip_checker.cli", "check", str(BIRO), "--format", "json"],
                              capture_output=True, env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}, cwd=ROOT)
        assert proc.returncode == 0, proc.stderr
        outputs.append(proc.stdout)
    assert outputs[0] == outputs[1]


def test_json_report_shape(capsys):
    code, out, _ = run(["check", BIRO, "--format", "json"], capsys)
    report = json.loads(out)
    assert report["submission"] == {"opd": "Biro Pemerintahan dan Otonomi Daerah", "tahun": 2023, "file": str(BIRO),
                                    "dokumen": ["jabatan", "indikator", "perjanjian_kinerja", "rencana_aksi"]}
    finding = report["findings"][0]
    assert set(finding) >= {"group", "rule_id", "outcome", "severity", "component", "citation", "cause", "observed",
                            "expected", "message", "remediation", "locations"}
    assert set(finding["locations"][0]) == {"location", "observed", "expected", "message", "remediation", "fingerprint"}
    assert {c["rule_id"] for c in report["coverage"]} >= {"REN-001", "UKR-019", "LAP-001", "EVA-001"}
    assert report["counts"]["total"] == len(report["findings"])
    assert report["counts"]["lokasi"] == sum(len(f["locations"]) for f in report["findings"])
    assert report["summary"][0]["severity"] == "error" and report["scores"]["label"] == "Indeks kepatuhan dokumen"


def test_markdown_is_indonesian_and_names_the_article(capsys):
    _, out, _ = run(["check", BIRO], capsys)
    assert "# Hasil Pemeriksaan Kepatuhan SAKIP" in out
    assert "Pasal 12 ayat (3) huruf a Pergub Banten 42/2018" in out
    assert "Tidak memenuhi" in out and "## Peringkat capaian (Tabel B.2)" in out


def test_schema_and_rules_commands(capsys):
    code, out, _ = run(["schema"], capsys)
    schema = json.loads(out)
    assert code == 0 and {"profil", "perjanjian_kinerja", "rencana_aksi", "laporan_bulanan", "lkjip"} <= set(schema["properties"])
    code, out, _ = run(["rules", "--format", "json"], capsys)
    assert code == 0 and len(json.loads(out)) >= 30
    code, out, _ = run(["rules"], capsys)  # the Markdown list speaks the reports' labels, not the files' keys
    assert code == 0 and "| Pelaporan Kinerja | Berat |" in out and "| pelaporan |" not in out and "| error |" not in out


JSON_GOOD = """\
{"profil": {"opd": "Biro X", "tahun": 2023},
 "jabatan": [{"id": "KARO", "nama": "Kepala Biro X", "eselon": "II"}],
 "indikator": [
   {"id": "S1", "level": "sasaran", "uraian": "Sasaran", "nama": "Indeks X", "satuan": "Indeks",
    "target": 3.40, "penanggung_jawab": "KARO"}]}
"""


def test_json_errors_name_the_line_and_numbers_stay_exact(tmp_path, capsys):
    path = tmp_path / "pengajuan.json"
    path.write_text(JSON_GOOD.replace('"eselon": "II"', '"eselon": "V"'), encoding="utf-8")
    code, _, err = run(["check", path], capsys)
    assert code == 2 and f"{path}:2: jabatan[0].eselon:" in err

    path.write_text(JSON_GOOD, encoding="utf-8")
    code, out, _ = run(["check", path, "--format", "json"], capsys)
    report = json.loads(out)
    assert code == 0
    located = next(x for f in report["findings"] for x in f["locations"] if x["location"]["path"] == "indikator[0]")
    assert located["location"]["line"] == 4  # the JSON line of the indicator
    from sakip_checker.submission import load_submission

    sub, _ = load_submission(path)
    assert str(sub.indikator[0].target.value) == "3.40"  # parse_float=Decimal: no binary float in between


# -- command-line conventions (issue 10 item 4) ---------------------------------------------------------

def test_version_is_printed(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.startswith("sakip-checker ")


def test_argparse_speaks_indonesian(capsys):
    code, out, err = run(["check"], capsys)
    assert code == 2 and "argumen berikut wajib diisi: file" in err and "required" not in err
    code, out, err = run(["check", BIRO, "--fail-on", "sometimes"], capsys)
    assert code == 2 and "pilihan tidak sah" in err
    with pytest.raises(SystemExit):
        main(["--help"])
    help_text = capsys.readouterr().out
    assert "penggunaan: sakip" in help_text and "tampilkan bantuan ini" in help_text and "usage" not in help_text


def test_unknown_format_is_named(capsys):
    code, out, err = run(["check", BIRO, "--format", "html,pdf"], capsys)
    assert code == 2 and "format tidak dikenal: pdf" in err


def test_several_formats_in_one_run(tmp_path, capsys):
    code, out, err = run(["check", BIRO, "--format", "html,xlsx,checklist", "-o", tmp_path / "hasil"], capsys)
    assert code == 0 and out == ""
    names = sorted(p.name for p in (tmp_path / "hasil").iterdir())
    assert names == ["biro-pemerintahan-otda-2023.html", "biro-pemerintahan-otda-2023.tindak-lanjut.md",
                     "biro-pemerintahan-otda-2023.xlsx"]
    single = tmp_path / "single.html"
    assert run(["check", BIRO, "--format", "html", "-o", single], capsys)[0] == 0
    assert (tmp_path / "hasil/biro-pemerintahan-otda-2023.html").read_bytes() == single.read_bytes()


def test_several_formats_need_a_folder(capsys):
    code, out, err = run(["check", BIRO, "--format", "html,json"], capsys)
    assert code == 2 and "--output FOLDER" in err


@pytest.mark.parametrize("source", ["examples/biro-contoh-bersih-2023.yaml", "examples/biro-contoh-bersih-2023.xlsx"])
def test_standard_input_is_read_and_sniffed(source, tmp_path):
    from_file = subprocess.run([sys.executable, "-m", "sakip_checker.cli", "check", source, "--format", "json"], cwd=ROOT,
                               capture_output=True, check=True).stdout
    from_stdin = subprocess.run([sys.executable, "-m", "sakip_checker.cli", "check", "-", "--format", "json"], cwd=ROOT,
                                input=(ROOT / source).read_bytes(), capture_output=True, check=True).stdout
    as_file, as_stdin = json.loads(from_file), json.loads(from_stdin)
    assert as_stdin["submission"]["file"] == "<stdin>"
    assert as_stdin["findings"] == as_file["findings"] and as_stdin["scores"] == as_file["scores"]


def test_standard_input_errors_name_stdin():
    done = subprocess.run([sys.executable, "-m", "sakip_checker.cli", "check", "-"], cwd=ROOT, input=b"profil: [\n",
                          capture_output=True)
    assert done.returncode == 2
    assert done.stderr.decode().startswith("<stdin>:2: ") and "sakip-" not in done.stderr.decode()


def test_declared_stdin_kind_wins():
    done = subprocess.run([sys.executable, "-m", "sakip_checker.cli", "check", "-", "--masukan", "json"], cwd=ROOT,
                          input=b"profil: {opd: X, tahun: 2023}\n", capture_output=True)
    assert done.returncode == 2 and "JSON tidak sah" in done.stderr.decode()


def test_output_is_utf8_whatever_the_locale():
    env = {"PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "latin-1", "LC_ALL": "C"}
    done = subprocess.run([sys.executable, "-m", "sakip_checker.cli", "check", str(BIRO)], cwd=ROOT, env=env,
                          capture_output=True)
    assert done.returncode == 0
    text = done.stdout.decode("utf-8")  # would fail (or hold '?') if written as latin-1
    assert "–" in text or "—" in text or "≤" in text or "é" in text or "·" in text


def test_choices_are_listed_without_english(tmp_path, capsys):
    path = tmp_path / "p.yaml"
    path.write_text(GOOD.replace("eselon: II", "eselon: V"), encoding="utf-8")
    code, _, err = run(["check", path], capsys)
    assert code == 2 and "harus salah satu dari: 'I', 'II', 'III', 'IV', 'staf', 'fungsional'" in err
    assert " or " not in err


def test_an_old_excel_file_is_named_not_read_as_text(tmp_path, capsys):
    path = tmp_path / "isian.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))  # an OLE2 (Excel 97-2003) header
    code, _, err = run(["check", path], capsys)
    assert code == 2 and ".xls tidak didukung" in err and "simpan sebagai buku kerja Excel (.xlsx)" in err
    assert "UTF-8" not in err
