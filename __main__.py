"""The Pulumi program: read this stack's typed config once, build the pipeline, export a few outputs.

This is the only module that reads `pulumi.Config` or calls `pulumi.export`; every default lives in
`Pulumi.yaml`, every stack's values in `Pulumi.<stack>.yaml`.
"""

from pathlib import Path

import pulumi

from components.access_logs import AccessLogBucketArgs
from components.alb import InternalAlbArgs
from components.api import ApiArgs
from components.database import SERVERLESS_INSTANCE_CLASS, DatabaseArgs
from components.endpoints import EndpointsArgs
from components.events import EventsArgs
from components.image import ImageArgs
from components.network import NetworkArgs
from components.pipeline import Pipeline, PipelineArgs
from components.service import ServiceArgs
from components.task import HandlerTaskArgs

ROOT = Path(__file__).resolve().parent

config = pulumi.Config()
log_retention = config.require_int("logRetentionDays")
# One switch for what holds data at destroy time: the image repository and the ALB's log bucket.
force_destroy = config.require_bool("forceDestroy")
image = ImageArgs(
    context=str(ROOT), cpu_architecture=config.require("cpuArchitecture"), force_delete=force_destroy
)
if pin := config.get("rdsCaBundleSha256"):  # empty: fetched at deploy time and exported, to pin later
    image["rds_ca_bundle_sha256"] = pin

db_class = config.require("dbInstanceClass")

args = PipelineArgs(
    image=image,
    network=NetworkArgs(
        cidr_block=config.require("vpcCidr"),
        availability_zones=config.require_int("availabilityZones"),
        nat_strategy=config.require("natStrategy"),
    ),
    database=DatabaseArgs(
        instance_class=db_class,
        instance_count=config.require_int("dbInstanceCount"),
        backup_retention_days=config.require_int("dbBackupRetentionDays"),
        deletion_protection=config.require_bool("dbDeletionProtection"),
        final_snapshot=config.require_bool("dbFinalSnapshot"),
        log_retention_days=log_retention,
        profiler_threshold_ms=config.require_int("dbProfilerThresholdMs"),
    ),
    service=ServiceArgs(
        min_tasks=config.require_int("minTasks"),
        max_tasks=config.require_int("maxTasks"),
        task=HandlerTaskArgs(
            cpu=config.require_int("taskCpu"),
            memory=config.require_int("taskMemory"),
            log_retention_days=log_retention,
        ),
        alb=InternalAlbArgs(
            access_logs=AccessLogBucketArgs(
                retention_days=config.require_int("albLogRetentionDays"), force_destroy=force_destroy
            )
        ),
    ),
    api=ApiArgs(
        throttle_rate=float(config.require_int("apiThrottleRate")),
        throttle_burst=config.require_int("apiThrottleBurst"),
        log_retention_days=log_retention,
        manage_cloudwatch_role=config.require_bool("manageApiGatewayAccount"),
    ),
    events=EventsArgs(
        archive_retention_days=config.require_int("archiveRetentionDays"),
        max_event_age_seconds=config.require_int("maxEventAgeSeconds"),
        max_retry_attempts=config.require_int("maxRetryAttempts"),
    ),
)
if reader := config.get("readerRole"):  # the role `orders smoke` reads as after `up`: granted by the stack
    args["api"]["reader_role"] = reader
if db_class == SERVERLESS_INSTANCE_CLASS:  # the capacity range applies to serverless instances only
    args["database"]["serverless_min_capacity"] = config.require_float("dbServerlessMinCapacity")
    args["database"]["serverless_max_capacity"] = config.require_float("dbServerlessMaxCapacity")
if config.require_bool("privateEndpoints"):  # the tasks reach AWS through VPC endpoints, not NAT
    args["endpoints"] = EndpointsArgs()
# Empty means unset; both set is refused by the alarms, naming the field.
if email := config.get("alarmEmail"):
    args["alarm_email"] = email
if topic := config.get("alarmTopicArn"):
    args["alarm_topic_arn"] = topic
# A stack someone is on call for may not deploy alarms that notify nobody (CI deploys committed config only).
if config.require_bool("alarmDestinationRequired") and not (email or topic):
    raise pulumi.RunError(
        f"stack {pulumi.get_stack()!r} sets `alarmDestinationRequired`, so its alarms must notify someone: "
        "set `alarmEmail` (an address to subscribe) or `alarmTopicArn` (an existing SNS topic), e.g. "
        "`pulumi config set alarmTopicArn arn:aws:sns:<region>:<account>:<topic>`, and commit it"
    )
# Absolute, for the alarms' e-mails; Pulumi.yaml's default is the project repository's, CI sets its own.
args["runbook_url"] = config.require("runbookUrl")
pipeline = Pipeline(f"orders-{pulumi.get_stack()}", args)

pulumi.export("api_invoke_url", pipeline.api_invoke_url)
pulumi.export("reader_policy_arn", pipeline.reader_policy_arn)
pulumi.export("event_bus_name", pipeline.bus_name)
pulumi.export("event_bus_arn", pipeline.bus_arn)
pulumi.export("rule_arn", pipeline.rule_arn)
pulumi.export("dlq_url", pipeline.dlq_url)
pulumi.export("schema_registry_name", pipeline.schema_registry_name)
pulumi.export("schema_name", pipeline.schema_name)
pulumi.export("repository_url", pipeline.repository_url)
pulumi.export("image_uri", pipeline.image_uri)
pulumi.export("rds_ca_bundle_sha256", pipeline.rds_ca_bundle_sha256)
pulumi.export("database_endpoint", pipeline.database_endpoint)
pulumi.export("db_cluster_identifier", pipeline.db_cluster_identifier)
pulumi.export("cluster_name", pipeline.cluster_name)
pulumi.export("service_name", pipeline.service_name)
pulumi.export("task_definition_arn", pipeline.task_definition_arn)  # `orders smoke`: does the service run it?
pulumi.export("dashboard_name", pipeline.dashboard_name)
pulumi.export("alb_log_bucket", pipeline.alb_log_bucket)
pulumi.export("alarm_topic_arn", pipeline.alarm_topic_arn)  # null when the alarms notify nobody
