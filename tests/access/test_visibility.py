"""A caller sees the shared catalogue and their own groups' data; of other groups, nothing at all."""

from __future__ import annotations

from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resolvers.db import Database
from resolvers.federation_file import FederationFile
from tests.conftest import Issuer, replace_graph
from tests.federations import EGI, GROUP_NAMES, INFN, entitled, everything, shared_federations
from tests.graphql_client import ask

GROUP = """query($name: String!, $issuer: String!) { userGroup(name: $name, issuer: $issuer) {
  name slas { docUuid projects { uuid } } deploymentTargets { region { name } } } }"""

EVERYTHING = """{
  userGroups(first: 100) { totalCount nodes { name identityProvider { endpoint } } }
  slas(first: 100) { totalCount nodes { docUuid } }
  projects(first: 100) { totalCount nodes { uuid quotas { id } } }
  quotas(first: 100) { totalCount nodes { project { uuid } } }
  flavors(first: 100) { nodes { uuid isShared usableBy { uuid } } }
  images(first: 100) { nodes { uuid isShared usableBy { uuid } } }
  networks(first: 100) { nodes { uuid isShared usableBy { uuid } } }
  providers(first: 100) { totalCount nodes { projects { uuid slas { docUuid userGroup { name } } } } }
}"""


async def test_a_member_of_another_group_learns_nothing_of_it(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    member = issuer.token("ml-infn")
    variables = {"name": "vo.access.egi.eu", "issuer": EGI}

    other_group = await ask(client, GROUP, variables, token=member)
    no_such_group = await ask(client, GROUP, {"name": "vo.nowhere", "issuer": EGI}, token=member)
    own_group = await ask(client, GROUP, {"name": "ml-infn", "issuer": INFN}, token=member)

    assert other_group.data == no_such_group.data == {"userGroup": None}
    assert [s["docUuid"] for s in own_group.data["userGroup"]["slas"]] == [
        "7ad43319-5970-4293-b5a3-dd8c92bc47ae",
        "0fcbd87d-5be9-4406-aa11-f19c61015234",
    ]


async def test_the_same_group_name_at_another_issuer_is_another_group(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    # a token of the EGI realm listing "ml-infn" does not make its bearer a member of INFN's ml-infn
    token = issuer.token("ml-infn", realm="egi")

    answer = await ask(client, GROUP, {"name": "ml-infn", "issuer": INFN}, token=token)

    assert answer.data == {"userGroup": None}


async def test_egi_entitlements_are_read_through_the_group_pattern(
    client: httpx.AsyncClient, example_federation: FederationFile, issuer: Issuer
) -> None:
    token = issuer.token("biomed", realm="egi")  # urn:mace:egi.eu:group:biomed:role=member#aai.egi.eu

    answer = await ask(client, "{ userGroups { nodes { name } } projects { totalCount } }", token=token)

    assert answer.data == {"userGroups": {"nodes": [{"name": "biomed"}]}, "projects": {"totalCount": 2}}


async def test_anonymous_callers_see_the_public_catalogue_only(
    client: httpx.AsyncClient, example_federation: FederationFile
) -> None:
    answer = await ask(client, EVERYTHING.replace("quotas { id }", ""))

    data = answer.data
    assert data["providers"]["totalCount"] == 5
    assert [data[k]["totalCount"] for k in ("userGroups", "slas", "projects", "quotas")] == [0, 0, 0, 0]
    assert data["flavors"]["nodes"] and all(f["isShared"] and f["usableBy"] == [] for f in data["flavors"]["nodes"])
    assert all(i["isShared"] for i in data["images"]["nodes"])
    assert data["networks"]["nodes"] == []
    assert all(p["projects"] == [] for p in data["providers"]["nodes"])


async def test_anonymous_reads_can_be_switched_off(settings: Any) -> None:
    from registry.app import create_app

    app = create_app(settings.model_copy(update={"anonymous_read": False}))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        response = await http.post("/graphql", json={"query": "{ providers { totalCount } }"})

    assert response.status_code == 401
    assert response.json()["errors"][0]["message"] == "UNAUTHENTICATED: a bearer token is required"


def _seen(data: dict[str, Any]) -> dict[str, set[str]]:
    """What a response revealed of group-owned data, wherever in the graph it came from."""
    groups = {f"{g['identityProvider']['endpoint']} {g['name']}" for g in data["userGroups"]["nodes"]}
    slas = {s["docUuid"] for s in data["slas"]["nodes"]}
    projects = {p["uuid"] for p in data["projects"]["nodes"]}
    projects |= {q["project"]["uuid"] for q in data["quotas"]["nodes"]}
    private = set()
    for kind in ("flavors", "images", "networks"):
        for resource in data[kind]["nodes"]:
            projects |= {p["uuid"] for p in resource["usableBy"]}
            if not resource["isShared"]:
                private.add(resource["uuid"])
    for provider in data["providers"]["nodes"]:
        for project in provider["projects"]:
            projects.add(project["uuid"])
            slas |= {s["docUuid"] for s in project["slas"]}
    return {"groups": groups, "slas": slas, "projects": projects, "private": private}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    federation=shared_federations(),
    realm=st.sampled_from(["infn", "egi"]),
    groups=st.lists(st.sampled_from([*GROUP_NAMES, "vo.ghost"]), unique=True, max_size=3),
)
async def test_every_answer_holds_only_what_the_caller_is_entitled_to(
    federation: FederationFile,
    realm: str,
    groups: list[str],
    database: Database,
    client: httpx.AsyncClient,
    issuer: Issuer,
) -> None:
    # given any federation shared out between groups of two issuers
    await replace_graph(database, federation)

    # when a member of some groups (some of which may not exist) and an administrator look at all of it
    member = _seen((await ask(client, EVERYTHING, token=issuer.token(*groups, realm=realm))).data)
    admin = _seen((await ask(client, EVERYTHING, token=issuer.admin)).data)

    # then the member saw exactly their groups' data — projects only those their SLAs cover — and
    # private resources only those linked to such projects; the administrator saw everything
    allowed = entitled(federation, INFN if realm == "infn" else EGI, set(groups))
    assert member["groups"] == allowed["groups"]
    assert member["slas"] == allowed["slas"]
    assert member["projects"] == allowed["projects"]
    assert member["private"] == allowed["private"]
    assert admin == everything(federation)
