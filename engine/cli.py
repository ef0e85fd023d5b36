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

from sakip_checker.inputs import InputProblem
from sakip_checker.output import refuse_output, write_output

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
        from sakip_checker.evaluate import TOOL

        return TOOL


class _LazyVersion(argparse._VersionAction):
    """--version: the installed version looked up only when asked (the package metadata lookup costs ~77 M
    instructions, ~20 ms, at every start otherwise)."""

    def __call__(self, parser, namespace, values, option_string=None):
        self.version = _version()
        super().__call__(parser, namespace, values, option_string)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors are input errors: exit 2, one line
        raise InputProblem([f"sakip: {message} (lihat `sakip --help`)"])


def _formats(value: str) -> list[str]:
    from sakip_checker.reports import FORMATS

    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        named = ", ".join(unknown) if unknown else repr(value)
        raise argparse.ArgumentTypeError(f"format tidak dikenal: {named} "
                                         f"(pilih dari {', '.join(FORMATS)}; beberapa dipisah koma)")
    return list(dict.fromkeys(names))


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="sakip", description="Pemeriksa kepatuhan SAKIP Provinsi Banten (Pergub 42/2018).")
    p.add_argument("--version", action=_LazyVersion, help="tampilkan versi program lalu keluar")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser, title="perintah",
                           metavar="{check,schema,template,rules,riwayat,tindak-lanjut,pengecualian,banding,web,akun}")
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
    c.add_argument("--pemeriksa", default=None, metavar="NAMA",
                   help="tambahkan blok pengesahan kertas kerja (nama pemeriksa, tanggal, paraf) pada laporan cetak")
    c.add_argument("--tanggal", default=None, metavar="TTTT-BB-HH", type=_date_arg,
                   help="tanggal pemeriksaan: dicetak pada blok pengesahan (bersama atau tanpa --pemeriksa) dan "
                   "menjadi tanggal acuan masa berlaku pengecualian (bawaan: hari ini)")
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
    c.add_argument("--batas", action="append", default=[], metavar="NAMA=NILAI",
                   help="ubah batas masukan (berkas_mb, simpul, kedalaman, alias, sel, xlsx_mb), mis. berkas_mb=50; "
                   "juga lewat variabel lingkungan SAKIP_BATAS_<NAMA>")
    _history_options(c)
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
    _history_parsers(sub)
    from sakip_checker.web.cli import add_parsers as _web_parsers  # `sakip web`, `sakip akun` (engine/web/)

    _web_parsers(sub, _DB_HELP)
    return p


# -- history store, follow-up, waivers, year on year (engine/store, engine/waivers.py, engine/compare.py) -----

_DB_HELP = ("basis data riwayat: berkas SQLite atau postgresql://pengguna:sandi@host/db (bawaan: variabel SAKIP_DB, "
            "atau sakip.db di folder ini)")


def _date_arg(value: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"tanggal tidak sah: {value!r} (bentuk TTTT-BB-HH, mis. 2024-02-20)") from None


def _history_options(c) -> None:
    c.add_argument("--simpan", action="store_true",
                   help="simpan pemeriksaan ini ke basis data riwayat dan tandai setiap temuan baru / berulang / "
                   "selesai terhadap pemeriksaan sebelumnya OPD yang sama")
    c.add_argument("--db", default=None, help=_DB_HELP)
    c.add_argument("--pengecualian", type=Path, default=None, metavar="BERKAS",
                   help="berkas pengecualian (pengecualian.yaml): temuan yang dinilai dapat diterima evaluator, "
                   "dihitung dan ditampilkan terpisah")
    c.add_argument("--oleh", default=None, help="nama evaluator yang menyimpan pemeriksaan (dengan --simpan)")


def _history_parsers(sub) -> None:
    h = sub.add_parser("riwayat", help="daftar pemeriksaan yang tersimpan di basis data riwayat")
    h.add_argument("--opd", default=None, help="hanya OPD ini")
    h.add_argument("--db", default=None, help=_DB_HELP)
    t = sub.add_parser("tindak-lanjut", help="impor status tindak lanjut dari OPD; daftar tindak lanjut terlambat")
    ts = t.add_subparsers(dest="aksi", required=True, parser_class=_Parser, title="aksi", metavar="{impor,terlambat}")
    i = ts.add_parser("impor", help="baca kembali lembar Tindak Lanjut buku kerja temuan yang diisi OPD")
    i.add_argument("file", type=Path, help="buku kerja .xlsx dari `sakip check --format xlsx`, diisi OPD")
    i.add_argument("--oleh", default=None, help="nama yang mengimpor (dicatat di riwayat status)")
    i.add_argument("--db", default=None, help=_DB_HELP)
    o = ts.add_parser("terlambat", help="temuan yang tindak lanjutnya melewati batas waktu (pack.yaml: "
                      "batas_tindak_lanjut_hari)")
    o.add_argument("--opd", default=None, help="hanya OPD ini")
    o.add_argument("--tanggal", type=_date_arg, default=None, metavar="TTTT-BB-HH", help="tanggal acuan (bawaan: hari ini)")
    o.add_argument("--db", default=None, help=_DB_HELP)
    w = sub.add_parser("pengecualian", help="catat atau daftar pengecualian temuan di basis data riwayat")
    ws = w.add_subparsers(dest="aksi", required=True, parser_class=_Parser, title="aksi", metavar="{tambah,daftar}")
    a = ws.add_parser("tambah", help="catat satu pengecualian (sidik jari, atau aturan bersama lokasi)")
    a.add_argument("--sidik-jari", dest="sidik_jari", default=None, help="sidik jari temuan (kolom Sidik jari laporan)")
    a.add_argument("--aturan", default=None, help="id aturan (bersama --lokasi)")
    a.add_argument("--lokasi", default=None, help="jalur lokasi temuan, mis. indikator[2] (bersama --aturan)")
    a.add_argument("--opd", default=None, help="hanya untuk OPD ini (bawaan: semua OPD)")
    a.add_argument("--alasan", required=True, help="alasan evaluator menerima temuan ini")
    a.add_argument("--oleh", required=True, help="nama evaluator")
    a.add_argument("--tanggal", type=_date_arg, default=None, metavar="TTTT-BB-HH", help="tanggal (bawaan: hari ini)")
    a.add_argument("--sampai", type=_date_arg, default=None, metavar="TTTT-BB-HH",
                   help="berlaku sampai tanggal ini (bawaan: tanpa batas)")
    a.add_argument("--db", default=None, help=_DB_HELP)
    d = ws.add_parser("daftar", help="daftar pengecualian yang tercatat")
    d.add_argument("--opd", default=None, help="hanya yang berlaku untuk OPD ini")
    d.add_argument("--db", default=None, help=_DB_HELP)
    b = sub.add_parser("banding", help="bandingkan dua tahun satu OPD: indikator, skor, temuan berulang/baru/selesai")
    b.add_argument("files", nargs="*", type=Path, metavar="BERKAS",
                   help="dua pengajuan (tahun pertama, lalu tahun kedua)")
    b.add_argument("--run", type=int, action="append", default=[], metavar="ID",
                   help="pemeriksaan tersimpan (dua kali, atau sekali bersama satu BERKAS); lihat `sakip riwayat`")
    b.add_argument("--db", default=None, help=_DB_HELP)
    b.add_argument("--format", choices=("markdown", "html"), default="markdown")
    b.add_argument("--output", "-o", type=Path, default=None, help="tulis ke berkas ini (bawaan: layar)")
    b.add_argument("--paket", "--pack", dest="paket", default=None, help="paket aturan (bawaan: menurut tahun)")
    b.add_argument("--rules", type=Path, default=None)


def _history(args, submission, report):
    """Apply waivers (--pengecualian, and the store's with --simpan) and record the run (--simpan)."""
    if not (args.pengecualian or args.simpan):
        if args.db or args.oleh:
            raise InputProblem([f"{'--db' if args.db else '--oleh'} hanya berlaku bersama --simpan"])
        return report
    import datetime as dt
    import hashlib

    from sakip_checker.waivers import apply_waivers, from_store_rows, load_waivers

    waivers = load_waivers(args.pengecualian) if args.pengecualian else []
    store = None
    if args.simpan:
        from sakip_checker.store import open_store

        store = open_store(args.db)
        waivers += from_store_rows(store.waivers(report.submission.opd))
    if waivers or args.pengecualian:
        report = apply_waivers(report, waivers, args.tanggal or dt.date.today())
    if store is not None:
        with store:
            content = hashlib.sha256(submission.model_dump_json().encode()).hexdigest()
            waived = report.pengecualian.dikecualikan if report.pengecualian else []
            riwayat = store.record_run(report, content, oleh=args.oleh, waived=waived)
        report = report.model_copy(update={"riwayat": riwayat})
        print(f"sakip: pemeriksaan disimpan sebagai run #{riwayat.run}"
              + (f" (dibandingkan dengan run #{riwayat.pembanding.run}, tahun {riwayat.pembanding.tahun})"
                 if riwayat.pembanding else " (pemeriksaan pertama OPD ini)"), file=sys.stderr)
    return report


def _md(text) -> str:
    return "-" if text is None or text == "" else str(text).replace("|", "\\|").replace("\n", " ")


def _write_table(headers: list[str], rows: list[list]) -> None:
    """A Markdown table on standard output; every cell made safe for Markdown (``_md``)."""
    sys.stdout.write("| " + " | ".join(headers) + " |\n|" + "---|" * len(headers) + "\n")
    for row in rows:
        sys.stdout.write("| " + " | ".join(_md(cell) for cell in row) + " |\n")


def _riwayat(args) -> int:
    from sakip_checker.store import open_store

    with open_store(args.db) as store:
        runs = store.runs(args.opd)
    _write_table(["Run", "OPD", "Tahun", "Paket", "Disimpan (UTC)", "Temuan (lokasi)", "Pembanding"],
                 [[r["run"], r["opd"], r["tahun"], r["pack"], f"{r['recorded_at']:%Y-%m-%d %H:%M}", r["findings"],
                   r["previous"]] for r in runs])
    return EXIT_OK


def _tindak_lanjut(args) -> int:
    import datetime as dt

    from sakip_checker.store import open_store

    if args.aksi == "impor":
        from sakip_checker.store.followup import read_follow_up

        opd, entries, unchanged = read_follow_up(args.file)
        with open_store(args.db) as store:
            known = store.known_fingerprints(opd)
            unknown = sorted({(e["row"], e["fingerprint"]) for e in entries if e["fingerprint"] not in known})
            if unknown:
                raise InputProblem([f"{args.file}: lembar Tindak Lanjut, baris {row}, kolom Sidik jari: {fp} tidak "
                                    f"ada dalam riwayat {opd} (harapkan temuan pemeriksaan yang disimpan dengan "
                                    "--simpan); tidak ada yang disimpan" for row, fp in unknown])
            n = store.record_follow_ups(opd, entries, oleh=args.oleh, sumber=args.file.name)
        from sakip_checker.store.vocabulary import STATUSES

        counts = {s: sum(1 for e in entries if e["status"] == s) for s in STATUSES}
        print(f"{opd}: {n} status tindak lanjut disimpan (selesai {counts['selesai']}, proses {counts['proses']}, "
              f"belum {counts['belum']}); {unchanged} baris tanpa perubahan (belum, tanpa tanggal dan bukti)")
        return EXIT_OK
    today = args.tanggal or dt.date.today()
    with open_store(args.db) as store:
        items = store.overdue(today, args.opd)
    sys.stdout.write(f"# Tindak lanjut terlambat per {today.isoformat()}\n\n")
    if not items:
        sys.stdout.write("Tidak ada tindak lanjut yang terlambat.\n")
        return EXIT_OK
    from sakip_checker.reports.labels import labels

    severity = labels("id")["severity"]
    _write_table(["OPD", "Tahun", "Aturan", "Tingkat", "Lokasi", "Status", "Sejak", "Batas", "Terlambat (hari)",
                  "Sidik jari"],
                 [[x.opd, x.tahun, x.rule_id, severity[x.severity], f"`{x.path}`", x.status, x.sejak.isoformat(),
                   x.batas.isoformat(), x.hari_terlambat, x.fingerprint] for x in items])
    return EXIT_OK


def _pengecualian(args) -> int:
    import datetime as dt

    from pydantic import ValidationError

    from sakip_checker.store import open_store
    from sakip_checker.waivers import Waiver, _message

    if args.aksi == "daftar":
        with open_store(args.db) as store:
            rows = store.waivers(args.opd)
        _write_table(["No", "OPD", "Sidik jari", "Aturan", "Lokasi", "Alasan", "Oleh", "Tanggal", "Berlaku sampai"],
                     [[r.id, r.opd or "semua OPD", r.fingerprint, r.rule_id, r.path, r.alasan, r.oleh,
                       r.tanggal.isoformat(), r.berlaku_sampai.isoformat() if r.berlaku_sampai else "tanpa batas"]
                      for r in rows])
        return EXIT_OK
    try:
        w = Waiver(sidik_jari=args.sidik_jari, aturan=args.aturan, lokasi=args.lokasi, opd=args.opd,
                   alasan=args.alasan, oleh=args.oleh, tanggal=args.tanggal or dt.date.today(),
                   berlaku_sampai=args.sampai)
    except ValidationError as exc:
        raise InputProblem([f"sakip pengecualian tambah: {_message(e)}" for e in exc.errors()]) from None
    with open_store(args.db) as store:
        number = store.add_waiver(opd=w.opd, fingerprint=w.sidik_jari, rule_id=w.aturan, path=w.lokasi,
                                  alasan=w.alasan, oleh=w.oleh, tanggal=w.tanggal, berlaku_sampai=w.berlaku_sampai)
    print(f"pengecualian #{number} dicatat")
    return EXIT_OK


def _banding(args) -> int:
    from sakip_checker.compare import compare, html_page, markdown, side_of_report, side_of_run

    if len(args.files) + len(args.run) != 2:
        raise InputProblem(["sakip banding: sebutkan tepat dua pemeriksaan: dua BERKAS, dua --run, atau satu "
                            "--run dan satu BERKAS"])
    sides = []
    if args.run:
        from sakip_checker.store import open_store

        with open_store(args.db) as store:
            runs = {r["run"]: r for r in store.runs()}
            for number in args.run:
                if number not in runs:
                    raise InputProblem([f"--run {number}: tidak ada dalam basis data riwayat (lihat `sakip riwayat`)"])
                sides.append(side_of_run(runs[number], store.run_findings(number)))
    for path in args.files:
        from sakip_checker.api import check

        sides.append(side_of_report(check(path, paket=args.paket, rules=args.rules), str(path)))
    sides.sort(key=lambda s: s.tahun)
    result = compare(*sides)
    text = html_page(result) if args.format == "html" else markdown(result)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8", newline="\n")
    else:
        sys.stdout.write(text)
    return EXIT_OK


_HISTORY_COMMANDS = {"riwayat": _riwayat, "tindak-lanjut": _tindak_lanjut, "pengecualian": _pengecualian,
                     "banding": _banding}


def _overrides(items: list[str]) -> dict:
    from sakip_checker.inputs import YamlLoader
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


def _catalogue(args, year: int | None = None):
    from sakip_checker.api import catalogue

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
    from sakip_checker.submission import load_submission

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


def _follow_up_columns(args, summaries: list[dict]) -> list[tuple[str, dict[str, object]]]:
    """With --db: the follow-up status of each OPD's latest stored run (belum / proses / selesai), for the
    recap; nothing without a store."""
    if not (args.db or os.environ.get("SAKIP_DB")):
        return []
    from sakip_checker.store import open_store
    from sakip_checker.store.vocabulary import STATUSES

    with open_store(args.db) as store:
        status = {s["stem"]: store.follow_up_status(s["opd"]) for s in summaries}
    return [(f"Tindak lanjut {name}", {stem: (counts or {}).get(name) for stem, counts in status.items()})
            for name in STATUSES]


def _batch(args) -> int:
    """Several files or a folder: a pool of workers (engine.batch), outputs per OPD and the recap in --output."""
    from sakip_checker.batch import STATUS_LABEL, collect_files, exit_code, run_batch
    from sakip_checker.reports.recap import recap_html, recap_xlsx

    if not args.output:
        raise InputProblem(["beberapa berkas atau folder: sebutkan --output FOLDER (keluaran per OPD dan rekap)"])
    if STDIN in [str(f) for f in args.file]:
        raise InputProblem(["- (masukan standar) hanya untuk satu berkas"])
    if args.proses is not None and args.proses < 1:
        raise InputProblem([f"--proses {args.proses}: paling sedikit 1"])
    if args.simpan or args.pengecualian:
        raise InputProblem(["--simpan dan --pengecualian berlaku untuk satu berkas per pemeriksaan; jalankan "
                            "`sakip check BERKAS --simpan` untuk setiap OPD"])
    from sakip_checker.inputs import set_limit

    for item in args.batas:  # the workers are forked from this process: they inherit the limits
        set_limit(item)
    files = collect_files(args.file)
    options = {"output": str(args.output), "formats": args.format, "extensions": EXTENSIONS, "lang": args.lang,
               "paket": args.paket, "rules": str(args.rules) if args.rules else None,
               "overrides": _overrides(args.set), "fail_on": args.fail_on,
               "pemeriksa": args.pemeriksa, "tanggal": args.tanggal}
    results = run_batch(files, options, workers=args.proses)
    summaries = [r.summary for r in results if r.summary is not None]
    failures = [(r.file, STATUS_LABEL[r.status], r.lines) for r in results if r.summary is None]
    extra = _follow_up_columns(args, summaries)
    (args.output / "rekap.html").write_text(recap_html(summaries, failures, extra), encoding="utf-8", newline="\n")
    (args.output / "rekap.xlsx").write_bytes(recap_xlsx(summaries, failures, extra))
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
    global _QUICK_EXIT
    _QUICK_EXIT = not (args.simpan or args.pengecualian)  # the store is closed by its own exit, not skipped

    from sakip_checker.evaluate import effective_parameters, evaluate
    from sakip_checker.inputs import describe_validation_error, set_limit
    from sakip_checker.reports import BINARY, render
    from sakip_checker.reports.formats import Pengesahan

    formats = args.format
    if len(formats) > 1 and not args.output:
        raise InputProblem([f"--format {','.join(formats)}: beberapa format ditulis ke satu folder: sebutkan "
                            "--output FOLDER"])
    if len(formats) == 1 and formats[0] in BINARY and not args.output:
        raise InputProblem([f"--format {formats[0]} menghasilkan berkas biner: sebutkan --output BERKAS.{formats[0]}"])
    for item in args.batas:
        set_limit(item)
    if args.output and len(formats) == 1:
        refuse_output(args.output, args.file)
    submission, document = _load(args)
    catalogue = _catalogue(args, submission.profil.tahun)
    try:
        params = effective_parameters(catalogue, _overrides(args.set))
    except ValidationError as exc:
        raise InputProblem([f"--set {line}" for line in describe_validation_error(exc, None)]) from None
    report = evaluate(submission, catalogue, params, document)
    report = _history(args, submission, report)  # waivers and --simpan
    if len(formats) > 1:
        stem = "laporan" if str(args.file) == STDIN else args.file.stem
        targets = [(fmt, args.output / f"{stem}.{EXTENSIONS[fmt]}") for fmt in formats]
        for _, target in targets:
            refuse_output(target, args.file)
    else:
        targets = [(formats[0], args.output)]
    for fmt, target in targets:
        text = render(report, fmt, args.lang, Pengesahan(args.pemeriksa, args.tanggal), pack_dir=catalogue.root)
        if target:  # binary formats without --output were refused above
            write_output(target, text)
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
    from sakip_checker.excel import is_workbook, write_workbook
    from sakip_checker.submission import load_submission

    if not is_workbook(args.file):
        raise InputProblem([f"{args.file}: nama berkas templat harus berakhiran .xlsx"])
    submission = load_submission(args.dari)[0] if args.dari else None
    args.file.parent.mkdir(parents=True, exist_ok=True)
    write_workbook(args.file, submission)
    return EXIT_OK


def _rules(args) -> int:
    catalogue = _catalogue(args)
    if args.coverage:
        from sakip_checker.coverage import coverage_markdown, coverage_rows

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
    else:  # the labels of the reports: "Pelaporan Kinerja", "Berat", not the rule files' keys
        from sakip_checker.reports.labels import labels

        L = labels("id")
        sys.stdout.write("| Aturan | Komponen | Tingkat | Kewajiban | Dasar |\n|---|---|---|---|---|\n")
        for row in rows:
            sys.stdout.write(f"| {row['id']} | {L['components'][row['component']]} | {L['severity'][row['severity']]} | "
                             f"{row['title']} | {row['citation']} |\n")
    return EXIT_OK


def _utf8_streams() -> None:
    """Reports and messages are UTF-8 on every platform, whatever the locale (e.g. cp1252 on Windows)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (getattr(stream, "encoding", "") or "").lower().replace("-", "") != "utf8":
            reconfigure(encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    from sakip_checker.inputs import LIMITS

    limits = dict(vars(LIMITS))  # --batas holds for this run only
    try:
        code = _main(argv)
    finally:
        vars(LIMITS).update(limits)
    if argv is None and _QUICK_EXIT and QUICK_EXIT:
        _exit_now(code)
    return code


# The `sakip` command itself (main() reading sys.argv), after one file was checked without the store: the
# report is written and nothing is left to release, so the process ends without the interpreter's teardown
# (freeing every object of the submission, facts and report one by one: ~140 M instructions at 1x).
QUICK_EXIT = True
_QUICK_EXIT = False


def _exit_now(code: int) -> None:
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:  # noqa: BLE001 - the ordinary exit then says what it has to say
        return
    os._exit(code)


def _main(argv: list[str] | None) -> int:
    from sakip_checker.durable import EngineError

    _utf8_streams()
    try:
        with _indonesian_argparse():
            args = _parser().parse_args(argv)
        if args.command == "schema":
            from sakip_checker.api import report_schema
            from sakip_checker.model import Submission

            schema = report_schema() if args.laporan else Submission.model_json_schema()
            sys.stdout.write(json.dumps(schema, ensure_ascii=False, indent=2) + "\n")
            return EXIT_OK
        if args.command == "rules":
            return _rules(args)
        if args.command == "template":
            return _template(args)
        if args.command in _HISTORY_COMMANDS:
            return _HISTORY_COMMANDS[args.command](args)
        if args.command in ("web", "akun"):
            from sakip_checker.web.cli import run as _web_run

            return _web_run(args)
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
