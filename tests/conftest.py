"""Fixtures: a real Neo4j (started here unless NEO4J_URI is set), the app over HTTP, loaded federations.

The suite clears the database it is given: never point NEO4J_URI at data you want to keep.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from moto.server import ThreadedMotoServer
from prometheus_client import REGISTRY

from registry.app import create_app
from registry.database import apply_constraints, open_database
from registry.dev_issuer import KeyStore, issuer_app, issuer_url, mint, realm_groups, trusted_issuers
from registry.feeder import load_federation, read_federation
from registry.local_neo4j import LocalNeo4j
from registry.settings import Settings
from resolvers.db import Database
from resolvers.federation_file import FederationFile

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


@dataclass
class Issuer:
    """A real OIDC issuer on loopback (the development issuer's app, its keys in a temp folder)."""

    base_url: str
    keys: KeyStore

    def token(self, *groups: str, realm: str = "infn", admin: bool = False, writer: bool = False, **kw: Any) -> str:
        return mint(self.keys, self.base_url, realm=realm, groups=list(groups), admin=admin, writer=writer, **kw)

    @property
    def admin(self) -> str:
        return self.token(admin=True, subject="admin")

    def url(self, realm: str = "infn") -> str:
        return issuer_url(self.base_url, realm)


@pytest.fixture(scope="session")
def issuer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Issuer]:
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    keys = KeyStore(tmp_path_factory.mktemp("issuer"))
    app = issuer_app(keys, base_url, groups=realm_groups(read_federation(EXAMPLE_FEDERATION)))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield Issuer(base_url, keys)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A real S3-protocol server on loopback (moto's standalone server)."""
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(scope="session")
def settings(neo4j_uri: str, issuer: Issuer, s3_endpoint: str) -> Settings:
    return Settings(
        neo4j_uri=neo4j_uri,
        environment="production",
        issuers=trusted_issuers(issuer.base_url),
        anonymous_read=True,
        metrics=True,  # /metrics on the main port, as the tests read it
        # The suite shares 2 cores with other suites: a cold plan of a big statement has taken 5 s.
        # The deadline itself is tested with its own settings (tests/test_outages.py).
        request_deadline_s=60.0,
        # Likewise a probe of a healthy Neo4j has gone unanswered for 2 s here; outages are tested with
        # the production values (tests/test_outages.py).
        neo4j_probe_timeout_s=15.0,
        jwks_refresh_min_interval_s=1.0,
        s3_endpoint_url=s3_endpoint,
        s3_access_key="test",
        s3_secret_key="test-secret",
        s3_create_bucket=True,
        document_max_bytes=64 * 1024,
    )


@pytest.fixture(scope="session")
async def database(settings: Settings) -> AsyncIterator[Database]:
    db = open_database(settings)
    await apply_constraints(db)
    yield db
    await db.close()


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
