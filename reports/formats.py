"""Render a Report as JSON or Markdown. Output is byte-identical for the same submission."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import jinja2
from markupsafe import Markup

from decimal import Decimal

from engine.evaluate import Report
from engine.numbers import format_number
from reports import charts
from reports.checklist import checklist
from reports.labels import labels

FORMATS = ("json", "markdown", "csv", "checklist", "checklist-html", "html", "xlsx")
BINARY = ("xlsx",)
MAX_MONTHLY_CHARTS = 24

# One row per finding, every field; Indonesian headers. Semicolon-separated with a UTF-8 byte-order mark:
# Excel in an Indonesian locale uses the comma as decimal separator and opens such a file directly.
CSV_COLUMNS = (
    ("No", None), ("Aturan", "rule_id"), ("Nama aturan", "rule_name"), ("Komponen", "component"),
    ("Tingkat", "severity"), ("Hasil", "outcome"), ("Kewajiban", "title"), ("Dasar", "citation"),
    ("Dokumen", "location.document"), ("Lokasi", "location.path"), ("Jabatan", "location.jabatan"),
    ("Indikator", "location.indikator"), ("Bulan", "location.bulan"), ("Berkas", "location.file"),
    ("Lembar", "location.sheet"), ("Baris", "location.line"), ("Tertulis", "observed"), ("Seharusnya", "expected"), ("Temuan", "message"),
    ("Tindak lanjut", "remediation"), ("Sidik jari", "fingerprint"),
)
_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    undefined=jinja2.StrictUndefined,
    autoescape=lambda name: bool(name) and name.endswith(".html.j2"),
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _cell(text: object) -> str:
    """A value safe inside a Markdown table cell."""
    return "-" if text is None or text == "" else str(text).replace("|", "\\|").replace("\n", " ")


def _pct(value: str | None) -> str:
    """A Decimal text ("95.22") in Indonesian notation ("95,22"); "-" when there is none."""
    return "-" if value is None else format_number(Decimal(value), decimals=2)


_ENV.filters["cell"] = _cell
_ENV.filters["pct"] = _pct


def finding_table(report: Report, L: dict) -> tuple[list[str], list[list]]:
    """Headers and one row per finding with every field, enum values in Indonesian (CSV and XLSX)."""
    translate = {"component": L["components"], "severity": L["severity"], "outcome": L["outcome"],
                 "location.document": L["document"]}
    rows = []
    for number, finding in enumerate(report.findings, 1):
        row = []
        for _, path in CSV_COLUMNS:
            if path is None:
                row.append(number)
                continue
            value = finding
            for part in path.split("."):
                value = getattr(value, part)
            row.append(translate.get(path, {}).get(value, value))
        rows.append(row)
    return [header for header, _ in CSV_COLUMNS], rows


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NEGATIVE = re.compile(r"-\s?[\d.,]+\s?%?")


def neutral(value: object) -> object:
    """A text a spreadsheet would run as a formula ("=HYPERLINK(...)", "+cmd|...", "@SUM(...)", "-2+3") gets a
    leading apostrophe, so that Excel and LibreOffice show it as text (CSV injection); a plain "-" or a
    negative number ("-7.912.100") is left as it is."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        if value == "-" or _PLAIN_NEGATIVE.fullmatch(value):
            return value
        return "'" + value
    return value


def _csv(report: Report, L: dict) -> str:
    headers, rows = finding_table(report, L)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([["" if v is None else neutral(v) for v in row] for row in rows])
    return "\ufeff" + out.getvalue()


def _charts(report: Report, L: dict) -> dict:
    shown = report.series[:MAX_MONTHLY_CHARTS]
    return {
        "scores": Markup(charts.score_bars(report.scores, L)),
        "monthly": [(s.nama, Markup(charts.monthly_chart(s, L["t"]))) for s in shown],
        "monthly_hidden": len(report.series) - len(shown),
        "cascade": Markup(charts.cascade_tree(report.cascade, L["t"])),
    }


def render(report: Report, fmt: str, lang: str = "id") -> str | bytes:
    """The report in one format: text, or bytes for the binary formats (``BINARY``)."""
    L = labels(lang)
    if fmt == "xlsx":
        from reports.workbook import workbook_bytes

        return workbook_bytes(report, L, *finding_table(report, L))
    if fmt == "json":
        return json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        return _ENV.get_template("report.html.j2").render(r=report, L=L, by_component=report.by_component(),
                                                         charts=_charts(report, L))
    if fmt == "checklist-html":
        return _ENV.get_template("checklist.html.j2").render(r=report, L=L, groups=checklist(report))
    if fmt == "checklist":
        return _ENV.get_template("checklist.md.j2").render(r=report, L=L, groups=checklist(report))
    if fmt == "csv":
        return _csv(report, L)
    if fmt == "markdown":
        return _ENV.get_template("findings.md.j2").render(r=report, L=L,
                                                         by_component=report.by_component())
    raise ValueError(f"unknown format {fmt!r}")
