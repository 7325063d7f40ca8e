"""Medians, ratios and targets from the raw runs, and the markdown table (the chart is in chart.py)."""

from __future__ import annotations

import statistics

from bench.server import VARIANTS

METRICS = ["rps", "p50_ms", "p99_ms", "p999_ms", "errors", "rss_mib", "cold_start_ms"]
METRICS += [
    "cpu_us_per_req",
    "server_cpu_pct",
    "wrk_cpu_pct",
    "other_load_on_server_cpu_pct",
    "other_load_on_load_cpu_pct",
]
#: (name, numerator, denominator, target or None): ratios of req/s.
RATIOS = [
    ("1/4 durable / raw limit", "durable", "raw", 0.25),
    ("1i/4 durable, increasing ids / raw limit", "durable-increasing", "raw", None),
    ("2/4 in-memory / raw limit", "memory", "raw", 0.5),
    ("1/3 durable / FastAPI twin", "durable", "fastapi", None),
    ("2/3 in-memory / FastAPI twin", "memory", "fastapi", 1.5),
    ("1/2 durable / in-memory", "durable", "memory", 0.6),
    ("5/1 MongoDB store (SecantusDB) / SQLite", "mongo", "durable", None),
]
P99_TARGET_MS, COLD_TARGET_MS, WRK_LIMIT_PCT, SATURATED_PCT = 10.0, 300.0, 90.0, 90.0


def summarise(runs: list[dict]) -> dict[str, dict]:
    """Median of each metric per variant (new orders; the duplicate runs are kept apart)."""
    out: dict[str, dict] = {}
    for key in VARIANTS:
        rows = [r for r in runs if r["variant"] == key and r["mode"] != "duplicate"]
        if rows:
            out[key] = {m: round(statistics.median(r[m] for r in rows), 3) for m in METRICS}
            out[key]["repeats"] = len(rows)
    return out


def ratios(summary: dict[str, dict], runs: list[dict]) -> list[dict]:
    """Each ratio from the medians, with its spread over the repeats (variants back to back)."""
    found = []
    for name, num, den, target in RATIOS:
        if num not in summary or den not in summary:
            continue
        value = summary[num]["rps"] / summary[den]["rps"]
        per_repeat = [
            a["rps"] / b["rps"]
            for a in runs
            for b in runs
            if (a["variant"], b["variant"]) == (num, den)
            and a["repeat"] == b["repeat"]
            and a["mode"] != "duplicate"
        ]
        by_cpu = summary[den]["cpu_us_per_req"] / summary[num]["cpu_us_per_req"]
        row = {
            "ratio": name,
            "value": round(value, 3),
            "by_cpu_cost": round(by_cpu, 3),
            "spread": [round(min(per_repeat), 3), round(max(per_repeat), 3)],
        }
        if target is not None:
            row |= {"target": f">= {target}", "met": value >= target}
        found.append(row)
    return found


def targets(summary: dict[str, dict], from_source: dict[str, dict]) -> list[dict]:
    rows = []
    for key, cold in from_source.items():
        value = cold["median_ms"]
        name = f"{key}: cold start <= {COLD_TARGET_MS:g} ms, compiling from source (no .pyc)"
        rows.append({"target": name, "value": value, "met": value <= COLD_TARGET_MS})
    for key in ("durable", "memory"):
        if key in summary:
            s = summary[key]
            rows.append(
                {
                    "target": f"{key}: p99 <= {P99_TARGET_MS:g} ms",
                    "value": s["p99_ms"],
                    "met": s["p99_ms"] <= P99_TARGET_MS,
                }
            )
            rows.append(
                {
                    "target": (
                        f"{key}: cold start <= {COLD_TARGET_MS:g} ms, bytecode cached (as the image ships)"
                    ),
                    "value": s["cold_start_ms"],
                    "met": s["cold_start_ms"] <= COLD_TARGET_MS,
                }
            )
    return rows


def load_generator_check(runs: list[dict]) -> str:
    worst = max(runs, key=lambda r: r["wrk_cpu_pct"])
    verdict = "not CPU-bound" if worst["wrk_cpu_pct"] < WRK_LIMIT_PCT else "POSSIBLY THE LIMIT"
    text = (
        f"Load generator: wrk (1 thread, CPU 1) peaked at {worst['wrk_cpu_pct']:.0f}% of a core "
        f"({worst['variant']}): {verdict} (threshold {WRK_LIMIT_PCT:.0f}%)."
    )
    if reused := sorted({r["variant"] for r in runs if r.get("ids_reused")}):
        text += f" RAN OUT OF IDS in {', '.join(reused)}: some requests repeated an id (raise RATE_CEILING)."
    idle = sorted({r["variant"] for r in runs if r["server_cpu_pct"] < SATURATED_PCT})
    if idle:
        text += (
            f" The server was below {SATURATED_PCT:.0f}% of its CPU in some runs of {', '.join(idle)}: there "
            "something else set the pace (the load side on CPU 1 when other work shares it, see below; for "
            "the durable store, fsync waits), so req/s understate the server; ratios by CPU cost do not."
        )
    return text


_HEAD = "| variant | order ids | req/s | p50 ms | p99 ms | p99.9 ms | errors | RSS MiB | cold start ms "
_HEAD += "| CPU us/req |"
_ROW = (
    "| {label} | {ids} | {rps:,.0f} | {p50_ms:.1f} | {p99_ms:.1f} | {p999_ms:.1f} | {errors:.0f} "
    "| {rss_mib:.0f} | {cold_start_ms:.0f} | {cpu_us_per_req:.0f} |"
)


_IDS = {"random": "random UUIDv4", "increasing": "increasing"}
_IDS_SAID = (
    "random UUIDv4s (event ids too), made up front (bench/ids.py), as producers send them, unless the "
    "row says increasing (hex prefix, counter: every insert at the end of the B-tree)."
)


def _load_said(meta: dict) -> str:
    if "load_average_1m" not in meta:
        return ""
    before, after = meta["load_average_1m"]
    return (
        f" The machine is shared: its 1-minute load average was {before:.1f} before the runs and {after:.1f}"
        " after (2 CPUs; this benchmark itself adds up to about 2)."
    )


def markdown(results: dict) -> str:
    meta, summary = results["meta"], results["summary"]
    lines = [
        f"# Benchmark results ({meta['date']})",
        "",
        f"{meta['machine']}; server pinned to CPU 0, wrk to CPU 1; {meta['connections']} connections; "
        f"{meta['duration_s']:g} s per run after {meta['warmup_s']:g} s warm-up; medians of "
        f"{meta['repeats']} interleaved runs; every request a new order. Order ids: {_IDS_SAID}"
        + _load_said(meta),
        "",
        _HEAD,
        "|---|---|" + "---:|" * 8,
    ]
    for key, s in summary.items():
        lines.append(_ROW.format(label=VARIANTS[key].label, ids=_IDS[VARIANTS[key].ids], **s))
    lines += [
        "",
        "| ratio (req/s) or target | value | by CPU cost | spread over repeats | target | met |",
        "|---|---:|---:|---|---|---|",
    ]
    for r in results["ratios"]:
        met = "" if "met" not in r else ("met" if r["met"] else "**missed**")
        spread = f"{r['spread'][0]:.2f}-{r['spread'][1]:.2f}"
        cells = f"{r['value']:.2f} | {r['by_cpu_cost']:.2f} | {spread} | {r.get('target', '')} | {met}"
        lines.append(f"| {r['ratio']} | {cells} |")
    for t in results["targets"]:
        lines.append(f"| {t['target']} | {t['value']:.1f} | | | | {'met' if t['met'] else '**missed**'} |")
    lines += [
        "",
        "By CPU cost: the inverse ratio of the servers' CPU time per request (what one core could do). "
        "At 64 connections the closed loop makes p50 about 64 / req/s, so p99 <= 10 ms needs well over "
        "6,400 req/s.",
    ]
    if "mongo" in summary:
        lines += [
            "",
            "5. is the same handler on its MongoDB store (PyMongo, `w: majority`) against SecantusDB, a "
            "MongoDB-compatible server written in Python (devtools/mongo_server.py), on CPU 0 beside the "
            "handler as SQLite is: its CPU time and RSS count in that row. How durable its writes are is "
            "SecantusDB's own and is not checked here; DocumentDB's figures need a run next to a cluster "
            "(BENCH_MONGODB_URI).",
        ]
    lines += ["", results["load_generator"], "", _noise(summary), ""]
    if results.get("duplicate"):
        lines += ["Duplicate path (the same event replayed: 200), one run each:", ""]
        for d in results["duplicate"]:
            label = VARIANTS[d["variant"]].label
            lines.append(f"- {label}: {d['rps']:,.0f} req/s, p99 {d['p99_ms']:.1f} ms, errors {d['errors']}")
        lines.append("")
    if d := results.get("decode"):
        lines += [
            f"Decode + validate per event: msgspec {d['msgspec_validate_us']:.1f} us, "
            f"Pydantic {d['pydantic_validate_us']:.1f} us. The whole decode step (second decode of "
            f"the detail, storability check, fingerprint): handler "
            f"{d['msgspec_handler_decode_event_us']:.1f} us, "
            f"twin {d['pydantic_twin_decode_step_us']:.1f} us.",
            "",
        ]
    return "\n".join(lines)


def _noise(summary: dict[str, dict]) -> str:
    cells = [
        f"{k} {s['server_cpu_pct']:.0f}/{s['other_load_on_server_cpu_pct']:.0f}/{s['wrk_cpu_pct']:.0f}/"
        f"{s['other_load_on_load_cpu_pct']:.0f}"
        for k, s in summary.items()
    ]
    return (
        "CPU use during the measured load, % of a core (server / others on CPU 0 / wrk / others on "
        "CPU 1): " + ", ".join(cells) + ". CPU us/req is the server's CPU time per request: it is "
        "steadier than req/s when other work shares CPU 0."
    )
