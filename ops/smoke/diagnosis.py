"""What `orders smoke` prints when it ends: the latency, or a diagnosis that says where to look next."""

from __future__ import annotations

import re

from handler.contract import API_STAGE, ENV_API_STAGE, ORDERS_METHOD, ORDERS_PATH
from ops import refusals
from ops.dlq_messages import ATTRIBUTES, DlqMessage
from ops.smoke.outputs import Target
from ops.smoke.reader import Answer

_STATUS = re.compile(r"\b([45][0-9]{2})\b")

#: What a status EventBridge got from the API means for this pipeline.
_MEANING = {
    400: "the handler, or API Gateway's model before it, refused the canary as invalid (the answer names "
    "the field): are the deployed handler and schema from the same version as this CLI?",
    401: "API Gateway refused EventBridge's call: the rule target's role needs execute-api:Invoke on "
    f"{ORDERS_METHOD} {ORDERS_PATH}",
    403: "API Gateway refused EventBridge's call: the rule target's role needs execute-api:Invoke on "
    f"{ORDERS_METHOD} {ORDERS_PATH}",
    404: "the handler does not serve the path API Gateway called; a REST API private integration puts the "
    f"stage in the path (/{API_STAGE}{ORDERS_PATH}): is {ENV_API_STAGE}={API_STAGE} set on the service?",
    409: "the canary's order id is stored with other content: unexpected for a fresh UUID; "
    "is something else writing to the store?",
    413: "the handler found the event too large",
}
_CODE_MEANING = {
    "NO_PERMISSIONS": "EventBridge may not invoke the target: check the rule target's role",
    "CONNECTION_FAILURE": "EventBridge could not connect to the target",
    "TIMEOUT": "the target did not answer within EventBridge's 5 s",
}


def http_status(error_message: str) -> int | None:
    """The first 4xx/5xx status stated in a DLQ message's ERROR_MESSAGE, if it states one."""
    match = _STATUS.search(error_message)
    return int(match.group(1)) if match else None


def passed(latency: float, order_id: str, event_id: str, target: Target, polls: int) -> list[str]:
    return [
        f"smoke passed: publish -> readable in {latency:.2f} s",
        f"  canary order {order_id} (event {event_id}), bus {target.bus}, read from {target.api_url}"
        f" after {polls} GET(s)",
    ]


def in_dlq(message: DlqMessage, order_id: str, event_id: str, elapsed: float, target: Target) -> list[str]:
    attrs = message.attributes
    status = http_status(attrs.get("ERROR_MESSAGE", ""))
    lines = [
        f"smoke FAILED: the canary went to the dead-letter queue ({elapsed:.1f} s after publishing)",
        f"  canary order {order_id}, event {event_id}, bus {target.bus}",
    ]
    lines += [
        f"  {name:<16}{attrs[name]}" for name in (*ATTRIBUTES, "EXHAUSTED_RETRY_CONDITION") if name in attrs
    ]
    lines.append(
        f"  {'HTTP status':<16}{status} (stated in ERROR_MESSAGE)"
        if status
        else f"  {'HTTP status':<16}not stated in ERROR_MESSAGE"
    )
    said = refusals.explain(attrs.get("ERROR_MESSAGE", ""))
    if said != attrs.get("ERROR_MESSAGE", ""):
        lines.append(f"  {'refused':<16}{said}")
    meaning = _MEANING.get(status or 0) or _CODE_MEANING.get(attrs.get("ERROR_CODE", ""))
    if meaning:
        lines.append(f"  {'what it means':<16}{meaning}")
    return lines + _where_to_look(event_id, target)


def not_delivered(
    timeout: float, order_id: str, event_id: str, target: Target, last: Answer | None, dlq_others: int
) -> list[str]:
    lines = [
        f"smoke FAILED: not delivered in {timeout:g} s: the canary is not readable, nor found in the DLQ",
        f"  canary order {order_id}, event {event_id}, bus {target.bus}",
    ]
    if last is not None:
        lines.append(f"  last GET {last.url}: {last.short()}")
        if last.status == 404 and not last.is_order_not_found():
            lines.append(
                "  that 404 is not the handler's order_not_found: the read path does not reach "
                f"GET {ORDERS_PATH}/{{order_id}}; is {ENV_API_STAGE}={API_STAGE} set on the service?"
            )
        elif last.kind("") == "transient":
            lines.append(
                "  the read path itself is failing, so the canary may be stored but unreadable: check the "
                "ALB's target health and the service's logs"
            )
    if dlq_others:
        lines.append(
            f"  the dead-letter queue holds at least {dlq_others} other message(s): `orders dlq show`"
            " (the canary may be among messages not looked at)"
        )
    lines.append(
        "  EventBridge retries 429, 5xx and timeouts until the target's maximum event age, then uses the DLQ:"
        " the canary may still arrive there"
    )
    return lines + _where_to_look(event_id, target)


def refused(answer: Answer, target: Target, published: str | None) -> list[str]:
    """A GET that polling cannot fix (403, 400, a wrong 200). `published` names the canary if one went out."""
    lines = [f"smoke FAILED: GET {answer.url} answered {answer.short()}"]
    body = answer.body
    if answer.status == 403 and "Missing Authentication Token" in body:
        lines.append(
            f"  API Gateway has no such route: check that --api-url is the stage's invoke URL (…/{API_STAGE})"
            f" and that GET {ORDERS_PATH}/{{order_id}} is deployed"
        )
    elif answer.status == 403 and ("security token" in body or "Signature" in body):
        lines.append(
            "  API Gateway did not accept these credentials' signature: check AWS_PROFILE / the role"
        )
    elif answer.status in (401, 403):
        policy = f" ({target.reader_policy_arn})" if target.reader_policy_arn else ""
        lines.append(
            "  these credentials may not read orders: attach the stack's reader policy, output "
            f"`reader_policy_arn`{policy}, to the role or user running the smoke check"
        )
    lines.append(
        f"  the canary {published} was published and stays stored if it arrives"
        if published
        else "  nothing was published: the read path is checked before the canary goes out"
    )
    return lines


def _where_to_look(event_id: str, target: Target) -> list[str]:
    rule = _rule_dimensions(target)
    service = (
        f"ECS service {target.service_name}" if target.service_name else "the ECS service (`service_name`)"
    )
    return [
        "  where to look:",
        f"    - the rule's FailedInvocations and InvocationsSentToDlq metrics: AWS/Events, {rule}",
        f"    - the API's access log, stage {API_STAGE}: status and integrationError of each {ORDERS_METHOD}",
        f"    - the service's logs: {service}, log line put_order with event_id {event_id}",
    ]


def _rule_dimensions(target: Target) -> str:
    # arn:aws:events:<region>:<account>:rule/<bus>/<rule> (a custom bus) or rule/<rule> (the default bus)
    if target.rule_arn and ":rule/" in target.rule_arn:
        return (
            f"RuleName={target.rule_arn.split(':rule/', 1)[1].rsplit('/', 1)[-1]}, EventBusName={target.bus}"
        )
    return f"EventBusName={target.bus} (the rule: stack output `rule_arn`)"
