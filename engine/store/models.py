"""Tables of the history store (SQLAlchemy 2). The schema itself is made by the Alembic migrations in
``migrations/versions``; these classes must describe the same tables (tests/test_store.py compares them)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (Boolean, Date, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from sakip_checker.store.vocabulary import HISTORY, STATUSES  # noqa: F401


class Base(DeclarativeBase):
    pass


class SubmissionRow(Base):
    """One evaluated submission: the same OPD, year, content and pack is one row, however often it is run."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("opd", "tahun", "content_hash", "pack", "pack_version",
                                       name="uq_submissions_content"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    opd: Mapped[str] = mapped_column(String(300), index=True)
    tahun: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    pack: Mapped[str] = mapped_column(String(100))
    pack_version: Mapped[str] = mapped_column(String(50))


class RunRow(Base):
    """One evaluation recorded with ``--simpan``: written in one transaction with all its findings."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    tool: Mapped[str] = mapped_column(String(100))
    file: Mapped[str | None] = mapped_column(Text)
    oleh: Mapped[str | None] = mapped_column(String(200))
    previous_run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))
    parameters: Mapped[str] = mapped_column(Text)  # JSON of the effective pack parameters
    summary: Mapped[str] = mapped_column(Text)  # JSON: counts, component scores, indicator ratings

    submission: Mapped[SubmissionRow] = relationship()
    findings: Mapped[list[FindingRow]] = relationship(back_populates="run", order_by="FindingRow.id")


class FindingRow(Base):
    """One finding of a run: one row per unit/location, by its stable fingerprint."""

    __tablename__ = "findings"
    __table_args__ = (UniqueConstraint("run_id", "fingerprint", name="uq_findings_run_fingerprint"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(40), index=True)
    group_id: Mapped[str | None] = mapped_column(String(60))
    rule_id: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(10))
    outcome: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    document: Mapped[str] = mapped_column(String(60))
    path: Mapped[str] = mapped_column(Text)
    sheet: Mapped[str | None] = mapped_column(String(100))
    line: Mapped[int | None] = mapped_column(Integer)
    jabatan: Mapped[str | None] = mapped_column(Text)
    indikator: Mapped[str | None] = mapped_column(Text)
    bulan: Mapped[str | None] = mapped_column(String(20))
    history: Mapped[str] = mapped_column(String(10))  # baru / berulang (against the previous run)
    waived: Mapped[bool] = mapped_column(Boolean, default=False)

    run: Mapped[RunRow] = relationship(back_populates="findings")


class FollowUpRow(Base):
    """One entry of a finding's follow-up history (the OPD's returned workbook, or the evaluator)."""

    __tablename__ = "follow_ups"
    __table_args__ = (Index("ix_follow_ups_opd_fingerprint", "opd", "fingerprint"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    opd: Mapped[str] = mapped_column(String(300))
    fingerprint: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10))  # STATUSES
    tanggal: Mapped[dt.date | None] = mapped_column(Date)
    bukti: Mapped[str | None] = mapped_column(Text)
    oleh: Mapped[str | None] = mapped_column(String(200))
    sumber: Mapped[str | None] = mapped_column(Text)  # the imported file
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class WaiverRow(Base):
    """An evaluator's judgement that a finding is acceptable (pengecualian)."""

    __tablename__ = "waivers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    opd: Mapped[str | None] = mapped_column(String(300), index=True)  # None: every OPD
    fingerprint: Mapped[str | None] = mapped_column(String(40))
    rule_id: Mapped[str | None] = mapped_column(String(40))
    path: Mapped[str | None] = mapped_column(Text)
    alasan: Mapped[str] = mapped_column(Text)
    oleh: Mapped[str] = mapped_column(String(200))
    tanggal: Mapped[dt.date] = mapped_column(Date)
    berlaku_sampai: Mapped[dt.date | None] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


# -- the web page (`sakip web`, engine/web/): accounts, sessions, login throttling, the runs uploaded there ---


class AccountRow(Base):
    """A person who signs in to the web page: role opd (bound to one OPD), inspektorat, bappeda or admin."""

    __tablename__ = "web_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    nama: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    opd: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SessionRow(Base):
    """A signed-in browser: the cookie holds a random token, the store only its SHA-256 (server-side session)."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("web_accounts.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class LoginFailureRow(Base):
    """A failed sign-in (username as typed and the client's address), for login throttling."""

    __tablename__ = "web_login_failures"
    __table_args__ = (Index("ix_web_login_failures_who", "username", "ip"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100))
    ip: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class WebRunRow(Base):
    """A run recorded through the web page: who uploaded which file, and the recap's summary of the report."""

    __tablename__ = "web_runs"

    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("web_accounts.id", ondelete="SET NULL"))
    opd: Mapped[str] = mapped_column(String(300), index=True)
    filename: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)  # JSON: engine.batch.summarise of the report


class ReportFileRow(Base):
    """One rendered format of a web run's report (what the download buttons give, byte for byte)."""

    __tablename__ = "web_report_files"

    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    format: Mapped[str] = mapped_column(String(20), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class ProposalRow(Base):
    """A follow-up status proposed by the OPD for one finding, until the Inspektorat accepts or rejects it."""

    __tablename__ = "web_proposals"
    __table_args__ = (Index("ix_web_proposals_opd_fingerprint", "opd", "fingerprint"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    opd: Mapped[str] = mapped_column(String(300))
    fingerprint: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10))  # STATUSES
    tanggal: Mapped[dt.date | None] = mapped_column(Date)
    bukti: Mapped[str | None] = mapped_column(Text)
    oleh: Mapped[str] = mapped_column(String(200))
    diajukan: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    keputusan: Mapped[str | None] = mapped_column(String(10))  # None: waiting; diterima / ditolak
    diputus_oleh: Mapped[str | None] = mapped_column(String(200))
    catatan: Mapped[str | None] = mapped_column(Text)
