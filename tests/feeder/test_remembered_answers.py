"""The benchmark's clouds (`LoopbackClouds(remember=True)`) answer a repeated read with the bytes they
sent the first time, per credentials; what may differ (another project, another microversion, a bad
token, a cloud with faults, a login) is answered anew."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from registry.feeder.loopback_clouds import Clouds, LoopbackClouds
from registry.feeder.openstack import harvest_openstack
from tests.feeder.conftest import ML, PHYSICS, config, fixture, openstack

pytestmark = pytest.mark.usefixtures("secrets")


@pytest.fixture
def remembering() -> Iterator[LoopbackClouds]:
    with LoopbackClouds(Clouds(), remember=True) as server:
        server.clouds.add("GPU", fixture("gpu-cloud"))
        yield server


def _login(server: LoopbackClouds, auth: dict[str, Any]) -> str:
    answer = httpx.post(f"{server.base_url}/GPU/identity/v3/auth/tokens", json={"auth": auth})
    assert answer.status_code == 201
    return answer.headers["x-subject-token"]


def _ml(server: LoopbackClouds) -> str:
    return _login(
        server, {"identity": {"methods": ["application_credential"],
                              "application_credential": {"id": "ml-app", "secret": "ml-secret"}}},
    )  # fmt: skip


def _physics(server: LoopbackClouds) -> str:
    user = {"name": "feeder", "password": "feeder-password", "domain": {"name": "Default"}}
    return _login(
        server,
        {"identity": {"methods": ["password"], "password": {"user": user}}, "scope": {"project": {"id": PHYSICS}}},
    )


def _flavors(server: LoopbackClouds, token: str, microversion: str = "2.61") -> httpx.Response:
    return httpx.get(
        f"{server.base_url}/GPU/RegionOne/compute/v2.1/flavors/detail",
        headers={"X-Auth-Token": token, "OpenStack-API-Version": f"compute {microversion}"},
    )


def _same(a: httpx.Response, b: httpx.Response) -> bool:
    def headers(r: httpx.Response) -> list[tuple[str, str]]:
        return [(k, v) for k, v in r.headers.multi_items() if k != "date"]

    return a.status_code == b.status_code and a.content == b.content and headers(a) == headers(b)


def test_a_repeated_read_is_answered_with_the_same_bytes_without_being_served_again(
    remembering: LoopbackClouds,
) -> None:
    hits = remembering.clouds.hits
    first = _flavors(remembering, _ml(remembering))
    assert first.status_code == 200 and hits[("GPU", "flavors")] == 1
    again = _flavors(remembering, _ml(remembering))  # another login, the same credentials
    assert _same(first, again)
    assert hits[("GPU", "flavors")] == 1
    assert hits[("GPU", "tokens")] == 2  # logins are always answered anew


def test_what_may_answer_otherwise_is_served_anew(remembering: LoopbackClouds) -> None:
    hits = remembering.clouds.hits
    ml = _ml(remembering)
    inline = _flavors(remembering, ml)
    older = _flavors(remembering, ml, microversion="2.60")  # another microversion: no extra specs inline
    assert "extra_specs" in inline.text and "extra_specs" not in older.text
    physics = _flavors(remembering, _physics(remembering))  # another project sees other private flavors
    assert physics.json() != inline.json()
    assert hits[("GPU", "flavors")] == 3
    for _ in range(2):  # a refusal is not remembered
        assert _flavors(remembering, "not-a-token").status_code == 401
    assert hits[("GPU", "flavors")] == 5
    remembering.clouds.clouds["GPU"]["faults"] = {"delay": 0}  # a cloud with faults answers anew
    _flavors(remembering, ml)
    _flavors(remembering, ml)
    assert hits[("GPU", "flavors")] == 7


def test_a_harvest_reads_the_same_from_remembered_answers() -> None:
    bundles, port = [], 0
    for remember in (False, True):
        with LoopbackClouds(Clouds(), port=port, remember=remember) as server:  # the same port: the same URLs
            port = int(server.base_url.rsplit(":", 1)[1])
            feeder = config(openstack(server, "GPU"))
            for _ in range(2):  # with `remember`, the second harvest is answered from memory
                harvest = harvest_openstack(feeder, feeder.providers[0])  # type: ignore[arg-type]
                assert harvest.failures == [] and harvest.bundle is not None
                bundles.append(harvest.bundle.model_dump(exclude={"provider": {"harvest"}}))
            if remember:
                assert server.clouds.hits[("GPU", "flavors")] == 2  # once per project, in the first harvest
    assert bundles[0] == bundles[1] == bundles[2] == bundles[3]
    assert {p["uuid"] for p in bundles[0]["provider"]["projects"]} == {ML, PHYSICS}
