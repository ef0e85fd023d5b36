"""Benchmark: a province-size synthetic submission (300 indicators x 12 monthly reports, an LKjIP with budget
tables, statements, series and comparisons; ~10,500 facts with the derived ones) through the whole catalogue.

    .venv/bin/python bench/benchmark.py [--submissions 40] [--seed 1]
    .venv/bin/python bench/benchmark.py --instructions     # needs valgrind; ~3 minutes
    .venv/bin/python bench/benchmark.py --batch 40         # a province: 40 files through `sakip check FOLDER/`
    .venv/bin/python bench/benchmark.py --batch 4 --instructions   # counted: one 1x `sakip check`, and the batch

Prints the time per submission (facts + checks + durable-rules + findings), for N submissions in one
process, and for the whole `sakip check` process on a YAML file (start-up, parsing, rendering included).
Goals from the core issue: <= 150 ms per submission for the engine, <= 1.5 s for the process.
A benchmark, not a test: timings are printed, never asserted.

On a noisy machine (shared or virtual: wall and CPU time can vary 2x within minutes) ``--instructions``
counts instead of timing: valgrind's callgrind counts the instructions of a run with 1 and with 3
evaluations of the same submission, and the difference / 2 is the cost of one evaluation, stable to about 1 %
(hash randomisation changes set and dict order between runs). Compare two versions with it; convert to time on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sakip_checker.evaluate import evaluate  # noqa: E402
from sakip_checker.facts import build_facts  # noqa: E402
from sakip_checker.numbers import format_number, parse_target  # noqa: E402
from sakip_checker.rules import load_catalogue  # noqa: E402
from sakip_checker.submission import build_submission  # noqa: E402

MONTHS = 12
EVALUATIONS = 9  # timed evaluations of the first submission (median, min, max)


def make_submission(seed: int, n_sasaran: int = 20, programs_per_sasaran: int = 4, kegiatan_per_program: int = 2.5) -> dict:
    """300 indicators (20 sasaran, 80 program, 200 kegiatan), one Eselon III per 8 programs, one Eselon IV
    per 5 kegiatan, PKs, Rencana Aksi, 12 monthly reports (capaian stated where the PK target is a number)
    and an LKjIP of the sasaran and programs; ~3 % of values carry a defect."""
    rnd = random.Random(seed)
    year = 2023
    jabatan = [{"id": "KADIS", "nama": "Kepala Dinas Sintetis", "eselon": "II"}]
    indikator, pk_rows = [], {"KADIS": []}
    n_program = n_sasaran * programs_per_sasaran
    n_kegiatan = int(n_program * kegiatan_per_program)

    def target():
        return rnd.choice(["100%", "90", "3,40", "24 Dokumen", "12 Laporan", "85,5%"])

    def defect(text):
        return rnd.choice(["70-80", "100 % 100%", ""]) if rnd.random() < 0.03 else text

    for s in range(n_sasaran):
        indikator.append({"id": f"S{s}", "level": "sasaran", "uraian": f"Meningkatnya layanan sektor {s}",
                          "nama": f"Indeks kepuasan layanan sektor {s}", "satuan": "Indeks", "target": "3,40",
                          "definisi": "Rata-rata skor survei", "sumber_data": "Survei", "penanggung_jawab": "KADIS",
                          "iku": s < 5})
        pk_rows["KADIS"].append({"indikator": f"S{s}", "target": "3,40", "bobot": "5"})
    for p in range(n_program):
        boss = f"KABID{p // 8}"
        if not any(j["id"] == boss for j in jabatan):
            jabatan.append({"id": boss, "nama": f"Kepala Bidang {p // 8}", "eselon": "III", "atasan": "KADIS"})
            pk_rows[boss] = []
        t = target()
        indikator.append({"id": f"P{p}", "level": "program", "uraian": f"Program layanan sektor {p % n_sasaran}",
                          "nama": rnd.choice([f"Persentase layanan sektor {p % n_sasaran} yang tuntas",
                                              f"Persentase Ketercapaian Kegiatan sektor {p}"]),
                          "satuan": "%", "target": t, "formula": "tuntas / total x 100", "sumber_data": "Aplikasi",
                          "induk": f"S{p // programs_per_sasaran}", "penanggung_jawab": boss})
        pk_rows[boss].append({"indikator": f"P{p}", "target": defect(t)})
    for k in range(n_kegiatan):
        boss = f"KASI{k // 5}"
        parent = int(k / kegiatan_per_program)
        if not any(j["id"] == boss for j in jabatan):
            jabatan.append({"id": boss, "nama": f"Kepala Seksi {k // 5}", "eselon": "IV",
                            "atasan": f"KABID{parent // 8}"})
            pk_rows[boss] = []
        indikator.append({"id": f"K{k}", "level": "kegiatan", "uraian": f"Penyediaan layanan sektor {parent % n_sasaran}",
                          "nama": f"Jumlah dokumen layanan sektor {parent % n_sasaran} yang diterbitkan",
                          "satuan": "Dokumen", "target": "24", "formula": "hitung", "sumber_data": "Register",
                          "induk": f"P{parent}", "penanggung_jawab": boss})
        pk_rows[boss].append({"indikator": f"K{k}", "target": "24", "bobot": "20"})
    pks = [{"id": f"PK-{j}", "jabatan": j, "tahun": year, "tanggal": f"{year}-01-16", "pihak_pertama": f"Pejabat {j}",
            "pihak_kedua": "Atasan", "indikator": rows} for j, rows in pk_rows.items()]
    pk_target = {r["indikator"]: r["target"] for rows in pk_rows.values() for r in rows}
    renaksi = {"tahun": year, "tanggal": f"{year}-01-20", "penandatangan": "KADIS",
               "baris": [{"indikator": f"K{k}", "target": "24 Dokumen", "tw": ["6", "6", "6", "5" if rnd.random() < 0.05 else "6"],
                          "tw_satuan": "Dokumen", "pagu": f"Rp {rnd.randrange(10, 900)}.000.000"}
                         for k in range(n_kegiatan)]}
    reports = []
    for month in range(1, MONTHS + 1):
        rows = []
        for ind in indikator:
            if rnd.random() < 0.01:
                continue  # a missing monthly row
            row = {"indikator": ind["id"], "realisasi": str(month * 2), "sumber_data": "Aplikasi", "bukti": f"BA-{month}"}
            target = parse_target(pk_target.get(ind["id"]))
            if target.kind == "angka" and target.value:  # capaian = realisasi / target x 100, 2 % misstated
                capaian = (Decimal(month * 2) / target.value * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
                row["capaian"] = format_number(capaian + (1 if rnd.random() < 0.02 else 0), decimals=2)
            rows.append(row)
        reports.append({"bulan": month, "tahun": year, "tanggal_kirim": f"{year + (month == 12)}-{month % 12 + 1:02d}-0{rnd.choice([5, 9])}",
                        "realisasi_anggaran": "Rp 125.000.000", "capaian": rows})
    lkjip = {"tahun": year, "tanggal": f"{year + 1}-02-20",
             "baris": [{"indikator": f"S{s}", "target": "3,40", "realisasi": "3,46", "capaian": "101,76",
                        "realisasi_tahun_lalu": "3,31", "target_akhir_renstra": "3,60", "standar_nasional": "3,20",
                        "pembanding": "Provinsi lain", "nilai_pembanding": "3,38", "sumber_data": "Survei",
                        "bukti": f"BA-{s}"} for s in range(n_sasaran)]
             + [{"indikator": f"P{p}", "target": "90", "realisasi": "92", "capaian": "102,22",
                 "realisasi_tahun_lalu": "85", "target_akhir_renstra": "95", "standar_nasional": "80",
                 "pembanding": "Provinsi lain", "nilai_pembanding": "88", "sumber_data": "Aplikasi",
                 "metode_pengukuran": "tuntas / total x 100"} for p in range(n_program)]}
    sections = lkjip_sections(rnd, year, n_sasaran, n_program, n_kegiatan, kegiatan_per_program)
    budgets = sections.pop("baris_anggaran")
    for row in lkjip["baris"]:
        row.update(budgets.get(row["indikator"], {}))
    lkjip.update(sections)
    lkjip.update(_lkjip_as_written(rnd, year))
    return {"profil": {"opd": f"Dinas Sintetis {seed}", "tahun": year}, "jabatan": jabatan, "indikator": indikator,
            "perjanjian_kinerja": pks, "rencana_aksi": renaksi, "laporan_bulanan": reports, "lkjip": lkjip}


def _lkjip_as_written(rnd: random.Random, year: int) -> dict:
    """The reporting-year evidence of issue 8 at province size (the budget, statements, series and comparisons
    come from lkjip_sections): 120 printed dates (a few with the weekday of the previous year), year labels,
    three signature blocks and the legal basis."""
    import datetime as dt

    from sakip_checker.model import HARI

    dates = []
    for k in range(120):
        day = dt.date(year, 1, 1) + dt.timedelta(days=rnd.randrange(365))
        shown = day.replace(year=year - 1) if rnd.random() < 0.05 and not (day.month == 2 and day.day == 29) else day
        dates.append({"hari": HARI[shown.weekday()], "tanggal": day.isoformat(), "letak": "Tabel 3.2",
                      "halaman": f"hlm. {10 + k // 10}"})
    return {
        "label_tahun": [{"tahun": year, "jenis": "tabel", "teks": f"Tabel 3.{k} Tahun {year}", "letak": f"Tabel 3.{k}"}
                        for k in range(1, 7)],
        "tanggal_kegiatan": dates,
        "tanda_tangan": [{"letak": letak, "tanggal": f"{year + 1}-02-20", "nama": "Kepala Dinas", "jabatan": "KADIS"}
                         for letak in ("Kata Pengantar", "Penutup", "Lampiran")],
        "dasar_hukum": [{"jenis": "Peraturan Gubernur Banten", "nomor": "42", "tahun": 2018, "tentang": "SAKIP"}],
    }


def lkjip_sections(rnd: random.Random, year: int, n_sasaran: int, n_program: int, n_kegiatan: int,
                   kegiatan_per_program: float) -> dict:
    """The LKjIP as really written (issue 8): budget tables program -> kegiatan -> sub-kegiatan (2 each) in the
    body (Tabel 3.1, with a stated total) and the annex (Lampiran 1, with pagu murni/perubahan and sisa),
    programs linked to their sasaran; every quantity of the sasaran and programs stated three times; a 4-year
    realisasi series, Renstra comparisons with trend claims, two peers per sasaran, the national standard, and
    an efficiency analysis per program under a declared method. ~3 % of amounts carry a defect."""
    def rp(value: int) -> str:
        return format_number(Decimal(value))

    def slip(value: int) -> int:
        return value + rnd.choice([500, -141000, 1000000]) if rnd.random() < 0.03 else value

    kegiatan_of: dict[int, list[int]] = {}
    for k in range(n_kegiatan):
        kegiatan_of.setdefault(int(k / kegiatan_per_program), []).append(k)
    body, annex, efisiensi, baris_budget = [], [], [], {}
    total_pagu = total_real = 0
    for p in range(n_program):
        p_pagu = p_real = 0
        kegiatan_rows, annex_kegiatan = [], []
        for k in kegiatan_of.get(p, []):
            subs = [(rnd.randrange(5, 400) * 1_000_000, rnd.randrange(40, 100)) for _ in range(2)]
            k_pagu = sum(v for v, _ in subs)
            k_real = sum(v * pct // 100 for v, pct in subs)
            kegiatan_rows.append({"tabel": "Tabel 3.1", "id": f"{p + 1}.{k + 1}", "induk": f"{p + 1}",
                                  "tingkat": "kegiatan", "uraian": f"Penyediaan layanan {k}", "pagu_murni": rp(k_pagu),
                                  "realisasi": rp(slip(k_real)),
                                  "persentase": format_number(Decimal(k_real) / k_pagu * 100, decimals=2)})
            for n, (v, pct) in enumerate(subs):
                kegiatan_rows.append({"tabel": "Tabel 3.1", "id": f"{p + 1}.{k + 1}.{n + 1}", "induk": f"{p + 1}.{k + 1}",
                                      "tingkat": "sub_kegiatan", "uraian": f"Sub-kegiatan {k}.{n}", "pagu_murni": rp(v),
                                      "realisasi": rp(v * pct // 100), "persentase": format_number(Decimal(pct), decimals=2)})
                annex_kegiatan.append({"tabel": "Lampiran 1", "sumber": "lampiran", "id": f"4.01.{p:02d}.{k:03d}.{n}",
                                       "induk": f"4.01.{p:02d}.{k:03d}", "tingkat": "sub_kegiatan",
                                       "kode": f"4.01.{p:02d}.{k:03d}.{n}", "uraian": f"Sub-kegiatan {k}.{n}",
                                       "pagu_murni": f"{rp(v + 10_000_000)},00", "pagu_perubahan": f"{rp(v)},00",
                                       "realisasi": f"{rp(v * pct // 100)},00", "sisa": f"{rp(v - v * pct // 100)},00",
                                       # the annex's output columns (issue 8): ~2 % plan no output for their money
                                       "target_keluaran": "0" if rnd.random() < 0.02 else "12",
                                       "realisasi_keluaran": str(12 * pct // 100), "satuan_keluaran": "dokumen",
                                       "keterangan": f"Dokumen layanan {k}.{n} tersusun"})
            annex_kegiatan.append({"tabel": "Lampiran 1", "sumber": "lampiran", "id": f"4.01.{p:02d}.{k:03d}",
                                   "induk": f"4.01.{p:02d}", "tingkat": "kegiatan", "kode": f"4.01.{p:02d}.{k:03d}",
                                   "uraian": f"Penyediaan layanan {k}", "pagu_perubahan": f"{rp(k_pagu)},00",
                                   "realisasi": f"{rp(k_real)},00"})
            p_pagu += k_pagu
            p_real += k_real
        body.append({"tabel": "Tabel 3.1", "id": f"{p + 1}", "tingkat": "program",
                     "uraian": f"Program layanan sektor {p}", "pagu_murni": rp(p_pagu), "realisasi": rp(p_real),
                     "sasaran": [f"S{p * n_sasaran // n_program}"]})
        body.extend(kegiatan_rows)
        annex.append({"tabel": "Lampiran 1", "sumber": "lampiran", "id": f"4.01.{p:02d}", "tingkat": "program",
                      "kode": f"4.01.{p:02d}", "uraian": f"Program layanan sektor {p}",
                      "pagu_perubahan": f"{rp(p_pagu)},00", "realisasi": f"{rp(p_real)},00"})
        annex.extend(annex_kegiatan)
        serapan = Decimal(p_real) / p_pagu * 100
        baris_budget[f"P{p}"] = {"anggaran": rp(p_pagu), "realisasi_anggaran": rp(p_real),
                                 "persentase_anggaran": format_number(serapan, decimals=2),
                                 "efisiensi": format_number(Decimal(92) / 90 * 100 - serapan, decimals=2)}
        efisiensi.append({"indikator": f"P{p}", "anggaran": f"{p + 1}", "capaian": "102,22",
                          "serapan": format_number(serapan, decimals=2),
                          "efisiensi": format_number(Decimal("102.22") - serapan, decimals=2), "halaman": f"hlm. {40 + p}"})
        total_pagu += p_pagu
        total_real += p_real
    body.append({"tabel": "Tabel 3.1", "tingkat": "jumlah", "uraian": "Jumlah", "pagu_murni": rp(total_pagu),
                 "realisasi": rp(total_real)})
    annex.insert(0, {"tabel": "Lampiran 1", "sumber": "lampiran", "tingkat": "jumlah", "uraian": "BELANJA LANGSUNG",
                     "pagu_perubahan": f"{rp(slip(total_pagu))},00", "realisasi": f"{rp(total_real)},00"})
    measured = [f"S{s}" for s in range(n_sasaran)] + [f"P{p}" for p in range(n_program)]
    pernyataan = [{"indikator": ind, "bagian": bagian, "letak": letak, "halaman": f"hlm. {n}",
                   "target": "3,40" if ind.startswith("S") else "90", "realisasi": "3,46" if ind.startswith("S") else "92",
                   "capaian": "101,76" if ind.startswith("S") else ("102,22" if rnd.random() > 0.03 else "100")}
                  for n, ind in enumerate(measured)
                  for bagian, letak in (("ikhtisar", "Ikhtisar Eksekutif"), ("pengukuran", "Tabel 3.1"),
                                        ("kesimpulan", "BAB IV"))]
    values = {"S": ("3,10", "3,20", "3,31", "3,46"), "P": ("78", "81", "85", "92")}  # ends as the LKjIP rows
    series = [{"indikator": ind, "tahun": year - 3 + n, "realisasi": value, "letak": "Tabel 3.2"}
              for ind in measured for n, value in enumerate(values[ind[0]])]
    perbandingan = [{"indikator": f"S{s}", "target_akhir_renstra": "3,60", "tahun_akhir_renstra": year + 3,
                     "persentase_renstra": "96,11", "sisa_renstra": "0,14",
                     "klaim_tren": "selalu meningkat" if s % 7 else "menurun",
                     "tren": "selalu_meningkat" if s % 7 else "menurun", "standar_nasional": "3,20",
                     "sumber_standar": "RPJMN 2020-2024" if s % 5 else None, "letak": "Tabel 3.3"}
                    for s in range(n_sasaran)]
    pembanding = [{"indikator": f"S{s}", "instansi": f"Dinas sejenis Provinsi {name}", "nilai": "3,38",
                   "tahun": year if s % 6 else year - 1, "sumber": f"LKjIP Provinsi {name} {year}"}
                  for s in range(n_sasaran) for name in ("Jawa Barat", "Jawa Tengah")]
    # the counts the report states in its body ("2 program, 9 kegiatan, ..."), one of them miscounted
    said = f"{n_program} program, {n_kegiatan} kegiatan"
    jumlah = [{"besaran": "program", "jumlah": n_program, "tabel": "Tabel 3.1", "kutipan": said, "halaman": "hlm. 12"},
              {"besaran": "kegiatan", "jumlah": n_kegiatan + 1, "tabel": "Tabel 3.1", "kutipan": said,
               "halaman": "hlm. 12"},
              {"besaran": "sub_kegiatan", "jumlah": 2 * n_kegiatan, "tabel": "Lampiran 1",
               "kutipan": f"{2 * n_kegiatan} sub kegiatan", "halaman": "hlm. 12"}]
    # a Kesimpulan that admits one programme indicator could not be measured, while BAB III states its figures
    pernyataan.append({"indikator": "P0", "bagian": "kesimpulan", "letak": "BAB IV", "halaman": "hlm. 60",
                       "tidak_dapat_diukur": True, "kutipan": "Indikator P0 belum dapat diukur"})
    return {"total_anggaran": rp(total_pagu), "jumlah": jumlah, "total_realisasi_anggaran": rp(total_real), "anggaran": body + annex,
            "pernyataan": pernyataan, "realisasi_tahunan": series, "perbandingan": perbandingan,
            "pembanding": pembanding, "baris_anggaran": baris_budget,
            "efisiensi": {"metode": "capaian_dikurangi_serapan", "letak": "BAB III C", "baris": efisiensi}}


def count_instructions(evaluations: int, seed: int) -> int:
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__,
           "--evaluate-only", str(evaluations), "--seed", str(seed)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True)
    except FileNotFoundError:
        raise SystemExit("valgrind tidak ditemukan (apt-get install valgrind)") from None
    match = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode != 0 or not match:
        raise SystemExit(proc.stderr[-2000:])
    return int(match.group(1))


def write_batch(folder: Path, n: int, seed: int = 1) -> list[Path]:
    """N province-size submissions (seeds seed..seed+N-1) as YAML files in ``folder``: the benchmark's batch."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        path = folder / f"opd-{seed + i:03d}.yaml"
        path.write_text(yaml.safe_dump(make_submission(seed + i), allow_unicode=True, sort_keys=False), encoding="utf-8")
        files.append(path)
    return files


def _collected(stderr: str) -> list[int]:
    return [int(x) for x in re.findall(r"Collected : (\d+)", stderr)]


def _bytecode() -> str:
    """Whether the project's modules run from bytecode (as after a normal install) or are compiled at every start
    (an editable install with PYTHONDONTWRITEBYTECODE=1: ~0.5 G instructions more per process)."""
    import importlib.util

    import sakip_checker.model

    present = Path(importlib.util.cache_from_source(sakip_checker.model.__file__)).exists()
    return "project bytecode present" if present else "project compiled from source at every start (no bytecode)"


def run_batch_benchmark(n: int, seed: int, workers: int | None, instructions: bool) -> None:
    """`sakip check FOLDER/ --format json -o DIR/` on N province-size submissions: wall time, CPU time of all
    processes (parent and workers, from rusage), and per file; with ``instructions``, valgrind counts every
    process of the batch (the workers are forked: callgrind follows them) and of a single 1x `sakip check`."""
    import os
    import resource

    sakip = Path(sys.executable).with_name("sakip")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "provinsi"
        files = write_batch(folder, n, seed)
        size_kib = sum(f.stat().st_size for f in files) // 1024
        cmd = [str(sakip), "check", str(folder), "--format", "json", "--output", str(Path(tmp) / "hasil")]
        if workers:
            cmd += ["--proses", str(workers)]
        if instructions:
            vg = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
            single = [str(sakip), "check", str(files[0]), "--format", "json", "--output", str(Path(tmp) / "satu.json")]
            try:
                counts = [_collected(subprocess.run(vg + single, capture_output=True, text=True).stderr)
                          for _ in range(2)]  # the first run may write the rule pack cache
                proc = subprocess.run(vg + cmd, capture_output=True, text=True)
            except FileNotFoundError:
                raise SystemExit("valgrind tidak ditemukan (apt-get install valgrind)") from None
            per_process = _collected(proc.stderr)
            print(f"{_bytecode()}; load average {os.getloadavg()[0]:.1f} (counts do not depend on it)")
            print(f"`sakip check` 1x ({files[0].stat().st_size // 1024} KiB YAML), instructions: "
                  f"{counts[0][0] / 1e6:,.0f} M (rule pack cache cold or stale), {counts[1][0] / 1e6:,.0f} M (cache warm)"
                  f"   goal <= 3,500 M")
            print(f"batch of {n}: {sum(per_process) / 1e6:,.0f} M instructions in {len(per_process)} processes, "
                  f"{sum(per_process) / n / 1e6:,.0f} M per file (callgrind)")
            return
        subprocess.run([str(sakip), "check", str(files[0]), "--format", "json", "--output",
                        str(Path(tmp) / "warm.json")], capture_output=True)  # fills the rule pack cache
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            raise SystemExit(proc.stderr)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        print(f"batch: {n} province-size submissions ({size_kib:,} KiB YAML), `sakip check FOLDER/ --format json`, "
              f"{workers or cores} worker process(es) on {cores} core(s), load average {os.getloadavg()[0]:.1f}; {_bytecode()}")
        print(f"  wall {wall:6.2f} s   goal <= 8 s for 40 on 2 cores")
        print(f"  CPU  {cpu:6.2f} s (all processes), {cpu / n:.3f} s per file   goal <= 0.35 s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--submissions", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--instructions", action="store_true", help="count instructions per evaluation (valgrind)")
    ap.add_argument("--evaluate-only", type=int, metavar="N", help=argparse.SUPPRESS)  # the run counted
    ap.add_argument("--batch", type=int, metavar="N", help="the batch: N province-size files through `sakip check FOLDER/`")
    ap.add_argument("--proses", type=int, default=None, help="worker processes of --batch (default: the cores)")
    ap.add_argument("--web", type=int, metavar="N", help="the web page under load: N concurrent uploads to `sakip web` "
                    "on loopback (bench/web_load.py; --proses: the server's worker processes)")
    args = ap.parse_args()
    if args.web:
        from web_load import main as web_load  # bench/ is on sys.path when this script runs
        raise SystemExit(web_load(["--uploads", str(args.web)] + (["--proses", str(args.proses)] if args.proses else [])))
    if args.batch:
        run_batch_benchmark(args.batch, args.seed, args.proses, args.instructions)
        return
    if args.evaluate_only is not None:
        catalogue = load_catalogue()
        _ = catalogue.adapter
        sub = build_submission(make_submission(args.seed))
        # what was built so far out of the collector's reach: a full collection over the catalogue and the
        # submission falling in one run and not the other would move the difference by ~100-400 M (a check
        # and a batch worker run without cyclic collection during the evaluation anyway)
        import gc
        gc.collect()
        gc.freeze()
        for _ in range(args.evaluate_only):
            evaluate(sub, catalogue)
        return
    if args.instructions:
        counts = [count_instructions(n, args.seed) for n in (1, 3)]
        print(f"instructions per evaluation: {(counts[1] - counts[0]) / 2 / 1e6:,.0f} million "
              f"(callgrind; runs with 1 and 3 evaluations: {counts[0] / 1e6:,.0f} / {counts[1] / 1e6:,.0f} million)"
              f"   goal <= 1,250 million (150 ms)")
        return

    t0 = time.perf_counter()
    catalogue = load_catalogue()
    _ = catalogue.adapter
    load_s = time.perf_counter() - t0
    datas = [make_submission(args.seed + i) for i in range(args.submissions)]
    t0 = time.perf_counter()
    subs = [build_submission(d) for d in datas]
    validate_s = (time.perf_counter() - t0) / len(subs)
    first = subs[0]
    n_facts = len(build_facts(first))
    report = evaluate(first, catalogue)  # warm-up, and the numbers shown below
    per, cpu = [], []
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    for _ in range(EVALUATIONS):
        t0, c0 = time.perf_counter(), time.process_time()
        evaluate(first, catalogue)
        per.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    t0 = time.perf_counter()
    total_findings = sum(len(evaluate(s, catalogue).units()) for s in subs)
    batch_s = time.perf_counter() - t0

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "provinsi.yaml"
        path.write_text(yaml.safe_dump(datas[0], allow_unicode=True, sort_keys=False), encoding="utf-8")
        sakip = Path(sys.executable).with_name("sakip")
        cmd = [str(sakip), "check", str(path), "--format", "json", "--output", str(Path(tmp) / "out.json")]
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True, text=True)
            runs.append(time.perf_counter() - t0)
            if proc.returncode != 0:
                raise SystemExit(proc.stderr)
        size_kib = path.stat().st_size // 1024

    by_rule = Counter(f.rule_id for f in report.units())
    print(f"rules {len(catalogue.rules)}, rulesets {len(catalogue.adapter.rulesets)}, catalogue load {load_s * 1000:.0f} ms")
    print(f"one submission: {len(first.indikator)} indicators, {len(first.laporan_bulanan)} monthly reports, "
          f"{n_facts} facts before checks, {len(report.units())} findings in {len(report.findings)} groups "
          f"(top: {', '.join(f'{k} {v}' for k, v in by_rule.most_common(4))})")
    print(f"validate (pydantic, numbers)    : {validate_s * 1000:7.1f} ms per submission")
    load = (f"load average {load_before:.1f} before, {load_after:.1f} after" if load_before is not None
            else "load average unknown")
    print(f"evaluate (facts, checks, engine): {statistics.median(per) * 1000:7.1f} ms wall, median of {EVALUATIONS} "
          f"(min {min(per) * 1000:.1f}, max {max(per) * 1000:.1f}); CPU {statistics.median(cpu) * 1000:.1f} ms "
          f"median; {load} on {os.cpu_count()} cores   goal <= 150 ms")
    print("  (on a busy machine wall time is not the cost: --instructions counts it, goal <= 1,250 M per evaluation)")
    print(f"{args.submissions} submissions in one process  : {batch_s:7.2f} s  ({batch_s / args.submissions * 1000:.1f} ms each, "
          f"{total_findings} findings)")
    print(f"`sakip check` process ({size_kib} KiB YAML): {statistics.median(runs):7.2f} s median of 3 "
          f"(min {min(runs):.2f})   goal <= 1.5 s")


if __name__ == "__main__":
    main()
