"""The rule catalogue polices itself: ids, files, examples, citations word for word, checks in use."""

import re
from pathlib import Path

import pytest

from sakip_checker.checks import CHECKS
from sakip_checker.conditions import CONSTANT_FIELD, closing, is_reference
from sakip_checker.coverage import coverage_markdown, coverage_rows, obligations
from sakip_checker.inputs import InputProblem
from sakip_checker.pack import COMPONENTS
from sakip_checker.rules import ID_PREFIX, load_catalogue

PACK_TEXT = Path(__file__).resolve().parent.parent / "rules/pergub-banten-42-2018/_source/pergub-banten-42-2018-sakip.txt"
OBLIGATIONS = Path(__file__).resolve().parent.parent.parent / "shared/domain/obligations.md"


def norm(text: str) -> str:
    """Whitespace folded; the conversion's italics (*output*) and list markers ("- a.") dropped."""
    lines = (re.sub(r"^\s*-\s+", "", line) for line in text.replace("*", "").splitlines())
    return " ".join(" ".join(lines).split())


def article_text(pasal: str | None, bagian: str | None) -> str:
    """The text of one Pasal (up to the next Pasal or BAB), of Lampiran A or of Lampiran B."""
    text = PACK_TEXT.read_text(encoding="utf-8")
    if bagian and bagian.startswith("Lampiran A"):
        return norm(text[text.index("A. PENDISTRIBUSIAN INDIKATOR KINERJA"):text.index("B. TATA CARA PELAPORAN")])
    if bagian and bagian.startswith("Lampiran B"):
        return norm(text[text.index("B. TATA CARA PELAPORAN"):])
    body = text[: text.index("BAB III")]
    start = re.search(rf"^Pasal {pasal}\s*$", body, re.M)
    assert start, f"Pasal {pasal} not found"
    nxt = re.search(r"^(Pasal \d+|Bagian \w+|BAB \w+)\s*$", body[start.end():], re.M)
    return norm(body[start.end(): start.end() + nxt.start() if nxt else len(body)])


def test_at_least_thirty_rules_over_four_components(catalogue):
    assert len(catalogue.rules) >= 30
    assert {cr.rule.component for cr in catalogue.rules} == set(COMPONENTS)


def test_ids_unique_and_match_files_and_folders(catalogue):
    seen = set()
    for cr in catalogue.rules:
        rule = cr.rule
        for ident in [rule.id, *rule.aliases]:
            assert ident not in seen
            seen.add(ident)
        assert cr.source.name.startswith(rule.id + "_")
        assert cr.source.parent.name == rule.component
        assert rule.id.startswith(ID_PREFIX[rule.component])
        assert rule.name.startswith(rule.component + ".")


def test_every_rule_has_pass_and_fail_examples(catalogue):
    for cr in catalogue.rules:
        kinds = {e.expect for e in cr.rule.examples}
        assert "pass" in kinds and kinds & {"fail", "unknown"}, cr.rule.id


@pytest.mark.parametrize("cr", load_catalogue().rules, ids=lambda cr: cr.rule.id)
def test_citations_quote_the_cited_article(cr, catalogue):
    key = catalogue.pack.regulation.key
    for cit in [cr.rule.citation, *cr.rule.see_also]:
        if cit.regulation != key:
            assert cit.note, f"{cr.rule.id}: a non-Pergub source says which practice it is"
            continue
        assert cit.pasal or cit.bagian
        article = article_text(cit.pasal, cit.bagian) if cit.pasal != "1" else norm(PACK_TEXT.read_text())
        assert norm(cit.quote) in article, f"{cr.rule.id}: quote not in Pasal {cit.pasal}"
        if cit.ayat:
            assert f"({cit.ayat})" in article
        if cit.huruf:
            assert norm(cit.quote).startswith(f"{cit.huruf}.") or f" {cit.huruf}. " in article


def test_checks_referenced_exist_and_every_check_is_used(catalogue):
    used = {name for cr in catalogue.rules for name in cr.rule.derive}
    assert used <= set(CHECKS)
    reported_only = {"tabel_b2.peringkat"}  # the report's Tabel B.2 ratings read it for every row
    assert set(CHECKS) - used - reported_only == set()


def heuristic_problems(rules) -> list[str]:
    """A rule that reads a word heuristic (checks.teks.HEURISTIC_FIELDS) must be tagged ``heuristik``, and a
    rule tagged ``heuristik`` must not be severity error: names and shared words suggest, they do not prove."""
    from sakip_checker.checks.teks import HEURISTIC_FIELDS

    heuristic = {(t, f) for t, names in HEURISTIC_FIELDS.items() for f in names}
    problems = []
    for rule, fields in rules:
        reads = {(t, f) for t, names in fields.items() for f in names} & heuristic
        if reads and "heuristik" not in rule.tags:
            problems.append(f"{rule.id}: reads {sorted(reads)} without the tag heuristik")
        if "heuristik" in rule.tags and rule.severity == "error":
            problems.append(f"{rule.id}: heuristik at severity error")
    return problems


def test_heuristic_rules_are_tagged_and_never_errors(catalogue):
    rules = [(cr.rule, cr.fields) for cr in catalogue.rules]
    assert heuristic_problems(rules) == []
    tagged = {r.id for r, _ in rules if "heuristik" in r.tags}
    assert {"UKR-011", "UKR-019", "UKR-020", "UKR-022", "UKR-024", "UKR-038"} <= tagged
    # the check bites: UKR-019 at error, or without its tag
    cr = catalogue.by_id["UKR-019"]
    as_error = cr.rule.model_copy(update={"severity": "error"})
    untagged = cr.rule.model_copy(update={"tags": [t for t in cr.rule.tags if t != "heuristik"]})
    assert heuristic_problems([(as_error, cr.fields)]) == ["UKR-019: heuristik at severity error"]
    assert "without the tag heuristik" in heuristic_problems([(untagged, cr.fields)])[0]


def test_obligation_ids_exist_in_the_domain_brief(catalogue):
    known = {o.id for o in obligations(catalogue)}
    # 99 duties and the note PG42-LB-0 of shared/domain/obligations.md, then 5 duties and 2 notes it misses
    # (_source/obligations-tambahan.md)
    assert len(known) == 107
    assert {"PG42-LB-1.h", "PG42-LA-5", "PG42-LA-6", "PG42-LA-7", "PG42-P13.2", "PG42-LB-1.n", "PG42-LB-4.n"} <= known
    for cr in catalogue.rules:
        assert cr.rule.obligations, cr.rule.id
        assert set(cr.rule.obligations) <= known, (cr.rule.id, set(cr.rule.obligations) - known)


def test_vendored_obligations_match_the_domain_brief():
    if not OBLIGATIONS.exists():
        pytest.skip("shared/domain/obligations.md is not beside this checkout")
    assert (PACK_TEXT.parent / "obligations.md").read_text(encoding="utf-8") == OBLIGATIONS.read_text(encoding="utf-8")


def test_every_document_a_finding_can_name_has_a_label():
    from sakip_checker.facts import DOCUMENT_OF
    from sakip_checker.reports.labels import labels

    assert set(DOCUMENT_OF.values()) <= set(labels()["document"])


def test_every_obligation_has_a_rule_an_evidence_item_or_a_note(catalogue):
    from sakip_checker.coverage import gaps, obligations

    assert gaps(catalogue) == [], "obligations of obligations.md with neither a rule nor an evidence item"
    auto = {o.id: o.auto for o in obligations(catalogue)}
    for ident in catalogue.pack.catatan:  # only lines the brief itself marks as no duty may be notes
        assert auto.get(ident) == "—", ident


def test_committed_coverage_table_is_current(catalogue):
    committed = (Path(__file__).resolve().parent.parent / "docs/coverage.md").read_text(encoding="utf-8")
    assert committed == coverage_markdown(catalogue), "regenerate: sakip rules --coverage > docs/coverage.md"
    rows = dict((o.id, rules) for o, rules in coverage_rows(catalogue))
    assert rows["PG42-P11.1"] and rows["PG42-P23"] and rows["PG42-P12-3-a"]


def _groups(node, out):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("$and", "$or"):
                out.append((key, value))
            _groups(value, out)
    elif isinstance(node, list):
        for item in node:
            _groups(item, out)


def test_every_engine_group_with_a_reference_is_closed_by_a_neutral_comparison(catalogue):
    """Guards the durable-rules work-around in engine/conditions.py: a group whose own members compare
    against another fact ends with the neutral comparison; other groups stay pure alpha tests."""
    closed = 0
    for cr in catalogue.rules:
        groups = []
        _groups(cr.durable_rules(), groups)
        assert groups
        for op, members in groups:
            last = members[-1]
            ref = last.get("$neq", last)
            if any(is_reference(m) for m in members):
                assert set(ref) == {CONSTANT_FIELD}, (cr.rule.id, op, last)
                assert ("$neq" in last) == (op == "$or"), (cr.rule.id, op, last)
                closed += 1
            else:
                assert not any(closing(g, a) in members for g in ("$and", "$or") for a in ("u", "$m")), (cr.rule.id, op)
    assert closed >= 10


def test_a_bad_rule_pack_names_every_problem(tmp_path):
    pack = tmp_path / "pergub-banten-42-2018"
    (pack / "pengukuran").mkdir(parents=True)
    src = Path(__file__).resolve().parent.parent / "rules/pergub-banten-42-2018"
    (pack / "pack.yaml").write_text((src / "pack.yaml").read_text())
    good = (src / "pengukuran/UKR-015_indicator_has_unit.yaml").read_text()
    (pack / "pengukuran/UKR-015_indicator_has_unit.yaml").write_text(good.replace("remediation:", "remediaton:"))
    (pack / "pengukuran/UKR-016_x.yaml").write_text(good.replace("UKR-015", "UKR-016").replace("satuan}", "satuannya}"))
    (pack / "pengukuran/UKR-017_y.yaml").write_text("id: [unclosed\n")
    (pack / "pengukuran/UKR-018_z.yaml").write_text(good.replace("UKR-015", "UKR-018").replace(
        "severity:", "needs: [lkjp]\nseverity:"))
    with pytest.raises(InputProblem) as err:
        load_catalogue(tmp_path)
    text = "\n".join(err.value.lines)
    assert "UKR-015_indicator_has_unit.yaml" in text and "remediaton" in text and "remediation" in text
    assert "UKR-016_x.yaml" in text and "satuannya" in text
    assert "UKR-017_y.yaml:" in text and "YAML tidak sah" in text
    assert "UKR-018_z.yaml" in text and "needs: dokumen 'lkjp' tidak dikenal" in text
    assert len(err.value.lines) >= 5
