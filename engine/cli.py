"""`sakip` command line.

Exit codes: 0 checked (no finding at or above --fail-on), 1 findings at or above --fail-on,
2 bad input (submission, rule files, options: one line per problem), 3 rule-engine failure.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
import tempfile
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
    c.add_argument("--pack", default=None, help="paket aturan (bawaan: pergub-banten-42-2018)")
    c.add_argument("--rules", type=Path, default=None, help="folder paket aturan lain")
    c.add_argument("--set", action="append", default=[], metavar="NAMA=NILAI",
                   help="ubah parameter paket, mis. batas_laporan_bulanan_hari=15")
    c.add_argument("--batas", action="append", default=[], metavar="NAMA=NILAI",
                   help="ubah batas masukan (berkas_mb, simpul, kedalaman, alias, sel, xlsx_mb), mis. berkas_mb=50; "
                   "juga lewat variabel lingkungan SAKIP_BATAS_<NAMA>")
    sub.add_parser("schema", help="cetak JSON Schema berkas pengajuan")
    t = sub.add_parser("template", help="tulis buku kerja Excel kosong untuk diisi OPD (atau terisi dari --dari)")
    t.add_argument("file", type=Path, help="berkas .xlsx yang ditulis")
    t.add_argument("--dari", type=Path, default=None, help="isi buku kerja dengan pengajuan YAML/JSON ini")
    r = sub.add_parser("rules", help="daftar aturan dalam paket")
    r.add_argument("--pack", default=None)
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
        try:
            out[name.strip()] = yaml.load(value, Loader=YamlLoader) if value.strip() else ""
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise InputProblem([f"--set {item}: nilai tidak dapat dibaca (tag YAML dan sintaks yang rusak tidak "
                                f"diizinkan{f', kolom {mark.column + 1}' if mark else ''})"]) from None
    return out


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _refuse_output(output: Path, source: Path) -> None:
    """Problems of ``-o`` found before the check runs: the input itself, a folder."""
    if _same_file(output, source):
        raise InputProblem([f"--output {output}: berkas keluaran sama dengan berkas pengajuan; laporan akan menimpa "
                            "pengajuan. Sebutkan berkas lain"])
    if output.is_dir():
        raise InputProblem([f"--output {output}: ini folder; sebutkan nama berkas, mis. {output / 'laporan.json'}"])


def _write_output(output: Path, content: str | bytes) -> None:
    """Write the report: a regular file is replaced whole (a temporary file renamed over it, so that a failed
    run never leaves half a report); a special file (/dev/null, a FIFO) is written directly. Every failure
    is an input problem with one Indonesian line (exit 2), never an internal error."""
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    try:
        if output.is_symlink():  # write where the link points, as before, not over the link
            output = output.resolve()
        output.parent.mkdir(parents=True, exist_ok=True)
        if output.exists() and not output.is_file():
            with output.open("wb") as handle:
                handle.write(data)
            return
        fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, output)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        reason = {errno.ENOSPC: "ruang disk penuh", errno.EACCES: "tidak ada izin menulis",
                  errno.EPERM: "tidak ada izin menulis", errno.ENOTDIR: "bagian jalurnya bukan folder",
                  errno.EISDIR: "ini folder", errno.EEXIST: "bagian jalurnya bukan folder", errno.EROFS: "sistem berkas hanya-baca"}.get(exc.errno, exc.strerror)
        raise InputProblem([f"--output {output}: laporan tidak dapat ditulis ({reason})"]) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _catalogue(args):
    from engine.rules import DEFAULT_PACK, load_catalogue

    return load_catalogue(args.rules, args.pack or DEFAULT_PACK)


def _check(args) -> int:
    from pydantic import ValidationError

    from engine.evaluate import effective_parameters, evaluate
    from engine.inputs import describe_validation_error
    from engine.submission import load_submission
    from reports import BINARY, render

    if args.format in BINARY and not args.output:
        raise InputProblem([f"--format {args.format} menghasilkan berkas biner: sebutkan --output BERKAS.{args.format}"])
    from engine.inputs import set_limit

    for item in args.batas:
        set_limit(item)
    if args.output:
        _refuse_output(args.output, args.file)
    catalogue = _catalogue(args)
    try:
        params = effective_parameters(catalogue, _overrides(args.set))
    except ValidationError as exc:
        raise InputProblem([f"--set {line}" for line in describe_validation_error(exc, None)]) from None
    submission, document = load_submission(args.file)
    report = evaluate(submission, catalogue, params, document)
    text = render(report, args.format, args.lang)
    if args.output:  # binary formats without --output were refused above
        _write_output(args.output, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    if report.engine_failures:  # the report holds everything else; name what could not be evaluated
        for failure in report.engine_failures:
            print(f"sakip: mesin aturan gagal; aturan {', '.join(failure.rule_ids)} tidak dinilai ({failure.message})",
                  file=sys.stderr)
        return EXIT_ENGINE
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
    from engine.inputs import LIMITS

    limits = dict(vars(LIMITS))  # --batas holds for this run only
    try:
        return _main(argv)
    finally:
        vars(LIMITS).update(limits)


def _main(argv: list[str] | None) -> int:
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
    except BrokenPipeError:  # the reader closed standard output (`| head`): nothing more to say, end quietly
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except OSError:
            pass
        return EXIT_OK
    except Exception as exc:  # never a traceback for users; SAKIP_DEBUG=1 shows it
        if os.environ.get("SAKIP_DEBUG"):
            raise
        print(f"sakip: kesalahan internal ({type(exc).__name__}: {exc}); jalankan ulang dengan SAKIP_DEBUG=1 "
              "dan laporkan", file=sys.stderr)
        return 70


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
