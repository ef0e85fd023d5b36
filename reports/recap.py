"""The recap of a batch (`sakip check FOLDER/ -o DIR/`): ``rekap.html`` (OPD x component scores, a rule x OPD
matrix, the most frequent findings, the files that could not be checked) and ``rekap.xlsx`` (one row per
OPD; one row per finding location with OPD and year columns).

Built from the per-file summaries of engine.batch (plain data), in the order of the files: byte-identical
for the same files. Extra per-OPD columns (e.g. follow-up status from a store) are passed as ``extra``:
``[(header, {file stem: value})]``; none are shown without them.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from xml.sax.saxutils import escape
from decimal import Decimal
from typing import Any

from sakip_checker.numbers import format_number
from sakip_checker.pack import COMPONENTS
from sakip_checker.reports.labels import labels

TOP_FINDINGS = 20
Extra = list[tuple[str, dict[str, Any]]]


def _pct(value: str | None) -> str:
    return "-" if value is None else format_number(Decimal(value), decimals=2)


def recap_data(summaries: list[dict], failures: list[tuple[str, str, list[str]]], extra: Extra | None = None,
               lang: str = "id") -> dict[str, Any]:
    """Everything the two recap formats show, computed once."""
    L = labels(lang)
    components = [c for c in COMPONENTS if any(c in s["scores"] for s in summaries)] or list(COMPONENTS)
    by_rule: dict[str, dict[str, int]] = defaultdict(dict)
    titles: dict[str, str] = {}
    severity: dict[str, str] = {}
    for s in summaries:
        for rule_id, sev, title, n in s["groups"]:
            by_rule[rule_id][s["stem"]] = by_rule[rule_id].get(s["stem"], 0) + n
            titles.setdefault(rule_id, title)
            severity.setdefault(rule_id, sev)
    rules = sorted(by_rule)
    frequent = sorted(((len(by_rule[r]), sum(by_rule[r].values()), r) for r in rules),
                      key=lambda t: (-t[0], -t[1], t[2]))[:TOP_FINDINGS]
    units = Counter(u[0] for s in summaries for u in s["units"])
    return {
        "L": L, "components": components, "summaries": summaries, "failures": failures, "extra": extra or [],
        "rules": rules, "matrix": by_rule, "titles": titles, "severity": severity, "units": units,
        "frequent": [{"rule_id": r, "opd": n_opd, "lokasi": n_loc, "title": titles[r], "severity": severity[r]}
                     for n_opd, n_loc, r in frequent],
    }


def recap_html(summaries: list[dict], failures: list[tuple[str, str, list[str]]], extra: Extra | None = None,
               lang: str = "id") -> str:
    from sakip_checker.reports.formats import _ENV

    data = recap_data(summaries, failures, extra, lang)
    return _ENV.get_template("recap.html.j2").render(pct=_pct, **data)


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _rows_xml(rows: list[list], first: int) -> bytes:
    """Worksheet rows as SpreadsheetML (numbers as values, text as inline strings), written directly: a
    province's findings are ten thousand rows or more, and openpyxl's per-cell writer would take seconds."""
    from openpyxl.utils import get_column_letter

    width = max((len(r) for r in rows), default=0)
    letters = [get_column_letter(i) for i in range(1, width + 1)]
    out = []
    for n, row in enumerate(rows, first):
        cells = []
        for letter, value in zip(letters, row):
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                cells.append(f'<c r="{letter}{n}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, (int, float)):
                cells.append(f'<c r="{letter}{n}"><v>{value}</v></c>')
            else:
                text = escape(_ILLEGAL.sub("", str(value)))
                space = ' xml:space="preserve"' if text != text.strip() else ""
                cells.append(f'<c r="{letter}{n}" t="inlineStr"><is><t{space}>{text}</t></is></c>')
        out.append(f'<row r="{n}">{"".join(cells)}</row>')
    return "".join(out).encode("utf-8")


def _with_rows(data: bytes, sheet: str, rows_xml: bytes) -> bytes:
    """The workbook with ``rows_xml`` appended to the rows of worksheet ``sheet`` (e.g. "xl/worksheets/sheet2.xml")."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == sheet:
                content = content.replace(b"</sheetData>", rows_xml + b"</sheetData>", 1)
            dst.writestr(info, content)
    return out.getvalue()


def recap_xlsx(summaries: list[dict], failures: list[tuple[str, str, list[str]]], extra: Extra | None = None,
               lang: str = "id") -> bytes:
    import io

    from openpyxl import Workbook

    from sakip_checker.reports.workbook import FIXED_TIME, _table, fixed_zip

    data = recap_data(summaries, failures, extra, lang)
    L = data["L"]
    wb = Workbook()
    opd = wb.active
    opd.title = "OPD"
    headers = ["No", "OPD", "Tahun", "Berkas", "Paket aturan"]
    for c in data["components"]:
        headers += [f"Skor {L['components'][c]}", f"Predikat {L['components'][c]}"]
    headers += ["Skor keseluruhan", "Predikat", "Jumlah temuan", "Jumlah lokasi", "Berat", "Sedang", "Informasi",
                "Tidak dapat dinilai"] + [h for h, _ in data["extra"]]
    rows = []
    for n, s in enumerate(summaries, 1):
        row = [n, s["opd"], s["tahun"], s["file"], s["pack"]]
        for c in data["components"]:
            score, grade, _ = s["scores"].get(c, (None, None, None))
            row += [None if score is None else float(score), grade]
        counts = s["counts"]
        row += [None if s["overall"] is None else float(s["overall"]), s["grade"], counts.get("total"),
                counts.get("lokasi"), counts.get("error"), counts.get("warning"), counts.get("info"),
                counts.get("unknown")] + [values.get(s["stem"]) for _, values in data["extra"]]
        rows.append(row)
    _table(opd, headers, rows, [5, 36, 7, 30, 24] + [12, 10] * len(data["components"]) + [12, 10, 10, 10, 8, 8, 8, 10]
           + [14] * len(data["extra"]))

    findings = wb.create_sheet("Temuan")
    headers = ["No", "OPD", "Tahun", "Berkas", "Aturan", "Komponen", "Tingkat", "Hasil", "Kewajiban", "Dasar",
               "Dokumen", "Lokasi", "Baris", "Jabatan", "Indikator", "Bulan", "Temuan", "Tindak lanjut", "Sidik jari"]
    rows = []
    for s in summaries:
        for (rule_id, component, sev, outcome, title, citation, document, path, line, jabatan, indikator, bulan,
             message, remediation, fingerprint) in s["units"]:
            rows.append([len(rows) + 1, s["opd"], s["tahun"], s["file"], rule_id, L["components"].get(component, component),
                         L["severity"].get(sev, sev), L["outcome"].get(outcome, outcome), title, citation,
                         L["document"].get(document, document), path, line, jabatan, indikator, bulan, message,
                         remediation, fingerprint])
    _table(findings, headers, [], [6, 30, 7, 24, 9, 16, 10, 16, 40, 28, 20, 26, 7, 24, 30, 8, 60, 60, 14])
    if rows:
        from openpyxl.utils import get_column_letter

        findings.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    finding_rows = rows

    if failures:
        failed = wb.create_sheet("Tidak diperiksa")
        _table(failed, ["Berkas", "Keadaan", "Keterangan"],
               [[f, state, "\n".join(lines)] for f, state, lines in failures], [36, 26, 100])
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.properties.creator = "sakip-checker"
    raw = io.BytesIO()
    wb.save(raw)
    return fixed_zip(_with_rows(raw.getvalue(), "xl/worksheets/sheet2.xml", _rows_xml(finding_rows, 2)))
