"""handler/deadlines.py: one timer for every store call's deadline behaves as ``asyncio.timeout`` does."""

from __future__ import annotations

import asyncio

import pytest

from handler.deadlines import Deadlines


async def test_a_call_past_its_deadline_is_cancelled_as_a_timeout_and_others_finish() -> None:
    # Given deadlines of 0.2 s, a call that never finishes and, started after it, quick ones
    deadlines = Deadlines(0.2)
    never = asyncio.Event()
    slow = asyncio.create_task(deadlines.within(never.wait()))
    await asyncio.sleep(0)
    quick = [await deadlines.within(asyncio.sleep(0.01, result=n)) for n in range(3)]
    # When the deadline passes, Then the slow one is a TimeoutError and the quick ones answered
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(slow, 2)
    assert quick == [0, 1, 2]
    assert not deadlines._calls  # nothing left waiting


async def test_a_cancellation_from_elsewhere_stays_a_cancellation() -> None:
    # Given a call well within its deadline, When its task is cancelled by someone else (a shutdown)
    deadlines = Deadlines(5)
    task = asyncio.create_task(deadlines.within(asyncio.Event().wait()))
    await asyncio.sleep(0)
    task.cancel()
    # Then it is a cancellation, not a timeout
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_later_calls_still_get_their_deadline_after_earlier_ones_timed_out() -> None:
    # Given one call that timed out
    deadlines = Deadlines(0.1)
    with pytest.raises(TimeoutError):
        await deadlines.within(asyncio.Event().wait())
    # When another stalls after it, Then it times out too (the one timer was armed again)
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(deadlines.within(asyncio.Event().wait()), 2)


def test_a_new_event_loop_starts_afresh() -> None:
    # Given deadlines used on one event loop, left with a timer armed there
    deadlines = Deadlines(0.1)

    async def stall() -> None:
        await deadlines.within(asyncio.Event().wait())

    async def leave_one_pending() -> None:
        task = asyncio.create_task(stall())
        await asyncio.sleep(0)
        task.cancel()

    asyncio.run(leave_one_pending())
    # When used on another loop, Then a stalled call still times out there
    with pytest.raises(TimeoutError):
        asyncio.run(asyncio.wait_for(stall(), 2))
