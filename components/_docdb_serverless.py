"""DocumentDB Serverless: the `db.serverless` instance class, its capacity range, and the limits AWS sets.

Sources (read 2026-12-05):
- Engine versions: "DocumentDB serverless is supported by Amazon DocumentDB 5.0 and 8.0 engine versions. It
  is not available on engine versions 3.6 or 4.0", and only on newer 5.0.0 patches (which a cluster that
  names `5.0.0` gets): https://docs.aws.amazon.com/documentdb/latest/devguide/docdb-serverless-limitations.html
- Capacity range: instances scale from 0.5 DCUs (the idle state) to 256 DCUs
  (https://docs.aws.amazon.com/documentdb/latest/developerguide/docdb-serverless-instance-limits.html);
  the provider documents `minCapacity` as multiples of 0.5 from 0.5 to 256 and `maxCapacity` from 1 to 256
  (pulumi-aws 7.51 `aws.docdb.ClusterServerlessV2ScalingConfigurationArgs`); DCU values go in half steps
  (https://docs.aws.amazon.com/documentdb/latest/developerguide/API_ServerlessV2ScalingConfiguration.html).
- The cluster needs `ServerlessV2ScalingConfiguration` before any serverless instance is added (same
  limitations page), so the configuration lives on the cluster and every instance uses `db.serverless`.
"""

from typing import Any

INSTANCE_CLASS = "db.serverless"
ENGINE_VERSIONS = frozenset({"5.0.0", "8.0.0"})
MIN_CAPACITY_RANGE = (0.5, 256.0)
MAX_CAPACITY_RANGE = (1.0, 256.0)
DEFAULT_MIN_CAPACITY = 0.5  # the idle state: what an unused stack pays for
DEFAULT_MAX_CAPACITY = 2.0  # 4 GiB, the memory of the db.t4g.medium it replaces in dev

#: The component field and the stack config key that sets it, so an error names both.
SETTINGS = {
    "serverless_min_capacity": "dbServerlessMinCapacity",
    "serverless_max_capacity": "dbServerlessMaxCapacity",
}


def is_serverless(instance_class: Any) -> bool:
    """Whether `instance_class` is DocumentDB Serverless's (an Output is taken as provisioned)."""
    return instance_class == INSTANCE_CLASS


def check(args: Any, *, instance_class: Any, engine_version: str) -> None:
    """Refuse a serverless setting AWS would refuse, naming the field and its stack config key.

    Raises:
        ValueError: capacities given to a provisioned class, an engine version without serverless, a
            capacity outside AWS's range or not in half steps, or a minimum above the maximum.
    """
    given = [field for field in SETTINGS if args.get(field) is not None]
    if not is_serverless(instance_class):
        if given:
            raise ValueError(f"{_name(given[0])} is set, but `instance_class` is not `{INSTANCE_CLASS}`")
        return
    if engine_version not in ENGINE_VERSIONS:
        raise ValueError(
            f"`engine_version` {engine_version!r} has no DocumentDB Serverless; "
            f"use one of {sorted(ENGINE_VERSIONS)}"
        )
    low, high = capacities(args)
    for field, value, (lo, hi) in (
        ("serverless_min_capacity", low, MIN_CAPACITY_RANGE),
        ("serverless_max_capacity", high, MAX_CAPACITY_RANGE),
    ):
        if not lo <= value <= hi or value * 2 != int(value * 2):
            raise ValueError(f"{_name(field)} must be {lo:g}-{hi:g} DCUs in steps of 0.5, got {value:g}")
    if low > high:
        raise ValueError(
            f"{_name('serverless_min_capacity')} ({low:g}) is above "
            f"{_name('serverless_max_capacity')} ({high:g})"
        )


def capacities(args: Any) -> tuple[float, float]:
    """The (minimum, maximum) DCUs, defaults filled in."""
    return (
        float(args.get("serverless_min_capacity", DEFAULT_MIN_CAPACITY)),
        float(args.get("serverless_max_capacity", DEFAULT_MAX_CAPACITY)),
    )


def _name(field: str) -> str:
    return f"`{field}` (stack config `{SETTINGS[field]}`)"
