"""Logs are one JSON object per line on stdout, from our own calls and from the standard library."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator

import pytest

from handler import logs


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """configure() sets process-wide logging; put it back so later tests see what they expect."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level, logs.get_logger().level
    yield
    root.handlers[:], root.level, logs.get_logger().level = saved[0], saved[1], saved[2]


@pytest.fixture
def configured() -> None:
    logs.configure("INFO")


def _lines(capsys: pytest.CaptureFixture[str]) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]


def test_a_request_line_carries_its_fields_level_and_utc_time(configured, capsys) -> None:
    logs.get_logger().info("put_order", status=201, order_id="o-1", latency_ms=1.5)

    (line,) = _lines(capsys)
    assert line["event"] == "put_order" and line["level"] == "info"
    assert (line["status"], line["order_id"], line["latency_ms"]) == (201, "o-1", 1.5)
    assert line["timestamp"].endswith("Z") and len(line["timestamp"]) == len("2026-11-27T04:00:00.123456Z")


def test_the_level_filters_lines(capsys) -> None:
    logs.configure("WARNING")
    logs.get_logger().info("quiet")
    logs.get_logger().warning("loud")

    assert [line["event"] for line in _lines(capsys)] == ["loud"]


def test_an_exception_is_logged_with_its_traceback(configured, capsys) -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        logs.get_logger().exception("unhandled_error", path="/orders")

    (line,) = _lines(capsys)
    assert line["level"] == "error" and line["path"] == "/orders"
    assert "ValueError: boom" in line["exception"]


def test_standard_library_records_become_the_same_json(configured, capsys) -> None:
    logging.getLogger("uvicorn.error").info("Started server process [%d]", 42)

    (line,) = _lines(capsys)
    assert (line["event"], line["level"], line["logger"]) == (
        "Started server process [42]",
        "info",
        "uvicorn.error",
    )


async def test_lines_of_one_loop_turn_leave_together_in_order(configured, capsys) -> None:
    log = logs.get_logger()
    for n in range(3):
        log.info("put_order", n=n)
    assert capsys.readouterr().out == ""  # batched until the loop turns

    await asyncio.sleep(0)

    assert [line["n"] for line in _lines(capsys)] == [0, 1, 2]


async def test_a_server_record_is_written_at_once_after_the_batch(configured, capsys) -> None:
    # uvicorn's last lines come after the loop's last turn: they must not wait for one.
    logs.get_logger().info("put_order", n=1)
    logging.getLogger("uvicorn.error").info("Application shutdown complete.")

    assert [line["event"] for line in _lines(capsys)] == ["put_order", "Application shutdown complete."]
