"""`sakip web` as its users work with it, in a real headless Chromium (Debian's, through playwright): an OPD
planner signs in, downloads the blank workbook, uploads the bundled examples (YAML, a workbook made with
`sakip template --dari`, JSON), sees on the run page the findings the engine gives for that file, opens the
report and downloads the findings workbook; the OPD proposes a follow-up status, the Inspektorat confirms it
and waives another finding (the next upload lists it apart); Bappeda sees the province recap; an OPD cannot
reach another OPD's run by editing the URL; signing out closes the session.

One server (a fresh SQLite store, the demo accounts) for the module; each person has their own browser
context (cookies). The uploads are made once (the `runs` fixture, through the upload form) and the tests read
what they produced."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
import yaml

from harness import ROOT, finish_upload, log_in, start_upload, upload
from sakip_checker.api import check
from sakip_checker.cli import main
from sakip_checker.inputs import YamlLoader

EXAMPLES = ROOT / "examples"
OTDA, CLEAN, KESRA, SERANG = ("biro-pemerintahan-otda-2023", "biro-contoh-bersih-2023",
                              "lkip-2021-biro-pemerintahan-kesra", "renja-perubahan-2023-setda-kota-serang")
WORKBOOK, JSON_FILE = "otda-dari-template.xlsx", "kesra.json"


def account(stem: str) -> str:
    return f"opd-{stem}"


def engine_fingerprints(path: Path) -> set[str]:
    report = check(path)
    return {loc.fingerprint for f in report.findings for loc in f.locations}


def page_fingerprints(page) -> list[str]:
    return page.locator("#daftar-temuan tbody tr").evaluate_all("rows => rows.map(r => r.dataset.sidikJari)")


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """The files the OPDs upload: the bundled YAML examples, a workbook filled from the OTDA example by
    `sakip template --dari`, and the Kesra example as JSON."""
    tmp = tmp_path_factory.mktemp("unggah")
    out = {stem: EXAMPLES / f"{stem}.yaml" for stem in (OTDA, CLEAN, KESRA, SERANG)}
    assert main(["template", str(tmp / WORKBOOK), "--dari", str(out[OTDA])]) == 0
    out[WORKBOOK] = tmp / WORKBOOK
    data = yaml.load(out[KESRA].read_text(encoding="utf-8"), Loader=YamlLoader)
    (tmp / JSON_FILE).write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    out[JSON_FILE] = tmp / JSON_FILE
    return out


@pytest.fixture(scope="module")
def runs(new_module_page, web_server, files) -> dict[str, int]:
    """Each OPD signs in and uploads its example through the form, the four OPDs at the same time; {file key:
    run id}. The OTDA planner uploads its YAML, then the workbook made from it; Kesra its example as JSON."""
    pages = {key: new_module_page(account(who)) for key, who in [(OTDA, OTDA), (CLEAN, CLEAN), (JSON_FILE, KESRA),
                                                                  (SERANG, SERANG)]}
    for key, page in pages.items():
        start_upload(page, web_server, files[key])
    out = {key: finish_upload(page, files[key]) for key, page in pages.items()}
    out[WORKBOOK] = upload(pages[OTDA], web_server, files[WORKBOOK])
    return out


def test_sign_in_refused_then_accepted_and_sign_out(new_page, web_server):
    page = new_page()
    page.goto("/")
    assert page.url.endswith("/masuk")
    page.fill("#username", account(OTDA))
    page.fill("#password", "bukan-sandinya")
    page.click("#tombol-masuk")
    assert "salah" in page.inner_text("#pesan-masuk")
    assert page.locator("#navigasi").count() == 0
    log_in(page, web_server, account(OTDA))
    assert page.get_attribute("#pengguna", "data-role") == "opd"
    assert "Biro Pemerintahan dan Otonomi Daerah" in page.inner_text("#pengguna")
    signed_in = page.context.storage_state()
    page.click("#tombol-keluar")
    page.wait_for_url(re.compile(r"/masuk$"))
    for path in ("/", "/pemeriksaan", "/unggah"):
        page.goto(path)
        assert page.url.endswith("/masuk"), path
        assert page.locator("#navigasi").count() == 0
    # the session is closed on the server: its cookie, replayed in another browser context, opens nothing
    replay = page.context.browser.new_context(base_url=web_server.url, storage_state=signed_in)
    try:
        other = replay.new_page()
        other.goto("/pemeriksaan")
        assert other.url.endswith("/masuk") and other.locator("#navigasi").count() == 0
    finally:
        replay.close()


def test_blank_workbook_download(new_page, web_server, tmp_path):
    page = new_page(account(CLEAN))
    with page.expect_download() as download:
        page.click("#beranda-templat")
    got = tmp_path / download.value.suggested_filename
    download.value.save_as(got)
    assert got.suffix == ".xlsx"
    assert main(["template", str(tmp_path / "cli.xlsx")]) == 0
    sheets = openpyxl.load_workbook(got).sheetnames
    assert sheets == openpyxl.load_workbook(tmp_path / "cli.xlsx").sheetnames
    assert {"Profil", "Indikator", "PK", "Rencana Aksi", "Laporan Bulanan", "LKjIP"} <= set(sheets)


@pytest.mark.parametrize("key,who", [(OTDA, OTDA), (WORKBOOK, OTDA), (CLEAN, CLEAN), (JSON_FILE, KESRA),
                                     (SERANG, SERANG)])
def test_run_page_shows_the_engines_findings(new_page, web_server, files, runs, key, who):
    page = new_page(account(who))
    page.click("#nav-riwayat")
    page.click(f"#run-{runs[key]}")
    assert page.url.endswith(f"/pemeriksaan/{runs[key]}")
    assert files[key].name in page.inner_text("#ringkasan-berkas")
    expected = engine_fingerprints(files[key])
    shown = page_fingerprints(page)
    assert len(shown) == len(set(shown)) and set(shown) == expected
    assert page.get_attribute("#ringkasan-temuan", "data-jumlah") == str(len(expected))
    if not expected:
        assert page.is_visible("#tanpa-temuan")
    if key == WORKBOOK:  # the same findings as the YAML uploaded before: all recurring, none new
        assert page.inner_text("#jumlah-baru") == "0"
        assert page.inner_text("#jumlah-berulang") == str(len(expected))
        assert f"#{runs[OTDA]}" in page.inner_text("#ringkasan")
    elif key == OTDA:
        assert page.inner_text("#jumlah-baru") == str(len(expected))
        row = page.locator("#daftar-temuan tr[data-aturan='REN-002']")
        assert "Berat" in row.inner_text() and "tidak bertanggal" in row.inner_text()


def test_report_page_and_findings_workbook(new_page, web_server, runs, tmp_path):
    page = new_page(account(OTDA))
    page.goto(f"/pemeriksaan/{runs[WORKBOOK]}")
    shown = set(page_fingerprints(page))
    with page.expect_download() as download:
        page.click("#unduh-xlsx")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    book = openpyxl.load_workbook(saved)
    assert book.sheetnames == ["Ringkasan", "Temuan", "Tindak Lanjut"]
    rows = list(book["Temuan"].iter_rows(values_only=True))
    column = rows[0].index("Sidik jari")
    assert {r[column] for r in rows[1:]} == shown
    assert book["Ringkasan"]["B1"].value == "Biro Pemerintahan dan Otonomi Daerah"

    # every other format offered on the page downloads too; the JSON report holds the findings of the page
    links = page.locator("#unduhan a").evaluate_all("links => links.map(a => a.id)")
    assert len(links) == 8
    for link in links:
        with page.expect_download() as download:
            page.click(f"#{link}")
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        assert saved.stat().st_size > 500, link
        if link == "unduh-json":
            report = json.loads(saved.read_text(encoding="utf-8"))
            assert {loc["fingerprint"] for f in report["findings"] for loc in f["locations"]} == shown
        elif link in ("unduh-markdown", "unduh-csv", "unduh-html"):
            assert "Biro Pemerintahan dan Otonomi Daerah" in saved.read_text(encoding="utf-8-sig"), link
    assert len(set(p.name for p in tmp_path.iterdir())) == 8

    page.click("#lihat-laporan")
    page.wait_for_selector(".summary")
    assert page.locator("tr.finding").count() > 0
    assert "REN-002" in page.inner_text("body")
    assert page.locator("svg.chart").first.is_visible()


def test_follow_up_proposed_confirmed_then_waiver(new_page, web_server, runs, files):
    run = runs[WORKBOOK]
    opd = new_page(account(OTDA))
    opd.goto(f"/pemeriksaan/{run}")
    first, second = page_fingerprints(opd)[:2]
    row = opd.locator(f"#temuan-{first}")
    row.locator("summary").click()
    form = row.locator("form.form-status")
    form.locator("select[name=status]").select_option("proses")
    form.locator("input[name=tanggal]").fill("2024-03-05")
    form.locator("input[name=bukti]").fill("Rencana Aksi bertanggal, surat 050/77")
    form.locator("button[type=submit]").click()
    opd.wait_for_selector(f"#temuan-{first} [data-testid=usulan]")
    row = opd.locator(f"#temuan-{first}")
    assert "menunggu Inspektorat" in row.locator("[data-testid=usulan]").inner_text()
    assert row.locator("[data-testid=status]").inner_text() == "belum"
    assert row.locator("[data-testid=terima-usulan]").count() == 0  # the OPD cannot confirm its own proposal

    inspektorat = new_page("inspektorat-demo")
    inspektorat.goto(f"/pemeriksaan/{run}")
    row = inspektorat.locator(f"#temuan-{first}")
    assert "surat 050/77" in row.locator("[data-testid=usulan]").inner_text()
    row.locator("[data-testid=terima-usulan]").click()
    inspektorat.wait_for_selector(f"#temuan-{first} [data-testid=status]:text-is('proses')")
    assert inspektorat.locator(f"#temuan-{first} [data-testid=usulan]").count() == 0

    # a waiver for the second finding, from its row
    row = inspektorat.locator(f"#temuan-{second}")
    row.locator("summary").click()
    row.get_by_text("Kecualikan temuan ini").click()
    inspektorat.wait_for_url(re.compile(r"/pengecualian"))
    assert inspektorat.input_value("#sidik_jari") == second
    assert inspektorat.input_value("#opd") == "Biro Pemerintahan dan Otonomi Daerah"
    inspektorat.fill("#alasan", "Diterima evaluator: dokumen pendukung menyusul (uji e2e).")
    inspektorat.click("#tombol-pengecualian")
    inspektorat.wait_for_selector("#daftar-pengecualian")
    assert second in inspektorat.inner_text("#daftar-pengecualian")

    # the OPD sees the confirmed status; its next upload lists the waived finding apart
    opd.goto(f"/pemeriksaan/{run}")
    assert opd.locator(f"#temuan-{first} [data-testid=status]").inner_text() == "proses"
    assert opd.locator("#nav-pengecualian").count() == 0
    again = upload(opd, web_server, files[OTDA])
    assert second not in page_fingerprints(opd)
    assert opd.locator(f"#temuan-dikecualikan tr[data-sidik-jari='{second}']").count() == 1
    assert opd.locator(f"#temuan-{first} [data-testid=status]").inner_text() == "proses"
    assert again > run


def test_recap_for_bappeda_only(new_page, web_server, runs):
    bappeda = new_page("bappeda-demo")
    assert bappeda.locator("#nav-unggah").count() == 0
    bappeda.click("#nav-rekap")
    text = bappeda.inner_text("body")
    for opd in ("Biro Pemerintahan dan Otonomi Daerah", "Biro Contoh Layanan Data",
                "Biro Pemerintahan dan Kesejahteraan Rakyat", "Sekretariat Daerah Kota Serang"):
        assert opd in text
    response = bappeda.goto("/unggah")
    assert response.status == 403 and bappeda.get_attribute("#galat", "data-status") == "403"

    opd = new_page(account(CLEAN))
    assert opd.locator("#nav-rekap").count() == 0
    response = opd.goto("/rekap")
    assert response.status == 403
    assert "Otonomi Daerah" not in opd.inner_text("body")


def test_opd_cannot_reach_another_opds_run_by_url(new_page, web_server, runs):
    page = new_page(account(CLEAN))
    page.click("#nav-riwayat")
    listed = page.locator("#daftar-pemeriksaan tbody tr").evaluate_all("rows => rows.map(r => +r.dataset.run)")
    assert listed == [runs[CLEAN]]
    page.goto(f"/pemeriksaan/{runs[CLEAN]}")
    csrf = page.locator("input[name=csrf_token]").first.input_value()
    other = runs[OTDA]
    for path in (f"/pemeriksaan/{other}", f"/pemeriksaan/{other}/laporan", f"/pemeriksaan/{other}/tindak-lanjut",
                 f"/pemeriksaan/{other}/unduh/json", f"/pemeriksaan/{other}/unduh/xlsx"):
        response = page.goto(path)  # typed in the address bar
        assert response.status == 404, path
        assert page.get_attribute("#galat", "data-status") == "404", path
        assert "Otonomi Daerah" not in page.inner_text("body"), path
    # a follow-up proposal on the other OPD's finding, posted with this session's cookie and a valid CSRF token
    # (the pages' CSP forbids scripts, so it is sent by the browser context's request client, same cookies)
    inspektorat_view = new_page("inspektorat-demo")
    inspektorat_view.goto(f"/pemeriksaan/{other}")
    fingerprint = page_fingerprints(inspektorat_view)[0]
    response = page.request.post(f"/pemeriksaan/{other}/temuan/{fingerprint}/usulan", max_redirects=0,
                                 form={"csrf_token": csrf, "status": "proses", "tanggal": "2024-01-02", "bukti": "x"})
    assert response.status == 404
    inspektorat_view.reload()
    assert inspektorat_view.locator(f"#temuan-{fingerprint} [data-testid=usulan]").count() == 0


def test_upload_of_another_opds_file_is_refused(new_page, web_server, files):
    page = new_page(account(CLEAN))
    page.goto("/unggah")
    page.set_input_files("#berkas", str(files[SERANG]))
    page.click("#tombol-unggah")
    page.wait_for_selector("#galat")
    assert page.get_attribute("#galat", "data-status") == "403"
    assert "OPD lain" in page.inner_text("#judul-galat")
    page.click("#nav-riwayat")
    assert "Kota Serang" not in page.inner_text("#isi")


def test_oversized_and_disguised_uploads_get_indonesian_error_pages(new_page, web_server, tmp_path):
    """In a real browser the 413 is a page, not a connection reset (the server answers from the Content-Length
    before reading the body); a PDF named .yaml is named as a PDF; the server goes on answering."""
    big = tmp_path / "besar.yaml"
    big.write_bytes(b"profil: {opd: Biro Contoh Layanan Data, tahun: 2023}\n# " + b"x" * (11 * 1024 * 1024) + b"\n")
    pdf = tmp_path / "laporan.yaml"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256)) * 8)
    page = new_page(account(CLEAN))
    for path, status, words in ((big, "413", "melebihi batas"), (pdf, "400", "PDF")):
        start_upload(page, web_server, path)
        page.wait_for_selector("#galat")
        assert page.get_attribute("#galat", "data-status") == status, path.name
        assert words in page.inner_text("#pesan-galat"), path.name
        assert "Traceback" not in page.content()
    page.goto("/pemeriksaan")
    assert "laporan.yaml" not in page.inner_text("#isi") and "besar.yaml" not in page.inner_text("#isi")
