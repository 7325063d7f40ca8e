"""One-port TCP rules between security groups: how every hop of the pipeline is opened, and no wider."""

import pulumi
import pulumi_aws as aws


def allow_in(
    name: str, *, group: pulumi.Input[str], source: pulumi.Input[str], port: int, opts: pulumi.ResourceOptions
) -> aws.vpc.SecurityGroupIngressRule:
    """Let members of security group ``source`` reach ``group`` on TCP ``port``."""
    return aws.vpc.SecurityGroupIngressRule(
        name,
        security_group_id=group,
        referenced_security_group_id=source,
        ip_protocol="tcp",
        from_port=port,
        to_port=port,
        opts=opts,
    )


def allow_out(
    name: str, *, group: pulumi.Input[str], target: pulumi.Input[str], port: int, opts: pulumi.ResourceOptions
) -> aws.vpc.SecurityGroupEgressRule:
    """Let members of ``group`` open TCP ``port`` to members of security group ``target``."""
    return aws.vpc.SecurityGroupEgressRule(
        name,
        security_group_id=group,
        referenced_security_group_id=target,
        ip_protocol="tcp",
        from_port=port,
        to_port=port,
        opts=opts,
    )
