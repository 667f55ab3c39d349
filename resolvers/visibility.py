"""Who is asking, as Cypher predicates: every read filters what the caller may see in the database.

- Anonymous callers (when allowed) see the public catalogue: providers, regions, locations,
  services and shared flavors and images. Nothing group-specific.
- A user of a trusted issuer sees the whole shared catalogue and, for the user groups their token
  lists, those groups' SLAs, projects, quotas and private flavors/images/networks. Of other groups
  nothing, not even that they exist.
- An administrator sees everything.

The caller travels as the statement parameter `p.scope`; the predicates below read only it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def _own_group(group: str) -> str:
    """`group` is one of the caller's: named in their token, at their issuer."""
    return (
        f"({group}.name IN p.scope.groups"
        f" AND EXISTS {{ ({group})-[:BELONGS_TO]->(:IdentityProvider {{endpoint: p.scope.issuer}}) }})"
    )


# Variables of these predicates are prefixed `vis_`: a WHERE after WITH can still see the query's
# earlier variables, and an `s` or `g` of the caller's query must not be captured here.


def _own_sla(sla: str) -> str:
    return f"EXISTS {{ ({sla})<-[:AGREES]-(vis_group:UserGroup) WHERE {_own_group('vis_group')} }}"


def _own_project(project: str) -> str:
    """An SLA of one of the caller's groups covers `project`."""
    return (
        f"EXISTS {{ ({project})<-[:COVERS]-(:SLA)<-[:AGREES]-(vis_group:UserGroup) WHERE {_own_group('vis_group')} }}"
    )


def _group_owned(label: str, var: str) -> str | None:
    if label == "UserGroup":
        return _own_group(var)
    if label == "SLA":
        return _own_sla(var)
    if label == "Project":
        return _own_project(var)
    if label == "Quota":
        return f"EXISTS {{ ({var})<-[:HAS_QUOTA]-(vis_project:Project) WHERE {_own_project('vis_project')} }}"
    if label == "DeploymentTarget":  # rows read from a group; their SLA is checked again
        return _own_sla("sla")
    return None


_PRIVATE_CAPABLE = {"Flavor", "Image", "Network"}
# What anonymous callers may see at all (flavors and images only when shared).
_PUBLIC = {"Provider", "Region", "Location", "Service", "ComputeService", "BlockStorageService", "NetworkService",
           "ObjectStoreService", "IdentityService"}  # fmt: skip


@dataclass(frozen=True)
class Scope:
    """The caller's visibility. The default is an administrator's (the feeder and CLI read all)."""

    anonymous: bool = False
    admin: bool = True
    writer: bool = False
    issuer: str | None = None  # endpoint of the identity provider the caller's groups belong to
    groups: tuple[str, ...] = ()
    subject: str | None = None
    token_issuer: str | None = None

    @classmethod
    def anonymous_caller(cls) -> Scope:
        return cls(anonymous=True, admin=False)

    def parameter(self) -> dict[str, Any]:
        """The `p.scope` map every statement of the request carries."""
        return {"admin": self.admin, "anonymous": self.anonymous, "issuer": self.issuer, "groups": list(self.groups)}

    def predicate(self, label: str, var: str) -> str:
        """A Cypher boolean over `var` (a node labelled `label`) that is true when the caller may see it.

        The text depends only on the label; who is asking is in the parameters, so the statement
        (and Neo4j's cached plan) is the same for every caller."""
        owned = _group_owned(label, var)
        if owned is not None:
            return f"(p.scope.admin OR (NOT p.scope.anonymous AND {owned}))"
        if label in _PRIVATE_CAPABLE:
            linked = f"EXISTS {{ ({var})<-[:CAN_USE]-(vis_project:Project) WHERE {_own_project('vis_project')} }}"
            anonymous_may = f"{var}.isShared" if label != "Network" else "false"
            return (
                f"(p.scope.admin OR (p.scope.anonymous AND {anonymous_may})"
                f" OR (NOT p.scope.anonymous AND ({var}.isShared OR {linked})))"
            )
        if label in _PUBLIC:
            return "true"
        return "(p.scope.admin OR NOT p.scope.anonymous)"
