"""Load test of `sakip web` on loopback: N planners upload a bundled example at the same moment.

    .venv/bin/python bench/web_load.py [--uploads 20] [--file examples/biro-pemerintahan-otda-2023.yaml]
                                       [--proses N] [--json]

Starts its own server (`sakip web --demo` on a free 127.0.0.1 port, a fresh SQLite store in a temporary
folder; never any other address), signs in one session per simulated planner (the OPD demo account of the
file's OPD), then releases all uploads together (one thread each, httpx) and times each from the request to
the server's answer (the redirect to the stored run: the upload read, evaluated in a worker process, recorded,
every format rendered and saved). Then it checks that every upload got its own stored run, that the runs page
lists them all and that the server is still up, and prints the response times (median, p95, max) and the
wall time. Exit 1 when any upload failed. Bounded: N uploads (at most 200), each with a time limit; the
script stops the server itself. A measurement, not a test: times are printed, never asserted.
"""

from __future__ import annotations

import argparse
import html as html_module
import json
import math
import os
import re
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from harness import start_server  # noqa: E402

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
REQUEST_TIMEOUT = 600.0  # seconds for one upload: 20 at once on 2 cores queue behind the worker pool


def csrf_token(html: str) -> str:
    m = CSRF.search(html)
    if not m:
        raise RuntimeError("no csrf_token on the page")
    return m.group(1)


def sign_in(client, username: str, password: str) -> str:
    """Sign in through the form; returns the session's CSRF token (read from the upload page)."""
    page = client.get("/masuk")
    response = client.post("/masuk", data={"csrf_token": csrf_token(page.text), "username": username,
                                           "password": password})
    if response.status_code != 303 or response.headers.get("location") != "/":
        raise RuntimeError(f"sign-in of {username} refused: HTTP {response.status_code}")
    page = client.get("/unggah")
    if page.status_code != 200:
        raise RuntimeError(f"/unggah: HTTP {page.status_code}")
    return csrf_token(page.text)


def file_opd(file: Path) -> str | None:
    """profil.opd of a submission file (YAML, JSON or workbook), to sign in as that OPD's demo account; None for
    a file that does not parse (any OPD account then)."""
    from sakip_checker.inputs import InputProblem
    from sakip_checker.submission import load_submission

    try:
        return load_submission(file)[0].profil.opd
    except (InputProblem, OSError, ValueError):
        return None


def error_text(html: str) -> str:
    """The title and lines of the server's error page (else its text), on one line."""
    found = re.finditer(r'<(?:h1|ul) id="(?:judul|pesan)-galat"[^>]*>(.*?)</(?:h1|ul)>', html, re.S)
    parts = [m.group(1) for m in found]
    text = re.sub(r"<[^>]+>", " ", " ".join(parts) if parts else html)
    return " ".join(html_module.unescape(text).split())[:500]


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def run(uploads: int, file: Path, workers: int | None, server_dir: Path | None = None) -> dict:
    import httpx

    opd = file_opd(file)
    extra = ["--proses", str(workers)] if workers else []
    server = start_server(server_dir, extra_args=extra)
    try:
        account = next((a for a in server.accounts.values() if a["role"] == "opd" and (opd is None or a["opd"] == opd)),
                       None)
        if account is None:
            raise RuntimeError(f"no demo OPD account for {opd!r}: {sorted(server.accounts)}")
        content = file.read_bytes()
        clients = [httpx.Client(base_url=server.url, timeout=REQUEST_TIMEOUT, follow_redirects=False)
                   for _ in range(uploads)]
        tokens = [sign_in(c, account["username"], account["password"]) for c in clients]
        results: list[dict] = [{} for _ in range(uploads)]

        def one(i: int) -> None:
            barrier.wait()
            start = time.perf_counter()
            try:
                response = clients[i].post("/unggah", data={"csrf_token": tokens[i]},
                                           files={"berkas": (file.name, content, "application/octet-stream")})
            except httpx.HTTPError as exc:
                results[i] = {"ok": False, "seconds": time.perf_counter() - start, "error": repr(exc)}
                return
            seconds = time.perf_counter() - start
            location = response.headers.get("location", "")
            m = re.fullmatch(r"/pemeriksaan/(\d+)", location)
            if response.status_code == 303 and m:
                results[i] = {"ok": True, "seconds": seconds, "run": int(m.group(1))}
            else:
                results[i] = {"ok": False, "seconds": seconds,
                              "error": f"HTTP {response.status_code}: {error_text(response.text)}"}

        # meanwhile another planner opens the history page every 0.5 s: do pages answer while uploads are checked?
        page_times: list[float] = []
        page_errors: list[str] = []
        done = threading.Event()
        reader = httpx.Client(base_url=server.url, timeout=REQUEST_TIMEOUT, follow_redirects=False)
        sign_in(reader, account["username"], account["password"])

        def browse() -> None:
            barrier.wait()
            while not done.is_set() and len(page_times) < 2000:
                start = time.perf_counter()
                response = reader.get("/pemeriksaan")
                page_times.append(time.perf_counter() - start)
                if response.status_code != 200:
                    page_errors.append(f"/pemeriksaan during the uploads: HTTP {response.status_code}")
                done.wait(0.5)

        barrier = threading.Barrier(uploads + 1)
        threads = [threading.Thread(target=one, args=(i,)) for i in range(uploads)]
        browser = threading.Thread(target=browse)
        browser.start()
        wall_start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - wall_start
        done.set()
        browser.join()
        reader.close()

        runs = sorted(r["run"] for r in results if r.get("ok"))
        errors = [r["error"] for r in results if not r.get("ok")] + page_errors[:5]
        if len(set(runs)) != len(runs):
            errors.append(f"two uploads answered with the same run: {runs}")
        listing = clients[0].get("/pemeriksaan")
        listed = {int(x) for x in re.findall(r'data-run="(\d+)"', listing.text)}
        missing = set(runs) - listed
        if missing:
            errors.append(f"runs not listed on /pemeriksaan: {sorted(missing)}")
        if server.proc.poll() is not None:
            errors.append(f"the server exited with {server.proc.returncode}")
        for c in clients:
            c.close()
        times = [r["seconds"] for r in results if "seconds" in r]
        return {"uploads": uploads, "file": file.name, "bytes": len(content), "ok": len(runs), "errors": errors,
                "load_average": round(os.getloadavg()[0], 2),
                "wall_s": round(wall, 3), "median_s": round(statistics.median(times), 3),
                "p95_s": round(percentile(times, 95), 3), "max_s": round(max(times), 3),
                "min_s": round(min(times), 3), "workers": workers,
                "page_loads": len(page_times),
                "page_median_s": round(statistics.median(page_times), 3) if page_times else None,
                "page_max_s": round(max(page_times), 3) if page_times else None}
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uploads", type=int, default=20, help="concurrent uploads (1-200; default 20)")
    parser.add_argument("--file", type=Path, default=ROOT / "examples/biro-pemerintahan-otda-2023.yaml")
    parser.add_argument("--proses", type=int, default=None, help="the server's worker processes (default: its own)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args(argv)
    if not 1 <= args.uploads <= 200:
        parser.error("--uploads: 1-200")
    out = run(args.uploads, args.file, args.proses)
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        print(f"{out['uploads']} concurrent uploads of {out['file']} ({out['bytes'] / 1024:.1f} KiB) to `sakip web` "
              f"on 127.0.0.1: {out['ok']} stored, {len(out['errors'])} errors")
        print(f"  response time: median {out['median_s']:.2f} s, p95 {out['p95_s']:.2f} s, max {out['max_s']:.2f} s "
              f"(min {out['min_s']:.2f} s); all {out['uploads']} answered in {out['wall_s']:.2f} s wall")
        if out["page_loads"]:
            print(f"  meanwhile the history page: {out['page_loads']} loads, median {out['page_median_s']:.2f} s, "
                  f"max {out['page_max_s']:.2f} s")
        print(f"  load average at the end: {out['load_average']:.2f} on {os.cpu_count()} cores")
        for error in out["errors"]:
            print(f"  error: {error}")
    return 1 if out["errors"] or out["ok"] != out["uploads"] else 0


if __name__ == "__main__":
    sys.exit(main())
