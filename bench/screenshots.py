"""Screenshots of the main pages of `sakip web` for the README (docs/img/*.png), taken in headless Chromium
(Debian's, through playwright) on a server this script starts on loopback with the demo accounts and a
fresh SQLite store.

    .venv/bin/python bench/screenshots.py [--out docs/img]

The pages: sign-in, home, upload, a run with its findings (baru/berulang), the OPD's follow-up proposal as
the Inspektorat sees it, the HTML report, the run history, and the province recap (Bappeda). The bundled
examples are uploaded by their OPDs' demo accounts first, so that the history and the recap have content.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from harness import launch_chromium, log_in, start_server, upload  # noqa: E402

EXAMPLES = ROOT / "examples"
VIEWPORT = {"width": 1280, "height": 800}


def take(out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from sakip_checker.cli import main as sakip

    out.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="sakip-shots-") as tmp, sync_playwright() as p:
        tmp = Path(tmp)
        workbook = tmp / "biro-pemerintahan-otda-2023.xlsx"
        assert sakip(["template", str(workbook), "--dari", str(EXAMPLES / "biro-pemerintahan-otda-2023.yaml")]) == 0
        server = start_server(tmp / "server")
        browser = launch_chromium(p)
        try:
            def page():
                context = browser.new_context(base_url=server.url, viewport=VIEWPORT, locale="id-ID",
                                              device_scale_factor=1)
                context.set_default_timeout(60_000)
                return context.new_page()

            def shot(pg, name: str, full: bool = False) -> None:
                path = out / f"{name}.png"
                pg.screenshot(path=str(path), full_page=False if not full else True)
                shots.append(path)

            for stem in ("biro-contoh-bersih-2023", "lkip-2021-biro-pemerintahan-kesra",
                         "renja-perubahan-2023-setda-kota-serang"):
                other = page()
                log_in(other, server, f"opd-{stem}")
                upload(other, server, EXAMPLES / f"{stem}.yaml")
                other.context.close()

            opd = page()
            opd.goto("/masuk")
            opd.fill("#username", "opd-biro-pemerintahan-otda-2023")
            shot(opd, "masuk")
            log_in(opd, server, "opd-biro-pemerintahan-otda-2023")
            shot(opd, "beranda")
            upload(opd, server, EXAMPLES / "biro-pemerintahan-otda-2023.yaml")
            opd.goto("/unggah")
            opd.set_input_files("#berkas", str(workbook))
            shot(opd, "unggah")
            run = upload(opd, server, workbook)
            shot(opd, "pemeriksaan")

            first = opd.locator("#daftar-temuan tbody tr").first
            first.locator("summary").click()
            form = first.locator("form.form-status")
            form.locator("select[name=status]").select_option("proses")
            form.locator("input[name=tanggal]").fill("2024-03-05")
            form.locator("input[name=bukti]").fill("Rencana Aksi bertanggal 20 Januari 2023 diunggah ulang")
            form.locator("button[type=submit]").click()
            opd.wait_for_selector("#daftar-temuan [data-testid=usulan]")

            inspektorat = page()
            log_in(inspektorat, server, "inspektorat-demo")
            inspektorat.goto(f"/pemeriksaan/{run}")
            inspektorat.locator("#daftar-temuan").scroll_into_view_if_needed()
            inspektorat.evaluate("() => document.querySelector('#daftar-temuan').scrollIntoView()")
            shot(inspektorat, "tindak-lanjut")

            opd.goto(f"/pemeriksaan/{run}/laporan")
            shot(opd, "laporan")
            opd.goto("/pemeriksaan")
            shot(opd, "riwayat")

            bappeda = page()
            log_in(bappeda, server, "bappeda-demo")
            bappeda.goto("/rekap")
            shot(bappeda, "rekap")
        finally:
            browser.close()
            server.stop()
    return shots


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs/img")
    args = parser.parse_args(argv)
    for path in take(args.out):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
