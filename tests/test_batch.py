"""A province at once (`sakip check FOLDER/ -o DIR/`): a crash isolated to its file, exit codes over all files,
the recap, and the speed levers shown byte-identical (outputs with and without each)."""

import gc
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

import sakip_checker.inputs as ei
import sakip_checker.model as em
import sakip_checker.rules as er
import sakip_checker.reports.formats as rf
from sakip_checker.batch import FileResult, collect_files, exit_code, run_batch
from sakip_checker.evaluate import evaluate
from sakip_checker.submission import load_submission
from sakip_checker.reports import render

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
SAKIP = Path(sys.executable).with_name("sakip")


def sakip(*args, env=None):
    full = {k: v for k, v in os.environ.items() if k != "SAKIP_TEST_CRASH"}
    full.update(env or {})
    return subprocess.run([str(SAKIP), *map(str, args)], capture_output=True, text=True, env=full)


@pytest.fixture
def province(tmp_path):
    """The bundled examples, one copy marked to crash its worker, and one file that is not YAML."""
    folder = tmp_path / "provinsi"
    folder.mkdir()
    for p in EXAMPLES:
        shutil.copy(p, folder / p.name)
    shutil.copy(EXAMPLES[0], folder / "dinas-rusak.yaml")
    (folder / "dinas-salah.yaml").write_text("profil: {opd: X, tahun: 2023\n", encoding="utf-8")
    (folder / "catatan.txt").write_text("bukan pengajuan", encoding="utf-8")
    return folder


@pytest.mark.parametrize("signal_name", ["SIGSEGV", "SIGABRT"])
def test_a_crash_is_isolated_to_its_file_and_the_others_finish(province, tmp_path, signal_name):
    out = tmp_path / "hasil"
    proc = sakip("check", province, "--format", "json,xlsx", "-o", out, "--proses", "2",
                 env={"SAKIP_TEST_CRASH": f"rusak:{signal_name}"})
    assert proc.returncode == 4, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    crash = [line for line in lines if "dinas-rusak.yaml" in line]
    assert len(crash) == 1 and "proses pemeriksa berhenti" in crash[0] and signal_name in crash[0]
    assert any("dinas-salah.yaml:2: YAML tidak sah" in line for line in lines)
    assert f"{len(EXAMPLES) + 2} berkas" in lines[-1]
    for p in EXAMPLES:  # every other file checked, its outputs complete
        assert json.loads((out / f"{p.stem}.json").read_text(encoding="utf-8"))["submission"]["file"] == str(province / p.name)
        load_workbook(out / f"{p.stem}.xlsx")
    assert not list(out.glob("dinas-rusak.*")) and not list(out.glob("dinas-salah.*"))
    assert not list(out.glob(".*tmp*"))  # no half-written file left
    html = (out / "rekap.html").read_text(encoding="utf-8")
    assert "Berkas yang tidak dapat diperiksa" in html and "dinas-rusak.yaml" in html and "dinas-salah.yaml" in html
    failed = load_workbook(out / "rekap.xlsx")["Tidak diperiksa"]
    assert [row[1] for row in failed.iter_rows(min_row=2, values_only=True)] == [
        "proses pemeriksa berhenti", "masukan tidak sah"]


def test_exit_codes_summarise_all_files(tmp_path):
    good = tmp_path / "baik"
    good.mkdir()
    for p in EXAMPLES[:2]:
        shutil.copy(p, good / p.name)
    assert sakip("check", good, "-o", tmp_path / "o1").returncode == 0
    assert sakip("check", good, "-o", tmp_path / "o2", "--fail-on", "info").returncode == 1
    (good / "z-salah.yaml").write_text("profil: [\n", encoding="utf-8")
    assert sakip("check", good, "-o", tmp_path / "o3", "--fail-on", "info").returncode == 2
    # the worst wins: crash 4 > engine 3 > input 2 > findings 1 > ok 0
    results = [FileResult("a", "ok"), FileResult("b", "findings"), FileResult("c", "engine"), FileResult("d", "input")]
    assert exit_code(results) == 3 and exit_code(results + [FileResult("e", "crash")]) == 4 and exit_code([]) == 0


def test_options_and_folders_refused_before_any_file(tmp_path):
    empty = tmp_path / "kosong"
    empty.mkdir()
    proc = sakip("check", empty, "-o", tmp_path / "o")
    assert proc.returncode == 2 and "folder tidak berisi berkas pengajuan" in proc.stderr
    proc = sakip("check", EXAMPLES[0], EXAMPLES[1])
    assert proc.returncode == 2 and "--output FOLDER" in proc.stderr
    proc = sakip("check", EXAMPLES[0], tmp_path / "tidak-ada.yaml", "-o", tmp_path / "o")
    assert proc.returncode == 2 and "tidak-ada.yaml: berkas atau folder tidak ditemukan" in proc.stderr
    other = tmp_path / "lain"
    other.mkdir()
    shutil.copy(EXAMPLES[0], other / EXAMPLES[0].name)
    with pytest.raises(ei.InputProblem) as exc:
        collect_files([EXAMPLES[0], other / EXAMPLES[0].name])
    assert "sama dengan" in exc.value.lines[0]


def test_batch_outputs_equal_one_check_per_file_and_recap_contents(province, tmp_path):
    """One worker process for many files gives each file the bytes of its own `sakip check`."""
    for bad in ("dinas-rusak.yaml", "dinas-salah.yaml"):
        (province / bad).unlink()
    out = tmp_path / "batch"
    formats = "json,markdown,csv,html,xlsx"
    assert sakip("check", province, "--format", formats, "-o", out, "--proses", "1").returncode == 0
    single = tmp_path / "single"
    reports = {}
    for p in sorted(province.glob("*.yaml")):
        assert sakip("check", p, "--format", formats, "-o", single).returncode == 0
        reports[p.stem] = json.loads((single / f"{p.stem}.json").read_text(encoding="utf-8"))
    produced = sorted(f.name for f in out.iterdir() if not f.name.startswith("rekap."))
    assert produced == sorted(f.name for f in single.iterdir())
    for f in single.iterdir():
        assert (out / f.name).read_bytes() == f.read_bytes(), f.name

    wb = load_workbook(out / "rekap.xlsx")
    assert wb.sheetnames == ["OPD", "Temuan"]
    opd = list(wb["OPD"].iter_rows(values_only=True))
    header = opd[0]
    assert header[:4] == ("No", "OPD", "Tahun", "Berkas")
    assert [(r[1], r[2]) for r in opd[1:]] == [(reports[s]["submission"]["opd"], reports[s]["submission"]["tahun"])
                                              for s in sorted(reports)]
    total = header.index("Jumlah lokasi")
    assert [r[total] for r in opd[1:]] == [reports[s]["counts"]["lokasi"] for s in sorted(reports)]
    rows = list(wb["Temuan"].iter_rows(values_only=True))
    assert rows[0][:5] == ("No", "OPD", "Tahun", "Berkas", "Aturan")
    units = [(r["submission"]["opd"], g["rule_id"], x["fingerprint"]) for s in sorted(reports)
             for r in [reports[s]] for g in r["findings"] for x in g["locations"]]
    assert [(r[1], r[4], r[-1]) for r in rows[1:]] == units
    years = {r["submission"]["opd"]: r["submission"]["tahun"] for r in reports.values()}
    assert all(r[2] == years[r[1]] for r in rows[1:])  # each location carries its OPD's year

    html = (out / "rekap.html").read_text(encoding="utf-8")
    for s in reports.values():
        assert s["submission"]["opd"] in html
    busiest = max({g["rule_id"] for r in reports.values() for g in r["findings"]},
                  key=lambda rule: sum(len(g["locations"]) for r in reports.values() for g in r["findings"]
                                       if g["rule_id"] == rule))
    assert f"<td>{busiest}</td>" in html and "Temuan yang paling sering" in html and "Aturan &times; OPD" in html
    assert "Berkas yang tidak dapat diperiksa" not in html


def test_progress_bar_only_on_request_and_never_in_the_files(tmp_path, capsys):
    files = EXAMPLES[:2]
    options = {"output": str(tmp_path / "o"), "formats": ["markdown"], "extensions": {"markdown": "md"},
               "lang": "id", "paket": None, "rules": None, "overrides": {}, "fail_on": "never"}
    results = run_batch(files, options, workers=2, progress=True)
    assert [r.status for r in results] == ["ok", "ok"]
    assert "Memeriksa" in capsys.readouterr().err
    for f in (tmp_path / "o").iterdir():
        assert "Memeriksa" not in f.read_text(encoding="utf-8")
    run_batch(files, {**options, "output": str(tmp_path / "o2")}, workers=1, progress=False)
    assert "Memeriksa" not in capsys.readouterr().err
    assert not sakip("check", *files, "-o", tmp_path / "o3").stderr.count("Memeriksa")  # stderr not a TTY


# --- the levers, each byte-identical ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """The examples as YAML and as indented JSON, and a small province-like synthetic submission."""
    sys.path.insert(0, str(ROOT))
    from bench.benchmark import make_submission

    folder = tmp_path_factory.mktemp("levers")
    files = list(EXAMPLES)
    for p in EXAMPLES:
        data = ei.read_document(p).data
        target = folder / f"{p.stem}.json"
        target.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
        files.append(target)
    synthetic = folder / "sintetis.yaml"
    synthetic.write_text(yaml.safe_dump(make_submission(3, n_sasaran=4), allow_unicode=True, sort_keys=False),
                         encoding="utf-8")
    return [*files, synthetic]


def _outputs(files, formats=("json", "markdown", "csv", "xlsx")) -> list:
    out = []
    catalogue = er.load_catalogue()
    for path in files:
        try:
            submission, document = load_submission(path)
        except ei.InputProblem as exc:  # a JSON copy may be refused: then the message must be the same too
            out.append(exc.lines)
            continue
        report = evaluate(submission, catalogue, None, document)
        out.append([render(report, fmt) for fmt in formats])
    return out


@pytest.mark.parametrize(("module", "switch"), [
    (rf, "FAST_JSON"), (ei, "FAST_JSON_LINES"), (ei, "LINES_ON_DEMAND"), (ei, "FAST_CONSTRUCT"), (ei, "FAST_BOUNDS"),
    (er, "RULE_CACHE"), (em, "READ_NUMBERS_ONCE"),
])
def test_each_lever_gives_the_same_bytes(inputs, monkeypatch, tmp_path, module, switch):
    monkeypatch.setenv("SAKIP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(module, switch, True)
    ei._RESOLVED.clear()
    em._NUMBERS_READ.clear()
    with_lever = _outputs(inputs)
    if switch == "RULE_CACHE":  # the second load reads the cache written by the first
        assert list((tmp_path / "cache").glob("*.pickle"))
        with_lever = _outputs(inputs)
    monkeypatch.setattr(module, switch, False)
    without = _outputs(inputs)
    assert with_lever == without


def _read(path, lim):
    try:
        return ei.read_document(path, lim).data
    except ei.InputProblem as exc:
        return exc.lines


def test_limits_counted_while_constructing_say_what_the_walk_said(tmp_path, monkeypatch):
    """FAST_BOUNDS: every hostile file, and texts at and over each limit (with and without an anchor), give the
    same data or the same lines with the limits counted while constructing as with the separate walk."""
    cases = sorted((ROOT / "tests" / "data" / "fuzz").glob("*.yaml"))
    texts = {"rows": "a:\n" + "".join(f"  - {i}\n" for i in range(5)),
             "nodes": "a: {b: 1, c: [1, 2, 3]}\nd: x\n",
             "deep": "a: {b: {c: {d: 1}}}\n", "deep_empty": "a: {b: {c: {}}}\n",
             "date": "a: [2023-02-31]\nb: {c: [1, 2, 3, 4, 5, 6, 7]}\n",
             "anchor": "a: &x [1, 2]\nb: *x\nc: R&D\n", "merge": "a: {<<: {b: 1}}\n", "dup": "a: 1\na: 2\n"}
    for name, text in texts.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
        cases.append(tmp_path / f"{name}.yaml")
    limits = [ei.Limits()] + [ei.Limits(**{key: value}) for key, value in
                              (("baris", 4), ("baris", 5), ("simpul", 8), ("simpul", 9), ("kedalaman", 3),
                               ("kedalaman", 4), ("alias", 0))]
    for text in ("a: &x 1", "&x a: 1", "- &x\n  - 1", "[&x 1, *x]", "{\"a\":&x 1}", "a:\t&x 1", "? &k a\n: 1"):
        assert ei._may_have_anchor(text), text
    for text in ("a: R&D", "a: Sarana & Prasarana", "a: x&", "a: 1", "a: '& '"):
        assert not ei._may_have_anchor(text), text
    for path in cases:
        for lim in limits:
            monkeypatch.setattr(ei, "FAST_BOUNDS", True)
            fast = _read(path, lim)
            monkeypatch.setattr(ei, "FAST_BOUNDS", False)
            assert fast == _read(path, lim), (path.name, lim)


def _command(args, quick: bool):
    """The `sakip` command as its console script runs it (main() reading sys.argv), with or without the quick exit;
    an atexit handler tells whether the interpreter's teardown ran."""
    code = ("import atexit, sys; atexit.register(lambda: sys.stderr.write('teardown\\n'))\n"
            f"import sakip_checker.cli as c; c.QUICK_EXIT = {quick}; sys.argv = ['sakip', *{[str(a) for a in args]!r}]\n"
            "sys.exit(c.main())")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True)
    return proc.returncode, proc.stdout, proc.stderr


def test_quick_exit_of_the_command_gives_the_same_bytes(inputs, tmp_path):
    synthetic = inputs[-1]
    bad = tmp_path / "rusak.yaml"
    bad.write_text("profil: [\n", encoding="utf-8")
    for args in (["check", synthetic, "--format", "json"], ["check", synthetic, "--fail-on", "warning"],
                 ["check", EXAMPLES[0], "--format", "csv", "-o", tmp_path / "a.csv"], ["check", bad]):
        quick, full = _command(args, True), _command(args, False)
        assert full[2].endswith(b"teardown\n") and b"teardown" not in quick[2]
        assert quick == (full[0], full[1], full[2].removesuffix(b"teardown\n")), args
    assert _command(["check", synthetic, "--fail-on", "warning"], True)[0] == 1
    assert _command(["check", bad], True)[0] == 2


def test_gc_off_during_a_check_gives_the_same_bytes(inputs):
    enabled = gc.isenabled()
    try:
        gc.enable()
        on = _outputs(inputs[-1:])
        gc.disable()
        off = _outputs(inputs[-1:])
    finally:
        (gc.enable if enabled else gc.disable)()
    assert on == off


def test_lines_of_every_path_are_the_full_maps(inputs):
    """Lines on demand (YAML) and by token scan (JSON) answer every path as the map of every node did."""
    for path in inputs:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=ei.YamlLoader)
        full: dict = {}
        ei._walk(node, "", full)
        if path.suffix == ".json":
            assert ei.json_lines(text) == full
        else:
            lazy = ei.LazyDocument(path, None, node)
            for dotted, line in full.items():
                assert lazy.line_of(dotted) == line, dotted
                assert lazy.line_of(dotted + ".tidak_ada[7]") == line
    assert ei.json_lines("{\"a\": [1, {\"b\": \"x\\\"y\"}]\n, \"c\": {}}") == {"": 1, "a": 1, "a[0]": 1, "a[1]": 1,
                                                                             "a[1].b": 1, "c": 2}
    assert ei.json_lines("{\"a\" 1}") == {}


def test_the_rule_cache_is_refused_when_others_could_write_it(tmp_path, monkeypatch):
    monkeypatch.setenv("SAKIP_CACHE_DIR", str(tmp_path / "cache"))
    er.load_catalogue()
    (cache,) = (tmp_path / "cache").glob("*.pickle")
    assert er._cache_read(cache) is not None
    cache.chmod(0o666)
    assert er._cache_read(cache) is None
    cache.chmod(0o600)
    cache.write_bytes(b"rusak")
    assert er._cache_read(cache) is None
    assert len(er.load_catalogue().rules) == len(er.load_catalogue().rules)  # rewritten, then read
    assert er._cache_read(cache) is not None


def test_progress_bar_on_a_terminal(tmp_path):
    """On a terminal (a pseudo-terminal here, which reports 0 x 0 characters) the bar is drawn on stderr."""
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen([str(SAKIP), "check", *map(str, EXAMPLES[:2]), "-o", str(tmp_path / "o")],
                            stdin=slave, stdout=slave, stderr=slave)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    assert proc.wait() == 0
    assert "Memeriksa: 100%" in out.decode("utf-8", "replace") and "2/2" in out.decode("utf-8", "replace")
    for f in (tmp_path / "o").iterdir():
        assert b"Memeriksa" not in f.read_bytes()


@pytest.fixture
def gc_restored():
    enabled = gc.isenabled()
    yield
    if enabled:  # a worker turns collection off for its whole life; this test process needs it back
        gc.enable()


def test_a_worker_reports_each_kind_of_failure_of_its_file(tmp_path, monkeypatch, gc_restored):
    import sakip_checker.evaluate
    from sakip_checker.batch import Worker
    from sakip_checker.durable import EngineError

    options = {"output": str(tmp_path), "formats": ["json"], "extensions": {"json": "json"}, "lang": "id",
               "paket": None, "rules": None, "overrides": {}, "fail_on": "error"}
    worker = Worker(options)
    assert worker.check(EXAMPLES[0]).status in ("ok", "findings")

    def broken(*args, **kwargs):
        raise EngineError("durable-rules menolak aturan")

    monkeypatch.setattr(sakip_checker.evaluate, "evaluate", broken)
    result = worker.check(EXAMPLES[0])
    assert (result.status, result.lines) == ("engine", [f"{EXAMPLES[0]}: mesin aturan gagal: durable-rules menolak aturan"])
    monkeypatch.setattr(sakip_checker.evaluate, "evaluate", lambda *a, **k: 1 / 0)
    result = worker.check(EXAMPLES[0])
    assert result.status == "crash" and "kesalahan internal (ZeroDivisionError" in result.lines[0]
    bad = Worker({**options, "overrides": {"batas_laporan_bulanan_hari": "bukan angka"}})
    result = bad.check(EXAMPLES[0])
    assert result.status == "input" and result.lines[0].startswith("--set batas_laporan_bulanan_hari")


def test_recap_shows_the_follow_up_status_of_each_opd_from_the_store(tmp_path):
    """With --db the recap carries, per OPD, how many findings of its latest stored run are belum / proses /
    selesai (a follow-up recorded in the store for one of them); without a store the columns are absent."""
    from sakip_checker.store import open_store

    db = tmp_path / "riwayat.db"
    folder = tmp_path / "masuk"
    folder.mkdir()
    stored_example, other_example = ROOT / "examples/biro-pemerintahan-otda-2023.yaml", ROOT / "examples/biro-contoh-bersih-2023.yaml"
    for p in (stored_example, other_example):
        shutil.copy(p, folder / p.name)
    assert sakip("check", stored_example, "--simpan", "--db", db, "-o", tmp_path / "satu.json", "--format", "json"
                 ).returncode == 0
    report = json.loads((tmp_path / "satu.json").read_text(encoding="utf-8"))
    first = report["findings"][0]["locations"][0]["fingerprint"]
    with open_store(str(db)) as store:
        store.record_follow_ups(report["submission"]["opd"], [{"fingerprint": first, "status": "selesai"}],
                                oleh="uji", sumber=None)
        stored = store.follow_up_status(report["submission"]["opd"])
    assert stored["selesai"] == 1 and stored["belum"] == report["counts"]["lokasi"] - 1
    assert sakip("check", folder, "-o", tmp_path / "o", "--db", db).returncode == 0
    rows = list(load_workbook(tmp_path / "o/rekap.xlsx")["OPD"].iter_rows(values_only=True))
    header = rows[0]
    col = {name: header.index(f"Tindak lanjut {name}") for name in ("belum", "proses", "selesai")}
    by_file = {r[header.index("Berkas")]: r for r in rows[1:]}
    mine = next(r for f, r in by_file.items() if stored_example.stem in str(f))
    assert (mine[col["belum"]], mine[col["proses"]], mine[col["selesai"]]) == (stored["belum"], 0, 1)
    other = next(r for f, r in by_file.items() if other_example.stem in str(f))
    assert other[col["belum"]] is None  # that OPD has no stored run
    assert "Tindak lanjut selesai" in (tmp_path / "o/rekap.html").read_text(encoding="utf-8")
    assert sakip("check", folder, "-o", tmp_path / "o2").returncode == 0
    assert "Tindak lanjut belum" not in [c.value for c in load_workbook(tmp_path / "o2/rekap.xlsx")["OPD"][1]]
