// Tier "matchmaking": userGroup(name: $group, issuer: $issuer) with its SLAs in force on $today
// that cover a project at an ACTIVE provider; their projects at ACTIVE providers; each project's
// provider, and the regions of it that supply a service the project may use; per region the
// compute and network services it may use (a limit quota on the service, or a private resource of
// the project the service offers), with the flavors (gpus >= $minGpus) and CUDA images it may use
// (shared ones where it holds a limit quota, plus its own private ones), its quotas on the service
// and the networks it may use. Every list in the order our resolvers give it.
OPTIONAL MATCH (g:UserGroup {name: $group})-[:BELONGS_TO]->(:IdentityProvider {endpoint: $issuer})
RETURN {userGroup: CASE WHEN g IS NULL THEN null ELSE {
  name: g.name,
  slas: COLLECT {
    MATCH (g)-[:AGREES]->(sla:SLA)
    WHERE sla.startDate <= $today AND $today <= sla.endDate
      AND EXISTS { (sla)-[:COVERS]->(:Project)<-[:HOSTS]-(:Provider {status: 'active'}) }
    WITH sla ORDER BY sla.startDate, sla.uid
    RETURN {
      id: sla.uid, docUuid: sla.docUuid, startDate: toString(sla.startDate), endDate: toString(sla.endDate),
      projects: COLLECT {
        MATCH (sla)-[:COVERS]->(pr:Project)
        WHERE EXISTS { (pr)<-[:HOSTS]-(:Provider {status: 'active'}) }
        WITH pr ORDER BY pr.name, pr.uid
        RETURN {
          uuid: pr.uuid, name: pr.name,
          provider: COLLECT {
            MATCH (pr)<-[:HOSTS]-(prov:Provider)
            WITH prov ORDER BY prov.name, prov.uid LIMIT 1
            RETURN {id: prov.uid, name: prov.name, type: toUpper(prov.type), isPublic: coalesce(prov.isPublic, false)}
          }[0],
          regions: COLLECT {
            MATCH (pr)<-[:HOSTS]-(:Provider)-[:DIVIDED_INTO]->(r:Region)
            WHERE EXISTS {
              MATCH (r)-[:SUPPLIES]->(s:Service)
              WHERE EXISTS { (pr)-[:HAS_QUOTA]->(:Quota {usage: false})-[:ON]->(s) }
                 OR EXISTS { (pr)-[:CAN_USE]->()<-[:OFFERS]-(s) }
            }
            WITH r ORDER BY r.name, r.uid
            RETURN {
              region: {
                name: r.name,
                overbookingCpu: toFloat(coalesce(r.overbookingCpu, 1.0)),
                overbookingRam: toFloat(coalesce(r.overbookingRam, 1.0)),
                bandwidthIn: toFloat(r.bandwidthIn), bandwidthOut: toFloat(r.bandwidthOut),
                location: COLLECT {
                  MATCH (r)-[:LOCATED_AT]->(loc:Location)
                  WITH loc ORDER BY loc.site, loc.uid LIMIT 1
                  RETURN {site: loc.site, country: loc.country, latitude: toFloat(loc.latitude),
                          longitude: toFloat(loc.longitude)}
                }[0]
              },
              computeServices: COLLECT {
                MATCH (r)-[:SUPPLIES]->(cs:ComputeService)
                WITH cs, EXISTS { (pr)-[:HAS_QUOTA]->(:Quota {usage: false})-[:ON]->(cs) } AS held
                WHERE held OR EXISTS { (pr)-[:CAN_USE]->()<-[:OFFERS]-(cs) }
                WITH cs, held ORDER BY cs.endpoint, cs.uid
                RETURN {
                  service: {endpoint: cs.endpoint, name: cs.name},
                  flavors: COLLECT {
                    MATCH (cs)-[:OFFERS]->(f:Flavor)
                    WHERE f.gpus >= $minGpus AND ((held AND f.isShared) OR EXISTS { (pr)-[:CAN_USE]->(f) })
                    WITH DISTINCT f ORDER BY f.name, f.uid
                    RETURN {name: f.name, vcpus: coalesce(f.vcpus, 0), ram: coalesce(f.ram, 0), disk: coalesce(f.disk, 0),
                            gpus: f.gpus, gpuVendor: f.gpuVendor, gpuModel: f.gpuModel,
                            infiniband: coalesce(f.infiniband, false), isShared: f.isShared}
                  },
                  images: COLLECT {
                    MATCH (cs)-[:OFFERS]->(i:Image)
                    WHERE i.cudaSupport = true AND ((held AND i.isShared) OR EXISTS { (pr)-[:CAN_USE]->(i) })
                    WITH DISTINCT i ORDER BY i.name, i.uid
                    RETURN {name: i.name, osDistro: i.osDistro, osVersion: i.osVersion, architecture: i.architecture,
                            gpuDriver: coalesce(i.gpuDriver, false)}
                  },
                  quotas: COLLECT {
                    MATCH (pr)-[:HAS_QUOTA]->(q:Quota)-[:ON]->(cs)
                    WITH q ORDER BY q.kind, q.usage, q.perUser, q.uid
                    RETURN {perUser: coalesce(q.perUser, false), usage: coalesce(q.usage, false),
                            cores: q.cores, instances: q.instances, ram: q.ram, gpus: q.gpus}
                  }
                }
              },
              networkServices: COLLECT {
                MATCH (r)-[:SUPPLIES]->(ns:NetworkService)
                WITH ns, EXISTS { (pr)-[:HAS_QUOTA]->(:Quota {usage: false})-[:ON]->(ns) } AS held
                WHERE held OR EXISTS { (pr)-[:CAN_USE]->()<-[:OFFERS]-(ns) }
                WITH ns, held ORDER BY ns.endpoint, ns.uid
                RETURN {
                  networks: COLLECT {
                    MATCH (ns)-[:OFFERS]->(n:Network)
                    WHERE (held AND n.isShared) OR EXISTS { (pr)-[:CAN_USE]->(n) }
                    WITH DISTINCT n ORDER BY n.name, n.uid
                    RETURN {name: n.name, isRouterExternal: coalesce(n.isRouterExternal, false),
                            isDefault: coalesce(n.isDefault, false), proxyHost: n.proxyHost, proxyUser: n.proxyUser}
                  }
                }
              }
            }
          }
        }
      }
    }
  }
} END} AS data
