// Tier "dropdown": userGroup(name: $group, issuer: $issuer) { deploymentTargets { ... } }.
// One row per (SLA in force on $today, project it covers at an ACTIVE provider, region of that
// provider, compute service of the region the project may use: it holds a limit quota on it or is
// linked to a private resource it offers), ordered by provider name, region name, endpoint, SLA
// docUuid, service uid. A group is unique per issuer (its naturalKey), so at most one row matches.
OPTIONAL MATCH (g:UserGroup {name: $group})-[:BELONGS_TO]->(:IdentityProvider {endpoint: $issuer})
RETURN {userGroup: CASE WHEN g IS NULL THEN null ELSE {deploymentTargets: COLLECT {
  MATCH (g)-[:AGREES]->(sla:SLA)-[:COVERS]->(pr:Project)<-[:HOSTS]-(prov:Provider {status: 'active'})
  WHERE sla.startDate <= $today AND $today <= sla.endDate
  MATCH (prov)-[:DIVIDED_INTO]->(r:Region)-[:SUPPLIES]->(cs:ComputeService)
  WHERE EXISTS { (pr)-[:HAS_QUOTA]->(:Quota {usage: false})-[:ON]->(cs) }
     OR EXISTS { (pr)-[:CAN_USE]->()<-[:OFFERS]-(cs) }
  WITH sla, prov, r, cs ORDER BY prov.name, r.name, cs.endpoint, sla.docUuid, cs.uid
  RETURN {sla: {id: sla.uid, docUuid: sla.docUuid}, provider: {name: prov.name}, region: {name: r.name},
          computeService: {endpoint: cs.endpoint}}
} } END} AS data
