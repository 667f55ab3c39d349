"""The Neo4j driver's lifecycle: one async driver per process, constraints applied at start."""

from __future__ import annotations

import neo4j

from registry.settings import Settings
from resolvers.constraints import apply_constraints
from resolvers.db import Database
from resolvers.liveness import Liveness

__all__ = ["NO_NEO4J", "apply_constraints", "is_ready", "open_database"]

# What the commands that write to Neo4j directly say when none answers (instead of a traceback).
NO_NEO4J = "no Neo4j answers at {uri}: start one (`registry neo4j start`, or `make run`), or point NEO4J_URI at yours"


def open_database(settings: Settings) -> Database:
    auth = (settings.neo4j_user, settings.neo4j_password.get_secret_value()) if settings.neo4j_password else None
    driver = neo4j.AsyncGraphDatabase.driver(
        settings.neo4j_uri,
        auth=auth,
        max_connection_pool_size=settings.neo4j_max_pool_size,
        user_agent="federation-registry",
        # Neo4j down or frozen: fail in seconds (SERVICE_UNAVAILABLE), not the driver's default minute.
        connection_timeout=settings.neo4j_connection_timeout_s,
        connection_acquisition_timeout=settings.neo4j_acquisition_timeout_s,
        # "label/relationship type does not exist" on an empty database is expected, not news.
        notifications_min_severity="OFF",
    )
    liveness = Liveness(
        driver,
        settings.neo4j_database,
        silent_after_s=settings.neo4j_silent_after_s,
        probe_timeout_s=settings.neo4j_probe_timeout_s,
    )
    return Database(
        driver=driver,
        name=settings.neo4j_database,
        liveness=liveness,
        new_statements_at_once=settings.neo4j_new_statements_at_once,
    )


async def is_ready(database: Database) -> bool:
    try:
        await database.read("RETURN 1 AS ok", {})
    except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError):
        return False
    return True
