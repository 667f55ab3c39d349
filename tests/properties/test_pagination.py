"""Property: walking every page of a list gives each node once, in order, and matches totalCount."""

from __future__ import annotations

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resolvers.db import Database
from resolvers.federation_file import FederationFile
from tests.conftest import Issuer, replace_graph
from tests.graphql_client import ask

PAGE = """query($first: Int!, $after: String, $field: FlavorSortField!, $direction: SortDirection!, $min: Int) {
  flavors(first: $first, after: $after, orderBy: {field: $field, direction: $direction}, where: {vcpusMin: $min}) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name vcpus } }
  }
}"""


def one_service(flavors: list[tuple[str, int]]) -> FederationFile:
    return FederationFile.model_validate({"providers": [{"name": "P", "type": "openstack", "regions": [
        {"name": "r", "services": [{"kind": "compute", "endpoint": "https://nova.test", "name": "org.openstack.nova",
                                    "flavors": [{"uuid": f"f{i}", "name": name, "vcpus": vcpus}
                                                for i, (name, vcpus) in enumerate(flavors)]}]}]}]})  # fmt: skip


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    flavors=st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(1, 4)), max_size=25),
    first=st.integers(1, 7),
    field=st.sampled_from(["NAME", "VCPUS"]),
    direction=st.sampled_from(["ASC", "DESC"]),
    minimum=st.one_of(st.none(), st.integers(1, 4)),
)
async def test_pages_cover_the_list_once_in_order(
    flavors: list[tuple[str, int]],
    first: int,
    field: str,
    direction: str,
    minimum: int | None,
    database: Database,
    client: httpx.AsyncClient,
    issuer: Issuer,
) -> None:
    # given a compute service with flavors whose sort keys repeat (ties are broken by id)
    await replace_graph(database, one_service(flavors))
    matching = [f for f in flavors if minimum is None or f[1] >= minimum]

    # when every page is walked
    seen: list[dict] = []  # type: ignore[type-arg]
    after = None
    totals = set()
    for _ in range(len(flavors) + 2):
        variables = {"first": first, "after": after, "field": field, "direction": direction, "min": minimum}
        page = (await ask(client, PAGE, variables, token=issuer.admin)).data["flavors"]
        totals.add(page["totalCount"])
        seen += [e["node"] for e in page["edges"]]
        assert len(page["edges"]) <= first
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    # then each matching node came exactly once, in the requested order, and the total agrees
    assert totals == {len(matching)}
    assert len(seen) == len({n["id"] for n in seen}) == len(matching)
    key = "name" if field == "NAME" else "vcpus"
    assert [n[key] for n in seen] == sorted((n[key] for n in seen), reverse=direction == "DESC")
