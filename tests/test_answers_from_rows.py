"""The three ways a read is answered — from the statement's rows, by graphql-core over the primed loaders,
by the resolvers reading for themselves — agree where they once did not: each alias of a field keeps its
own selection (a page's edge `node`, a walk, a part), a list of scalars an object holds (tags) is
read off it, a field with a resolver of its own is completed by graphql-core alone, and a page counts
its total whenever the query asks `totalCount` (in a fragment, or in another node of the same merged
field). Compared as JSON text."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from prometheus_client import REGISTRY

from resolvers.context import RequestContext
from resolvers.db import Database
from resolvers.documents import DocumentStore
from resolvers.errors import StorageUnavailable
from resolvers.federation_file import FederationFile
from resolvers.visibility import Scope
from schema import fast_answers as fast
from schema.root import build_schema

PATHS = {
    "from rows": build_schema(),
    "primed loaders": build_schema(answers_from_rows=False),
    "general": build_schema(compiled_reads=False),
}
ALIASED = [  # each alias keeps its own selection
    "{ networks(first: 3) { edges { a: node { name } b: node { id isShared } cursor } } }",
    "{ networks(first: 3) { one: edges { node { name } } two: edges { node { id } } } }",
    "{ providers(first: 2) { nodes { a: regions { name } b: regions { id } } } }",
    "{ regions(first: 2) { nodes { a: provider { name } b: provider { id } } } }",
    # lists of scalars their objects hold
    "{ images(first: 3) { nodes { name tags } } providers(first: 2) { nodes { t: supportEmails } } }",
]


def _answered(path: str) -> float:
    return REGISTRY.get_sample_value("registry_fast_answers_total", {"path": path}) or 0.0


def _fast() -> float:
    return _answered("fast")


@pytest.mark.parametrize("query", ALIASED)
async def test_each_alias_and_each_held_list_is_answered_from_the_rows_as_the_other_paths_answer_it(
    database: Database, example_federation: FederationFile, query: str
) -> None:
    answers = {}
    for path, schema in PATHS.items():
        before = _fast()
        result = await schema.execute(query, context_value=RequestContext(database, Scope.system()))
        assert result.errors is None
        answers[path] = json.dumps(result.data)
        if path == "from rows":
            assert _fast() == before + 1  # it did take the rows' path
    assert answers["from rows"] == answers["primed loaders"] == answers["general"]


ASKED = [
    "{ flavors(first: 2) { totalCount nodes { name } } }",
    "{ flavors(first: 2) { nodes { name } } flavors(first: 2) { totalCount } }",
    "{ flavors(first: 2) { ...Count nodes { name } } } fragment Count on FlavorConnection { totalCount }",
    "{ flavors(first: 2) { nodes { name } } ... on Query { flavors(first: 2) { totalCount } } }",
]


@pytest.mark.parametrize("path", sorted(PATHS))
@pytest.mark.parametrize("query", ASKED)
async def test_the_total_is_counted_wherever_it_is_asked(
    database: Database, example_federation: FederationFile, path: str, query: str
) -> None:
    every = len(await database.read("MATCH (n:Flavor) RETURN n.uid AS uid", {}))
    assert every > 2

    result = await PATHS[path].execute(query, context_value=RequestContext(database, Scope.system()))

    assert result.errors is None
    assert result.data is not None
    assert result.data["flavors"]["totalCount"] == every
    assert len(result.data["flavors"]["nodes"]) == 2


class UnsigningStore:
    """A document store whose links cannot be signed (the failure its resolver reports as a field error)."""

    async def put(self, key: str, content: bytes, media_type: str, sha256: str) -> None:
        raise StorageUnavailable("document store: read only")

    async def delete(self, key: str) -> None:
        raise StorageUnavailable("document store: read only")

    async def download_url(self, key: str) -> str:
        raise StorageUnavailable("document store: cannot sign a link")

    async def keys(self, prefix: str) -> list[tuple[str, dt.datetime]]:
        return []


LINKS = """{ slas(first: 5) { totalCount nodes { docUuid
  document { sha256 link: downloadUrl } again: document { downloadUrl } } } }"""


@pytest.mark.parametrize("store", [None, UnsigningStore()], ids=["no store", "links fail"])
async def test_a_field_with_a_resolver_of_its_own_is_completed_by_graphql_core_alone(
    database: Database, example_federation: FederationFile, store: DocumentStore | None
) -> None:
    # Documents on two SLAs: their links (signed on demand, not stored) are left for graphql-core; the
    # rest is answered from the rows. A failing link is null with its error at its own path, as the
    # general path gives it, and nothing else changes.
    await database.write(
        [
            (
                "MATCH (s:SLA) WITH s ORDER BY s.uid LIMIT 2 SET s.documentKey = 'sla-documents/' + s.uid,"
                " s.documentSha256 = s.uid, s.documentSize = 10, s.documentMediaType = 'application/pdf',"
                " s.documentUploadedAt = datetime('2026-01-01T00:00:00Z')",
                {},
            )
        ]
    )
    answers = {}
    for path, schema in PATHS.items():
        before = _answered("fast, some fields by graphql-core")
        result = await schema.execute(LINKS, context_value=RequestContext(database, Scope.system(), documents=store))
        errors = sorted((e.message, repr(e.path)) for e in result.errors or [])
        answers[path] = (json.dumps(result.data), errors)
        if path == "from rows":
            assert _answered("fast, some fields by graphql-core") == before + 1
    assert answers["from rows"] == answers["primed loaders"] == answers["general"]
    data, errors = answers["general"]
    assert len(errors) == (4 if store is not None else 0)  # two documents, each asked twice
    assert data.count('"sha256"') == 2


def test_a_non_null_field_with_a_resolver_of_its_own_leaves_the_whole_operation_to_graphql_core() -> None:
    # Its error would null the object holding it, which the rows' answer has already built.
    from graphql import GraphQLField, GraphQLNonNull, GraphQLObjectType, GraphQLString

    holder = GraphQLObjectType("Holder", {"link": GraphQLField(GraphQLNonNull(GraphQLString))})
    assert fast.by_graphql_core(holder, holder.fields["link"], ()) is None
    nullable = GraphQLObjectType("Nullable", {"link": GraphQLField(GraphQLString)})
    assert fast.by_graphql_core(nullable, nullable.fields["link"], ()) is not None


NARROWED = "{ projects(first: 3) { nodes { uuid name flavors { name } again: flavors { vcpus } } } }"


async def test_each_walk_returns_only_the_properties_named_below_it(
    database: Database, example_federation: FederationFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The projects' `uuid` is asked, the flavors' is not: their rows leave it out. Two aliases of one
    # walk prime one loader, so their rows carry what both ask (`name` and `vcpus`).
    sent: list[str] = []
    read = Database.read

    async def recording(self: Database, cypher: str, params: Any, **options: Any) -> Any:
        sent.append(cypher)
        return await read(self, cypher, params, **options)

    monkeypatch.setattr(Database, "read", recording)
    answers = {}
    for path, schema in PATHS.items():
        result = await schema.execute(NARROWED, context_value=RequestContext(database, Scope.system()))
        assert result.errors is None
        answers[path] = json.dumps(result.data)
    assert answers["from rows"] == answers["primed loaders"] == answers["general"]

    reads = [part for part in sent[0].split("CALL (base,") if "(n:Flavor)" in part]
    assert reads  # one per alias
    for flavors in reads:
        row = flavors[flavors.index("n {") : flavors.index("} AS row")]
        assert ".`name`" in row and ".`vcpus`" in row
        assert ".`uuid`" not in row
    assert ".`uuid`" in sent[0]  # the projects' rows still have it
