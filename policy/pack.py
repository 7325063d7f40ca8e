"""Adapt the plain rules in `rules.py` to CrossGuard policies (kept import-safe: no server starts here)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pulumi_policy import EnforcementLevel, ResourceValidationPolicy, StackValidationPolicy

from policy.rules import RULES, STACK_RULES, Props, Rule

NAME = "order-events-fsbp"
ENFORCEMENT = EnforcementLevel.MANDATORY


def stack_of(urn: str) -> str:
    """The stack name inside a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`)."""
    return urn.split(":")[2] if urn.startswith("urn:pulumi:") else ""


def _resource_policy(rule: Rule) -> ResourceValidationPolicy:
    def validate(args, report_violation) -> None:
        if args.resource_type in rule.types:
            for message in rule.check(args.props, stack_of(args.urn)):
                report_violation(message)

    return ResourceValidationPolicy(name=rule.name, description=rule.description, validate=validate)


def _stack_policy(
    name: str, description: str, check: Callable[[Iterable[tuple[str, Props]]], Iterable[str]]
) -> StackValidationPolicy:
    def validate(args, report_violation) -> None:
        for message in check([(r.resource_type, r.props) for r in args.resources]):
            report_violation(message)

    return StackValidationPolicy(name=name, description=description, validate=validate)


def policies() -> list:
    """Every rule as a CrossGuard policy, in the order `rules.py` lists them."""
    return [*map(_resource_policy, RULES), *(_stack_policy(*r) for r in STACK_RULES)]
