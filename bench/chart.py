"""The results chart: req/s and latency per variant, drawn from the medians."""

from __future__ import annotations

from pathlib import Path

from bench.report import P99_TARGET_MS
from bench.server import VARIANTS


def chart(summary: dict[str, dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    keys = list(summary)
    labels = [VARIANTS[k].label.replace(", ", ",\n", 1) for k in keys]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    left.barh(labels, [summary[k]["rps"] for k in keys], color="tab:blue")
    left.set_xlabel("requests/s (median)")
    left.invert_yaxis()
    for i, k in enumerate(keys):
        left.text(summary[k]["rps"], i, f" {summary[k]['rps']:,.0f}", va="center", fontsize=8)
    right.barh(labels, [summary[k]["p99_ms"] for k in keys], color="tab:orange", label="p99")
    right.barh(labels, [summary[k]["p50_ms"] for k in keys], color="tab:green", label="p50")
    right.axvline(P99_TARGET_MS, color="red", linestyle="--", linewidth=1, label="p99 target")
    right.set_xlabel("latency, ms (64 connections)")
    right.invert_yaxis()
    right.set_yticklabels([])
    right.legend(fontsize=8)
    fig.suptitle("PUT /orders, new order id per request; server CPU 0, wrk CPU 1")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
