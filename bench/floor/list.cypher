// Tier "list": flavors(where: {gpusMin: 1}, first: 20) as a member of $group at $issuer sees them:
// shared GPU flavors, plus the private ones linked (CAN_USE) to a project an SLA of the group covers.
// Ordered by name, then uid (the list's default sort key and its tie-break), first 20.
// As ours does (resolvers/catalogue.py), it walks the name index in order and stops once 20 flavors
// pass the filter, instead of matching every GPU flavor and sorting them all; every flavor has a
// name, so `IS NOT NULL` (which lets the planner read the index in order) loses none.
MATCH (f:Flavor) USING INDEX f:Flavor(name)
WHERE f.name IS NOT NULL AND f.gpus >= 1
  AND (f.isShared OR EXISTS {
    (f)<-[:CAN_USE]-(:Project)<-[:COVERS]-(:SLA)<-[:AGREES]-(:UserGroup {name: $group})
      -[:BELONGS_TO]->(:IdentityProvider {endpoint: $issuer})
  })
WITH f ORDER BY f.name, f.uid LIMIT 20
WITH collect({node: {
  id: f.uid, name: f.name, vcpus: coalesce(f.vcpus, 0), ram: coalesce(f.ram, 0), disk: coalesce(f.disk, 0),
  gpus: f.gpus, gpuVendor: f.gpuVendor, gpuModel: f.gpuModel, isShared: f.isShared
}}) AS edges
RETURN {flavors: {edges: edges}} AS data
