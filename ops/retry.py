"""Backoff shared by `publish` (failed PutEvents entries) and `send` (5xx, 429, timeouts)."""

import random


def backoff(attempt: int, *, base: float, cap: float) -> float:
    """Return the delay before retry number `attempt` (1-based), with full jitter.

    Full jitter (a random delay up to the exponential bound) keeps many clients that failed together
    from retrying together, which is what throttling needs.

    Args:
        attempt: The retry about to be made, starting at 1.
        base: The bound for the first retry, in seconds.
        cap: The largest bound, in seconds; 0 disables waiting (tests).
    """
    bound = min(cap, base * 2 ** (attempt - 1))
    return random.uniform(0, bound)  # noqa: S311 - jitter, not cryptography
