"""A read operation is planned once per shape: asked again, with other values or by another caller, it
takes the cached plan and still answers exactly what the general path answers."""

from __future__ import annotations

from typing import Any

import pytest
from prometheus_client import REGISTRY

from resolvers.context import RequestContext
from resolvers.db import Database
from resolvers.federation_file import FederationFile
from resolvers.visibility import Scope
from schema.root import build_schema

COMPILED = build_schema()
GENERAL = build_schema(compiled_reads=False)

# Values through variables at every level the plan binds: a lookup's key, a nested filter, a skipped
# selection, a page's size, cursor and filter.
QUERY = """
query Q($group: String!, $issuer: String!, $minGpus: Int!, $withImages: Boolean!, $first: Int!,
        $after: String, $where: FlavorFilter) {
  userGroup(name: $group, issuer: $issuer) {
    name
    slas { projects { regions { computeServices {
      service { name }
      flavors(where: { gpusMin: $minGpus }) { name gpus }
      images @include(if: $withImages) { name }
    } } } }
  }
  flavors(first: $first, after: $after, where: $where) { totalCount edges { cursor node { name } } }
}
"""
ML_INFN = Scope(may_read=True, issuer="https://iam.cloud.infn.it/", groups=("ml-infn",))
BASE: dict[str, Any] = {"group": "ml-infn", "issuer": "https://iam.cloud.infn.it/", "minGpus": 0,
                        "withImages": True, "first": 3, "after": None, "where": None}  # fmt: skip


def _plans(outcome: str) -> float:
    return REGISTRY.get_sample_value("registry_read_plans_total", {"outcome": outcome}) or 0.0


async def _both(database: Database, scope: Scope, variables: dict[str, Any]) -> dict[str, Any]:
    context = RequestContext(database, scope)
    compiled = await COMPILED.execute(QUERY, variables, context_value=context)
    general = await GENERAL.execute(QUERY, variables, context_value=RequestContext(database, scope))
    assert context.statements == 1  # the values were bound: no resolver read for itself
    assert compiled.errors == general.errors
    assert compiled.data == general.data
    assert compiled.data is not None
    return compiled.data


async def test_other_values_take_the_cached_plan_and_answer_as_the_general_path(
    example_federation: FederationFile, database: Database
) -> None:
    # given the operation asked once (its plan made)
    first = await _both(database, ML_INFN, BASE)
    hits, misses = _plans("hit"), _plans("miss")

    # when it is asked with other values: another filter value, page, cursor, filter, group
    gpus = await _both(database, ML_INFN, {**BASE, "minGpus": 1})
    page = await _both(database, ML_INFN, {**BASE, "first": 1, "after": first["flavors"]["edges"][0]["cursor"]})
    filtered = await _both(database, ML_INFN, {**BASE, "where": {"gpusMin": 1}})
    other = await _both(database, ML_INFN, {**BASE, "group": "nobody-here"})

    # then no plan was made again, and the answers follow the values
    assert (_plans("hit") - hits, _plans("miss") - misses) == (4, 0)
    assert all(flavor["gpus"] >= 1 for flavor in _flavors(gpus)) and len(_flavors(gpus)) < len(_flavors(first))
    assert page["flavors"]["edges"][0] == first["flavors"]["edges"][1]
    assert filtered["flavors"]["totalCount"] < first["flavors"]["totalCount"]
    assert other["userGroup"] is None


async def test_another_caller_takes_the_same_plan_and_sees_what_it_may(
    example_federation: FederationFile, database: Database
) -> None:
    member = await _both(database, ML_INFN, BASE)
    hits = _plans("hit")
    anonymous = await _both(database, Scope.anonymous_caller(), BASE)
    assert _plans("hit") - hits == 1
    assert member["userGroup"] is not None and anonymous["userGroup"] is None


@pytest.mark.parametrize("with_images", [True, False])
async def test_what_variables_decide_about_the_selection_is_its_own_plan(
    example_federation: FederationFile, database: Database, with_images: bool
) -> None:
    await _both(database, ML_INFN, {**BASE, "withImages": not with_images})
    misses = _plans("miss")
    data = await _both(database, ML_INFN, {**BASE, "withImages": with_images, "minGpus": 3})
    regions = [r for s in data["userGroup"]["slas"] for p in s["projects"] for r in p["regions"]]
    services = [c for r in regions for c in r["computeServices"]]
    assert services and all(("images" in c) is with_images for c in services)
    # a plan per @include value: made once (this test's first parameter), then cached
    assert _plans("miss") - misses <= 1


def _flavors(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for s in data["userGroup"]["slas"] for p in s["projects"] for r in p["regions"]
            for c in r["computeServices"] for f in c["flavors"]]  # fmt: skip
