"""The store's words, importable without SQLAlchemy (the workbook writer uses them)."""

STATUSES = ("belum", "proses", "selesai")  # the one vocabulary of follow-up statuses (model, workbook, store)
HISTORY = ("baru", "berulang", "selesai")  # a finding against the previous run of the same OPD
