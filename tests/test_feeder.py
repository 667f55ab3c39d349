"""`registry load`: a federation file is validated field by field, refused when it lists something twice, and
written one idempotent transaction per provider."""

from __future__ import annotations

import re
import socket
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from registry.cli import main
from registry.feeder import FederationFileError, load_federation, read_federation
from registry.settings import get_settings
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
        # When the source last confirmed it, and when a harvest last tried and succeeded: they move on
        # every load or harvest without the data changing.
        for moving in ("updatedAt", "harvestLastAttemptAt", "harvestLastSuccessAt"):
            row["props"].pop(moving, None)
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
    # one row per node: placement's example added a compute service, its flavor and a quota
    assert len(first) == 185


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


async def test_a_constraint_violation_midway_leaves_that_provider_as_it_was(database: Database) -> None:
    # given a stray region that claims CLOUD-CNAF's RegionOne key
    federation = read_federation(EXAMPLE_FEDERATION)
    await replace_graph(database, FederationFile())
    cnaf = stable_uid("Provider", "CLOUD-CNAF", "openstack")
    await database.write(
        [("CREATE (:Region {uid: 'stray', name: 'RegionOne', naturalKey: $key})", {"key": f"{cnaf}/RegionOne"})]
    )

    # when the federation is loaded (a transaction per provider), Neo4j refuses the duplicate region
    # (a conflict naming the key) ...
    with pytest.raises(Conflict, match=r"a Region with `naturalKey` = .* already exists"):
        await load_federation(database, federation)

    # ... and nothing of CLOUD-CNAF (the first provider) nor of the providers after it was written
    assert await database.read("MATCH (p:Provider) RETURN p", {}) == []
    assert await database.read("MATCH (r:Region) RETURN r.uid AS uid", {}) == [{"uid": "stray"}]
    assert await database.read("MATCH (f:Flavor) RETURN f", {}) == []


async def test_each_provider_is_its_own_transaction(database: Database) -> None:
    # given the second provider of the file clashes with a stray region, the first one lands
    federation = read_federation(EXAMPLE_FEDERATION)
    await replace_graph(database, FederationFile())
    second = federation.providers[1]
    uid = stable_uid("Provider", second.name, second.type)
    key = f"{uid}/{second.regions[0].name}"
    await database.write([("CREATE (:Region {uid: 'stray', name: 'x', naturalKey: $key})", {"key": key})])

    with pytest.raises(Conflict):
        await load_federation(database, federation)

    names = await database.read("MATCH (p:Provider) RETURN p.name AS name", {})
    assert names == [{"name": federation.providers[0].name}]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["providers"][0]["regions"][0]["services"][0]["flavors"].append({"uuid": "f1", "name": "again"}),
         "providers.0.regions.0.services.0.flavors.1: flavor 'f1' is already at "
         "providers.0.regions.0.services.0.flavors.0"),
        (lambda d: d["providers"].append(dict(d["providers"][0])),
         "providers.1: provider 'P' is already at providers.0"),
        (lambda d: d["providers"][0]["regions"].append({"name": "r"}),
         "providers.0.regions.1: region 'r' is already at providers.0.regions.0"),
        (lambda d: d["providers"][0].update(projects=[{"uuid": "p", "name": "a"}, {"uuid": "p", "name": "b"}]),
         "providers.0.projects.1: project 'p' is already at providers.0.projects.0"),
    ],
)  # fmt: skip
def test_duplicates_are_refused_naming_both_places(tmp_path: Path, edit: Any, message: str) -> None:
    data = minimal()
    edit(data)

    with pytest.raises(FederationFileError, match=re.escape(message)):
        read_federation(write(tmp_path, data))


def test_a_yaml_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "federation.yaml"
    path.write_text("providers:\n  - name: P\n    type: openstack\n   regions: []\n")

    with pytest.raises(FederationFileError, match=rf"^{re.escape(str(path))}:4:4: "):
        read_federation(path)


def test_yaml_is_read_with_the_c_loader_when_pyyaml_has_it() -> None:
    from registry.feeder import federation_file

    assert federation_file._LOADER is getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    assert hasattr(yaml, "CSafeLoader")  # the wheel ships libyaml: big federations load several times faster


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


DEMO_PROVIDERS = EXAMPLE_FEDERATION.parent / "feeder" / "providers.yaml"


@pytest.mark.parametrize("command", [["load", str(EXAMPLE_FEDERATION)], ["feed", str(DEMO_PROVIDERS)]])
def test_without_a_neo4j_the_commands_say_so_and_where_they_looked(
    command: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        uri = f"bolt://127.0.0.1:{probe.getsockname()[1]}"
    monkeypatch.setenv("NEO4J_URI", uri)
    get_settings.cache_clear()
    try:
        status = main(command)
    finally:
        get_settings.cache_clear()

    assert status == 3  # 3: the database, not the input (2) nor a provider (1)
    assert f"no Neo4j answers at {uri}: start one (`registry neo4j start`" in capsys.readouterr().err


@given(st.lists(st.text(), max_size=4))
def test_stable_ids_are_the_uuid5_of_their_parts(parts: list[str]) -> None:
    # ids already stored were made by uuid.uuid5: the faster derivation must give the very same ones
    from resolvers.federation_graph import _NAMESPACE

    try:
        expected = str(uuid.uuid5(_NAMESPACE, "\x1f".join(parts)))
    except UnicodeEncodeError:  # a lone surrogate: neither derivation takes it
        with pytest.raises(UnicodeEncodeError):
            stable_uid(*parts)
        return
    assert stable_uid(*parts) == expected
