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
    return _egress(name, group, port, opts, referenced_security_group_id=target)


def allow_out_to_prefix_list(
    name: str,
    *,
    group: pulumi.Input[str],
    prefix_list: pulumi.Input[str],
    port: int,
    opts: pulumi.ResourceOptions,
) -> aws.vpc.SecurityGroupEgressRule:
    """Let members of ``group`` open TCP ``port`` to the addresses of a (managed) prefix list, such as the one
    an S3 gateway endpoint routes: "With outbound rules, this is the AWS service to access through a VPC
    endpoint" (EC2 API, `IpPermission.PrefixListIds`)."""
    return _egress(name, group, port, opts, prefix_list_id=prefix_list)


def allow_out_anywhere(
    name: str, *, group: pulumi.Input[str], port: int, opts: pulumi.ResourceOptions
) -> aws.vpc.SecurityGroupEgressRule:
    """Let members of ``group`` open TCP ``port`` to any IPv4 address (through the NAT gateway)."""
    return _egress(name, group, port, opts, cidr_ipv4="0.0.0.0/0")


def _egress(
    name: str,
    group: pulumi.Input[str],
    port: int,
    opts: pulumi.ResourceOptions,
    **destination: pulumi.Input[str],
) -> aws.vpc.SecurityGroupEgressRule:
    return aws.vpc.SecurityGroupEgressRule(
        name,
        security_group_id=group,
        ip_protocol="tcp",
        from_port=port,
        to_port=port,
        opts=opts,
        **destination,
    )
