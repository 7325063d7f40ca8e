"""``uv run python -m bench``: every variant, interleaved, then the micro-benchmarks; writes results.

Writes ``results.json`` (every run and the medians), ``results.md`` (the table) and ``chart.png`` to
``--out`` (default ``bench/results``). Needs ``wrk`` (``apt-get install -y wrk``) and ``taskset``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench import chart, load, micro, mongo, report, server

DEFAULT_VARIANTS = ",".join(server.VARIANTS)
RESULTS = Path(__file__).resolve().parent / "results"


def _args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    p.add_argument("--duration", type=float, default=10.0, help="seconds of measured load per run")
    p.add_argument("--warmup", type=float, default=2.0, help="seconds of unmeasured load first")
    p.add_argument("--connections", type=int, default=64)
    p.add_argument("--repeats", type=int, default=3, help="runs per variant; medians are reported")
    p.add_argument("--variants", default=DEFAULT_VARIANTS, help=f"comma-separated, of {DEFAULT_VARIANTS}")
    p.add_argument("--no-duplicate", action="store_true", help="skip the duplicate-path runs")
    p.add_argument(
        "--no-source-start", action="store_true", help="skip cold starts that compile from source (no .pyc)"
    )
    p.add_argument("--no-micro", action="store_true", help="skip the decode micro-benchmark")
    p.add_argument("--out", type=Path, default=None, help=f"default {RESULTS} (full runs only)")
    p.add_argument(
        "--report-only", action="store_true", help="re-render results.md and chart.png from results.json"
    )
    return p.parse_args(argv)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    if args.out is None:  # a shorter or partial run must not replace the committed results
        full = (args.duration, args.repeats, args.variants) == (10.0, 3, DEFAULT_VARIANTS)
        args.out = RESULTS if full or args.report_only else RESULTS / "tmp" / "partial"
    if args.report_only:
        return _write(json.loads((args.out / "results.json").read_text()), args.out)
    load.require_wrk()
    # SIGTERM unwinds like Ctrl-C, so each run's `finally` stops its server (no orphans).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    keys = [k for k in args.variants.split(",") if k]
    if unknown := set(keys) - set(server.VARIANTS):
        raise SystemExit(f"bench: unknown variants {sorted(unknown)}; choose from {DEFAULT_VARIANTS}")
    load_before = os.getloadavg()
    keys, database = mongo.start(keys)
    try:
        for key in keys:  # unmeasured: fills the bytecode cache, as an image built with bytecode has it
            server.cold_start_ms(server.VARIANTS[key])
        runs = _interleaved_runs(args, keys)
    finally:
        if database is not None:
            database.close()
    handler_keys = [k for k in ("durable", "memory") if k in keys]
    duplicate = [] if args.no_duplicate else _duplicate_runs(args, handler_keys)
    from_source = {} if args.no_source_start else _cold_starts_from_source(args, handler_keys)
    summary = report.summarise(runs)
    results = {
        "meta": _meta(args) | {"load_average_1m": [round(load_before[0], 2), round(os.getloadavg()[0], 2)]},
        "summary": summary,
        "targets": report.targets(summary, from_source),
        "cold_start_from_source": from_source,
        "duplicate": duplicate,
        "decode": None if args.no_micro else micro.decode(),
        "runs": runs,
    }
    return _write(results, args.out)


def _interleaved_runs(args: argparse.Namespace, keys: list[str]) -> list[dict]:
    """Every variant once per repeat, so that drift on the machine spreads over all of them."""
    runs = []
    for repeat in range(1, args.repeats + 1):
        for key in keys:
            row = load.measure(server.VARIANTS[key], args.duration, args.connections, args.warmup)
            runs.append({**row, "repeat": repeat})
            _say(
                f"[{repeat}/{args.repeats}] {key:15} {row['rps']:9,.0f} req/s  p99 {row['p99_ms']:6.1f} ms  "
                f"cold {row['cold_start_ms']:5.0f} ms  wrk CPU {row['wrk_cpu_pct']:3.0f}%"
            )
    return runs


def _duplicate_runs(args: argparse.Namespace, keys: list[str]) -> list[dict]:
    """One run per variant of the same event again and again (the 200 path)."""
    return [
        load.measure(server.VARIANTS[key], args.duration, args.connections, 0, "duplicate") for key in keys
    ]


def _cold_starts_from_source(args: argparse.Namespace, keys: list[str]) -> dict[str, dict]:
    """Cold starts that compile every module from source (no .pyc), per variant."""
    found = {}
    for key in keys:
        starts = [server.cold_start_ms(server.VARIANTS[key], bytecode=False) for _ in range(args.repeats)]
        found[key] = {"median_ms": statistics.median(starts), "runs_ms": starts}
    return found


def _meta(args: argparse.Namespace) -> dict:
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} CPUs, {platform.machine()}, Linux {platform.release()}, "
        f"Python {platform.python_version()}",
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "connections": args.connections,
        "repeats": args.repeats,
        "load_generator": "wrk -t1, bench/orders.lua",
    }


def _write(results: dict, out: Path) -> int:
    results["ratios"] = report.ratios(results["summary"], results["runs"])
    results["load_generator"] = report.load_generator_check(results["runs"])
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    table = report.markdown(results)
    (out / "results.md").write_text(table)
    chart.chart(results["summary"], out / "chart.png")
    print(table)
    _say(f"bench: results in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
