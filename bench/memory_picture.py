#!/usr/bin/python3
"""Memory picture of a Pex arena, as SVG.

    /usr/bin/python3 bench/memory_picture.py REPORT.json [REPORT2.json] -o picture.svg
        [--labels "before,after"] [--title TEXT]

REPORT.json is what `pexc MODEL --report-json=REPORT.json` writes. Every buffer
of its `arena_buffers` is drawn as a rectangle: horizontally over the steps it
is live (inclusive lifetime), vertically at its arena offset and size. The
dashed line is the arena size, the shaded column the step where the most bytes
are live (the peak), the black staircase the live bytes at each step (where it
is below the highest rectangle, the difference is padding and fragmentation).

Steps: the planner numbers the operations of the bufferized program; the
picture keeps only the positions where a buffer is created (one kernel each,
in execution order) and numbers them 0, 1, 2 ... A buffer is live at a step
when that position lies within its lifetime. Slices of a partially executed
group are drawn once: their rectangles stand for every iteration of the loop;
so are the line buffers of a row stream (`--stream`), for every row.

With two reports (e.g. `--no-partial` and the default) the panels are side by
side with the same byte scale, so the saving is the difference in height.
"""

from __future__ import annotations

import argparse
import colorsys
import html
import json
import os
import re
import sys

KINDS = {
    # kind: (label in the legend, hue, saturation)
    "tensor": ("whole tensor", 0.58, 0.45),
    "group": ("result of a partially executed group", 0.33, 0.45),
    "slice": ("channel slice (one loop iteration)", 0.08, 0.75),
    "accumulator": ("i32 accumulator of a group", 0.83, 0.40),
    "stream": ("result of a row stream", 0.45, 0.55),
    "line": ("line buffer of a row stream (the rows a window still needs)", 0.13, 0.85),
    "row-accumulator": ("accumulator of a stream's rows (global pool)", 0.75, 0.55),
    "other": ("other", 0.0, 0.0),
}


def _buffer_name(what: str) -> str:
    match = re.search(r'"(.*)"\s*$', what)
    return match.group(1) if match else what


def _kind_of(what: str) -> str:
    if what.startswith("a slice of"):
        return "slice"
    if what.startswith("the accumulator of"):
        return "accumulator"
    if what.startswith("the line buffer of"):
        return "line"
    if what.startswith("the row accumulator of"):
        return "row-accumulator"
    if what.startswith("the result of pex.stream"):
        return "stream"
    if what.startswith("the result of pex.group"):
        return "group"
    return "tensor"


def classify(report: dict) -> list[str]:
    """The kind of every arena buffer, from the schedule's description of the
    buffer with the same operator name (and size, when several match)."""
    by_name: dict[str, list[tuple[int, str]]] = {}
    for buffer in report.get("schedule", {}).get("buffers", []):
        if buffer.get("io"):
            continue
        by_name.setdefault(_buffer_name(buffer["what"]), []).append(
            (buffer["bytes"], _kind_of(buffer["what"])))
    kinds = []
    for buffer in report["arena_buffers"]:
        candidates = by_name.get(buffer["op"], [])
        same_size = [kind for size, kind in candidates if size == buffer["bytes"]]
        if same_size:
            kinds.append(same_size[0])
        elif any(kind == "slice" for _, kind in candidates):
            kinds.append("slice")  # the peeled remainder slice is smaller
        elif candidates:
            kinds.append(candidates[0][1])
        else:
            kinds.append("other")
    return kinds


class Layout:
    """Buffers of one report mapped to steps; live bytes per step."""

    def __init__(self, report: dict):
        self.report = report
        self.buffers = report["arena_buffers"]
        self.kinds = classify(report)
        events = sorted({b["first"] for b in self.buffers})
        self.steps = len(events)
        index = {position: i for i, position in enumerate(events)}
        self.spans = []
        for b in self.buffers:
            start = index[b["first"]]
            end = start
            while end + 1 < len(events) and events[end + 1] <= b["last"]:
                end += 1
            self.spans.append((start, end + 1))
        self.live = [0] * self.steps
        for (start, end), b in zip(self.spans, self.buffers):
            for step in range(start, end):
                self.live[step] += b["bytes"]
        self.peak = max(self.live) if self.live else 0
        self.peak_step = self.live.index(self.peak) if self.live else 0
        self.arena = report.get("arena_bytes", 0)
        self.top = max((b["offset"] + b["bytes"] for b in self.buffers), default=0)


def _nice_step(span: float, ticks: int = 6) -> float:
    """A round tick distance (1, 2 or 5 times a power of ten) giving about
    `ticks` ticks over `span`."""
    raw = max(span / ticks, 1e-9)
    magnitude = 1.0
    while magnitude * 10 <= raw:
        magnitude *= 10
    while magnitude > raw:
        magnitude /= 10
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _byte_ticks(y_max: float) -> tuple[float, float, str]:
    """(tick distance in bytes, axis top in bytes, unit) with round numbers of
    the unit (B, KiB or MiB)."""
    unit, scale = ("MiB", 1 << 20) if y_max >= 4 << 20 else (
        ("KiB", 1024) if y_max >= 4096 else ("B", 1))
    step = max(_nice_step(y_max / scale, 8), 1 if unit == "B" else 0.1)
    top = step * -(-(y_max * 1.08 / scale) // step)  # at least 8 % headroom
    return step * scale, top * scale, unit


def _bytes_label(value: float, unit: str) -> str:
    scale = {"B": 1, "KiB": 1024, "MiB": 1 << 20}[unit]
    return f"{value / scale:g} {unit}"


def _color(kind: str, index: int) -> str:
    _, hue, saturation = KINDS[kind]
    lightness = (0.52, 0.62, 0.72)[index % 3]
    r, g, b = colorsys.hls_to_rgb(hue, lightness, saturation)
    return f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"


def _short(op: str) -> str:
    """A short name for a label: the first part of a TFLite tensor name
    ("model/activation_1/Relu;..." -> "activation_1")."""
    name = op.split(";")[0]
    if name.startswith("model/"):
        name = name[len("model/"):]
    return name.split("/")[0] or name


def render(reports: list[dict], labels: list[str], title: str | None) -> str:
    layouts = [Layout(r) for r in reports]
    y_max = max(max(l.arena, l.top, l.peak) for l in layouts) or 1
    y_tick, y_top, y_unit = _byte_ticks(y_max)

    panel_w, plot_h = 540, 380
    left, right, top, bottom = 100, 24, 104, 60
    width = len(layouts) * (left + panel_w + right)
    height = top + plot_h + bottom + 70  # set again after the legend
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" '
           f'font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>']
    model = reports[0].get("model", "")
    heading = title or f"Arena of {model}"
    out.append(f'<text x="{width / 2}" y="24" text-anchor="middle" font-size="17" '
               f'font-weight="bold">{html.escape(heading)}</text>')

    for panel, (layout, label) in enumerate(zip(layouts, labels)):
        x0 = panel * (left + panel_w + right) + left
        y0 = top
        steps = max(layout.steps, 1)
        sx = panel_w / steps

        def X(step: float) -> float:
            return x0 + step * sx

        def Y(value: float) -> float:
            return y0 + plot_h - value / y_top * plot_h

        report = layout.report
        io = report.get("io_bytes", 0)
        rows = report.get("input_rows")
        held = (f'+ {io:,} B output held by the caller, the input handed over in rows of '
                f'{rows["row_bytes"]:,} B' if rows else
                f'+ {io:,} B input/output held by the caller' if io else
                'input and output in the arena')
        out.append(f'<text x="{x0 + panel_w / 2}" y="{y0 - 46}" text-anchor="middle" '
                   f'font-size="14" font-weight="bold">{html.escape(label)}</text>')
        out.append(f'<text x="{x0 + panel_w / 2}" y="{y0 - 28}" text-anchor="middle">'
                   f'arena {layout.arena:,} B, peak live {layout.peak:,} B, '
                   f'{len(layout.buffers)} buffers; {held}</text>')
        if layout.peak != report.get("arena_peak_bytes", layout.peak):
            out.append(f'<text x="{x0 + panel_w / 2}" y="{y0 + 16}" text-anchor="middle" '
                       f'fill="red">warning: the planner reports a peak of '
                       f'{report["arena_peak_bytes"]:,} B</text>')
        # Axes and grid.
        out.append(f'<rect x="{x0}" y="{y0}" width="{panel_w}" height="{plot_h}" '
                   f'fill="#fafafa" stroke="#888"/>')
        value = 0.0
        while value <= y_top + 1e-9:
            y = Y(value)
            out.append(f'<line x1="{x0 - 5}" y1="{y:.1f}" x2="{x0 + panel_w}" y2="{y:.1f}" '
                       f'stroke="#e4e4e4"/>')
            out.append(f'<text x="{x0 - 8}" y="{y + 4:.1f}" text-anchor="end">'
                       f'{_bytes_label(value, y_unit)}</text>')
            value += y_tick
        x_tick = max(1, int(_nice_step(steps, 8)))
        for step in range(0, steps + 1, x_tick):
            out.append(f'<line x1="{X(step):.1f}" y1="{y0 + plot_h}" x2="{X(step):.1f}" '
                       f'y2="{y0 + plot_h + 5}" stroke="#888"/>')
            out.append(f'<text x="{X(step):.1f}" y="{y0 + plot_h + 18}" '
                       f'text-anchor="middle">{step}</text>')
        out.append(f'<text x="{x0 + panel_w / 2}" y="{y0 + plot_h + 38}" '
                   f'text-anchor="middle">step (kernels that create a buffer, in '
                   f'execution order)</text>')
        out.append(f'<text transform="translate({x0 - 80},{y0 + plot_h / 2}) rotate(-90)" '
                   f'text-anchor="middle">arena offset (bytes)</text>')
        # Peak column.
        out.append(f'<rect x="{X(layout.peak_step):.1f}" y="{y0}" width="{sx:.2f}" '
                   f'height="{plot_h}" fill="#ffd84d" fill-opacity="0.35"/>')
        # Buffers.
        for index, (b, (start, end), kind) in enumerate(
                zip(layout.buffers, layout.spans, layout.kinds)):
            x, w = X(start), (end - start) * sx
            y, h = Y(b["offset"] + b["bytes"]), b["bytes"] / y_top * plot_h
            tip = (f'{b["op"]}\n{KINDS[kind][0]}: {b["bytes"]:,} B at offset '
                   f'{b["offset"]:,}, steps {start}-{end - 1}')
            out.append(f'<rect x="{x:.2f}" y="{y:.2f}" width="{w:.2f}" height="{max(h, 0.5):.2f}" '
                       f'fill="{_color(kind, index)}" stroke="white" stroke-width="0.6">'
                       f'<title>{html.escape(tip)}</title></rect>')
            name = _short(b["op"])
            if h >= 13 and len(name) * 6.0 + 6 <= w:  # only names that fit
                out.append(f'<text x="{x + 3:.1f}" y="{y + 11:.1f}" font-size="10" '
                           f'fill="#222">{html.escape(name)}</text>')
        # Live bytes staircase.
        points = []
        for step, live in enumerate(layout.live):
            points.append(f"{X(step):.1f},{Y(live):.1f}")
            points.append(f"{X(step + 1):.1f},{Y(live):.1f}")
        if points:
            out.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="#111" '
                       f'stroke-width="1.4"/>')
        # Arena size and peak labels.
        ya = Y(layout.arena)
        out.append(f'<line x1="{x0}" y1="{ya:.1f}" x2="{x0 + panel_w}" y2="{ya:.1f}" '
                   f'stroke="#d62728" stroke-width="1.6" stroke-dasharray="6,4"/>')
        out.append(f'<text x="{x0 + panel_w - 4}" y="{ya - 5:.1f}" text-anchor="end" '
                   f'fill="#d62728" font-weight="bold">arena {layout.arena:,} B</text>')
        px = X(layout.peak_step + 0.5)
        anchor = "start" if layout.peak_step < steps / 2 else "end"
        dx = 6 if anchor == "start" else -6
        out.append(f'<text x="{px + dx:.1f}" y="{y0 - 8}" text-anchor="{anchor}" '
                   f'fill="#8a6d00" font-weight="bold">peak {layout.peak:,} B live at step '
                   f'{layout.peak_step}</text>')

    # Legend, wrapped to the picture's width.
    items = []  # (width, function of (x, y) -> SVG)
    used = {kind for layout in layouts for kind in layout.kinds}
    for kind, (text, _, _) in KINDS.items():
        if kind in used:
            items.append((26 + 6.6 * len(text), lambda x, y, kind=kind, text=text: (
                f'<rect x="{x}" y="{y}" width="14" height="14" fill="{_color(kind, 1)}"/>'
                f'<text x="{x + 19}" y="{y + 12}">{html.escape(text)}</text>')))
    items.append((110, lambda x, y: (
        f'<line x1="{x}" y1="{y + 7}" x2="{x + 22}" y2="{y + 7}" stroke="#d62728" '
        f'stroke-width="1.6" stroke-dasharray="6,4"/>'
        f'<text x="{x + 28}" y="{y + 12}">arena size</text>')))
    items.append((190, lambda x, y: (
        f'<polyline points="{x},{y + 12} {x + 11},{y + 12} {x + 11},{y + 3} {x + 22},{y + 3}" '
        f'fill="none" stroke="#111" stroke-width="1.4"/>'
        f'<text x="{x + 28}" y="{y + 12}">live bytes at each step</text>')))
    items.append((100, lambda x, y: (
        f'<rect x="{x}" y="{y}" width="14" height="14" fill="#ffd84d" fill-opacity="0.5"/>'
        f'<text x="{x + 19}" y="{y + 12}">peak step</text>')))
    note = "What the caller holds (input and output, or only the output) is outside the arena."
    items.append((6.4 * len(note), lambda x, y: (
        f'<text x="{x}" y="{y + 12}" fill="#555">{note}</text>')))
    ly, x = top + plot_h + bottom + 8, left
    for item_width, draw in items:
        if x > left and x + item_width > width - 10:
            ly, x = ly + 24, left
        out.append(draw(x, ly))
        x += item_width
    height = ly + 34
    out[0] = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
              f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" '
              f'font-size="12">')
    out[1] = f'<rect width="{width}" height="{height}" fill="white"/>'
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", nargs="+", metavar="REPORT.json")
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--labels", help="comma-separated panel titles")
    parser.add_argument("--title")
    args = parser.parse_args(argv)
    if len(args.reports) > 2:
        parser.error("one or two reports")
    reports = []
    for path in args.reports:
        with open(path) as f:
            report = json.load(f)
        if "arena_buffers" not in report:
            print(f"memory_picture: error: {path}: no arena_buffers (not a pexc report?)",
                  file=sys.stderr)
            return 1
        reports.append(report)
    labels = (args.labels.split(",") if args.labels
              else [os.path.splitext(os.path.basename(p))[0] for p in args.reports])
    if len(labels) != len(reports):
        parser.error("one label per report")
    with open(args.output, "w") as f:
        f.write(render(reports, labels, args.title))
    return 0


if __name__ == "__main__":
    sys.exit(main())
