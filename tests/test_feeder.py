"""The feeder: a federation file is validated field by field and written in one idempotent transaction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from registry.cli import main
from registry.feeder import FederationFileError, load_federation, read_federation
from resolvers.db import Database
from resolvers.errors import BundleError, Conflict
from resolvers.federation_file import FederationFile
from resolvers.federation_graph import stable_uid
from tests.conftest import EXAMPLE_FEDERATION, replace_graph

DUMP = """MATCH (n) OPTIONAL MATCH (n)-[r]->(m)
RETURN n.uid AS uid, labels(n) AS labels, properties(n) AS props,
       collect([type(r), m.uid, properties(r)]) AS edges ORDER BY uid"""


async def dump(database: Database) -> list[dict[str, Any]]:
    rows = await database.read(DUMP, {})
    for row in rows:
        row["props"].pop("updatedAt", None)  # when the source last confirmed it: moves on every load
        row["labels"] = sorted(row["labels"])
        row["edges"] = sorted(map(str, row["edges"]))
    return rows


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "federation.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def minimal(**flavor: Any) -> dict[str, Any]:
    return {"providers": [{"name": "P", "type": "openstack", "regions": [{"name": "r", "services": [
        {"kind": "compute", "endpoint": "https://nova.test", "name": "org.openstack.nova",
         "flavors": [{"uuid": "f1", "name": "small", **flavor}]}]}]}]}  # fmt: skip


async def test_loading_the_same_file_twice_changes_nothing(database: Database) -> None:
    federation = read_federation(EXAMPLE_FEDERATION)
    await replace_graph(database, federation)
    first = await dump(database)

    await load_federation(database, federation)

    assert await dump(database) == first
    assert len(first) == 182


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"gpus": 0, "gpuModel": "A100"}, "gpuModel and gpuVendor must be empty when gpus is 0"),
        ({"vcpus": -2}, "providers.0.regions.0.services.0.flavors.0.vcpus: Input should be greater than or equal to 0"),
        ({"colour": "red"}, "providers.0.regions.0.services.0.flavors.0.colour: Extra inputs are not permitted"),
    ],
)
def test_bad_flavors_are_refused_with_their_path(tmp_path: Path, change: dict[str, Any], message: str) -> None:
    with pytest.raises(FederationFileError, match=message):
        read_federation(write(tmp_path, minimal(**change)))


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["providers"][0]["regions"][0].update(location={"site": "s", "country": "Atlantis"}),
         "location.country: Value error, 'Atlantis' is not an ISO 3166 country name or code"),
        (lambda d: d["providers"][0]["regions"][0]["services"][0].update(endpoint="nova"),
         "services.0.endpoint: Input should be a valid URL"),
        (lambda d: d["providers"][0].update(projects=[{"uuid": "p", "name": "p", "quotas": [
            {"region": "r", "service": "compute", "cores": -5}]}]),
         "quotas.0.cores: Input should be greater than or equal to -1"),
        (lambda d: d["providers"][0].update(projects=[{"uuid": "p", "name": "p", "quotas": [
            {"region": "r", "service": "compute", "ports": 5}]}]),
         "ports is not a figure of a compute quota"),
        (lambda d: d.update(identityProviders=[{"endpoint": "https://iam.test/", "groupClaim": "groups", "userGroups": [
            {"name": "g", "slas": [{"docUuid": "s", "startDate": "2025-01-01", "endDate": "2024-01-01"}]}]}]),
         "startDate must be before endDate"),
        (lambda d: d["providers"][0]["regions"][0].update(location={"site": "s", "country": "IT", "latitude": 91}),
         "location.latitude: Input should be less than or equal to 90"),
    ],
)  # fmt: skip
def test_bad_fields_are_refused_with_their_path(tmp_path: Path, edit: Any, message: str) -> None:
    data = minimal()
    edit(data)
    with pytest.raises(FederationFileError, match=message):
        read_federation(write(tmp_path, data))


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["providers"][0].update(projects=[{"uuid": "p", "name": "p", "privateFlavors": ["nope"]}]),
         "project p at P: no flavor 'nope'"),
        (lambda d: d["providers"][0].update(projects=[{"uuid": "p", "name": "p", "quotas": [
            {"region": "elsewhere", "service": "compute"}]}]),
         "quota on compute in region 'elsewhere' matches 0 services"),
        (lambda d: d["providers"][0].update(trusts=[{"issuer": "https://unknown.test/", "idpName": "x"}]),
         "trusts unknown issuer"),
    ],
)  # fmt: skip
async def test_dangling_references_are_refused_before_anything_is_written(
    tmp_path: Path, database: Database, edit: Any, message: str
) -> None:
    data = minimal()
    edit(data)
    federation = read_federation(write(tmp_path, data))
    await replace_graph(database, FederationFile())

    with pytest.raises(BundleError, match=message):
        await load_federation(database, federation)

    assert await dump(database) == []


async def test_a_constraint_violation_midway_leaves_the_graph_as_it_was(database: Database) -> None:
    # given the example federation, and a stray region that claims CLOUD-CNAF's RegionOne key
    federation = read_federation(EXAMPLE_FEDERATION)
    await replace_graph(database, FederationFile())
    cnaf = stable_uid("Provider", "CLOUD-CNAF", "openstack")
    await database.write(
        [("CREATE (:Region {uid: 'stray', name: 'RegionOne', naturalKey: $key})", {"key": f"{cnaf}/RegionOne"})]
    )
    before = await dump(database)

    # when the federation is loaded, Neo4j refuses the duplicate region (a conflict naming the key) ...
    with pytest.raises(Conflict, match=r"a Region with `naturalKey` = .* already exists"):
        await load_federation(database, federation)

    # ... and nothing of the federation was written
    assert await dump(database) == before


async def test_neo4j_itself_refuses_a_second_provider_with_the_same_name_and_type(database: Database) -> None:
    await replace_graph(database, FederationFile())
    create = "CREATE (:Provider {uid: $uid, name: 'P', type: 'openstack', status: 'active'})"
    await database.write([(create, {"uid": "one"})])

    with pytest.raises(Conflict, match=r"a Provider with .* already exists"):
        await database.write([(create, {"uid": "two"})])


def test_the_load_command_reports_a_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, minimal(gpus=0, gpuVendor="NVIDIA"))

    assert main(["load", str(path)]) == 2

    assert "gpuModel and gpuVendor must be empty when gpus is 0" in capsys.readouterr().err
