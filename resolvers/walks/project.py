"""Walks of `schema/project.py` beyond single edges and the may-use rule: a project's quotas on one service."""

from __future__ import annotations

from resolvers.may_use import PROJECT_VISIBLE
from resolvers.walks import Walk

# The project by its uid index, said outright: in the compiled matchmaking statement at the egi scale
# Neo4j's planner otherwise scanned every project for each key (750 rows for 5 keys), and the plan of
# the whole statement came out at twice the database hits (22,663 against 11,796). A quota of a project
# the caller may see is one they may see: the project is checked once per key (see `PROJECT_VISIBLE`).
QUOTAS_BY_PROJECT_ON_SERVICE = Walk(
    "QuotasByProjectOnService",
    f"""MATCH (pr:Project {{uid: key.project}}) USING INDEX pr:Project(uid)
WHERE {PROJECT_VISIBLE}
MATCH (pr)-[:HAS_QUOTA]->(n:Quota)-[:ON]->(:Service {{uid: key.service}})""",
    "Quota",
    visible_by_key=("Project", "pr"),
)
