"""`orders smoke`: one canary order through the deployed pipeline, and a diagnosis if it does not arrive.

`command` is the CLI command; the rest are its parts: the canary event, the stack outputs it reads, the
signed reader, the watch and the diagnosis.
"""

from ops.smoke.command import smoke

__all__ = ["smoke"]
