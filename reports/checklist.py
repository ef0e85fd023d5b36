"""The remediation checklist for the OPD: findings as actions, grouped by the responsible position
(Eselon II, then III, then IV), the heaviest first within each position."""

from __future__ import annotations

from dataclasses import dataclass, field

from sakip_checker.evaluate import FindingGroup, Located, Location, Report

UNASSIGNED = "Pimpinan OPD (penanggung jawab belum ditetapkan)"
ESELON_ORDER = {"I": 0, "II": 1, "III": 2, "IV": 3, "fungsional": 4, "staf": 5}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class Action:
    """One finding group's locations that one position answers for: one action to tick off."""

    finding: FindingGroup
    locations: list[Located]

    def __getattr__(self, name: str):  # severity, rule_id, citation, ... of the finding
        return getattr(self.finding, name)

    @property
    def location(self) -> Location:
        return self.locations[0].location

    @property
    def remediation(self) -> str:
        """The locations' remediation when they agree, else the first one's as an example (each location's
        own is in the JSON, CSV and XLSX "Temuan" rows)."""
        return self.locations[0].remediation

    @property
    def remediation_varies(self) -> bool:
        return len({x.remediation for x in self.locations}) > 1


@dataclass
class Group:
    jabatan: str
    eselon: str | None
    items: list[Action] = field(default_factory=list)


def checklist(report: Report) -> list[Group]:
    """Groups in order: unassigned findings (the head of the OPD answers for them) first, then positions by
    eselon and name; inside a group by severity, rule and place (the report's own order). A finding with
    locations of several positions becomes one action for each, with that position's locations."""
    groups: dict[str, Group] = {}
    for finding in report.findings:  # already sorted by component, severity, rule, place
        actions: dict[str, Action] = {}
        for located in finding.locations:
            name = located.location.jabatan or UNASSIGNED
            group = groups.setdefault(name, Group(name, located.location.eselon if located.location.jabatan else None))
            if name not in actions:
                actions[name] = Action(finding, [])
                group.items.append(actions[name])
            actions[name].locations.append(located)

    def order(g: Group) -> tuple:
        return (g.jabatan != UNASSIGNED, ESELON_ORDER.get(g.eselon or "", 9), g.jabatan)

    out = sorted(groups.values(), key=order)
    for g in out:
        g.items.sort(key=lambda f: SEVERITY_ORDER[f.severity])  # stable: keeps the report order otherwise
    return out
