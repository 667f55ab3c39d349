"""Walks of `schema/identity.py` beyond single edges: a user group by its name at an issuer."""

from __future__ import annotations

from resolvers.walks import Walk

USER_GROUP_BY_NAME_AT_ISSUER = Walk(
    "UserGroupByNameAtIssuer",
    "MATCH (n:UserGroup {name: key.name})-[:BELONGS_TO]->(:IdentityProvider {endpoint: key.issuer})",
    "UserGroup",
)
