// Tier "list": flavors(where: {gpusMin: 1}, first: 20) as a member of $group at $issuer sees them:
// shared GPU flavors, plus the private ones linked (CAN_USE) to a project an SLA of the group covers.
// Ordered by name, then uid (the list's default sort key and its tie-break), first 20.
CALL () {
  MATCH (f:Flavor)
  WHERE f.gpus >= 1 AND f.isShared
  RETURN f
  UNION
  MATCH (:IdentityProvider {endpoint: $issuer})<-[:BELONGS_TO]-(:UserGroup {name: $group})
        -[:AGREES]->(:SLA)-[:COVERS]->(:Project)-[:CAN_USE]->(f:Flavor)
  WHERE f.gpus >= 1
  RETURN f
}
WITH f ORDER BY f.name, f.uid LIMIT 20
WITH collect({node: {
  id: f.uid, name: f.name, vcpus: coalesce(f.vcpus, 0), ram: coalesce(f.ram, 0), disk: coalesce(f.disk, 0),
  gpus: f.gpus, gpuVendor: f.gpuVendor, gpuModel: f.gpuModel, isShared: f.isShared
}}) AS edges
RETURN {flavors: {edges: edges}} AS data
