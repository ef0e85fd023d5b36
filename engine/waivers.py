"""Waivers (pengecualian): the evaluator's judgement that a finding is acceptable, applied to a Report after
evaluation (the engine is untouched).

A waiver names a finding by its fingerprint (``sidik_jari``) or by rule and location path (``aturan`` and
``lokasi``), optionally for one OPD, with reason, evaluator, date and an optional expiry. It comes from a
reviewable file (``pengecualian.yaml``, ``sakip check --pengecualian``) or from the store (``sakip
pengecualian tambah``). Applied, a waived finding leaves the findings (and their counts) and is listed in
``Report.pengecualian.dikecualikan``; a waiver past its expiry brings its finding back and is listed in
``kedaluwarsa``; a waiver that matches no finding is listed in ``tidak_cocok``. Nothing is dropped.

    pengecualian:
      - sidik_jari: 3f2a9c01b7de
        alasan: Indikator proses ini dipertahankan atas arahan Bappeda (surat 050/123).
        oleh: Evaluator Inspektorat
        tanggal: 2024-03-01
        berlaku_sampai: 2024-12-31
      - aturan: UKR-025
        lokasi: profil
        opd: Biro Pemerintahan dan Otonomi Daerah
        alasan: ...
        oleh: ...
        tanggal: 2024-03-01
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Iterable

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sakip_checker.evaluate import Pengecualian, Report, Waived, WaiverInfo, rule_summary
from sakip_checker.inputs import InputProblem, YamlLoader, _walk
from sakip_checker.rules import SEVERITIES


class Waiver(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    sidik_jari: str | None = Field(None, description="sidik jari temuan (kolom 'Sidik jari' laporan)")
    aturan: str | None = Field(None, description="id aturan (bersama lokasi)")
    lokasi: str | None = Field(None, description="jalur lokasi temuan, mis. indikator[2] (bersama aturan)")
    opd: str | None = Field(None, description="hanya untuk OPD ini (kosong: semua OPD)")
    alasan: str = Field(min_length=1)
    oleh: str = Field(min_length=1)
    tanggal: dt.date
    berlaku_sampai: dt.date | None = None
    sumber: str = "-"

    @field_validator("sidik_jari", "aturan", "lokasi", "opd", "alasan", "oleh", mode="before")
    @classmethod
    def _text(cls, value):
        return " ".join(str(value).split()) if value is not None else None

    @field_validator("sidik_jari")
    @classmethod
    def _fingerprint(cls, value):
        if value is not None and not re.fullmatch(r"[0-9a-f]{12}", value):
            raise ValueError(f"{value!r} bukan sidik jari (12 digit heksadesimal, kolom 'Sidik jari' laporan)")
        return value

    @model_validator(mode="after")
    def _target(self):
        if self.sidik_jari is None and not (self.aturan and self.lokasi):
            raise ValueError("sebutkan sidik_jari, atau aturan bersama lokasi")
        if self.sidik_jari is not None and (self.aturan or self.lokasi):
            raise ValueError("sebutkan sidik_jari saja, atau aturan bersama lokasi, bukan keduanya")
        if self.berlaku_sampai is not None and self.berlaku_sampai < self.tanggal:
            raise ValueError("berlaku_sampai lebih awal dari tanggal")
        return self

    def matches(self, finding, opd: str) -> bool:
        if self.opd and self.opd.casefold() != " ".join(opd.split()).casefold():
            return False
        if self.sidik_jari is not None:
            return finding.fingerprint == self.sidik_jari
        return finding.rule_id == self.aturan and finding.location.path == self.lokasi

    def active(self, today: dt.date) -> bool:
        return self.berlaku_sampai is None or today <= self.berlaku_sampai

    def info(self) -> WaiverInfo:
        return WaiverInfo(sumber=self.sumber, sidik_jari=self.sidik_jari, aturan=self.aturan, lokasi=self.lokasi,
                          alasan=self.alasan, oleh=self.oleh, tanggal=self.tanggal.isoformat(),
                          berlaku_sampai=self.berlaku_sampai.isoformat() if self.berlaku_sampai else None)


class _TextDates(YamlLoader):
    """Dates and numbers stay text: an impossible date is named by the waiver's own validation, and a
    fingerprint of decimal digits (``000123456789``) is not read as a number."""


_TextDates.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int")]
    for first, resolvers in YamlLoader.yaml_implicit_resolvers.items()
}


def load_waivers(path: Path) -> list[Waiver]:
    """The waivers of a ``pengecualian.yaml``; every problem named (file, line, entry, field), then InputProblem."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputProblem([f"{path}: berkas pengecualian tidak ditemukan"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputProblem([f"{path}: berkas pengecualian tidak dapat dibaca ({exc})"]) from None
    loader = _TextDates(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise InputProblem([f"{where}: YAML tidak sah: {exc.problem or exc.context}"]) from None
    except yaml.YAMLError as exc:
        raise InputProblem([f"{path}: YAML tidak sah: {exc}"]) from None
    finally:
        loader.dispose()
    lines: dict[str, int] = {}
    if node is not None:
        _walk(node, "", lines)
    items = data.get("pengecualian") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise InputProblem([f"{path}: harus berisi daftar 'pengecualian:' (lihat README, Riwayat dan tindak lanjut)"])
    out, problems = [], []
    for i, item in enumerate(items):
        entry = f"pengecualian[{i}]"
        if not isinstance(item, dict):
            problems.append(f"{path}:{lines.get(entry, '?')}: {entry}: harus berupa pemetaan (sidik_jari/aturan, "
                            "lokasi, alasan, oleh, tanggal)")
            continue
        try:
            out.append(Waiver.model_validate({**item, "sumber": f"{path.name} {entry}"}))
        except ValidationError as exc:
            for error in exc.errors():
                field = ".".join(str(p) for p in error["loc"])
                dotted = f"{entry}.{field}" if field else entry
                line = lines.get(dotted, lines.get(entry, "?"))
                problems.append(f"{path}:{line}: {dotted}: {_message(error)}")
    if problems:
        raise InputProblem(problems)
    return out


def _message(error: dict) -> str:
    kind = error["type"]
    if kind == "missing":
        return "wajib diisi"
    if kind == "extra_forbidden":
        return "kunci tidak dikenal (sidik_jari, aturan, lokasi, opd, alasan, oleh, tanggal, berlaku_sampai)"
    if kind.startswith("date"):
        return f"{error.get('input')!r} bukan tanggal TTTT-BB-HH"
    if kind == "string_too_short":
        return "wajib diisi"
    return str(error["msg"]).removeprefix("Value error, ")


def apply_waivers(report: Report, waivers: Iterable[Waiver], today: dt.date) -> Report:
    """The report with the waived findings moved to ``pengecualian`` and the counts and rule summary of the
    remaining findings. Each finding takes the first active waiver that matches it."""
    waivers = list(waivers)
    opd = report.submission.opd
    used: set[int] = set()
    waived: list[Waived] = []
    expired: list[Waived] = []
    kept_by_group: dict[str, set[str]] = {}
    for unit in report.units():
        matching = [(i, w) for i, w in enumerate(waivers) if w.matches(unit, opd)]
        used.update(i for i, _ in matching)
        active = next((w for _, w in matching if w.active(today)), None)
        if active is not None:
            waived.append(Waived(finding=unit, waiver=active.info()))
            continue
        kept_by_group.setdefault(unit.group, set()).add(unit.fingerprint)
        if matching:
            expired.append(Waived(finding=unit, waiver=matching[0][1].info()))
    groups = []
    for g in report.findings:
        keep = kept_by_group.get(g.group, set())
        if len(keep) == len(g.locations):
            groups.append(g)
        elif keep:
            message = g.message
            summary = f" pada {len(g.locations)} lokasi"  # the group's own summary (evaluate.group_findings)
            if all(x.message != message for x in g.locations) and summary in message:
                message = message.replace(summary, f" pada {len(keep)} lokasi", 1)
            groups.append(g.model_copy(update={"message": message,
                                               "locations": [x for x in g.locations if x.fingerprint in keep]}))
    counts = {s: 0 for s in SEVERITIES} | {"fail": 0, "unknown": 0, "total": len(groups),
                                           "lokasi": sum(len(g.locations) for g in groups)}
    for g in groups:
        counts[g.severity] += 1
        counts[g.outcome] += 1
    counts["dikecualikan"] = len(waived)
    unmatched = [w.info() for i, w in enumerate(waivers) if i not in used]
    return report.model_copy(update={
        "findings": groups, "counts": counts, "summary": rule_summary(groups),
        "pengecualian": Pengecualian(tanggal_acuan=today.isoformat(), dikecualikan=waived, kedaluwarsa=expired,
                                     tidak_cocok=unmatched)})


def from_store_rows(rows) -> list[Waiver]:
    return [Waiver(sidik_jari=r.fingerprint, aturan=r.rule_id, lokasi=r.path, opd=r.opd, alasan=r.alasan,
                   oleh=r.oleh, tanggal=r.tanggal, berlaku_sampai=r.berlaku_sampai, sumber=f"basis data #{r.id}")
            for r in rows]
