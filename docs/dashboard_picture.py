"""Draw the CloudWatch dashboard's grid (positions, sizes, titles, series) to `docs/dashboard.png`.

    uv run python docs/dashboard_picture.py            # writes docs/dashboard.png
    uv run python docs/dashboard_picture.py out.png

The picture comes from the same `dashboard_body()` the `Dashboard` component deploys, given sample
identifiers, so it cannot drift from the real layout. It shows where each widget sits and what it plots,
not data: the lines inside the graphs are placeholders.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from components.observability._dashboard_body import PipelineNames, dashboard_body, widget_title  # noqa: E402

OUT = Path(__file__).with_name("dashboard.png")
SAMPLE = PipelineNames(
    bus_name="orders-prod-events-bus",
    rule_name="orders-prod-events-rule-1a2b3c",
    dlq_name="orders-prod-events-dlq-4d5e6f",
    api_name="orders-prod-api-rest",
    api_stage="v1",
    alb_arn_suffix="app/orders-prod-svc-alb-lb/50dc6c495c0c9188",
    target_group_arn_suffix="targetgroup/orders-prod-svc-alb-tg/73e2d6bc24d8a067",
    cluster_name="orders-prod-svc-cluster-7a8b9c",
    service_name="orders-prod-svc-service-0d1e2f",
    db_cluster_identifier="orders-prod-db-cluster-3a4b5c",
)
#: One colour per hop, in the order an event meets them.
HOP_COLOURS = ("#e07a1f", "#7b4fb8", "#2a7fb8", "#2e9e6b", "#c23b5a", "#3d5a80")
UNIT_X, UNIT_Y = 0.62, 0.34  # inches per grid column / row; CloudWatch rows are shallower than columns


@dataclass(frozen=True)
class Box:
    """One widget as drawn: grid position and size, title, and the series it plots."""

    x: int
    y: int
    width: int
    height: int
    title: str
    kind: str
    series: tuple[str, ...] = ()
    detail: str = ""
    marks: tuple[str, ...] = ()  # horizontal annotations (thresholds drawn on the graph)


def boxes(body: Mapping[str, Any]) -> list[Box]:
    """What the picture draws, widget by widget (the rendering's inputs)."""
    drawn = []
    for widget in body["widgets"]:
        properties = widget["properties"]
        series: tuple[str, ...] = ()
        detail, marks = "", ()
        if widget["type"] == "metric":
            series = tuple(_series(row, properties.get("stat", "Average")) for row in properties["metrics"])
            lines = properties.get("annotations", {}).get("horizontal", [])
            marks = tuple(f"{line['label']}: {line['value']:g}" for line in lines)
        else:
            detail = "\n".join(properties["markdown"].splitlines()[1:]).replace("`", "")
        drawn.append(
            Box(widget["x"], widget["y"], widget["width"], widget["height"], widget_title(widget),
                widget["type"], series, detail, marks)
        )  # fmt: skip
    return drawn


def _series(row: Sequence[Any], default_stat: str) -> str:
    render = row[-1] if isinstance(row[-1], dict) else {}
    label = render.get("label", row[1])
    stat = render.get("stat", default_stat)
    return f"{label} ({stat})" if stat.startswith("p") and stat not in label else label


def render(body: Mapping[str, Any], path: Path) -> list[Box]:
    """Draw `body`'s grid to `path` (PNG); return the boxes drawn."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    drawn = boxes(body)
    columns = 24
    rows = max(box.y + box.height for box in drawn)
    figure = plt.figure(figsize=(columns * UNIT_X, rows * UNIT_Y + 0.9), dpi=110)
    axes = figure.add_axes((0.01, 0.01, 0.98, rows * UNIT_Y / (rows * UNIT_Y + 0.9) - 0.01))
    axes.set_xlim(0, columns)
    axes.set_ylim(rows, 0)
    axes.axis("off")
    figure.suptitle(
        "order-events: one CloudWatch dashboard per stack, "
        "read as an event travels (left to right, then down)",
        x=0.01, ha="left", fontsize=13, fontweight="bold",
    )  # fmt: skip
    colour = HOP_COLOURS[0]
    for index, box in enumerate(sorted(drawn, key=lambda b: (b.x, b.y))):
        if box.kind == "text":
            colour = HOP_COLOURS[sum(1 for b in drawn if b.kind == "text" and (b.y, b.x) < (box.y, box.x))]
        _draw(axes, box, colour, index, FancyBboxPatch)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    plt.close(figure)
    return drawn


def _draw(axes: Any, box: Box, colour: str, seed: int, patch: Any) -> None:
    pad = 0.12
    x, y, w, h = box.x + pad, box.y + pad, box.width - 2 * pad, box.height - 2 * pad
    header = box.kind == "text"
    axes.add_patch(
        patch((x, y), w, h, boxstyle="round,pad=0,rounding_size=0.15", linewidth=1.2,
              edgecolor=colour, facecolor=colour if header else "white")
    )  # fmt: skip
    if header:
        axes.text(x + 0.25, y + 0.55, box.title, color="white", fontsize=12, fontweight="bold", va="center")
        axes.text(x + 0.25, y + 1.25, box.detail, color="white", fontsize=7.5, va="center")
        return
    axes.add_patch(patch((x, y), w, 0.06, boxstyle="square,pad=0", linewidth=0, facecolor=colour))
    axes.text(x + 0.2, y + 0.55, box.title, fontsize=9, fontweight="bold", va="center", color="#1d2733")
    plot_top, plot_bottom = y + 1.1, y + h - 0.25 - 0.42 * len(box.series)
    for mark in box.marks:
        axes.plot([x + 0.3, x + w - 0.3], [plot_top - 0.1] * 2, color="#c0392b", linewidth=1, linestyle="--")
        axes.text(x + w - 0.3, plot_top - 0.3, mark, fontsize=7, color="#c0392b", ha="right", va="center")
    for i, label in enumerate(box.series):
        shade = _shade(colour, i, len(box.series))
        xs = [x + 0.3 + (w - 0.6) * k / 40 for k in range(41)]
        mid = plot_top + (plot_bottom - plot_top) * (i + 1) / (len(box.series) + 1)
        ys = [mid + 0.25 * math.sin(k / 4 + seed + i) for k in range(41)]
        axes.plot(xs, ys, color=shade, linewidth=1.3, alpha=0.55)
        axes.plot([x + 0.3, x + 0.7], [plot_bottom + 0.25 + 0.42 * i] * 2, color=shade, linewidth=2.5)
        axes.text(x + 0.85, plot_bottom + 0.25 + 0.42 * i, label, fontsize=7.5, va="center", color="#33404d")


def _shade(colour: str, index: int, count: int) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mix = 0.55 * index / max(count - 1, 1)
    return "#{:02x}{:02x}{:02x}".format(*(int(c + (255 - c) * mix) for c in (r, g, b)))


def main(argv: Sequence[str]) -> int:
    path = Path(argv[0]) if argv else OUT
    render(dashboard_body(SAMPLE, region="eu-west-1"), path)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
