"""Walks between providers, regions, locations and the services regions supply."""

from __future__ import annotations

from resolvers.loaders.walk import Walk

REGIONS_BY_PROVIDER = Walk("RegionsByProvider", "MATCH (:Provider {uid: key})-[:DIVIDED_INTO]->(n:Region)", "Region")
PROVIDER_BY_REGION = Walk("ProviderByRegion", "MATCH (:Region {uid: key})<-[:DIVIDED_INTO]-(n:Provider)", "Provider")
LOCATION_BY_REGION = Walk(
    "LocationByRegion", "MATCH (:Region {uid: key})-[:LOCATED_AT]->(n:Location)", "Location", order="n.site"
)
REGIONS_BY_LOCATION = Walk("RegionsByLocation", "MATCH (:Location {uid: key})<-[:LOCATED_AT]-(n:Region)", "Region")
PROJECTS_BY_PROVIDER = Walk("ProjectsByProvider", "MATCH (:Provider {uid: key})-[:HOSTS]->(n:Project)", "Project")
PROVIDER_BY_PROJECT = Walk("ProviderByProject", "MATCH (:Project {uid: key})<-[:HOSTS]-(n:Provider)", "Provider")

SERVICE_LABELS = ("ComputeService", "BlockStorageService", "NetworkService", "ObjectStoreService", "IdentityService")

SERVICES_BY_REGION: dict[str, Walk] = {
    label: Walk(
        f"{label}sByRegion", f"MATCH (:Region {{uid: key}})-[:SUPPLIES]->(n:{label})", label, order="n.endpoint"
    )
    for label in SERVICE_LABELS
}
REGION_BY_SERVICE = Walk("RegionByService", "MATCH (:Service {uid: key})<-[:SUPPLIES]-(n:Region)", "Region")

# The TRUSTS edge carries how a provider trusts an issuer; each row holds both ends' properties.
TRUSTS_BY_PROVIDER = Walk(
    "TrustsByProvider",
    "MATCH (prov:Provider {uid: key})-[t:TRUSTS]->(n:IdentityProvider)",
    "IdentityProvider",
    row="{trust: properties(t), provider: prov {.*}, identityProvider: n {.*}}",
    order="n.endpoint",
    carry=("t", "prov"),
    labels=(("prov", "Provider"),),
)
TRUSTS_BY_IDENTITY_PROVIDER = Walk(
    "TrustsByIdentityProvider",
    "MATCH (idp:IdentityProvider {uid: key})<-[t:TRUSTS]-(n:Provider)",
    "Provider",
    row="{trust: properties(t), provider: n {.*}, identityProvider: idp {.*}}",
    carry=("t", "idp"),
    labels=(("idp", "IdentityProvider"),),
)
