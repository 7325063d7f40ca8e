"""Metrics leave as CloudWatch Embedded Metric Format lines on stdout."""

from __future__ import annotations

import json

import pytest

from handler import metrics as m
from handler.metrics import Metrics


async def test_flush_prints_one_emf_line_with_counts_and_latency(capsys: pytest.CaptureFixture[str]) -> None:
    metrics = Metrics("OrderEvents", interval_seconds=60)
    metrics.count(m.CREATED)
    metrics.count(m.CREATED)
    metrics.count(m.CONFLICTS)
    for value in range(250):
        metrics.store_latency(float(value))

    await metrics.flush()

    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert len(lines) == 1
    emf = lines[0]
    directive = emf["_aws"]["CloudWatchMetrics"][0]
    assert directive["Namespace"] == "OrderEvents"
    assert {metric["Name"] for metric in directive["Metrics"]} >= {m.CREATED, m.CONFLICTS, m.STORE_LATENCY}
    assert emf[m.CREATED] == 2 and emf[m.CONFLICTS] == 1
    assert len(emf[m.STORE_LATENCY]) == 100  # sampled down to CloudWatch's per-line limit
    assert emf["Service"] == "order-handler"


async def test_nothing_to_report_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    await Metrics("OrderEvents", interval_seconds=60).flush()

    assert capsys.readouterr().out == ""


async def test_counters_reset_after_a_flush(capsys: pytest.CaptureFixture[str]) -> None:
    metrics = Metrics("OrderEvents", interval_seconds=60)
    metrics.count(m.REJECTED)
    await metrics.flush()
    metrics.count(m.REJECTED)
    await metrics.flush()

    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert [line[m.REJECTED] for line in lines] == [1, 1]
