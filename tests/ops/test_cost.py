"""`orders cost`: both stacks priced from their own graphs, totals that add up, an unknown type refused."""

import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from ops.cli import app
from ops.cost import events, idle, report, table
from ops.cost.graph import Graph, Res
from ops.errors import OpsError
from tests.components.harness import ROOT, run_main

PRICES = table.load()
#: The only lines a stack may leave unpriced: what no stored page gave (prices.toml says so for each).
NOT_FOUND = {key for key, price in PRICES.prices.items() if price.usd is None}


@pytest.fixture(params=["dev", "prod"])
def graph(request):
    return run_main(request.param)


def test_every_resource_in_both_stacks_is_priced_or_listed_free(graph):
    # Given a stack's whole graph, when it is priced, then nothing is unknown (idle_lines would raise)
    lines = idle.idle_lines(graph, PRICES)
    billable = {r.name for r in graph.resources if r.type not in PRICES.free}
    assert {line.resource for line in lines} == billable
    # And only what the table marks as not found is unpriced
    assert {line.price for line in lines if line.usd is None} <= NOT_FOUND


def test_the_alarm_topic_an_address_makes_is_priced_too():
    # Given dev with an alarm address: a KMS key, an SNS topic and a subscription join the graph
    graph = run_main("dev", alarmEmail="ops@example.com")
    lines = idle.idle_lines(graph, PRICES)
    # Then the key is a line of its own, at its monthly price
    (key,) = [line for line in lines if line.price == "kms_key_month"]
    assert key.usd == PRICES.price("kms_key_month").usd == 1.0


def test_every_price_names_its_source_and_the_day_it_was_read():
    for price in PRICES.prices.values():
        assert price.source and re.fullmatch(r"\d{4}-\d{2}-\d{2}", price.read), price.key
        assert price.usd is None or price.usd >= 0
    assert not PRICES.free & set(idle.RULES)


def test_an_unknown_resource_type_fails_naming_it():
    # Given a graph with a type the table does not know
    graph = Graph(resources=[Res("aws:neptune/cluster:Cluster", "orders-dev-graph", {}, {})])
    # Then pricing refuses, naming the type, rather than counting it as $0
    with pytest.raises(OpsError, match=r"`aws:neptune/cluster:Cluster` \(orders-dev-graph\)"):
        idle.idle_lines(graph, PRICES)


def test_an_instance_class_without_a_price_fails_naming_it():
    graph = run_main("dev", dbInstanceClass="db.r5.24xlarge")
    with pytest.raises(OpsError, match=r"`db\.r5\.24xlarge`"):
        idle.idle_lines(graph, PRICES)


def test_the_idle_prices_follow_the_graph():
    # Given dev (one NAT, serverless at 0.5 DCU) and prod (a NAT per AZ in 3 AZs, four interface endpoints)
    dev, prod = (idle.idle_lines(run_main(s), PRICES) for s in ("dev", "prod"))
    hours = PRICES.hours

    def usd(lines, price):
        return sum(line.usd for line in lines if line.price == price)

    assert usd(dev, "nat_gateway_hour") == pytest.approx(0.045 * hours)
    assert usd(prod, "nat_gateway_hour") == pytest.approx(3 * 0.045 * hours)
    assert usd(dev, "docdb_instance_hour.db.serverless") == pytest.approx(0.5 * 0.0822 * hours)
    assert usd(prod, "interface_endpoint_az_hour") == pytest.approx(4 * 3 * 0.01 * hours)
    assert usd(dev, "interface_endpoint_az_hour") == 0
    # And prod's three db.r6g.large instances are listed, unpriced, not silently $0
    r6g = [line for line in prod if line.price == "docdb_instance_hour.db.r6g.large"]
    assert len(r6g) == 3 and all(line.usd is None for line in r6g)


def test_dev_idles_cheaper_than_it_did_on_a_db_t4g_medium():
    # Given dev as committed (serverless) and dev as it was (db.t4g.medium), priced the same way
    now = report.total(idle.idle_lines(run_main("dev"), PRICES))
    before = report.total(idle.idle_lines(run_main("dev", dbInstanceClass="db.t4g.medium"), PRICES))
    # Then the serverless dev costs less a month: the database line falls by more than serverless's one
    # extra alarm (its capacity) adds
    assert now.usd < before.usd
    database, alarm = (0.076 - 0.5 * 0.0822) * PRICES.hours, 0.10
    assert before.usd - now.usd == pytest.approx(database - alarm)


def _money(text: str) -> list[float]:
    return [float(v.replace(",", "")) for v in re.findall(r"\$([\d,]+\.\d\d)", text)]


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_the_command_prints_both_tables_and_their_totals_add_up(stack):
    # When `orders cost --stack <stack>` runs
    result = CliRunner().invoke(app, ["cost", "--stack", stack])
    assert result.exit_code == 0, result.output
    idle_part, event_part = result.output.split("| per million events |")
    # Then each table's rows add up to its printed total (to the cent, rounding per row aside)
    for part in (idle_part, event_part):
        *rows, printed = _money(part.split("**total**")[0]) + _money(part.split("**total**")[1])[:1]
        assert printed == pytest.approx(sum(rows), abs=0.01 * len(rows))
    assert "per million events" in result.output and "idle, a month" in result.output
    # And the per-event total matches the lines computed from the graph
    assert _money(event_part.split("**total**")[1])[0] == pytest.approx(
        report.total(events.per_million(run_main(stack), PRICES)).usd, abs=0.005
    )


def test_an_unknown_stack_is_one_line_naming_it():
    result = CliRunner().invoke(app, ["cost", "--stack", "staging"])
    assert result.exit_code == 2
    assert "no stack `staging`" in result.output


def test_a_what_if_is_priced_with_set():
    # Given dev priced as committed and with its database back on a db.t4g.medium
    now = CliRunner().invoke(app, ["cost", "--stack", "dev"])
    before = CliRunner().invoke(app, ["cost", "--stack", "dev", "--set", "dbInstanceClass=db.t4g.medium"])
    # Then the what-if shows the provisioned instance, and a higher idle total
    assert "| db.t4g.medium | $55.48 |" in before.output and "db.serverless idle at 0.5 DCU" in now.output

    def idle_total(text):
        return _money(text.split("| per million events |")[0].split("**total**")[1])[0]

    assert idle_total(now.output) < idle_total(before.output)


@pytest.mark.parametrize(
    ("setting", "said"),
    [
        ("dbServerlessMaxCapacity=300", "`serverless_max_capacity` (stack config `dbServerlessMaxCapacity`)"),
        ("dbServerlessMinCapacity=abc", "dbServerlessMinCapacity"),
        ("dbInstanceClass", "expected KEY=VALUE"),
    ],
)
def test_a_refused_setting_is_one_line_naming_it(setting, said):
    result = CliRunner().invoke(app, ["cost", "--stack", "dev", "--set", setting])
    assert result.exit_code == 2 and said in result.output
    assert "Traceback" not in result.output


def test_the_cli_loads_pulumi_only_when_cost_runs():
    # Given the `orders` CLI imported (publish, send, dlq, smoke need no Pulumi, and the image has none)
    code = "import sys, ops.cli; sys.exit('pulumi' in sys.modules)"
    # Then Pulumi is not imported until `orders cost` runs a stack
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False).returncode == 0
