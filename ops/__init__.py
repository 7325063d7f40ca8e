"""`orders`: the operations CLI for the order-events pipeline.

Publish test events to the bus, deliver them to a handler as EventBridge would, and inspect and
redrive the dead-letter queue. Installed with the `ops` extra; see `docs/ops.md`.
"""
