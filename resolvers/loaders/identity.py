"""Walks between issuers, user groups, SLAs and the projects SLAs cover."""

from __future__ import annotations

from resolvers.loaders.walk import Walk

USER_GROUPS_BY_IDENTITY_PROVIDER = Walk(
    "UserGroupsByIdentityProvider", "MATCH (:IdentityProvider {uid: key})<-[:BELONGS_TO]-(n:UserGroup)", "UserGroup"
)
IDENTITY_PROVIDER_BY_USER_GROUP = Walk(
    "IdentityProviderByUserGroup",
    "MATCH (:UserGroup {uid: key})-[:BELONGS_TO]->(n:IdentityProvider)",
    "IdentityProvider",
    order="n.endpoint",
)
SLAS_BY_USER_GROUP = Walk(
    "SlasByUserGroup", "MATCH (:UserGroup {uid: key})-[:AGREES]->(n:SLA)", "SLA", order="n.startDate"
)
USER_GROUP_BY_SLA = Walk("UserGroupBySla", "MATCH (:SLA {uid: key})<-[:AGREES]-(n:UserGroup)", "UserGroup")
PROJECTS_BY_SLA = Walk("ProjectsBySla", "MATCH (:SLA {uid: key})-[:COVERS]->(n:Project)", "Project")
SLAS_BY_PROJECT = Walk("SlasByProject", "MATCH (:Project {uid: key})<-[:COVERS]-(n:SLA)", "SLA", order="n.startDate")
