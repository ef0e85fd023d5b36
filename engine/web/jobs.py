"""An uploaded submission: its kind sniffed from its content, then evaluated in a worker process with a time
limit, so that a crash or a hang in one upload never takes the server down.

The worker does what `sakip check FILE --simpan --format ...` does: read the file (every input limit of
engine/inputs.py and engine/excel.py, zip bomb, rows and cells counted before parsing), evaluate, apply the
store's waivers, record the run (baru / berulang / selesai), render every format, and save the rendered
formats and the recap's summary beside the run (tables web_runs, web_report_files). The parent only waits:
past the time limit it kills the worker; a worker that dies is reported, the server goes on."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import pickle
import re
import signal
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Test hooks (like engine.batch's SAKIP_TEST_CRASH): the worker kills itself with SIGNAL, or hangs, on an
# uploaded file whose name contains the marker. Read by the server at each upload and passed to the worker.
CRASH_HOOK = "SAKIP_TEST_CRASH"  # marker[:SIGNAL]
HANG_HOOK = "SAKIP_TEST_HANG"  # marker
DEFAULT_MEMORY_MB = 2048  # resident memory of one worker; the input limits bound a run to about 1 GB
POLL_SECONDS = 0.2  # how often the parent looks at a running worker's memory
KIND_SUFFIX = {"xlsx": ".xlsx", "json": ".json", "yaml": ".yaml"}
_SAFE = re.compile(r"[^A-Za-z0-9._ -]+")


class UploadProblem(Exception):
    """An upload refused before or during evaluation: HTTP status and Indonesian lines for the page."""

    def __init__(self, status: int, lines: list[str], title: str | None = None):
        super().__init__("\n".join(lines))
        self.status = status
        self.lines = lines
        self.title = title


def sniff(content: bytes) -> str:
    """``xlsx``, ``json`` or ``yaml`` from the content (never from the file name); UploadProblem otherwise."""
    if not content.strip():
        raise UploadProblem(400, ["Berkas yang diunggah kosong."])
    if content[:4] == b"PK\x03\x04":
        return "xlsx"
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UploadProblem(400, ["Berkas ini buku kerja Excel lama (.xls), bukan .xlsx. Buka di Excel atau "
                                  "LibreOffice lalu simpan sebagai Buku Kerja Excel (.xlsx), kemudian unggah lagi."])
    if content[:5] == b"%PDF-":
        raise UploadProblem(400, ["Berkas ini PDF. Yang dapat diperiksa hanya buku kerja isian (.xlsx dari "
                                  "tombol Unduh buku kerja kosong), YAML atau JSON."])
    head = content[:65536]
    if b"\x00" in head:
        raise UploadProblem(400, ["Jenis berkas tidak dikenali: isinya bukan buku kerja .xlsx, bukan teks YAML dan "
                                  "bukan JSON."])
    try:
        content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UploadProblem(400, [f"Berkas teks ini bukan UTF-8 (bita ke-{exc.start + 1} tidak dapat dibaca). "
                                  "Simpan ulang sebagai UTF-8, atau unggah buku kerja .xlsx."]) from None
    first = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return "json" if first in (b"{", b"[") else "yaml"


def safe_name(filename: str | None, kind: str) -> str:
    """The uploaded file's name as the reports show it: its base name, tame characters, the sniffed suffix."""
    base = re.split(r"[\\/]", filename or "")[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = _SAFE.sub("_", stem).strip(" ._-")[:80] or "pengajuan"
    return stem + KIND_SUFFIX[kind]


@dataclass
class JobResult:
    status: str  # ok, input (bad submission), opd (another OPD's submission), engine, crash, timeout
    lines: list[str] = field(default_factory=list)
    run: int | None = None
    seconds: float = 0.0
    pid: int | None = None  # the worker process (gone when the result is returned)


# -- the worker process --------------------------------------------------------------------------------


def _job(path: str, options: dict[str, Any], result_path: str) -> None:
    """In the worker: evaluate ``path`` (relative to the worker's folder) and write a pickled JobResult."""
    os.chdir(os.path.dirname(result_path))  # the reports name the file as uploaded, not a temporary path
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    crash, hang = options.get("crash"), options.get("hang")
    if crash:
        marker, _, sig = crash.partition(":")
        if marker and marker in path:
            os.kill(os.getpid(), getattr(signal, sig or "SIGSEGV"))
    if hang and hang in path:
        while True:
            time.sleep(60)
    result = _evaluate(Path(path), options)
    tmp = result_path + ".tmp"
    with open(tmp, "wb") as handle:
        pickle.dump(result, handle)
    os.replace(tmp, result_path)


def _evaluate(path: Path, options: dict[str, Any]) -> JobResult:
    import hashlib

    from sakip_checker.api import catalogue
    from sakip_checker.batch import summarise
    from sakip_checker.durable import EngineError
    from sakip_checker.evaluate import effective_parameters, evaluate
    from sakip_checker.inputs import LIMITS, InputProblem
    from sakip_checker.reports import FORMATS, render
    from sakip_checker.store import open_store
    from sakip_checker.store.models import ReportFileRow, WebRunRow
    from sakip_checker.submission import load_submission
    from sakip_checker.waivers import apply_waivers, from_store_rows

    for name, value in options["limits"].items():
        setattr(LIMITS, name, value)
    try:
        submission, document = load_submission(path)
        opd = " ".join(str(submission.profil.opd or "").split())
        if options.get("opd") and opd != options["opd"]:
            return JobResult("opd", [f"{path}: profil.opd berkas ini {opd!r}, sedangkan akun Anda untuk "
                                     f"{options['opd']!r}. Unggah pengajuan OPD Anda sendiri (isi profil.opd persis "
                                     "seperti nama OPD akun Anda)."])
        chosen = catalogue(submission.profil.tahun)
        report = evaluate(submission, chosen, effective_parameters(chosen, {}), document)
    except InputProblem as exc:
        return JobResult("input", list(exc.lines))
    except EngineError as exc:
        return JobResult("engine", [f"{path}: mesin aturan gagal: {exc}"])
    with open_store(options["db"]) as store:
        waivers = from_store_rows(store.waivers(report.submission.opd))
        report = apply_waivers(report, waivers, dt.date.today())
        content = hashlib.sha256(submission.model_dump_json().encode()).hexdigest()
        waived = report.pengecualian.dikecualikan if report.pengecualian else []
        riwayat = store.record_run(report, content, oleh=options.get("oleh"), waived=waived)
        report = report.model_copy(update={"riwayat": riwayat})
        files = {}
        for fmt in FORMATS:
            out = render(report, fmt)
            files[fmt] = out if isinstance(out, bytes) else out.encode("utf-8")
        summary = json.dumps(summarise(report, path), ensure_ascii=False, default=str)

        def save(session):
            session.add(WebRunRow(run_id=riwayat.run, account_id=options.get("account"), opd=report.submission.opd,
                                  filename=str(path), summary=summary))
            for fmt, data in files.items():
                session.add(ReportFileRow(run_id=riwayat.run, format=fmt, content=data))

        store.transaction(save)
    lines = [f"mesin aturan gagal; aturan {', '.join(f.rule_ids)} tidak dinilai ({f.message})"
             for f in report.engine_failures]
    return JobResult("engine" if lines else "ok", lines, riwayat.run)


# -- the parent's side ---------------------------------------------------------------------------------


_CONTEXT: list[Any] = []
_CONTEXT_LOCK = threading.Lock()


def _context():
    """forkserver: the server has threads (a fork of a threaded process can inherit a held lock), so workers
    are forked from a small single-threaded server that imported the engine once."""
    with _CONTEXT_LOCK:
        if not _CONTEXT:
            methods = multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
            if ctx.get_start_method() == "forkserver":
                ctx.set_forkserver_preload(["sakip_checker.api", "sakip_checker.checks", "sakip_checker.submission",
                                            "sakip_checker.excel", "sakip_checker.reports.formats",
                                            "sakip_checker.store.api", "sakip_checker.batch"])
            _CONTEXT.append(ctx)
        return _CONTEXT[0]


class _Rss:
    """A process's resident memory in MB from /proc (Linux); None where that cannot be read."""

    def __init__(self, pid: int | None):
        self.path = f"/proc/{pid}/status"

    def megabytes(self) -> int | None:
        try:
            with open(self.path, encoding="ascii", errors="replace") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) // 1024
        except (OSError, ValueError, IndexError):
            return None
        return None


def warm() -> None:
    """Start the worker server now (it imports the engine once), so that the first upload does not wait for it."""
    proc = _context().Process(target=os.getpid, daemon=True)
    proc.start()
    proc.join()


class Runner:
    """Runs uploads in worker processes: at most ``workers`` at once (the others wait their turn), each for at
    most ``timeout`` seconds."""

    def __init__(self, db_url: str, *, timeout: float = 120.0, workers: int | None = None,
                 memory_mb: int | None = DEFAULT_MEMORY_MB):
        self.db_url = db_url
        self.timeout = timeout
        self.memory_mb = memory_mb
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        self.slots = threading.BoundedSemaphore(max(1, workers or cores))

    def run(self, content: bytes, filename: str, *, opd: str | None, oleh: str, account: int | None) -> JobResult:
        from sakip_checker.inputs import LIMITS

        kind = sniff(content)
        name = safe_name(filename, kind)
        options = {"db": self.db_url, "opd": opd, "oleh": oleh, "account": account, "limits": dict(vars(LIMITS)),
                   "memory_mb": self.memory_mb,
                   "crash": os.environ.get(CRASH_HOOK), "hang": os.environ.get(HANG_HOOK)}
        with self.slots, tempfile.TemporaryDirectory(prefix="sakip-web-") as tmp:
            (Path(tmp) / name).write_bytes(content)
            result_path = os.path.join(tmp, "hasil.pickle")
            started = time.monotonic()
            proc = _context().Process(target=_job, args=(name, options, result_path), daemon=True)
            proc.start()
            rss = _Rss(proc.pid)
            over = None
            while proc.is_alive() and time.monotonic() - started < self.timeout:
                proc.join(POLL_SECONDS)
                used = rss.megabytes()
                if self.memory_mb and used is not None and used > self.memory_mb and proc.is_alive():
                    over = used
                    proc.kill()
                    proc.join()
            seconds = time.monotonic() - started
            if over is not None:
                return JobResult("memory", [f"{name}: pemeriksaan berkas ini memerlukan memori lebih dari batas "
                                            f"{self.memory_mb} MB ({over} MB) dan dihentikan. Periksa apakah berkas ini "
                                            "jauh lebih besar dari biasanya, lalu hubungi admin."],
                                 seconds=seconds, pid=proc.pid)
            if proc.is_alive():
                proc.kill()
                proc.join()
                return JobResult("timeout", [f"{name}: pemeriksaan dihentikan karena melewati batas waktu "
                                             f"{self.timeout:g} detik. Periksa apakah berkas ini jauh lebih besar dari "
                                             "biasanya, lalu coba lagi atau hubungi admin."], seconds=seconds,
                                 pid=proc.pid)
            if not os.path.exists(result_path):
                code = proc.exitcode
                how = (f"dihentikan sinyal {signal.Signals(-code).name}" if code is not None and code < 0
                       and -code in signal.Signals._value2member_map_ else f"keluar dengan kode {code}")
                return JobResult("crash", [f"{name}: proses pemeriksa berhenti saat memeriksa berkas ini ({how}). "
                                           "Server tetap berjalan; laporkan berkas ini kepada admin."], seconds=seconds,
                                 pid=proc.pid)
            with open(result_path, "rb") as handle:
                result = pickle.load(handle)
            result.seconds, result.pid = seconds, proc.pid
            return result
