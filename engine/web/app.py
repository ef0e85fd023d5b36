"""The web page (`sakip web`): a Starlette app over the history store.

Pages in Indonesian for OPD planners (upload, report, history, follow-up proposals), the Inspektorat (every
OPD, follow-up statuses, waivers, the province recap), Bappeda (every OPD, read only, the recap) and the
administrator (accounts). Every object is looked up through the signed-in account's scope: another OPD's run
is "not found" (404), never "forbidden", so its existence does not leak. Every form carries a CSRF token;
sessions are server-side (the cookie holds a random token; HttpOnly, SameSite=Lax, Secure over https)."""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from sakip_checker.web import accounts as acc
from sakip_checker.web.accounts import ROLE_LABELS, ROLES, User
from sakip_checker.web.jobs import Runner, UploadProblem

HERE = Path(__file__).parent
SESSION_COOKIE = "sakip_sesi"
CSRF_COOKIE = "sakip_csrf"  # the sign-in form's token (no session yet): double-submit cookie
FORMAT_FILES = {  # format -> (file suffix, media type)
    "html": ("html", "text/html; charset=utf-8"),
    "checklist-html": ("tindak-lanjut.html", "text/html; charset=utf-8"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "lke": ("lke.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": ("json", "application/json; charset=utf-8"),
    "csv": ("csv", "text/csv; charset=utf-8"),
    "markdown": ("md", "text/markdown; charset=utf-8"),
    "checklist": ("tindak-lanjut.md", "text/markdown; charset=utf-8"),
}
FORMAT_LABELS = {"html": "Laporan (HTML)", "checklist-html": "Daftar tindak lanjut (HTML)",
                 "xlsx": "Temuan dan tindak lanjut (Excel)", "lke": "Kertas kerja LKE (Excel)",
                 "json": "JSON", "csv": "CSV (Excel, pemisah titik koma)", "markdown": "Markdown",
                 "checklist": "Daftar tindak lanjut (Markdown)"}
ERROR_TITLES = {400: "Permintaan tidak dapat diproses", 403: "Akses ditolak", 404: "Halaman tidak ditemukan",
                405: "Cara akses tidak diizinkan", 413: "Berkas terlalu besar", 429: "Terlalu banyak percobaan",
                500: "Terjadi kesalahan pada server", 503: "Server sedang sibuk", 504: "Pemeriksaan terlalu lama"}
ERROR_TEXTS = {
    403: "Halaman atau tindakan ini tidak tersedia untuk peran akun Anda.",
    404: "Halaman atau data yang Anda cari tidak ada, atau tidak termasuk wilayah akses akun Anda.",
    405: "Halaman ini tidak dapat dibuka dengan cara tersebut.",
    500: "Permintaan Anda tidak dapat diselesaikan. Kesalahan ini sudah tercatat di server; coba lagi atau hubungi "
         "admin.",
}
CSP = ("default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
SECURITY_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"same-origin"), (b"content-security-policy", CSP.encode()),
                    (b"cache-control", b"no-store")]
UPLOAD_OVERHEAD = 64 * 1024  # the multipart envelope around the file
UPLOAD_QUEUE = 64  # uploads being checked or waiting for a worker; more are asked to come back later (503)


# -- pages ---------------------------------------------------------------------------------------------


def _env():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    from sakip_checker.reports.labels import labels

    L = labels("id")
    env.globals.update(ROLE_LABELS=ROLE_LABELS, SEVERITY=L["severity"], FORMAT_LABELS=FORMAT_LABELS,
                       STATUSES=("belum", "proses", "selesai"))
    env.filters["waktu"] = lambda v: "-" if v is None else _utc(v).strftime("%d-%m-%Y %H:%M UTC")
    env.filters["tgl"] = lambda v: "-" if v is None else v.strftime("%d-%m-%Y")
    return env


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)


def _page(request: Request, name: str, code: int = 200, **context) -> HTMLResponse:
    user = getattr(request.state, "user", None)
    html = request.app.state.env.get_template(name).render(user=user, csrf=_csrf_value(request), **context)
    return HTMLResponse(html, status_code=code)


def _csrf_value(request: Request) -> str:
    user = getattr(request.state, "user", None)
    if user is not None:
        return user.csrf
    return getattr(request.state, "new_csrf", None) or request.cookies.get(CSRF_COOKIE) or ""


def _error(request: Request, status: int, lines: list[str] | None = None, title: str | None = None) -> HTMLResponse:
    return _page(request, "galat.html.j2", status, status=status, title=title or ERROR_TITLES.get(status, "Kesalahan"),
                 lines=lines or [ERROR_TEXTS.get(status, "Permintaan tidak dapat diproses.")])


async def _http_error(request: Request, exc: HTTPException) -> Response:
    lines = [exc.detail] if exc.detail and exc.detail != _default_detail(exc.status_code) else None
    if exc.status_code == 401:
        return RedirectResponse("/masuk", status_code=303)
    return _error(request, exc.status_code, lines)


def _default_detail(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


async def _server_error(request: Request, exc: Exception) -> Response:
    import logging

    logging.getLogger("sakip.web").exception("kesalahan internal pada %s %s", request.method, request.url.path)
    return _error(request, 500)


# -- who is asking ---------------------------------------------------------------------------------------


def _user(request: Request, *roles: str) -> User:
    """The signed-in account (else a redirect to the sign-in page), refused (403) unless its role is listed."""
    user = getattr(request.state, "user", None)
    if user is None:
        raise HTTPException(401)
    if roles and user.role not in roles:
        raise HTTPException(403)
    return user


async def _form(request: Request, *, max_files: int = 0) -> Any:
    """The posted form, after its CSRF token was checked (403 without it)."""
    try:
        form = await request.form(max_files=max_files, max_fields=50, max_part_size=1024 * 1024)
    except HTTPException as exc:
        if exc.status_code != 400:  # 413 from the body limit stays
            raise
        raise HTTPException(400, "Isi formulir tidak dapat dibaca (lebih dari satu berkas, terlalu banyak kolom, atau "
                                 "kolom terlalu panjang). Muat ulang halaman lalu kirim lagi.") from None
    token = form.get("csrf_token")
    expected = _csrf_value(request) if getattr(request.state, "user", None) else request.cookies.get(CSRF_COOKIE)
    if not isinstance(token, str) or not acc.same_token(token, expected):
        raise HTTPException(403, "Formulir ini tidak memuat token keamanan yang sah (token CSRF). Muat ulang halaman "
                                 "lalu kirim lagi; bila Anda tidak mengirim formulir ini, abaikan saja.")
    return form


def _sync(handler, *, signed_in: bool = True):
    """An endpoint running ``handler`` (which reads the store, hashes passwords, renders) in a worker thread, so
    that the event loop never waits for it. A POST's form is read and its CSRF token checked first
    (``request.state.form``); without a session, a page that needs one sends to the sign-in page."""

    async def endpoint(request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool

        if signed_in and getattr(request.state, "user", None) is None:
            raise HTTPException(401)
        request.state.form = await _form(request) if request.method == "POST" else None
        return await run_in_threadpool(handler, request)

    endpoint.__name__ = handler.__name__
    return endpoint


def _field(form, name: str, limit: int = 2000) -> str:
    value = form.get(name)
    return " ".join(value.split())[:limit] if isinstance(value, str) else ""


def _date(value: str, label: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise HTTPException(400, f"{label}: {value!r} bukan tanggal (bentuk TTTT-BB-HH, mis. 2024-02-20)") from None


# -- sign in and out -------------------------------------------------------------------------------------


def masuk(request: Request) -> Response:
    if request.method == "GET":
        if getattr(request.state, "user", None):
            return RedirectResponse("/", status_code=303)
        return _page(request, "masuk.html.j2", message=None, username="")
    form = request.state.form
    username, password = _field(form, "username", 100), form.get("password")
    password = password if isinstance(password, str) else ""
    store = request.app.state.store
    ip = request.client.host if request.client else "-"
    try:
        user = acc.authenticate(store, username, password, ip)
    except acc.Throttled as exc:
        return _page(request, "masuk.html.j2", 429, username=username,
                     message=f"Terlalu banyak percobaan masuk yang gagal untuk akun ini. Tunggu {exc.minutes} menit "
                             "lalu coba lagi.")
    if user is None:
        return _page(request, "masuk.html.j2", 400, username=username,
                     message="Nama pengguna atau kata sandi salah, atau akun tidak aktif.")
    token = acc.open_session(store, user)
    response = RedirectResponse("/", status_code=303)
    _set_cookie(request, response, SESSION_COOKIE, token, max_age=acc.SESSION_HOURS * 3600)
    return response


def keluar(request: Request) -> Response:
    _user(request)
    acc.close_session(request.app.state.store, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/masuk", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _set_cookie(request: Request, response: Response, name: str, value: str, max_age: int | None = None) -> None:
    secure = request.app.state.secure_cookies or request.url.scheme == "https"
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite="lax", secure=secure)


# -- home, template, upload ------------------------------------------------------------------------------


def beranda(request: Request) -> Response:
    user = getattr(request.state, "user", None)
    if user is None:
        return RedirectResponse("/masuk", status_code=303)
    return _page(request, "beranda.html.j2", changed=request.query_params.get("sandi") == "diganti")


def templat(request: Request) -> Response:
    _user(request)
    state = request.app.state
    if state.template_bytes is None:
        import tempfile

        from sakip_checker.excel import write_workbook

        with tempfile.TemporaryDirectory(prefix="sakip-web-") as tmp:
            path = Path(tmp) / "isian.xlsx"
            write_workbook(path, None)
            state.template_bytes = path.read_bytes()
    return Response(state.template_bytes, media_type=FORMAT_FILES["xlsx"][1],
                    headers={"Content-Disposition": 'attachment; filename="isian-sakip.xlsx"'})


async def unggah(request: Request) -> Response:
    user = _user(request, "opd", "inspektorat")
    from sakip_checker.inputs import LIMITS

    if request.method == "GET":
        return _page(request, "unggah.html.j2", batas_mb=LIMITS.berkas_mb)
    form = await _form(request, max_files=1)
    upload = form.get("berkas")
    if upload is None or isinstance(upload, str) or not getattr(upload, "filename", None):
        raise HTTPException(400, "Pilih berkas pengajuan yang akan diperiksa (buku kerja .xlsx, YAML atau JSON).")
    content = await upload.read(LIMITS.bytes + 1)
    if len(content) > LIMITS.bytes:
        raise HTTPException(413, f"Berkas melebihi batas {LIMITS.berkas_mb} MB.")
    import anyio

    runner: Runner = request.app.state.runner
    state = request.app.state
    if state.upload_limiter is None:  # uploads wait in their own threads, never in those of the other pages
        state.upload_limiter = anyio.CapacityLimiter(state.upload_queue)
    if state.upload_limiter.borrowed_tokens >= state.upload_limiter.total_tokens:
        raise HTTPException(503, f"Server sedang memeriksa {state.upload_queue} berkas lain. Coba lagi beberapa "
                                 "menit lagi.")
    try:
        result = await anyio.to_thread.run_sync(
            lambda: runner.run(content, upload.filename, opd=user.opd if user.role == "opd" else None,
                               oleh=user.nama, account=user.id), limiter=state.upload_limiter)
    except UploadProblem as exc:
        return _error(request, exc.status, exc.lines, exc.title)
    if result.run is not None:
        return RedirectResponse(f"/pemeriksaan/{result.run}", status_code=303)
    status, title = {"input": (400, "Berkas pengajuan tidak dapat diperiksa"),
                     "opd": (403, "Berkas ini milik OPD lain"),
                     "engine": (500, "Mesin aturan gagal"),
                     "timeout": (504, "Pemeriksaan terlalu lama"),
                     "memory": (500, "Pemeriksaan memerlukan memori terlalu besar"),
                     "crash": (500, "Proses pemeriksa berhenti")}.get(result.status, (500, None))
    return _error(request, status, result.lines, title)


# -- runs ------------------------------------------------------------------------------------------------


def _scoped_opd(user: User) -> str | None:
    return user.opd if user.role == "opd" else None


def _runs(store, user: User) -> list[dict]:
    from sqlalchemy import func, select

    from sakip_checker.store.models import FindingRow, ReportFileRow

    runs = store.runs(_scoped_opd(user))

    def work(session):
        counts: dict[int, dict[str, int]] = {}
        for run_id, history, n in session.execute(select(FindingRow.run_id, FindingRow.history, func.count())
                                                  .where(FindingRow.waived.is_(False))
                                                  .group_by(FindingRow.run_id, FindingRow.history)):
            counts.setdefault(run_id, {})[history] = n
        with_files = set(session.scalars(select(ReportFileRow.run_id).distinct()))
        ids = [r["run"] for r in runs] + [r["previous"] for r in runs if r["previous"]]
        found: dict[int, set[str]] = {}  # every fingerprint of a run, waived ones too
        still_open: dict[int, set[str]] = {}  # those not waived
        for start in range(0, len(ids), 500):
            for run_id, fingerprint, waived in session.execute(select(
                    FindingRow.run_id, FindingRow.fingerprint, FindingRow.waived).where(
                    FindingRow.run_id.in_(ids[start:start + 500]))):
                found.setdefault(run_id, set()).add(fingerprint)
                if not waived:
                    still_open.setdefault(run_id, set()).add(fingerprint)
        return counts, with_files, found, still_open

    counts, with_files, found, still_open = store.transaction(work)
    for r in runs:
        r["baru"] = counts.get(r["run"], {}).get("baru", 0)
        r["berulang"] = counts.get(r["run"], {}).get("berulang", 0)
        # as the store's Riwayat: the previous run's open findings that are gone (a waived one is not resolved)
        r["selesai"] = len(still_open.get(r["previous"], set()) - found.get(r["run"], set())) if r["previous"] else 0
        r["laporan"] = r["run"] in with_files
    return sorted(runs, key=lambda r: -r["run"])


def _run_in_scope(store, user: User, run_id: int) -> dict:
    """The run if the account may see it; 404 otherwise (also for another OPD's run)."""
    from sqlalchemy import select

    from sakip_checker.store.models import RunRow, SubmissionRow

    def work(session):
        found = session.execute(select(RunRow, SubmissionRow).join(SubmissionRow).where(RunRow.id == run_id)).first()
        if found is None:
            return None
        run, sub = found
        return {"run": run.id, "opd": sub.opd, "tahun": sub.tahun, "recorded_at": run.recorded_at, "oleh": run.oleh,
                "file": run.file, "previous": run.previous_run_id, "pack": f"{sub.pack} {sub.pack_version}",
                "summary": json.loads(run.summary)}

    run = store.transaction(work)
    if run is None or (user.role == "opd" and run["opd"] != user.opd):
        raise HTTPException(404)
    return run


def riwayat(request: Request) -> Response:
    user = _user(request, "opd", "inspektorat", "bappeda")
    runs = _runs(request.app.state.store, user)
    opds = sorted({r["opd"] for r in runs})
    chosen = request.query_params.get("opd", "")[:300] if user.sees_all else ""
    if chosen:
        runs = [r for r in runs if r["opd"] == chosen]
    return _page(request, "riwayat.html.j2", runs=runs, opds=opds, chosen=chosen)


def _run_detail(store, run: dict) -> dict:
    from sqlalchemy import select

    from sakip_checker.store.models import FindingRow, FollowUpRow, ProposalRow, ReportFileRow

    def work(session):
        findings = list(session.scalars(select(FindingRow).where(FindingRow.run_id == run["run"]).order_by(FindingRow.id)))
        previous = []
        if run["previous"] is not None:
            now = {f.fingerprint for f in findings}
            previous = [f for f in session.scalars(select(FindingRow).where(FindingRow.run_id == run["previous"],
                                                                            FindingRow.waived.is_(False))
                                                   .order_by(FindingRow.id)) if f.fingerprint not in now]
        status: dict[str, FollowUpRow] = {}
        for row in session.scalars(select(FollowUpRow).where(FollowUpRow.opd == run["opd"]).order_by(FollowUpRow.id)):
            status[row.fingerprint] = row
        pending: dict[str, ProposalRow] = {}
        rejected: dict[str, ProposalRow] = {}
        for row in session.scalars(select(ProposalRow).where(ProposalRow.opd == run["opd"]).order_by(ProposalRow.id)):
            if row.keputusan is None:
                pending[row.fingerprint] = row
            else:  # the latest decision; shown while it was a rejection and nothing newer is pending
                rejected.pop(row.fingerprint, None)
                if row.keputusan == "ditolak":
                    rejected[row.fingerprint] = row
        formats = set(session.scalars(select(ReportFileRow.format).where(ReportFileRow.run_id == run["run"])))
        return findings, previous, status, pending, rejected, formats

    findings, previous, status, pending, rejected, formats = store.transaction(work)
    return {"findings": [f for f in findings if not f.waived], "waived": [f for f in findings if f.waived],
            "selesai": previous, "status": status, "pending": pending,
            "rejected": {fp: row for fp, row in rejected.items() if fp not in pending},
            "formats": [f for f in FORMAT_FILES if f in formats]}


def pemeriksaan(request: Request) -> Response:
    user = _user(request, "opd", "inspektorat", "bappeda")
    store = request.app.state.store
    run = _run_in_scope(store, user, request.path_params["run"])
    return _page(request, "pemeriksaan.html.j2", run=run, **_run_detail(store, run))


def _report_file(store, run_id: int, fmt: str) -> bytes:
    from sqlalchemy import select

    from sakip_checker.store.models import ReportFileRow

    content = store.transaction(lambda s: s.scalar(select(ReportFileRow.content).where(
        ReportFileRow.run_id == run_id, ReportFileRow.format == fmt)))
    if content is None:
        raise HTTPException(404, "Laporan pemeriksaan ini tidak tersimpan di server: pemeriksaan dicatat dari baris "
                                 "perintah, atau terhenti sebelum laporannya selesai dibuat. Unggah berkasnya lagi, "
                                 "atau jalankan `sakip check` pada berkas itu.")
    return content


def _with_bar(request: Request, html: str, links: list[tuple[str, str, str]]) -> HTMLResponse:
    """A report page (a self-contained document of reports/) shown with the site's bar on top: the way back
    and "Keluar" (hidden in print). The downloads stay the reports' own bytes."""
    bar = request.app.state.env.get_template("_bilah.html.j2").render(csrf=_csrf_value(request), links=links)
    head, sep, rest = html.partition("<body")
    if not sep:
        return HTMLResponse(html)
    tag, close, body = rest.partition(">")
    return HTMLResponse(head + sep + tag + close + bar + body)


def laporan(request: Request) -> Response:
    user = _user(request, "opd", "inspektorat", "bappeda")
    store = request.app.state.store
    run = _run_in_scope(store, user, request.path_params["run"])
    fmt = "checklist-html" if request.url.path.endswith("/tindak-lanjut") else "html"
    html = _report_file(store, run["run"], fmt).decode("utf-8")
    return _with_bar(request, html, [(f"/pemeriksaan/{run['run']}", f"Kembali ke pemeriksaan #{run['run']}",
                                      "bilah-pemeriksaan"),
                                     (f"/pemeriksaan/{run['run']}/unduh/{fmt}", "Unduh halaman ini", "bilah-unduh")])


def unduh(request: Request) -> Response:
    user = _user(request, "opd", "inspektorat", "bappeda")
    store = request.app.state.store
    run = _run_in_scope(store, user, request.path_params["run"])
    fmt = request.path_params["format"]
    if fmt not in FORMAT_FILES:
        raise HTTPException(404)
    suffix, media = FORMAT_FILES[fmt]
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(run["file"] or "laporan").stem).strip("._") or "laporan"
    return Response(_report_file(store, run["run"], fmt), media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{stem}-run{run["run"]}.{suffix}"'})


def terlambat(request: Request) -> Response:
    """Findings of each OPD's latest run whose follow-up is past the pack's deadline (`sakip tindak-lanjut
    terlambat`), for the OPD's own or for every OPD."""
    user = _user(request, "opd", "inspektorat", "bappeda")
    raw = request.query_params.get("tanggal", "")[:20]
    try:
        today = dt.date.fromisoformat(raw) if raw else dt.date.today()
    except ValueError:
        raise HTTPException(400, f"Tanggal acuan {raw!r} bukan tanggal (bentuk TTTT-BB-HH, mis. 2024-12-31).") from None
    items = request.app.state.store.overdue(today, _scoped_opd(user))
    return _page(request, "terlambat.html.j2", items=items, today=today)


# -- follow-up: the OPD proposes, the Inspektorat confirms ----------------------------------------------


def _finding_in_run(store, run: dict, fingerprint: str):
    from sqlalchemy import select

    from sakip_checker.store.models import FindingRow

    row = store.transaction(lambda s: s.scalars(select(FindingRow).where(
        FindingRow.run_id == run["run"], FindingRow.fingerprint == fingerprint)).first())
    if row is None:
        raise HTTPException(404)
    return row


def _follow_up_entry(form, fingerprint: str) -> dict:
    from sakip_checker.store.vocabulary import STATUSES

    status = _field(form, "status", 20)
    if status not in STATUSES:
        raise HTTPException(400, f"Status {status!r} tidak dikenal (pilih {', '.join(STATUSES)}).")
    tanggal = _date(_field(form, "tanggal", 20), "Tanggal")
    bukti = _field(form, "bukti") or None
    if status in ("proses", "selesai") and tanggal is None:
        raise HTTPException(400, f"Tanggal tindak lanjut wajib diisi untuk status {status}.")
    if status == "selesai" and not bukti:
        raise HTTPException(400, "Bukti perbaikan wajib diisi untuk status selesai (mis. nomor dan tanggal dokumen "
                                 "yang diperbaiki).")
    return {"fingerprint": fingerprint, "status": status, "tanggal": tanggal, "bukti": bukti}


def _follow_up_request(request: Request, role: str):
    """The account (of ``role``), the store, the run in its scope and the follow-up entry posted for one finding
    of that run (404 for a run or finding out of scope, 400 for a bad entry)."""
    user = _user(request, role)
    store = request.app.state.store
    run = _run_in_scope(store, user, request.path_params["run"])
    finding = _finding_in_run(store, run, request.path_params["fingerprint"])
    return user, store, run, _follow_up_entry(request.state.form, finding.fingerprint)


def usulan(request: Request) -> Response:
    """The OPD proposes a follow-up status for one finding of its run."""
    user, store, run, entry = _follow_up_request(request, "opd")
    from sakip_checker.store.models import ProposalRow

    def work(session):
        session.add(ProposalRow(opd=run["opd"], fingerprint=entry["fingerprint"], status=entry["status"],
                                tanggal=entry["tanggal"], bukti=entry["bukti"], oleh=user.nama,
                                diajukan=dt.datetime.now(dt.timezone.utc)))

    store.transaction(work)
    return RedirectResponse(f"/pemeriksaan/{run['run']}#temuan-{entry['fingerprint']}", status_code=303)


def tetapkan(request: Request) -> Response:
    """The Inspektorat records a follow-up status for one finding (directly, or by accepting a proposal)."""
    user, store, run, entry = _follow_up_request(request, "inspektorat")
    store.record_follow_ups(run["opd"], [entry], oleh=user.nama, sumber="halaman web")
    return RedirectResponse(f"/pemeriksaan/{run['run']}#temuan-{entry['fingerprint']}", status_code=303)


def putuskan(request: Request) -> Response:
    """The Inspektorat accepts (the status is recorded) or rejects an OPD's proposal."""
    user = _user(request, "inspektorat")
    store = request.app.state.store
    run = _run_in_scope(store, user, request.path_params["run"])
    form = request.state.form
    decision = _field(form, "keputusan", 20)
    if decision not in ("diterima", "ditolak"):
        raise HTTPException(400, "Keputusan harus diterima atau ditolak.")
    note = _field(form, "catatan") or None
    from sakip_checker.store.api import add_follow_ups
    from sakip_checker.store.models import ProposalRow

    def work(session):
        row = session.get(ProposalRow, request.path_params["proposal"])
        if row is None or row.opd != run["opd"] or row.keputusan is not None:
            return None
        row.keputusan, row.diputus_oleh, row.catatan = decision, user.nama, note
        if decision == "diterima":
            add_follow_ups(session, row.opd, [{"fingerprint": row.fingerprint, "status": row.status,
                                               "tanggal": row.tanggal, "bukti": row.bukti}],
                           oleh=user.nama, sumber=f"usulan OPD #{row.id} ({row.oleh})")
        return row.fingerprint

    fingerprint = store.transaction(work)
    if fingerprint is None:
        raise HTTPException(404)
    return RedirectResponse(f"/pemeriksaan/{run['run']}#temuan-{fingerprint}", status_code=303)


# -- waivers (Inspektorat) -------------------------------------------------------------------------------


def pengecualian(request: Request) -> Response:
    user = _user(request, "inspektorat")
    store = request.app.state.store
    if request.method == "POST":
        form = request.state.form
        from pydantic import ValidationError

        from sakip_checker.waivers import Waiver, _message

        try:
            w = Waiver(sidik_jari=_field(form, "sidik_jari", 40) or None, aturan=_field(form, "aturan", 40) or None,
                       lokasi=_field(form, "lokasi", 500) or None, opd=_field(form, "opd", 300) or None,
                       alasan=_field(form, "alasan"), oleh=user.nama, tanggal=dt.date.today(),
                       berlaku_sampai=_date(_field(form, "sampai", 20), "Berlaku sampai"))
        except ValidationError as exc:
            return _page(request, "pengecualian.html.j2", 400, waivers=store.waivers(),
                         problems=[_message(e) for e in exc.errors()], values=dict(form))
        store.add_waiver(opd=w.opd, fingerprint=w.sidik_jari, rule_id=w.aturan, path=w.lokasi, alasan=w.alasan,
                         oleh=w.oleh, tanggal=w.tanggal, berlaku_sampai=w.berlaku_sampai)
        return RedirectResponse("/pengecualian", status_code=303)
    values = {"sidik_jari": request.query_params.get("sidik_jari", "")[:40],
              "opd": request.query_params.get("opd", "")[:300]}
    return _page(request, "pengecualian.html.j2", waivers=store.waivers(), problems=[], values=values)


# -- the province recap (Inspektorat, Bappeda) ----------------------------------------------------------


def _decimal(value):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return value


def _recap_inputs(store):
    """The recap of engine.batch/reports.recap over each OPD's latest run uploaded here (its saved summary)."""
    from sqlalchemy import select

    from sakip_checker.store.models import RunRow, SubmissionRow, WebRunRow
    from sakip_checker.store.vocabulary import STATUSES

    def work(session):
        rows = session.execute(select(WebRunRow, RunRow, SubmissionRow).join(RunRow, RunRow.id == WebRunRow.run_id)
                               .join(SubmissionRow).order_by(SubmissionRow.opd, SubmissionRow.tahun.desc(),
                                                             RunRow.recorded_at.desc(), RunRow.id.desc()))
        latest = {}
        for web, run, sub in rows:
            latest.setdefault(sub.opd, (web, run))
        return [latest[opd] for opd in sorted(latest)]

    summaries = []
    for web, run in store.transaction(work):
        s = json.loads(web.summary)
        s["stem"] = f"{Path(s['stem']).name} (run {run.id})"  # unique per OPD even when two files share a name
        s["scores"] = {c: (_decimal(v[0]), v[1], _decimal(v[2])) for c, v in s["scores"].items()}
        s["overall"] = _decimal(s.get("overall"))
        summaries.append(s)
    status = {s["stem"]: store.follow_up_status(s["opd"]) for s in summaries}
    extra = [(f"Tindak lanjut {name}", {stem: (counts or {}).get(name) for stem, counts in status.items()})
             for name in STATUSES]
    return summaries, extra


def rekap(request: Request) -> Response:
    _user(request, "inspektorat", "bappeda")
    from sakip_checker.reports.recap import recap_html, recap_xlsx

    summaries, extra = _recap_inputs(request.app.state.store)
    if request.url.path.endswith(".xlsx"):
        return Response(recap_xlsx(summaries, [], extra), media_type=FORMAT_FILES["xlsx"][1],
                        headers={"Content-Disposition": 'attachment; filename="rekap-provinsi.xlsx"'})
    if not summaries:
        return _page(request, "galat.html.j2", 200, status=200, title="Rekap provinsi",
                     lines=["Belum ada pemeriksaan yang diunggah lewat halaman ini; rekap dibuat dari pemeriksaan "
                            "terakhir setiap OPD."])
    return _with_bar(request, recap_html(summaries, [], extra),
                     [("/pemeriksaan", "Riwayat pemeriksaan", "bilah-riwayat"),
                      ("/rekap.xlsx", "Unduh rekap (Excel)", "bilah-rekap-xlsx")])


# -- one's own password ----------------------------------------------------------------------------------


def sandi(request: Request) -> Response:
    user = _user(request)
    store = request.app.state.store
    if request.method == "GET":
        return _page(request, "sandi.html.j2", problems=[])
    form = request.state.form
    values = {k: form.get(k) if isinstance(form.get(k), str) else "" for k in ("sandi_lama", "sandi_baru", "sandi_ulang")}
    row = acc.account(store, user.id)
    problems = []
    if row is None or not acc.verify_password(row.password_hash, values["sandi_lama"]):
        problems.append("Kata sandi lama salah.")
    elif values["sandi_baru"] != values["sandi_ulang"]:
        problems.append("Kata sandi baru dan ulangannya tidak sama.")
    else:
        try:
            acc.set_password(store, user.id, values["sandi_baru"])  # every session of the account ends
        except acc.AccountProblem as exc:
            problems.append(str(exc)[0].upper() + str(exc)[1:] + ".")
    if problems:
        return _page(request, "sandi.html.j2", 400, problems=problems)
    token = acc.open_session(store, user)  # this browser stays signed in, with a new session
    response = RedirectResponse("/?sandi=diganti", status_code=303)
    _set_cookie(request, response, SESSION_COOKIE, token, max_age=acc.SESSION_HOURS * 3600)
    return response


# -- accounts (admin) ------------------------------------------------------------------------------------


def akun(request: Request) -> Response:
    _user(request, "admin")
    store = request.app.state.store
    problems, values = [], {}
    if request.method == "POST":
        form = request.state.form
        values = {k: _field(form, k, 300) for k in ("username", "nama", "role", "opd")}
        password = form.get("password") if isinstance(form.get("password"), str) else ""
        try:
            acc.create_account(store, values["username"], values["nama"], values["role"], values["opd"], password)
        except acc.AccountProblem as exc:
            problems = [str(exc)]
        else:
            return RedirectResponse("/admin/akun", status_code=303)
    return _page(request, "akun.html.j2", 400 if problems else 200, accounts=acc.accounts(store), roles=ROLES,
                 problems=problems, values=values)


def akun_ubah(request: Request) -> Response:
    user = _user(request, "admin")
    store = request.app.state.store
    account_id = request.path_params["id"]
    if acc.account(store, account_id) is None:
        raise HTTPException(404)
    form = request.state.form
    try:
        if request.url.path.endswith("/sandi"):
            password = form.get("password") if isinstance(form.get("password"), str) else ""
            acc.set_password(store, account_id, password)
        else:
            active = _field(form, "active", 5) == "ya"
            if account_id == user.id and not active:
                raise acc.AccountProblem("Anda tidak dapat menonaktifkan akun Anda sendiri.")
            acc.update_account(store, account_id, role=_field(form, "role", 20), opd=_field(form, "opd", 300),
                               active=active)
    except acc.AccountProblem as exc:
        return _page(request, "akun.html.j2", 400, accounts=acc.accounts(store), roles=ROLES, problems=[str(exc)],
                     values={})
    return RedirectResponse("/admin/akun", status_code=303)


# -- the app ---------------------------------------------------------------------------------------------


class Guard:
    """Pure ASGI middleware: the request body's size limit (413 before the upload is read), the signed-in
    account (request.state.user), the sign-in form's CSRF cookie, and security headers on every answer."""

    def __init__(self, app, outer):
        self.app = app
        self.outer = outer

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        from sakip_checker.inputs import LIMITS

        limit = LIMITS.bytes + UPLOAD_OVERHEAD
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        request = Request(scope)
        state = self.outer.state
        import anyio

        token = request.cookies.get(SESSION_COOKIE)
        user = await anyio.to_thread.run_sync(acc.session_user, state.store, token) if token else None
        request.state.user = user
        if length is not None and (not length.isdigit() or int(length) > limit):
            response = await anyio.to_thread.run_sync(lambda: _error(request, 413, [
                f"Berkas melebihi batas {LIMITS.berkas_mb} MB. Perkecil berkasnya (mis. pisahkan per dokumen) atau "
                "minta admin menaikkan batas."]))
            response.headers["Connection"] = "close"
            return await self._send(scope, receive, send, response)
        new_csrf = None
        if user is None and not request.cookies.get(CSRF_COOKIE):
            new_csrf = secrets.token_urlsafe(32)
            request.state.new_csrf = new_csrf
        received = 0

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise HTTPException(413, f"Berkas melebihi batas {LIMITS.berkas_mb} MB.")
            return message

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                extra = list(SECURITY_HEADERS)
                if new_csrf:
                    secure = "; Secure" if state.secure_cookies or scope.get("scheme") == "https" else ""
                    extra.append((b"set-cookie", f"{CSRF_COOKIE}={new_csrf}; Path=/; HttpOnly; SameSite=Lax{secure}"
                                  .encode()))
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        await self.app(scope, limited_receive, send_with_headers)

    async def _send(self, scope, receive, send, response):
        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": list(message.get("headers", [])) + SECURITY_HEADERS}
            await send(message)

        await response(scope, receive, send_with_headers)


def create_app(db: str | None = None, *, demo: bool = False, demo_password: str | None = None,
               timeout: float = 120.0, workers: int | None = None, secure_cookies: bool = False,
               memory_mb: int | None = None) -> Starlette:
    """The web app on the store ``db`` (as ``--db``: a SQLite file or a PostgreSQL URL; default SAKIP_DB or
    sakip.db). ``demo``: create the demo accounts (``app.state.demo_accounts``: username, password, role, OPD).
    ``timeout``: seconds an upload may be evaluated; ``workers``: uploads evaluated at once; ``memory_mb``: the
    address space of one worker (default 2048)."""
    from sakip_checker.store import open_store

    store = open_store(db)
    routes = [
        Route("/", _sync(beranda, signed_in=False)),
        Route("/masuk", _sync(masuk, signed_in=False), methods=["GET", "POST"]),
        Route("/keluar", _sync(keluar), methods=["POST"]),
        Route("/templat.xlsx", _sync(templat)),
        Route("/unggah", unggah, methods=["GET", "POST"]),
        Route("/pemeriksaan", _sync(riwayat)),
        Route("/pemeriksaan/{run:int}", _sync(pemeriksaan)),
        Route("/pemeriksaan/{run:int}/laporan", _sync(laporan)),
        Route("/pemeriksaan/{run:int}/tindak-lanjut", _sync(laporan)),
        Route("/pemeriksaan/{run:int}/unduh/{format}", _sync(unduh)),
        Route("/pemeriksaan/{run:int}/temuan/{fingerprint}/usulan", _sync(usulan), methods=["POST"]),
        Route("/pemeriksaan/{run:int}/temuan/{fingerprint}/status", _sync(tetapkan), methods=["POST"]),
        Route("/pemeriksaan/{run:int}/usulan/{proposal:int}", _sync(putuskan), methods=["POST"]),
        Route("/terlambat", _sync(terlambat)),
        Route("/pengecualian", _sync(pengecualian), methods=["GET", "POST"]),
        Route("/rekap", _sync(rekap)),
        Route("/rekap.xlsx", _sync(rekap)),
        Route("/akun/sandi", _sync(sandi), methods=["GET", "POST"]),
        Route("/admin/akun", _sync(akun), methods=["GET", "POST"]),
        Route("/admin/akun/{id:int}", _sync(akun_ubah), methods=["POST"]),
        Route("/admin/akun/{id:int}/sandi", _sync(akun_ubah), methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: _http_error, Exception: _server_error})
    app.add_middleware(Guard, outer=app)
    app.state.store = store
    app.state.env = _env()
    from sakip_checker.web.jobs import DEFAULT_MEMORY_MB

    app.state.runner = Runner(store.url, timeout=timeout, workers=workers, memory_mb=memory_mb or DEFAULT_MEMORY_MB)
    app.state.secure_cookies = secure_cookies
    app.state.template_bytes = None
    app.state.upload_limiter = None
    app.state.upload_queue = UPLOAD_QUEUE
    app.state.demo_accounts = create_demo_accounts(store, demo_password) if demo else []
    return app


def create_demo_accounts(store, password: str | None = None) -> list[dict]:
    """One account per role and one OPD account per bundled example (examples/ of the checkout, when present).
    Each gets ``password`` (default: a new random one, printed at start)."""
    from sakip_checker.web.demo import example_opds

    accounts = [("admin-demo", "Administrator (demo)", "admin", None),
                ("inspektorat-demo", "Evaluator Inspektorat (demo)", "inspektorat", None),
                ("bappeda-demo", "Analis Bappeda (demo)", "bappeda", None)]
    accounts += [(f"opd-{stem}", f"Perencana {opd} (demo)", "opd", opd) for stem, opd in example_opds()]
    out = []
    for username, nama, role, opd in accounts:
        secret = password or secrets.token_urlsafe(9)
        acc.upsert_account(store, username, nama, role, opd, secret)
        out.append({"username": username, "password": secret, "role": role, "opd": opd})
    return out
