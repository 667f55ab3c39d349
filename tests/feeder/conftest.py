"""Fixtures of the feeder's tests: loopback clouds answering from tests/feeder/fixtures and
examples/feeder/clouds, and provider configurations pointing at them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from registry.feeder.config import FeederConfig
from registry.feeder.loopback_clouds import Clouds, LoopbackClouds

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEMO = Path(__file__).resolve().parents[2] / "examples" / "feeder"
ML = "aaaa0000000000000000000000000001"
PHYSICS = "bbbb0000000000000000000000000002"
SLA = "5e1a0000-0000-4000-8000-000000000001"
IAM = "https://iam.cloud.infn.it/"  # the identity provider of the test issuer's realm `infn`


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return data


@pytest.fixture
def clouds() -> Iterator[LoopbackClouds]:
    """A fresh server per test (faults and tokens do not leak between tests)."""
    with LoopbackClouds(Clouds()) as server:
        yield server


@pytest.fixture
def secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ML_SECRET", "ml-secret")
    monkeypatch.setenv("FEEDER_PASSWORD", "feeder-password")
    monkeypatch.setenv("OIDC_TOKEN", "oidc-access-token")
    monkeypatch.setenv("K8S_TOKEN", "demo-kubernetes-reader-token")


def identity() -> list[dict[str, Any]]:
    sla = {"docUuid": SLA, "startDate": "2024-01-01", "endDate": "2035-12-31"}
    return [{"endpoint": IAM, "groupClaim": "groups", "userGroups": [{"name": "gpu-users", "slas": [sla]}]}]


def openstack(server: LoopbackClouds, name: str, cloud: str = "", **extra: Any) -> dict[str, Any]:
    """An OpenStack provider of the fixture `gpu-cloud` served as `cloud` (default: the provider's name):
    project ml by application credential, physics by password."""
    if cloud or name not in server.clouds.clouds:
        server.clouds.add(cloud or name, fixture("gpu-cloud"))
    return {
        "name": name,
        "type": "openstack",
        "authUrl": f"{server.base_url}/{cloud or name}/identity/v3",
        "timeout": 20,
        "regions": [{"name": "RegionOne", "location": {"site": f"{name}-site", "country": "IT"}}],
        "identityProviders": [{"endpoint": IAM, "idpName": "infn-cc"}],
        "imageTags": ["infn-cloud"],
        "projects": [
            {"id": ML, "sla": SLA, "credentials": {"method": "applicationCredential", "id": "ml-app",
                                                   "secret": {"env": "ML_SECRET"}},
             "defaultPrivateNetwork": "ml-net", "privateNetworkProxy": {"host": "bastion.test", "user": "ml"},
             "perUserLimits": {"compute": {"cores": 8, "instances": 2}}},
            {"id": PHYSICS, "sla": SLA, "credentials": {"method": "password", "username": "feeder",
                                                        "password": {"env": "FEEDER_PASSWORD"}}},
        ],
        **extra,
    }  # fmt: skip


def kubernetes(server: LoopbackClouds, name: str = "K8S") -> dict[str, Any]:
    server.clouds.add(name, json.loads((DEMO / "clouds" / "INFN-K8S-CT.json").read_text()))
    return {
        "name": name,
        "type": "kubernetes",
        "apiServer": f"{server.base_url}/{name}/k8s",
        "token": {"env": "K8S_TOKEN"},
        "timeout": 20,
        "regions": [{"name": "cluster", "location": {"site": "k8s-site", "country": "IT"}}],
        "identityProviders": [{"endpoint": IAM, "idpName": "infn-cc", "audience": "kubernetes"}],
        "namespaces": [{"name": "kube-users", "project": "k8s-project-1", "sla": SLA}],
    }


def config(*providers: dict[str, Any]) -> FeederConfig:
    return FeederConfig.model_validate({"identityProviders": identity(), "providers": list(providers)})
