"""The CrossGuard policy pack: AWS Foundational Security Best Practices controls that apply here.

`rules.py` holds the rules as plain functions, `pack.py` adapts them to CrossGuard, and
`__main__.py` serves them to `pulumi preview --policy-pack policy`.
"""
