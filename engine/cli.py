"""`sakip` command line.

Exit codes: 0 checked (no finding at or above --fail-on), 1 findings at or above --fail-on,
2 bad input (submission, rule files, options: one line per problem), 3 rule-engine failure.
A batch (`sakip check FOLDER/ -o DIR/`, or several files) exits with the worst over its files, 4 meaning a
worker process stopped on a file (crash) or an internal error; see engine/batch.py.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path

from engine.inputs import InputProblem

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_ENGINE = 0, 1, 2, 3
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
# The file names of each format when several are written into one folder (--format html,xlsx -o DIR/).
EXTENSIONS = {"json": "json", "markdown": "md", "csv": "csv", "checklist": "tindak-lanjut.md",
              "checklist-html": "tindak-lanjut.html", "html": "html", "xlsx": "xlsx",
              "lke": "lke.xlsx"}
STDIN = "-"
STDIN_FORMATS = ("yaml", "json", "xlsx")

# argparse's own messages, in Indonesian (Python 3.11 and 3.12 wording); anything not listed stays as is.
_ARGPARSE_ID = {
    "usage: ": "penggunaan: ",
    "positional arguments": "argumen posisi",
    "options": "opsi",
    "optional arguments": "opsi",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "show program's version number and exit": "tampilkan versi program lalu keluar",
    "the following arguments are required: %s": "argumen berikut wajib diisi: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "pilihan tidak sah: %(value)r (pilih salah satu: %(choices)s)",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "expected one argument": "perlu satu nilai",
    "expected at most one argument": "paling banyak satu nilai",
    "expected at least one argument": "paling sedikit satu nilai",
    "ambiguous option: %(option)s could match %(matches)s": "opsi ambigu: %(option)s dapat berarti %(matches)s",
    "invalid %(type)s value: %(value)r": "nilai %(type)s tidak sah: %(value)r",
    "not allowed with argument %s": "tidak boleh bersama argumen %s",
    "ignored explicit argument %r": "argumen %r diabaikan",
    "one of the arguments %s is required": "salah satu argumen %s wajib diisi",
    "%(prog)s: error: %(message)s\n": "%(prog)s: kesalahan: %(message)s\n",
}
_ARGPARSE_ID_N = {("expected %s argument", "expected %s arguments"): "perlu %s nilai"}


@contextlib.contextmanager
def _indonesian_argparse():
    """argparse looks its messages up through the module globals ``_`` and ``ngettext`` at call time: swap
    them for the Indonesian wording while the command line is built and parsed, then put them back."""
    saved = argparse._, argparse.ngettext
    argparse._ = lambda text: _ARGPARSE_ID.get(text, text)
    argparse.ngettext = lambda one, many, n: _ARGPARSE_ID_N.get((one, many), one if n == 1 else many)
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"sakip-checker {version('sakip-checker')}"
    except PackageNotFoundError:  # run from a checkout that was never installed
        from engine.evaluate import TOOL

        return TOOL


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors are input errors: exit 2, one line
        raise InputProblem([f"sakip: {message} (lihat `sakip --help`)"])


def _formats(value: str) -> list[str]:
    from reports import FORMATS

    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        named = ", ".join(unknown) if unknown else repr(value)
        raise argparse.ArgumentTypeError(f"format tidak dikenal: {named} "
                                         f"(pilih dari {', '.join(FORMATS)}; beberapa dipisah koma)")
    return list(dict.fromkeys(names))


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="sakip", description="Pemeriksa kepatuhan SAKIP Provinsi Banten (Pergub 42/2018).")
    p.add_argument("--version", action="version", version=_version(), help="tampilkan versi program lalu keluar")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser, title="perintah",
                           metavar="{check,schema,template,rules}")
    c = sub.add_parser("check", help="periksa berkas pengajuan (YAML/JSON/xlsx), beberapa berkas, atau satu folder")
    c.add_argument("file", type=Path, nargs="+",
                   help="pengajuan: YAML, JSON, atau buku kerja .xlsx dari `sakip template`; "
                   "- membaca masukan standar (jenisnya dari --masukan, atau dikenali dari isinya). Beberapa berkas "
                   "atau folder: diperiksa sekaligus oleh beberapa proses, keluaran per OPD dan rekap ke --output FOLDER")
    c.add_argument("--proses", type=int, default=None, metavar="N",
                   help="jumlah proses pemeriksa untuk beberapa berkas (bawaan: jumlah inti prosesor)")
    c.add_argument("--masukan", choices=STDIN_FORMATS, default=None,
                   help="jenis isi masukan standar (bawaan: dikenali dari isinya)")
    c.add_argument("--format", type=_formats, default=["markdown"], metavar="FORMAT[,FORMAT...]",
                   help="json, markdown, csv, checklist, checklist-html, html, xlsx; beberapa dipisah koma "
                   "(lalu --output FOLDER). csv: satu baris per temuan, pemisah titik koma (kertas kerja "
                   "Inspektorat); checklist / checklist-html: daftar tindak lanjut per jabatan; html: laporan "
                   "satu halaman; xlsx: temuan dan daftar tindak lanjut dengan kolom status (wajib --output); lke: kertas kerja "
                   "evaluator per kriteria LKE PermenPANRB 88/2021 dengan usulan jawaban (wajib --output)")
    c.add_argument("--output", "-o", type=Path,
                   help="tulis ke berkas ini (bawaan: layar); dengan beberapa format, atau beberapa berkas/folder "
                   "pengajuan: folder tujuan (keluaran per OPD, rekap.html dan rekap.xlsx)")
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
    sc = sub.add_parser("schema", help="cetak JSON Schema berkas pengajuan (atau laporan: --laporan)")
    sc.add_argument("--laporan", action="store_true", help="JSON Schema laporan (keluaran --format json)")
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
    from engine.api import catalogue

    return catalogue(year, args.paket, args.rules)


def _sniff(content: bytes) -> str:
    """The kind of a submission read from standard input: a workbook is a zip file, JSON opens with { or [."""
    if content[:4] == b"PK\x03\x04":
        return "xlsx"
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return "json" if head in (b"{", b"[") else "yaml"


def _load(args):
    """The submission of ``args.file``; ``-`` reads standard input through a private temporary file, and
    every message then names it "<stdin>"."""
    from engine.submission import load_submission

    if str(args.file) != STDIN:
        return load_submission(args.file)
    import tempfile  # only for standard input: not imported by every check

    content = sys.stdin.buffer.read()
    kind = args.masukan or _sniff(content)
    with tempfile.TemporaryDirectory(prefix="sakip-") as tmp:
        path = Path(tmp) / f"stdin.{kind}"
        path.write_bytes(content)
        try:
            submission, document = load_submission(path)
        except InputProblem as exc:
            raise InputProblem([line.replace(str(path), "<stdin>") for line in exc.lines]) from None
    document.path = Path("<stdin>")
    return submission, document


def _batch(args) -> int:
    """Several files or a folder: a pool of workers (engine.batch), outputs per OPD and the recap in --output."""
    from engine.batch import STATUS_LABEL, collect_files, exit_code, run_batch
    from reports.recap import recap_html, recap_xlsx

    if not args.output:
        raise InputProblem(["beberapa berkas atau folder: sebutkan --output FOLDER (keluaran per OPD dan rekap)"])
    if STDIN in [str(f) for f in args.file]:
        raise InputProblem(["- (masukan standar) hanya untuk satu berkas"])
    if args.proses is not None and args.proses < 1:
        raise InputProblem([f"--proses {args.proses}: paling sedikit 1"])
    files = collect_files(args.file)
    options = {"output": str(args.output), "formats": args.format, "extensions": EXTENSIONS, "lang": args.lang,
               "paket": args.paket, "rules": str(args.rules) if args.rules else None,
               "overrides": _overrides(args.set), "fail_on": args.fail_on}
    results = run_batch(files, options, workers=args.proses)
    summaries = [r.summary for r in results if r.summary is not None]
    failures = [(r.file, STATUS_LABEL[r.status], r.lines) for r in results if r.summary is None]
    (args.output / "rekap.html").write_text(recap_html(summaries, failures), encoding="utf-8", newline="\n")
    (args.output / "rekap.xlsx").write_bytes(recap_xlsx(summaries, failures))
    for r in results:
        for line in r.lines:
            print(line, file=sys.stderr)
    counts = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    told = ", ".join(f"{n} {STATUS_LABEL[s]}" for s, n in sorted(counts.items(), key=lambda kv: STATUS_LABEL[kv[0]]))
    print(f"sakip: {len(results)} berkas: {told}; rekap: {args.output / 'rekap.html'}, "
          f"{args.output / 'rekap.xlsx'}", file=sys.stderr)
    return exit_code(results)


def _check(args) -> int:
    from pydantic import ValidationError

    if len(args.file) > 1 or args.file[0].is_dir():
        return _batch(args)
    args.file = args.file[0]

    from engine.evaluate import effective_parameters, evaluate
    from engine.inputs import describe_validation_error
    from reports import BINARY, render

    formats = args.format
    if len(formats) > 1 and not args.output:
        raise InputProblem([f"--format {','.join(formats)}: beberapa format ditulis ke satu folder: sebutkan "
                            "--output FOLDER"])
    if len(formats) == 1 and formats[0] in BINARY and not args.output:
        raise InputProblem([f"--format {formats[0]} menghasilkan berkas biner: sebutkan --output BERKAS.{formats[0]}"])
    submission, document = _load(args)
    catalogue = _catalogue(args, submission.profil.tahun)
    try:
        params = effective_parameters(catalogue, _overrides(args.set))
    except ValidationError as exc:
        raise InputProblem([f"--set {line}" for line in describe_validation_error(exc, None)]) from None
    report = evaluate(submission, catalogue, params, document)
    if len(formats) > 1:
        stem = "laporan" if str(args.file) == STDIN else args.file.stem
        targets = [(fmt, args.output / f"{stem}.{EXTENSIONS[fmt]}") for fmt in formats]
    else:
        targets = [(formats[0], args.output)]
    for fmt, target in targets:
        text = render(report, fmt, args.lang)
        if target:  # binary formats without --output were refused above
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                target.write_bytes(text)
            else:
                target.write_text(text, encoding="utf-8", newline="\n")
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


def _utf8_streams() -> None:
    """Reports and messages are UTF-8 on every platform, whatever the locale (e.g. cp1252 on Windows)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (getattr(stream, "encoding", "") or "").lower().replace("-", "") != "utf8":
            reconfigure(encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    from engine.durable import EngineError

    _utf8_streams()
    try:
        with _indonesian_argparse():
            args = _parser().parse_args(argv)
        if args.command == "schema":
            from engine.api import report_schema
            from engine.model import Submission

            schema = report_schema() if args.laporan else Submission.model_json_schema()
            sys.stdout.write(json.dumps(schema, ensure_ascii=False, indent=2) + "\n")
            return EXIT_OK
        if args.command == "rules":
            return _rules(args)
        if args.command == "template":
            return _template(args)
        import gc

        enabled = gc.isenabled()
        gc.disable()  # a check is short-lived: no cyclic collection (batch workers collect between files)
        try:
            return _check(args)
        finally:
            if enabled:  # main() called in a longer-lived process (tests, another program)
                gc.enable()
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
