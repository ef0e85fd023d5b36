"""The remediation checklist for the OPD: findings as actions, grouped by the responsible position
(Eselon II, then III, then IV), the heaviest first within each position."""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.evaluate import Finding, Report

UNASSIGNED = "Pimpinan OPD (penanggung jawab belum ditetapkan)"
ESELON_ORDER = {"I": 0, "II": 1, "III": 2, "IV": 3, "fungsional": 4, "staf": 5}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class Group:
    jabatan: str
    eselon: str | None
    items: list[Finding] = field(default_factory=list)


def checklist(report: Report) -> list[Group]:
    """Groups in order: unassigned findings (the head of the OPD answers for them) first, then positions by
    eselon and name; inside a group by severity, rule and place (the report's own order)."""
    groups: dict[str, Group] = {}
    for finding in report.findings:  # already sorted by component, severity, rule, place
        name = finding.location.jabatan or UNASSIGNED
        group = groups.setdefault(name, Group(name, finding.location.eselon if finding.location.jabatan else None))
        group.items.append(finding)

    def order(g: Group) -> tuple:
        return (g.jabatan != UNASSIGNED, ESELON_ORDER.get(g.eselon or "", 9), g.jabatan)

    out = sorted(groups.values(), key=order)
    for g in out:
        g.items.sort(key=lambda f: SEVERITY_ORDER[f.severity])  # stable: keeps the report order otherwise
    return out
