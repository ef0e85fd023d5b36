"""The end-to-end harness: `sakip web` started as a real server process on a free loopback port, on a fresh
SQLite store with the demo accounts (--demo), and Debian's Chromium driven by playwright-python (no
`playwright install`: the browser is the system's). Used by the tests of this folder and by the scripts
bench/web_load.py and bench/screenshots.py."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Without these Chromium tries to reach Google's services; on a closed network it then hangs on connections.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class WebServer:
    """A running `sakip web` process; `log` is its standard output and error, kept in a file."""

    url: str
    proc: subprocess.Popen
    workdir: Path
    log_path: Path
    accounts: dict = field(default_factory=dict)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)


def start_server(workdir: Path | None = None, extra_args: list[str] = (), env: dict | None = None,
                 timeout: float = 60.0) -> WebServer:
    """Start `sakip web --demo` on a free port with a SQLite store in `workdir` (a new temporary folder when
    None) and wait until it answers HTTP; raise with the server's output when it exits or does not answer."""
    server = launch_server(workdir, extra_args, env)
    wait_until_ready(server, timeout)
    return server


def launch_server(workdir: Path | None = None, extra_args: list[str] = (), env: dict | None = None) -> WebServer:
    """Start the `sakip web --demo` process (see start_server) without waiting for it."""
    workdir = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="sakip-web-"))
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log_path = workdir / "server.log"
    full_env = dict(os.environ)
    full_env["SAKIP_DEMO_SANDI"] = DEMO_PASSWORD
    full_env.update(env or {})
    cmd = [sys.executable, "-m", "sakip_checker.cli", "web", "--db", str(workdir / "sakip.db"),
           "--host", "127.0.0.1", "--port", str(port), "--demo", *extra_args]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=workdir, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=full_env)
    return WebServer(url=f"http://127.0.0.1:{port}", proc=proc, workdir=workdir, log_path=log_path)


def wait_until_ready(server: WebServer, timeout: float = 60.0) -> None:
    """Wait until the server answers HTTP, then read the demo accounts it printed."""
    proc = server.proc
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"sakip web exited with {proc.returncode}:\n{server.log()}")
        try:
            with urllib.request.urlopen(server.url + "/", timeout=5):
                break
        except urllib.error.HTTPError:
            break  # it answers (a redirect to the login page, or an error page): it is up
        except OSError:
            if time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(f"sakip web did not answer on {server.url} within {timeout:.0f} s:\n{server.log()}")
            time.sleep(0.2)
    server.accounts = demo_accounts(server.log())


DEMO_PASSWORD = "sandi-demo-e2e-2023"  # SAKIP_DEMO_SANDI for the server's demo accounts (>= 10 characters)
DEMO_LINE = re.compile(r"^\s+pengguna: (?P<username>\S+)\s+sandi: (?P<password>\S+)\s+peran: (?P<role>\S+)"
                       r"(?:\s+OPD: (?P<opd>.+?))?\s*$")


def demo_accounts(output: str) -> dict[str, dict]:
    """The demo accounts `sakip web --demo` prints at start: {username: {username, password, role, opd}}."""
    accounts = {}
    for line in output.splitlines():
        m = DEMO_LINE.match(line)
        if m:
            accounts[m["username"]] = m.groupdict()
    return accounts


def launch_chromium(playwright):
    """Debian's Chromium, headless, through playwright (no browser download)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def log_in(page, server: WebServer, username: str) -> None:
    """Sign in through the login form as a demo account; the home page must greet it."""
    page.goto(server.url + "/masuk")
    page.fill("#username", username)
    page.fill("#password", server.accounts[username]["password"])
    page.click("#tombol-masuk")
    page.wait_for_selector("#judul-beranda")


def start_upload(page, server: WebServer, path: Path) -> None:
    """Choose the file on the upload page and submit the form, without waiting for the answer."""
    page.goto(server.url + "/unggah")
    page.set_input_files("#berkas", str(path))
    page.click("#tombol-unggah", no_wait_after=True)


def finish_upload(page, path: Path) -> int:
    """Wait for the answer to an upload; returns the id of the stored run shown after it."""
    page.wait_for_selector("#judul-pemeriksaan, #galat", timeout=180_000)  # the run page, or an error page
    if page.locator("#galat").count():
        raise AssertionError(f"upload of {path.name} refused: {page.locator('#galat').inner_text()}")
    return int(page.url.rsplit("/", 1)[1])


def upload(page, server: WebServer, path: Path) -> int:
    """Upload a submission file through the upload form; returns the id of the stored run shown after it."""
    start_upload(page, server, path)
    return finish_upload(page, path)
