"""A walk along one edge from a node the caller may see checks no row where its rows' rule is witnessed
by that node (`resolvers.visibility.visible_through`; used by `resolvers/walks/nested.py`).

That is safe only if, for every kind of caller, every node reached that way passes its own kind's rule:
this checks it for every such edge a field reads, on random federations shared out between groups.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings

from resolvers.db import Database
from resolvers.visibility import Scope, visible_through
from resolvers.walks import Walk
from schema.read_plan import FIELD_READS, ByWalk
from tests.access.test_visibility_by_key import CALLERS
from tests.conftest import replace_graph
from tests.federations import shared_federations


def _witnessed_walks() -> list[Walk]:
    walks = {
        reach.walk.name: reach.walk
        for reach in FIELD_READS.values()
        if isinstance(reach, ByWalk)
        and reach.walk.edge is not None
        and visible_through(*reach.walk.edge, reach.walk.target)
    }
    return sorted(walks.values(), key=lambda walk: walk.name)


WITNESSED = _witnessed_walks()


def test_the_walks_left_unchecked_are_those_of_the_group_owned_rules_and_only_forwards() -> None:
    assert {(w.edge, w.target) for w in WITNESSED} >= {
        (("UserGroup", "AGREES"), "SLA"),
        (("SLA", "COVERS"), "Project"),
        (("Project", "HAS_QUOTA"), "Quota"),
        (("Project", "CAN_USE"), "Flavor"),
        (("Project", "CAN_USE"), "Image"),
        (("Project", "CAN_USE"), "Network"),
    }
    # the other way round, a node does not witness its parent: an SLA's other groups, a project's other SLAs
    assert not visible_through("SLA", "AGREES", "UserGroup")
    assert not visible_through("Project", "COVERS", "SLA")
    # nor does a node the rule does not name: a provider's projects, a service's private flavors
    assert not visible_through("Provider", "HOSTS", "Project")
    assert not visible_through("ComputeService", "OFFERS", "Flavor")


async def _visible(database: Database, label: str, scope: Scope) -> set[str]:
    records = await database.read(
        f"WITH $p AS p MATCH (n:{label}) WITH p, n WHERE {Scope.predicate(label, 'n')} RETURN n.uid AS uid",
        {"p": {"scope": scope.parameter()}},
    )
    return {r["uid"] for r in records}


async def _reached(database: Database, walk: Walk) -> set[tuple[str, str]]:
    """(parent uid, node uid) of every node the walk reaches from any parent, as an administrator sees."""
    assert walk.edge is not None
    parent, edge_type = walk.edge
    records = await database.read(
        f"MATCH (a:{parent})-[:{edge_type}]->(n:{walk.target}) RETURN a.uid AS parent, n.uid AS uid", {}
    )
    return {(r["parent"], r["uid"]) for r in records}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(federation=shared_federations())
async def test_every_node_reached_from_a_visible_parent_passes_its_own_rule(
    federation: Any, database: Database
) -> None:
    # given any federation shared out between groups
    await replace_graph(database, federation)
    reached_by = {walk.name: await _reached(database, walk) for walk in WITNESSED}
    for scope in CALLERS:
        for walk in WITNESSED:
            assert walk.edge is not None
            parents = await _visible(database, walk.edge[0], scope)
            nodes = await _visible(database, walk.target, scope)
            # when any caller reaches a node from a parent they may see, they may see the node
            for parent, uid in reached_by[walk.name]:
                if parent in parents:
                    assert uid in nodes, (walk.name, scope, parent, uid)
