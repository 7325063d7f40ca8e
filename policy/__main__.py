"""Serve the rules to the Pulumi CLI: `pulumi preview --policy-pack policy`."""

import sys
from pathlib import Path

from pulumi_policy import PolicyPack

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the CLI runs this file from policy/

from policy.pack import ENFORCEMENT, NAME, policies

PolicyPack(name=NAME, enforcement_level=ENFORCEMENT, policies=policies())
