"""Edges changed behind the feeder's back (raw Cypher) are found and put back as the bundle says, whichever
end they were read from: between two of the provider's own nodes, or from a node it does not own."""

from __future__ import annotations

from typing import Any

import httpx

from registry.feeder import read_federation
from resolvers.db import Database
from tests.bundles import UPSERT
from tests.conftest import EXAMPLE_FEDERATION, Issuer, replace_graph
from tests.graphql_client import ask


async def test_edges_added_removed_or_changed_by_hand_are_restored(
    client: httpx.AsyncClient, database: Database, issuer: Issuer, cnaf: dict[str, Any]
) -> None:
    # given the example federation (CLOUD-CNAF and another provider), then by hand: an OFFERS edge of
    # CLOUD-CNAF deleted, a CAN_USE added between two of its own nodes, a trust's edge given another
    # idpName, a CAN_USE from the other provider's project and a COVERS from an SLA that covers none of
    # CLOUD-CNAF's projects added into its nodes
    await replace_graph(database, read_federation(EXAMPLE_FEDERATION))
    own = "(:Provider {name: 'CLOUD-CNAF'})"
    offers = f"MATCH {own}-[:DIVIDED_INTO]->()-[:SUPPLIES]->(s)-[o:OFFERS]->(f:Flavor)"
    [gone] = await database.read(f"{offers} RETURN f.uid AS flavor, s.uid AS service LIMIT 1", {})
    [mine] = await database.read(
        f"MATCH {own}-[:HOSTS]->(p:Project), {own}-[:DIVIDED_INTO]->()-[:SUPPLIES]->()-[:OFFERS]->(f:Flavor) "
        "WHERE NOT (p)-[:CAN_USE]->(f) AND f.uid <> $flavor RETURN p.uid AS project, f.uid AS flavor LIMIT 1",
        gone,
    )
    [theirs] = await database.read(
        "MATCH (o:Provider)-[:HOSTS]->(p:Project) WHERE o.name <> 'CLOUD-CNAF' RETURN p.uid AS project LIMIT 1", {}
    )
    [sla] = await database.read(
        f"MATCH (s:SLA)-[:COVERS]->() WHERE NOT (s)-[:COVERS]->(:Project)<-[:HOSTS]-{own} "
        "RETURN DISTINCT s.uid AS sla LIMIT 1",
        {},
    )
    await database.write(
        [
            ("MATCH (s {uid: $service})-[o:OFFERS]->(f {uid: $flavor}) DELETE o", gone),
            ("MATCH (p {uid: $project}), (f {uid: $flavor}) CREATE (p)-[:CAN_USE]->(f)", mine),
            (f"MATCH {own}-[t:TRUSTS]->() SET t.idpName = 'by hand'", {}),
            ("MATCH (p {uid: $project}), (f {uid: $flavor}) CREATE (p)-[:CAN_USE]->(f)", {**mine, **theirs}),
            (f"MATCH (s {{uid: $sla}}), {own}-[:HOSTS]->(p:Project) WITH s, p LIMIT 1 CREATE (s)-[:COVERS]->(p)", sla),
        ]
    )
    trusts = await database.read(f"MATCH {own}-[t:TRUSTS]->() RETURN count(t) AS n", {})

    # when CLOUD-CNAF's bundle is upserted again
    answer = (await ask(client, UPSERT, {"bundle": cnaf}, token=issuer.admin)).data["upsertProviderBundle"]

    # then the deleted edge is back, the changed ones are as the bundle has them, and the added ones
    # (from CLOUD-CNAF's own node, from the other provider's project, from the SLA) are gone
    assert answer["edgesCreated"] == 1
    assert answer["edgesUpdated"] == trusts[0]["n"]
    assert answer["created"] == [] and answer["removed"] == []
    assert await database.read(f"{offers} WHERE f.uid = $flavor AND s.uid = $service RETURN 1 AS ok", gone)
    assert not await database.read(f"MATCH {own}-[t:TRUSTS]->() WHERE t.idpName = 'by hand' RETURN 1 AS ok", {})
    hand_made = await database.read(
        "MATCH (p {uid: $project})-[c:CAN_USE]->(f {uid: $flavor}) RETURN 'mine' AS ok "
        "UNION ALL MATCH (p {uid: $other})-[c:CAN_USE]->(f {uid: $flavor}) RETURN 'theirs' AS ok "
        f"UNION ALL MATCH (s {{uid: $sla}})-[:COVERS]->(:Project)<-[:HOSTS]-{own} RETURN 'sla' AS ok",
        {**mine, "other": theirs["project"], **sla},
    )
    assert hand_made == []
    assert answer["edgesRemoved"] == 3
    again = (await ask(client, UPSERT, {"bundle": cnaf}, token=issuer.admin)).data["upsertProviderBundle"]
    assert again["changed"] is False
