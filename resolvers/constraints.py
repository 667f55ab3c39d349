"""The graph's constraints and indexes (schema/constraints.cypher), applied idempotently."""

from __future__ import annotations

import re
from pathlib import Path

import neo4j

from resolvers.db import Database

CONSTRAINTS = Path(__file__).resolve().parent.parent / "schema" / "constraints.cypher"


def constraint_statements(path: Path = CONSTRAINTS) -> list[str]:
    """The statements of a .cypher file: `//` comments dropped, split on `;`."""
    text = re.sub(r"//[^\n]*", "", path.read_text())
    return [s.strip() for s in text.split(";") if s.strip()]


async def apply_constraints(database: Database) -> int:
    """Create every constraint and index that is missing (all are IF NOT EXISTS); returns how many ran.

    Schema commands cannot share a transaction with each other in Neo4j, so each runs on its own."""
    statements = constraint_statements()
    for statement in statements:
        try:
            await database.write([(statement, {})], op="constraints")
        except neo4j.exceptions.ClientError as error:
            # Two processes applying at once (the workers of `registry serve --workers N`) race: IF NOT
            # EXISTS passes in both before either has created the rule, and Neo4j refuses the later one.
            if error.code != _SAME_RULE_EXISTS:
                raise
    return len(statements)


_SAME_RULE_EXISTS = "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists"
