"""Dashboard: every graph points at the metrics the resources and the handler really publish."""

import importlib.util
import json
import subprocess
import sys
from typing import Any

import pytest
from pulumi.provider.experimental.analyzer import Analyzer

from components.observability import Dashboard, DashboardArgs
from components.observability._dashboard_body import COLUMN_WIDTH, PipelineNames, dashboard_body, widget_title
from handler import metrics as handler_metrics
from handler.settings import Settings
from tests.components import fake_pipeline
from tests.components.harness import REGION, ROOT, run

AWS_NAMESPACES = {namespace for namespace, _ in fake_pipeline.DOCUMENTED}
HOPS = ["1 · EventBridge", "2 · API Gateway", "3 · Load balancer", "4 · ECS service", "5 · Handler",
        "6 · DocumentDB"]  # fmt: skip
SAMPLE = PipelineNames(
    bus_name="bus", rule_name="rule", dlq_name="dlq", api_name="api", api_stage="v1",
    alb_arn_suffix="app/lb/1", target_group_arn_suffix="targetgroup/tg/2", cluster_name="cluster",
    service_name="service", db_cluster_identifier="db",
)  # fmt: skip


def _program(**extra: Any):
    def program() -> dict[str, Any]:
        args = DashboardArgs(**fake_pipeline.resources(), store_deadline_seconds=2.5, **extra)
        dashboard = Dashboard("ops", args)
        return {"name": dashboard.dashboard_name, "arn": dashboard.dashboard_arn}

    return program


# Every layout and metric test runs on both boards: provisioned DocumentDB, and serverless (its capacity).
@pytest.fixture(scope="module", params=[False, True], ids=["provisioned", "serverless"])
def graph(request):
    return run(_program(db_serverless=request.param))


@pytest.fixture(scope="module")
def body(graph) -> dict[str, Any]:
    return graph.one("aws:cloudwatch/dashboard:Dashboard").json("dashboardBody")


def test_every_aws_metric_is_documented_and_points_at_its_resource(graph, body):
    # Given the dashboard built from a mocked pipeline's real outputs (names, ARN suffixes, identifiers)
    expected = fake_pipeline.expected_dimensions(graph) | {"Role": "WRITER"}
    aws_rows = [row for row in fake_pipeline.metric_rows(body) if row[1] in AWS_NAMESPACES]
    # Then every AWS metric uses the dimension set AWS documents for it, valued by the resource's output
    assert aws_rows
    for title, namespace, name, dimensions, _ in aws_rows:
        assert frozenset(dimensions) == fake_pipeline.DOCUMENTED[namespace, name], (title, name)
        assert dimensions == {key: expected[key] for key in dimensions}, (title, name)
    # And every resource the pipeline has is on the board
    used = {key for _, namespace, _, dimensions, _ in aws_rows for key in dimensions}
    assert used == set(expected)


async def test_every_handler_metric_is_exactly_what_the_handler_emits(body, capsys):
    # Given one EMF line from the handler with every counter and a latency sample in it
    line, names = await fake_pipeline.handler_emf_line(capsys)
    (directive,) = line["_aws"]["CloudWatchMetrics"]
    (dimension_set,) = directive["Dimensions"]
    emitted = {metric["Name"] for metric in directive["Metrics"]}
    # When the dashboard's metrics in the handler's namespace are collected
    rows = [row for row in fake_pipeline.metric_rows(body) if row[1] == directive["Namespace"]]
    # Then each is one the handler emits, with the handler's dimensions and values
    assert {name for _, _, name, _, _ in rows} == emitted == names
    for title, _, name, dimensions, _ in rows:
        assert dimensions == {key: line[key] for key in dimension_set}, (title, name)
    # And the latency graph shows the median and the tail
    stats = {render.get("stat") for _, _, name, _, render in rows if name == handler_metrics.STORE_LATENCY}
    assert stats == {"p50", "p99"}


def test_no_metric_outside_the_known_namespaces(body):
    namespaces = {namespace for _, namespace, _, _, _ in fake_pipeline.metric_rows(body)}
    assert namespaces == AWS_NAMESPACES | {Settings().metrics_namespace}


def test_hops_read_left_to_right_then_down_like_text(body):
    headers = sorted((w for w in body["widgets"] if w["type"] == "text"), key=lambda w: (w["y"], w["x"]))
    assert [widget_title(w) for w in headers] == HOPS
    # Each hop's graphs sit in its header's column, stacked under it without gaps, ending level
    ends = set()
    for header in headers:
        column = sorted(
            (w for w in body["widgets"] if w["x"] == header["x"] and w["y"] > header["y"]
             and w["y"] < header["y"] + 20),
            key=lambda w: w["y"],
        )  # fmt: skip
        bottom = header["y"] + header["height"]
        for widget in column:
            assert widget["type"] == "metric" and widget["y"] == bottom
            bottom += widget["height"]
        ends.add(bottom - header["y"])
    assert ends == {20}


def test_widgets_fit_the_grid_and_never_overlap(body):
    cells: set[tuple[int, int]] = set()
    for widget in body["widgets"]:
        assert widget["x"] >= 0 and widget["x"] + widget["width"] <= 24 and widget["width"] == COLUMN_WIDTH
        area = {(x, y) for x in range(widget["x"], widget["x"] + widget["width"])
                for y in range(widget["y"], widget["y"] + widget["height"])}  # fmt: skip
        assert not area & cells, widget_title(widget)
        cells |= area


def test_every_metric_widget_names_the_stack_region_and_a_unique_title(body):
    metric_widgets = [w for w in body["widgets"] if w["type"] == "metric"]
    assert {w["properties"]["region"] for w in metric_widgets} == {REGION}
    titles = [widget_title(w) for w in body["widgets"]]
    assert len(titles) == len(set(titles))


def test_store_latency_graph_draws_the_configured_deadline(body):
    (latency,) = [w for w in body["widgets"] if widget_title(w) == "Handler: store latency (ms)"]
    assert latency["properties"]["annotations"]["horizontal"][0]["value"] == 2500


def test_one_dashboard_named_for_the_project_and_stack(graph):
    dashboard = graph.one("aws:cloudwatch/dashboard:Dashboard")
    assert dashboard.inputs["dashboardName"] == graph.values["name"] == "order-events-dev"


CAPACITY = "DocumentDB: writer capacity (DCUs) and DCU utilization (%)"


def test_a_serverless_database_has_its_capacity_graphed_in_dcus():
    # Given the body for provisioned and for serverless instances
    provisioned = dashboard_body(SAMPLE, region="eu-west-1")
    serverless = dashboard_body(SAMPLE, region="eu-west-1", serverless=True)
    # Then only the serverless board graphs the writer's DCUs and DCU utilization, in hop 6
    assert CAPACITY not in {widget_title(w) for w in provisioned["widgets"]}
    rows = [r for r in fake_pipeline.metric_rows(serverless) if r[0] == CAPACITY]
    assert [(r[1], r[2], r[3]) for r in rows] == [
        ("AWS/DocDB", "ServerlessDatabaseCapacity", {"DBClusterIdentifier": "db", "Role": "WRITER"}),
        ("AWS/DocDB", "DCUUtilization", {"DBClusterIdentifier": "db", "Role": "WRITER"}),
    ]
    # And the other graphs are the same ones
    others = [widget_title(w) for w in serverless["widgets"] if widget_title(w) != CAPACITY]
    assert others == [widget_title(w) for w in provisioned["widgets"]]


def test_body_is_a_pure_function_of_its_names():
    # Given the same names twice, and once with a different rule
    first = dashboard_body(SAMPLE, region="eu-west-1")
    again = dashboard_body(SAMPLE, region="eu-west-1")
    other = dashboard_body(PipelineNames(**{**SAMPLE.__dict__, "rule_name": "other"}), region="eu-west-1")
    # Then the same names give the same body, and the rule's name reaches its graphs
    assert first == again and first != other
    assert json.dumps(other).count('"other"') == sum(
        1 for _, _, _, dims, _ in fake_pipeline.metric_rows(other) if dims.get("RuleName") == "other"
    )


@pytest.mark.parametrize("field", ["rule_name", "alb_arn_suffix", "db_cluster_identifier"])
def test_rejects_a_missing_name_naming_the_field(field):
    args = {**SAMPLE.__dict__}
    del args[field]
    with pytest.raises(ValueError, match=f"`{field}`"):
        Dashboard("ops", DashboardArgs(**args))


def test_rejects_a_non_positive_deadline():
    with pytest.raises(ValueError, match="`store_deadline_seconds`"):
        Dashboard("ops", DashboardArgs(**SAMPLE.__dict__, store_deadline_seconds=0))


def test_the_args_schema_is_inferred_from_the_typed_dict():
    # Pulumi's component host reads the real annotations and the docstring under each field
    (component,) = Analyzer("order-events").analyze([Dashboard])["component_definitions"].values()
    optional = {name for name, prop in component.inputs.items() if prop.optional}
    assert optional == {"metricsNamespace", "storeDeadlineSeconds", "dashboardName", "dbServerless"}
    assert len(component.inputs) == 14 and all(prop.description for prop in component.inputs.values())
    assert set(component.outputs) == {"dashboardName", "dashboardArn"}


def _picture_module():
    spec = importlib.util.spec_from_file_location("dashboard_picture", ROOT / "docs" / "dashboard_picture.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_readme_picture_draws_every_widget_of_the_real_body(tmp_path):
    # Given the picture script and the body it draws (sample names, the same body function)
    picture = _picture_module()
    body = dashboard_body(picture.SAMPLE, region="eu-west-1")
    # When it renders into a temporary directory
    out = tmp_path / "pictures" / "dashboard.png"
    drawn = picture.render(body, out)
    # Then a PNG exists, and every widget is drawn where it sits with its title and its series
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 10_000
    assert [(b.x, b.y, b.width, b.height, b.title) for b in drawn] == [
        (w["x"], w["y"], w["width"], w["height"], widget_title(w)) for w in body["widgets"]
    ]
    for box, widget in zip(drawn, body["widgets"], strict=True):
        assert len(box.series) == len(widget["properties"].get("metrics", []))
    # And the script's entry point writes where it is told
    assert picture.main([str(tmp_path / "main.png")]) == 0 and (tmp_path / "main.png").exists()


def test_components_do_not_import_matplotlib():
    code = "import sys, components.observability; sys.exit('matplotlib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False).returncode == 0
