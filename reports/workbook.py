"""The report as an Excel workbook (openpyxl) for Inspektorat working papers and the OPD's follow-up:
"Ringkasan" (summary and scores), "Temuan" (one row per finding, every field) and "Tindak Lanjut" (the
remediation checklist with a Status column the OPD fills in from a drop-down list).

Byte-identical for the same report: the document's dates are fixed and the zip is re-written with fixed
entry times (openpyxl stamps the current time in both)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from sakip_checker.evaluate import Report
from sakip_checker.reports.checklist import checklist

from sakip_checker.store.vocabulary import STATUSES as STATUS  # belum / proses / selesai: one vocabulary everywhere

FOLLOW_UP_HEADERS = ("Tanggal", "Sidik jari")  # read back by `sakip tindak-lanjut impor` (engine/store/followup.py)
FIXED_TIME = dt.datetime(2000, 1, 1)
HEADER = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="344054")
WRAP = Alignment(wrap_text=True, vertical="top")
NOTICE = Font(bold=True, color="B54708")


def _print_setup(ws, report: Report, title: str, landscape: bool = True, repeat_header: bool = True) -> None:
    """A4, fit to the page width, the header row on every page, OPD, year and page numbers in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.5, 0.6
    if repeat_header:
        ws.print_title_rows = "1:1"
    footer = f"{report.submission.opd} · {report.submission.tahun} · {title}".replace("&", "&&")
    ws.oddFooter.left.text, ws.oddFooter.left.size = footer, 8
    ws.oddFooter.right.text, ws.oddFooter.right.size = "Halaman &P dari &N", 8


def _table(ws, headers: list[str], rows: list[list], widths: list[int]) -> None:
    _append(ws, headers)
    for cell in ws[1]:
        cell.font, cell.fill, cell.alignment = HEADER, HEADER_FILL, WRAP
    for row in rows:
        _append(ws, row)
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = WRAP
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"


def workbook_bytes(report: Report, L: dict, headers: list[str], rows: list[list], pengesahan=None) -> bytes:
    """The workbook; ``headers`` and ``rows`` are the finding table of reports.formats.finding_table."""
    wb = Workbook()
    summary = wb.active
    summary.title = "Ringkasan"
    _append(summary, ["OPD", report.submission.opd])
    _append(summary, ["Tahun", report.submission.tahun])
    if report.submission.dokumen is not None:
        _append(summary, [L["t"]["dokumen_diajukan"], ", ".join(report.submission.dokumen)])
    _append(summary, ["Paket aturan", f"{report.pack}: {report.regulation}"])
    for notice in report.pack_years.notices if report.pack_years else []:  # the year against the pack's
        _append(summary, [L["t"]["perhatian"], notice])
        summary.cell(summary.max_row, 1).font = NOTICE
        summary.cell(summary.max_row, 2).alignment = WRAP
    _append(summary, ["Jumlah temuan", report.counts["total"]])
    _append(summary, ["Jumlah lokasi", report.counts["lokasi"]])
    if report.pengecualian is not None:  # waived findings: counted apart (rows with "Pengecualian" in Temuan)
        _append(summary, [L["t"]["dikecualikan"], len(report.pengecualian.dikecualikan)])
    for key in ("error", "warning", "info"):
        _append(summary, [f"Temuan {L['severity'][key]}", report.counts[key]])
    _append(summary, [L["outcome"]["unknown"], report.counts["unknown"]])
    _append(summary, [])
    t = L["t"]
    _append(summary, [f"{report.scores.label} ({report.scores.note})"])
    _append(summary, [t["kerangka"], f"{report.scores.framework}; {t['bobot_sumber']}: "
                    f"{report.scores.weights_source or t['tanpa_bobot']}"])
    _append(summary, ["Komponen", "Bobot", "Aturan dinilai", "Aturan berlaku", t["tidak_dapat_dinilai_n"],
                     t["cakupan_persen"], t["skor"], t["setara_predikat_kolom"]])
    for cell in summary[summary.max_row]:
        cell.font, cell.fill = HEADER, HEADER_FILL
    first = summary.max_row + 1
    for s in report.scores.components:
        _append(summary, [L["components"][s.component], s.weight, s.rules_evaluated, s.rules_applicable, s.units_unknown,
                        float(s.coverage), None if s.score is None else float(s.score), s.grade])
    _append(summary, ["Keseluruhan", 100 if report.scores.weights_source else None, None, None, None, None,
                    None if report.scores.overall is None else float(report.scores.overall),
                    report.scores.grade or f"{t['predikat_ditahan']} ({report.scores.grade_withheld})"])
    _append(summary, ["Catatan", f"{t['cakupan_catatan']} {report.scores.threshold}%. {t['predikat_catatan']}."])
    for row in summary.iter_rows(min_row=first, max_row=summary.max_row - 1, min_col=6, max_col=7):
        for cell in row:
            cell.number_format = "0.00"
    if pengesahan is not None:  # the working paper's sign-off (--pemeriksa, --tanggal)
        _append(summary, [])
        _append(summary, [L["t"]["pengesahan_judul"]])
        summary.cell(summary.max_row, 1).font = Font(bold=True)
        _append(summary, [L["t"]["pemeriksa"], pengesahan.pemeriksa or ""])
        _append(summary, [L["t"]["tanggal_periksa"], pengesahan.tanggal_teks or ""])
        _append(summary, [L["t"]["paraf"], ""])
        summary.row_dimensions[summary.max_row].height = 40
    summary.column_dimensions["A"].width = 28
    summary.column_dimensions["B"].width = 60
    _print_setup(summary, report, "Ringkasan", landscape=False, repeat_header=False)

    findings = wb.create_sheet("Temuan")
    _table(findings, headers, rows,
           [5, 12, 9, 30, 16, 10, 16, 40, 28, 20, 26, 28, 34, 10, 30, 14, 7, 30, 30, 60, 60, 14])
    _print_setup(findings, report, "Temuan")

    todo = wb.create_sheet("Tindak Lanjut")
    rows = []
    for group in checklist(report):
        for number, f in enumerate(group.items, 1):
            places = ", ".join(x.location.path + (f" ({x.location.bulan})" if x.location.bulan else "")
                               for x in f.locations)
            remedy = f"{L['t']['contoh']}: {f.remediation}" if f.remediation_varies else f.remediation
            rows.append([group.jabatan, group.eselon, number, L["severity"][f.severity], remedy, f.citation,
                         f"{L['document'][f.location.document]}: {places}", f.rule_id, "belum", None, None,
                         ", ".join(x.fingerprint for x in f.locations)])
    t = L["t"]
    _table(todo, ["Jabatan", t["eselon"], t["no"], t["tingkat"], t["tindakan"], t["dasar"], t["lokasi"], t["aturan"],
                  t["status"], t["bukti"], *FOLLOW_UP_HEADERS], rows, [30, 8, 5, 10, 70, 28, 30, 9, 14, 30, 14, 16])
    if rows:
        status = DataValidation(type="list", formula1=f'"{",".join(STATUS)}"', allow_blank=False,
                                error="Pilih: " + ", ".join(STATUS), errorTitle="Status")
        todo.add_data_validation(status)
        status.add(f"I2:I{len(rows) + 1}")
        when = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True,
                              error="Isi tanggal (TTTT-BB-HH)", errorTitle="Tanggal")
        todo.add_data_validation(when)
        when.add(f"K2:K{len(rows) + 1}")
        for (cell,) in todo.iter_rows(min_row=2, min_col=11, max_col=11):
            cell.number_format = "yyyy-mm-dd"
    _print_setup(todo, report, "Tindak Lanjut")

    sanitise(wb)
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.properties.creator = "sakip-checker"
    raw = io.BytesIO()
    wb.save(raw)
    return fixed_zip(raw.getvalue())


def _visible(match: re.Match) -> str:
    return f"\\x{ord(match.group()):02x}"


def visible_text(value):
    """A value whose text cannot break the file: the control characters XML cannot carry (NUL, ESC, BEL, ...)
    are written visibly as \\x00, \\x1b, ... (openpyxl would refuse the whole workbook)."""
    return ILLEGAL_CHARACTERS_RE.sub(_visible, value) if isinstance(value, str) else value


def _append(ws, values: list) -> None:
    ws.append([visible_text(v) for v in values])


def sanitise(wb) -> None:
    """No text of a submission becomes live content of the workbook: a text starting with "=" is stored as
    text, not as a formula (openpyxl writes it as one: formula injection). This workbook holds no formula."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def fixed_zip(data: bytes) -> bytes:
    """The same archive with fixed entry times and a fixed "modified" date (openpyxl writes the time of
    saving there whatever the properties say), so that equal content gives equal bytes."""
    out = io.BytesIO()
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            dst.writestr(fixed, content)
    return out.getvalue()
