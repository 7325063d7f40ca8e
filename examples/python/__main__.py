"""The order pipeline from a Python program outside this repo, through the `order-events` package's SDK.

(This repo's own program, ../../__main__.py, imports the components directly; a program elsewhere gets
them as `pulumi_order_events`, which `pulumi package add` generates.)
"""

import pulumi
import pulumi_order_events as order_events

config = pulumi.Config()

orders = order_events.Pipeline(
    "orders",
    # The directory holding the handler's Dockerfile: this repo's root, relative to this program.
    image={"context": "../.."},
    network={"nat_strategy": order_events.NatStrategy(config.require("natStrategy"))},
    database={
        "instance_count": config.require_int("dbInstanceCount"),
        # DocumentDB Serverless idling at 0.5 DCU, as the root program's dev stack runs it
        "instance_class": "db.serverless",
        "serverless_min_capacity": 0.5,
        "serverless_max_capacity": 2,
    },
    service={"max_tasks": config.require_int("maxTasks")},
    alarm_email=config.get("alarmEmail") or None,
)

pulumi.export("apiInvokeUrl", orders.api_invoke_url)
pulumi.export("eventBusName", orders.bus_name)
pulumi.export("dlqUrl", orders.dlq_url)
pulumi.export("readerPolicyArn", orders.reader_policy_arn)
pulumi.export("dashboardName", orders.dashboard_name)
# Unpinned, the image trusts the RDS CA bundle fetched at deploy time: pin this value later.
pulumi.export("rdsCaBundleSha256", orders.rds_ca_bundle_sha256)
