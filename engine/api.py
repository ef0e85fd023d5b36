"""The Python API of sakip-checker: evaluate a submission from another program (the province's e-SAKIP
system, a notebook, a batch) without the command line.

    from sakip_checker.api import check, render, InputError, EngineError

    report = check("pengajuan.yaml")                 # a YAML, JSON or .xlsx file (str or Path)
    report = check({"profil": {...}, "indikator": [...]}, paket="pergub-banten-42-2018")  # or a mapping
    report.findings, report.scores, report.coverage  # a ``Report`` (pydantic; report_schema() describes it)
    html = render(report, "html")                     # any format of the CLI; "xlsx" gives bytes

``check`` raises ``InputError`` for a bad submission, option or rule file (``.lines``: one line per problem,
naming file, line and field, the lines the CLI prints) and ``EngineError`` when the rule engine fails. It
never prints and never exits. The same submission gives the same report, byte for byte once rendered.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sakip_checker.durable import EngineError
from sakip_checker.evaluate import Report, effective_parameters, evaluate
from sakip_checker.inputs import InputProblem as InputError
from sakip_checker.rules import Catalogue
from sakip_checker.reports import FORMATS, render

__all__ = ["check", "catalogue", "render", "report_schema", "Report", "InputError", "EngineError", "FORMATS"]


def catalogue(year: int | None = None, paket: str | None = None, rules: Path | None = None) -> Catalogue:
    """The rule pack named by ``paket``; else the one in force in ``year`` (or the nearest, and the report
    says so); else, with neither, the bundled pack (or the only pack under ``rules``)."""
    from sakip_checker.rules import load_catalogue

    root, chosen_by, name = choose_pack(year, paket, rules)
    loaded = load_catalogue(root, name)
    loaded.chosen_by = chosen_by
    return loaded


def choose_pack(year: int | None = None, paket: str | None = None, rules: Path | None = None
                ) -> tuple[Path, str | None, str]:
    """Which pack ``catalogue`` loads, without loading it: (root folder, how it was chosen, name). A batch
    worker keeps its loaded packs by this name."""
    from sakip_checker.pack import pack_dirs, pack_for_year
    from sakip_checker.rules import DEFAULT_PACK, RULES_ROOT

    root = Path(rules) if rules else RULES_ROOT
    if paket:
        return root, "paket", paket
    if year is not None:
        return root, "tahun", pack_for_year(root, year)
    names = [d.name for d in pack_dirs(root)]
    if DEFAULT_PACK not in names and len(names) > 1:
        raise InputError([f"{root}: sebutkan --paket (yang ada: {', '.join(names)})"])
    return root, None, DEFAULT_PACK if DEFAULT_PACK in names or not names else names[0]


def check(source: str | Path | Mapping[str, Any], *, paket: str | None = None,
          parameters: Mapping[str, Any] | None = None, rules: Path | None = None) -> Report:
    """Evaluate one submission: a file (YAML, JSON, .xlsx) or the submission as a mapping (the shape
    `sakip schema` describes; numbers may be Indonesian text or exact ``Decimal``). ``parameters`` override
    the pack's (e.g. ``{"batas_laporan_bulanan_hari": 15}``)."""
    from pydantic import ValidationError

    from sakip_checker.inputs import describe_validation_error
    from sakip_checker.submission import build_submission, load_submission

    if isinstance(source, Mapping):
        submission, document = build_submission(dict(source)), None
    else:
        submission, document = load_submission(Path(source))
    chosen = catalogue(submission.profil.tahun, paket, rules)
    try:
        params = effective_parameters(chosen, dict(parameters or {}))
    except ValidationError as exc:
        raise InputError([f"parameter {line}" for line in describe_validation_error(exc, None)]) from None
    return evaluate(submission, chosen, params, document)


def report_schema() -> dict[str, Any]:
    """JSON Schema of the report (`sakip schema --laporan`; the JSON format is this model dumped)."""
    return Report.model_json_schema()
