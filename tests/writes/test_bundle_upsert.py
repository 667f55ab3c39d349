"""upsertProviderBundle: a whole provider reconciled in one transaction, validated, attributed, atomic."""

from __future__ import annotations

import asyncio
import copy
from collections import Counter
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry.feeder import read_federation
from resolvers.db import Database
from resolvers.federation_file import FederationFile
from resolvers.federation_graph import stable_uid
from resolvers.kinds import primary_label
from tests.bundles import UPSERT, bundle_of, expected_provider, seen_provider, stored_provider
from tests.conftest import EXAMPLE_FEDERATION, Issuer, replace_graph
from tests.federations import federations
from tests.graphql_client import ask, ask_for_errors
from tests.test_feeder import dump


def counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {r["label"]: r["count"] for r in rows}


async def test_a_new_provider_is_created_and_a_second_upsert_changes_nothing(
    client: httpx.AsyncClient, database: Database, issuer: Issuer, cnaf: dict[str, Any]
) -> None:
    # given an empty registry and the feeder's token
    await replace_graph(database, FederationFile())
    feeder = issuer.token(writer=True, subject="feeder")

    # when the feeder pushes CLOUD-CNAF twice
    first = (await ask(client, UPSERT, {"bundle": cnaf}, token=feeder)).data["upsertProviderBundle"]
    second = (await ask(client, UPSERT, {"bundle": cnaf}, token=feeder)).data["upsertProviderBundle"]

    # then the first created it all, the second changed nothing, and it reads back as sent
    assert counts(first["created"]) == {
        "BlockStorageService": 2, "ComputeService": 2, "Flavor": 12, "IdentityProvider": 2, "IdentityService": 2,
        "Image": 7, "Location": 1, "Network": 5, "NetworkService": 2, "ObjectStoreService": 1, "Project": 2,
        "Provider": 1, "Quota": 16, "Region": 2, "SLA": 2, "UserGroup": 2, "VolumeType": 3,
    }  # fmt: skip
    assert first["changed"] and first["removed"] == [] and first["updated"] == []
    assert second == {"created": [], "updated": [], "removed": [], "edgesCreated": 0, "edgesUpdated": 0,
                      "edgesRemoved": 0, "changed": False}  # fmt: skip
    stored = await stored_provider(client, issuer.admin, "CLOUD-CNAF")
    assert stored is not None and seen_provider(stored) == expected_provider(cnaf)


async def test_what_the_bundle_no_longer_lists_is_removed_with_what_hangs_off_it(
    client: httpx.AsyncClient, database: Database, issuer: Issuer, cnaf: dict[str, Any]
) -> None:
    # given CLOUD-CNAF as the example federation has it
    await replace_graph(database, read_federation(EXAMPLE_FEDERATION))
    edited = copy.deepcopy(cnaf)
    edited["provider"]["regions"] = [r for r in edited["provider"]["regions"] if r["name"] != "RegionTwo"]
    left = {
        kind: {x["uuid"] for r in edited["provider"]["regions"] for s in r["services"] for x in s.get(kind, [])}
        for kind in ("flavors", "images", "networks")
    }
    for project in edited["provider"]["projects"]:
        project["quotas"] = [q for q in project["quotas"] if q["region"] != "RegionTwo"]
        for kind in ("flavors", "images", "networks"):
            key = "private" + kind.title()
            project[key] = [u for u in project.get(key, []) if u in left[kind]]
    edited["provider"]["regions"][0]["services"][0]["flavors"][0]["vcpus"] += 1

    # when RegionTwo is dropped from the bundle and one flavor grows a vCPU
    changes = (await ask(client, UPSERT, {"bundle": edited}, token=issuer.admin)).data["upsertProviderBundle"]

    # then RegionTwo went with its five services, what they offered and the quotas on them
    removed = counts(changes["removed"])
    assert removed["Region"] == 1
    assert {k: removed[k] for k in ("ComputeService", "BlockStorageService", "NetworkService", "IdentityService")} == {
        "ComputeService": 1, "BlockStorageService": 1, "NetworkService": 1, "IdentityService": 1,
    }  # fmt: skip
    assert removed["Quota"] > 0 and removed["Flavor"] > 0
    assert counts(changes["updated"]) == {"Flavor": 1}
    assert changes["created"] == []
    assert changes["edgesUpdated"] == 0
    stored = await stored_provider(client, issuer.admin, "CLOUD-CNAF")
    assert stored is not None and seen_provider(stored) == expected_provider(edited)
    # and the other providers are untouched
    assert await stored_provider(client, issuer.admin, "RECAS-BARI") is not None


async def test_attribution_records_who_added_and_who_changed(
    client: httpx.AsyncClient, database: Database, issuer: Issuer, cnaf: dict[str, Any]
) -> None:
    await replace_graph(database, FederationFile())
    await ask(client, UPSERT, {"bundle": cnaf}, token=issuer.token(writer=True, subject="feeder"))
    edited = copy.deepcopy(cnaf)
    edited["provider"]["regions"][0]["services"][0]["flavors"][0]["ram"] = 999

    await ask(client, UPSERT, {"bundle": edited}, token=issuer.token(admin=True, subject="alice"))

    flavors = (await ask(client, "{ flavors(first: 100) { nodes { uuid addedBy changedBy addedAt changedAt } } }",
                         token=issuer.admin)).data["flavors"]["nodes"]  # fmt: skip
    changed_uuid = edited["provider"]["regions"][0]["services"][0]["flavors"][0]["uuid"]
    who = {f["uuid"]: (f["addedBy"], f["changedBy"]) for f in flavors}
    feeder, alice = f"feeder@{issuer.url()}", f"alice@{issuer.url()}"
    assert who.pop(changed_uuid) == (feeder, alice)
    assert set(who.values()) == {(feeder, feeder)}


BAD_EDITS = {
    "a GPU model without GPUs": (
        lambda b: b["provider"]["regions"][0]["services"][0]["flavors"][0].update(gpus=0, gpuModel="A100"),
        "bundle.provider.regions.0.services.0.flavors.0",
        "gpuModel and gpuVendor must be empty when gpus is 0",
    ),
    "an SLA that ends before it starts": (
        lambda b: b["identityProviders"][0]["userGroups"][0]["slas"][0].update(startDate="2036-01-01"),
        "bundle.identityProviders.0.userGroups.0.slas.0",
        "startDate must be before endDate",
    ),
    "an unknown country": (
        lambda b: b["provider"]["regions"][0]["location"].update(country="Narnia"),
        "bundle.provider.regions.0.location.country",
        "'Narnia' is not an ISO 3166 country name or code",
    ),
    "a negative quota other than -1": (
        lambda b: b["provider"]["projects"][0]["quotas"][0].update(cores=-3),
        "bundle.provider.projects.0.quotas.0.cores",
        "greater than or equal to -1",
    ),
    "a malformed URL": (
        lambda b: b["provider"]["regions"][0]["services"][0].update(endpoint="nova:8774"),
        "bundle.provider.regions.0.services.0.endpoint",
        "URL",
    ),
    "an SLA covering another provider's project": (
        lambda b: b["identityProviders"][0]["userGroups"][0]["slas"][0]["projects"][0].update(provider="RECAS-BARI"),
        "bundle",
        "covers a project at 'RECAS-BARI'",
    ),
    "a private flavor that does not exist": (
        lambda b: b["provider"]["projects"][0].update(privateFlavors=["nope"]),
        "bundle",
        "no flavor 'nope'",
    ),
}


@pytest.mark.parametrize("case", list(BAD_EDITS))
async def test_bad_input_is_refused_with_its_path_and_changes_nothing(
    client: httpx.AsyncClient, database: Database, issuer: Issuer, cnaf: dict[str, Any], case: str
) -> None:
    await replace_graph(database, read_federation(EXAMPLE_FEDERATION))
    before = await dump(database)
    edit, field, reason = BAD_EDITS[case]
    bad = copy.deepcopy(cnaf)
    edit(bad)

    [error] = await ask_for_errors(client, UPSERT, {"bundle": bad}, token=issuer.admin)

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == field
    assert reason in error["message"]
    assert "Traceback" not in str(error)
    assert await dump(database) == before


async def test_only_writers_may_upsert(client: httpx.AsyncClient, issuer: Issuer, cnaf: dict[str, Any]) -> None:
    for token in (None, issuer.token("ml-infn")):
        [error] = await ask_for_errors(client, UPSERT, {"bundle": cnaf}, token=token)
        assert error["extensions"] == {"code": "FORBIDDEN"}


async def test_a_clash_in_the_last_region_is_a_conflict_and_leaves_the_graph_as_it_was(
    client: httpx.AsyncClient, database: Database, issuer: Issuer, cnaf: dict[str, Any]
) -> None:
    # given an empty registry where something else already holds the key of CLOUD-CNAF's last region
    await replace_graph(database, FederationFile())
    provider_uid = stable_uid("Provider", "CLOUD-CNAF", "openstack")
    await database.write(
        [("CREATE (:Region {uid: 'other', name: 'RegionTwo', naturalKey: $key})", {"key": f"{provider_uid}/RegionTwo"})]
    )
    before = await dump(database)

    # when the bundle is pushed
    [error] = await ask_for_errors(client, UPSERT, {"bundle": cnaf}, token=issuer.admin)

    # then it is refused as a conflict naming the key, and nothing of it was written
    assert error["extensions"] == {"code": "CONFLICT"}
    assert error["message"] == f"CONFLICT: a Region with `naturalKey` = '{provider_uid}/RegionTwo' already exists"
    assert await dump(database) == before


def _provider_bundle(federation: FederationFile) -> dict[str, Any]:
    return {"provider": federation.providers[0].model_dump(by_alias=True, mode="json", exclude_none=True),
            "identityProviders": []}  # fmt: skip


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=federations(max_providers=1), then=federations(max_providers=1), corrupt=st.integers(0, 2))
async def test_random_bundles_and_edits_read_back_as_sent(
    first: FederationFile,
    then: FederationFile,
    corrupt: int,
    client: httpx.AsyncClient,
    database: Database,
    issuer: Issuer,
) -> None:
    await replace_graph(database, FederationFile())
    # `then` is a random edit of `first`: the same provider P0, with regions, flavors, projects and
    # quotas added, changed or gone
    for bundle in (_provider_bundle(first), _provider_bundle(then)):
        await ask(client, UPSERT, {"bundle": bundle}, token=issuer.admin)
        stored = await stored_provider(client, issuer.admin, "P0")
        assert stored is not None and seen_provider(stored) == expected_provider(bundle)
        again = (await ask(client, UPSERT, {"bundle": bundle}, token=issuer.admin)).data["upsertProviderBundle"]
        assert again["changed"] is False

    # a malformed version of it changes nothing
    before = await dump(database)
    bad = _provider_bundle(then)
    [
        lambda b: b["provider"].update(status="sleeping"),
        lambda b: b["provider"]["regions"][0].update(overbookingCpu=-1),
        lambda b: b["provider"].update(
            projects=[{"uuid": "x", "name": "x", "quotas": [{"region": "nowhere", "service": "compute"}]}]
        ),
    ][corrupt](bad)
    [error] = await ask_for_errors(client, UPSERT, {"bundle": bad}, token=issuer.admin)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert await dump(database) == before


async def test_concurrent_writers_cannot_create_duplicates(
    client: httpx.AsyncClient, database: Database, issuer: Issuer, cnaf: dict[str, Any]
) -> None:
    # given an empty registry, and four writers pushing the same new provider at once
    await replace_graph(database, FederationFile())

    async def push() -> dict[str, Any]:
        response = await client.post("/graphql", json={"query": UPSERT, "variables": {"bundle": cnaf}},
                                     headers={"Authorization": f"Bearer {issuer.admin}"})  # fmt: skip
        return dict(response.json())

    answers = await asyncio.gather(*(push() for _ in range(4)))

    # then each either landed or was refused as a conflict, and the graph holds one of everything
    for answer in answers:
        assert "errors" not in answer or answer["errors"][0]["extensions"]["code"] == "CONFLICT", answer
    rows = await database.read(
        "MATCH (n) WITH labels(n) AS labels, coalesce(n.naturalKey, n.uid) AS key, count(*) AS copies "
        "WHERE copies > 1 RETURN labels, key",
        {},
    )
    assert rows == []
    stored = await stored_provider(client, issuer.admin, "CLOUD-CNAF")
    assert stored is not None and seen_provider(stored) == expected_provider(cnaf)


async def test_a_changed_trust_is_an_edge_update(
    client: httpx.AsyncClient, database: Database, issuer: Issuer, cnaf: dict[str, Any]
) -> None:
    await replace_graph(database, FederationFile())
    await ask(client, UPSERT, {"bundle": cnaf}, token=issuer.admin)
    edited = copy.deepcopy(cnaf)
    edited["provider"]["trusts"][0]["idpName"] = "renamed-idp"

    changes = (await ask(client, UPSERT, {"bundle": edited}, token=issuer.admin)).data["upsertProviderBundle"]

    assert (changes["edgesUpdated"], changes["edgesCreated"], changes["changed"]) == (1, 0, True)
    stored = await stored_provider(client, issuer.admin, "CLOUD-CNAF")
    assert stored is not None and "renamed-idp" in [t["idpName"] for t in stored["trusts"]]


async def test_an_update_sets_the_values_that_moved_and_drops_the_ones_the_bundle_no_longer_has(
    client: httpx.AsyncClient, database: Database, issuer: Issuer, cnaf: dict[str, Any]
) -> None:
    await replace_graph(database, FederationFile())
    await ask(client, UPSERT, {"bundle": cnaf}, token=issuer.admin)
    edited = copy.deepcopy(cnaf)
    compute = next(s for s in edited["provider"]["regions"][0]["services"] if s["kind"] == "compute")
    image = compute["images"][0]
    del image["osDistro"]
    image["osVersion"] = "24.04"
    untouched = compute["images"][1]["uuid"]

    answer = (await ask(client, UPSERT, {"bundle": edited}, token=issuer.admin)).data["upsertProviderBundle"]

    assert counts(answer["updated"]) == {"Image": 1}
    read = "MATCH (n:Image) WHERE n.uuid = $uuid RETURN properties(n) AS props"
    [changed] = await database.read(read, {"uuid": image["uuid"]})
    assert "osDistro" not in changed["props"] and changed["props"]["osVersion"] == "24.04"
    assert changed["props"]["changedAt"] > changed["props"]["addedAt"]
    [kept] = await database.read(read, {"uuid": untouched})
    assert kept["props"]["changedAt"] == kept["props"]["addedAt"]  # confirmed, not changed
    assert kept["props"]["updatedAt"] > kept["props"]["addedAt"]
    stored = await stored_provider(client, issuer.admin, "CLOUD-CNAF")
    assert stored is not None and seen_provider(stored) == expected_provider(edited)


async def test_an_sla_shared_with_another_provider_keeps_that_providers_coverage(
    client: httpx.AsyncClient, database: Database, issuer: Issuer, cnaf: dict[str, Any]
) -> None:
    # given the example federation, where one ml-infn SLA covers a project at CLOUD-CNAF and one at RECAS-BARI
    await replace_graph(database, read_federation(EXAMPLE_FEDERATION))
    shared = "0fcbd87d-5be9-4406-aa11-f19c61015234"
    covers = (
        "MATCH (s:SLA {docUuid: $sla})-[:COVERS]->(p:Project)<-[:HOSTS]-(prov:Provider) "
        "RETURN prov.name AS provider, p.uid AS project ORDER BY provider"
    )
    before = await database.read(covers, {"sla": shared})
    assert [r["provider"] for r in before] == ["CLOUD-CNAF", "RECAS-BARI"]

    # when CLOUD-CNAF is pushed as it is, then without its project under that SLA
    same = (await ask(client, UPSERT, {"bundle": cnaf}, token=issuer.admin)).data["upsertProviderBundle"]
    edited = copy.deepcopy(cnaf)
    for provider in edited["identityProviders"]:
        for group in provider["userGroups"]:
            for sla in group["slas"]:
                if sla["docUuid"] == shared:
                    sla["projects"] = [p for p in sla["projects"] if p["provider"] != "CLOUD-CNAF"]
    dropped = (await ask(client, UPSERT, {"bundle": edited}, token=issuer.admin)).data["upsertProviderBundle"]

    # then the first changed nothing, the second removed CLOUD-CNAF's coverage only: RECAS-BARI's stays
    assert same["changed"] is False
    assert dropped["edgesRemoved"] == 1 and dropped["edgesCreated"] == 0 and dropped["removed"] == []
    after = await database.read(covers, {"sla": shared})
    assert after == [r for r in before if r["provider"] == "RECAS-BARI"]


async def test_a_node_edited_since_the_last_upsert_is_found_and_written_back(
    client: httpx.AsyncClient, database: Database, issuer: Issuer, cnaf: dict[str, Any]
) -> None:
    # given CLOUD-CNAF as its bundle says, then three flavors changed behind the feeder's back: one through
    # the API, one given a key the bundle does not have, one a value of another type (Neo4j's 4 = 4.0)
    await replace_graph(database, FederationFile())
    await ask(client, UPSERT, {"bundle": cnaf}, token=issuer.admin)
    compute = next(s for s in cnaf["provider"]["regions"][0]["services"] if s["kind"] == "compute")
    edited, extra, retyped = (f["uuid"] for f in compute["flavors"][:3])
    flavor_id = "MATCH (f:Flavor {uuid: $uuid}) RETURN f.uid AS id, f.ram AS ram, f.vcpus AS vcpus"
    [before] = await database.read(flavor_id, {"uuid": edited})
    update = "mutation($id: ID!, $i: FlavorPatch!) { updateFlavor(id: $id, input: $i) { ram } }"
    await ask(client, update, {"id": before["id"], "i": {"ram": before["ram"] + 1}}, token=issuer.admin)
    await database.write([("MATCH (f:Flavor {uuid: $uuid}) SET f.note = 'by hand'", {"uuid": extra})])
    await database.write([("MATCH (f:Flavor {uuid: $uuid}) SET f.vcpus = toFloat(f.vcpus)", {"uuid": retyped})])

    # when the same bundle is upserted again
    answer = (await ask(client, UPSERT, {"bundle": cnaf}, token=issuer.admin)).data["upsertProviderBundle"]

    # then the edited and the extended flavors are changes written back as the bundle has them; the
    # retyped one is equal by value (not a change) but stored again with the bundle's type
    assert answer["changed"] and counts(answer["updated"]) == {"Flavor": 2} and answer["created"] == []
    [after] = await database.read(flavor_id, {"uuid": edited})
    assert after["ram"] == before["ram"]
    [note] = await database.read("MATCH (f:Flavor {uuid: $uuid}) RETURN f.note AS note", {"uuid": extra})
    assert note["note"] is None
    [typed] = await database.read(flavor_id, {"uuid": retyped})
    assert type(typed["vcpus"]) is int
    again = (await ask(client, UPSERT, {"bundle": cnaf}, token=issuer.admin)).data["upsertProviderBundle"]
    assert again["changed"] is False


async def test_providers_written_at_once_count_what_they_share_once(
    client: httpx.AsyncClient, database: Database, issuer: Issuer
) -> None:
    # given every provider of the example federation (they share identity providers, groups and SLAs)
    federation = read_federation(EXAMPLE_FEDERATION)
    bundles = [bundle_of(federation, provider.name) for provider in federation.providers]
    for _ in range(3):
        await replace_graph(database, FederationFile())

        # when all are pushed at once into an empty registry
        async def push(bundle: dict[str, Any]) -> dict[str, Any]:
            return (await ask(client, UPSERT, {"bundle": bundle}, token=issuer.admin)).data["upsertProviderBundle"]

        answers = await asyncio.gather(*(push(bundle) for bundle in bundles))

        # then what they say they created is what the registry holds: a node two of them wrote is counted
        # by the one that created it (the others found it)
        created: dict[str, int] = {}
        for answer in answers:
            for label, count in counts(answer["created"]).items():
                created[label] = created.get(label, 0) + count
        nodes = await database.read("MATCH (n) RETURN labels(n) AS labels", {})
        assert created == dict(Counter(primary_label(node["labels"]) for node in nodes))
