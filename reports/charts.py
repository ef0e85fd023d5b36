"""Inline SVG charts for the HTML report: no script, no network, prints as drawn.

Geometry is computed here (tested), templates only place the markup. Numbers shown use Indonesian notation.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from sakip_checker.evaluate import CascadeNode, Series
from sakip_checker.numbers import BULAN_LABEL, format_number
from sakip_checker.scoring import Scores

FAIL = "#b42318"
OK = "#067647"
TARGET = "#6941c6"
INK = "#1d2939"
GRID = "#d0d5dd"
LEVELS = ("tujuan", "sasaran", "program", "kegiatan", "sub_kegiatan")


def _n(value: Decimal | float) -> str:
    """A coordinate: plain, two decimals at most, no exponent."""
    return format(Decimal(str(value)).quantize(Decimal("0.01")).normalize(), "f")


def score_bars(scores: Scores, L: dict) -> str:
    """Horizontal bars: compliance per component (0-100 %). ``L``: the label catalogue (reports/labels.py)."""
    t = L["t"]
    rows = [(L["components"][c.component], c.score) for c in scores.components]
    width, bar_x, bar_w, row_h = 600, 170, 330, 28
    height = row_h * len(rows) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}"><title>{escape(t["grafik_skor"])}</title>']
    for i, (label, value) in enumerate(rows):
        y = 5 + i * row_h
        parts.append(f'<text x="0" y="{y + 17}" fill="{INK}" font-size="13">{escape(label)}</text>')
        parts.append(f'<rect x="{bar_x}" y="{y + 4}" width="{bar_w}" height="16" fill="none" stroke="{GRID}"/>')
        if value is None:
            parts.append(f'<text x="{bar_x + 6}" y="{y + 17}" fill="{INK}" font-size="12">{escape(t["tanpa_aturan"])}</text>')
            continue
        v = Decimal(value)
        color = OK if v > 80 else (TARGET if v > 60 else FAIL)
        parts.append(f'<rect x="{bar_x}" y="{y + 4}" width="{_n(bar_w * v / 100)}" height="16" fill="{color}"/>')
        parts.append(f'<text x="{bar_x + bar_w + 8}" y="{y + 17}" fill="{INK}" font-size="13">'
                     f'{format_number(v, decimals=2)}%</text>')
    parts.append("</svg>")
    return "".join(parts)


def monthly_chart(series: Series, t: dict[str, str]) -> str:
    """Realisasi s.d. bulan (points and line) against the annual target (dashed line), months 1-12."""
    width, height, left, right, top, bottom = 360, 180, 48, 12, 22, 28
    values = [Decimal(v) for _, v in series.points]
    target = Decimal(series.target) if series.target is not None else None
    top_value = max(values + ([target] if target is not None else []) + [Decimal(1)])
    bottom_value = min(values + [Decimal(0)])
    span = (top_value - bottom_value) or Decimal(1)
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(month: int) -> str:
        return _n(left + plot_w * Decimal(month - 1) / 11)

    def y(value: Decimal) -> str:
        return _n(top + plot_h * (1 - (value - bottom_value) / span))

    title = f"{series.nama}: {t['grafik_bulanan']}"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}"><title>{escape(title)}</title>',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{GRID}"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="{GRID}"/>',
             f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" font-size="10" fill="{INK}">'
             f'{format_number(top_value, decimals=2 if top_value != top_value.to_integral_value() else 0)}</text>',
             f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" font-size="10" fill="{INK}">'
             f'{format_number(bottom_value)}</text>']
    for month in (1, 3, 6, 9, 12):
        parts.append(f'<text x="{x(month)}" y="{height - 10}" text-anchor="middle" font-size="10" fill="{INK}">'
                     f'{BULAN_LABEL[month - 1][:3]}</text>')
    if target is not None:
        parts.append(f'<line x1="{left}" y1="{y(target)}" x2="{width - right}" y2="{y(target)}" stroke="{TARGET}" '
                     f'stroke-dasharray="5 3"/><text x="{width - right}" y="{_n(Decimal(y(target)) - 4)}" '
                     f'text-anchor="end" font-size="10" fill="{TARGET}">{escape(t["target_kecil"])} {format_number(target)}</text>')
    line = " ".join(f"{x(m)},{y(Decimal(v))}" for m, v in series.points)
    parts.append(f'<polyline points="{line}" fill="none" stroke="{INK}" stroke-width="1.5"/>')
    for month, value in series.points:
        parts.append(f'<circle cx="{x(month)}" cy="{y(Decimal(value))}" r="3" fill="{INK}"/>')
    parts.append("</svg>")
    return "".join(parts)


def cascade_tree(nodes: list[CascadeNode], t: dict[str, str]) -> str:
    """The indicator cascade as a left-to-right tree, one column per level; nodes with findings in red."""
    children: dict[str | None, list[CascadeNode]] = {}
    known = {n.id for n in nodes}
    for node in nodes:
        children.setdefault(node.induk if node.induk in known else None, []).append(node)
    levels = [lv for lv in LEVELS if any(n.level == lv for n in nodes)]
    column = {lv: i for i, lv in enumerate(levels)}
    box_w, box_h, gap_x, gap_y = 230, 34, 40, 8
    order: list[CascadeNode] = []

    def walk(node: CascadeNode, seen: set[str]) -> None:
        if node.id in seen:
            return
        seen.add(node.id)
        order.append(node)
        for child in children.get(node.id, []):
            walk(child, seen)

    seen: set[str] = set()
    for root in children.get(None, []):
        walk(root, seen)
    row = {n.id: i for i, n in enumerate(order)}
    width = len(levels) * (box_w + gap_x)
    height = len(order) * (box_h + gap_y) + 24
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="tree" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}"><title>{escape(t["grafik_cascade"])}</title>']
    for lv in levels:
        parts.append(f'<text x="{column[lv] * (box_w + gap_x)}" y="14" font-size="12" font-weight="bold" '
                     f'fill="{INK}">{lv.replace("_", " ").capitalize()}</text>')

    def anchor(node: CascadeNode) -> tuple[int, int]:
        return column[node.level] * (box_w + gap_x), 24 + row[node.id] * (box_h + gap_y)

    by_id = {n.id: n for n in order}
    for node in order:
        parent = by_id.get(node.induk or "")
        if parent is not None:
            px, py = anchor(parent)
            cx, cy = anchor(node)
            parts.append(f'<path d="M{px + box_w},{py + box_h // 2} C{px + box_w + gap_x // 2},{py + box_h // 2} '
                         f'{cx - gap_x // 2},{cy + box_h // 2} {cx},{cy + box_h // 2}" fill="none" stroke="{GRID}"/>')
    for node in order:
        x, y = anchor(node)
        color = FAIL if node.temuan else OK
        name = node.nama if len(node.nama) <= 34 else node.nama[:33] + "…"
        parts.append(f'<g class="node{" fail" if node.temuan else ""}"><title>{escape(node.nama)} '
                     f'({node.temuan} {escape(t["temuan_n"])})</title><rect x="{x}" y="{y}" width="{box_w}" height="{box_h}" rx="4" '
                     f'fill="#fff" stroke="{color}" stroke-width="{2 if node.temuan else 1}"/>'
                     f'<text x="{x + 6}" y="{y + 14}" font-size="11" fill="{INK}">{escape(name)}</text>'
                     f'<text x="{x + 6}" y="{y + 28}" font-size="10" fill="{color}">{escape(node.id)}: '
                     f'{node.temuan} {escape(t["temuan_n"])}</text></g>')
    parts.append("</svg>")
    return "".join(parts)
