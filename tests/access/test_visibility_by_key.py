"""Walks that check the caller's visibility once per key (`Walk.visible_by_key`) answer as a check per row would.

Such a walk (a project's usable flavors, images, networks, its quotas on a service) keeps only the
keys whose project the caller may see, and then no longer checks each row. That is safe only if every
row reached from a visible project is itself visible, for every kind of caller: this checks it against
each row kind's own visibility rule, on random federations shared out between groups, for random
callers, and that a project the caller may not see yields nothing.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from typing import Any

from hypothesis import HealthCheck, given, settings

import resolvers
from resolvers.context import pair
from resolvers.db import Database, StatementBatcher
from resolvers.visibility import Scope
from resolvers.walks import Walk, WalkLoader
from tests.conftest import replace_graph
from tests.federations import EGI, GROUP_NAMES, INFN, shared_federations


def _walks_visible_by_key() -> list[Walk]:
    """Every walk of `resolvers/` that says it is visible by key, wherever it is defined."""
    found: dict[str, Walk] = {}
    for module_info in pkgutil.walk_packages(resolvers.__path__, "resolvers."):
        for value in vars(importlib.import_module(module_info.name)).values():
            for walk in value.values() if isinstance(value, dict) else [value]:
                if isinstance(walk, Walk) and walk.visible_by_key is not None:
                    found[walk.name] = walk
    return sorted(found.values(), key=lambda w: w.name)


WALKS = _walks_visible_by_key()

# Every kind of caller, each group alone and all of them together at either issuer.
CALLERS = [
    Scope.anonymous_caller(),
    Scope(admin=True, may_read=True, issuer=INFN),
    Scope(writer=True, may_read=True, issuer=EGI),  # a writer of no group: it may write projects it may not see
    Scope(),  # said nobody: sees nothing
    *(Scope(may_read=True, issuer=i, groups=(g,)) for i in (INFN, EGI) for g in (*GROUP_NAMES, "vo.ghost")),
    *(Scope(may_read=True, issuer=i, groups=GROUP_NAMES) for i in (INFN, EGI)),
]


def test_the_project_walks_of_the_may_use_rule_are_checked_by_key() -> None:
    # the test below is about these; a walk added later with the same flag is picked up by it too
    assert {w.name for w in WALKS} >= {
        "FlavorsUsableByProject",
        "FlavorsUsableByProjectOnService",
        "ImagesUsableByProjectOnService",
        "NetworksUsableByProjectOnService",
        "QuotasByProjectOnService",
    }


async def _rows(database: Database, walk: Walk, keys: list[Any], scope: Scope) -> dict[Any, set[str]]:
    params = {"today": dt.date.today(), "scope": scope.parameter()}
    loader = WalkLoader(walk, None, batcher=StatementBatcher(database), params=params)
    answers = await loader.load_many([_frozen(k) for k in keys])
    return {_frozen(k): {row["uid"] for row in rows} for k, rows in zip(keys, answers, strict=True)}


def _frozen(key: Any) -> Any:
    """A key as the resolvers make it for the loader."""
    return pair(**key) if isinstance(key, dict) else key


async def _visible(database: Database, label: str, uids: set[str], scope: Scope) -> set[str]:
    """Of these nodes, those the caller may see by their own kind's rule."""
    records = await database.read(
        f"WITH $p AS p UNWIND $uids AS uid MATCH (n:{label} {{uid: uid}}) "
        f"WITH p, n WHERE {Scope.predicate(label, 'n')} RETURN n.uid AS uid",
        {"p": {"scope": scope.parameter()}, "uids": sorted(uids)},
    )
    return {r["uid"] for r in records}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(federation=shared_federations())
async def test_a_walk_checked_by_key_answers_what_a_check_per_row_would(federation: Any, database: Database) -> None:
    # given any federation shared out between groups
    await replace_graph(database, federation)
    projects = {r["uid"] for r in await database.read("MATCH (n:Project) RETURN n.uid AS uid", {})}
    services = {r["uid"] for r in await database.read("MATCH (n:Service) RETURN n.uid AS uid", {})}

    visible_projects = {i: await _visible(database, "Project", projects, scope) for i, scope in enumerate(CALLERS)}

    for walk in WALKS:
        label, _ = walk.visible_by_key  # type: ignore[misc]
        assert label == "Project"
        on_service = "key.service" in walk.match
        keys: list[Any] = (
            [{"project": p, "service": s} for p in sorted(projects) for s in sorted(services)]
            if on_service
            else sorted(projects)
        )
        everything = await _rows(database, walk, keys, Scope.system())

        for i, scope in enumerate(CALLERS):
            # when any caller walks from every project
            seen = await _rows(database, walk, keys, scope)

            for key in keys:
                project = key["project"] if on_service else key
                rows = seen[_frozen(key)]
                if project in visible_projects[i]:
                    # then from a project they may see they get what an administrator gets, and each row
                    # passes its own kind's rule
                    assert rows == everything[_frozen(key)], (walk.name, scope, key)
                    assert await _visible(database, walk.target, rows, scope) == rows, (walk.name, scope, key)
                else:
                    # and from one they may not see, nothing
                    assert rows == set(), (walk.name, scope, key)
