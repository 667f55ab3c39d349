"""Fixtures: a real Neo4j (started here unless NEO4J_URI is set), the app over HTTP, loaded federations.

The suite clears the database it is given: never point NEO4J_URI at data you want to keep.
"""

from __future__ import annotations

import os
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client import REGISTRY

from registry.app import create_app
from registry.database import apply_constraints, open_database
from registry.federation_file import FederationFile
from registry.feeder import load_federation, read_federation
from registry.local_neo4j import LocalNeo4j
from registry.settings import Settings
from resolvers.db import Database

PROJECT = Path(__file__).resolve().parent.parent
EXAMPLE_FEDERATION = PROJECT / "examples" / "federation.yaml"
QUERIES = PROJECT / "examples" / "queries"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def neo4j_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if uri := os.environ.get("NEO4J_URI"):
        yield uri
        return
    server = LocalNeo4j(home=tmp_path_factory.mktemp("neo4j"), port=_free_port())
    server.start()
    try:
        yield server.uri
    finally:
        server.stop()


@pytest.fixture(scope="session")
def settings(neo4j_uri: str) -> Settings:
    return Settings(neo4j_uri=neo4j_uri, environment="production")


@pytest.fixture(scope="session")
async def database(settings: Settings) -> AsyncIterator[Database]:
    db = open_database(settings)
    await apply_constraints(db)
    yield db
    await db.driver.close()


async def replace_graph(database: Database, federation: FederationFile) -> None:
    """Empty the database, then load `federation` through the feeder."""
    await database.write([("MATCH (n) DETACH DELETE n", {})])
    await load_federation(database, federation)


@pytest.fixture(scope="module")
async def example_federation(database: Database) -> FederationFile:
    federation = read_federation(EXAMPLE_FEDERATION)
    await replace_graph(database, federation)
    return federation


@pytest.fixture(scope="session")
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://registry.test") as http:
            yield http


def read_statements() -> float:
    """Cypher read statements the process has sent so far (the /metrics counter)."""
    return REGISTRY.get_sample_value("registry_cypher_statements_total", {"access": "read"}) or 0.0
