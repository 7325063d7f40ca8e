"""What AWS would answer for a resource the program registers: the computed outputs other resources read.

The mocks in `ops/cost/graph.py` return a resource's inputs plus these (ARNs, ids, URLs, endpoints), so the
wiring between components is real, not faked.
"""

from typing import Any

REGION, ACCOUNT = "us-east-1", "123456789012"
ELB_ARN_PREFIX = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:"
#: The account's zones, name -> zone ID, in the order AWS lists them. Each account maps names to IDs its
#: own way; this one's first three carry VPC links V2 (use1-az3 does not, see components/_zones.py).
ZONES = {
    "us-east-1a": "use1-az1", "us-east-1b": "use1-az2", "us-east-1c": "use1-az4",
    "us-east-1d": "use1-az6", "us-east-1e": "use1-az3", "us-east-1f": "use1-az5",
}  # fmt: skip


def computed(type_: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    service = type_.split(":")[1].split("/")[0]
    service = "events" if "/event" in type_ else service
    out: dict[str, Any] = {
        "arn": f"arn:aws:{service}:{REGION}:{ACCOUNT}:{name}",
        "name": inputs.get("name", name),
    }
    if (more := _COMPUTED.get(type_)) is not None:
        out |= more(name, inputs)
    return out


def _vpc(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    named = inputs.get("availabilityZoneNames") or []
    azs = len(named) or int(inputs.get("numberOfAvailabilityZones", 2))
    return {
        "vpcId": "vpc-1",
        "privateSubnetIds": [f"subnet-private-{i}" for i in range(azs)],
        "publicSubnetIds": [f"subnet-public-{i}" for i in range(azs)],
    }


def _bucket(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    # The id is the bucket's name; its ARN has no region or account.
    bucket = inputs.get("bucket", f"{name}-bucket")
    return {"bucket": bucket, "arn": f"arn:aws:s3:::{bucket}"}


def _vpc_endpoint(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    return {"prefixListId": f"pl-{name}"} if inputs.get("vpcEndpointType") == "Gateway" else {}


def _docdb_cluster(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    return {
        "clusterIdentifier": inputs.get("clusterIdentifier", f"{name}-cluster-id"),
        "endpoint": f"{name}.cluster-c1.{REGION}.docdb.amazonaws.com",
        "masterUserSecrets": [
            {
                "secretArn": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:rds!{name}",
                "secretStatus": "active",
                "kmsKeyId": "aws/secretsmanager",
            }
        ],
    }


def _stage(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    api, stage = inputs["restApi"], inputs["stageName"]
    return {
        "executionArn": f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{api}/{stage}",
        "invokeUrl": f"https://{api}.execute-api.{REGION}.amazonaws.com/{stage}",
    }


#: What each type computes beyond its ARN and name. CloudWatch knows a load balancer and a target group
#: by their ARN suffixes (the ARN after `loadbalancer/` or from `targetgroup/` on), so the mocks derive
#: them the way AWS does.
_COMPUTED: dict[str, Any] = {
    "awsx:ec2:Vpc": _vpc,
    "aws:s3/bucket:Bucket": _bucket,
    "aws:ec2/vpcEndpoint:VpcEndpoint": _vpc_endpoint,
    "awsx:ecr:Image": lambda name, inputs: {"imageUri": f"{inputs['repositoryUrl']}@sha256:{'0' * 64}"},
    "aws:ecr/repository:Repository": lambda name, inputs: {
        "repositoryUrl": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/{name}"
    },
    "aws:docdb/cluster:Cluster": _docdb_cluster,
    "aws:apigateway/restApi:RestApi": lambda name, inputs: {
        "rootResourceId": "root0",
        "executionArn": f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{name}-id",
    },
    "aws:apigateway/stage:Stage": _stage,
    "aws:lb/loadBalancer:LoadBalancer": lambda name, inputs: {
        "dnsName": f"internal-{name}.{REGION}.elb.amazonaws.com",
        "arn": f"{ELB_ARN_PREFIX}loadbalancer/app/{name}/1",
        "arnSuffix": f"app/{name}/1",
    },
    "aws:lb/targetGroup:TargetGroup": lambda name, inputs: {
        "arn": f"{ELB_ARN_PREFIX}targetgroup/{name}/2",
        "arnSuffix": f"targetgroup/{name}/2",
    },
    "aws:sqs/queue:Queue": lambda name, inputs: {
        "url": f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}"
    },
}
