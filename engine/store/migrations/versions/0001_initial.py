"""The history store: submissions, runs, findings, follow-ups, waivers.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("opd", sa.String(300), nullable=False),
        sa.Column("tahun", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("pack", sa.String(100), nullable=False),
        sa.Column("pack_version", sa.String(50), nullable=False),
        sa.UniqueConstraint("opd", "tahun", "content_hash", "pack", "pack_version", name="uq_submissions_content"),
    )
    op.create_index("ix_submissions_opd", "submissions", ["opd"])
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("submission_id", sa.Integer(), sa.ForeignKey("submissions.id"), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tool", sa.String(100), nullable=False),
        sa.Column("file", sa.Text(), nullable=True),
        sa.Column("oleh", sa.String(200), nullable=True),
        sa.Column("previous_run_id", sa.Integer(), sa.ForeignKey("runs.id"), nullable=True),
        sa.Column("parameters", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
    )
    op.create_index("ix_runs_submission_id", "runs", ["submission_id"])
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("fingerprint", sa.String(40), nullable=False),
        sa.Column("group_id", sa.String(60), nullable=True),
        sa.Column("rule_id", sa.String(40), nullable=False),
        sa.Column("severity", sa.String(10), nullable=False),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("document", sa.String(60), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("sheet", sa.String(100), nullable=True),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("jabatan", sa.Text(), nullable=True),
        sa.Column("indikator", sa.Text(), nullable=True),
        sa.Column("bulan", sa.String(20), nullable=True),
        sa.Column("history", sa.String(10), nullable=False),
        sa.Column("waived", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("run_id", "fingerprint", name="uq_findings_run_fingerprint"),
    )
    op.create_index("ix_findings_run_id", "findings", ["run_id"])
    op.create_index("ix_findings_fingerprint", "findings", ["fingerprint"])
    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("opd", sa.String(300), nullable=False),
        sa.Column("fingerprint", sa.String(40), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("tanggal", sa.Date(), nullable=True),
        sa.Column("bukti", sa.Text(), nullable=True),
        sa.Column("oleh", sa.String(200), nullable=True),
        sa.Column("sumber", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_follow_ups_opd_fingerprint", "follow_ups", ["opd", "fingerprint"])
    op.create_table(
        "waivers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("opd", sa.String(300), nullable=True),
        sa.Column("fingerprint", sa.String(40), nullable=True),
        sa.Column("rule_id", sa.String(40), nullable=True),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("alasan", sa.Text(), nullable=False),
        sa.Column("oleh", sa.String(200), nullable=False),
        sa.Column("tanggal", sa.Date(), nullable=False),
        sa.Column("berlaku_sampai", sa.Date(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_waivers_opd", "waivers", ["opd"])


def downgrade() -> None:
    for table in ("waivers", "follow_ups", "findings", "runs", "submissions"):
        op.drop_table(table)
