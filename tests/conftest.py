"""Fixtures every part of the suite shares."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture
def sample_event() -> dict[str, Any]:
    """The AWS sample's CreateOrder event, as EventBridge delivers it (a fresh copy per test)."""
    return copy.deepcopy(json.loads((EXAMPLES / "create-order.json").read_text()))
