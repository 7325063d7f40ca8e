"""The two tables `orders cost` prints: idle cost per resource a month, and cost per million events."""

from collections.abc import Sequence
from dataclasses import dataclass

from ops.cost.idle import Line


@dataclass(frozen=True)
class Total:
    """A sum of priced lines, and the lines whose price was not found (not in the sum, named instead)."""

    usd: float
    unpriced: tuple[Line, ...]


def total(lines: Sequence[Line]) -> Total:
    """Sum the priced lines; keep the unpriced ones apart."""
    return Total(
        sum(line.usd for line in lines if line.usd is not None),
        tuple(line for line in lines if line.usd is None),
    )


def render(title: str, lines: Sequence[Line], unit: str) -> str:
    """A Markdown table of `lines` and its total (as `docs/capacity.md` shows it)."""
    rows = [f"| {title} | item | {unit} |", "|---|---|---:|"]
    rows += [f"| {line.resource} | {line.item} | {_usd(line.usd)} |" for line in lines]
    summed = total(lines)
    rows.append(f"| **total** | | **{_usd(summed.usd)}** |")
    text = "\n".join(rows)
    if summed.unpriced:
        missing = ", ".join(sorted({line.price for line in summed.unpriced}))
        text += f"\n\nNot in the total: {len(summed.unpriced)} line(s) whose price was not found ({missing})."
    return text


def _usd(value: float | None) -> str:
    return "not found" if value is None else f"${value:,.2f}"
