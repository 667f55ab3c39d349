"""The orchestrator's typed client (examples/clients/orchestrator): equal to what ariadne-codegen makes
from today's SDL and example queries, and answering the matchmaking question from a running registry."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from registry.app import create_app
from registry.settings import Settings
from resolvers.db import Database
from resolvers.federation_file import FederationFile
from tests.conftest import PROJECT, Issuer
from tests.graphql_client import ask, example

CLIENT_HOME = PROJECT / "examples" / "clients" / "orchestrator"
GENERATED = CLIENT_HOME / "registry_client"
CODEGEN = PROJECT / ".venv-codegen" / "bin" / "ariadne-codegen"


def test_the_generated_client_is_current(tmp_path: Path) -> None:
    if not CODEGEN.exists():
        pytest.fail("ariadne-codegen is missing: `make test` installs it (.venv-codegen)")
    config = (CLIENT_HOME / "ariadne-codegen.toml").read_text()
    config = config.replace('"../../../schema/', f'"{PROJECT}/schema/').replace(
        '"../../queries"', f'"{PROJECT}/examples/queries"'
    )
    config = config.replace('target_package_path = "."', f'target_package_path = "{tmp_path}"')
    (tmp_path / "config.toml").write_text(config)

    run = subprocess.run(
        [CODEGEN, "--config", "config.toml"], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )

    assert run.returncode == 0, run.stderr
    fresh = tmp_path / "registry_client"
    comparison = filecmp.dircmp(fresh, GENERATED, ignore=["__pycache__"])
    stale = comparison.left_only + comparison.right_only + comparison.diff_files
    assert not stale, f"examples/clients/orchestrator/registry_client is not current ({stale}): run `make client`"
    assert comparison.common_files


@pytest.fixture(scope="module")
def placement() -> Iterator[ModuleType]:
    sys.path.insert(0, str(CLIENT_HOME))
    try:
        import placement as module

        yield module
    finally:
        sys.path.remove(str(CLIENT_HOME))


@pytest.fixture(scope="module")
async def registry_app(settings: Settings, database: Database) -> AsyncIterator[Any]:
    # After `database`: two apps applying the constraints at once race in Neo4j.
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


async def test_the_client_answers_the_matchmaking_question(
    placement: ModuleType,
    registry_app: Any,
    issuer: Issuer,
    client: httpx.AsyncClient,
    example_federation: FederationFile,
) -> None:
    token = issuer.token("ml-infn")
    query, variables = example("1-matchmaking")
    raw = await ask(client, query, variables, token=token)
    transport = httpx.ASGITransport(app=registry_app)
    async with httpx.AsyncClient(transport=transport, headers={"Authorization": f"Bearer {token}"}) as http:
        typed = placement.RegistryClient(url="http://registry.test/graphql", http_client=http)

        answer = await typed.matchmaking(group="ml-infn", issuer=variables["issuer"], min_gpus=variables["minGpus"])
        rows = await placement.placements(typed, "ml-infn", variables["issuer"], 1)

    assert answer.model_dump(by_alias=True, mode="json") == raw.data
    assert rows, "ml-infn may use GPU flavors in the example federation"
    assert all(row.gpus >= 1 for row in rows)
    expected = {
        (sla["docUuid"], project["provider"]["name"], place["region"]["name"], flavor["name"])
        for sla in raw.data["userGroup"]["slas"]
        for project in sla["projects"]
        for place in project["regions"]
        for compute in place["computeServices"]
        for flavor in compute["flavors"]
    }
    assert {(r.sla, r.provider, r.region, r.flavor) for r in rows} == expected


async def test_the_client_says_when_the_token_does_not_list_the_group(
    placement: ModuleType, registry_app: Any, issuer: Issuer, example_federation: FederationFile
) -> None:
    transport = httpx.ASGITransport(app=registry_app)
    other = {"Authorization": f"Bearer {issuer.token('kube/users')}"}
    async with httpx.AsyncClient(transport=transport, headers=other) as http:
        typed = placement.RegistryClient(url="http://registry.test/graphql", http_client=http)

        with pytest.raises(LookupError, match="no user group 'ml-infn'"):
            await placement.placements(typed, "ml-infn", "https://iam.cloud.infn.it/", 1)
