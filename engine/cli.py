"""`sakip` command line.

Exit codes: 0 checked (no finding at or above --fail-on), 1 findings at or above --fail-on,
2 bad input (submission, rule files, options: one line per problem), 3 rule-engine failure.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from engine.inputs import InputProblem

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_ENGINE = 0, 1, 2, 3
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors are input errors: exit 2, one line
        raise InputProblem([f"sakip: {message} (lihat `sakip --help`)"])


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="sakip", description="Pemeriksa kepatuhan SAKIP Provinsi Banten (Pergub 42/2018).")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    c = sub.add_parser("check", help="periksa satu berkas pengajuan (YAML/JSON)")
    c.add_argument("file", type=Path, help="pengajuan: YAML, JSON, atau buku kerja .xlsx dari `sakip template`")
    c.add_argument("--format", choices=("json", "markdown", "csv", "checklist", "checklist-html", "html", "xlsx"),
                   default="markdown",
                   help="csv: satu baris per temuan, pemisah titik koma (kertas kerja Inspektorat); "
                   "checklist / checklist-html: daftar tindak lanjut per jabatan; html: laporan satu halaman; "
                   "xlsx: temuan dan daftar tindak lanjut dengan kolom status (wajib --output)")
    c.add_argument("--output", "-o", type=Path, help="tulis ke berkas ini (bawaan: layar)")
    c.add_argument("--fail-on", choices=("error", "warning", "info", "never"), default="never",
                   help="keluar dengan kode 1 bila ada temuan setingkat ini atau lebih berat")
    c.add_argument("--lang", choices=("id",), default="id",
                   help="bahasa laporan (label dalam satu katalog: reports/labels.py)")
    c.add_argument("--paket", "--pack", dest="paket", default=None,
                   help="paket aturan (bawaan: paket yang masa berlakunya memuat profil.tahun, atau yang terdekat; "
                   "laporan menyebut bila tahun di luar masa berlaku)")
    c.add_argument("--rules", type=Path, default=None, help="folder berisi paket aturan lain (satu subfolder per paket)")
    c.add_argument("--set", action="append", default=[], metavar="NAMA=NILAI",
                   help="ubah parameter paket, mis. batas_laporan_bulanan_hari=15")
    sub.add_parser("schema", help="cetak JSON Schema berkas pengajuan")
    t = sub.add_parser("template", help="tulis buku kerja Excel kosong untuk diisi OPD (atau terisi dari --dari)")
    t.add_argument("file", type=Path, help="berkas .xlsx yang ditulis")
    t.add_argument("--dari", type=Path, default=None, help="isi buku kerja dengan pengajuan YAML/JSON ini")
    r = sub.add_parser("rules", help="daftar aturan dalam paket")
    r.add_argument("--paket", "--pack", dest="paket", default=None,
                   help="paket aturan (bawaan: pergub-banten-42-2018, atau satu-satunya paket di --rules)")
    r.add_argument("--rules", type=Path, default=None)
    r.add_argument("--format", choices=("markdown", "json"), default="markdown")
    r.add_argument("--coverage", action="store_true", help="tabel cakupan: setiap kewajiban -> aturannya")
    return p


def _overrides(items: list[str]) -> dict:
    from engine.inputs import YamlLoader
    import yaml

    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise InputProblem([f"--set {item}: bentuknya NAMA=NILAI"])
        out[name.strip()] = yaml.load(value, Loader=YamlLoader) if value.strip() else ""
    return out


def _catalogue(args, year: int | None = None):
    """The pack named by --paket; else the one in force in ``year`` (or the nearest); else, to list rules,
    the bundled pack or the only pack of --rules."""
    from engine.pack import pack_dirs, pack_for_year
    from engine.rules import DEFAULT_PACK, RULES_ROOT, load_catalogue

    root = args.rules or RULES_ROOT
    if args.paket:
        chosen_by, name = "paket", args.paket
    elif year is not None:
        chosen_by, name = "tahun", pack_for_year(root, year)
    else:
        names = [d.name for d in pack_dirs(root)]
        if DEFAULT_PACK not in names and len(names) > 1:
            raise InputProblem([f"{root}: sebutkan --paket (yang ada: {', '.join(names)})"])
        chosen_by, name = None, DEFAULT_PACK if DEFAULT_PACK in names or not names else names[0]
    catalogue = load_catalogue(root, name)
    catalogue.chosen_by = chosen_by
    return catalogue


def _check(args) -> int:
    from pydantic import ValidationError

    from engine.evaluate import effective_parameters, evaluate
    from engine.inputs import describe_validation_error
    from engine.submission import load_submission
    from reports import BINARY, render

    if args.format in BINARY and not args.output:
        raise InputProblem([f"--format {args.format} menghasilkan berkas biner: sebutkan --output BERKAS.{args.format}"])
    submission, document = load_submission(args.file)
    catalogue = _catalogue(args, submission.profil.tahun)
    try:
        params = effective_parameters(catalogue, _overrides(args.set))
    except ValidationError as exc:
        raise InputProblem([f"--set {line}" for line in describe_validation_error(exc, None)]) from None
    report = evaluate(submission, catalogue, params, document)
    text = render(report, args.format, args.lang)
    if args.output:  # binary formats without --output were refused above
        args.output.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            args.output.write_bytes(text)
        else:
            args.output.write_text(text, encoding="utf-8", newline="\n")
    else:
        sys.stdout.write(text)
    if args.fail_on != "never":
        threshold = SEVERITY_RANK[args.fail_on]
        if any(SEVERITY_RANK[f.severity] >= threshold for f in report.findings):
            return EXIT_FINDINGS
    return EXIT_OK


def _template(args) -> int:
    from engine.excel import is_workbook, write_workbook
    from engine.submission import load_submission

    if not is_workbook(args.file):
        raise InputProblem([f"{args.file}: nama berkas templat harus berakhiran .xlsx"])
    submission = load_submission(args.dari)[0] if args.dari else None
    args.file.parent.mkdir(parents=True, exist_ok=True)
    write_workbook(args.file, submission)
    return EXIT_OK


def _rules(args) -> int:
    catalogue = _catalogue(args)
    if args.coverage:
        from engine.coverage import coverage_markdown, coverage_rows

        if args.format == "json":
            rows = [{"obligation": o.id, "ref": o.ref, "auto": o.auto, "rules": rules,
                     "note": catalogue.pack.catatan.get(o.id)} for o, rules in coverage_rows(catalogue)]
            sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        else:
            sys.stdout.write(coverage_markdown(catalogue))
        return EXIT_OK
    rows = [{"id": cr.rule.id, "name": cr.rule.name, "component": cr.rule.component, "severity": cr.rule.severity,
             "title": cr.rule.title, "citation": cr.rule.citation.label(catalogue.regulations),
             "obligations": cr.rule.obligations} for cr in catalogue.rules]
    if args.format == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write("| Aturan | Komponen | Tingkat | Kewajiban | Dasar |\n|---|---|---|---|---|\n")
        for row in rows:
            sys.stdout.write(f"| {row['id']} | {row['component']} | {row['severity']} | {row['title']} | "
                             f"{row['citation']} |\n")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    from engine.durable import EngineError

    try:
        args = _parser().parse_args(argv)
        if args.command == "schema":
            from engine.model import Submission

            sys.stdout.write(json.dumps(Submission.model_json_schema(), ensure_ascii=False, indent=2) + "\n")
            return EXIT_OK
        if args.command == "rules":
            return _rules(args)
        if args.command == "template":
            return _template(args)
        return _check(args)
    except InputProblem as exc:
        for line in exc.lines:
            print(line, file=sys.stderr)
        return EXIT_INPUT
    except EngineError as exc:
        print(f"sakip: mesin aturan gagal: {exc}", file=sys.stderr)
        return EXIT_ENGINE
    except Exception as exc:  # never a traceback for users; SAKIP_DEBUG=1 shows it
        if os.environ.get("SAKIP_DEBUG"):
            raise
        print(f"sakip: kesalahan internal ({type(exc).__name__}: {exc}); jalankan ulang dengan SAKIP_DEBUG=1 "
              "dan laporkan", file=sys.stderr)
        return 70


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
