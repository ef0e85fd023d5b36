"""CI: `sakip web` from the installed wheel (outside the checkout) starts, serves its pages, templates and
static files, and lets a demo account sign in and upload. Standard library only (the wheel's venv has no test
extra). Usage: python web_smoke.py SAKIP_EXECUTABLE EXAMPLE.yaml"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid

sakip, example = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
url = f"http://127.0.0.1:{port}"
work = tempfile.mkdtemp(prefix="sakip-web-smoke-")
env = dict(os.environ, SAKIP_DEMO_SANDI="sandi-smoke-ci-2023")
log = open(os.path.join(work, "web.log"), "wb")
proc = subprocess.Popen([sakip, "web", "--db", os.path.join(work, "web.db"), "--port", str(port), "--demo"],
                        cwd=work, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def get(path):
    with opener.open(url + path, timeout=120) as r:
        return r.status, r.geturl(), r.read().decode("utf-8", "replace")


def post(path, fields, files=None):
    boundary = uuid.uuid4().hex
    body = b""
    for k, v in fields.items():
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
    for k, (name, data) in (files or {}).items():
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{name}"\r\n'
                 "Content-Type: application/octet-stream\r\n\r\n").encode() + data + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    req = urllib.request.Request(url + path, data=body,
                                 headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    with opener.open(req, timeout=300) as r:
        return r.status, r.geturl(), r.read().decode("utf-8", "replace")


def csrf(html):
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


try:
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, "sakip web exited"
        try:
            status, _, page = get("/masuk")
            break
        except OSError:
            assert time.monotonic() < deadline, "sakip web did not answer within 60 s"
            time.sleep(0.3)
    assert status == 200 and 'id="form-masuk"' in page, page[:500]
    assert get("/static/gaya.css")[0] == 200
    _, where, page = post("/masuk", {"csrf_token": csrf(page), "username": "inspektorat-demo",
                                     "password": env["SAKIP_DEMO_SANDI"]})
    assert where.rstrip("/") == url and 'id="judul-beranda"' in page, page[:500]
    _, _, page = get("/unggah")
    with open(example, "rb") as f:
        _, where, page = post("/unggah", {"csrf_token": csrf(page)}, {"berkas": (os.path.basename(example), f.read())})
    assert re.search(r"/pemeriksaan/\d+$", where) and 'id="daftar-temuan"' in page, where + page[:800]
    assert get(urllib.parse.urlparse(where).path + "/laporan")[0] == 200
    print("web: sakip web from the wheel served sign-in, upload and report")
except BaseException:
    log.flush()
    sys.stderr.write(open(os.path.join(work, "web.log"), encoding="utf-8", errors="replace").read())
    raise
finally:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
