"""Open a store and read or write it. Every write is one transaction: a run is recorded whole (submission,
run, every finding) or not at all. Concurrent writers are serialised by the database and retried: SQLite in
WAL mode with a busy timeout and immediate write transactions, PostgreSQL by its own locking; a lost race
(a lock timeout, a serialisation failure, two processes inserting the same submission) is retried."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from sakip_checker.inputs import InputProblem
from sakip_checker.store.models import STATUSES, Base, FindingRow, FollowUpRow, RunRow, SubmissionRow, WaiverRow

DEFAULT_DB = "sakip.db"
MIGRATIONS = Path(__file__).parent / "migrations"
RETRIES = 30
T = TypeVar("T")


class StoreError(InputProblem):
    """The store cannot be opened or used: ``lines`` are ready to print (exit 2, like bad input)."""


def resolve_url(db: str | None) -> str:
    """``--db``, else ``SAKIP_DB``, else ``sakip.db``: a URL (``postgresql://`` uses psycopg 3) or a file path."""
    value = db or os.environ.get("SAKIP_DB") or DEFAULT_DB
    if "://" not in value:
        return f"sqlite:///{Path(value).resolve()}"
    if value.startswith("postgresql://") or value.startswith("postgres://"):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    return value


def _shown(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" below opens the transaction
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):  # take the write lock at once: no deadlock upgrading a read lock
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _retryable(exc: Exception) -> bool:
    if isinstance(exc, IntegrityError):
        return True  # two writers inserted the same submission: the retry finds the other's row
    if isinstance(exc, OperationalError):
        text = str(exc.orig).lower()
        return any(w in text for w in ("locked", "busy", "deadlock", "serializ", "could not obtain lock"))
    if isinstance(exc, DBAPIError):
        code = getattr(getattr(exc.orig, "sqlstate", None), "__str__", lambda: "")()
        return code in ("40001", "40P01")
    return False


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def add_follow_ups(session: Session, opd: str, entries: list[dict], *, oleh: str | None, sumber: str | None,
                   when: dt.datetime | None = None) -> int:
    """Add follow-up entries of one OPD inside the caller's transaction (e.g. the web page's acceptance of a
    proposal, recorded together with the decision); ``Store.record_follow_ups`` runs it in its own."""
    for e in entries:
        if e["status"] not in STATUSES:
            raise ValueError(f"status {e['status']!r} is not one of {STATUSES}")
    when = when or _now()
    for e in entries:
        session.add(FollowUpRow(opd=opd, fingerprint=e["fingerprint"], status=e["status"], tanggal=e.get("tanggal"),
                                bukti=e.get("bukti"), oleh=oleh, sumber=sumber, recorded_at=when))
    return len(entries)


@dataclass(frozen=True)
class OverdueItem:
    opd: str
    tahun: int
    fingerprint: str
    rule_id: str
    severity: str
    message: str
    path: str
    status: str
    sejak: dt.date  # first recorded in this OPD's runs
    batas: dt.date  # sejak + the pack's deadline for the finding's rule or severity
    hari_terlambat: int


class Store:
    def __init__(self, url: str):
        self.url = url
        try:
            self.engine = create_engine(url, future=True, pool_pre_ping=True)
        except (ArgumentError, ValueError) as exc:
            raise StoreError([f"--db {_shown(url)}: alamat basis data tidak dikenal ({exc})"]) from None
        except ModuleNotFoundError as exc:
            raise StoreError([f"--db {_shown(url)}: pemacu basis data belum terpasang ({exc.name}); untuk "
                              "PostgreSQL pasang: pip install 'sakip-checker[postgres]'"]) from None
        self.dialect = self.engine.dialect.name
        if self.dialect == "sqlite":
            database = self.engine.url.database
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            _sqlite_setup(self.engine)
        try:
            self._migrate()
        except OperationalError as exc:
            raise StoreError([f"--db {_shown(url)}: basis data tidak dapat dibuka: "
                              f"{str(exc.orig).strip().splitlines()[0]}"]) from None

    # -- schema ------------------------------------------------------------------------------------

    def _alembic_config(self):
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        return config

    def _migrate(self) -> None:
        """Bring the schema to the newest migration (no-op when it is there already)."""
        from sakip_checker.store.migrations import HEAD

        if self._stored_revision() == HEAD:  # the usual case, without loading Alembic's scripts
            return
        from alembic import command
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        config = self._alembic_config()
        head = ScriptDirectory.from_config(config).get_current_head()
        with self.engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
            connection.rollback()
            if current == head:
                return
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.commit()

    def _stored_revision(self) -> str | None:
        try:
            with self.engine.connect() as connection:
                return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except (OperationalError, ProgrammingError) as exc:  # no store yet: no alembic_version table
            if self.dialect == "sqlite" and "no such table" not in str(exc.orig).lower():
                raise
            if self.dialect == "postgresql" and getattr(exc.orig, "sqlstate", None) != "42P01":
                raise
            return None

    def revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- transactions ------------------------------------------------------------------------------

    def transaction(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one transaction, retried from scratch when it lost a race with another writer."""
        for attempt in range(RETRIES):
            try:
                with Session(self.engine, expire_on_commit=False) as session, session.begin():
                    return work(session)
            except (OperationalError, IntegrityError, DBAPIError) as exc:
                if not _retryable(exc) or attempt == RETRIES - 1:
                    raise
                time.sleep(min(2.0, 0.02 * 2 ** attempt) * random.random())
        raise AssertionError("unreachable")

    # -- runs --------------------------------------------------------------------------------------

    def record_run(self, report, content_hash: str, *, oleh: str | None = None,
                   recorded_at: dt.datetime | None = None, waived: Iterable[Any] = ()):
        """Record one evaluated report (its findings, and the waived ones marked ``waived``) and return the
        ``Riwayat``: each finding baru / berulang against the previous stored run of the same OPD, and the
        previous run's findings that are gone (selesai)."""
        from sakip_checker.evaluate import Resolved, Riwayat, RunRef

        pack_id, _, pack_version = report.pack.partition(" ")
        when = recorded_at or _now()
        units = [(u, False) for u in report.units()] + [(w.finding, True) for w in waived]
        summary = json.dumps(_summary(report), ensure_ascii=False, sort_keys=True)

        def work(session: Session):
            if self.dialect == "postgresql":  # one writer per OPD at a time: each run's "previous" is exact
                session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:opd))"), {"opd": report.submission.opd})
            submission = session.scalars(select(SubmissionRow).where(
                SubmissionRow.opd == report.submission.opd, SubmissionRow.tahun == report.submission.tahun,
                SubmissionRow.content_hash == content_hash, SubmissionRow.pack == pack_id,
                SubmissionRow.pack_version == pack_version)).first()
            if submission is None:
                submission = SubmissionRow(opd=report.submission.opd, tahun=report.submission.tahun,
                                           content_hash=content_hash, pack=pack_id, pack_version=pack_version)
                session.add(submission)
                session.flush()
            previous = self._latest_run(session, report.submission.opd, up_to_year=report.submission.tahun)
            before: dict[str, FindingRow] = {}
            if previous is not None:
                before = {f.fingerprint: f for f in previous.findings if not f.waived}
            run = RunRow(submission_id=submission.id, recorded_at=when, tool=report.tool,
                         file=report.submission.file, oleh=oleh,
                         previous_run_id=previous.id if previous else None,
                         parameters=json.dumps(report.parameters, ensure_ascii=False, sort_keys=True),
                         summary=summary)
            session.add(run)
            session.flush()
            status: dict[str, str] = {}
            for unit, is_waived in units:
                history = "berulang" if unit.fingerprint in before else "baru"
                if not is_waived:
                    status[unit.fingerprint] = history
                session.add(_finding_row(run.id, unit, history, is_waived))
            session.flush()
            gone = [Resolved(fingerprint=f.fingerprint, rule_id=f.rule_id, severity=f.severity, message=f.message,
                             document=f.document, path=f.path)
                    for fp, f in before.items() if fp not in status and fp not in
                    {w.finding.fingerprint for w in waived}]
            ref = None
            if previous is not None:
                ref = RunRef(run=previous.id, tahun=previous.submission.tahun,
                             tanggal=_as_utc(previous.recorded_at).date().isoformat())
            return Riwayat(run=run.id, pembanding=ref, status=status, selesai=gone)

        return self.transaction(work)

    @staticmethod
    def _latest_run(session: Session, opd: str, up_to_year: int | None = None) -> RunRow | None:
        """The OPD's latest run: of the latest year (up to ``up_to_year``: a run of 2023 recorded after one of
        2024 is compared with 2023's or 2022's, not with the later year), then the latest recorded."""
        query = select(RunRow).join(SubmissionRow).where(SubmissionRow.opd == opd)
        if up_to_year is not None:
            query = query.where(SubmissionRow.tahun <= up_to_year)
        return session.scalars(query.order_by(SubmissionRow.tahun.desc(), RunRow.recorded_at.desc(),
                                              RunRow.id.desc()).limit(1)).first()

    def runs(self, opd: str | None = None) -> list[dict]:
        def work(session: Session):
            query = select(RunRow, SubmissionRow).join(SubmissionRow)
            if opd:
                query = query.where(SubmissionRow.opd == opd)
            out = []
            for run, sub in session.execute(query.order_by(RunRow.id)):
                count = session.scalar(select(func.count()).select_from(FindingRow).where(
                    FindingRow.run_id == run.id, FindingRow.waived.is_(False)))
                out.append({"run": run.id, "opd": sub.opd, "tahun": sub.tahun, "pack": f"{sub.pack} {sub.pack_version}",
                            "content_hash": sub.content_hash, "recorded_at": _as_utc(run.recorded_at),
                            "previous": run.previous_run_id, "findings": count,
                            "summary": json.loads(run.summary), "file": run.file})
            return out

        return self.transaction(work)

    def run_findings(self, run_id: int) -> list[FindingRow]:
        return self.transaction(lambda s: list(s.scalars(select(FindingRow).where(
            FindingRow.run_id == run_id).order_by(FindingRow.id))))

    def counts(self) -> dict[str, int]:
        def work(session: Session):
            return {t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}

        return self.transaction(work)

    # -- follow-up ---------------------------------------------------------------------------------

    def known_fingerprints(self, opd: str) -> set[str]:
        return set(self.transaction(lambda s: s.scalars(select(FindingRow.fingerprint).join(RunRow).join(
            SubmissionRow).where(SubmissionRow.opd == opd)).all()))

    def record_follow_ups(self, opd: str, entries: list[dict], *, oleh: str | None, sumber: str | None) -> int:
        """Record follow-up entries (fingerprint, status, tanggal, bukti) of one OPD in one transaction."""
        when = _now()  # one time for the entries, also when the transaction is retried
        return self.transaction(lambda session: add_follow_ups(session, opd, entries, oleh=oleh, sumber=sumber,
                                                               when=when))

    def follow_up_history(self, opd: str, fingerprint: str) -> list[FollowUpRow]:
        return self.transaction(lambda s: list(s.scalars(select(FollowUpRow).where(
            FollowUpRow.opd == opd, FollowUpRow.fingerprint == fingerprint).order_by(FollowUpRow.id))))

    @staticmethod
    def _last_status(session: Session, opd: str) -> dict[str, str]:
        """The latest follow-up status recorded for each fingerprint of an OPD."""
        out: dict[str, str] = {}
        for row in session.scalars(select(FollowUpRow).where(FollowUpRow.opd == opd).order_by(FollowUpRow.id)):
            out[row.fingerprint] = row.status
        return out

    def follow_up_status(self, opd: str) -> dict[str, int] | None:
        """How many findings of the OPD's latest stored run are belum / proses / selesai (a finding with no
        follow-up recorded is "belum"; waived ones are left out); None when the OPD has no stored run."""

        def work(session: Session):
            latest = self._latest_run(session, opd)
            if latest is None:
                return None
            last = self._last_status(session, opd)
            counts = dict.fromkeys(STATUSES, 0)
            for f in latest.findings:
                if not f.waived:
                    counts[last.get(f.fingerprint, "belum")] += 1
            return counts

        return self.transaction(work)

    def overdue(self, today: dt.date, opd: str | None = None) -> list[OverdueItem]:
        """Findings of each OPD's latest run whose follow-up is not "selesai" and whose deadline (the pack's
        ``batas_tindak_lanjut_hari`` for the rule, else for the severity, counted from the first run that
        recorded the finding) is before ``today``."""

        def work(session: Session):
            opds = [opd] if opd else session.scalars(select(SubmissionRow.opd).distinct().order_by(SubmissionRow.opd)).all()
            out: list[OverdueItem] = []
            for name in opds:
                latest = self._latest_run(session, name)
                if latest is None:
                    continue
                limits = json.loads(latest.parameters).get("batas_tindak_lanjut_hari") or {}
                first_seen = dict(session.execute(
                    select(FindingRow.fingerprint, func.min(RunRow.recorded_at)).join(RunRow).join(SubmissionRow)
                    .where(SubmissionRow.opd == name).group_by(FindingRow.fingerprint)).all())
                last_status = self._last_status(session, name)
                for f in latest.findings:
                    if f.waived or last_status.get(f.fingerprint) == "selesai":
                        continue
                    days = limits.get(f.rule_id, limits.get(f.severity))
                    if days is None:
                        continue
                    since = _as_utc(first_seen[f.fingerprint]).date()
                    due = since + dt.timedelta(days=int(days))
                    if today > due:
                        out.append(OverdueItem(opd=name, tahun=latest.submission.tahun, fingerprint=f.fingerprint,
                                               rule_id=f.rule_id, severity=f.severity, message=f.message,
                                               path=f.path, status=last_status.get(f.fingerprint, "belum"),
                                               sejak=since, batas=due, hari_terlambat=(today - due).days))
            return out

        return self.transaction(work)

    # -- waivers -----------------------------------------------------------------------------------

    def add_waiver(self, *, opd: str | None, fingerprint: str | None, rule_id: str | None, path: str | None,
                   alasan: str, oleh: str, tanggal: dt.date, berlaku_sampai: dt.date | None) -> int:
        def work(session: Session):
            row = WaiverRow(opd=opd, fingerprint=fingerprint, rule_id=rule_id, path=path, alasan=alasan, oleh=oleh,
                            tanggal=tanggal, berlaku_sampai=berlaku_sampai, recorded_at=_now())
            session.add(row)
            session.flush()
            return row.id

        return self.transaction(work)

    def waivers(self, opd: str | None = None) -> list[WaiverRow]:
        def work(session: Session):
            query = select(WaiverRow)
            if opd:
                query = query.where((WaiverRow.opd == opd) | WaiverRow.opd.is_(None))
            return list(session.scalars(query.order_by(WaiverRow.id)))

        return self.transaction(work)


def _as_utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)


def _finding_row(run_id: int, unit, history: str, waived: bool) -> FindingRow:
    loc = unit.location
    return FindingRow(run_id=run_id, fingerprint=unit.fingerprint, group_id=unit.group, rule_id=unit.rule_id,
                      severity=unit.severity, outcome=unit.outcome, message=unit.message, document=loc.document,
                      path=loc.path, sheet=loc.sheet, line=loc.line, jabatan=loc.jabatan, indikator=loc.indikator,
                      bulan=loc.bulan, history=history, waived=waived)


def _summary(report) -> dict:
    """What a later comparison needs of a run: counts, component scores, indicator ratings; the rules the engine
    could not evaluate."""
    s = report.scores
    return {
        "counts": report.counts,
        "scores": [{"component": c.component, "score": None if c.score is None else str(c.score),
                    "grade": c.grade, "coverage": str(c.coverage)} for c in s.components],
        "overall": None if s.overall is None else str(s.overall),
        "grade": s.grade,
        "ratings": [r.model_dump(mode="json") for r in report.ratings],
        # rules the engine could not evaluate in this run (neither passed nor failed): the web run page names them
        "engine_failures": [[list(f.rule_ids), f.message] for f in report.engine_failures],
    }


def open_store(db: str | None = None) -> Store:
    return Store(resolve_url(db))
