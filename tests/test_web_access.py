"""The web page's roles and scopes, on SQLite and PostgreSQL: an OPD account reaches nothing of another OPD by
changing an id in a URL (404, not 403), every page renders for its roles and is refused (403) for the others,
the OPD proposes a follow-up status and the Inspektorat confirms it, waivers and the recap."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from web_support import BERSIH, OTDA, client, error_lines, login, make_app, upload_example


@pytest.fixture
def site(db_url):
    app = make_app(db_url, workers=2)
    otda = login(app, OTDA)
    bersih = login(app, BERSIH)
    run_a = upload_example(otda, "biro-pemerintahan-otda-2023")
    run_b = upload_example(bersih, "biro-contoh-bersih-2023")
    page = otda.get(f"/pemeriksaan/{run_a}").text
    fingerprints = re.findall(r'data-sidik-jari="([0-9a-f]+)"', page)
    assert fingerprints
    yield {"app": app, "otda": otda, "bersih": bersih, "run_a": run_a, "run_b": run_b, "fp": fingerprints[0],
           "fingerprints": fingerprints}
    app.state.store.close()


def test_another_opds_run_is_not_found_whatever_id_is_typed(site):
    otda, bersih, run_a, run_b, fp = site["otda"], site["bersih"], site["run_a"], site["run_b"], site["fp"]
    own = [f"/pemeriksaan/{run_a}", f"/pemeriksaan/{run_a}/laporan", f"/pemeriksaan/{run_a}/tindak-lanjut",
           f"/pemeriksaan/{run_a}/unduh/xlsx", f"/pemeriksaan/{run_a}/unduh/json"]
    for path in own:
        assert otda.get(path).status_code == 200, path
        r = bersih.get(path)  # the other OPD, same URL
        assert r.status_code == 404, path
        assert "tidak ditemukan" in r.text and "Biro Pemerintahan" not in r.text
    r = bersih.post(f"/pemeriksaan/{run_a}/temuan/{fp}/usulan",
                    data={"csrf_token": bersih.token, "status": "proses", "tanggal": "2024-03-01"})
    assert r.status_code == 404
    # its own run with the other OPD's fingerprint: not a finding of that run
    r = bersih.post(f"/pemeriksaan/{run_b}/temuan/{fp}/usulan",
                    data={"csrf_token": bersih.token, "status": "proses", "tanggal": "2024-03-01"})
    assert r.status_code == 404
    assert otda.get(f"/pemeriksaan/{run_b}").status_code == 404
    assert otda.get("/pemeriksaan/999999").status_code == 404
    assert otda.get(f"/pemeriksaan/{run_a}/unduh/exe").status_code == 404
    history = otda.get("/pemeriksaan").text
    assert f'data-run="{run_a}"' in history and f'data-run="{run_b}"' not in history
    assert f'data-run="{run_b}"' not in otda.get("/pemeriksaan?opd=Biro+Contoh+Layanan+Data").text  # no filter out
    assert 'id="form-saring"' not in history
    # the evaluator and Bappeda see both, and filter by OPD
    for role in ("inspektorat-demo", "bappeda-demo"):
        c = login(site["app"], role)
        text = c.get("/pemeriksaan").text
        assert f'data-run="{run_a}"' in text and f'data-run="{run_b}"' in text
        assert c.get(f"/pemeriksaan/{run_b}/unduh/html").status_code == 200
        text = c.get("/pemeriksaan?opd=Biro+Contoh+Layanan+Data").text
        assert f'data-run="{run_a}"' not in text and f'data-run="{run_b}"' in text


def test_each_page_renders_for_its_roles_and_is_refused_for_the_others(site):
    app, run_a = site["app"], site["run_a"]
    pages = {
        "/": {"opd", "inspektorat", "bappeda", "admin"},
        "/templat.xlsx": {"opd", "inspektorat", "bappeda", "admin"},
        "/unggah": {"opd", "inspektorat"},
        "/pemeriksaan": {"opd", "inspektorat", "bappeda"},
        f"/pemeriksaan/{run_a}": {"opd", "inspektorat", "bappeda"},
        f"/pemeriksaan/{run_a}/laporan": {"opd", "inspektorat", "bappeda"},
        f"/pemeriksaan/{run_a}/unduh/lke": {"opd", "inspektorat", "bappeda"},
        "/terlambat": {"opd", "inspektorat", "bappeda"},
        "/pengecualian": {"inspektorat"},
        "/rekap": {"inspektorat", "bappeda"},
        "/rekap.xlsx": {"inspektorat", "bappeda"},
        "/admin/akun": {"admin"},
        "/akun/sandi": {"opd", "inspektorat", "bappeda", "admin"},
    }
    accounts = {"opd": site["otda"], "inspektorat": login(app, "inspektorat-demo"),
                "bappeda": login(app, "bappeda-demo"), "admin": login(app, "admin-demo")}
    for path, allowed in pages.items():
        for role, c in accounts.items():
            r = c.get(path)
            expected = 200 if role in allowed else 403
            assert r.status_code == expected, (path, role, r.status_code)
            if expected == 403:
                assert "Akses ditolak" in r.text and 'data-status="403"' in r.text
        anonymous = client(app).get(path)
        assert anonymous.status_code == 303 and anonymous.headers["location"] == "/masuk", path
    shown = accounts["opd"].get(f"/pemeriksaan/{run_a}/laporan").text
    download = accounts["opd"].get(f"/pemeriksaan/{run_a}/unduh/html").text
    assert 'id="bilah-web"' in shown and f'href="/pemeriksaan/{run_a}"' in shown  # the way back, on screen only
    assert "bilah-web" not in download and shown.replace(download[:200], "") != shown  # the report's own bytes
    assert 'id="bilah-web"' in accounts["bappeda"].get("/rekap").text
    blank = accounts["opd"].get("/templat.xlsx")
    assert blank.content[:4] == b"PK\x03\x04" and "Indikator" in zipfile.ZipFile(io.BytesIO(blank.content)).read(
        "xl/workbook.xml").decode()
    # forms of other roles are refused too
    fp = site["fp"]
    for role in ("opd", "bappeda", "admin"):
        c = accounts[role]
        r = c.post(f"/pemeriksaan/{run_a}/temuan/{fp}/status",
                   data={"csrf_token": c.token, "status": "selesai", "tanggal": "2024-03-01", "bukti": "x"})
        assert r.status_code == 403, role
        assert c.post("/pengecualian", data={"csrf_token": c.token, "sidik_jari": fp, "alasan": "x"}).status_code == 403
    assert accounts["admin"].post("/unggah", data={"csrf_token": accounts["admin"].token}).status_code == 403


def test_opd_proposes_and_inspektorat_confirms_a_follow_up(site):
    app, otda, run_a, fp = site["app"], site["otda"], site["run_a"], site["fp"]
    url = f"/pemeriksaan/{run_a}/temuan/{fp}/usulan"
    r = otda.post(url, data={"csrf_token": otda.token, "status": "selesai", "tanggal": "2024-03-01"})
    assert r.status_code == 400 and "Bukti perbaikan wajib diisi" in error_lines(r.text)
    r = otda.post(url, data={"csrf_token": otda.token, "status": "proses", "tanggal": "1 Maret"})
    assert r.status_code == 400 and "bukan tanggal" in error_lines(r.text)
    r = otda.post(url, data={"csrf_token": otda.token, "status": "selesai", "tanggal": "2024-03-01",
                             "bukti": "PK perubahan No. 050/12"})
    assert r.status_code == 303
    page = otda.get(f"/pemeriksaan/{run_a}").text
    row = re.search(rf'<tr id="temuan-{fp}".*?</tr>', page, re.S).group(0)
    assert 'data-testid="usulan"' in row and "menunggu Inspektorat" in row
    assert re.search(r'data-testid="status">belum<', row)  # a proposal is not a status yet
    assert "terima-usulan" not in row  # only the evaluator decides
    evaluator = login(app, "inspektorat-demo")
    row = re.search(rf'<tr id="temuan-{fp}".*?</tr>', evaluator.get(f"/pemeriksaan/{run_a}").text, re.S).group(0)
    proposal = re.search(r'data-usulan="(\d+)"', row).group(1)
    # the OPD cannot accept its own proposal
    assert otda.post(f"/pemeriksaan/{run_a}/usulan/{proposal}",
                     data={"csrf_token": otda.token, "keputusan": "diterima"}).status_code == 403
    r = evaluator.post(f"/pemeriksaan/{run_a}/usulan/{proposal}",
                       data={"csrf_token": evaluator.token, "keputusan": "diterima", "catatan": "sesuai"})
    assert r.status_code == 303
    row = re.search(rf'<tr id="temuan-{fp}".*?</tr>', otda.get(f"/pemeriksaan/{run_a}").text, re.S).group(0)
    assert re.search(r'data-testid="status">selesai<', row) and 'data-testid="usulan"' not in row
    assert app.state.store.follow_up_status("Biro Pemerintahan dan Otonomi Daerah")["selesai"] == 1
    # a decided proposal cannot be decided again
    assert evaluator.post(f"/pemeriksaan/{run_a}/usulan/{proposal}",
                          data={"csrf_token": evaluator.token, "keputusan": "ditolak"}).status_code == 404
    # a rejected proposal is shown to the OPD with the evaluator's note
    other = site["fingerprints"][1]
    assert otda.post(f"/pemeriksaan/{run_a}/temuan/{other}/usulan",
                     data={"csrf_token": otda.token, "status": "proses", "tanggal": "2024-03-01"}).status_code == 303
    row = re.search(rf'<tr id="temuan-{other}".*?</tr>', evaluator.get(f"/pemeriksaan/{run_a}").text, re.S).group(0)
    proposal = re.search(r'data-usulan="(\d+)"', row).group(1)
    assert evaluator.post(f"/pemeriksaan/{run_a}/usulan/{proposal}",
                          data={"csrf_token": evaluator.token, "keputusan": "ditolak",
                                "catatan": "bukti belum dilampirkan"}).status_code == 303
    row = re.search(rf'<tr id="temuan-{other}".*?</tr>', otda.get(f"/pemeriksaan/{run_a}").text, re.S).group(0)
    assert 'data-testid="usulan-ditolak"' in row and "bukti belum dilampirkan" in row
    assert re.search(r'data-testid="status">belum<', row)
    # the evaluator sets a status directly
    r = evaluator.post(f"/pemeriksaan/{run_a}/temuan/{other}/status",
                       data={"csrf_token": evaluator.token, "status": "proses", "tanggal": "2024-03-02"})
    assert r.status_code == 303
    assert app.state.store.follow_up_status("Biro Pemerintahan dan Otonomi Daerah")["proses"] == 1


def test_waiver_recorded_by_the_evaluator_applies_to_the_next_upload_and_recap(site):
    app, otda, fp = site["app"], site["otda"], site["fp"]
    evaluator = login(app, "inspektorat-demo")
    r = evaluator.post("/pengecualian", data={"csrf_token": evaluator.token, "alasan": ""})
    assert r.status_code == 400 and 'id="pesan-pengecualian"' in r.text
    r = evaluator.post("/pengecualian", data={"csrf_token": evaluator.token, "sidik_jari": fp,
                                              "opd": "Biro Pemerintahan dan Otonomi Daerah",
                                              "alasan": "Dipertahankan atas arahan Bappeda", "sampai": "2099-12-31"})
    assert r.status_code == 303
    assert "Dipertahankan atas arahan Bappeda" in evaluator.get("/pengecualian").text
    again = upload_example(otda, "biro-pemerintahan-otda-2023")
    page = otda.get(f"/pemeriksaan/{again}").text
    waived = re.search(r'<table id="temuan-dikecualikan">.*?</table>', page, re.S).group(0)
    assert f'data-sidik-jari="{fp}"' in waived
    assert re.search(r'id="jumlah-baru">0<', page)  # the same submission again: every finding berulang
    assert re.search(r'id="jumlah-selesai">0<', page)  # the waived finding is not "selesai"
    history = otda.get("/pemeriksaan").text
    cells = re.findall(r'<td class="n">(\d+)</td>', re.search(rf'<tr data-run="{again}">.*?</tr>', history).group(0))
    assert cells[1:4] == ["0", str(len(site["fingerprints"]) - 1), "0"]  # baru, berulang, selesai
    recap = evaluator.get("/rekap").text
    assert "Biro Pemerintahan dan Otonomi Daerah" in recap and "Biro Contoh Layanan Data" in recap
    assert f"(run {again})" in recap  # each OPD's latest run
    xlsx = evaluator.get("/rekap.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:4] == b"PK\x03\x04"


def test_overdue_follow_ups_are_listed_in_the_accounts_scope(site):
    otda, bersih, fp = site["otda"], site["bersih"], site["fp"]
    assert 'id="terlambat-kosong"' in otda.get("/terlambat").text  # recorded today: nothing is late yet
    late = otda.get("/terlambat?tanggal=2099-01-01").text
    assert f'data-sidik-jari="{fp}"' in late and "Biro Contoh Layanan Data" not in late
    assert f'data-sidik-jari="{fp}"' not in bersih.get("/terlambat?tanggal=2099-01-01").text
    evaluator = login(site["app"], "inspektorat-demo")
    assert f'data-sidik-jari="{fp}"' in evaluator.get("/terlambat?tanggal=2099-01-01").text
    r = evaluator.get("/terlambat?tanggal=besok")
    assert r.status_code == 400 and "bukan tanggal" in r.text


def test_run_page_names_the_rules_the_engine_could_not_evaluate(site):
    """A run in which durable-rules failed on some rules (recorded like any run, e.g. by `sakip check --simpan`)
    says on its page which rules were not evaluated; a run without such a failure says nothing of it."""
    from sakip_checker.api import check
    from sakip_checker.evaluate import EngineFailure
    from web_support import EXAMPLES

    assert 'id="kegagalan-mesin"' not in site["otda"].get(f"/pemeriksaan/{site['run_a']}").text
    report = check(EXAMPLES / "biro-pemerintahan-otda-2023.yaml")
    failed = report.model_copy(update={"engine_failures": [
        EngineFailure(rule_ids=["UKR-009", "UKR-010"], message="durable-rules gagal pada ruleset uji: 311")]})
    run = site["app"].state.store.record_run(failed, "a" * 64, oleh="uji").run
    page = site["otda"].get(f"/pemeriksaan/{run}")
    assert page.status_code == 200
    section = re.search(r'<section[^>]*id="kegagalan-mesin".*?</section>', page.text, re.S)
    assert section, page.text[:1500]
    assert "UKR-009, UKR-010" in section.group(0) and "tidak dinilai" in section.group(0)
    assert "311" in section.group(0)
    assert site["bersih"].get(f"/pemeriksaan/{run}").status_code == 404  # still the OPD's own run only
