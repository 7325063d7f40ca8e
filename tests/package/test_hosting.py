"""Why `OrderEventsProvider` (provider/hosting.py) and not Pulumi's plain `ComponentProvider`, in-process."""

import pulumi
import pytest
from pulumi.errors import InputPropertyError
from pulumi.provider.experimental.component import ComponentProvider

from components.observability import Alarms
from provider import build
from provider.hosting import _by_bare_name, _named, _tidy
from tests.components import harness
from tests.package.inputs import ALARMS, wire


def test_the_plain_provider_passes_integers_on_as_doubles():
    # Given Pulumi's own provider and minTasks as it arrives on the wire: the double 2.0
    plain = ComponentProvider([Alarms], "order-events")
    mapped = plain.map_inputs(wire(ALARMS) | {"minTasks": 2.0}, plain._component_defs["Alarms"])
    # Then Alarms would get 2.0, and refuse it (`min_tasks` must be an int). If this fails, Pulumi has
    # fixed it (pulumi 3.272, component.py: the int() result is overwritten), and hosting.py can go.
    assert type(mapped["min_tasks"]) is float
    with pytest.raises(ValueError, match=r"`min_tasks` is out of range: 2\.0"):
        Alarms("ops", mapped)


def test_integers_reach_the_component_as_int_even_when_they_are_outputs():
    provider = build()
    definition = provider._component_defs["Alarms"]

    def program():
        # Given minTasks as a plain double and, as an input with dependencies arrives, as an Output
        plain = provider.map_inputs(wire(ALARMS) | {"minTasks": 2.0}, definition)
        later = provider.map_inputs(wire(ALARMS) | {"minTasks": pulumi.Output.from_input(3.0)}, definition)
        return {"plain": plain["min_tasks"], "later": later["min_tasks"]}

    # Then both are ints by the time the component reads them
    values = harness.run(program).values
    assert (values["plain"], values["later"]) == (2, 3)
    assert type(values["plain"]) is int and type(values["later"]) is int


def test_a_component_error_becomes_an_input_error_only_when_it_names_a_field():
    paths = {
        "min_tasks": "minTasks",
        "nat_strategy": "network.natStrategy",
        "database.vpc_id": "database.vpcId",
    }
    # A ValueError naming fields: on the first, every name in the consumer's spelling
    named = _named(ValueError("`nat_strategy` must be one of ('Single',), and `min_tasks` too"), paths)
    assert isinstance(named, InputPropertyError)
    assert (named.property_path, named.reason) == (
        "network.natStrategy",
        "`network.natStrategy` must be one of ('Single',), and `minTasks` too",
    )
    # A dotted name (how Pipeline names a child's field) maps as a whole; `Pipeline` is no field
    named = _named(ValueError("`database.vpc_id` is wired by `Pipeline`; leave it out"), paths)
    assert (named.property_path, named.reason) == (
        "database.vpcId",
        "`database.vpcId` is wired by `Pipeline`; leave it out",
    )
    # One naming nothing the component takes stays as it was (the consumer sees the component's message)
    assert _named(ValueError("`widgets` overflow"), paths) is None


def test_a_bare_name_two_fields_share_names_the_one_the_consumer_gave():
    pairs = [
        ("image.cpu_architecture", "image.cpuArchitecture"),
        ("service.task.cpu_architecture", "service.task.cpuArchitecture"),
        ("service.min_tasks", "service.minTasks"),
    ]
    # A name only one field has names it; one two fields share names neither, unless only one is given
    assert _by_bare_name(pairs, {}) == {"min_tasks": "service.minTasks"}
    given = {"image": {"cpuArchitecture": "ARM"}, "service": {"task": {}}}
    assert _by_bare_name(pairs, given)["cpu_architecture"] == "image.cpuArchitecture"
    both = {"image": {"cpuArchitecture": "ARM"}, "service": {"task": {"cpuArchitecture": "ARM64"}}}
    assert "cpu_architecture" not in _by_bare_name(pairs, both)


def test_a_wrapped_docstring_reads_as_one_paragraph_in_the_schema():
    # Given a field docstring that wraps, as the analyzer copies it (with the source's indentation)
    raw = {
        "inputProperties": {"x": {"description": "Pin the bundle. Without one, it is\n    fetched now.\n"}}
    }
    # Then consumers' SDKs get it as the sentence it is; a blank line still separates paragraphs
    assert (
        _tidy(raw)["inputProperties"]["x"]["description"] == "Pin the bundle. Without one, it is fetched now."
    )
    assert _tidy({"description": "One.\n\n    Two\n    lines."}) == {"description": "One.\n\nTwo lines."}
    # And names fields as the consumer spells them, leaving other code spans alone
    raw = {"description": "Inputs of :class:`Image`: `rds_ca_bundle_url`, `Single`, `app/<name>/<id>`."}
    assert _tidy(raw)["description"] == "Inputs of `Image`: `rdsCaBundleUrl`, `Single`, `app/<name>/<id>`."
