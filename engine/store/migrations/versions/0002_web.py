"""The web page (`sakip web`): accounts, sessions, login failures, web runs, rendered reports, proposals.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_accounts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(100), nullable=False, unique=True),
        sa.Column("nama", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("opd", sa.String(300), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "web_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("account_id", sa.Integer(), sa.ForeignKey("web_accounts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_web_sessions_account_id", "web_sessions", ["account_id"])
    op.create_table(
        "web_login_failures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("ip", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_web_login_failures_who", "web_login_failures", ["username", "ip"])
    op.create_table(
        "web_runs",
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("account_id", sa.Integer(), sa.ForeignKey("web_accounts.id", ondelete="SET NULL"), nullable=True),
        sa.Column("opd", sa.String(300), nullable=False),
        sa.Column("filename", sa.String(300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
    )
    op.create_index("ix_web_runs_opd", "web_runs", ["opd"])
    op.create_table(
        "web_report_files",
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("format", sa.String(20), primary_key=True),
        sa.Column("content", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "web_proposals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("opd", sa.String(300), nullable=False),
        sa.Column("fingerprint", sa.String(40), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("tanggal", sa.Date(), nullable=True),
        sa.Column("bukti", sa.Text(), nullable=True),
        sa.Column("oleh", sa.String(200), nullable=False),
        sa.Column("diajukan", sa.DateTime(timezone=True), nullable=False),
        sa.Column("keputusan", sa.String(10), nullable=True),
        sa.Column("diputus_oleh", sa.String(200), nullable=True),
        sa.Column("catatan", sa.Text(), nullable=True),
    )
    op.create_index("ix_web_proposals_opd_fingerprint", "web_proposals", ["opd", "fingerprint"])


def downgrade() -> None:
    for table in ("web_proposals", "web_report_files", "web_runs", "web_login_failures", "web_sessions",
                  "web_accounts"):
        op.drop_table(table)
