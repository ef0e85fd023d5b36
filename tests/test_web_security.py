"""Accounts and sessions of the web page: CSRF refused, login throttled, cookies, argon2 hashes, the admin
command and pages, error pages without a traceback."""

from __future__ import annotations

import datetime as dt

import subprocess
import sys

import pytest

from web_support import OTDA, PASSWORD, client, csrf, error_lines, login, make_app


@pytest.fixture
def app(tmp_path):
    app = make_app(str(tmp_path / "web.db"))
    yield app
    app.state.store.close()


def test_forms_without_a_valid_csrf_token_are_refused(app):
    c = client(app)
    token = csrf(c, "/masuk")
    for data in ({"username": OTDA, "password": PASSWORD},
                 {"username": OTDA, "password": PASSWORD, "csrf_token": "palsu"}):
        r = c.post("/masuk", data=data)
        assert r.status_code == 403 and "token keamanan" in error_lines(r.text)
        assert "sakip_sesi" not in r.headers.get("set-cookie", "")
    other = client(app)  # a token from another browser's cookie is not this one's
    r = other.post("/masuk", data={"username": OTDA, "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 403
    signed_in = login(app, OTDA)
    for path, data in (("/keluar", {}), ("/unggah", {}), ("/keluar", {"csrf_token": token})):
        r = signed_in.post(path, data=data)
        assert r.status_code == 403, path
        assert 'data-status="403"' in r.text and "Traceback" not in r.text
    assert signed_in.get("/").status_code == 200  # still signed in: the forged logout did nothing
    assert signed_in.post("/keluar", data={"csrf_token": signed_in.token}).status_code == 303
    assert signed_in.get("/").status_code == 303  # signed out


def test_login_is_throttled_per_account_and_address(app):
    from sakip_checker.web import accounts

    c = client(app)
    token = csrf(c, "/masuk")
    for _ in range(accounts.THROTTLE_FAILURES):
        r = c.post("/masuk", data={"username": OTDA, "password": "salah-sekali-1", "csrf_token": token})
        assert r.status_code == 400 and "salah" in r.text
    r = c.post("/masuk", data={"username": OTDA, "password": PASSWORD, "csrf_token": token})  # right, but too late
    assert r.status_code == 429 and "Tunggu 15 menit" in r.text and "sakip_sesi" not in r.headers.get("set-cookie", "")
    # another address is not held back by these failures, and nor is another account from this address
    login(app, OTDA, client=("10.0.0.9", 1234))
    login(app, "inspektorat-demo")
    # after the window the account signs in again
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=accounts.THROTTLE_MINUTES + 1)
    user = accounts.authenticate(app.state.store, OTDA, PASSWORD, "testclient", now=later)
    assert user is not None and user.username == OTDA
    # an unknown account is throttled the same way (nothing tells whether it exists)
    for _ in range(accounts.THROTTLE_FAILURES):
        assert accounts.authenticate(app.state.store, "tidak-ada", "x", "1.1.1.1") is None
    with pytest.raises(accounts.Throttled):
        accounts.authenticate(app.state.store, "tidak-ada", "x", "1.1.1.1")


def test_session_cookie_is_httponly_samesite_and_secure_over_https(app):
    c = client(app)
    r = c.post("/masuk", data={"username": OTDA, "password": PASSWORD, "csrf_token": csrf(c, "/masuk")})
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("sakip_sesi=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain http (loopback)
    s = client(app, base_url="https://sakip.bantenprov.example")
    token = csrf(s, "/masuk")
    r = s.post("/masuk", data={"username": OTDA, "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 303 and "Secure" in r.headers["set-cookie"]
    headers = c.get("/masuk").headers
    assert headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in headers["content-security-policy"]
    # the store keeps an argon2 hash and the session token's hash only
    from sqlalchemy import select

    from sakip_checker.store.models import AccountRow, SessionRow

    store = app.state.store
    hashes = store.transaction(lambda s: list(s.scalars(select(AccountRow.password_hash))))
    assert hashes and all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)
    token = r.headers["set-cookie"].split(";")[0].split("=", 1)[1]
    stored = store.transaction(lambda s: list(s.scalars(select(SessionRow.token_hash))))
    assert token not in stored and len(stored) == 2
    # a forged or expired session cookie is no session
    forged = client(app, cookies={"sakip_sesi": "a" * 43})
    assert forged.get("/").status_code == 303


def run_cli(args, stdin: str = "") -> tuple[int, str, str]:
    proc = subprocess.run([sys.executable, "-c", "import sys; from sakip_checker.cli import main; sys.exit(main())",
                           *args], input=stdin, capture_output=True, text=True, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def test_sakip_akun_buat_admin_reads_the_password_from_stdin_never_an_argument(tmp_path):
    db = str(tmp_path / "akun.db")
    code, out, err = run_cli(["akun", "buat-admin", "kepala", "--db", db], "rahasia-kepala-1\n")
    assert code == 0 and "akun administrator 'kepala' dibuat" in out, err
    code, _, err = run_cli(["akun", "buat-admin", "kepala", "--db", db], "rahasia-kepala-2\n")
    assert code == 2 and "sudah dipakai" in err and "Traceback" not in err
    code, _, err = run_cli(["akun", "buat-admin", "wakil", "--db", db], "pendek\n")
    assert code == 2 and "paling sedikit 10 karakter" in err
    code, _, err = run_cli(["akun", "buat-admin", "wakil", "--db", db, "--password", "rahasia-kepala-1"])
    assert code == 2 and "argumen tidak dikenal" in err
    from sakip_checker.web.app import create_app

    app = create_app(db)
    try:
        c = login(app, "kepala", "rahasia-kepala-1")
        assert c.get("/admin/akun").status_code == 200
    finally:
        app.state.store.close()


def test_admin_manages_accounts(app):
    admin = login(app, "admin-demo")
    r = admin.post("/admin/akun", data={"csrf_token": admin.token, "username": "perencana", "nama": "Perencana",
                                        "role": "opd", "opd": "", "password": "sandi-baru-123"})
    assert r.status_code == 400 and "wajib terikat pada satu OPD" in r.text
    r = admin.post("/admin/akun", data={"csrf_token": admin.token, "username": "perencana", "nama": "Perencana",
                                        "role": "opd", "opd": "Biro Contoh Layanan Data", "password": "sandi-baru-123"})
    assert r.status_code == 303
    assert 'data-akun="perencana"' in admin.get("/admin/akun").text
    planner = login(app, "perencana", "sandi-baru-123")
    assert planner.get("/unggah").status_code == 200
    from sakip_checker.web import accounts

    ids = {a.username: a.id for a in accounts.accounts(app.state.store)}
    r = admin.post(f"/admin/akun/{ids['perencana']}",
                   data={"csrf_token": admin.token, "role": "opd", "opd": "Biro Contoh Layanan Data", "active": "tidak"})
    assert r.status_code == 303
    assert planner.get("/").status_code == 303  # deactivated: its session ends at once
    c = client(app)
    r = c.post("/masuk", data={"username": "perencana", "password": "sandi-baru-123", "csrf_token": csrf(c, "/masuk")})
    assert r.status_code == 400
    r = admin.post(f"/admin/akun/{ids['admin-demo']}", data={"csrf_token": admin.token, "role": "bappeda",
                                                             "opd": "", "active": "ya"})
    assert r.status_code == 400 and "administrator aktif terakhir" in r.text
    r = admin.post(f"/admin/akun/{ids['inspektorat-demo']}/sandi", data={"csrf_token": admin.token,
                                                                         "password": "sandi-inspektorat-2"})
    assert r.status_code == 303
    login(app, "inspektorat-demo", "sandi-inspektorat-2")
    assert admin.post("/admin/akun/99999", data={"csrf_token": admin.token}).status_code == 404


def test_errors_are_indonesian_pages_without_a_traceback(app, monkeypatch):
    c = login(app, OTDA)
    r = c.get("/tidak/ada")
    assert r.status_code == 404 and "Halaman tidak ditemukan" in r.text
    r = c.put("/unggah")
    assert r.status_code == 405 and "Cara akses tidak diizinkan" in r.text
    from sakip_checker.web import app as web_app

    def broken(*args, **kwargs):
        raise RuntimeError("rahasia internal /etc/passwd")

    monkeypatch.setattr(web_app, "_runs", broken)
    r = c.get("/pemeriksaan")
    assert r.status_code == 500 and "Terjadi kesalahan pada server" in r.text
    assert "Traceback" not in r.text and "rahasia internal" not in r.text and "RuntimeError" not in r.text


def test_sakip_web_options_and_the_other_commands_do_not_load_the_web_framework(tmp_path):
    code, _, err = run_cli(["web", "--db", str(tmp_path / "x.db"), "--batas-waktu", "0"])
    assert code == 2 and "--batas-waktu 0: harus lebih dari 0 detik" in err
    code, _, err = run_cli(["web", "--db", str(tmp_path / "x.db"), "--batas", "berkas=5"])
    assert code == 2 and "nama batas tidak dikenal" in err
    code, _, err = run_cli(["web", "--db", str(tmp_path / "x.db"), "--batas-memori", "64"])
    assert code == 2 and "paling sedikit 128 MB" in err
    code, _, err = run_cli(["web", "--port", "70000"])
    assert code == 2 and "harus 1-65535" in err
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, _, err = run_cli(["web", "--db", str(tmp_path / "x.db"), "--port", str(port)])
    assert code == 2 and f"--port {port}: tidak dapat dipakai" in err and "Traceback" not in err
    assert not (tmp_path / "x.db").exists()  # nothing was started
    probe = ("import sys; from sakip_checker.cli import main; main(['rules']); "
             "sys.exit(1 if {'starlette', 'uvicorn', 'argon2'} & set(sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, timeout=120).returncode == 0



def test_everyone_changes_their_own_password(app):
    planner = login(app, OTDA)
    elsewhere = login(app, OTDA)
    form = {"csrf_token": planner.token, "sandi_lama": "salah-sekali-1", "sandi_baru": "sandi-baru-123",
            "sandi_ulang": "sandi-baru-123"}
    r = planner.post("/akun/sandi", data=form)
    assert r.status_code == 400 and "Kata sandi lama salah" in r.text
    r = planner.post("/akun/sandi", data={**form, "sandi_lama": PASSWORD, "sandi_ulang": "sandi-lain-123"})
    assert r.status_code == 400 and "tidak sama" in r.text
    r = planner.post("/akun/sandi", data={**form, "sandi_lama": PASSWORD, "sandi_baru": "pendek", "sandi_ulang": "pendek"})
    assert r.status_code == 400 and "paling sedikit 10 karakter" in r.text
    r = planner.post("/akun/sandi", data={**form, "sandi_lama": PASSWORD})
    assert r.status_code == 303
    assert "Kata sandi sudah diganti" in planner.get(r.headers["location"]).text  # this browser stays signed in
    assert elsewhere.get("/").status_code == 303  # the other session ended
    login(app, OTDA, "sandi-baru-123")
