from typing import Any, Optional, Union

from .access import Access
from .async_base_client import AsyncBaseClient
from .base_model import UNSET, UnsetType
from .browse_flavors import BrowseFlavors
from .capabilities import Capabilities
from .cuda_images_in_region import CudaImagesInRegion
from .dropdown import Dropdown
from .groups_using_a_100 import GroupsUsingA100
from .input_types import DeploymentRequest
from .matchmaking import Matchmaking
from .networks import Networks
from .placement import Placement
from .quotas import Quotas
from .redeploy_by_provider import RedeployByProvider
from .redeploy_by_region import RedeployByRegion


def gql(q: str) -> str:
    return q


class RegistryClient(AsyncBaseClient):
    async def matchmaking(
        self, group: str, issuer: str, min_gpus: int, **kwargs: Any
    ) -> Matchmaking:
        query = gql("""
            query Matchmaking($group: String!, $issuer: String!, $minGpus: Int!) {
              userGroup(name: $group, issuer: $issuer) {
                name
                slas(where: {inForce: true, providerStatus: [ACTIVE]}) {
                  id
                  docUuid
                  startDate
                  endDate
                  projects(where: {providerStatus: [ACTIVE]}) {
                    uuid
                    name
                    provider {
                      id
                      name
                      type
                      isPublic
                    }
                    regions {
                      region {
                        name
                        overbookingCpu
                        overbookingRam
                        bandwidthIn
                        bandwidthOut
                        location {
                          site
                          country
                          latitude
                          longitude
                        }
                      }
                      computeServices {
                        service {
                          endpoint
                          name
                        }
                        flavors(where: {gpusMin: $minGpus}) {
                          name
                          vcpus
                          ram
                          disk
                          gpus
                          gpuVendor
                          gpuModel
                          infiniband
                          isShared
                        }
                        images(where: {cudaSupport: true}) {
                          name
                          osDistro
                          osVersion
                          architecture
                          gpuDriver
                        }
                        quotas {
                          perUser
                          usage
                          cores
                          instances
                          ram
                          gpus
                        }
                      }
                      networkServices {
                        networks {
                          name
                          isRouterExternal
                          isDefault
                          proxyHost
                          proxyUser
                        }
                      }
                    }
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {
            "group": group,
            "issuer": issuer,
            "minGpus": min_gpus,
        }
        response = await self.execute(
            query=query, operation_name="Matchmaking", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Matchmaking.model_validate(data)

    async def quotas(self, group: str, issuer: str, **kwargs: Any) -> Quotas:
        query = gql("""
            query Quotas($group: String!, $issuer: String!) {
              userGroup(name: $group, issuer: $issuer) {
                slas(where: {inForce: true}) {
                  docUuid
                  projects {
                    name
                    provider {
                      name
                    }
                    quotas {
                      __typename
                      perUser
                      usage
                      ... on ComputeQuota {
                        cores
                        ram
                        instances
                        gpus
                        service {
                          endpoint
                        }
                      }
                      ... on BlockStorageQuota {
                        gigabytes
                        perVolumeGigabytes
                        volumes
                        service {
                          endpoint
                        }
                      }
                      ... on NetworkQuota {
                        publicIps
                        networks
                        ports
                        securityGroups
                        securityGroupRules
                        service {
                          endpoint
                        }
                      }
                      ... on ObjectStoreQuota {
                        bytes
                        containers
                        objects
                        service {
                          endpoint
                        }
                      }
                    }
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"group": group, "issuer": issuer}
        response = await self.execute(
            query=query, operation_name="Quotas", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Quotas.model_validate(data)

    async def access(self, issuer: str, **kwargs: Any) -> Access:
        query = gql("""
            query Access($issuer: String!) {
              identityProviders(where: {endpoint: $issuer}) {
                nodes {
                  endpoint
                  trusts {
                    idpName
                    protocol
                    audience
                    provider {
                      name
                      regions {
                        name
                        identityServices {
                          endpoint
                          name
                        }
                      }
                    }
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"issuer": issuer}
        response = await self.execute(
            query=query, operation_name="Access", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Access.model_validate(data)

    async def networks(self, group: str, issuer: str, **kwargs: Any) -> Networks:
        query = gql("""
            query Networks($group: String!, $issuer: String!) {
              userGroup(name: $group, issuer: $issuer) {
                slas(where: {inForce: true}) {
                  projects {
                    name
                    regions {
                      region {
                        name
                      }
                      networkServices {
                        public: networks(where: {isRouterExternal: true}) {
                          name
                          uuid
                        }
                        private: networks(where: {isRouterExternal: false, isDefault: true}) {
                          name
                          uuid
                          proxyHost
                          proxyUser
                        }
                      }
                    }
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"group": group, "issuer": issuer}
        response = await self.execute(
            query=query, operation_name="Networks", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Networks.model_validate(data)

    async def capabilities(self, **kwargs: Any) -> Capabilities:
        query = gql("""
            query Capabilities {
              providers(where: {status: [ACTIVE]}, first: 100) {
                nodes {
                  name
                  regions {
                    name
                    publicIpAssignable
                    computeServices {
                      endpoint
                      microversion
                    }
                    blockStorageServices {
                      endpoint
                      volumeTypes {
                        name
                        qos
                      }
                    }
                    objectStoreServices {
                      endpoint
                      dataLocation
                    }
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="Capabilities", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Capabilities.model_validate(data)

    async def redeploy_by_region(
        self,
        region: str,
        identity_endpoint: str,
        group: str,
        issuer: str,
        **kwargs: Any,
    ) -> RedeployByRegion:
        query = gql("""
            query RedeployByRegion($region: String!, $identityEndpoint: String!, $group: String!, $issuer: String!) {
              regions(where: {name: $region, identityEndpoint: $identityEndpoint}) {
                nodes {
                  name
                  provider {
                    name
                    projects(where: {userGroup: {name: $group, issuer: $issuer}}) {
                      uuid
                      name
                      slas {
                        docUuid
                        endDate
                      }
                      regions(where: {name: $region}) {
                        region {
                          name
                        }
                        computeServices {
                          service {
                            endpoint
                          }
                          flavors(where: {gpusMin: 1}) {
                            name
                            gpus
                            gpuModel
                          }
                          quotas(where: {usage: false, perUser: false}) {
                            cores
                            ram
                            gpus
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {
            "region": region,
            "identityEndpoint": identity_endpoint,
            "group": group,
            "issuer": issuer,
        }
        response = await self.execute(
            query=query,
            operation_name="RedeployByRegion",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return RedeployByRegion.model_validate(data)

    async def redeploy_by_provider(
        self, provider: str, group: str, **kwargs: Any
    ) -> RedeployByProvider:
        query = gql("""
            query RedeployByProvider($provider: ID!, $group: ID!) {
              provider(id: $provider) {
                name
                projects(where: {userGroupId: $group}) {
                  uuid
                  name
                  regions {
                    region {
                      name
                    }
                    identityServices {
                      endpoint
                    }
                    computeServices {
                      service {
                        endpoint
                      }
                      flavors(where: {gpusMin: 1}) {
                        name
                        gpus
                        gpuModel
                        isShared
                      }
                      quotas(where: {usage: false, perUser: false}) {
                        cores
                        ram
                        gpus
                      }
                    }
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"provider": provider, "group": group}
        response = await self.execute(
            query=query,
            operation_name="RedeployByProvider",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return RedeployByProvider.model_validate(data)

    async def dropdown(self, group: str, issuer: str, **kwargs: Any) -> Dropdown:
        query = gql("""
            query Dropdown($group: String!, $issuer: String!) {
              userGroup(name: $group, issuer: $issuer) {
                deploymentTargets {
                  sla {
                    id
                    docUuid
                  }
                  provider {
                    name
                  }
                  region {
                    name
                  }
                  computeService {
                    endpoint
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"group": group, "issuer": issuer}
        response = await self.execute(
            query=query, operation_name="Dropdown", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Dropdown.model_validate(data)

    async def groups_using_a_100(self, **kwargs: Any) -> GroupsUsingA100:
        query = gql("""
            query GroupsUsingA100 {
              flavors(where: {gpuModel: "A100"}, orderBy: {field: NAME}, first: 50) {
                totalCount
                nodes {
                  name
                  usableBy {
                    name
                    provider {
                      name
                    }
                    slas {
                      userGroup {
                        name
                        identityProvider {
                          endpoint
                        }
                      }
                    }
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="GroupsUsingA100", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return GroupsUsingA100.model_validate(data)

    async def cuda_images_in_region(
        self, region: str, **kwargs: Any
    ) -> CudaImagesInRegion:
        query = gql("""
            query CudaImagesInRegion($region: String!) {
              regions(where: {name: $region}) {
                nodes {
                  name
                  provider {
                    name
                  }
                  computeServices {
                    images(where: {cudaSupport: true}) {
                      name
                      osDistro
                      osVersion
                    }
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"region": region}
        response = await self.execute(
            query=query,
            operation_name="CudaImagesInRegion",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return CudaImagesInRegion.model_validate(data)

    async def browse_flavors(
        self, after: Union[Optional[str], UnsetType] = UNSET, **kwargs: Any
    ) -> BrowseFlavors:
        query = gql("""
            query BrowseFlavors($after: String) {
              flavors(
                where: {gpusMin: 1}
                orderBy: {field: GPUS, direction: DESC}
                first: 5
                after: $after
              ) {
                totalCount
                pageInfo {
                  hasNextPage
                  endCursor
                }
                edges {
                  cursor
                  node {
                    name
                    gpus
                    gpuVendor
                    gpuModel
                    computeServices {
                      region {
                        name
                        provider {
                          name
                        }
                      }
                    }
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"after": after}
        response = await self.execute(
            query=query, operation_name="BrowseFlavors", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return BrowseFlavors.model_validate(data)

    async def placement(
        self, group: str, issuer: str, request: DeploymentRequest, **kwargs: Any
    ) -> Placement:
        query = gql("""
            query Placement($group: String!, $issuer: String!, $request: DeploymentRequest!) {
              userGroup(name: $group, issuer: $issuer) {
                placements(request: $request) {
                  rank
                  fits
                  score
                  sla {
                    docUuid
                  }
                  project {
                    uuid
                    name
                  }
                  provider {
                    name
                    status
                  }
                  region {
                    name
                  }
                  computeService {
                    endpoint
                  }
                  flavors {
                    name
                    vcpus
                    ram
                    gpus
                    gpuVendor
                    gpuModel
                  }
                  images {
                    name
                    osDistro
                    osVersion
                    cudaVersion
                  }
                  remaining {
                    resource
                    scope {
                      gpuVendor
                      gpuModel
                      gpuResource
                    }
                    requested
                    project
                    perUser
                    remaining
                    fits
                  }
                  reasons {
                    code
                    message
                    subjectId
                    resource
                    scope {
                      gpuVendor
                      gpuModel
                    }
                    requested
                    remaining
                    considered
                    detail
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {
            "group": group,
            "issuer": issuer,
            "request": request,
        }
        response = await self.execute(
            query=query, operation_name="Placement", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Placement.model_validate(data)
