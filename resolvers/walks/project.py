"""Walks of `schema/project.py` beyond single edges and the may-use rule: a project's quotas on one service."""

from __future__ import annotations

from resolvers.walks import Walk

# The project by its uid index, said outright: in the compiled matchmaking statement at the egi scale
# Neo4j's planner otherwise scanned every project for each key (750 rows for 5 keys), and the plan of
# the whole statement came out at twice the database hits (22,663 against 11,796).
QUOTAS_BY_PROJECT_ON_SERVICE = Walk(
    "QuotasByProjectOnService",
    "MATCH (pr:Project {uid: key.project})-[:HAS_QUOTA]->(n:Quota)-[:ON]->(:Service {uid: key.service}) "
    "USING INDEX pr:Project(uid)",
    "Quota",
)
