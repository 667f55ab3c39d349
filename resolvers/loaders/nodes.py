"""Nodes by id, for every label the registry stores."""

from __future__ import annotations

from resolvers.loaders.walk import Walk

LABELS = (
    "Provider", "Region", "Location", "IdentityProvider", "UserGroup", "SLA", "Project",
    "ComputeService", "BlockStorageService", "NetworkService", "ObjectStoreService", "IdentityService",
    "Flavor", "Image", "Network", "VolumeType", "Quota",
)  # fmt: skip

# One walk per label (labels cannot be parameters, so each is written from this allow-list).
BY_ID: dict[str, Walk] = {
    label: Walk(f"{label}ById", f"MATCH (n:{label} {{uid: key}})", label, order="n.uid") for label in LABELS
}

USER_GROUP_BY_NAME_AT_ISSUER = Walk(
    "UserGroupByNameAtIssuer",
    "MATCH (n:UserGroup {name: key.name})-[:BELONGS_TO]->(:IdentityProvider {endpoint: key.issuer})",
    "UserGroup",
)
