"""Reshape the peer's response `data` into the registry's shape (pure reshaping: no filtering, sorting or computing).

Aliases in bench/peer/queries/ already give the registry's field names. The one thing they cannot do:
the registry looks a user group up as one object (`userGroup(name:, issuer:)`, null when absent),
while the Neo4j GraphQL Library only generates root lists, so the peer answers `userGroup: [group]`
(at most one: a group name is unique at its issuer) and it becomes `userGroup: group` (or None).
"""

from __future__ import annotations

from typing import Any

# Tiers whose root field is a user group looked up by (name, issuer).
_USER_GROUP_TIERS = frozenset({"dropdown", "matchmaking"})


def to_ours(tier: str, data: dict[str, Any]) -> dict[str, Any]:
    """The peer's `data` for `tier` ("list", "dropdown", "matchmaking") in the registry's shape."""
    if tier not in _USER_GROUP_TIERS or not isinstance(data.get("userGroup"), list):
        return data
    groups: list[Any] = data["userGroup"]
    if len(groups) > 1:
        raise ValueError(f"{tier}: the peer found {len(groups)} user groups for one (name, issuer)")
    return {**data, "userGroup": groups[0] if groups else None}
