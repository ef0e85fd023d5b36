"""Year on year (`sakip banding`): two evaluations of one OPD side by side: the indicators' target,
realisasi and capaian per year, the component scores, and the findings carried over (berulang), new (baru)
and resolved (selesai), matched by fingerprint. Each side is a submission file or a stored run."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from decimal import Decimal

from sakip_checker.numbers import format_number

COMPONENT_LABEL = {"perencanaan": "Perencanaan", "pengukuran": "Pengukuran Kinerja",
                   "pelaporan": "Pelaporan Kinerja", "evaluasi": "Evaluasi Kinerja"}
SEVERITY_LABEL = {"error": "Berat", "warning": "Sedang", "info": "Informasi"}


@dataclass
class Side:
    """One evaluation, reduced to what the comparison reads."""

    label: str  # the file or "run #n"
    opd: str
    tahun: int
    scores: list[dict]  # component, score (decimal text or None), grade
    overall: str | None
    grade: str | None
    ratings: list[dict]  # sumber, indikator, target, realisasi, capaian, peringkat
    findings: dict[str, dict] = field(default_factory=dict)  # fingerprint -> rule_id, severity, message, path


def side_of_report(report, label: str) -> Side:
    s = report.scores
    return Side(label=label, opd=report.submission.opd, tahun=report.submission.tahun,
                scores=[{"component": c.component, "score": c.score, "grade": c.grade} for c in s.components],
                overall=s.overall, grade=s.grade, ratings=[r.model_dump(mode="json") for r in report.ratings],
                findings={u.fingerprint: {"rule_id": u.rule_id, "severity": u.severity, "message": u.message,
                                          "path": u.location.path} for u in report.units()})


def side_of_run(run: dict, findings) -> Side:
    summary = run["summary"]
    return Side(label=f"run #{run['run']}", opd=run["opd"], tahun=run["tahun"], scores=summary["scores"],
                overall=summary["overall"], grade=summary["grade"], ratings=summary["ratings"],
                findings={f.fingerprint: {"rule_id": f.rule_id, "severity": f.severity, "message": f.message,
                                          "path": f.path} for f in findings if not f.waived})


@dataclass
class Comparison:
    a: Side
    b: Side
    notes: list[str]
    indicators: list[tuple[str, dict | None, dict | None]]  # name, A's LKjIP row, B's
    scores: list[tuple[str, dict | None, dict | None]]
    berulang: list[tuple[str, dict]]
    baru: list[tuple[str, dict]]
    selesai: list[tuple[str, dict]]


def _natural(path: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", path))


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def compare(a: Side, b: Side) -> Comparison:
    notes = []
    if _key(a.opd) != _key(b.opd):
        notes.append(f"OPD berbeda: {a.opd} ({a.label}) dan {b.opd} ({b.label}); temuan tetap dicocokkan "
                     "menurut sidik jari")
    if a.tahun > b.tahun:
        notes.append(f"tahun {a.label} ({a.tahun}) lebih akhir dari {b.label} ({b.tahun}): baru/selesai dibaca "
                     "dari yang pertama ke yang kedua")

    def lkjip(side: Side) -> dict[str, dict]:
        rows = [r for r in side.ratings if r["sumber"] == "lkjip"] or \
               [r for r in side.ratings if r["sumber"] != "lkjip"]
        out: dict[str, dict] = {}
        for r in rows:
            out.setdefault(_key(r["indikator"]), r)
        return out

    ra, rb = lkjip(a), lkjip(b)
    names = list(dict.fromkeys([*ra, *rb]))
    indicators = [((ra.get(k) or rb.get(k))["indikator"], ra.get(k), rb.get(k)) for k in names]
    sa = {s["component"]: s for s in a.scores}
    sb = {s["component"]: s for s in b.scores}
    scores = [(c, sa.get(c), sb.get(c)) for c in dict.fromkeys([*sa, *sb])]
    berulang = [(fp, b.findings[fp]) for fp in b.findings if fp in a.findings]
    baru = [(fp, b.findings[fp]) for fp in b.findings if fp not in a.findings]
    selesai = [(fp, a.findings[fp]) for fp in a.findings if fp not in b.findings]
    order = lambda item: (item[1]["rule_id"], _natural(item[1]["path"]), item[0])  # noqa: E731
    return Comparison(a, b, notes, indicators, scores, sorted(berulang, key=order), sorted(baru, key=order),
                      sorted(selesai, key=order))


def _pct(value: str | None) -> str:
    return "-" if value is None else format_number(Decimal(value), decimals=2)


def _delta(a: str | None, b: str | None) -> str:
    if a is None or b is None:
        return "-"
    d = Decimal(b) - Decimal(a)
    return ("+" if d > 0 else "") + format_number(d, decimals=2)


def _tables(c: Comparison) -> list[tuple[str, list[str], list[list[str]]]]:
    ya, yb = c.a.tahun, c.b.tahun
    ind_rows = []
    for name, ra, rb in c.indicators:
        get = lambda r, k: "-" if r is None or r.get(k) in (None, "") else str(r[k])  # noqa: E731
        ind_rows.append([name, get(ra, "target"), get(ra, "realisasi"), get(ra, "capaian"), get(rb, "target"),
                         get(rb, "realisasi"), get(rb, "capaian")])
    score_rows = [[COMPONENT_LABEL.get(comp, comp), _pct(sa and sa["score"]), (sa or {}).get("grade") or "-",
                   _pct(sb and sb["score"]), (sb or {}).get("grade") or "-",
                   _delta(sa and sa["score"], sb and sb["score"])] for comp, sa, sb in c.scores]
    score_rows.append(["Keseluruhan", _pct(c.a.overall), c.a.grade or "-", _pct(c.b.overall), c.b.grade or "-",
                       _delta(c.a.overall, c.b.overall)])

    def finding_rows(items):
        return [[f["rule_id"], SEVERITY_LABEL.get(f["severity"], f["severity"]), f["path"], f["message"], fp]
                for fp, f in items]

    fh = ["Aturan", "Tingkat", "Lokasi", "Temuan", "Sidik jari"]
    return [
        ("Indikator (LKjIP; tanpa LKjIP: laporan bulanan terakhir)",
         ["Indikator", f"Target {ya}", f"Realisasi {ya}", f"Capaian {ya} (%)", f"Target {yb}", f"Realisasi {yb}",
          f"Capaian {yb} (%)"], ind_rows),
        ("Indeks kepatuhan per komponen (perkiraan sakip-checker, bukan nilai evaluasi SAKIP)",
         ["Komponen", f"Skor {ya}", f"Predikat setara {ya}", f"Skor {yb}", f"Predikat setara {yb}", "Selisih"],
         score_rows),
        (f"Temuan berulang ({len(c.berulang)}): ada pada kedua pemeriksaan", fh, finding_rows(c.berulang)),
        (f"Temuan baru ({len(c.baru)}): hanya pada {c.b.label}", fh, finding_rows(c.baru)),
        (f"Temuan selesai ({len(c.selesai)}): ada pada {c.a.label}, tidak lagi pada {c.b.label}", fh,
         finding_rows(c.selesai)),
    ]


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ") or "-"


def markdown(c: Comparison) -> str:
    out = [f"# Perbandingan antartahun: {c.b.opd}", "",
           f"- **Pertama:** {c.a.label} (tahun {c.a.tahun})", f"- **Kedua:** {c.b.label} (tahun {c.b.tahun})",
           f"- **Temuan:** {len(c.berulang)} berulang, {len(c.baru)} baru, {len(c.selesai)} selesai", ""]
    for note in c.notes:
        out += [f"> **Perhatian:** {note}", ""]
    for title, headers, rows in _tables(c):
        out += [f"## {title}", ""]
        if not rows:
            out += ["Tidak ada.", ""]
            continue
        out.append("| " + " | ".join(headers) + " |")
        out.append("|" + "---|" * len(headers))
        out += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in rows]
        out.append("")
    return "\n".join(out)


def html_page(c: Comparison) -> str:
    e = html.escape
    out = ['<!DOCTYPE html>', '<html lang="id">', '<head>', '<meta charset="utf-8">',
           f'<title>Perbandingan antartahun: {e(c.b.opd)}</title>',
           '<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2939}table{border-collapse:collapse;'
           'margin-bottom:1.5rem}th,td{border:1px solid #d0d5dd;padding:.3rem .5rem;text-align:left;'
           'vertical-align:top}th{background:#344054;color:#fff}.perhatian{color:#b54708;font-weight:bold}</style>',
           '</head>', '<body>', f'<h1>Perbandingan antartahun: {e(c.b.opd)}</h1>', '<ul>',
           f'<li><strong>Pertama:</strong> {e(c.a.label)} (tahun {c.a.tahun})</li>',
           f'<li><strong>Kedua:</strong> {e(c.b.label)} (tahun {c.b.tahun})</li>',
           f'<li><strong>Temuan:</strong> {len(c.berulang)} berulang, {len(c.baru)} baru, {len(c.selesai)} selesai</li>',
           '</ul>']
    for note in c.notes:
        out.append(f'<p class="perhatian">Perhatian: {e(note)}</p>')
    for title, headers, rows in _tables(c):
        out.append(f'<h2>{e(title)}</h2>')
        if not rows:
            out.append('<p>Tidak ada.</p>')
            continue
        out.append('<table><thead><tr>' + "".join(f'<th>{e(h)}</th>' for h in headers) + '</tr></thead><tbody>')
        out += ['<tr>' + "".join(f'<td>{e(str(v))}</td>' for v in row) + '</tr>' for row in rows]
        out.append('</tbody></table>')
    out += ['</body>', '</html>', '']
    return "\n".join(out)
