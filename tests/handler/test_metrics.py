"""Metrics leave as CloudWatch Embedded Metric Format lines on stdout; every PUT outcome is counted."""

from __future__ import annotations

import json
import time

import pytest

from handler import metrics as m
from handler.errors import InvalidEvent, OrderConflict, Overloaded
from handler.gate import Gate
from handler.metrics import Metrics
from handler.orders import Orders
from handler.settings import Settings
from handler.store.mongo import MongoOrderStore
from tests import samples
from tests.handler.fakes import AsyncMongomockClient


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


async def test_every_outcome_of_a_put_is_counted_once(capsys: pytest.CaptureFixture[str]) -> None:
    # Given the PUT logic on its own (no app, no HTTP), on a store, with room for one request in flight
    metrics = Metrics("OrderEvents", interval_seconds=60)
    gate = Gate(settings=Settings(max_in_flight=1), metrics=metrics)
    orders = Orders(MongoOrderStore(AsyncMongomockClient()), gate, metrics)
    changed = samples.event()
    changed["detail"]["items"][0]["quantity"] = 2

    # When an order is created, replayed, changed, and an invalid body and an overflow arrive
    created = await orders.put(samples.EVENT_BYTES, time.perf_counter())
    replayed = await orders.put(samples.EVENT_BYTES, time.perf_counter())
    for body, refusal in ((json.dumps(changed).encode(), OrderConflict), (b"{}", InvalidEvent)):
        with pytest.raises(refusal):
            await orders.put(body, time.perf_counter())
    gate.in_flight = 1  # one request already in flight
    with pytest.raises(Overloaded):
        await orders.put(samples.EVENT_BYTES, time.perf_counter())
    await metrics.flush()

    # Then the answers say what happened, and each outcome was counted once
    assert (created.status, created.location) == (201, f"/orders/{samples.ORDER_ID}")
    assert json.loads(replayed.body) == {"order_id": samples.ORDER_ID, "status": "duplicate"}
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    (line,) = [line for line in lines if "_aws" in line]  # the EMF line, among the request log lines
    assert [line[name] for name in (m.CREATED, m.REPLAYED, m.CONFLICTS, m.REJECTED, m.OVERLOADED)] == [1] * 5
