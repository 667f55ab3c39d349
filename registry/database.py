"""The Neo4j driver's lifecycle: one async driver per process, constraints applied at start."""

from __future__ import annotations

import re
from pathlib import Path

import neo4j

from registry.settings import Settings
from resolvers.db import Database

CONSTRAINTS = Path(__file__).resolve().parent.parent / "schema" / "constraints.cypher"


def open_database(settings: Settings) -> Database:
    auth = (settings.neo4j_user, settings.neo4j_password.get_secret_value()) if settings.neo4j_password else None
    driver = neo4j.AsyncGraphDatabase.driver(
        settings.neo4j_uri,
        auth=auth,
        max_connection_pool_size=settings.neo4j_max_pool_size,
        user_agent="federation-registry",
    )
    return Database(driver=driver, name=settings.neo4j_database)


def constraint_statements(path: Path = CONSTRAINTS) -> list[str]:
    """The statements of a .cypher file: `//` comments dropped, split on `;`."""
    text = re.sub(r"//[^\n]*", "", path.read_text())
    return [s.strip() for s in text.split(";") if s.strip()]


async def apply_constraints(database: Database) -> int:
    """Create every constraint and index that is missing (all are IF NOT EXISTS); returns how many ran.

    Schema commands cannot share a transaction with each other in Neo4j, so each runs on its own."""
    statements = constraint_statements()
    for statement in statements:
        await database.write([(statement, {})], metadata={"app": "federation-registry", "op": "constraints"})
    return len(statements)


async def is_ready(database: Database) -> bool:
    try:
        await database.read("RETURN 1 AS ok", {})
    except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError):
        return False
    return True
