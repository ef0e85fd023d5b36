import xml.etree.ElementTree as ET

from sakip_checker.evaluate import CascadeNode, Series
from sakip_checker.scoring import score
from sakip_checker.reports.charts import FAIL, cascade_tree, monthly_chart, score_bars
from sakip_checker.reports.labels import labels

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed XML, or this raises


def test_monthly_chart_draws_every_month_and_the_target():
    series = Series(indikator="K1", nama="Jumlah dataset <terbit>", satuan="Dataset", target="24",
                    points=[(m, str(2 * m)) for m in range(1, 13)])
    root = parse(monthly_chart(series, labels()["t"]))
    circles = root.findall(f"{SVG}circle")
    assert len(circles) == 12
    xs = [float(c.get("cx")) for c in circles]
    assert xs == sorted(xs) and xs[0] < xs[-1]
    ys = [float(c.get("cy")) for c in circles]
    assert ys == sorted(ys, reverse=True)  # rising realisasi goes up the page
    texts = "".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "target 24" in texts and "Des" in texts
    assert "&lt;terbit&gt;" in monthly_chart(series, labels()["t"])  # names are escaped
    # the December point sits on the target line
    target_line = next(l for l in root.findall(f"{SVG}line") if l.get("stroke-dasharray"))
    assert float(target_line.get("y1")) == ys[-1]


def test_cascade_tree_marks_nodes_with_findings():
    nodes = [CascadeNode(id="S1", level="sasaran", nama="Sasaran", induk=None, path="indikator[0]", temuan=0),
             CascadeNode(id="P1", level="program", nama="Program", induk="S1", path="indikator[1]", temuan=2),
             CascadeNode(id="K1", level="kegiatan", nama="Kegiatan", induk="P1", path="indikator[2]", temuan=0)]
    root = parse(cascade_tree(nodes, labels()["t"]))
    groups = root.findall(f"{SVG}g")
    assert [g.get("class") for g in groups] == ["node", "node fail", "node"]
    assert groups[1].find(f"{SVG}rect").get("stroke") == FAIL
    assert len(root.findall(f"{SVG}path")) == 2  # two parent-child links


def test_score_bars(catalogue):
    from sakip_checker.evaluate import RuleCoverage

    cov = [RuleCoverage(rule_id="REN-001", component="perencanaan", severity="error", title="t", evaluated=4,
                        passed=3, failed=1, unknown=0)]
    root = parse(score_bars(score(cov), labels()))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "75,00%" in texts and "Perencanaan" in texts
