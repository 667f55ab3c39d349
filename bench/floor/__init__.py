"""The floor of the benchmark: each tier's question as ONE hand-written Cypher statement.

`STATEMENTS[tier]` returns one record whose column `data` is exactly the `data` of our GraphQL
response to `bench/queries/<tier>.graphql`, as plain JSON (dates rendered with toString() in
Cypher, floats with toFloat(), enum values upper-cased, absent properties as our types' defaults
or null), every list in the order our resolvers give it. Parameters:

- `group`, `issuer`: the caller, a member of that user group at that issuer (the visibility our
  server derives from the token); the dropdown and matchmaking tiers also ask about that group.
- `today`: a `datetime.date`, the server's UTC date (`resolvers.db.today()`), for "SLA in force".
- `minGpus`: the matchmaking tier's flavor filter.
- `request`: the placement tier's deployment (`bench.run.PLACEMENT_REQUEST`, every key present).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import neo4j

TIERS = ("list", "dropdown", "matchmaking", "placement")
STATEMENTS: dict[str, str] = {tier: (Path(__file__).parent / f"{tier}.cypher").read_text() for tier in TIERS}


async def answer(
    driver: neo4j.AsyncDriver, tier: str, params: dict[str, Any], database: str = "neo4j"
) -> dict[str, Any]:
    """Run the tier's statement and return its `data`.

    An auto-commit read (`session.run` in READ mode) is the fastest way the async driver offers:
    measured against `driver.execute_query(..., routing_="r")` and `session.execute_read`, both of
    which wrap the statement in a managed transaction (BEGIN/COMMIT round trips), it saved 1-2 ms
    per call on the small tiers and about 1 ms on the matchmaking one."""
    async with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
        result = await session.run(STATEMENTS[tier], params)
        record = await result.single(strict=True)
        data: dict[str, Any] = record["data"]
        return data
