"""The kinds table is the one source: the schema's types, filters and lists agree with it, and a scope
that does not say who is asking reads nothing."""

from __future__ import annotations

import dataclasses

import neo4j.time

from resolvers.context import RequestContext
from resolvers.db import Database
from resolvers.federation_file import FederationFile
from resolvers.kinds import EDGES, KINDS, NODE_LABELS, edge_between
from resolvers.visibility import Scope
from schema.filters import FILTERS
from schema.node import BOUND
from schema.root import schema


def test_every_kind_with_a_root_list_has_a_type_a_filter_and_sort_keys() -> None:
    for label, kind in KINDS.items():
        if not kind.root:
            continue
        assert label in BOUND, f"{label} has no GraphQL type bound to it"
        assert BOUND[label][1], f"{label}'s root list has no description"
        assert label in FILTERS or kind.family in FILTERS, f"{label} has no filter input"
        assert kind.sort_keys, f"{label} cannot be sorted"


def test_every_filter_field_is_a_filter_of_its_kind() -> None:
    # given each filter input and the labels it filters
    for label, filter_type in FILTERS.items():
        fields = {f.name for f in dataclasses.fields(filter_type)}  # type: ignore[arg-type]
        # then each of its fields compiles to a predicate of that kind (none is silently ignored)
        assert fields <= set(KINDS[label].filters), (label, fields - set(KINDS[label].filters))


def test_every_edge_joins_known_labels_and_is_found_from_both_ends() -> None:
    for edge in EDGES:
        assert {edge.source, edge.target} <= NODE_LABELS
        assert edge_between(edge.source, edge.target) == edge


async def test_a_scope_that_does_not_say_who_is_asking_reads_nothing(
    database: Database, example_federation: FederationFile
) -> None:
    # given the example federation, and a request context whose scope says nobody
    query = "{ providers { totalCount nodes { name } } flavors { totalCount } regions { nodes { name } } }"

    # when the public catalogue is asked for
    nobody = await schema.execute(query, context_value=RequestContext(database=database, scope=Scope()))
    system = await schema.execute(query, context_value=RequestContext(database=database, scope=Scope.system()))

    # then nothing comes back, not even what anonymous callers may see; the system scope sees it all
    assert nobody.errors is None and system.errors is None
    assert nobody.data == {"providers": {"totalCount": 0, "nodes": []}, "flavors": {"totalCount": 0},
                           "regions": {"nodes": []}}  # fmt: skip
    assert system.data is not None and system.data["providers"]["totalCount"] == len(example_federation.providers)


_TIME_TYPES = (neo4j.time.Date, neo4j.time.DateTime, neo4j.time.Time, neo4j.time.Duration)


def test_dates_and_times_are_never_said_to_be_free_of_them() -> None:
    # the properties that hold dates or times, wherever a kind stores them
    temporal = {"startDate", "endDate", "createdAt", "documentUploadedAt", "updatedAt", "addedAt", "changedAt",
                "harvestLastAttemptAt", "harvestLastSuccessAt"}  # fmt: skip
    for label, kind in KINDS.items():
        assert not kind.never_temporal & temporal, label
    assert {"name", "uid", "gpus", "isShared"} <= KINDS["Flavor"].never_temporal


async def test_properties_said_never_to_hold_a_date_hold_none_in_the_database(
    database: Database, example_federation: FederationFile
) -> None:
    # given the example federation as the feeder stores it, read back as the driver makes it
    records = await database.read(
        "MATCH (n) RETURN labels(n) AS labels, properties(n) AS stored", {}, plain_values=False
    )

    # then no property its kind says is never a date holds a date or a time (compiled reads leave
    # such rows as the driver made them, `Walk.rows_may_hold_dates`)
    checked = 0
    for record in records:
        for kind in (KINDS[label] for label in record["labels"] if label in KINDS):
            for name, value in record["stored"].items():
                if name in kind.never_temporal:
                    assert not isinstance(value, _TIME_TYPES), (kind.label, name, value)
                    checked += 1
    assert checked > 1000
    assert any(isinstance(v, _TIME_TYPES) for r in records for v in r["stored"].values())  # the read left them
