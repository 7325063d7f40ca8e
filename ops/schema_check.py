"""Check PutEvents entries against the event's schema before anything is sent.

The schema is the one the API's model and the stack's Schema Registry hold (`handler.contract.
EVENT_SCHEMA_PATH`, generated from the handler's Structs). Each entry is checked as the event EventBridge
will deliver (`ops.envelope.build`), so a body API Gateway would refuse with 400, and EventBridge would
dead-letter, is refused here instead, naming the entry and the field.

The schema says no more than the handler (handler/event_schema.py): an entry that passes may still be
refused by the handler for a rule the schema leaves to it (its description lists them).
"""

from __future__ import annotations

import functools
import json
from typing import Any

from jsonschema import Draft4Validator
from jsonschema.exceptions import best_match

from handler.contract import EVENT_SCHEMA_NAME, EVENT_SCHEMA_PATH
from ops import envelope
from ops.errors import OpsError

#: At most this many invalid entries are listed (the rest are counted).
SHOWN = 10
#: Any account and region: the schema asks only that they are strings.
_ACCOUNT, _REGION = "123456789012", "us-east-1"


@functools.cache
def validator() -> Draft4Validator:
    """The committed schema's validator (read once per process)."""
    return Draft4Validator(json.loads(EVENT_SCHEMA_PATH.read_text(encoding="utf-8")))


def problem(entry: dict[str, Any]) -> str | None:
    """What is wrong with a checked entry as the event it becomes, or None when the schema admits it."""
    event = envelope.build(entry, account=_ACCOUNT, region=_REGION)
    error = best_match(validator().iter_errors(event))
    if error is None:
        return None
    return f"{_where(list(error.absolute_path))}: {error.message}"


#: The entry's field each envelope field comes from (`ops.envelope.build`).
_ENTRY_FIELDS = {"detail": "Detail", "detail-type": "DetailType", "source": "Source", "time": "Time"}


def _where(path: list[str | int]) -> str:
    """A path in the event, said as the entry's field: `Detail $.items[0].quantity`, `DetailType`."""
    if not path:
        return "the event"
    head, *rest = path
    field = _ENTRY_FIELDS.get(str(head), str(head))
    if not rest:
        return field
    inner = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in rest)
    return f"{field} ${inner}"


def check(items: list[dict[str, Any]]) -> None:
    """Refuse the whole file if any entry breaks the schema, listing each such entry.

    Raises:
        OpsError: One or more entries would be refused at the API's edge; nothing is to be sent.
    """
    problems = [(index, found) for index, item in enumerate(items) if (found := problem(item))]
    if not problems:
        return
    lines = [f"entry {index}: {found}" for index, found in problems[:SHOWN]]
    if len(problems) > SHOWN:
        lines.append(f"... and {len(problems) - SHOWN} more")
    raise OpsError(
        f"{len(problems)} of {len(items)} entries are not valid {EVENT_SCHEMA_NAME} events, so nothing "
        "was sent (the API would answer 400 and EventBridge dead-letter them):\n  " + "\n  ".join(lines)
    )
