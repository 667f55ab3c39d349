"""How a walk is rewritten to be read inside its parent's rows (`resolvers/walks/nested.py`): from the
bound node, its own variables renamed after its read, its once-per-key visibility check left out only
where the parent's read checked that very node, each row's only where that node witnesses it. (That the
answers stay the same is the differential test's: `tests/properties/test_compiled_differential.py`.)"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from resolvers import may_use
from resolvers.visibility import Scope
from resolvers.walks import Walk, edge_walk
from resolvers.walks.identity import USER_GROUP_BY_NAME_AT_ISSUER
from resolvers.walks.nested import Bound, can_nest, carries_held, nested_cypher
from resolvers.walks.project import QUOTAS_BY_PROJECT_ON_SERVICE
from schema.read_plan import FIELD_READS, ByWalk

PROJECT_CHECK = Scope.predicate("Project", "pr")


def _declared(text: str) -> set[str]:
    return set(re.findall(r"\(([a-z_]\w*)[:)]", text))


def test_an_edge_walk_starts_from_the_bound_node_and_renames_its_own_variables() -> None:
    text = nested_cypher(edge_walk("SLA", "Project"), "true", ("name", "uid"), 4, Bound("n_2", "SLA"))
    assert text is not None
    assert "MATCH (n_2:SLA)-[:COVERS]->(n_4:Project)" in text
    assert not re.search(r"(?<![\w.$`])key(?![\w`])", text)  # no key left: the parent's node is the start
    assert "(n:" not in text and "(n)" not in text  # its `n` is `n_4`: no shadowing of the parent's `n`
    # ordered as its loader orders (the differential test's small federations rarely tell orders apart)
    assert "ORDER BY n_4.name, n_4.uid LIMIT $q4.rowLimit" in text


@pytest.mark.parametrize(
    "walk",
    [*may_use.RESOURCES_USABLE_BY_PROJECT.values(), *may_use.RESOURCES_USABLE_BY_PROJECT_ON_SERVICE.values()],
    ids=lambda walk: walk.name,
)
def test_what_a_project_may_use_is_filtered_in_each_branch_of_the_rule_not_after_it(walk: Walk) -> None:
    # Neo4j would otherwise produce, and deduplicate, every shared resource before the filter.
    condition = "n.gpus >= p.f.gpus_min"
    keyed = walk.cypher(condition)
    assert keyed.count(condition) == 2 and keyed.count("UNION") == 1
    assert keyed.index(condition) < keyed.index("UNION") < keyed.rindex(condition) < keyed.index("WITH p, key, n")
    nested = nested_cypher(walk, condition, None, 7, Bound("n_6", walk.target, project="n_2"))
    assert nested is not None and nested.count("n_7.gpus >= $q7.f.gpus_min") == 2


def test_filters_read_the_walks_own_parameter() -> None:
    walk = edge_walk("ComputeService", "Flavor")
    text = nested_cypher(walk, "n.gpus >= p.f.gpus_min", None, 7, Bound("n_6", "ComputeService"))
    assert text is not None and "n_7.gpus >= $q7.f.gpus_min" in text and "p.f." not in text


def test_a_pair_key_binds_the_project_node_or_looks_its_uid_up() -> None:
    walk = may_use.RESOURCES_USABLE_BY_PROJECT_ON_SERVICE["Flavor"]
    bound = nested_cypher(walk, "true", None, 7, Bound("n_6", "ComputeService", project="n_2", project_visible=True))
    assert bound is not None and "MATCH (n_2:Project), (n_6:ComputeService)" in bound
    looked_up = nested_cypher(walk, "true", None, 7, Bound("n", "ComputeService", project_uid="key.project"))
    assert looked_up is not None and "(pr_7:Project {uid: key.project})" in looked_up


@pytest.mark.parametrize(
    ("bound", "checked"),
    [
        (Bound("n_6", "ComputeService", project="n_2", project_visible=True), False),  # a checked project
        (Bound("n_6", "ComputeService", project="n_2", project_visible=False), True),  # bound, not checked as such
        (Bound("n", "ComputeService", project_uid="key.project"), True),  # only its uid: looked up, checked
    ],
)
def test_the_once_per_key_check_is_left_out_only_for_a_project_its_parent_checked(bound: Bound, checked: bool) -> None:
    for walk in (may_use.RESOURCES_USABLE_BY_PROJECT_ON_SERVICE["Image"], QUOTAS_BY_PROJECT_ON_SERVICE):
        text = nested_cypher(walk, "true", None, 8, bound)
        assert text is not None
        assert ("vis_group_8" in text) is checked, walk.name


def test_a_project_walk_under_a_row_not_checked_as_a_project_keeps_its_check() -> None:
    walk = may_use.RESOURCES_USABLE_BY_PROJECT["Flavor"]
    assert PROJECT_CHECK in walk.match
    checked = nested_cypher(walk, "true", None, 3, Bound("n_2", "Project"))
    unchecked = nested_cypher(walk, "true", None, 3, Bound("n_2", None))
    assert checked is not None and "vis_group" not in checked
    assert unchecked is not None and "vis_group_3" in unchecked


@pytest.mark.parametrize(
    ("source", "target"),
    [("UserGroup", "SLA"), ("SLA", "Project"), ("Project", "Quota"), ("Project", "Flavor"), ("Project", "Network")],
)
def test_rows_witnessed_by_a_parent_checked_as_such_are_not_checked_again(source: str, target: str) -> None:
    walk = edge_walk(source, target)
    under_checked = nested_cypher(walk, "true", None, 5, Bound("n_4", source))
    under_unchecked = nested_cypher(walk, "true", None, 5, Bound("n_4", None))
    under_other = nested_cypher(walk, "true", None, 5, Bound("n_4", "Region"))
    # (each rule's predicate walks to the caller's groups through `vis_` variables, here `vis_group_5`, ...)
    assert under_checked is not None and "vis_" not in under_checked and "WHERE true AND p.scope.read" in under_checked
    assert under_unchecked is not None and "vis_group_5" in under_unchecked
    assert under_other is not None and "vis_group_5" in under_other


@pytest.mark.parametrize(("source", "target"), [("SLA", "UserGroup"), ("Project", "SLA"), ("Provider", "Project")])
def test_rows_their_parent_does_not_witness_keep_their_check(source: str, target: str) -> None:
    text = nested_cypher(edge_walk(source, target), "true", None, 5, Bound("n_4", source))
    assert text is not None and "vis_" in text and "WHERE true AND p.scope.read\n" not in text, text


QUOTA_TEST = "EXISTS { (n_2)-[:HAS_QUOTA]->(:Quota {usage: false})-[:ON]->(n_6) }"


def test_a_service_walk_carries_whether_the_project_holds_a_limit_quota_to_its_rows() -> None:
    walk = may_use.SERVICES_USABLE_IN_REGION["ComputeService"]
    assert carries_held(walk)
    text = nested_cypher(walk, "true", None, 6, Bound("n_4", "Region", project="n_2", project_visible=True))
    assert text is not None
    assert f"WITH *, {QUOTA_TEST} AS held_6" in text  # tested once per service
    assert "WITH n_6, held_6 ORDER BY" in text  # and carried to the reads in its rows


@pytest.mark.parametrize("walk", may_use.RESOURCES_USABLE_BY_PROJECT_ON_SERVICE.values(), ids=lambda walk: walk.name)
def test_what_a_project_may_use_on_a_service_reads_the_quota_test_its_parent_row_carries(walk: Walk) -> None:
    assert not carries_held(walk)
    carried = Bound("n_6", "ComputeService", project="n_2", project_visible=True, held="held_6")
    text = nested_cypher(walk, "true", None, 7, carried)
    assert text is not None and "HAS_QUOTA" not in text
    assert "CALL (n_2, n_6, p, held_6)" in text and "WHERE held_6" in text
    # not carried: it tests the quota itself, once per (project, service)
    own = nested_cypher(walk, "true", None, 7, replace(carried, held=None))
    assert own is not None and f"WITH *, {QUOTA_TEST} AS held_7" in own and "WHERE held_7" in own
    # carried for another project than the one it starts from (its project looked up by uid): its own test
    looked_up = nested_cypher(
        walk, "true", None, 7, Bound("n_6", "ComputeService", project_uid="key.project", held="held_6")
    )
    assert looked_up is not None and "held_6" not in looked_up and "HAS_QUOTA" in looked_up


def test_walks_whose_key_is_read_elsewhere_or_whose_rows_carry_more_are_not_nested() -> None:
    assert not can_nest(USER_GROUP_BY_NAME_AT_ISSUER)  # keyed by name and issuer, not by a node
    assert not can_nest(may_use.DEPLOYMENT_TARGETS_BY_USER_GROUP)  # rows of several nodes


def test_every_walk_a_field_reads_nests_with_only_its_own_variables_unless_it_cannot_start_from_a_node() -> None:
    for (type_name, field), reach in FIELD_READS.items():
        if not isinstance(reach, ByWalk):
            continue
        walk = reach.walk
        if can_nest(walk):
            text = nested_cypher(walk, "true", None, 9, Bound("parent", walk.target, project="project"))
            assert text is not None
            declared = _declared(text) - {"parent", "project"}
            assert all(name.endswith("_9") for name in declared), (type_name, field, declared)
        else:
            assert not walk.rows_are_targets or "{uid: key" not in walk.match, (type_name, field)
