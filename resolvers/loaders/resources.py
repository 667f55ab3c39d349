"""Walks between services and what they offer (flavors, images, networks, volume types) or bound quotas."""

from __future__ import annotations

from resolvers.loaders.walk import Walk

FLAVORS_BY_COMPUTE_SERVICE = Walk(
    "FlavorsByComputeService", "MATCH (:ComputeService {uid: key})-[:OFFERS]->(n:Flavor)", "Flavor"
)
IMAGES_BY_COMPUTE_SERVICE = Walk(
    "ImagesByComputeService", "MATCH (:ComputeService {uid: key})-[:OFFERS]->(n:Image)", "Image"
)
NETWORKS_BY_NETWORK_SERVICE = Walk(
    "NetworksByNetworkService", "MATCH (:NetworkService {uid: key})-[:OFFERS]->(n:Network)", "Network"
)
VOLUME_TYPES_BY_BLOCK_STORAGE_SERVICE = Walk(
    "VolumeTypesByBlockStorageService",
    "MATCH (:BlockStorageService {uid: key})-[:OFFERS]->(n:VolumeType)",
    "VolumeType",
)

COMPUTE_SERVICES_BY_FLAVOR = Walk(
    "ComputeServicesByFlavor",
    "MATCH (:Flavor {uid: key})<-[:OFFERS]-(n:ComputeService)",
    "ComputeService",
    order="n.endpoint",
)
COMPUTE_SERVICES_BY_IMAGE = Walk(
    "ComputeServicesByImage",
    "MATCH (:Image {uid: key})<-[:OFFERS]-(n:ComputeService)",
    "ComputeService",
    order="n.endpoint",
)
NETWORK_SERVICE_BY_NETWORK = Walk(
    "NetworkServiceByNetwork",
    "MATCH (:Network {uid: key})<-[:OFFERS]-(n:NetworkService)",
    "NetworkService",
    order="n.endpoint",
)
BLOCK_STORAGE_SERVICE_BY_VOLUME_TYPE = Walk(
    "BlockStorageServiceByVolumeType",
    "MATCH (:VolumeType {uid: key})<-[:OFFERS]-(n:BlockStorageService)",
    "BlockStorageService",
    order="n.endpoint",
)

# Quotas sort by kind, then limits before per-user limits before usage.
_QUOTA_ORDER = "n.kind, n.usage, n.perUser"
QUOTAS_BY_SERVICE = Walk("QuotasByService", "MATCH (:Service {uid: key})<-[:ON]-(n:Quota)", "Quota", order=_QUOTA_ORDER)
QUOTAS_BY_PROJECT = Walk(
    "QuotasByProject", "MATCH (:Project {uid: key})-[:HAS_QUOTA]->(n:Quota)", "Quota", order=_QUOTA_ORDER
)
QUOTAS_BY_PROJECT_ON_SERVICE = Walk(
    "QuotasByProjectOnService",
    "MATCH (:Project {uid: key.project})-[:HAS_QUOTA]->(n:Quota)-[:ON]->(:Service {uid: key.service})",
    "Quota",
    order=_QUOTA_ORDER,
)
SERVICE_BY_QUOTA = Walk("ServiceByQuota", "MATCH (:Quota {uid: key})-[:ON]->(n:Service)", "Service", order="n.endpoint")
PROJECT_BY_QUOTA = Walk("ProjectByQuota", "MATCH (:Quota {uid: key})<-[:HAS_QUOTA]-(n:Project)", "Project")

PRIVATE_RESOURCES_BY_PROJECT: dict[str, Walk] = {
    label: Walk(f"Private{label}sByProject", f"MATCH (:Project {{uid: key}})-[:CAN_USE]->(n:{label})", label)
    for label in ("Flavor", "Image", "Network")
}
