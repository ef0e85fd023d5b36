"""Read back the findings workbook (``sakip check --format xlsx``) that the OPD returns with Status, date
(Tanggal) and evidence (Bukti perbaikan) filled in on the "Tindak Lanjut" sheet. Every unreadable row is
named: sheet, row, column header and what was expected."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from sakip_checker.inputs import InputProblem
from sakip_checker.store.vocabulary import STATUSES

SHEET = "Tindak Lanjut"
ALIASES = {"dalam proses": "proses"}  # the drop-down of workbooks written before the vocabulary was unified
COLUMNS = {"status": "Status", "bukti": "Bukti perbaikan", "tanggal": "Tanggal", "sidik": "Sidik jari"}
_FINGERPRINT = re.compile(r"[0-9a-f]{12}")


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def read_follow_up(path: Path) -> tuple[str, list[dict], int]:
    """(OPD, entries, unchanged rows) of a returned workbook; InputProblem naming every unreadable row.
    An entry is ``{"fingerprint", "status", "tanggal", "bukti", "row"}``, one per fingerprint of a row; a
    row left at "belum" with no date and no evidence is unchanged and records nothing."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputProblem([f"{path}: bukan buku kerja .xlsx yang dapat dibaca ({exc})"]) from None
    problems: list[str] = []
    opd = None
    if "Ringkasan" in wb.sheetnames:
        for row in wb["Ringkasan"].iter_rows(max_col=2, values_only=True):
            if row[0] == "OPD" and row[1]:
                opd = " ".join(str(row[1]).split())
                break
    if opd is None:
        problems.append(f"{path}: lembar Ringkasan: baris 'OPD' tidak ada (harapkan buku kerja dari "
                        "`sakip check --format xlsx`)")
    if SHEET not in wb.sheetnames:
        raise InputProblem(problems + [f"{path}: lembar '{SHEET}' tidak ada (lembar: {', '.join(wb.sheetnames)})"])
    ws = wb[SHEET]
    header = [None if c.value is None else str(c.value).strip() for c in ws[1]]
    index = {}
    for key, name in COLUMNS.items():
        if name in header:
            index[key] = header.index(name)
        else:
            problems.append(f"{path}: lembar {SHEET}, baris 1: kolom '{name}' tidak ada (harapkan buku kerja dari "
                            "`sakip check --format xlsx`)")
    if problems:
        raise InputProblem(problems)
    entries: list[dict] = []
    unchanged = 0
    for number, row in enumerate(ws.iter_rows(min_row=2, values_only=True), 2):
        if all(v is None or str(v).strip() == "" for v in row):
            continue
        cell = lambda key: row[index[key]] if index[key] < len(row) else None  # noqa: E731
        where = f"{path}: lembar {SHEET}, baris {number}"
        bad = []
        raw_status = cell("status")
        status = ALIASES.get(" ".join(str(raw_status or "").split()).casefold(),
                             " ".join(str(raw_status or "").split()).casefold())
        if status not in STATUSES:
            shown = "kosong" if raw_status in (None, "") else repr(raw_status)
            bad.append(f"{where}, kolom Status: {shown} tidak dikenal (harapkan {', '.join(STATUSES)})")
        raw_date = cell("tanggal")
        when = None if raw_date in (None, "") else _date(raw_date)
        if raw_date not in (None, "") and when is None:
            bad.append(f"{where}, kolom Tanggal: {raw_date!r} bukan tanggal (harapkan sel tanggal atau TTTT-BB-HH)")
        elif when is None and status in ("proses", "selesai"):
            bad.append(f"{where}, kolom Tanggal: kosong (harapkan tanggal tindak lanjut untuk status {status})")
        evidence = cell("bukti")
        evidence = " ".join(str(evidence).split()) if evidence not in (None, "") else None
        if evidence is None and status == "selesai":
            bad.append(f"{where}, kolom Bukti perbaikan: kosong (harapkan bukti untuk status selesai)")
        raw_fp = cell("sidik")
        fingerprints = [p.strip() for p in str(raw_fp or "").split(",") if p.strip()]
        if not fingerprints or any(not _FINGERPRINT.fullmatch(fp) for fp in fingerprints):
            shown = "kosong" if not fingerprints else repr(raw_fp)
            bad.append(f"{where}, kolom Sidik jari: {shown} (harapkan sidik jari 12 heksadesimal dari laporan, "
                       "dipisah koma; jangan diubah)")
        if bad:
            problems.extend(bad)
            continue
        if status == "belum" and when is None and evidence is None:
            unchanged += 1
            continue
        for fp in fingerprints:
            entries.append({"fingerprint": fp, "status": status, "tanggal": when, "bukti": evidence, "row": number})
    if problems:
        raise InputProblem(problems)
    return opd, entries, unchanged
