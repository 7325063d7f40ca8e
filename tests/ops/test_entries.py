"""The entries file, batching, and the envelope EventBridge would build."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest

from handler.contract import DETAIL_TYPE, EVENT_SOURCE, MAX_EVENT_BYTES
from ops import entries, envelope
from ops.errors import OpsError
from tests.ops.samples import ENTRIES_FILE, EVENT_FILE, entry, write


def test_the_committed_sample_loads() -> None:
    # Given the committed entries file / When it is loaded
    loaded = entries.load(ENTRIES_FILE)
    # Then it is one CreateOrder entry
    assert [(e["Source"], e["DetailType"]) for e in loaded] == [(EVENT_SOURCE, DETAIL_TYPE)]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[{", "not valid JSON"),
        ("{}", "expected a non-empty JSON list"),
        ("[]", "expected a non-empty JSON list"),
        ('["x"]', "entry 0: expected an object"),
        ('[{"Source": "s", "DetailType": "d"}]', "`Detail` is missing"),
        ('[{"Source": "s", "DetailType": "d", "Detail": "[1]"}]', "`Detail` must be a JSON object"),
        ('[{"Source": "s", "DetailType": "d", "Detail": "{}", "Detial": 1}]', "unknown field `Detial`"),
        ('[{"Source": "s", "DetailType": "d", "Detail": "{}", "Resources": "r"}]', "list of strings"),
        ('[{"Source": "s", "DetailType": "d", "Detail": "{}", "Time": "yesterday"}]', "not an ISO 8601"),
    ],
)
def test_a_bad_file_is_one_clear_error(tmp_path, content: str, message: str) -> None:
    # Given a file with a mistake / When it is loaded / Then the error names the mistake
    with pytest.raises(OpsError, match=message):
        entries.load(write(tmp_path / "bad.json", content))


def test_a_missing_file_is_named(tmp_path) -> None:
    with pytest.raises(OpsError, match=r"missing\.json: no such file"):
        entries.load(tmp_path / "missing.json")


def test_an_entry_over_the_event_limit_is_refused(tmp_path) -> None:
    # Given an entry whose detail alone is over EventBridge's 256 KiB
    big = {**entry(), "Detail": json.dumps({"pad": "x" * MAX_EVENT_BYTES})}
    # When it is loaded / Then it is refused before anything is sent
    with pytest.raises(OpsError, match="over EventBridge's"):
        entries.load(write(tmp_path / "big.json", [big]))


def test_batches_hold_at_most_ten_entries_and_256_kib() -> None:
    # Given 23 small entries, then 3 entries of ~100 KiB each
    small = [(i, entry()) for i in range(23)]
    large = [(i, {**entry(), "Detail": json.dumps({"pad": "x" * 100_000})}) for i in range(3)]
    # When they are batched
    small_sizes = [len(batch) for batch in entries.batches(small)]
    large_sizes = [len(batch) for batch in entries.batches(large)]
    # Then PutEvents' limits hold: 10 entries, and 256 KiB per request
    assert small_sizes == [10, 10, 3]
    assert large_sizes == [2, 1]


def test_the_envelope_is_what_eventbridge_delivers() -> None:
    # Given the sample entry and the sample delivered event
    (item,) = entries.load(ENTRIES_FILE)
    delivered = json.loads(EVENT_FILE.read_text())
    # When it is wrapped
    built = envelope.build(item, account="123456789012", region="us-east-1", now=datetime(2020, 6, 2, 13, 1))
    # Then it has EventBridge's fields, in its order, with a new id and the detail parsed
    assert list(built) == [
        "version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"
    ]  # fmt: skip
    assert uuid.UUID(built["id"]) and built["id"] != delivered["id"]
    assert built["time"] == "2020-06-02T13:01:00Z"
    assert {k: v for k, v in built.items() if k not in ("id", "time")} == {
        k: v for k, v in delivered.items() if k not in ("id", "time")
    }


def test_an_entry_time_is_kept_in_utc(tmp_path) -> None:
    # Given an entry with its own Time in another zone
    (item,) = entries.load(write(tmp_path / "t.json", [{**entry(), "Time": "2026-01-01T01:00:00+01:00"}]))
    # When it is wrapped / Then the envelope time is that instant, in UTC
    assert envelope.build(item, account="1", region="r")["time"] == "2026-01-01T00:00:00Z"


def test_a_delivered_event_becomes_an_entry_for_the_same_source_and_type() -> None:
    # Given the delivered sample event
    delivered = json.loads(EVENT_FILE.read_text()) | {"time": "2020-06-02T13:01:00Z"}
    # When it is turned back into a PutEvents entry
    item = envelope.to_entry(delivered, bus="b")
    # Then source, detail-type, detail and time survive
    assert (item["Source"], item["DetailType"], item["EventBusName"]) == (EVENT_SOURCE, DETAIL_TYPE, "b")
    assert json.loads(item["Detail"]) == delivered["detail"]
    assert item["Time"] == datetime(2020, 6, 2, 13, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    "body", [None, [], {"source": "s"}, {"source": "s", "detail-type": "d", "detail": 1}]
)
def test_something_else_is_not_an_event(body: object) -> None:
    with pytest.raises(ValueError, match="not an EventBridge event"):
        envelope.to_entry(body, bus="b")
