"""The SDKs' public names: what `pulumi package add` gives a consumer, reviewed in tests/sdk/surface.txt."""

import difflib

from tests.sdk.surface import REFRESH, SNAPSHOT, surface


def test_the_generated_names_are_the_checked_in_snapshot(generated):
    # Given the names each language's SDK exports, generated from provider/schema.json now
    now = surface(generated)
    # Then they are the reviewed ones: a rename (a component's, an args type's, an enum member's) shows here
    drift = "".join(difflib.unified_diff(SNAPSHOT.read_text().splitlines(True), now.splitlines(True)))
    assert not drift, f"the SDKs' public names changed:\n{drift}\nIf intended, run `{REFRESH}` and commit it."


def test_no_name_reads_args_twice(generated):
    # The nested settings types are served as <X>Settings (provider/naming.py), never <X>ArgsArgs
    assert "ArgsArgs" not in surface(generated) and "ArgsType" not in surface(generated)
