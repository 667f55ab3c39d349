"""What every project of a region sees alike is listed once per region; what is a project's own is
listed per project. Against the loopback clouds, whose Glance applies `visibility` and `member_status`
as Glance does."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from registry.feeder.loopback_clouds import LoopbackClouds
from registry.feeder.openstack import harvest_openstack
from resolvers.federation_file import ProviderBundle
from tests.feeder.conftest import ML, PHYSICS, config, fixture, openstack

pytestmark = pytest.mark.usefixtures("secrets")

CHEMISTRY = "cccc0000000000000000000000000003"  # a pending member of i-shared in the fixture


def three_projects(clouds: LoopbackClouds, name: str) -> dict[str, Any]:
    """The fixture's cloud with a third project, chemistry: a pending member of the shared image,
    owner of a private image and of a community image, with access to no private flavor."""
    cloud = copy.deepcopy(fixture("gpu-cloud"))
    cloud["projects"].append({"id": CHEMISTRY, "name": "chemistry"})
    cloud["users"]["applicationCredentials"]["chem-app"] = {"secret": "ml-secret", "project": CHEMISTRY}
    region = cloud["regions"]["RegionOne"]
    template = next(i for i in region["images"] if i["id"] == "i-ml-private")
    region["images"] += [
        {**template, "id": "i-chem-private", "name": "chem private", "owner": CHEMISTRY},
        {**template, "id": "i-community", "name": "community", "owner": CHEMISTRY, "visibility": "community"},
        {**template, "id": "i-others-community", "name": "others' community", "owner": "x", "visibility": "community"},
    ]
    clouds.clouds.add(name, cloud)
    provider = openstack(clouds, name)
    chemistry = {"method": "applicationCredential", "id": "chem-app", "secret": {"env": "ML_SECRET"}}
    provider["projects"].append({"id": CHEMISTRY, "sla": provider["projects"][0]["sla"], "credentials": chemistry})
    return provider


def harvested(clouds: LoopbackClouds, provider: dict[str, Any]) -> ProviderBundle:
    feeder = config(provider)
    harvest = harvest_openstack(feeder, feeder.providers[0])  # type: ignore[arg-type]
    assert harvest.failures == []
    assert harvest.bundle is not None
    return harvest.bundle


def test_private_and_shared_images_land_only_on_their_owner_and_accepted_members(clouds: LoopbackClouds) -> None:
    bundle = harvested(clouds, three_projects(clouds, "THREE"))
    projects = {p.uuid: p for p in bundle.provider.projects or []}
    compute = next(s for s in bundle.provider.regions[0].services if s.kind == "compute")
    images = {i.uuid: i.is_shared for i in compute.images or []}

    assert projects[ML].private_images == ["i-ml-private", "i-shared"]  # owner of both
    assert projects[PHYSICS].private_images == ["i-shared"]  # accepted member
    assert projects[CHEMISTRY].private_images == ["i-chem-private"]  # pending member of i-shared: not its
    # community images are everyone's, whoever owns them; public ones too
    assert images == {
        "i-public": True, "i-cuda": True, "i-community": True, "i-others-community": True,
        "i-ml-private": False, "i-shared": False, "i-chem-private": False,
    }  # fmt: skip


def test_a_private_flavor_lands_only_on_the_projects_with_access(clouds: LoopbackClouds) -> None:
    bundle = harvested(clouds, three_projects(clouds, "THREE"))
    projects = {p.uuid: p.private_flavors for p in bundle.provider.projects or []}

    assert projects == {ML: ["f-pci"], PHYSICS: ["f-vgpu"], CHEMISTRY: []}


def test_public_images_are_listed_once_per_region_whatever_the_number_of_projects(clouds: LoopbackClouds) -> None:
    harvested(clouds, three_projects(clouds, "THREE"))
    two = openstack(clouds, "TWO")
    harvested(clouds, two)

    # public and community once, then each project's private and shared: 2 + 2 per project
    assert clouds.clouds.hits[("THREE", "images")] == 2 + 2 * 3
    assert clouds.clouds.hits[("TWO", "images")] == 2 + 2 * 2
    # volume types once per region, quotas per project
    assert clouds.clouds.hits[("THREE", "volume_types")] == 1
    assert clouds.clouds.hits[("THREE", "volume_quotas")] == 3


def test_a_harvest_of_three_projects_equals_what_each_project_sees(clouds: LoopbackClouds) -> None:
    """The split listing loses nothing: every image a project's default Glance listing shows is in the
    bundle, on that project when it is not everyone's."""
    provider = three_projects(clouds, "THREE")
    bundle = harvested(clouds, provider)
    compute = next(s for s in bundle.provider.regions[0].services if s.kind == "compute")
    harvested_images = {i.uuid for i in compute.images or []}
    cloud = clouds.clouds.clouds["THREE"]
    for project in (ML, PHYSICS, CHEMISTRY):
        token = login(clouds, "THREE", project)
        listed = glance(clouds, "THREE", token, {"tag": "infn-cloud", "status": "active"})
        assert set(listed) <= harvested_images
        private = {p.uuid: set(p.private_images or []) for p in bundle.provider.projects or []}[project]
        visibility = {i["id"]: i["visibility"] for i in cloud["regions"]["RegionOne"]["images"]}
        assert {i for i in listed if visibility[i] in ("private", "shared")} == private


# ---- the loopback Glance's filters, as Glance's API reference gives them ---------------------------------
def login(clouds: LoopbackClouds, cloud: str, project: str) -> str:
    credential = {ML: "ml-app", CHEMISTRY: "chem-app"}.get(project)
    if credential is not None:
        identity: dict[str, Any] = {
            "methods": ["application_credential"],
            "application_credential": {"id": credential, "secret": "ml-secret"},
        }
    else:
        identity = {"methods": ["password"], "password": {"user": {"name": "feeder", "password": "feeder-password"}}}
    body = {"auth": {"identity": identity, "scope": {"project": {"id": project}}}}
    answer = httpx.post(f"{clouds.base_url}/{cloud}/identity/v3/auth/tokens", json=body)
    assert answer.status_code == 201, answer.text
    return answer.headers["x-subject-token"]


def glance(clouds: LoopbackClouds, cloud: str, token: str, query: dict[str, str]) -> list[str]:
    answer = httpx.get(
        f"{clouds.base_url}/{cloud}/RegionOne/image/v2/images",
        params={**query, "limit": "1000"},
        headers={"X-Auth-Token": token},
    )
    assert answer.status_code == 200, answer.text
    return [i["id"] for i in answer.json()["images"]]


@pytest.mark.parametrize(
    ("project", "query", "listed"),
    [
        (ML, {}, {"i-public", "i-cuda", "i-untagged", "i-queued", "i-ml-private", "i-shared"}),
        (ML, {"visibility": "public"}, {"i-public", "i-cuda", "i-untagged", "i-queued"}),
        (ML, {"visibility": "private"}, {"i-ml-private"}),
        (ML, {"visibility": "shared"}, {"i-shared"}),  # its own shared image
        (PHYSICS, {"visibility": "private"}, set()),
        (PHYSICS, {"visibility": "shared"}, {"i-shared"}),  # accepted
        (CHEMISTRY, {"visibility": "shared"}, set()),  # pending: not by default
        (CHEMISTRY, {"visibility": "shared", "member_status": "pending"}, {"i-shared"}),
        (CHEMISTRY, {"visibility": "shared", "member_status": "all"}, {"i-shared"}),
        (PHYSICS, {"visibility": "shared", "member_status": "pending"}, set()),
        (CHEMISTRY, {}, {"i-public", "i-cuda", "i-untagged", "i-queued", "i-chem-private", "i-community"}),
        (PHYSICS, {}, {"i-public", "i-cuda", "i-untagged", "i-queued", "i-shared"}),  # others' community: no
        (PHYSICS, {"visibility": "community"}, {"i-community", "i-others-community"}),
        (ML, {"visibility": "all"}, {"i-public", "i-cuda", "i-untagged", "i-queued", "i-ml-private", "i-shared",
                                     "i-community", "i-others-community"}),
        (ML, {"owner": ML}, {"i-ml-private", "i-shared"}),
    ],
)  # fmt: skip
def test_glance_lists_by_visibility_and_membership_as_glance_does(
    clouds: LoopbackClouds, project: str, query: dict[str, str], listed: set[str]
) -> None:
    three_projects(clouds, "THREE")

    assert set(glance(clouds, "THREE", login(clouds, "THREE", project), query)) == listed


@pytest.mark.parametrize("query", [{"visibility": "everyone"}, {"member_status": "maybe"}])
def test_glance_refuses_an_unknown_filter_value(clouds: LoopbackClouds, query: dict[str, str]) -> None:
    three_projects(clouds, "THREE")
    answer = httpx.get(
        f"{clouds.base_url}/THREE/RegionOne/image/v2/images",
        params=query,
        headers={"X-Auth-Token": login(clouds, "THREE", ML)},
    )

    assert answer.status_code == 400
