"""Uploads that cannot hurt: the size limit before the body is read, the kind sniffed from the content, the
workbook limits (zip bomb, rows) before parsing, and a worker that crashes or hangs never takes the server
down (induced with the SAKIP_TEST_CRASH / SAKIP_TEST_HANG hooks)."""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest

from web_support import EXAMPLES, OTDA, error_lines, login, make_app, upload, upload_example

BIRO = "biro-pemerintahan-otda-2023"


@pytest.fixture
def app(tmp_path):
    app = make_app(str(tmp_path / "web.db"), timeout=20)
    yield app
    app.state.store.close()


@pytest.fixture
def otda(app):
    return login(app, OTDA)


def runs(app) -> int:
    return len(app.state.store.runs())


def test_oversized_upload_is_refused_before_it_is_read(app, otda, monkeypatch):
    from sakip_checker.inputs import LIMITS

    monkeypatch.setattr(LIMITS, "berkas_mb", 1)
    r = upload(otda, "besar.yaml", b"a: 1\n" * 300_000)  # 1.5 MB
    assert r.status_code == 413 and "melebihi batas 1 MB" in error_lines(r.text)
    assert 'id="tombol-keluar"' in r.text and "Unggah berkas lain" in r.text  # the page of a signed-in person
    # a body sent without a length is counted as it arrives
    body = b"x" * (2 * 1024 * 1024)

    def chunks():
        for i in range(0, len(body), 65536):
            yield body[i:i + 65536]

    r = otda.post("/unggah", content=chunks(), headers={"content-type": "multipart/form-data; boundary=zzz"})
    assert r.status_code == 413
    assert runs(app) == 0


def test_the_kind_is_sniffed_from_the_content_not_the_name(app, otda):
    cases = [
        ("laporan.xlsx", b"%PDF-1.7\n...", "Berkas ini PDF"),
        ("lama.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "buku kerja Excel lama (.xls)"),
        ("gambar.yaml", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "Jenis berkas tidak dikenali"),
        ("latin1.yaml", "profil:\n  opd: Dinas Pendidikan dan Kebudayaan \xe9\n".encode("latin-1"), "bukan UTF-8"),
        ("kosong.json", b"  \n", "kosong"),
    ]
    for name, content, expected in cases:
        r = upload(otda, name, content)
        assert r.status_code == 400 and expected in error_lines(r.text), (name, r.text[-800:])
    # a zip that is no workbook, named .yaml: read as a workbook, refused as one
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("isi.txt", "bukan buku kerja")
    r = upload(otda, "arsip.yaml", buf.getvalue())
    assert r.status_code == 400 and "bukan buku kerja Excel (.xlsx) yang dapat dibaca" in error_lines(r.text)
    # the bundled YAML example named .xlsx is read as YAML (its content), and named as it really is
    r = upload(otda, "salah-nama.xlsx", (EXAMPLES / f"{BIRO}.yaml").read_bytes())
    assert r.status_code == 303
    page = otda.get(r.headers["location"]).text
    assert "salah-nama.yaml" in page
    # a YAML error names the file (as uploaded) and its line, never a server path
    r = upload(otda, "rusak.yaml", b"profil:\n  opd: [tidak ditutup\n")
    lines = error_lines(r.text)
    assert r.status_code == 400 and lines.startswith("rusak.yaml") and "baris" in lines and "/tmp" not in lines
    assert runs(app) == 1


def test_workbook_limits_hold_before_parsing(app, otda, monkeypatch):
    from sakip_checker.inputs import LIMITS

    monkeypatch.setattr(LIMITS, "xlsx_mb", 1)
    workbook = (EXAMPLES / f"{BIRO}.xlsx").read_bytes()
    bomb = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            out.writestr(item, src.read(item))
        out.writestr("xl/media/isi.bin", b"\0" * (3 * 1024 * 1024))  # 3 MB that pack into a few KB
    assert len(bomb.getvalue()) < len(workbook) + 50_000
    r = upload(otda, "bom.xlsx", bomb.getvalue())
    assert r.status_code == 400 and "melebihi batas 1 MB" in error_lines(r.text)
    monkeypatch.setattr(LIMITS, "xlsx_mb", 200)
    monkeypatch.setattr(LIMITS, "baris", 20)
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(workbook))
    ws = wb["Indikator"]
    for n in range(60):
        ws.cell(row=ws.max_row + 1, column=1, value=f"baris {n}")
    rows = io.BytesIO()
    wb.save(rows)
    r = upload(otda, "baris.xlsx", rows.getvalue())
    lines = error_lines(r.text)
    assert r.status_code == 400 and "lembar Indikator" in lines and "melebihi batas 20 baris" in lines
    assert runs(app) == 0


def test_a_crashing_worker_is_reported_and_the_server_goes_on(app, otda, monkeypatch):
    monkeypatch.setenv("SAKIP_TEST_CRASH", "meledak:SIGSEGV")
    r = upload(otda, "meledak.yaml", (EXAMPLES / f"{BIRO}.yaml").read_bytes())
    lines = error_lines(r.text)
    assert r.status_code == 500 and "proses pemeriksa berhenti" in lines and "SIGSEGV" in lines
    assert "Traceback" not in r.text
    assert runs(app) == 0
    assert upload_example(otda, BIRO) == 1  # the next upload is checked as usual


def test_a_hanging_worker_is_killed_at_the_time_limit(tmp_path, monkeypatch):
    import os

    app = make_app(str(tmp_path / "web.db"), timeout=3)
    try:
        otda = login(app, OTDA)
        monkeypatch.setenv("SAKIP_TEST_HANG", "macet")
        started = time.monotonic()
        r = upload(otda, "macet.yaml", (EXAMPLES / f"{BIRO}.yaml").read_bytes())
        took = time.monotonic() - started
        assert r.status_code == 504 and "batas waktu 3 detik" in error_lines(r.text)
        assert 3 <= took < 15
        result = app.state.runner.run((EXAMPLES / f"{BIRO}.yaml").read_bytes(), "macet-lagi.yaml", opd=None,
                                      oleh="uji", account=None)
        assert result.status == "timeout" and result.pid
        with pytest.raises(ProcessLookupError):
            os.kill(result.pid, 0)  # the worker is gone, not left running
        assert upload_example(otda, BIRO) == 1
    finally:
        app.state.store.close()


def test_an_opd_cannot_upload_another_opds_submission(app, otda):
    r = upload(otda, "lain.yaml", (EXAMPLES / "biro-contoh-bersih-2023.yaml").read_bytes())
    assert r.status_code == 403
    lines = error_lines(r.text)
    assert "'Biro Contoh Layanan Data'" in lines and "'Biro Pemerintahan dan Otonomi Daerah'" in lines
    assert runs(app) == 0
    evaluator = login(app, "inspektorat-demo")  # the evaluator uploads for any OPD
    assert upload_example(evaluator, "biro-contoh-bersih-2023") == 1


def test_pages_answer_while_an_upload_runs_and_a_full_queue_is_told_to_wait(tmp_path, monkeypatch):
    import threading

    from web_support import client, csrf

    app = make_app(str(tmp_path / "web.db"), timeout=4, workers=1)
    app.state.upload_queue = 1
    monkeypatch.setenv("SAKIP_TEST_HANG", "macet")
    try:
        with client(app) as c:  # one event loop for the threads below
            token = csrf(c, "/masuk")
            assert c.post("/masuk", data={"username": OTDA, "password": "sandi-uji-12345",
                                          "csrf_token": token}).status_code == 303
            c.token = csrf(c)
            answers = {}
            slow = threading.Thread(target=lambda: answers.setdefault("macet", upload(
                c, "macet.yaml", (EXAMPLES / f"{BIRO}.yaml").read_bytes())))
            slow.start()
            time.sleep(1.5)  # the hanging upload holds the only place
            started = time.monotonic()
            assert c.get("/pemeriksaan").status_code == 200
            assert time.monotonic() - started < 2  # the other pages do not wait for the upload
            r = upload(c, f"{BIRO}.yaml", (EXAMPLES / f"{BIRO}.yaml").read_bytes())
            assert r.status_code == 503 and "Coba lagi beberapa menit lagi" in error_lines(r.text)
            slow.join()
            assert answers["macet"].status_code == 504
            assert upload_example(c, BIRO) == 1  # the place is free again
    finally:
        app.state.store.close()


def test_sniff_and_safe_name():
    from sakip_checker.web.jobs import UploadProblem, safe_name, sniff

    assert sniff(b"PK\x03\x04rest") == "xlsx"
    assert sniff(b"\xef\xbb\xbf  {\"profil\": {}}") == "json" and sniff(b"\n[1]") == "json"
    assert sniff("profil:\n  opd: Dinas Pekerjaan Umum dan Penataan Ruang\n".encode()) == "yaml"
    with pytest.raises(UploadProblem):
        sniff(b"GIF89a\x00\x01")
    assert safe_name("../../etc/passwd", "yaml") == "passwd.yaml"
    assert safe_name("C:\\Users\\Perencana\\Isian RA 2024 (final).XLSX", "xlsx") == "Isian RA 2024 _final.xlsx"
    assert safe_name("<script>.json", "json") == "script.json" and safe_name("", "json") == "pengajuan.json"
    assert safe_name("....", "yaml") == "pengajuan.yaml"


def test_a_form_with_two_files_is_refused_in_indonesian(app, otda):
    r = otda.post("/unggah", data={"csrf_token": otda.token},
                  files=[("berkas", ("a.yaml", b"a: 1")), ("berkas", ("b.yaml", b"b: 2"))])
    assert r.status_code == 400 and "lebih dari satu berkas" in error_lines(r.text)


def test_a_run_stored_by_the_command_line_is_shown_without_a_report(app, otda, capsys):
    from sakip_checker.cli import main

    assert main(["check", str(EXAMPLES / f"{BIRO}.yaml"), "--simpan", "--db", app.state.store.url.replace(
        "sqlite:///", "")]) == 0
    capsys.readouterr()
    page = otda.get("/pemeriksaan/1")
    assert page.status_code == 200 and 'id="tanpa-laporan"' in page.text and 'id="unduh-html"' not in page.text
    r = otda.get("/pemeriksaan/1/unduh/xlsx")
    assert r.status_code == 404 and "tidak tersimpan di server" in error_lines(r.text)
    second = upload_example(otda, BIRO)  # compared with the command line's run
    assert re.search(r'id="jumlah-berulang">[1-9]', otda.get(f"/pemeriksaan/{second}").text)


def test_a_worker_over_its_memory_limit_is_stopped_and_reported(tmp_path):
    app = make_app(str(tmp_path / "web.db"), memory_mb=40)  # below what any evaluation needs
    try:
        otda = login(app, OTDA)
        r = upload(otda, f"{BIRO}.xlsx", (EXAMPLES / f"{BIRO}.xlsx").read_bytes())
        lines = error_lines(r.text)
        assert r.status_code == 500 and "memori lebih dari batas 40 MB" in lines, lines
        assert runs(app) == 0
        app.state.runner.memory_mb = 2048
        assert upload_example(otda, BIRO) == 1
    finally:
        app.state.store.close()
