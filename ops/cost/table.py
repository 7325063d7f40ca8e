"""The committed price table (`prices.toml`): dated prices with their sources, per-event facts, free types."""

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ops.errors import OpsError

TABLE = Path(__file__).with_name("prices.toml")


@dataclass(frozen=True)
class Price:
    """One price: `usd` is None when no source gave it (the table says so in `source`)."""

    key: str
    usd: float | None
    per: str
    source: str
    read: str


@dataclass(frozen=True)
class PriceTable:
    """The table as read: prices by key, the per-event facts, the types that cost nothing by themselves."""

    region: str
    hours: float
    prices: dict[str, Price]
    facts: dict[str, float]
    free: frozenset[str]

    def price(self, key: str) -> Price:
        """The price `key`; a key the table lacks is an `OpsError` naming it (never a zero)."""
        try:
            return self.prices[key]
        except KeyError:
            raise OpsError(f"the price table ({TABLE.name}) has no price `{key}`") from None


def load(path: Path = TABLE) -> PriceTable:
    """Read the price table at `path`."""
    raw: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    prices = {
        key: Price(key, entry.get("usd"), entry["per"], entry["source"], entry["read"])
        for key, entry in raw["price"].items()
    }
    return PriceTable(
        region=raw["region"],
        hours=float(raw["hours_per_month"]),
        prices=prices,
        facts={k: float(v) for k, v in raw["per_event"].items()},
        free=frozenset(raw["free"]["types"]),
    )
