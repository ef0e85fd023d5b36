"""Helpers of the web tests: the app on a store with the demo accounts, and a signed-in client."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
PASSWORD = "sandi-uji-12345"
OTDA = "opd-biro-pemerintahan-otda-2023"  # Biro Pemerintahan dan Otonomi Daerah
BERSIH = "opd-biro-contoh-bersih-2023"  # Biro Contoh Layanan Data
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


_TEMPLATE: list[Path] = []


def make_app(db: str, **options):
    """The app with the demo accounts (password ``PASSWORD``). A new SQLite file starts as a copy of a store
    migrated and filled with the demo accounts once per test process (argon2 hashing is slow on purpose)."""
    import shutil
    import tempfile

    from sakip_checker.web.app import create_app

    if "://" in db or Path(db).exists():
        return create_app(db, demo=True, demo_password=PASSWORD, **options)
    if not _TEMPLATE:
        template = Path(tempfile.mkdtemp(prefix="sakip-web-test-")) / "template.db"
        create_app(str(template), demo=True, demo_password=PASSWORD).state.store.close()
        _TEMPLATE.append(template)
    shutil.copyfile(_TEMPLATE[0], db)
    return create_app(db, **options)


def client(app, **options):
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Using `httpx`")  # starlette suggests httpx2; httpx works the same
        from starlette.testclient import TestClient

        return TestClient(app, follow_redirects=False, raise_server_exceptions=False, **options)


def csrf(c, path: str = "/") -> str:
    page = c.get(path if path != "/" else "/masuk" if not c.cookies.get("sakip_sesi") else "/")
    found = _CSRF.search(page.text)
    assert found, page.text[:500]
    return found.group(1)


def login(app, username: str, password: str = PASSWORD, **options):
    c = client(app, **options)
    token = csrf(c, "/masuk")
    r = c.post("/masuk", data={"username": username, "password": password, "csrf_token": token})
    assert r.status_code == 303, r.text[:800]
    c.token = csrf(c)
    return c


def upload(c, name: str, content: bytes):
    return c.post("/unggah", data={"csrf_token": c.token}, files={"berkas": (name, content)})


def upload_example(c, stem: str, suffix: str = ".yaml") -> int:
    r = upload(c, stem + suffix, (EXAMPLES / f"{stem}{suffix}").read_bytes())
    assert r.status_code == 303, r.text[-1500:]
    return int(r.headers["location"].rsplit("/", 1)[1])


def error_lines(html: str) -> str:
    block = re.search(r'<ul id="pesan-galat"[^>]*>(.*?)</ul>', html, re.S)
    assert block, html[:1500]
    import html as h

    return h.unescape(re.sub(r"<[^>]+>", "", block.group(1))).strip()
