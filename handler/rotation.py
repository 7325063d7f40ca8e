"""Surviving a rotated database password: the task exits, and ECS starts one that reads the new one.

The problem. DocumentDB can keep its master password in Secrets Manager and rotate it there
("Password management with Amazon DocumentDB and AWS Secrets Manager", DocumentDB Developer Guide;
"Managed rotation for AWS Secrets Manager secrets", Secrets Manager User Guide). The task definition
passes that secret to the container through ECS ``secrets``, and ECS reads it only once: "Sensitive
data is injected into your container when the container is initially started. If the secret is
subsequently updated or rotated, the container will not receive the updated value automatically. You
must either launch a new task or [...] force the service to launch a fresh task" ("Pass Secrets
Manager secrets through Amazon ECS environment variables", ECS Developer Guide). Connections opened
before a rotation stay authenticated, but every connection opened after it (pool growth, a reconnect,
a failover) is refused, and the process cannot learn the new password by itself.

The mechanism. When the store reports ``CredentialsRejected`` (the Mongo store maps the server's
AuthenticationFailed, code 18, to it), the request that met it answers 503 with Retry-After like any
store failure, so EventBridge retries it and nothing is lost. The gate (gate.py) decides, once:

* logs one error line, ``store_credentials_rejected`` (``explain``: the error class, never a
  credential);
* counts the ``StoreCredentialsRejected`` metric;
* answers 503 from ``/healthz`` and ``/readyz`` from then on, so the ALB and the container health
  check stop sending work here even if the exit below were somehow not reached;
* asks the process to stop: ``python -m handler`` begins uvicorn's graceful shutdown (as on SIGTERM:
  no new connections, requests in flight finish within ``HANDLER_DRAIN_SECONDS``), then exits with
  ``EXIT_CREDENTIALS_REJECTED``. The container is essential, so the task stops, and the ECS service
  starts a replacement, whose container is given the secret's current value.

A task that starts while a rotation is still settling (Secrets Manager: "new connections that retrieve
the secret may get the previous version") meets the same refusal at its first connection and is
replaced again, so the service converges on the current password without a redeploy. Ordinary store
failures (unreachable, slow, failing writes) do not stop the task: restarting cannot fix them.
"""

from __future__ import annotations

from typing import Any, Final

#: The exit status after rejected credentials: sysexits' EX_TEMPFAIL ("temporary failure; try again"),
#: distinct from 2 (bad configuration) and from the SIGTERM an ordinary stop ends with.
EXIT_CREDENTIALS_REJECTED: Final = 75

#: Why the task stops, as health answers it.
REASON: Final = "the database rejected the credentials; a new task will read the current secret"


def explain(log: Any, error: Exception) -> None:
    """Log, once, why the task is about to drain and exit (the gate decides; see the module docstring)."""
    log.error(
        "store_credentials_rejected",
        error=str(error),
        action="draining requests in flight, then exiting so that ECS starts a task with the current "
        "secret (ECS injects secrets only at container start)",
        exit_code=EXIT_CREDENTIALS_REJECTED,
    )
