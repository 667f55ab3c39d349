"""Property: what the registry says a project may use is exactly what the rule says, on any federation."""

from __future__ import annotations

from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings

from resolvers.db import Database
from resolvers.federation_file import FederationFile
from tests.conftest import Issuer, replace_graph
from tests.federations import federations, may_use
from tests.graphql_client import ask

PROJECTS = """{ projects(first: 100) { nodes { uuid
  flavors { uuid isShared computeServices { region { name } } }
  images { uuid isShared computeServices { region { name } } }
  networks { uuid isShared networkService { region { name } } }
  regions { region { name }
    computeServices { flavors { uuid } images { uuid } }
    networkServices { networks { uuid } } }
} } }"""


def _flat(rows: list[dict[str, Any]], via: str) -> set[tuple[str, str]]:
    out = set()
    for row in rows:
        services = row[via] if isinstance(row[via], list) else [row[via]]
        out |= {(s["region"]["name"], row["uuid"]) for s in services}
    return out


def _per_region(regions: list[dict[str, Any]]) -> dict[str, set[tuple[str, str]]]:
    """(region name, uuid) of what a project's `regions` say it may use on each service there."""
    return {
        "flavors": {(r["region"]["name"], f["uuid"]) for r in regions
                    for s in r["computeServices"] for f in s["flavors"]},
        "images": {(r["region"]["name"], i["uuid"]) for r in regions
                   for s in r["computeServices"] for i in s["images"]},
        "networks": {(r["region"]["name"], n["uuid"]) for r in regions
                     for s in r["networkServices"] for n in s["networks"]},
    }  # fmt: skip


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(federation=federations())
async def test_a_project_may_use_exactly_what_the_rule_allows(
    federation: FederationFile, database: Database, client: httpx.AsyncClient, issuer: Issuer
) -> None:
    # given any federation
    await replace_graph(database, federation)

    # when every project is asked what it may use, across the provider and per region and service
    answer = await ask(client, PROJECTS, token=issuer.admin)

    # then both views equal the rule, and no project ever sees another project's private resource
    by_uuid = {n["uuid"]: n for n in answer.data["projects"]["nodes"]}
    for provider in federation.providers:
        for project in provider.projects:
            expected = may_use(provider, project)
            node = by_uuid[project.uuid]
            assert _flat(node["flavors"], "computeServices") == expected["flavors"]
            assert _flat(node["images"], "computeServices") == expected["images"]
            assert _flat(node["networks"], "networkService") == expected["networks"]
            assert _per_region(node["regions"]) == expected
            own_private = set(project.private_flavors) | set(project.private_images) | set(project.private_networks)
            for kind in ("flavors", "images", "networks"):
                for resource in node[kind]:
                    assert resource["isShared"] or resource["uuid"] in own_private


PROVIDERS = "{ providers(first: 100) { nodes { id name } } }"
# From one provider, every read nested in its parent's rows (`resolvers/walks/nested.py`): a service's row
# carries whether the project holds a limit quota on it, and what the project may use there reads that.
PROVIDER_PROJECTS = """query ($id: ID!) { provider(id: $id) { projects { uuid
  regions { region { name }
    computeServices { flavors { uuid } images { uuid } }
    networkServices { networks { uuid } } }
} } }"""


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(federation=federations())
async def test_a_project_reached_from_its_provider_may_use_exactly_what_the_rule_allows(
    federation: FederationFile, database: Database, client: httpx.AsyncClient, issuer: Issuer
) -> None:
    # given any federation
    await replace_graph(database, federation)
    ids = {n["name"]: n["id"] for n in (await ask(client, PROVIDERS, token=issuer.admin)).data["providers"]["nodes"]}

    for provider in federation.providers:
        # when each provider's projects are asked, per region and service, what they may use
        answer = await ask(client, PROVIDER_PROJECTS, {"id": ids[provider.name]}, token=issuer.admin)

        # then each equals the rule
        by_uuid = {n["uuid"]: n for n in answer.data["provider"]["projects"]}
        for project in provider.projects:
            assert _per_region(by_uuid[project.uuid]["regions"]) == may_use(provider, project), project.uuid
