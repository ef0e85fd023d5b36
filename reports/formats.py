"""Render a Report as JSON or Markdown. Output is byte-identical for the same submission."""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
import re
from pathlib import Path

from decimal import Decimal

from sakip_checker.evaluate import Report
from sakip_checker.numbers import BULAN_LABEL, format_number
from sakip_checker.reports.labels import labels

FORMATS = ("json", "markdown", "csv", "checklist", "checklist-html", "html", "xlsx", "lke")
BINARY = ("xlsx", "lke")
# JSON by pydantic's serializer in Rust (byte-identical to json.dumps of model_dump with indent=2, whose indent
# forces the pure-Python encoder; tests/test_batch.py compares the two). A switch only for that test.
FAST_JSON = True
MAX_MONTHLY_CHARTS = 24

# One row per location of a finding (its group id in "Kelompok"), every field; Indonesian headers. Semicolon-separated with a UTF-8 byte-order mark:
# Excel in an Indonesian locale uses the comma as decimal separator and opens such a file directly.
CSV_COLUMNS = (
    ("No", None), ("Kelompok", "group"), ("Aturan", "rule_id"), ("Nama aturan", "rule_name"), ("Komponen", "component"),
    ("Tingkat", "severity"), ("Hasil", "outcome"), ("Kewajiban", "title"), ("Dasar", "citation"),
    ("Dokumen", "location.document"), ("Lokasi", "location.path"), ("Jabatan", "location.jabatan"),
    ("Indikator", "location.indikator"), ("Bulan", "location.bulan"), ("Berkas", "location.file"),
    ("Lembar", "location.sheet"), ("Baris", "location.line"), ("Tertulis", "observed"), ("Seharusnya", "expected"), ("Temuan", "message"),
    ("Tindak lanjut", "remediation"), ("Sidik jari", "fingerprint"),
)


class _LazyEnvironment:
    """The jinja2 environment, built (and jinja2 imported) on first use: json, csv and xlsx never need it.
    Filters registered before that are kept in ``filters`` and handed over."""

    def __init__(self):
        self.filters: dict = {}
        self._env = None

    def __getattr__(self, name):  # only for what is not set above: get_template, globals, ...
        if self.__dict__.get("_env") is None:
            import jinja2

            env = jinja2.Environment(
                loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                undefined=jinja2.StrictUndefined,
                autoescape=lambda name: bool(name) and name.endswith(".html.j2"),
                keep_trailing_newline=True,
                trim_blocks=True,
                lstrip_blocks=True,
            )
            env.filters.update(self.filters)
            self.filters = env.filters
            self._env = env
        return getattr(self._env, name)


_ENV = _LazyEnvironment()


def _cell(text: object) -> str:
    """A value safe inside a Markdown table cell."""
    return "-" if text is None or text == "" else str(text).replace("|", "\\|").replace("\n", " ")


def _pct(value: str | None) -> str:
    """A Decimal text ("95.22") in Indonesian notation ("95,22"); "-" when there is none."""
    return "-" if value is None else format_number(Decimal(value), decimals=2)


def _place(loc, L: dict) -> str:
    """A location's path with its sheet and row, or its line (Markdown)."""
    text = f"`{loc.path}`"
    if loc.sheet:
        text += f" ({L['t']['lembar']} {loc.sheet}, {L['t']['baris']} {loc.line})"
    elif loc.line:
        text += f" ({L['t']['baris']} {loc.line})"
    return text


def _where(loc, L: dict) -> str:
    """A location on one line: path, sheet/line, position, indicator, month (Markdown)."""
    text = _place(loc, L)
    for part in (loc.jabatan, loc.indikator if loc.indikator != loc.jabatan else None):
        if part:
            text += f"; {_cell(part)}"
    if loc.bulan:
        text += f"; {L['t']['bulan']} {loc.bulan}"
    return text


def _short(loc, L: dict) -> str:
    """A location by path and line only (names are in the report's location index)."""
    text = _place(loc, L)
    if loc.bulan:
        text += f" {L['t']['bulan']} {loc.bulan}"
    return text


def location_lines(group, L: dict) -> tuple[str | None, list[str]]:
    """A multi-location group's locations: one inline list when no location says more than the group's
    message, else one line each with what it says (its observed value, or its own message)."""
    details = []
    for x in group.locations:
        detail = None
        if not group.observed and x.observed:
            detail = x.observed
        elif x.message != group.message and not (x.location.indikator or x.location.jabatan):
            detail = x.message
        details.append((x.location, detail))
    if not any(d for _, d in details):
        return ", ".join(_short(loc, L) for loc, _ in details), []
    return None, [f"{_short(loc, L)}{f': {_cell(d)}' if d else ''}" for loc, d in details]


def location_index(report: Report, L: dict) -> list[str]:
    """Each place a multi-location finding points at, once, with the names that identify it."""
    seen: dict[str, str] = {}
    for g in report.findings:
        if len(g.locations) < 2:
            continue
        for x in g.locations:
            loc = x.location
            names = [n for n in (loc.indikator, loc.jabatan if loc.jabatan != loc.indikator else None) if n]
            if names and loc.path not in seen:
                seen[loc.path] = f"{_short(loc, L).split(' ' + L['t']['bulan'])[0]}: {_cell('; '.join(names))}"
    return [seen[p] for p in sorted(seen, key=_natural_path)]


def _natural_path(path: str) -> tuple:
    import re

    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", path))


def idle_rules(report: Report) -> dict[str, list[str]]:
    """Rules that evaluated no unit, by reason (the coverage table lists only the others)."""
    out: dict[str, list[str]] = {"alasan_gagal_dinilai": [], "alasan_tidak_diajukan": [], "alasan_di_luar_periode": [],
                                 "alasan_dokumen_tidak_ada": [], "alasan_tidak_berlaku": [], "alasan_tanpa_unit": []}
    for c in report.coverage:
        if c.evaluated or c.skipped:
            continue
        if c.engine_failed:  # durable-rules failed on its ruleset (Report.engine_failures says why)
            out["alasan_gagal_dinilai"].append(c.rule_id)
        elif c.not_applicable:  # reference data of another period (pack reference_periods)
            out["alasan_di_luar_periode"].append(c.rule_id)
        elif not c.submitted:
            out["alasan_tidak_diajukan"].append(c.rule_id)
        elif c.missing_documents:
            out["alasan_dokumen_tidak_ada"].append(c.rule_id)
        elif not c.applicable:
            out["alasan_tidak_berlaku"].append(c.rule_id)
        else:
            out["alasan_tanpa_unit"].append(c.rule_id)
    return out


_ENV.filters["cell"] = _cell
_ENV.filters["pct"] = _pct
_ENV.filters["where"] = _where
_ENV.filters["short"] = _short


def _places(item, L: dict) -> str:
    """The locations of a finding or action in one cell: one with its names, several by path and line."""
    if len(item.locations) == 1:
        return _where(item.locations[0].location, L)
    return ", ".join(_short(x.location, L) for x in item.locations)


_ENV.filters["places"] = _places


def history_label(report: Report, L: dict):
    """The label of a finding group against the previous stored run (" · baru", " · 2 baru, 1 berulang");
    empty without --simpan, so reports without it stay as they were."""

    def label(group) -> str:
        if report.riwayat is None:
            return ""
        counts: dict[str, int] = {}
        for x in group.locations:
            state = report.riwayat.status.get(x.fingerprint, "baru")
            counts[state] = counts.get(state, 0) + 1
        if len(counts) == 1:
            return f" · {L['history'][next(iter(counts))]}"
        return " · " + ", ".join(f"{n} {L['history'][k]}" for k, n in sorted(counts.items()))

    return label


def history_counts(report: Report) -> dict[str, int]:
    values = list(report.riwayat.status.values()) if report.riwayat else []
    return {"baru": values.count("baru"), "berulang": values.count("berulang")}


def _with_history(report: Report, L: dict, headers: list[str], rows: list[list]) -> tuple[list[str], list[list]]:
    """CSV/XLSX columns added only with --simpan (Riwayat) or waivers (Pengecualian, and the waived findings
    as rows of their own after the others)."""
    t = L["t"]
    if report.riwayat is not None:
        status = report.riwayat.status
        headers = [*headers, t["riwayat_kolom"]]
        rows = [[*row, L["history"][status.get(unit.fingerprint, "baru")]] for row, unit in zip(rows, report.units())]
    if report.pengecualian is None:
        return headers, rows
    p = report.pengecualian
    expired = {w.finding.fingerprint: w.waiver for w in p.kedaluwarsa}

    def note(kind: str, w) -> str:
        until = w.berlaku_sampai or t["tanpa_batas"]
        return f"{kind}: {w.alasan} ({w.oleh}, {w.tanggal} s.d. {until}; {w.sumber})"

    out = [[*row, note(t["kedaluwarsa_sel"], expired[unit.fingerprint]) if unit.fingerprint in expired else None]
           for row, unit in zip(rows, report.units())]
    translate = {"component": L["components"], "severity": L["severity"], "outcome": L["outcome"],
                 "location.document": L["document"]}
    for number, w in enumerate(p.dikecualikan, len(rows) + 1):
        row = []
        for _, path in CSV_COLUMNS:
            if path is None:
                row.append(number)
                continue
            value = w.finding
            for part in path.split("."):
                value = getattr(value, part)
            row.append(translate.get(path, {}).get(value, value))
        if report.riwayat is not None:
            row.append(None)
        out.append([*row, note(t["dikecualikan_sel"], w.waiver)])
    return [*headers, t["pengecualian_kolom"]], out


def finding_table(report: Report, L: dict) -> tuple[list[str], list[list]]:
    """Headers and one row per finding with every field, enum values in Indonesian (CSV and XLSX)."""
    translate = {"component": L["components"], "severity": L["severity"], "outcome": L["outcome"],
                 "location.document": L["document"]}
    rows = []
    for number, finding in enumerate(report.units(), 1):  # one row per location
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
    return _with_history(report, L, [header for header, _ in CSV_COLUMNS], rows)


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
    import csv

    headers, rows = finding_table(report, L)
    notices = report.pack_years.notices if report.pack_years else []
    if notices:  # the year against the pack's: on every row, so that no row is read without it
        headers = [*headers, L["t"]["catatan_paket"]]
        rows = [[*row, " ".join(notices)] for row in rows]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([["" if v is None else neutral(v) for v in row] for row in rows])
    return "\ufeff" + out.getvalue()


def _charts(report: Report, L: dict) -> dict:
    from markupsafe import Markup  # the charts, markupsafe and csv are imported by the formats that use them

    from sakip_checker.reports import charts

    shown = report.series[:MAX_MONTHLY_CHARTS]
    return {
        "scores": Markup(charts.score_bars(report.scores, L)),
        "monthly": [(s.nama, Markup(charts.monthly_chart(s, L["t"]))) for s in shown],
        "monthly_hidden": len(report.series) - len(shown),
        "cascade": Markup(charts.cascade_tree(report.cascade, L["t"])),
    }


@dataclass(frozen=True)
class Pengesahan:
    """The working paper's sign-off block (``--pemeriksa``, ``--tanggal``): opt-in, so that a report stays
    byte-identical for the same submission unless the evaluator asks for a dated, named paper."""

    pemeriksa: str | None = None
    tanggal: dt.date | None = None

    @property
    def tanggal_teks(self) -> str | None:
        return f"{self.tanggal.day} {BULAN_LABEL[self.tanggal.month - 1]} {self.tanggal.year}" if self.tanggal else None


def _css_string(text: str) -> Markup:
    """A CSS string literal (for @page margin boxes): quotes, backslashes and '<' escaped, so that no OPD name
    can close the string or the <style> element."""
    from markupsafe import Markup

    escaped = "".join(f"\\{ord(ch):x} " if ch in '"\\<>\n\r' else ch for ch in str(text))
    return Markup(f'"{escaped}"')


_ENV.filters["css_string"] = _css_string


def _history_args(report: Report, L: dict) -> dict:
    return {"history": history_label(report, L), "history_counts": history_counts(report)}


def render(report: Report, fmt: str, lang: str = "id", pengesahan: Pengesahan | None = None,
           pack_dir: Path | None = None) -> str | bytes:
    """The report in one format: text, or bytes for the binary formats (``BINARY``). ``pengesahan`` adds the
    sign-off block (evaluator, date, paraf) to the printable formats. ``pack_dir``: the folder of the pack the
    report was evaluated with (``Catalogue.root``, e.g. under --rules), for the LKE mapping; by default the
    bundled pack of the report's name."""
    L = labels(lang)
    if pengesahan is not None and not (pengesahan.pemeriksa or pengesahan.tanggal):
        pengesahan = None
    if fmt == "xlsx":
        from sakip_checker.reports.workbook import workbook_bytes

        return workbook_bytes(report, L, *finding_table(report, L), pengesahan=pengesahan)
    if fmt == "lke":  # the evaluator's worksheet (LKE of PermenPANRB 88/2021), from the pack's mapping
        from sakip_checker.rules import RULES_ROOT
        from sakip_checker.reports.lke import lke_bytes, load_lke

        return lke_bytes(report, load_lke(pack_dir or RULES_ROOT / report.pack.split(" ")[0]), L)  # "<id> <version>"
    if fmt == "json":
        optional = {name for name in ("riwayat", "pengecualian") if getattr(report, name) is None}
        if FAST_JSON:
            return report.model_dump_json(indent=2, exclude=optional) + "\n"
        return json.dumps(report.model_dump(mode="json", exclude=optional), ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        return _ENV.get_template("report.html.j2").render(r=report, L=L, by_component=report.by_component(),
                                                         charts=_charts(report, L), pengesahan=pengesahan,
                                                         doc_title=L["title"], **_history_args(report, L))
    if fmt in ("checklist", "checklist-html"):
        from sakip_checker.reports.checklist import checklist
    if fmt == "checklist-html":
        return _ENV.get_template("checklist.html.j2").render(r=report, L=L, groups=checklist(report),
                                                             pengesahan=pengesahan,
                                                             doc_title=L["t"]["checklist_judul"],
                                                             **_history_args(report, L))
    if fmt == "checklist":
        return _ENV.get_template("checklist.md.j2").render(r=report, L=L, groups=checklist(report),
                                                           pengesahan=pengesahan, **_history_args(report, L))
    if fmt == "csv":
        return _csv(report, L)
    if fmt == "markdown":
        return _ENV.get_template("findings.md.j2").render(r=report, L=L, by_component=report.by_component(),
                                                         idle=idle_rules(report), lines=location_lines,
                                                         index=location_index(report, L), pengesahan=pengesahan,
                                                         **_history_args(report, L))
    raise ValueError(f"unknown format {fmt!r}")
