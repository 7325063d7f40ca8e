"""Endpoints: the AWS APIs a Fargate task needs to start and log, reached inside the VPC, not through NAT."""

import json
from collections.abc import Sequence
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components._component import register_annotated_outputs, require
from components.security import allow_in

#: The endpoints' port: every AWS API here is HTTPS.
HTTPS_PORT = 443

#: The interface endpoints, by service after `com.amazonaws.<region>.`, and why each:
#: - `ecr.api` and `ecr.dkr`: "Amazon ECS tasks hosted on Fargate using Linux platform version 1.4.0 or later
#:   require both the com.amazonaws.region.ecr.dkr and com.amazonaws.region.ecr.api Amazon ECR VPC endpoints
#:   as well as the Amazon S3 gateway endpoint" (ECR guide, "Amazon ECR interface VPC endpoints (AWS
#:   PrivateLink)"); `ecr.dkr` needs private DNS (same page);
#: - `secretsmanager`: the task definition reads the database secret, and "when your task definition
#:   references Secrets Manager secrets ... you must create the interface VPC endpoints for Secrets Manager"
#:   (ECS guide, "Migrating to Linux platform version 1.4.0 on Amazon ECS");
#: - `logs`: the container logs through the awslogs driver, which then needs "the com.amazonaws.region.logs
#:   interface VPC endpoint for CloudWatch Logs" (ECR guide, same page, "CloudWatch Logs endpoint").
#: Fargate tasks need no ECS endpoints ("Amazon ECS tasks hosted on Fargate don't require the Amazon ECS
#: interface VPC endpoints", ECR guide, same page).
INTERFACE_SERVICES = ("ecr.api", "ecr.dkr", "secretsmanager", "logs")


class EndpointsArgs(TypedDict):
    """Inputs of :class:`Endpoints`. All wiring, all needed: `Pipeline` fills every field, so its `endpoints`
    is empty, and only says that the tasks reach AWS through endpoints."""

    vpc_id: NotRequired[pulumi.Input[str]]
    """The VPC (DNS support and DNS hostnames on: private DNS needs both). Needed."""
    subnet_ids: NotRequired[pulumi.Input[Sequence[pulumi.Input[str]]]]
    """The private subnets the clients run in: each gets a network interface of every interface endpoint.
    Needed."""
    route_table_ids: NotRequired[pulumi.Input[Sequence[pulumi.Input[str]]]]
    """The private subnets' route tables: the S3 gateway endpoint adds its route to each. Needed."""
    client_security_group_id: NotRequired[pulumi.Input[str]]
    """The only group the endpoints admit, on 443 (the tasks'). Needed."""


class Endpoints(pulumi.ComponentResource):
    """Interface endpoints (private DNS) for ECR, Secrets Manager and CloudWatch Logs behind a group that
    admits one client on 443; the S3 gateway endpoint for image layers on the private route tables."""

    security_group_id: pulumi.Output[str]
    """The interface endpoints' group: the clients' HTTPS egress goes to it."""
    s3_prefix_list_id: pulumi.Output[str]
    """S3's prefix list, which the gateway routes: the clients' HTTPS egress to image layers goes to it."""
    endpoint_ids: pulumi.Output[list[str]]
    """Every endpoint, interface and gateway, known once each is created: the provider waits until each is
    `available` (terraform-provider-aws `internal/service/ec2/vpc_endpoint.go`, create ->
    `waitVPCEndpointAvailable`), so a client ordered after this output (the ECS service) starts after them."""

    def __init__(self, name: str, args: EndpointsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        require(args, "vpc_id", "subnet_ids", "route_table_ids", "client_security_group_id")
        super().__init__("order-events:index:Endpoints", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        region = aws.get_region_output(opts=pulumi.InvokeOutputOptions(parent=self)).region
        partition = aws.get_partition_output(opts=pulumi.InvokeOutputOptions(parent=self)).partition

        # No egress rule: the provider removes the allow-all egress AWS gives a new group (pulumi-aws
        # `ec2.SecurityGroup`, "NOTE on Egress rules"), and an endpoint answers; it never calls out.
        sg = aws.ec2.SecurityGroup(
            f"{name}-sg", vpc_id=args["vpc_id"], description="VPC endpoints: HTTPS from the tasks", opts=child
        )
        # "The security group attached to the VPC endpoint must allow incoming connections on port 443 from
        # the private subnet of the VPC" (ECR guide, same page): here, from the one client group only.
        allow_in(
            f"{name}-from-client",
            group=sg.id,
            source=args["client_security_group_id"],
            port=HTTPS_PORT,
            opts=child,
        )
        interfaces = [
            aws.ec2.VpcEndpoint(
                f"{name}-{service.replace('.', '-')}",
                vpc_id=args["vpc_id"],
                service_name=pulumi.Output.concat("com.amazonaws.", region, f".{service}"),
                vpc_endpoint_type="Interface",
                # The service's own DNS name resolves to the endpoint inside the VPC, so nothing in the task
                # names an endpoint (EC2 API `CreateVpcEndpoint`, `PrivateDnsEnabled`).
                private_dns_enabled=True,
                subnet_ids=args["subnet_ids"],
                security_group_ids=[sg.id],
                opts=child,
            )
            for service in INTERFACE_SERVICES
        ]
        s3 = aws.ec2.VpcEndpoint(
            f"{name}-s3",
            vpc_id=args["vpc_id"],
            service_name=pulumi.Output.concat("com.amazonaws.", region, ".s3"),
            vpc_endpoint_type="Gateway",
            route_table_ids=args["route_table_ids"],
            policy=pulumi.Output.all(partition, region).apply(lambda a: layer_bucket_policy(*a)),
            opts=child,
        )
        self.security_group_id = sg.id
        self.s3_prefix_list_id = s3.prefix_list_id
        self.endpoint_ids = pulumi.Output.all(*[e.id for e in [*interfaces, s3]])
        register_annotated_outputs(self)


def layer_bucket_policy(partition: str, region: str) -> str:
    """The S3 gateway endpoint's policy: read ECR's image layers, nothing else.

    ECR keeps layers in `prod-<region>-starport-layer-bucket`, and the gateway endpoint's policy may allow
    that bucket only (ECR guide, "Minimum Amazon S3 bucket permissions for Amazon ECR"; its example also
    allows `s3:PutObject`, for pushes from inside the VPC: the image is pushed from the deploying machine, so
    pulls are all that pass here).
    """
    layers = f"arn:{partition}:s3:::prod-{region}-starport-layer-bucket/*"
    statement = {"Sid": "EcrImageLayers", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement | {"Resource": layers}]})
