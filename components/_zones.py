"""Which availability zones the VPC may use: only those where API Gateway's VPC links V2 exist.

A zone *name* (us-east-1a) maps to a physical zone differently in every account; the zone *ID* (use1-az1)
is the same everywhere ("AZ IDs", https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html).
VPC links V2 are offered in listed zone IDs only, so a VPC laid over "the first N names" (awsx's default)
can put a private subnet where `CreateVpcLink` then fails.
"""

from collections.abc import Sequence

#: The zone IDs where VPC links V2 are supported, by region: "Set up VPC links V2 in API Gateway",
#: section "Availability by Region",
#: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vpc-links.html
#: (the same table in apigateway-vpc-links-v2.html). A region missing here is one the page does not list.
VPC_LINK_ZONE_IDS: dict[str, tuple[str, ...]] = {
    "us-east-2": ("use2-az1", "use2-az2", "use2-az3"),
    "us-east-1": ("use1-az1", "use1-az2", "use1-az4", "use1-az5", "use1-az6"),
    "us-west-1": ("usw1-az1", "usw1-az3"),
    "us-west-2": ("usw2-az1", "usw2-az2", "usw2-az3", "usw2-az4"),
    "ap-east-1": ("ape1-az2", "ape1-az3"),
    "ap-south-1": ("aps1-az1", "aps1-az2", "aps1-az3"),
    "ap-northeast-2": ("apne2-az1", "apne2-az2", "apne2-az3"),
    "ap-southeast-1": ("apse1-az1", "apse1-az2", "apse1-az3"),
    "ap-southeast-2": ("apse2-az1", "apse2-az2", "apse2-az3"),
    "ap-northeast-1": ("apne1-az1", "apne1-az2", "apne1-az4"),
    "ca-central-1": ("cac1-az1", "cac1-az2"),
    "eu-central-1": ("euc1-az1", "euc1-az2", "euc1-az3"),
    "eu-west-1": ("euw1-az1", "euw1-az2", "euw1-az3"),
    "eu-west-2": ("euw2-az1", "euw2-az2", "euw2-az3"),
    "eu-west-3": ("euw3-az1", "euw3-az3"),
    "eu-south-2": ("eus2-az1", "eus2-az2", "eus2-az3"),
    "eu-north-1": ("eun1-az1", "eun1-az2", "eun1-az3"),
    "me-south-1": ("mes1-az1", "mes1-az2", "mes1-az3"),
    "sa-east-1": ("sae1-az1", "sae1-az2", "sae1-az3"),
    "us-gov-west-1": ("usgw1-az1", "usgw1-az2", "usgw1-az3"),
}


def vpc_link_zones(region: str, names: Sequence[str], zone_ids: Sequence[str], count: int) -> list[str]:
    """The first `count` zone names, in the account's order, whose zone IDs carry VPC links V2 in `region`.

    Where every one of the first `count` names is supported, the result is awsx's own default (the first
    `count` names), so a stack already deployed there keeps its subnets.

    Raises:
        ValueError: `region` is not listed, or fewer than `count` of its zones carry VPC links; the message
            names the region and the zones.
    """
    supported = VPC_LINK_ZONE_IDS.get(region)
    if supported is None:
        raise ValueError(
            f"`availability_zones`: API Gateway lists no VPC link V2 zones in region {region!r} "
            f"(it lists {sorted(VPC_LINK_ZONE_IDS)}); deploy to one of those regions"
        )
    usable = [name for name, zone_id in zip(names, zone_ids, strict=True) if zone_id in supported]
    if len(usable) < count:
        found = ", ".join(f"{n} ({z})" for n, z in zip(names, zone_ids, strict=True))
        raise ValueError(
            f"`availability_zones` is {count}, but only {len(usable)} zones of {region} carry VPC links V2 "
            f"in this account: {usable} of [{found}]; VPC links V2 exist in {list(supported)} only. "
            f"Lower `availability_zones` or choose another region"
        )
    return usable[:count]
