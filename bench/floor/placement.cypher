// Tier "placement": userGroup(name: $group, issuer: $issuer) { placements(request: $request) { ... } }.
// Written by hand for the benchmark's request (no block storage asked for, none in the synthetic
// federations; no freshness or provider lists): one row per (SLA, project, region, compute service the
// project may use), with the flavors and images that fit, per resource the project's limit − usage and
// the per-user limit (−1 or absent: unlimited), the reasons, the score and the rank (README, "Placement").
OPTIONAL MATCH (g:UserGroup {name: $group})-[:BELONGS_TO]->(:IdentityProvider {endpoint: $issuer})
CALL (g) {
  WITH g, $request AS req
  MATCH (g)-[:AGREES]->(sla:SLA)-[:COVERS]->(pr:Project)<-[:HOSTS]-(prov:Provider)
  MATCH (prov)-[:DIVIDED_INTO]->(r:Region)-[:SUPPLIES]->(cs:ComputeService)
  WITH *, EXISTS { (pr)-[:HAS_QUOTA]->(:Quota {usage: false})-[:ON]->(cs) } AS limited
  WHERE limited OR EXISTS { (pr)-[:CAN_USE]->()<-[:OFFERS]-(cs) }
  OPTIONAL MATCH (pr)-[:HAS_QUOTA]->(lim:Quota {usage: false, perUser: false})-[:ON]->(cs)
  OPTIONAL MATCH (pr)-[:HAS_QUOTA]->(usr:Quota {usage: false, perUser: true})-[:ON]->(cs)
  OPTIONAL MATCH (pr)-[:HAS_QUOTA]->(used:Quota {usage: true, perUser: false})-[:ON]->(cs)
  OPTIONAL CALL (pr, r) {
    MATCH (r)-[:SUPPLIES]->(ns:NetworkService)
    WHERE EXISTS { (pr)-[:HAS_QUOTA]->(:Quota {usage: false})-[:ON]->(ns) } OR EXISTS { (pr)-[:CAN_USE]->()<-[:OFFERS]-(ns) }
    RETURN ns ORDER BY ns.endpoint LIMIT 1
  }
  OPTIONAL MATCH (pr)-[:HAS_QUOTA]->(nlim:Quota {usage: false, perUser: false})-[:ON]->(ns)
  OPTIONAL MATCH (pr)-[:HAS_QUOTA]->(nusr:Quota {usage: false, perUser: true})-[:ON]->(ns)
  OPTIONAL MATCH (pr)-[:HAS_QUOTA]->(nused:Quota {usage: true, perUser: false})-[:ON]->(ns)
  WITH sla, pr, prov, r, cs, req, ns,
    COLLECT { MATCH (cs)-[:OFFERS]->(f:Flavor) WHERE (f.isShared AND limited) OR (pr)-[:CAN_USE]->(f)
              RETURN f ORDER BY f.gpus, f.vcpus, f.ram, f.disk, f.name, f.uid } AS flavorsUsable,
    COLLECT { MATCH (cs)-[:OFFERS]->(i:Image) WHERE (i.isShared AND limited) OR (pr)-[:CAN_USE]->(i)
              RETURN i ORDER BY i.name, i.uid } AS imagesUsable,
    [x IN [['CORES', req.vcpus * req.instances, lim.cores, usr.cores, used.cores, true],
           ['RAM', req.ram * req.instances, lim.ram, usr.ram, used.ram, true],
           ['INSTANCES', req.instances, lim.instances, usr.instances, used.instances, true],
           ['GPUS', req.gpus * req.instances, lim.gpus, usr.gpus, used.gpus, true],
           ['BLOCK_STORAGE', 0, null, null, null, false],
           ['PUBLIC_IPS', req.publicIps, nlim.publicIps, nusr.publicIps, nused.publicIps, ns IS NOT NULL]] |
      {resource: x[0], requested: x[1], usable: x[5],
       project: CASE WHEN NOT x[5] THEN 0 WHEN x[2] IS NULL OR x[2] = -1 THEN null ELSE x[2] - coalesce(x[4], 0) END,
       perUser: CASE WHEN x[3] = -1 THEN null ELSE x[3] END}] AS figures
  WITH sla, pr, prov, r, cs, imagesUsable, flavorsUsable,
    [f IN flavorsUsable WHERE f.vcpus >= req.vcpus AND f.ram >= req.ram AND f.gpus >= req.gpus
                          AND toLower(f.gpuVendor) = toLower(req.gpuVendor) | f.name] AS flavors,
    [i IN imagesUsable WHERE toLower(i.osDistro) = toLower(req.osDistro) | i.name] AS images,
    [x IN figures | x {.*, remaining: CASE WHEN x.project IS NULL THEN x.perUser WHEN x.perUser IS NULL THEN x.project
                                           WHEN x.perUser < x.project THEN x.perUser ELSE x.project END}] AS figures
  WITH sla, pr, prov, r, cs, flavors, images, size(flavorsUsable) AS nFlavors, size(imagesUsable) AS nImages,
    [x IN figures | x {.*, fits: x.requested = 0 OR (x.usable AND (x.remaining IS NULL OR x.requested <= x.remaining))}]
      AS figures
  WITH sla, pr, prov, r, cs, flavors, images, figures,
    [c IN [CASE WHEN NOT (sla.startDate <= $today <= sla.endDate) THEN ['SLA_NOT_IN_FORCE', sla.uid] END,
           CASE WHEN prov.status <> 'active' THEN ['PROVIDER_NOT_ACTIVE', prov.uid] END,
           CASE WHEN prov.stale OR r.stale OR cs.stale THEN ['STALE_DATA', prov.uid] END,
           CASE WHEN size(flavors) = 0 THEN ['NO_FLAVOR_FITS', cs.uid, nFlavors] END,
           CASE WHEN size(images) = 0 THEN ['NO_IMAGE_FITS', cs.uid, nImages] END]
       WHERE c IS NOT NULL | {code: c[0], subjectId: c[1], resource: null, requested: null, remaining: null,
                              considered: c[2]}]
    + [x IN figures WHERE NOT x.fits | {code: CASE WHEN x.usable THEN 'QUOTA_EXCEEDED' ELSE 'NO_USABLE_SERVICE' END,
                                         subjectId: cs.uid, resource: x.resource, requested: x.requested,
                                         remaining: x.remaining, considered: null}] AS reasons
  WITH sla, pr, prov, r, cs, flavors, images, figures, reasons,
    reduce(s = 1.0, x IN figures | CASE
      WHEN x.requested > 0 AND x.remaining IS NOT NULL
       AND toFloat(x.remaining - x.requested) / CASE WHEN x.remaining > 1 THEN x.remaining ELSE 1 END < s
      THEN toFloat(x.remaining - x.requested) / CASE WHEN x.remaining > 1 THEN x.remaining ELSE 1 END
      ELSE s END) AS score
  WITH {fits: size(reasons) = 0, score: score, sla: {docUuid: sla.docUuid}, provider: {name: prov.name},
        region: {name: r.name}, computeService: {endpoint: cs.endpoint}, flavors: [f IN flavors | {name: f}],
        images: [i IN images | {name: i}],
        remaining: [x IN figures | x {.resource, .requested, .project, .perUser, .remaining, .fits}],
        reasons: reasons} AS placement
  ORDER BY placement.fits DESC, placement.score DESC, prov.name, r.name, cs.endpoint, sla.docUuid, pr.uuid
  RETURN collect(placement) AS ranked
}
RETURN {userGroup: CASE WHEN g IS NULL THEN null ELSE {placements: [i IN range(0, size(ranked) - 1) | {
  rank: i + 1, fits: ranked[i].fits, score: ranked[i].score, sla: ranked[i].sla, provider: ranked[i].provider,
  region: ranked[i].region, computeService: ranked[i].computeService, flavors: ranked[i].flavors,
  images: ranked[i].images, remaining: ranked[i].remaining, reasons: ranked[i].reasons}]} END} AS data
