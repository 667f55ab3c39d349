"""Who is asking, as Cypher predicates: every read filters what the caller may see in the database.

- Anonymous callers (when allowed) see the public catalogue: providers, regions, locations,
  services and shared flavors and images. Nothing group-specific.
- A user of a trusted issuer sees the whole shared catalogue and, for the user groups their token
  lists, those groups' SLAs, projects, quotas and private flavors/images/networks. Of other groups
  nothing, not even that they exist.
- An administrator sees everything; the registry's own tools (CLI, loader) read as `Scope.system()`.
- A scope made without saying who (`Scope()`) sees nothing at all: a forgotten argument fails closed.

Which rule applies to a label is the `Visibility` of its kind (`resolvers/kinds.py`). The caller
travels as the statement parameter `p.scope`; the predicates below read only it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from resolvers.kinds import KINDS, Visibility


def _own_group(group: str) -> str:
    """`group` is one of the caller's: named in their token, at their issuer.

    The issuer is compared as a property of the group's identity provider, not matched as a node: with
    the node matched (`{endpoint: …}`) Neo4j looked the provider up by its index and then checked the
    connection from its side, reading all of its groups' relationships for every row checked (the egi
    dropdown statement: 10,711 database hits, 6,179 of them there; this way 1,232)."""
    return (
        f"({group}.name IN p.scope.groups"
        f" AND EXISTS {{ ({group})-[:BELONGS_TO]->(vis_idp:IdentityProvider)"
        " WHERE vis_idp.endpoint = p.scope.issuer })"
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


def _own_quota(quota: str) -> str:
    return f"EXISTS {{ ({quota})<-[:HAS_QUOTA]-(vis_project:Project) WHERE {_own_project('vis_project')} }}"


def _linked(resource: str) -> str:
    return f"EXISTS {{ ({resource})<-[:CAN_USE]-(vis_project:Project) WHERE {_own_project('vis_project')} }}"


_GROUP_OWNED: dict[Visibility, Callable[[str], str]] = {
    Visibility.OWN_GROUP: _own_group,
    Visibility.GROUP_SLA: _own_sla,
    Visibility.GROUP_PROJECT: _own_project,
    Visibility.GROUP_PROJECT_QUOTA: _own_quota,
}


# A node reached from one the caller may see, along the edge its own rule names, is one the caller may
# see: that parent is the very witness its rule looks for (an SLA agreed by one of the caller's groups, a
# project covered by such an SLA, a quota or a private resource of such a project). The rule of the node
# -> (the label of its parent, the type of the edge from the parent to it).
_WITNESSED_BY: dict[Visibility, tuple[str, str]] = {
    Visibility.GROUP_SLA: ("UserGroup", "AGREES"),
    Visibility.GROUP_PROJECT: ("SLA", "COVERS"),
    Visibility.GROUP_PROJECT_QUOTA: ("Project", "HAS_QUOTA"),
    Visibility.SHARED_OR_LINKED: ("Project", "CAN_USE"),
    Visibility.MEMBERS_SHARED_OR_LINKED: ("Project", "CAN_USE"),
}


def visible_through(parent: str, edge_type: str, label: str) -> bool:
    """Whether every `label` node reached from a `parent` node the caller may see, along
    `(parent)-[:edge_type]->(node)`, is one the caller may see (no check of its own needed).

    An administrator sees both; an anonymous caller sees no parent of these rules; a member who sees
    the parent sees it as the witness the node's predicate (`_GROUP_OWNED`, `_linked`) asks for."""
    return _WITNESSED_BY.get(KINDS[label].visibility) == (parent, edge_type)


def _predicate(visibility: Visibility, var: str) -> str:
    owned = _GROUP_OWNED.get(visibility)
    if owned is not None:
        return f"(p.scope.admin OR (NOT p.scope.anonymous AND {owned(var)}))"
    if visibility in (Visibility.SHARED_OR_LINKED, Visibility.MEMBERS_SHARED_OR_LINKED):
        anonymous_may = f"{var}.isShared" if visibility is Visibility.SHARED_OR_LINKED else "false"
        return (
            f"(p.scope.admin OR (p.scope.anonymous AND {anonymous_may})"
            f" OR (NOT p.scope.anonymous AND ({var}.isShared OR {_linked(var)})))"
        )
    if visibility is Visibility.PUBLIC:
        return "true"
    return "(p.scope.admin OR NOT p.scope.anonymous)"


@dataclass(frozen=True)
class Scope:
    """The caller's visibility. `Scope()` may read nothing: say who is asking."""

    anonymous: bool = False
    admin: bool = False
    writer: bool = False
    issuer: str | None = None  # endpoint of the identity provider the caller's groups belong to
    groups: tuple[str, ...] = ()
    subject: str | None = None
    token_issuer: str | None = None
    may_read: bool = False  # False: every read answers nothing (the default)

    @classmethod
    def anonymous_caller(cls) -> Scope:
        return cls(anonymous=True, may_read=True)

    @classmethod
    def system(cls) -> Scope:
        """The registry's own tools (CLI, loader, benchmarks): every node, as an administrator."""
        return cls(admin=True, writer=True, may_read=True, subject="registry", token_issuer="local")

    @property
    def may_write(self) -> bool:
        """An administrator, or a caller with the writer entitlement (the feeder)."""
        return self.admin or self.writer

    def parameter(self) -> dict[str, Any]:
        """The `p.scope` map every statement of the request carries."""
        return {
            "read": self.may_read,
            "admin": self.admin and self.may_read,
            "anonymous": self.anonymous,
            "issuer": self.issuer,
            "groups": list(self.groups),
        }

    @staticmethod
    def predicate(label: str, var: str) -> str:
        """A Cypher boolean over `var` (a node labelled `label`) that is true when the caller may see it.

        The text depends only on the label; who is asking is in the parameters, so the statement
        (and Neo4j's cached plan) is the same for every caller."""
        return f"(p.scope.read AND {_predicate(KINDS[label].visibility, var)})"
