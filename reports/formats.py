"""Render a Report as JSON or Markdown. Output is byte-identical for the same submission."""

from __future__ import annotations

import json
from pathlib import Path

import jinja2

from decimal import Decimal

from engine.evaluate import Report
from engine.numbers import format_number
from reports.labels import labels

FORMATS = ("json", "markdown")
_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    undefined=jinja2.StrictUndefined,
    autoescape=False,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _cell(text: object) -> str:
    """A value safe inside a Markdown table cell."""
    return "-" if text is None or text == "" else str(text).replace("|", "\\|").replace("\n", " ")


def _pct(value: str | None) -> str:
    """A Decimal text ("95.22") in Indonesian notation ("95,22"); "-" when there is none."""
    return "-" if value is None else format_number(Decimal(value), decimals=2)


_ENV.filters["cell"] = _cell
_ENV.filters["pct"] = _pct


def render(report: Report, fmt: str, lang: str = "id") -> str:
    if fmt == "json":
        return json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
    if fmt == "markdown":
        return _ENV.get_template("findings.md.j2").render(r=report, L=labels(lang),
                                                         by_component=report.by_component())
    raise ValueError(f"unknown format {fmt!r}")
