"""Accounts of the web page: roles, password hashes (argon2), server-side sessions, login throttling.

Everything lives in the history store (tables ``web_*`` of migration 0002), so several server processes and
the command line (`sakip akun buat-admin`) share it."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, func, select

from sakip_checker.store.models import AccountRow, LoginFailureRow, SessionRow

ROLES = ("opd", "inspektorat", "bappeda", "admin")
ROLE_LABELS = {"opd": "OPD", "inspektorat": "Inspektorat", "bappeda": "Bappeda", "admin": "Administrator"}
SESSION_HOURS = 8
THROTTLE_FAILURES = 5  # failed sign-ins of one username from one address ...
THROTTLE_MINUTES = 15  # ... within this window: further attempts wait
MIN_PASSWORD = 10
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,99}")


class AccountProblem(ValueError):
    """A refused account change: ``str(exc)`` is one Indonesian line."""


@dataclass(frozen=True)
class User:
    """The signed-in person, as the pages see them (no password hash)."""

    id: int
    username: str
    nama: str
    role: str
    opd: str | None
    csrf: str = ""

    @property
    def sees_all(self) -> bool:  # every OPD's runs: the evaluator and the planning agency
        return self.role in ("inspektorat", "bappeda")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# A hash to verify against when the username does not exist: the answer takes as long either way.
_DUMMY: list[str] = []


def _dummy_hash() -> str:
    if not _DUMMY:
        _DUMMY.append(hash_password(secrets.token_urlsafe(16)))
    return _DUMMY[0]


def check_new_account(username: str, nama: str, role: str, opd: str | None, password: str | None) -> None:
    if not _USERNAME.fullmatch(username or ""):
        raise AccountProblem(f"nama pengguna {username!r} tidak sah: 3-100 huruf kecil, angka, titik, garis bawah "
                             "atau tanda hubung, diawali huruf atau angka")
    if not (nama or "").strip():
        raise AccountProblem("nama lengkap wajib diisi")
    check_role(role, opd)
    if password is not None:
        check_password(password)


def check_role(role: str, opd: str | None) -> None:
    if role not in ROLES:
        raise AccountProblem(f"peran {role!r} tidak dikenal (pilih {', '.join(ROLES)})")
    if role == "opd" and not (opd or "").strip():
        raise AccountProblem("akun OPD wajib terikat pada satu OPD: isi nama OPD persis seperti profil.opd pengajuannya")
    if role != "opd" and (opd or "").strip():
        raise AccountProblem(f"akun {ROLE_LABELS[role]} tidak terikat pada satu OPD: kosongkan kolom OPD")


def check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise AccountProblem(f"kata sandi terlalu pendek: paling sedikit {MIN_PASSWORD} karakter")


def create_account(store, username: str, nama: str, role: str, opd: str | None, password: str) -> int:
    username = (username or "").strip().lower()
    opd = " ".join(opd.split()) if opd and opd.strip() else None
    check_new_account(username, nama, role, opd, password)
    hashed = hash_password(password)

    def work(session):
        if session.scalar(select(AccountRow.id).where(AccountRow.username == username)) is not None:
            raise AccountProblem(f"nama pengguna {username!r} sudah dipakai")
        row = AccountRow(username=username, nama=nama.strip(), password_hash=hashed, role=role, opd=opd,
                         active=True, created_at=_now())
        session.add(row)
        session.flush()
        return row.id

    return store.transaction(work)


def set_password(store, account_id: int, password: str) -> None:
    check_password(password)
    hashed = hash_password(password)

    def work(session):
        row = session.get(AccountRow, account_id)
        if row is None:
            raise AccountProblem("akun tidak ditemukan")
        row.password_hash = hashed
        session.execute(delete(SessionRow).where(SessionRow.account_id == account_id))  # signed out everywhere

    store.transaction(work)


def update_account(store, account_id: int, *, role: str, opd: str | None, active: bool) -> None:
    opd = " ".join(opd.split()) if opd and opd.strip() else None
    check_role(role, opd)

    def work(session):
        row = session.get(AccountRow, account_id)
        if row is None:
            raise AccountProblem("akun tidak ditemukan")
        if row.role == "admin" and (role != "admin" or not active):
            admins = session.scalar(select(func.count()).select_from(AccountRow).where(
                AccountRow.role == "admin", AccountRow.active.is_(True), AccountRow.id != account_id))
            if not admins:
                raise AccountProblem("akun ini administrator aktif terakhir: buat administrator lain dahulu")
        row.role, row.opd, row.active = role, opd, active
        if not active:
            session.execute(delete(SessionRow).where(SessionRow.account_id == account_id))

    store.transaction(work)


def accounts(store) -> list[AccountRow]:
    return store.transaction(lambda s: list(s.scalars(select(AccountRow).order_by(AccountRow.role, AccountRow.username))))


def account(store, account_id: int) -> AccountRow | None:
    return store.transaction(lambda s: s.get(AccountRow, account_id))


# -- signing in ----------------------------------------------------------------------------------------


class Throttled(Exception):
    def __init__(self, minutes: int):
        super().__init__(minutes)
        self.minutes = minutes


def authenticate(store, username: str, password: str, ip: str, now: dt.datetime | None = None) -> User | None:
    """The account when the password is right; None otherwise (the failure is recorded). ``Throttled`` when
    this username failed ``THROTTLE_FAILURES`` times from this address within ``THROTTLE_MINUTES``: the
    password is then not even checked."""
    now = now or _now()
    username = (username or "").strip().lower()[:100]
    since = now - dt.timedelta(minutes=THROTTLE_MINUTES)

    def recent(session):
        return list(session.scalars(select(LoginFailureRow.at).where(
            LoginFailureRow.username == username, LoginFailureRow.ip == ip, LoginFailureRow.at >= since)
            .order_by(LoginFailureRow.at)))

    failures = store.transaction(recent)
    if len(failures) >= THROTTLE_FAILURES:
        free_at = _utc(failures[-THROTTLE_FAILURES]) + dt.timedelta(minutes=THROTTLE_MINUTES)
        raise Throttled(max(1, -(-int((free_at - now).total_seconds()) // 60)))
    row = store.transaction(lambda s: s.scalars(select(AccountRow).where(AccountRow.username == username)).first())
    ok = verify_password(row.password_hash if row else _dummy_hash(), password or "")
    if not ok or row is None or not row.active:
        def fail(session):
            session.add(LoginFailureRow(username=username, ip=ip[:100], at=now))
            session.execute(delete(LoginFailureRow).where(LoginFailureRow.at < since))  # keep the table small

        store.transaction(fail)
        return None

    def succeed(session):
        session.execute(delete(LoginFailureRow).where(LoginFailureRow.username == username, LoginFailureRow.ip == ip))

    store.transaction(succeed)
    return User(row.id, row.username, row.nama, row.role, row.opd)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(store, user: User) -> str:
    """A new session for ``user``: the cookie's token (the store keeps only its hash)."""
    token = secrets.token_urlsafe(32)
    now = _now()

    def work(session):
        session.execute(delete(SessionRow).where(SessionRow.expires_at < now))
        session.add(SessionRow(token_hash=_token_hash(token), account_id=user.id, csrf=secrets.token_urlsafe(32),
                               created_at=now, expires_at=now + dt.timedelta(hours=SESSION_HOURS)))

    store.transaction(work)
    return token


def session_user(store, token: str | None) -> User | None:
    if not token or len(token) > 200:
        return None
    now = _now()

    def work(session):
        found = session.execute(select(SessionRow, AccountRow).join(AccountRow).where(
            SessionRow.token_hash == _token_hash(token))).first()
        if found is None:
            return None
        sess, row = found
        if _utc(sess.expires_at) < now or not row.active:
            return None
        return User(row.id, row.username, row.nama, row.role, row.opd, sess.csrf)

    return store.transaction(work)


def close_session(store, token: str | None) -> None:
    if token:
        store.transaction(lambda s: s.execute(delete(SessionRow).where(SessionRow.token_hash == _token_hash(token))))


def same_token(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a).encode(), str(b).encode())


# -- demo accounts and the first administrator ----------------------------------------------------------


def upsert_account(store, username: str, nama: str, role: str, opd: str | None, password: str) -> None:
    """Create the account, or give an existing one this role, OPD and password (demo accounts)."""
    existing = store.transaction(lambda s: s.scalars(select(AccountRow).where(AccountRow.username == username)).first())
    if existing is None:
        create_account(store, username, nama, role, opd, password)
        return
    update_account(store, existing.id, role=role, opd=opd, active=True)
    set_password(store, existing.id, password)
