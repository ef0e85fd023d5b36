"""The HTML report as a person sees it: opened in headless Chromium (Debian's package, which .ci/run
installs), laid out, and checked through the DevTools protocol that the summary, a chart and a finding
are on screen, visible and not covered by anything else; a screenshot is taken and kept next to the test
output (tests/out/). Needs Chromium; without it the test is skipped locally, never in CI."""

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from sakip_checker.cli import main

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
OUT = ROOT / "tests/out"

pytestmark = pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"), reason="Chromium is not installed")

CHECK_VISIBLE = """
(() => {
  const visible = (el) => {
    if (!el) return {found: false};
    const r = el.getBoundingClientRect(), st = getComputedStyle(el);
    const cx = r.left + r.width / 2, cy = r.top + Math.min(r.height / 2, 20);
    window.scrollTo(0, window.scrollY + r.top - 40);
    const r2 = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r2.left + Math.min(r2.width / 2, 40), r2.top + Math.min(r2.height / 2, 10));
    return {found: true, width: r.width, height: r.height, display: st.display, visibility: st.visibility,
            opacity: st.opacity, onTop: !!hit && (hit === el || el.contains(hit)),
            text: (el.textContent || '').trim().slice(0, 200)};
  };
  window.scrollTo(0, 0);
  const out = {
    summary: visible(document.querySelector('.summary')),
    chart: visible(document.querySelector('svg.chart')),
    tree: visible(document.querySelector('svg.tree')),
    finding: visible(document.querySelector('tr.finding')),
  };
  window.scrollTo(0, 0);
  return JSON.stringify(out);
})()
"""


class DevTools:
    def __init__(self, ws_url: str):
        import websocket

        self.ws = websocket.create_connection(ws_url, timeout=30)
        self.next_id = 0

    def call(self, method: str, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(message["error"])
                return message["result"]


@pytest.fixture
def browser():
    assert CHROMIUM, "Chromium is required in CI (.ci/run installs Debian's chromium package)"
    profile = tempfile.mkdtemp(prefix="sakip-chromium-")
    proc = subprocess.Popen(
        [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--remote-debugging-port=0", "--window-size=1280,1000", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = Path(profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            assert time.monotonic() < deadline, "Chromium did not start"
            assert proc.poll() is None, "Chromium exited"
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as resp:
            page = next(t for t in json.load(resp) if t["type"] == "page")
        tools = DevTools(page["webSocketDebuggerUrl"])
        yield tools
        tools.ws.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.mark.parametrize("example", ["biro-contoh-bersih-2023", "biro-pemerintahan-otda-2023"])
def test_report_shows_summary_chart_and_findings(tmp_path, browser, example):
    html = tmp_path / f"{example}.html"
    assert main(["check", str(ROOT / "examples" / f"{example}.yaml"), "--format", "html", "--output", str(html)]) == 0
    _open(browser, html)
    seen = json.loads(browser.call("Runtime.evaluate", expression=CHECK_VISIBLE)["result"]["value"])
    must_see = ["summary", "chart", "tree"] + (["finding"] if example != "biro-contoh-bersih-2023" else [])
    for name in must_see:
        box = seen[name]
        assert box["found"], name
        assert box["width"] > 50 and box["height"] > 20, (name, box)
        assert box["display"] != "none" and box["visibility"] == "visible" and box["opacity"] == "1", (name, box)
        assert box["onTop"], (name, "covered by another element")
    assert "temuan" in seen["summary"]["text"] and "indeks kepatuhan dokumen (perkiraan)" in seen["summary"]["text"]
    if example == "biro-pemerintahan-otda-2023":
        assert "Berat" in seen["finding"]["text"] and "Pasal" in seen["finding"]["text"]
    shot = base64.b64decode(browser.call("Page.captureScreenshot", format="png", captureBeyondViewport=False)["data"])
    assert shot.startswith(b"\x89PNG") and len(shot) > 20_000
    OUT.mkdir(exist_ok=True)
    (OUT / f"{example}.png").write_bytes(shot)


# -- working papers that print (issue 10 item 3) -----------------------------------------------------------

PRINT_CHECK = """
(() => {
  const badge = document.querySelector('.badge.error');
  const head = document.querySelector('table.findings thead');
  const places = [...document.querySelectorAll('table.findings details li')];
  return JSON.stringify({
    badge: badge ? getComputedStyle(badge).printColorAdjust || getComputedStyle(badge).webkitPrintColorAdjust : null,
    badgeBg: badge ? getComputedStyle(badge).backgroundColor : null,
    theadGroup: head ? getComputedStyle(head).display : null,
    places: places.length,
    placesShown: places.filter(li => li.getBoundingClientRect().height > 0).length,
    signed: (document.querySelector('.pengesahan') || {}).textContent || '',
  });
})()
"""


def _pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Page sizes (points) of a PDF as Chromium writes it: one /MediaBox per page object."""
    import re

    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    return [(float(x2) - float(x1), float(y2) - float(y1)) for x1, y1, x2, y2 in boxes]


def _open(browser, html):
    browser.call("Page.enable")
    browser.call("Page.navigate", url=html.as_uri())
    deadline = time.monotonic() + 30
    while browser.call("Runtime.evaluate", expression="document.readyState")["result"]["value"] != "complete":
        assert time.monotonic() < deadline
        time.sleep(0.1)


@pytest.mark.parametrize("fmt", ["html", "checklist-html"])
def test_working_paper_prints_on_a4_with_its_sign_off(tmp_path, browser, fmt):
    html = tmp_path / f"otda.{fmt}.html"
    assert main(["check", str(ROOT / "examples/biro-pemerintahan-otda-2023.yaml"), "--format", fmt, "--output",
                 str(html), "--pemeriksa", "Dra. Siti Aminah", "--tanggal", "2024-03-05"]) == 0
    _open(browser, html)
    browser.call("Emulation.setEmulatedMedia", media="print")
    seen = json.loads(browser.call("Runtime.evaluate", expression=PRINT_CHECK)["result"]["value"])
    assert seen["badge"] == "exact" and seen["badgeBg"] == "rgb(180, 35, 24)"  # Berat stays red on paper
    assert "Dra. Siti Aminah" in seen["signed"] and "5 Maret 2024" in seen["signed"] and "Paraf" in seen["signed"]
    if fmt == "html":
        assert seen["theadGroup"] == "table-header-group"  # the header row repeats on every page
        assert seen["places"] > 0 and seen["placesShown"] == seen["places"]  # grouped locations all printed
    browser.call("Emulation.setEmulatedMedia", media="")
    # Chrome's Ctrl+P defaults: no background graphics, no header/footer of its own; the page size of the CSS
    pdf = base64.b64decode(browser.call("Page.printToPDF", printBackground=False, preferCSSPageSize=True,
                                        displayHeaderFooter=False)["data"])
    assert pdf.startswith(b"%PDF")
    pages = _pdf_pages(pdf)
    assert pages and all(abs(w - 595.3) < 2 and abs(h - 841.9) < 2 for w, h in pages), pages[:3]  # A4
    assert len(pages) <= (12 if fmt == "html" else 6), len(pages)
    OUT.mkdir(exist_ok=True)
    (OUT / f"otda-{fmt}.pdf").write_bytes(pdf)
