"""A consumer reads, in the schema, which settings `Pipeline` fills in itself (provider/wired.py)."""

from pulumi.provider.experimental.util import camel_case

from components._wiring import WIRED
from provider.schema import served
from provider.wired import NOTE, _properties_at


def test_every_field_pipeline_wires_says_so_and_no_other_does():
    # Given the served schema
    schema = served()
    # Then each wired field's description ends with the note, after what the field is
    for path, fields in WIRED.items():
        properties = _properties_at(schema, path.split("."))
        for name, prop in properties.items():
            wired = name in {camel_case(f) for f in fields}
            assert prop["description"].endswith(NOTE) == wired, f"{path}.{name}"
            assert not wired or len(prop["description"]) > len(NOTE) + 5, f"{path}.{name} says only the note"
