"""A province at once: many submissions checked by a pool of worker processes (`sakip check FOLDER/ -o DIR/`).

Each worker process imports the engine and loads each rule pack once, then evaluates file after file; a
file's result (its outputs written into DIR, and a short summary for the recap) goes back to the parent. A
file that kills its worker (a crash in durable-rules' C code, an abort) is reported as such and a new worker
takes the next file: the others are checked all the same. Outputs are written atomically (temporary file,
then rename): a crash never leaves half a file.

Exit code of a batch: the worst over the files, in this order: 4 a worker process stopped on a file (crash)
or an internal error, 3 rule-engine failure, 2 a file is not a valid submission, 1 findings at or above
--fail-on, 0 otherwise. A bad option or an empty folder stops before any file is read (2).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

from sakip_checker.inputs import InputProblem
from sakip_checker.output import write_output

SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")
EXIT_CRASH = 4
# Test hook: a worker kills itself with this signal on a file whose name contains the marker
# (SAKIP_TEST_CRASH=marker[:SIGNAL]); used by the tests to show a crash is isolated to its file.
CRASH_HOOK = "SAKIP_TEST_CRASH"
STATUS_RANK = {"ok": 0, "findings": 1, "input": 2, "engine": 3, "crash": 4}
STATUS_LABEL = {"ok": "selesai", "findings": "selesai, ada temuan setingkat --fail-on",
                "input": "masukan tidak sah", "engine": "mesin aturan gagal", "crash": "proses pemeriksa berhenti"}


@dataclass
class FileResult:
    """What the parent knows of one file: its status, the lines to print, and the recap's summary."""

    file: str
    status: str
    lines: list[str] = field(default_factory=list)
    summary: dict[str, Any] | None = None


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """The submissions named: files as given, and the submission files directly in each folder (by name;
    Excel's lock files ``~$...`` and hidden files left out). Raises InputProblem naming each bad path."""
    out: list[Path] = []
    problems: list[str] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
                           and not p.name.startswith((".", "~$")))
            if not found:
                problems.append(f"{path}: folder tidak berisi berkas pengajuan ({', '.join(SUFFIXES)})")
            out.extend(found)
        elif path.exists():
            out.append(path)
        else:
            problems.append(f"{path}: berkas atau folder tidak ditemukan")
    stems: dict[str, Path] = {}
    for p in out:
        if p.stem in stems and stems[p.stem] != p:
            problems.append(f"{p}: nama keluaran '{p.stem}' sama dengan {stems[p.stem]}; ganti salah satu nama berkas")
        stems.setdefault(p.stem, p)
    if problems:
        raise InputProblem(problems)
    return list(dict.fromkeys(out))


def summarise(report, path: Path) -> dict[str, Any]:
    """What the recap needs of one report (plain data: it crosses the process boundary)."""
    units = [(g, x) for g in report.findings for x in g.locations]  # report.units() without building models
    return {
        "file": str(path), "stem": path.stem, "opd": report.submission.opd, "tahun": report.submission.tahun,
        "pack": report.pack, "counts": dict(report.counts),
        "scores": {s.component: (s.score, s.grade, s.coverage) for s in report.scores.components},
        "overall": report.scores.overall, "grade": report.scores.grade,
        "groups": [(g.rule_id, g.severity, g.title, len(g.locations)) for g in report.findings],
        "units": [(g.rule_id, g.component, g.severity, g.outcome, g.title, g.citation, x.location.document,
                   x.location.path, x.location.line, x.location.jabatan, x.location.indikator, x.location.bulan,
                   x.message, x.remediation, x.fingerprint) for g, x in units],
        "severities": sorted({g.severity for g, _ in units}),
    }


class Worker:
    """The state one worker process keeps between files: the rule packs loaded, by name."""

    def __init__(self, options: dict[str, Any]):
        self.options = options
        self.catalogues: dict[str, Any] = {}
        self.params: dict[str, Any] = {}
        self.pack_of_year: dict[int, tuple[Path, str | None, str]] = {}  # year -> (root, chosen by, name)

    def catalogue(self, year: int):
        from sakip_checker.api import choose_pack
        from sakip_checker.rules import load_catalogue

        if year not in self.pack_of_year:  # reads every pack.yaml: once per year; the choice of `sakip check`'s
            self.pack_of_year[year] = choose_pack(year, self.options.get("paket"), self.options.get("rules"))
        root, chosen_by, name = self.pack_of_year[year]
        if name not in self.catalogues:
            from pydantic import ValidationError

            from sakip_checker.evaluate import effective_parameters
            from sakip_checker.inputs import describe_validation_error

            loaded = load_catalogue(root, name)
            loaded.chosen_by = chosen_by
            _ = loaded.adapter  # the durable rulesets, built once per process
            try:
                self.params[name] = effective_parameters(loaded, self.options.get("overrides") or {})
            except ValidationError as exc:
                raise InputProblem([f"--set {line}" for line in describe_validation_error(exc, None)]) from None
            self.catalogues[name] = loaded
            gc.freeze()  # the pack lives as long as the process: keep it out of every later collection
        return self.catalogues[name], self.params[name]

    def check(self, path: Path) -> FileResult:
        from sakip_checker.durable import EngineError
        from sakip_checker.evaluate import evaluate
        from sakip_checker.submission import load_submission
        from sakip_checker.reports import render
        from sakip_checker.reports.formats import Pengesahan

        marker = os.environ.get(CRASH_HOOK)
        if marker:
            name, _, sig = marker.partition(":")
            if name and name in path.name:
                os.kill(os.getpid(), getattr(signal, sig or "SIGSEGV"))
        opts = self.options
        gc.disable()  # no cyclic collection inside a file; one after it, once its data is freed (_worker_main)
        try:
            submission, document = load_submission(path)
            catalogue, params = self.catalogue(submission.profil.tahun)
            report = evaluate(submission, catalogue, params, document)
            outdir = Path(opts["output"])
            signed = Pengesahan(opts.get("pemeriksa"), opts.get("tanggal"))
            rendered = [(fmt, render(report, fmt, opts["lang"], signed, pack_dir=catalogue.root))
                        for fmt in opts["formats"]]  # all, then write
            summary = summarise(report, path)
            for fmt, content in rendered:
                write_output(outdir / f"{path.stem}.{opts['extensions'][fmt]}", content)
        except InputProblem as exc:
            return FileResult(str(path), "input", list(exc.lines))
        except EngineError as exc:
            return FileResult(str(path), "engine", [f"{path}: mesin aturan gagal: {exc}"])
        except Exception as exc:  # one file's internal error must not stop the batch
            return FileResult(str(path), "crash", [f"{path}: kesalahan internal ({type(exc).__name__}: {exc}); "
                                                   "jalankan ulang berkas ini dengan SAKIP_DEBUG=1 dan laporkan"])
        if report.engine_failures:  # the report was written; the rules the engine could not evaluate are named
            return FileResult(str(path), "engine", [
                f"{path}: mesin aturan gagal; aturan {', '.join(f.rule_ids)} tidak dinilai ({f.message})"
                for f in report.engine_failures], summary)
        threshold = opts.get("fail_on")
        status = "ok"
        if threshold and threshold != "never":
            from sakip_checker.cli import SEVERITY_RANK

            if any(SEVERITY_RANK[s] >= SEVERITY_RANK[threshold] for s in summary["severities"]):
                status = "findings"
        return FileResult(str(path), status, [], summary)


def _worker_main(conn, options: dict[str, Any]) -> None:
    """A worker process: receive a file path, send back its FileResult; None ends it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    worker = Worker(options)
    while True:
        item = conn.recv()
        if item is None:
            break
        conn.send(worker.check(Path(item)))
        gc.collect()  # the file's data is freed by now: only its cycles are left to find
    conn.close()


def _context():
    methods = multiprocessing.get_all_start_methods()
    # fork: a worker inherits the parent's imports (cheap start); the parent never builds durable state.
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _crash_line(path: str, exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = str(-exitcode)
        how = f"dihentikan sinyal {name}"
    else:
        how = f"keluar dengan kode {exitcode}"
    return (f"{path}: proses pemeriksa berhenti saat memeriksa berkas ini ({how}); berkas lain tetap diperiksa. "
            "Periksa ulang berkas ini sendiri dengan SAKIP_DEBUG=1 dan laporkan")


def run_batch(files: list[Path], options: dict[str, Any], workers: int | None = None,
              progress: bool | None = None) -> list[FileResult]:
    """Check ``files`` with ``workers`` processes (default: the usable cores, at most one per file); the
    results in the order of ``files``. ``progress``: a progress bar on stderr (default: when it is a TTY)."""
    if workers is None:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    workers = max(1, min(workers, len(files)))
    Path(options["output"]).mkdir(parents=True, exist_ok=True)
    ctx = _context()
    if ctx.get_start_method() == "fork":  # imported once here, inherited by every worker (and the recap needs them)
        import sakip_checker.checks as checks  # noqa: F401
        import sakip_checker.api  # noqa: F401
        import sakip_checker.submission  # noqa: F401
    pending = list(reversed([str(p) for p in files]))
    results: dict[str, FileResult] = {}
    live: dict[Any, tuple[Any, Any, str | None]] = {}  # parent's end of the pipe -> (process, pipe, file)

    def start():
        parent_end, child_end = ctx.Pipe()
        proc = ctx.Process(target=_worker_main, args=(child_end, options), daemon=True)
        proc.start()
        child_end.close()
        live[parent_end] = (proc, parent_end, None)

    def feed(conn):
        proc, _, _ = live[conn]
        if pending:
            item = pending.pop()
            conn.send(item)
            live[conn] = (proc, conn, item)
        else:
            conn.send(None)
            proc.join()
            conn.close()
            del live[conn]

    bar = None
    if progress if progress is not None else sys.stderr.isatty():
        from tqdm import tqdm

        tqdm.monitor_interval = 0  # no monitor thread
        import shutil

        size = shutil.get_terminal_size((80, 24))  # a terminal that reports 0 x 0 gets 80 x 24 (else no bar)
        bar = tqdm(total=len(files), desc="Memeriksa", unit="berkas", file=sys.stderr, leave=True,
                   ncols=min(size.columns, 100), nrows=max(size.lines, 2))
    try:
        for _ in range(workers):
            start()
        for conn in list(live):
            feed(conn)
        while live:
            sentinels = {live[c][0].sentinel: c for c in live}
            ready = wait([*live, *sentinels])
            for obj in ready:
                conn = obj if obj in live else sentinels.get(obj)
                if conn is None or conn not in live:
                    continue
                proc, _, item = live[conn]
                result = None
                if conn.poll():
                    try:
                        result = conn.recv()
                    except (EOFError, OSError):
                        result = None
                if result is not None:
                    results[result.file] = result
                    if bar:
                        bar.update(1)
                    feed(conn)
                    continue
                if proc.is_alive() and obj is conn:
                    continue
                proc.join()
                conn.close()
                del live[conn]
                if item is not None:
                    results[item] = FileResult(item, "crash", [_crash_line(item, proc.exitcode)])
                    if bar:
                        bar.update(1)
                if pending:
                    start()
                    new = next(reversed(live))
                    feed(new)
    finally:
        if bar:
            bar.close()
        for proc, conn, _ in list(live.values()):
            proc.kill()
            proc.join()
    return [results[str(p)] for p in files]


def exit_code(results: list[FileResult]) -> int:
    return max((STATUS_RANK[r.status] for r in results), default=0)
