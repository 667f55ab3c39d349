"""Who is asking, as a Cypher predicate: the slot every read query leaves for the caller's scope."""

from __future__ import annotations

from dataclasses import dataclass

# Nodes that belong to a user group (its SLAs, projects, quotas, private resources). The access
# issue turns the caller's (issuer, groups) into parameters of the predicate returned for these.
GROUP_OWNED = frozenset({"UserGroup", "SLA", "Project", "Quota"})


@dataclass(frozen=True)
class Scope:
    """The caller's visibility. Until identity lands, everyone sees everything."""

    everything: bool = True

    def predicate(self, label: str, var: str) -> str:
        """A Cypher boolean over `var` (a node labelled `label`) that is true when it is visible."""
        return "true"
