"""`node(id:)`: any record by its id, seen exactly as the typed lookup of its type would show it."""

from __future__ import annotations

import httpx

from resolvers.federation_file import FederationFile
from tests.conftest import Issuer
from tests.graphql_client import ask

# The root list and the typed lookup of every kind (a quota's lookup is `quota`, of whatever kind).
LOOKUPS = {
    "providers": "provider", "regions": "region", "locations": "location",
    "identityProviders": "identityProvider", "userGroups": "userGroupById", "slas": "sla", "projects": "project",
    "computeServices": "computeService", "blockStorageServices": "blockStorageService",
    "networkServices": "networkService", "objectStoreServices": "objectStoreService",
    "identityServices": "identityService", "flavors": "flavor", "images": "image", "networks": "network",
    "volumeTypes": "volumeType", "quotas": "quota",
}  # fmt: skip
IDS = "{{ {name}(first: 100) {{ nodes {{ id }} }} }}"
# Ids asked per request: two aliases each, within the registry's limit of 30 aliases.
PER_REQUEST = 14


def both(pairs: list[tuple[str, str]]) -> str:
    """One request asking `node(id:)` and the typed lookup for each (lookup, id) pair."""
    variables = ", ".join(f"$i{n}: ID!" for n in range(len(pairs)))
    fields = " ".join(
        f"n{n}: node(id: $i{n}) {{ __typename id }} t{n}: {lookup}(id: $i{n}) {{ __typename id }}"
        for n, (lookup, _) in enumerate(pairs)
    )
    return f"query({variables}) {{ {fields} }}"


async def test_node_shows_what_the_typed_lookup_shows_to_every_caller(
    example_federation: FederationFile, client: httpx.AsyncClient, issuer: Issuer
) -> None:
    ids = {
        name: [n["id"] for n in (await ask(client, IDS.format(name=name), token=issuer.admin)).data[name]["nodes"]]
        for name in LOOKUPS
    }
    callers = {
        "anonymous": None,
        "ml-infn": issuer.token("ml-infn"),
        "biomed at EGI": issuer.token("biomed", realm="egi"),
        "administrator": issuer.admin,
    }
    seen = {who: 0 for who in callers}
    hidden = {who: 0 for who in callers}
    pairs = [(lookup, id_) for name, lookup in LOOKUPS.items() for id_ in ids[name]]
    assert all(ids.values()), "the example federation has a record of every kind"

    for start in range(0, len(pairs), PER_REQUEST):
        chunk = pairs[start : start + PER_REQUEST]
        variables = {f"i{n}": id_ for n, (_, id_) in enumerate(chunk)}
        for who, token in callers.items():
            answer = (await ask(client, both(chunk), variables, token=token)).data
            for n, (lookup, id_) in enumerate(chunk):
                assert answer[f"n{n}"] == answer[f"t{n}"], (who, lookup, id_)
                seen[who] += answer[f"n{n}"] is not None
                hidden[who] += answer[f"n{n}"] is None

    # The comparison means something: some records are hidden from some callers, none from the administrator.
    assert hidden["administrator"] == 0
    assert hidden["anonymous"] > hidden["ml-infn"] > 0
    assert hidden["biomed at EGI"] > 0
    assert seen["anonymous"] > 0


async def test_an_unknown_id_is_null_and_fragments_select_by_type(
    example_federation: FederationFile, client: httpx.AsyncClient, issuer: Issuer
) -> None:
    some = (await ask(client, "{ flavors(where: {gpusMin: 1}, first: 1) { nodes { id name gpus } } }")).data
    flavor = some["flavors"]["nodes"][0]
    query = "query($id: ID!) { node(id: $id) { id ... on Flavor { name gpus } ... on Provider { type } } }"

    found = await ask(client, query, {"id": flavor["id"]})
    missing = await ask(client, query, {"id": "no-such-id"}, token=issuer.admin)

    assert found.data == {"node": flavor}
    assert missing.data == {"node": None}
