"""Walks of `schema/project.py` beyond single edges and the may-use rule: a project's quotas on one service."""

from __future__ import annotations

from resolvers.walks import Walk

QUOTAS_BY_PROJECT_ON_SERVICE = Walk(
    "QuotasByProjectOnService",
    "MATCH (:Project {uid: key.project})-[:HAS_QUOTA]->(n:Quota)-[:ON]->(:Service {uid: key.service})",
    "Quota",
)
