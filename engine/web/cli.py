"""The `sakip web` and `sakip akun` commands (registered by engine/cli.py). The web framework is imported only
when `sakip web` runs, so the other commands do not load it."""

from __future__ import annotations

import os
import sys

from sakip_checker.inputs import InputProblem

DEMO_PASSWORD_ENV = "SAKIP_DEMO_SANDI"  # the demo accounts' password (default: a random one per start)


def add_parsers(sub, db_help: str) -> None:
    w = sub.add_parser("web", help="jalankan halaman web (unggah, laporan, riwayat, tindak lanjut, rekap) di atas "
                       "basis data riwayat")
    w.add_argument("--db", default=None, help=db_help)
    w.add_argument("--host", default="127.0.0.1", help="alamat yang didengarkan (bawaan: 127.0.0.1, hanya komputer "
                   "ini; 0.0.0.0 untuk jaringan kantor, sebaiknya di belakang proksi https)")
    w.add_argument("--port", type=int, default=8000, help="port (bawaan: 8000)")
    w.add_argument("--demo", action="store_true", help="buat akun demo (satu per peran dan satu akun OPD per contoh "
                   "bawaan) dan cetak nama pengguna serta kata sandinya; jangan dipakai di server sungguhan")
    w.add_argument("--batas", action="append", default=[], metavar="NAMA=NILAI",
                   help="ubah batas masukan unggahan (berkas_mb, simpul, kedalaman, alias, baris, sel, xlsx_mb); "
                   "juga lewat variabel lingkungan SAKIP_BATAS_<NAMA>")
    w.add_argument("--batas-waktu", dest="batas_waktu", type=float, default=120.0, metavar="DETIK",
                   help="lama pemeriksaan satu unggahan paling lama, dalam detik (bawaan: 120)")
    w.add_argument("--batas-memori", dest="batas_memori", type=int, default=None, metavar="MB",
                   help="memori (resident) satu proses pemeriksa paling besar, dalam MB; di atasnya proses dihentikan dan unggahan itu ditolak (bawaan: 2048)")
    w.add_argument("--proses", type=int, default=None, metavar="N",
                   help="jumlah unggahan yang diperiksa bersamaan (bawaan: jumlah inti prosesor)")
    w.add_argument("--cookie-aman", dest="cookie_aman", action="store_true",
                   help="cookie sesi selalu bertanda Secure (pakai bila server di belakang proksi https)")
    a = sub.add_parser("akun", help="kelola akun halaman web (buat administrator pertama)")
    aa = a.add_subparsers(dest="aksi", required=True, title="aksi", metavar="{buat-admin}",
                          parser_class=sub._parser_class)
    b = aa.add_parser("buat-admin", help="buat akun administrator; kata sandi diminta (atau dibaca dari masukan "
                      "standar), tidak pernah sebagai argumen")
    b.add_argument("nama", metavar="NAMA", help="nama pengguna administrator, mis. admin")
    b.add_argument("--nama-lengkap", dest="nama_lengkap", default=None, help="nama lengkap (bawaan: NAMA)")
    b.add_argument("--db", default=None, help=db_help)


def run(args) -> int:
    if args.command == "akun":
        return _buat_admin(args)
    return _web(args)


def _read_password() -> str:
    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        first = getpass.getpass("Kata sandi: ")
        if getpass.getpass("Ulangi kata sandi: ") != first:
            raise InputProblem(["sakip akun buat-admin: kedua kata sandi tidak sama; tidak ada akun yang dibuat"])
        return first
    line = sys.stdin.readline() if sys.stdin is not None else ""
    return line.rstrip("\r\n")


def _buat_admin(args) -> int:
    from sakip_checker.store import open_store
    from sakip_checker.web.accounts import AccountProblem, create_account

    password = _read_password()
    with open_store(args.db) as store:
        try:
            create_account(store, args.nama, args.nama_lengkap or args.nama, "admin", None, password)
        except AccountProblem as exc:
            raise InputProblem([f"sakip akun buat-admin: {exc}; tidak ada akun yang dibuat"]) from None
    print(f"akun administrator {args.nama.strip().lower()!r} dibuat; masuk di halaman /masuk dari `sakip web`")
    return 0


def _web(args) -> int:
    from sakip_checker.inputs import set_limit

    for item in args.batas:
        set_limit(item)
    if args.batas_waktu <= 0:
        raise InputProblem([f"--batas-waktu {args.batas_waktu:g}: harus lebih dari 0 detik"])
    if args.batas_memori is not None and args.batas_memori < 128:
        raise InputProblem([f"--batas-memori {args.batas_memori}: paling sedikit 128 MB"])
    if args.proses is not None and args.proses < 1:
        raise InputProblem([f"--proses {args.proses}: paling sedikit 1"])
    if not 0 < args.port < 65536:
        raise InputProblem([f"--port {args.port}: harus 1-65535"])
    import socket

    try:  # a port already taken is one line, not uvicorn's English error after the start-up lines
        family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((args.host, args.port))
    except OSError as exc:
        raise InputProblem([f"--host {args.host} --port {args.port}: tidak dapat dipakai ({exc.strerror}); pilih port "
                            "lain dengan --port N"]) from None
    import uvicorn

    from sakip_checker.web.app import create_app

    demo_password = os.environ.get(DEMO_PASSWORD_ENV) or None
    if demo_password is not None and len(demo_password) < 10:
        raise InputProblem([f"{DEMO_PASSWORD_ENV}: kata sandi demo paling sedikit 10 karakter"])
    app = create_app(args.db, demo=args.demo, demo_password=demo_password, timeout=args.batas_waktu,
                     workers=args.proses, secure_cookies=args.cookie_aman, memory_mb=args.batas_memori)
    from sakip_checker.web.accounts import accounts

    if not accounts(app.state.store):
        print("sakip web: belum ada akun; buat administrator pertama dengan `sakip akun buat-admin NAMA"
              + (f" --db {args.db}" if args.db else "") + "` (atau coba dengan --demo)")
    if app.state.demo_accounts:
        print("sakip web: akun demo (hanya untuk mencoba, jangan dipakai di server sungguhan):")
        for a in app.state.demo_accounts:
            print(f"  pengguna: {a['username']}  sandi: {a['password']}  peran: {a['role']}"
                  + (f"  OPD: {a['opd']}" if a["opd"] else ""))
        if not any(a["role"] == "opd" for a in app.state.demo_accounts):
            print("  (contoh bawaan, folder examples/, tidak ditemukan di folder ini: akun OPD demo tidak dibuat; "
                  "jalankan dari folder sakip-checker untuk akun OPD per contoh)")
    if args.host not in ("127.0.0.1", "localhost", "::1") and not args.cookie_aman:
        print("sakip web: peringatan: server terbuka untuk jaringan; pasang di belakang proksi https dan jalankan "
              "dengan --cookie-aman agar kata sandi dan cookie sesi tidak terkirim tanpa enkripsi", file=sys.stderr)
    from sakip_checker.web.jobs import warm

    warm()
    print(f"sakip web: buka http://{args.host}:{args.port}/ (berhenti: Ctrl+C)", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", server_header=False)
    return 0
