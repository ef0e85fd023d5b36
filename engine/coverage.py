"""Which obligation of the regulation each rule covers: the coverage table of a pack.

The obligations are the table of the domain brief (``_source/obligations.md`` in the pack: one line per duty
of Pasal 2-29 and Lampiran A/B, with its proposed id and whether a check can decide it). A rule names the
obligations it covers in ``obligations``; an obligation that no rule names is a gap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.rules import Catalogue

_ROW = re.compile(r"^\|\s*(PG42-[A-Za-z0-9.\-]+)\s*\|\s*([^|]*)\|\s*([^|]*)\|\s*([^|]*)\|\s*([^|]*)\|")


@dataclass(frozen=True)
class Obligation:
    id: str
    ref: str
    obliged: str
    text: str
    auto: str  # yes / partly / no / (reference)


def obligations(catalogue: Catalogue) -> list[Obligation]:
    source = catalogue.root / "_source" / "obligations.md"
    out = []
    for line in source.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match:
            ident, ref, obliged, text, auto = (g.strip() for g in match.groups())
            out.append(Obligation(ident, re.sub(r"\s*\(l\.[^)]*\)", "", ref), obliged, text, auto))
    return out


def coverage_rows(catalogue: Catalogue) -> list[tuple[Obligation, list[str]]]:
    by_obligation: dict[str, list[str]] = {}
    for cr in catalogue.rules:
        for ident in cr.rule.obligations:
            by_obligation.setdefault(ident, []).append(cr.rule.id)
    return [(o, sorted(by_obligation.get(o.id, []))) for o in obligations(catalogue)]


def coverage_markdown(catalogue: Catalogue) -> str:
    rows = coverage_rows(catalogue)
    covered = sum(1 for _, rules in rows if rules)
    lines = [
        f"# Cakupan kewajiban {catalogue.pack.regulation.short}",
        "",
        f"Dibuat oleh `sakip rules --coverage` dari paket {catalogue.pack.id} {catalogue.pack.version}. "
        f"{covered} dari {len(rows)} kewajiban sudah memiliki aturan; baris tanpa aturan adalah celah.",
        "",
        "| Kewajiban | Dasar | Dapat diperiksa | Aturan |",
        "|---|---|---|---|",
    ]
    for o, rules in rows:
        lines.append(f"| {o.id} | {o.ref} | {o.auto} | {', '.join(rules) if rules else '**belum ada**'} |")
    return "\n".join(lines) + "\n"
