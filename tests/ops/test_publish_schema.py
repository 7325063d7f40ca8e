"""`orders publish` checks every entry against the CreateOrder schema first, and sends nothing if one
fails (moto: the bus's rule would deliver anything that was sent)."""

from __future__ import annotations

import json

import boto3
import pytest

from handler.contract import EVENT_SCHEMA_NAME
from ops import aws, schema_check
from tests.ops.samples import ENTRIES_FILE, entry, write


def _broken(change) -> dict:
    item = entry()
    detail = json.loads(item["Detail"])
    change(item, detail)
    return {**item, "Detail": json.dumps(detail)}


def _counting_client(monkeypatch) -> list[int]:
    client, calls = boto3.client("events"), []
    client.meta.events.register(
        "provide-client-params.events.PutEvents", lambda params, **_: calls.append(len(params["Entries"]))
    )
    monkeypatch.setattr(aws, "client", lambda service: client)
    return calls


def test_an_invalid_entry_is_refused_locally_and_nothing_is_sent(run, bus, tmp_path, monkeypatch):
    # Given three entries, the second with a quantity of 0, and a client that counts PutEvents calls
    calls = _counting_client(monkeypatch)
    bad = _broken(lambda _item, detail: detail["items"][0].update(quantity=0))
    path = write(tmp_path / "e.json", [entry(), bad, entry()])
    # When they are published
    result = run("publish", path, "--bus", bus.name)
    # Then the CLI refuses as a user error, naming the entry, the field and the rule, and sends nothing
    assert result.exit_code == 2, result.output
    assert f"1 of 3 entries are not valid {EVENT_SCHEMA_NAME} events, so nothing was sent" in result.stderr
    assert "entry 1: Detail $.items[0].quantity: 0 is less than the minimum of 1" in result.stderr
    assert "Traceback" not in result.output
    assert calls == [] and bus.delivered() == []


CASES = {
    "no customer": (lambda _i, d: d.pop("customer"), "Detail: 'customer' is a required property"),
    "another detail-type": (lambda i, _d: i.update(DetailType="UpdateOrder"), "DetailType: 'UpdateOrder'"),
    "another source": (lambda i, _d: i.update(Source="shop"), "Source: 'shop' is not one of ['ecommerce']"),
    "a price as a number": (lambda _i, d: d["items"][0].update(price=9.99), "Detail $.items[0].price: 9.99"),
    "an order id that is no UUID": (lambda _i, d: d.update(order_id="o-1"), "Detail $.order_id: 'o-1'"),
}


@pytest.mark.parametrize(("change", "said"), CASES.values(), ids=CASES)
def test_each_refusal_names_the_field(run, bus, tmp_path, change, said):
    # Given one entry broken in one way / When it is published
    result = run("publish", write(tmp_path / "e.json", [_broken(change)]), "--bus", bus.name)
    # Then the message points at the field, and the bus received nothing
    assert result.exit_code == 2 and said in result.stderr, result.stderr
    assert bus.delivered() == []


def test_every_invalid_entry_is_listed_up_to_a_limit(run, bus, tmp_path):
    # Given more invalid entries than are listed
    bad = [_broken(lambda _i, d: d.update(items=[])) for _ in range(schema_check.SHOWN + 2)]
    # When they are published / Then the first ones are listed and the rest counted
    result = run("publish", write(tmp_path / "e.json", bad), "--bus", bus.name)
    assert result.exit_code == 2
    assert result.stderr.count("Detail $.items: [] ") == schema_check.SHOWN
    assert "... and 2 more" in result.stderr


def test_the_check_can_be_turned_off_to_exercise_the_edge_on_purpose(run, bus, tmp_path):
    # Given an invalid entry and --no-schema-check
    bad = _broken(lambda _i, d: d["items"][0].update(quantity=0))
    # When it is published / Then it is sent (to see the API's 400 and the DLQ), and arrives
    result = run("publish", write(tmp_path / "e.json", [bad]), "--bus", bus.name, "--no-schema-check")
    assert result.exit_code == 0, result.output
    assert len(bus.delivered()) == 1


def test_the_committed_example_passes_the_check():
    # Given the README's example entries / Then each one is a valid event by the schema
    items = json.loads(ENTRIES_FILE.read_text())
    assert [schema_check.problem(item) for item in items] == [None] * len(items)
