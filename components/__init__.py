"""Reusable Pulumi components for the order pipeline: one ComponentResource per module."""
