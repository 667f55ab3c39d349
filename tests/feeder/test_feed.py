"""A feed run end to end: loopback clouds → harvest → one transaction per provider in a real Neo4j (or
a registry's API with a client-credentials token) → the registry answers from harvested data."""

from __future__ import annotations

import copy
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from registry.cli import main
from registry.dev_issuer import Clients, token_endpoint
from registry.feeder.config import FeederConfig
from registry.feeder.loopback_clouds import LoopbackClouds
from registry.feeder.run import ClientCredentials, DirectWriter, ProviderReport, RegistryWriter, feed
from registry.settings import get_settings
from resolvers.db import Database
from resolvers.federation_file import FederationFile
from tests.conftest import QUERIES, Issuer, replace_graph
from tests.feeder.conftest import IAM, ML, PHYSICS, config, identity, kubernetes, openstack
from tests.graphql_client import ask
from tests.test_feeder import dump

pytestmark = pytest.mark.usefixtures("secrets")


async def run(feeder: FeederConfig, database: Database, **options: Any) -> dict[str, ProviderReport]:
    reports = await feed(feeder, DirectWriter(database), **options)
    return {r.provider: r for r in reports}


OWNED = """
MATCH (prov:Provider {name: $name})
CALL (prov) {
  RETURN prov AS n
  UNION MATCH (prov)-[:DIVIDED_INTO]->(n:Region) RETURN n
  UNION MATCH (prov)-[:DIVIDED_INTO]->(:Region)-[:SUPPLIES]->(n:Service) RETURN n
  UNION MATCH (prov)-[:DIVIDED_INTO]->(:Region)-[:SUPPLIES]->(:Service)-[:OFFERS]->(n) RETURN n
  UNION MATCH (prov)-[:HOSTS]->(n:Project) RETURN n
  UNION MATCH (prov)-[:HOSTS]->(:Project)-[:HAS_QUOTA]->(n:Quota) RETURN n
}
RETURN DISTINCT n.uid AS uid, labels(n)[0] AS label, properties(n) AS props ORDER BY uid
"""


async def owned(database: Database, provider: str) -> list[dict[str, Any]]:
    """Everything a provider owns in the stored graph, every property included (updatedAt too)."""
    return await database.read(OWNED, {"name": provider})


def add_flavor(clouds: LoopbackClouds, cloud: str, flavor_id: str) -> None:
    region = clouds.clouds.clouds[cloud]["regions"]["RegionOne"]
    flavor = copy.deepcopy(region["flavors"][0])
    flavor.update(id=flavor_id, name=flavor_id)
    region["flavors"].append(flavor)


async def test_two_providers_are_harvested_at_once_and_both_land(clouds: LoopbackClouds, database: Database) -> None:
    await replace_graph(database, FederationFile())
    feeder = config(openstack(clouds, "A"), openstack(clouds, "B"))
    for name in ("A", "B"):
        clouds.clouds.clouds[name]["faults"] = {"delay": 0.05}

    reports = await run(feeder, database, concurrency=2)

    assert {name: r.outcome for name, r in reports.items()} == {"A": "OK", "B": "OK"}
    assert clouds.clouds.peak_busy_clouds == 2  # both clouds were answering the feeder at the same moment
    flavors = (
        "MATCH (p:Provider)-[:DIVIDED_INTO]->(:Region)-[:SUPPLIES]->(:ComputeService)-[:OFFERS]->(f:Flavor) "
        "RETURN p.name AS p, count(f) AS flavors ORDER BY p"
    )
    stored = await database.read(flavors, {})
    assert stored == [{"p": "A", "flavors": 5}, {"p": "B", "flavors": 5}]


async def test_providers_written_at_once_share_their_sla_group_and_issuer(
    clouds: LoopbackClouds, database: Database
) -> None:
    # given four new providers whose projects are all under one SLA of one group of one issuer
    await replace_graph(database, FederationFile())
    names = ["A", "B", "C", "D"]
    feeder = config(*(openstack(clouds, name) for name in names))

    # when they are written two at a time (each its own transaction, all touching the shared nodes), twice
    first = await run(feeder, database, concurrency=4, writers=2)
    again = await run(feeder, database, concurrency=4, writers=2)

    # then every provider landed, the shared nodes exist once and the SLA covers every provider's projects
    assert {r.outcome for r in first.values()} == {"OK"} and {r.outcome for r in again.values()} == {"OK"}
    assert all(r.changes.nothing for r in again.values())
    shared = await database.read(
        "MATCH (i:IdentityProvider)<-[:BELONGS_TO]-(g:UserGroup)-[:AGREES]->(s:SLA) "
        "RETURN count(DISTINCT i) AS issuers, count(DISTINCT g) AS groups, count(DISTINCT s) AS slas, "
        "COUNT { (s)-[:COVERS]->() } AS covered",
        {},
    )
    assert shared == [{"issuers": 1, "groups": 1, "slas": 1, "covered": 2 * len(names)}]


async def test_with_concurrency_one_providers_are_harvested_one_after_the_other(
    clouds: LoopbackClouds, database: Database
) -> None:
    await replace_graph(database, FederationFile())
    feeder = config(openstack(clouds, "A"), openstack(clouds, "B"))

    await run(feeder, database, concurrency=1)

    assert clouds.clouds.peak_busy_clouds == 1


async def test_a_second_run_with_nothing_changed_writes_nothing(clouds: LoopbackClouds, database: Database) -> None:
    await replace_graph(database, FederationFile())
    feeder = config(openstack(clouds, "A"), kubernetes(clouds))
    first = await run(feeder, database)
    before = await dump(database)

    again = await run(feeder, database)

    assert all(r.outcome == "OK" and not r.changes.nothing for r in first.values())
    assert all(r.outcome == "OK" and r.changes.nothing for r in again.values())
    assert await dump(database) == before


async def test_failed_providers_keep_their_data_and_the_others_land(
    clouds: LoopbackClouds, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given four providers harvested once
    await replace_graph(database, FederationFile())
    feeder = config(
        openstack(clouds, "OK"), openstack(clouds, "HANGS", timeout=3), openstack(clouds, "IMAGES500"),
        openstack(clouds, "REFUSES"),
    )  # fmt: skip
    images = clouds.clouds.clouds["IMAGES500"]["regions"]["RegionOne"]["images"]
    template = images[0]
    images += [{**template, "id": f"extra-{n}", "name": f"extra {n}"} for n in range(30)]  # two pages and more
    assert {r.outcome for r in (await run(feeder, database)).values()} == {"OK"}
    before = {name: await owned(database, name) for name in ("OK", "HANGS", "IMAGES500", "REFUSES")}

    # when every provider gained a flavor, and three of them misbehave
    for name in ("OK", "HANGS", "IMAGES500", "REFUSES"):
        add_flavor(clouds, name, f"new-{name}")
    clouds.clouds.clouds["HANGS"]["faults"] = {"hang": True}
    clouds.clouds.clouds["IMAGES500"]["faults"] = {"imagesFailAfter": 20}
    clouds.clouds.clouds["REFUSES"]["faults"] = {"refuse": True}
    started = time.monotonic()
    reports = await run(feeder, database, concurrency=4)
    elapsed = time.monotonic() - started

    # then the healthy one landed, and each failure is reported with why
    assert {n: r.outcome for n, r in reports.items()} == {
        "OK": "OK", "HANGS": "FAILED", "IMAGES500": "PARTIAL", "REFUSES": "FAILED"
    }  # fmt: skip
    assert reports["OK"].changes.created == {"Flavor": 1}
    assert "no answer within the provider's timeout of 3 s" in reports["HANGS"].error
    assert "RegionOne/images" in reports["IMAGES500"].error and "500" in reports["IMAGES500"].error
    assert "login to project" in reports["REFUSES"].error and "401" in reports["REFUSES"].error
    assert len(await owned(database, "OK")) == len(before["OK"]) + 1
    # ... what a partial harvest read landed (the new flavor); its images, unread, are kept
    assert reports["IMAGES500"].changes.created == {"Flavor": 1}
    assert reports["IMAGES500"].changes.removed == {}
    after = {name: {r["uid"]: r for r in await owned(database, name)} for name in ("HANGS", "IMAGES500", "REFUSES")}
    for name in ("HANGS", "REFUSES"):
        # ... a provider nothing could be read of keeps every node, each marked stale and still dated
        # when its source last confirmed it; the provider records the failure
        kept = after[name]
        for old in before[name]:
            new = kept[old["uid"]]
            if old["label"] == "Provider":
                assert new["props"]["harvestOutcome"] == "failed" and new["props"]["stale"] is True
                assert new["props"]["harvestLastSuccessAt"] == old["props"]["harvestLastSuccessAt"]
                assert "login to project" in new["props"]["harvestError"] or "timeout" in new["props"]["harvestError"]
            else:
                assert new["props"]["stale"] is True, (name, old["label"])
                assert new["props"]["updatedAt"] == old["props"]["updatedAt"]
        assert set(kept) == {old["uid"] for old in before[name]}
    images_before = [r for r in before["IMAGES500"] if r["label"] == "Image"]
    assert images_before and all(
        after["IMAGES500"][r["uid"]]["props"]["stale"] is True
        and after["IMAGES500"][r["uid"]]["props"]["updatedAt"] == r["props"]["updatedAt"]
        for r in images_before
    )
    # ... and the next run with nothing new changes nothing (the same failures, already recorded)
    again = await run(feeder, database, concurrency=4)
    assert all(r.changes.nothing for r in again.values()), {n: r.changes for n, r in again.items()}
    # the hanging provider held the run for its timeout, not for ever (the bound is generous: a shared machine)
    assert elapsed < 3 + 15


async def test_a_dry_run_reports_what_would_change_and_writes_nothing(
    clouds: LoopbackClouds, database: Database
) -> None:
    await replace_graph(database, FederationFile())
    feeder = config(openstack(clouds, "A"))

    reports = await run(feeder, database, dry_run=True)

    assert reports["A"].changes.created["Flavor"] == 5
    assert await dump(database) == []

    await run(feeder, database)
    add_flavor(clouds, "A", "extra")
    stored = await dump(database)
    reports = await run(feeder, database, dry_run=True)
    assert reports["A"].changes.created == {"Flavor": 1}
    assert await dump(database) == stored


async def test_providers_no_longer_configured_go_only_when_pruning(clouds: LoopbackClouds, database: Database) -> None:
    await replace_graph(database, FederationFile())
    await run(config(openstack(clouds, "A"), openstack(clouds, "B")), database)
    only_a = config(openstack(clouds, "A"))

    await run(only_a, database)
    assert len(await database.read("MATCH (p:Provider) RETURN p", {})) == 2

    dry = await run(only_a, database, prune=True, dry_run=True)
    assert dry["B"].outcome == "PRUNED"
    assert len(await database.read("MATCH (p:Provider) RETURN p", {})) == 2

    pruned = await run(only_a, database, prune=True)
    assert pruned["B"].outcome == "PRUNED" and pruned["B"].changes.removed["Provider"] == 1
    assert [r["name"] for r in await database.read("MATCH (p:Provider) RETURN p.name AS name", {})] == ["A"]
    assert await owned(database, "B") == []


async def test_the_registry_answers_the_matchmaking_question_from_harvested_data(
    clouds: LoopbackClouds, database: Database, client: httpx.AsyncClient, issuer: Issuer
) -> None:
    await replace_graph(database, FederationFile())
    await run(config(openstack(clouds, "GPU-CLOUD")), database)
    query = (QUERIES / "1-matchmaking.graphql").read_text()

    answer = await ask(client, query, {"group": "gpu-users", "issuer": IAM, "minGpus": 1},
                           token=issuer.token("gpu-users"))  # fmt: skip

    (sla,) = answer.data["userGroup"]["slas"]
    projects = {p["uuid"]: p for p in sla["projects"]}
    assert set(projects) == {ML, PHYSICS}

    def usable(project: str) -> tuple[set[str], set[str]]:
        (region,) = projects[project]["regions"]
        (compute,) = region["computeServices"]
        return {f["name"] for f in compute["flavors"]}, {i["name"] for i in compute["images"]}

    # the shared GPU flavors, plus each project's own private one and never the other's
    assert usable(ML) == ({"g.infn", "g.egi", "g.pci"}, {"Ubuntu 22.04 CUDA 12"})
    assert usable(PHYSICS) == ({"g.infn", "g.egi", "g.vgpu"}, {"Ubuntu 22.04 CUDA 12"})


async def test_images_by_cuda_version_and_networks_with_their_cidr(
    clouds: LoopbackClouds, database: Database, client: httpx.AsyncClient, issuer: Issuer
) -> None:
    await replace_graph(database, FederationFile())
    await run(config(openstack(clouds, "GPU-CLOUD")), database)
    query = """query($min: String!) {
      images(where: {cudaVersionMin: $min}) { nodes { name cudaVersion gpuDriverVersion cudnnVersion loginUser } }
      networks(where: {name: "ml-net"}) { nodes { cidr } } }"""
    token = issuer.token("gpu-users")

    found = {v: (await ask(client, query, {"min": v}, token=token)).data for v in ("12", "12.4", "12.10")}

    assert found["12"]["images"]["nodes"] == [{"name": "Ubuntu 22.04 CUDA 12", "cudaVersion": "12.4",
                                              "gpuDriverVersion": "550.54", "cudnnVersion": "9.1",
                                              "loginUser": "ubuntu"}]  # fmt: skip
    assert found["12.4"]["images"] == found["12"]["images"]
    assert found["12.10"]["images"]["nodes"] == []  # 12.10 is after 12.4: versions compare as numbers
    assert found["12"]["networks"]["nodes"] == [{"cidr": "10.10.0.0/24"}]


async def test_bundles_go_to_a_registry_with_a_client_credentials_token(
    clouds: LoopbackClouds, database: Database, client: httpx.AsyncClient, issuer: Issuer
) -> None:
    await replace_graph(database, FederationFile())
    feeder = config(openstack(clouds, "A"))
    secret = Clients(issuer.keys.path.parent).secret()
    writer = RegistryWriter(
        "http://registry.test/graphql",
        ClientCredentials(token_endpoint(issuer.base_url), "registry-feeder", secret),
        http=client,
    )
    try:
        dry = {r.provider: r for r in await feed(feeder, writer, dry_run=True)}
        assert dry["A"].outcome == "OK" and dry["A"].changes.created["Flavor"] == 5
        assert await dump(database) == []

        first = {r.provider: r for r in await feed(feeder, writer)}
        again = {r.provider: r for r in await feed(feeder, writer)}
    finally:
        await writer.issuer_http.aclose()

    assert first["A"].outcome == "OK" and first["A"].changes.created["Flavor"] == 5
    assert again["A"].changes.nothing
    rows = await database.read("MATCH (p:Provider) RETURN p.addedBy AS by", {})
    assert rows == [{"by": f"registry-feeder@{issuer.url('infn')}"}]


async def test_the_token_endpoint_refuses_a_wrong_secret(issuer: Issuer) -> None:
    async with httpx.AsyncClient() as http:
        wrong = await http.post(token_endpoint(issuer.base_url), data={"grant_type": "client_credentials"},
                                auth=("registry-feeder", "not-the-secret"))  # fmt: skip
        grant = await http.post(token_endpoint(issuer.base_url), data={"grant_type": "password"},
                                auth=("registry-feeder", "x"))  # fmt: skip
    assert (wrong.status_code, wrong.json()) == (401, {"error": "invalid_client"})
    assert (grant.status_code, grant.json()) == (400, {"error": "unsupported_grant_type"})


def test_the_command_prints_a_summary_and_fails_when_a_provider_failed(
    clouds: LoopbackClouds, neo4j_uri: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    get_settings.cache_clear()
    refusing = openstack(clouds, "REFUSES")
    clouds.clouds.clouds["REFUSES"]["faults"] = {"refuse": True}
    path = tmp_path / "providers.yaml"
    path.write_text(yaml.safe_dump({"identityProviders": identity(), "providers": [openstack(clouds, "A"), refusing]}))

    try:
        status = main(["feed", str(path), "--dry-run", "--concurrency", "2"])
        only_a = main(["feed", str(path), "--dry-run", "--provider", "A"])
    finally:
        get_settings.cache_clear()

    out = capsys.readouterr().out
    assert status == 1 and only_a == 0
    assert "feed (dry run: nothing written)" in out
    assert "REFUSES" in out and "FAILED" in out
