"""What AWS would answer for a resource the program registers: the computed outputs other resources read.

The mocks in `ops/cost/graph.py` return a resource's inputs plus these (ARNs, ids, URLs, endpoints), so the
wiring between components is real, not faked.
"""

from typing import Any

REGION, ACCOUNT = "us-east-1", "123456789012"
ELB_ARN_PREFIX = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:"


def computed(type_: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    service = type_.split(":")[1].split("/")[0]
    service = "events" if "/event" in type_ else service
    out: dict[str, Any] = {
        "arn": f"arn:aws:{service}:{REGION}:{ACCOUNT}:{name}",
        "name": inputs.get("name", name),
    }
    if type_ == "awsx:ec2:Vpc":
        azs = int(inputs.get("numberOfAvailabilityZones", 2))
        out |= {
            "vpcId": "vpc-1",
            "privateSubnetIds": [f"subnet-private-{i}" for i in range(azs)],
            "publicSubnetIds": [f"subnet-public-{i}" for i in range(azs)],
        }
    elif type_ == "aws:s3/bucket:Bucket":  # the id is the bucket's name; its ARN has no region or account
        bucket = inputs.get("bucket", f"{name}-bucket")
        out |= {"bucket": bucket, "arn": f"arn:aws:s3:::{bucket}"}
    elif type_ == "aws:ec2/vpcEndpoint:VpcEndpoint" and inputs.get("vpcEndpointType") == "Gateway":
        out["prefixListId"] = f"pl-{name}"
    elif type_ == "awsx:ecr:Image":
        out["imageUri"] = f"{inputs['repositoryUrl']}@sha256:{'0' * 64}"
    elif type_ == "aws:ecr/repository:Repository":
        out["repositoryUrl"] = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/{name}"
    elif type_ == "aws:docdb/cluster:Cluster":
        out |= {
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
    elif type_ == "aws:apigateway/restApi:RestApi":
        out |= {
            "rootResourceId": "root0",
            "executionArn": f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{name}-id",
        }
    elif type_ == "aws:apigateway/stage:Stage":
        api, stage = inputs["restApi"], inputs["stageName"]
        out |= {
            "executionArn": f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{api}/{stage}",
            "invokeUrl": f"https://{api}.execute-api.{REGION}.amazonaws.com/{stage}",
        }
    # CloudWatch knows a load balancer and a target group by their ARN suffixes (the ARN after
    # `loadbalancer/` or from `targetgroup/` on), so the mocks derive them the way AWS does.
    elif type_ == "aws:lb/loadBalancer:LoadBalancer":
        out |= {
            "dnsName": f"internal-{name}.{REGION}.elb.amazonaws.com",
            "arn": f"{ELB_ARN_PREFIX}loadbalancer/app/{name}/1",
            "arnSuffix": f"app/{name}/1",
        }
    elif type_ == "aws:lb/targetGroup:TargetGroup":
        out |= {"arn": f"{ELB_ARN_PREFIX}targetgroup/{name}/2", "arnSuffix": f"targetgroup/{name}/2"}
    elif type_ == "aws:sqs/queue:Queue":
        out["url"] = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}"
    return out
