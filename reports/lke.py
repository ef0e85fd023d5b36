"""The evaluator's worksheet (`--format lke`, xlsx): the report laid out like the Lembar Kriteria Evaluasi of
PermenPANRB 88/2021. Per component, sub-component and criterion (the pack's ``_reference/lke.yaml``, which
maps each criterion to the rules that bear on it): the rules' units found to comply, to fail and not
assessable, the findings (rule, count, first places), a PROPOSED answer (Y/T or A-E) computed from those
units, why, and an empty "Jawaban evaluator" column with the criterion's scale as a drop-down list.

The proposal is an estimate of the tool from documents; the evaluator confirms or changes it. Byte-identical
for the same report (fixed dates and zip entry times, as reports.workbook)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sakip_checker.evaluate import Report
from sakip_checker.inputs import InputProblem
from sakip_checker.numbers import format_number

LKE_FILE = "_reference/lke.yaml"
SHOWN_PLACES = 3


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Kriteria(_Strict):
    uraian: str
    jawaban: Literal["ya_tidak", "a_e"]
    aturan: list[str] = Field(min_length=1)


class SubKomponen(_Strict):
    id: str
    nama: str
    bobot: Decimal
    kriteria: list[Kriteria]


class Komponen(_Strict):
    id: str
    nama: str
    bobot: Decimal
    sub: list[SubKomponen]


class Lke(_Strict):
    sumber: str
    catatan: str
    skala: dict[str, dict[str, Decimal]]
    usulan: str
    komponen: list[Komponen]


def load_lke(pack_dir: Path) -> Lke:
    """The LKE mapping of a pack. Raises InputProblem (file and line) when it is missing or malformed."""
    from pydantic import ValidationError

    from sakip_checker.inputs import describe_validation_error, read_document

    path = pack_dir / LKE_FILE
    if not path.exists():
        raise InputProblem([f"--format lke: paket {pack_dir.name} tidak memuat {LKE_FILE} (pemetaan kriteria LKE)"])
    doc = read_document(path)
    try:
        return Lke.model_validate(doc.data)
    except ValidationError as exc:
        raise InputProblem(describe_validation_error(exc, doc)) from None


def propose(scale: str, lke: Lke, passed: int, failed: int) -> tuple[str | None, str]:
    """The proposed answer and why, from the assessed units of a criterion's rules."""
    assessed = passed + failed
    if not assessed:
        return None, "tidak ada unit yang dapat dinilai dari dokumen: tidak ada usulan"
    share = Decimal(passed) / Decimal(assessed)
    pct = format_number((share * 100).quantize(Decimal("0.01")), decimals=2)
    if scale == "ya_tidak":
        answer = "Ya" if failed == 0 else "Tidak"
        return answer, f"{passed} dari {assessed} unit memenuhi ({pct}%); Ya hanya bila tidak ada yang tidak memenuhi"
    values = lke.skala["a_e"]
    answer = min(values, key=lambda letter: (abs(values[letter] - share), -values[letter]))
    return answer, f"{passed} dari {assessed} unit memenuhi ({pct}%); nilai {answer} terdekat"


def lke_bytes(report: Report, lke: Lke, L: dict) -> bytes:
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from sakip_checker.reports.workbook import FIXED_TIME, HEADER, HEADER_FILL, NOTICE, WRAP, fixed_zip

    coverage = {c.rule_id: c for c in report.coverage}
    findings: dict[str, list] = {}
    for g in report.findings:
        findings.setdefault(g.rule_id, []).append(g)
    wb = Workbook()
    ws = wb.active
    ws.title = "LKE"
    ws.append(["Lembar Kriteria Evaluasi (LKE) SAKIP: kertas kerja evaluator"])
    ws.cell(1, 1).font = Font(bold=True, size=13)
    ws.append(["OPD", report.submission.opd])
    ws.append(["Tahun", report.submission.tahun])
    ws.append(["Paket aturan", f"{report.pack}: {report.regulation}"])
    ws.append(["Dasar LKE", lke.sumber])
    ws.append(["Catatan", lke.catatan])
    ws.append(["USULAN", "Kolom 'Usulan jawaban' adalah USULAN sakip-checker dari pemeriksaan dokumen, bukan "
               "jawaban evaluasi. Evaluator menetapkan jawabannya di kolom 'Jawaban evaluator'. " + lke.usulan])
    ws.cell(ws.max_row, 1).font = NOTICE
    ws.cell(ws.max_row, 2).font = NOTICE
    for row in ws.iter_rows(min_row=2, max_row=ws.max_row, min_col=2, max_col=2):
        row[0].alignment = WRAP
    ws.append([])
    headers = ["No", "Komponen / sub-komponen / kriteria", "Bobot", "Skala jawaban", "Aturan terkait",
               "Unit memenuhi", "Unit tidak memenuhi", "Unit tidak dapat dinilai", "Bukti (temuan)",
               "Usulan jawaban (usulan alat, bukan keputusan)", "Dasar usulan", "Jawaban evaluator", "Catatan evaluator"]
    ws.append(headers)
    head = ws.max_row
    for cell in ws[head]:
        cell.font, cell.fill, cell.alignment = HEADER, HEADER_FILL, WRAP
    scales = {"ya_tidak": "Ya / Tidak", "a_e": "A / B / C / D / E"}
    answer_cells: dict[str, list[str]] = {"ya_tidak": [], "a_e": []}
    for k_no, komponen in enumerate(lke.komponen, 1):
        ws.append([str(k_no), komponen.nama, float(komponen.bobot)])
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        for s_no, sub in enumerate(komponen.sub, 1):
            ws.append([f"{k_no}.{s_no}", sub.nama, float(sub.bobot)])
            ws.cell(ws.max_row, 2).font = Font(bold=True, italic=True)
            for c_no, kriteria in enumerate(sub.kriteria, 1):
                passed = failed = unknown = 0
                evidence = []
                for rule_id in kriteria.aturan:
                    cov = coverage.get(rule_id)
                    if cov is not None:
                        passed, failed, unknown = passed + cov.passed, failed + cov.failed, unknown + cov.unknown
                    for g in findings.get(rule_id, []):
                        places = ", ".join(x.location.path for x in g.locations[:SHOWN_PLACES])
                        more = len(g.locations) - SHOWN_PLACES
                        evidence.append(f"{g.rule_id} ({L['outcome'][g.outcome]}, {len(g.locations)} lokasi): "
                                        f"{g.message} [{places}{f', +{more} lainnya' if more > 0 else ''}]")
                answer, why = propose(kriteria.jawaban, lke, passed, failed)
                ws.append([f"{k_no}.{s_no}.{c_no}", kriteria.uraian, None, scales[kriteria.jawaban],
                           ", ".join(kriteria.aturan), passed, failed, unknown,
                           "\n".join(evidence) or ("tidak ada temuan" if passed + failed else "-"), answer or "-", why,
                           None, None])
                answer_cells[kriteria.jawaban].append(f"L{ws.max_row}")
                for cell in ws[ws.max_row]:
                    cell.alignment = WRAP
    for scale, choices in (("ya_tidak", "Ya,Tidak"), ("a_e", "A,B,C,D,E")):
        if answer_cells[scale]:
            dv = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True,
                                error=f"Pilih: {choices.replace(',', ', ')}", errorTitle="Jawaban evaluator")
            ws.add_data_validation(dv)
            for ref in answer_cells[scale]:
                dv.add(ref)
    for letter, width in zip("ABCDEFGHIJKLM", (8, 60, 8, 16, 24, 10, 10, 10, 70, 16, 36, 16, 30)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = f"C{head + 1}"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.properties.creator = "sakip-checker"
    raw = io.BytesIO()
    wb.save(raw)
    return fixed_zip(raw.getvalue())
