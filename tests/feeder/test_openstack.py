"""The OpenStack harvest against loopback clouds answering in the API reference's shapes."""

from __future__ import annotations

from typing import Any

import pytest

from registry.feeder.loopback_clouds import LoopbackClouds
from registry.feeder.openstack import hardware, harvest_openstack
from resolvers.federation_file import ProviderBundle
from tests.feeder.conftest import ML, PHYSICS, config, openstack

pytestmark = pytest.mark.usefixtures("secrets")


def harvested(clouds: LoopbackClouds, **extra: Any) -> ProviderBundle:
    feeder = config(openstack(clouds, "GPU", **extra))
    harvest = harvest_openstack(feeder, feeder.providers[0])  # type: ignore[arg-type]
    assert harvest.failures == []
    assert harvest.bundle is not None
    return harvest.bundle


def services(bundle: ProviderBundle) -> dict[str, Any]:
    return {s.kind: s for s in bundle.provider.regions[0].services if s.name != "com.amazonaws.s3"}


@pytest.mark.parametrize(
    ("flavor", "gpus", "model", "vendor", "infiniband", "storage"),
    [
        ("f-small", 0, None, None, False, None),
        ("f-infn", 1, "V100", "NVIDIA", False, "ssd"),  # gpu_number / gpu_model / gpu_vendor
        ("f-egi", 2, "Tesla T4", "NVIDIA", False, None),  # Accelerator:Number/Type/Vendor/Model
        ("f-pci", 2, "A100", None, True, None),  # pci_passthrough:alias "A100:2"
        ("f-vgpu", 1, "L4", "NVIDIA", False, None),  # resources:VGPU with the vGPU model trait
    ],
)
def test_every_extra_spec_convention_gives_gpus_model_and_vendor(
    clouds: LoopbackClouds, flavor: str, gpus: int, model: str | None, vendor: str | None, infiniband: bool,
    storage: str | None,
) -> None:  # fmt: skip
    found = {f.uuid: f for f in services(harvested(clouds))["compute"].flavors}[flavor]

    assert (found.gpus, found.gpu_model, found.gpu_vendor) == (gpus, model, vendor)
    assert (found.infiniband, found.local_storage) == (infiniband, storage)


def test_conventions_beyond_the_fixture() -> None:
    assert hardware({"pci_passthrough:alias": "a100:1, a100:2"}).gpus == 3
    assert hardware({"Accelerator:Number": "4", "Accelerator:Type": "FPGA"}).gpus == 0
    assert hardware({"gpu_number": "0", "gpu_model": "V100"}).gpu_model is None
    assert hardware({"gpu_number": "1", "gpu_model": "AMD Instinct MI250"}).gpu_vendor == "AMD"


def test_a_nova_before_2_61_gives_extra_specs_through_os_extra_specs(clouds: LoopbackClouds) -> None:
    modern = {f.uuid: f for f in services(harvested(clouds))["compute"].flavors}
    old = openstack(clouds, "OLD")
    clouds.clouds.clouds["OLD"]["regions"]["RegionOne"]["computeMaxMicroversion"] = "2.60"
    feeder = config(old)

    harvest = harvest_openstack(feeder, feeder.providers[0])  # type: ignore[arg-type]

    assert harvest.bundle is not None
    flavors = {f.uuid: f for f in services(harvest.bundle)["compute"].flavors}
    assert flavors == modern
    assert services(harvest.bundle)["compute"].microversion == "2.60"
    # each flavor's specs read once, though two projects list the public ones
    assert clouds.clouds.hits[("OLD", "extra_specs")] == len(flavors)
    assert clouds.clouds.hits[("GPU", "extra_specs")] == 0


def test_private_flavors_images_and_networks_land_on_the_projects_that_may_use_them(clouds: LoopbackClouds) -> None:
    bundle = harvested(clouds)
    projects = {p.uuid: p for p in bundle.provider.projects}
    compute = services(bundle)["compute"]

    # flavors: private ones belong to the projects of their access list
    assert {f.uuid for f in compute.flavors if not f.is_shared} == {"f-pci", "f-vgpu"}
    assert projects[ML].private_flavors == ["f-pci"]
    assert projects[PHYSICS].private_flavors == ["f-vgpu"]
    # images: public and community (another project's, listed only when asked for) are shared; private go
    # to the owner; shared to the owner and accepted members only
    assert {i.uuid: i.is_shared for i in compute.images} == {
        "i-public": True, "i-cuda": True, "i-ml-private": False, "i-shared": False, "i-community": True
    }  # fmt: skip
    assert projects[ML].private_images == ["i-ml-private", "i-shared"]
    assert projects[PHYSICS].private_images == ["i-shared"]
    # networks: external ones are shared; project networks are their project's
    assert projects[ML].private_networks == ["n-ml"]
    assert projects[PHYSICS].private_networks == ["n-physics"]
    networks = {n.uuid: n for n in services(bundle)["network"].networks}
    assert (
        networks["n-public"].is_shared and networks["n-public"].is_router_external and networks["n-public"].is_default
    )
    assert (networks["n-ml"].is_default, networks["n-ml"].proxy_host, networks["n-ml"].proxy_user) == (
        True, "bastion.test", "ml"
    )  # fmt: skip
    assert networks["n-ml"].mtu == 1450


def test_when_policy_hides_flavor_access_lists_private_flavors_go_to_the_projects_that_see_them(
    clouds: LoopbackClouds,
) -> None:
    provider = openstack(clouds, "POLICY")
    clouds.clouds.clouds["POLICY"]["faults"] = {"flavorAccessForbidden": True}
    feeder = config(provider)

    harvest = harvest_openstack(feeder, feeder.providers[0])  # type: ignore[arg-type]

    assert harvest.failures == []
    assert harvest.bundle is not None
    projects = {p.uuid: p.private_flavors for p in harvest.bundle.provider.projects}
    assert projects == {ML: ["f-pci"], PHYSICS: ["f-vgpu"]}
    assert clouds.clouds.hits[("POLICY", "flavor_access")] == 2  # asked, refused, not a failure


def test_only_active_images_with_the_configured_tags_are_read(clouds: LoopbackClouds) -> None:
    tagged = {i.uuid for i in services(harvested(clouds))["compute"].images}
    every = {i.uuid for i in services(harvested(clouds, imageTags=[]))["compute"].images}

    assert "i-untagged" not in tagged and "i-untagged" in every
    assert "i-queued" not in every


def test_image_properties_the_orchestrator_reads(clouds: LoopbackClouds) -> None:
    images = {i.uuid: i for i in services(harvested(clouds))["compute"].images}

    cuda = images["i-cuda"]
    assert (cuda.os_type, cuda.os_distro, cuda.os_version, cuda.architecture) == ("Linux", "ubuntu", "22.04", "x86_64")
    assert (cuda.cuda_support, cuda.gpu_driver) == (True, True)
    assert (images["i-public"].cuda_support, images["i-public"].gpu_driver) == (False, False)
    assert cuda.tags == ["cuda", "infn-cloud"]
    assert (cuda.cuda_version, cuda.gpu_driver_version, cuda.cudnn_version, cuda.login_user) == (
        "12.4", "550.54", "9.1", "ubuntu"
    )  # fmt: skip
    assert (images["i-public"].cuda_version, images["i-public"].login_user) == (None, None)


def test_networks_carry_their_subnet_cidr(clouds: LoopbackClouds) -> None:
    networks = {n.uuid: n.cidr for n in services(harvested(clouds))["network"].networks}

    assert networks == {"n-public": "131.154.0.0/22", "n-ml": "10.10.0.0/24", "n-physics": "10.20.0.0/24"}


def test_quotas_with_limit_and_usage_as_separate_quotas(clouds: LoopbackClouds) -> None:
    ml = {p.uuid: p for p in harvested(clouds).provider.projects}[ML]
    quotas = {(q.service, q.usage, q.per_user): q.figures() for q in ml.quotas if not q.scope()}

    assert quotas[("compute", False, False)] == {"cores": 64, "instances": 10, "ram": 262144}
    assert quotas[("compute", True, False)] == {"cores": 12, "instances": 3, "ram": 49152}
    assert quotas[("compute", False, True)] == {"cores": 8, "instances": 2}  # configured per-user limits
    assert quotas[("network", False, False)] == {"publicIps": 5, "networks": 10, "ports": 50, "securityGroups": 10,
                                                 "securityGroupRules": 100}  # fmt: skip
    assert quotas[("network", True, False)]["publicIps"] == 2
    assert quotas[("blockStorage", False, False)] == {"gigabytes": 1000, "perVolumeGigabytes": -1, "volumes": 20}
    assert quotas[("blockStorage", True, False)] == {"gigabytes": 120, "volumes": 3}
    # Cinder's per-volume-type keys: scoped quotas, except for a type unlimited (−1) on every figure
    scoped = {(q.volume_type, q.usage): q.figures() for q in ml.quotas if q.scope()}
    assert scoped == {
        ("ceph", False): {"gigabytes": 500, "volumes": 10},
        ("ceph", True): {"gigabytes": 100, "volumes": 2},
    }
    assert quotas[("objectStore", False, False)] == {"bytes": 10737418240}
    assert quotas[("objectStore", True, False)] == {"bytes": 1073741824, "containers": 3, "objects": 42}


def test_volume_types_with_qos_and_the_endpoints_of_the_catalog(clouds: LoopbackClouds) -> None:
    bundle = harvested(clouds)
    found = services(bundle)
    base = f"{clouds.base_url}/GPU"

    assert {v.name: v.qos for v in found["blockStorage"].volume_types} == {
        "ceph": "total_bytes_sec=104857600,total_iops_sec=1000", "__DEFAULT__": None
    }  # fmt: skip
    assert {s.kind: s.endpoint for s in bundle.provider.regions[0].services if s.kind != "objectStore"} == {
        "identity": f"{base}/identity/v3",
        "compute": f"{base}/RegionOne/compute/v2.1",
        "network": f"{base}/RegionOne/network",
        "blockStorage": f"{base}/RegionOne/volume/v3",  # the project id of the catalog URL is not part of it
    }
    assert {s.endpoint for s in bundle.provider.regions[0].services if s.kind == "objectStore"} == {
        f"{base}/RegionOne/object/v1", f"{base}/RegionOne/s3"
    }  # fmt: skip
    assert found["compute"].microversion == "2.88"


def test_an_oidc_access_token_is_exchanged_through_os_federation(clouds: LoopbackClouds) -> None:
    provider = openstack(clouds, "FED")
    oidc = {"method": "oidcAccessToken", "identityProvider": "infn-cc", "accessToken": {"env": "OIDC_TOKEN"}}
    for project in provider["projects"]:
        project["credentials"] = oidc
    feeder = config(provider)

    harvest = harvest_openstack(feeder, feeder.providers[0])  # type: ignore[arg-type]

    assert harvest.failures == []
    assert harvest.bundle is not None
    assert {p.uuid for p in harvest.bundle.provider.projects} == {ML, PHYSICS}


def test_refused_credentials_fail_the_harvest_with_a_safe_message(clouds: LoopbackClouds, monkeypatch: Any) -> None:
    monkeypatch.setenv("ML_SECRET", "wrong-secret")
    feeder = config(openstack(clouds, "GPU"))

    harvest = harvest_openstack(feeder, feeder.providers[0])  # type: ignore[arg-type]

    # the other project was read: a partial harvest whose projects are unknown (kept as stored)
    assert harvest.outcome == "partial"
    assert harvest.bundle is not None and harvest.bundle.provider.projects is None
    assert harvest.bundle.provider.regions  # what its readable project saw
    assert [f.part for f in harvest.failures] == [f"login to project {ML}"]
    assert "wrong-secret" not in str(harvest.failures[0])
    assert "http://" not in str(harvest.failures[0])


@pytest.mark.parametrize(("lifetime", "renewed"), [(3600, False), (100, True)])
def test_a_token_is_used_until_keystoneauth_would_renew_it(
    clouds: LoopbackClouds, lifetime: int, renewed: bool
) -> None:
    # given a cloud whose tokens live an hour, or less than keystoneauth's 120 s minimum (always "expiring")
    openstack(clouds, "GPU")
    clouds.clouds.clouds["GPU"]["tokenLifetime"] = lifetime

    # when it is harvested (two projects, dozens of API calls each)
    bundle = harvested(clouds)
    logins = clouds.clouds.hits[("GPU", "tokens")]
    calls = sum(n for (cloud, _), n in clouds.clouds.hits.items() if cloud == "GPU")

    # then an hour's token is got once per project and used for every call; a token keystoneauth holds
    # too close to expiry is renewed before each call (once: not twice), as asking keystoneauth every time did
    assert bundle.provider.name == "GPU"
    if renewed:
        assert logins == calls - logins + 2  # each call's token is a new one (the 2 first ones unused)
    else:
        assert logins == 2 and calls - logins >= 20
