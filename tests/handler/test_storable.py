"""storable.check walks a valid detail once without building paths (``_keeps``) and names the path only
for one that breaks a rule (``_find``): the two must agree on every value, or a fault would slip by."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handler import storable
from handler.errors import InvalidEvent

_KEYS = st.sampled_from(["a", "b.c", "$d", "e\x00", "", "f$"])
_LEAVES = st.none() | st.booleans() | st.floats(allow_nan=False) | st.text(max_size=3)
_INTS = st.integers(min_value=-(2**65), max_value=2**65)
_VALUES = st.recursive(
    _LEAVES | _INTS, lambda c: st.lists(c, max_size=3) | st.dictionaries(_KEYS, c, max_size=3)
)


def _refused(value: Any, depth: int) -> bool:
    try:
        storable._find(value, "$.detail", depth)
    except InvalidEvent:
        return True
    return False


@given(value=_VALUES, depth=st.integers(min_value=0, max_value=storable.MAX_DEPTH + 1))
def test_the_fast_walk_and_the_path_naming_walk_agree(value: Any, depth: int) -> None:
    assert storable._keeps(value, depth) is not _refused(value, depth)


@pytest.mark.parametrize("leaf", ["text", 1, None])
def test_a_leaf_one_level_too_deep_is_refused_with_its_path(leaf: Any) -> None:
    # Given a detail nested exactly one level past the limit, ending in a leaf
    value: Any = leaf
    for _ in range(storable.MAX_DEPTH + 1):
        value = {"k": value}
    # When it is checked, Then it is refused, naming where
    with pytest.raises(InvalidEvent, match="Nested more than"):
        storable.check(value, "$.detail")
