"""Which obligation of the regulation each rule covers: the coverage table of a pack.

The obligations are the table of the domain brief (``_source/obligations.md`` in the pack: one line per duty
of Pasal 2-29 and Lampiran A/B, with its proposed id and whether a check can decide it). A rule names the
obligations it covers in ``obligations``; a rule tagged ``bukti`` is an evidence item (it asks for an
attestation). A line the pack declares a note (``catatan`` in pack.yaml) is not a duty. Any other obligation
that no rule names is a gap.

Duties the brief misses are kept in ``_source/obligations-tambahan.md`` (same table format, ids that do
not collide): ``obligations.md`` stays a verbatim copy of the brief, and both files are read, the brief's
lines first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sakip_checker.rules import Catalogue

_CELLS = r"\s*\|\s*(?P<ref>[^|]*)\|\s*(?P<obliged>[^|]*)\|\s*(?P<text>[^|]*)\|\s*(?P<auto>[^|]*)\|"


def _row(pattern: str) -> re.Pattern:
    """A line of the obligations table whose first cell is an obligation id of the pack's pattern."""
    return re.compile(rf"^\|\s*(?P<id>(?:{pattern}))" + _CELLS)


@dataclass(frozen=True)
class Obligation:
    id: str
    ref: str
    obliged: str
    text: str
    auto: str  # yes / partly / no / (reference)


SOURCES = ("obligations.md", "obligations-tambahan.md")  # the brief's copy, then the duties it misses


def obligations(catalogue: Catalogue) -> list[Obligation]:
    out: list[Obligation] = []
    seen: set[str] = set()
    row = _row(catalogue.pack.obligation_pattern)
    for name in SOURCES:
        source = catalogue.root / "_source" / name
        if not source.exists():
            continue
        for line in source.read_text(encoding="utf-8").splitlines():
            match = row.match(line)
            if match:
                ident, ref, obliged, text, auto = (match.group(g).strip() for g in ("id", "ref", "obliged", "text", "auto"))
                if ident in seen:
                    raise ValueError(f"{source}: id kewajiban {ident} sudah ada")
                seen.add(ident)
                out.append(Obligation(ident, re.sub(r"\s*\(l\.[^)]*\)", "", ref), obliged, text, auto))
    return out


def coverage_rows(catalogue: Catalogue) -> list[tuple[Obligation, list[str]]]:
    by_obligation: dict[str, list[str]] = {}
    for cr in catalogue.rules:
        for ident in cr.rule.obligations:
            by_obligation.setdefault(ident, []).append(cr.rule.id)
    return [(o, sorted(by_obligation.get(o.id, []))) for o in obligations(catalogue)]


def gaps(catalogue: Catalogue) -> list[str]:
    """Obligations with neither a rule nor a note."""
    return [o.id for o, rules in coverage_rows(catalogue) if not rules and o.id not in catalogue.pack.catatan]


def coverage_markdown(catalogue: Catalogue) -> str:
    rows = coverage_rows(catalogue)
    notes = catalogue.pack.catatan
    duties = [(o, rules) for o, rules in rows if o.id not in notes]
    covered = sum(1 for _, rules in duties if rules)
    evidence = {cr.rule.id for cr in catalogue.rules if "bukti" in cr.rule.tags}
    lines = [
        f"# Cakupan kewajiban {catalogue.pack.regulation.short}",
        "",
        f"Dibuat oleh `sakip rules --coverage` dari paket {catalogue.pack.id} {catalogue.pack.version}. "
        f"{covered} dari {len(duties)} kewajiban sudah memiliki aturan atau butir bukti (ditandai *bukti*: "
        f"meminta atestasi dokumen); {len(rows) - len(duties)} baris adalah catatan, bukan kewajiban; "
        "baris tanpa aturan adalah celah.",
        "",
        "| Kewajiban | Dasar | Dapat diperiksa | Aturan / butir bukti |",
        "|---|---|---|---|",
    ]
    for o, rules in rows:
        if o.id in notes:
            cell = f"catatan: {' '.join(notes[o.id].split())}"
        elif rules:
            cell = ", ".join(f"{r} *bukti*" if r in evidence else r for r in rules)
        else:
            cell = "**belum ada**"
        lines.append(f"| {o.id} | {o.ref} | {o.auto} | {cell} |")
    return "\n".join(lines) + "\n"
