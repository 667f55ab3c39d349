"""What a harvest could not read is kept and marked stale, never dropped; freshness is data clients filter on."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import httpx
import pytest

from registry.feeder import read_federation
from resolvers.db import Database
from resolvers.federation_file import FederationFile
from tests.bundles import UPSERT, bundle_of
from tests.conftest import EXAMPLE_FEDERATION, Issuer, replace_graph
from tests.graphql_client import ask, ask_for_errors

ML_INFN = "5de701734d964f0dbacca44c2b546b56"
PRIVATE_IMAGE = "bd4ceadf-da85-4a6b-8875-7da0ef13985f"
FLAVORS = """query($name: String!, $where: FlavorFilter) { providers(where: {name: $name}) { nodes {
  harvest { lastAttemptAt lastSuccessAt outcome error }
  regions { name stale updatedAt harvest { outcome error } computeServices { endpoint stale
    flavors(where: $where) { name stale updatedAt } images { name stale } } } } } }"""


def _at(hours_ago: float) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours_ago)).isoformat()


def harvested(bundle: dict[str, Any], attempted: str, outcome: str = "ok", error: str | None = None) -> dict[str, Any]:
    out = copy.deepcopy(bundle)
    out["provider"]["harvest"] = {"attemptedAt": attempted, "outcome": outcome, "error": error}
    return out


@pytest.fixture
async def cnaf(client: httpx.AsyncClient, database: Database, issuer: Issuer) -> dict[str, Any]:
    """CLOUD-CNAF harvested well two hours ago, alone in the registry."""
    await replace_graph(database, FederationFile())
    bundle = bundle_of(read_federation(EXAMPLE_FEDERATION), "CLOUD-CNAF")
    await ask(client, UPSERT, {"bundle": harvested(bundle, _at(2))}, token=issuer.token(writer=True))
    return bundle


def region_two_unreadable(bundle: dict[str, Any], attempted: str) -> dict[str, Any]:
    """RegionTwo timed out: its services are unknown, and so are the quotas on them (not sent)."""
    out = harvested(bundle, attempted, "partial", "RegionTwo: timed out")
    [two] = [r for r in out["provider"]["regions"] if r["name"] == "RegionTwo"]
    two["services"] = None
    two["harvest"] = {"attemptedAt": attempted, "outcome": "failed", "error": "timed out"}
    # Private links to what RegionTwo offers cannot be told either: the feeder sends those it read.
    [one] = [r for r in out["provider"]["regions"] if r["name"] == "RegionOne"]
    read = {o["uuid"] for s in one["services"] for kind in ("flavors", "images", "networks") for o in s.get(kind, [])}
    for project in out["provider"]["projects"]:
        project["quotas"] = [q for q in project["quotas"] if q["region"] != "RegionTwo"]
        for links in ("privateFlavors", "privateImages", "privateNetworks"):
            project[links] = [uuid for uuid in project.get(links, []) if uuid in read]
    return out


async def test_an_unreadable_region_keeps_its_data_marked_stale(
    client: httpx.AsyncClient, issuer: Issuer, cnaf: dict[str, Any]
) -> None:
    feeder = issuer.token(writer=True)
    before = (await ask(client, FLAVORS, {"name": "CLOUD-CNAF"}, token=issuer.admin)).data
    first_success = before["providers"]["nodes"][0]["harvest"]["lastSuccessAt"]

    # when a harvest could not read RegionTwo (twice: the second one later)
    first = await ask(client, UPSERT, {"bundle": region_two_unreadable(cnaf, _at(1))}, token=feeder)
    again = await ask(client, UPSERT, {"bundle": region_two_unreadable(cnaf, _at(0))}, token=feeder)
    after = (await ask(client, FLAVORS, {"name": "CLOUD-CNAF"}, token=issuer.admin)).data

    # then RegionTwo's services and flavors are all still there, stale, confirmed when they last were
    [provider] = after["providers"]["nodes"]
    regions = {r["name"]: r for r in provider["regions"]}
    old = {r["name"]: r for r in before["providers"]["nodes"][0]["regions"]}
    two, one = regions["RegionTwo"], regions["RegionOne"]
    assert [s["endpoint"] for s in two["computeServices"]] == [
        s["endpoint"] for s in old["RegionTwo"]["computeServices"]
    ]
    assert len(two["computeServices"][0]["flavors"]) == 5
    assert all(s["stale"] for s in two["computeServices"])
    assert all(f["stale"] for f in two["computeServices"][0]["flavors"])
    assert two["computeServices"][0]["flavors"] == [
        {**f, "stale": True} for f in old["RegionTwo"]["computeServices"][0]["flavors"]
    ]  # same updatedAt: when they were last confirmed
    # ... RegionOne was read: confirmed, not stale
    assert not any(f["stale"] for f in one["computeServices"][0]["flavors"])
    # ... and the failure is recorded: when, what, why; the last success has not moved
    assert provider["harvest"]["outcome"] == "PARTIAL"
    assert provider["harvest"]["error"] == "RegionTwo: timed out"
    assert provider["harvest"]["lastSuccessAt"] == first_success
    assert two["harvest"] == {"outcome": "FAILED", "error": "timed out"} and two["stale"]
    assert one["harvest"] == {"outcome": "OK", "error": None} and not one["stale"]
    # ... marking them stale was a change once; the second identical failure changed nothing
    assert first.data["upsertProviderBundle"]["changed"]
    assert first.data["upsertProviderBundle"]["removed"] == []
    assert not again.data["upsertProviderBundle"]["changed"]


async def test_a_later_good_harvest_confirms_the_kept_data_again(
    client: httpx.AsyncClient, issuer: Issuer, cnaf: dict[str, Any]
) -> None:
    feeder = issuer.token(writer=True)
    await ask(client, UPSERT, {"bundle": region_two_unreadable(cnaf, _at(1))}, token=feeder)

    # when RegionTwo answers again
    await ask(client, UPSERT, {"bundle": harvested(cnaf, _at(0))}, token=feeder)

    # then nothing is stale and the last success is now
    [provider] = (await ask(client, FLAVORS, {"name": "CLOUD-CNAF"}, token=issuer.admin)).data["providers"]["nodes"]
    assert provider["harvest"]["outcome"] == "OK" and provider["harvest"]["lastSuccessAt"] is not None
    assert not any(
        s["stale"] or any(f["stale"] for f in s["flavors"]) for r in provider["regions"] for s in r["computeServices"]
    )


async def test_unknown_images_and_private_links_are_kept_while_known_flavors_are_reconciled(
    client: httpx.AsyncClient, issuer: Issuer, cnaf: dict[str, Any]
) -> None:
    # given a harvest that read RegionOne's flavors (one fewer) but not its images, nor the private images
    bundle = harvested(cnaf, _at(0), "partial", "images: HTTP 500")
    [one] = [r for r in bundle["provider"]["regions"] if r["name"] == "RegionOne"]
    [compute] = [s for s in one["services"] if s["kind"] == "compute"]
    compute["images"] = None
    compute["flavors"] = [f for f in compute["flavors"] if f["name"] != "m1.small"]
    for project in bundle["provider"]["projects"]:
        project["privateImages"] = None

    # when it is pushed
    changes = (await ask(client, UPSERT, {"bundle": bundle}, token=issuer.token(writer=True))).data
    after = (await ask(client, FLAVORS, {"name": "CLOUD-CNAF"}, token=issuer.admin)).data

    # then the images stay (stale), the dropped flavor goes, and ml-infn still may use its private image
    [provider] = after["providers"]["nodes"]
    [region_one] = [r for r in provider["regions"] if r["name"] == "RegionOne"]
    service = region_one["computeServices"][0]
    assert len(service["images"]) == 5 and all(i["stale"] for i in service["images"])
    assert "m1.small" not in [f["name"] for f in service["flavors"]]
    assert changes["upsertProviderBundle"]["removed"] == [{"label": "Flavor", "count": 1}]
    private = """query($id: ID!) { project(id: $id) { privateImages { uuid stale } } }"""
    projects = await ask(client, '{ projects(where: {uuid: "' + ML_INFN + '"}) { nodes { id } } }', token=issuer.admin)
    project_id = projects.data["projects"]["nodes"][0]["id"]
    images = (await ask(client, private, {"id": project_id}, token=issuer.admin)).data["project"]["privateImages"]
    assert images == [{"uuid": PRIVATE_IMAGE, "stale": True}]


async def test_clients_filter_on_freshness(client: httpx.AsyncClient, issuer: Issuer, cnaf: dict[str, Any]) -> None:
    feeder = issuer.token(writer=True)
    await ask(client, UPSERT, {"bundle": region_two_unreadable(cnaf, _at(0))}, token=feeder)
    providers = "query($within: Duration!) { providers(where: {confirmedWithin: $within}) { nodes { name } } }"
    targets = """query($stale: Boolean) { userGroup(name: "ml-infn", issuer: "https://iam.cloud.infn.it/") {
      deploymentTargets(where: {stale: $stale}) { region { name } } } }"""

    # the provider last succeeded two hours ago: confirmed within a day, not within an hour
    day = (await ask(client, providers, {"within": "P1D"}, token=issuer.admin)).data["providers"]["nodes"]
    hour = (await ask(client, providers, {"within": "PT1H"}, token=issuer.admin)).data["providers"]["nodes"]
    assert day == [{"name": "CLOUD-CNAF"}] and hour == []
    # flavors confirmed by the last harvest only: RegionOne's
    fresh = (await ask(client, FLAVORS, {"name": "CLOUD-CNAF", "where": {"stale": False}}, token=issuer.admin)).data
    regions = {r["name"]: r for r in fresh["providers"]["nodes"][0]["regions"]}
    assert regions["RegionTwo"]["computeServices"][0]["flavors"] == []
    assert regions["RegionOne"]["computeServices"][0]["flavors"]
    # the dropdown without stale places: RegionTwo is left out
    member = issuer.token("ml-infn")
    every = (await ask(client, targets, {"stale": None}, token=member)).data["userGroup"]["deploymentTargets"]
    confirmed = (await ask(client, targets, {"stale": False}, token=member)).data["userGroup"]["deploymentTargets"]
    assert sorted(t["region"]["name"] for t in every) == ["RegionOne", "RegionTwo"]
    assert [t["region"]["name"] for t in confirmed] == ["RegionOne"]
    # a duration that is not one is refused, naming it
    [error] = await ask_for_errors(client, providers, {"within": "6 hours"}, token=issuer.admin)
    assert "ISO 8601 duration" in error["message"]


async def test_images_by_cuda_version_and_networks_by_cidr(
    client: httpx.AsyncClient, issuer: Issuer, cnaf: dict[str, Any]
) -> None:
    # given images with CUDA 12.10, 12.9 and 12.4 (12.10 is the newest: versions compare part by part)
    bundle = copy.deepcopy(cnaf)
    [one] = [r for r in bundle["provider"]["regions"] if r["name"] == "RegionOne"]
    [compute] = [s for s in one["services"] if s["kind"] == "compute"]
    for image, version in zip(compute["images"][:3], ("12.10", "12.9", "12.4"), strict=True):
        image.update(cudaVersion=version, gpuDriverVersion="550.54.15", cudnnVersion="9.1", loginUser="ubuntu")
    [network_service] = [s for s in one["services"] if s["kind"] == "network"]
    network_service["networks"][0]["cidr"] = "10.10.0.0/24"
    await ask(client, UPSERT, {"bundle": bundle}, token=issuer.token(writer=True))

    # when images with CUDA at least 12.9 are asked for
    query = """{ images(where: {cudaVersionMin: "12.9"}, orderBy: {field: NAME}) {
      nodes { cudaVersion loginUser } } }"""
    images = (await ask(client, query, token=issuer.admin)).data["images"]["nodes"]

    # then 12.10 and 12.9 come back, not 12.4 nor images without a version
    assert sorted(i["cudaVersion"] for i in images) == ["12.10", "12.9"]
    assert {i["loginUser"] for i in images} == {"ubuntu"}
    cidrs = (await ask(client, "{ networks(first: 100) { nodes { cidr } } }", token=issuer.admin)).data
    assert "10.10.0.0/24" in [n["cidr"] for n in cidrs["networks"]["nodes"]]

    # and a malformed range or version is refused, naming the field
    network_service["networks"][0]["cidr"] = "10.0.0.300/24"
    compute["images"][0]["cudaVersion"] = "twelve"
    [error] = await ask_for_errors(client, UPSERT, {"bundle": bundle}, token=issuer.token(writer=True))
    fields = [p["field"] for p in error["extensions"]["problems"]]
    assert any(f.endswith("images.0.cudaVersion") for f in fields)
    assert any(f.endswith("networks.0.cidr") for f in fields)


@pytest.mark.parametrize("field", ["cudaVersionMin", "gpuDriverVersionMin"])
async def test_a_version_filter_that_is_no_version_is_refused_naming_the_field(
    client: httpx.AsyncClient, issuer: Issuer, cnaf: dict[str, Any], field: str
) -> None:
    # when a version filter gets text a dotted-number comparison cannot read (it would match nothing)
    root = f"query($v: String!) {{ images(where: {{{field}: $v}}) {{ nodes {{ name }} }} }}"
    nested = f"""query($v: String!) {{ providers {{ nodes {{ regions {{ computeServices {{
      images(where: {{{field}: $v}}) {{ name }} }} }} }} }} }}"""
    for query in (root, nested):
        for bad in ("12.x", "twelve", "12.", ".4", "12..4", "", "12\n", "\u0661\u0662"):
            [error] = await ask_for_errors(client, query, {"v": bad}, token=issuer.admin)

            # then it is refused, naming the filter's field and the value
            assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": f"where.{field}"}
            assert repr(bad) in error["message"]

    # and a version in numbers is taken as before
    assert (await ask(client, root, {"v": "12"}, token=issuer.admin)).data is not None
