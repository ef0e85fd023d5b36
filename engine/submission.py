"""Loading a submission file, and building the submissions of rule examples."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sakip_checker.inputs import LIMITS, Document, InputProblem, describe_validation_error, read_document
from sakip_checker.model import Submission, reference_problems
from sakip_checker.numbers import NOTATIONS


def build_submission(data: Any, doc: Document | None = None, prefix: str = "") -> Submission:
    """Validate data into a Submission. Raises InputProblem with one line per problem."""
    where = str(doc.path) if doc else "masukan"
    if not isinstance(data, dict):
        raise InputProblem([f"{where}: isi berkas harus berupa pemetaan dengan bagian profil, jabatan, indikator, ..."])
    try:
        sub = Submission.model_validate(data, context={"notasi": declared_notation(data)})
    except ValidationError as exc:
        raise InputProblem(describe_validation_error(exc, doc, prefix)) from None
    problems = reference_problems(sub)
    if problems:
        raise InputProblem([f"{doc.where(path) if doc else where}: {prefix}{path}: {message}" for path, message in problems])
    return sub


def declared_notation(data: dict) -> str | None:
    """``profil.notasi`` when it is one of the notations (a wrong value is reported by the model itself)."""
    profil = data.get("profil")
    notasi = profil.get("notasi") if isinstance(profil, dict) else None
    return notasi if notasi in NOTATIONS else None


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def load_submission(path: Path) -> tuple[Submission, Document]:
    """A YAML/JSON file, or a workbook filled from `sakip template` (.xlsx)."""
    if path.suffix.lower() in (".xls", ".ods"):  # read as text they would only give a confusing encoding error
        raise InputProblem([f"{path}: berkas {path.suffix.lower()} tidak didukung; buka di Excel atau LibreOffice lalu "
                            "simpan sebagai buku kerja Excel (.xlsx)"])
    if path.suffix.lower() in WORKBOOK_SUFFIXES:  # excel.is_workbook: the workbook reader imported only for one
        from sakip_checker.excel import read_workbook

        data, doc = read_workbook(path)
        return doc.submission or build_submission(data, doc), doc  # the reader validated it already
    doc = read_document(path, LIMITS)
    return build_submission(doc.data, doc), doc


def example_data(pack_root: Path, base: str | None, data: dict[str, Any]) -> dict[str, Any]:
    """An example's input on top of its base: the example's top-level sections replace the base's."""
    if base is None:
        return dict(data)
    base_doc = read_document(pack_root / "_bases" / f"{base}.yaml")
    return {**base_doc.data, **data}
