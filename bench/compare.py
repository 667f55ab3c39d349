"""Comparing answers strictly: JSON types never mix, and lists keep their order where the query orders them.

- Types: null, boolean, number, string, list and object are apart (`true` is not `1.0`, `"1"` is not
  `1`). Numbers compare by exact value: JSON has one number type, and JavaScript writes the Float
  `10.0` as `10`, so `10` equals `10.0` but `0.1` does not equal `0.1000001`.
- Lists: each tier declares every list path of its answer as ORDERED (the order is the answer: compared
  item by item) or OPEN (the query leaves the order open: compared as multisets, duplicates counted).
  A list at a path the tier does not declare is an error, so a new field cannot slip through unchecked.

Paths are object keys joined by dots, without list indices: `userGroup.slas.projects`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any


@dataclass(frozen=True)
class ListOrder:
    """Which lists of an answer are ordered, and which leave their order open."""

    ordered: frozenset[str] = frozenset()
    open: frozenset[str] = frozenset()

    def is_open(self, path: str) -> bool:
        if path in self.ordered:
            return False
        if path in self.open:
            return True
        raise UndeclaredList(f"{path or '(root)'}: a list whose order the comparison does not declare")


class UndeclaredList(ValueError):
    pass


_MATCHMAKING_REGIONS = "userGroup.slas.projects.regions"

# bench/queries/*.graphql against schema/schema.graphql: only a root connection promises an order (its
# `orderBy`, by default the name, then the id, is what makes `first: 20` a page); the schema's nested
# lists and `deploymentTargets` promise none, so they are multisets.
LIST_ORDER: dict[str, ListOrder] = {
    "list": ListOrder(ordered=frozenset({"flavors.edges"})),
    "dropdown": ListOrder(open=frozenset({"userGroup.deploymentTargets"})),
    # Placements promise their order (rank), and so do their flavors, images, figures and reasons.
    "placement": ListOrder(
        ordered=frozenset(
            {f"userGroup.placements{part}" for part in ("", ".flavors", ".images", ".remaining", ".reasons")}
        )
    ),
    "matchmaking": ListOrder(
        open=frozenset(
            {
                "userGroup.slas",
                "userGroup.slas.projects",
                _MATCHMAKING_REGIONS,
                f"{_MATCHMAKING_REGIONS}.computeServices",
                f"{_MATCHMAKING_REGIONS}.computeServices.flavors",
                f"{_MATCHMAKING_REGIONS}.computeServices.images",
                f"{_MATCHMAKING_REGIONS}.computeServices.quotas",
                f"{_MATCHMAKING_REGIONS}.networkServices",
                f"{_MATCHMAKING_REGIONS}.networkServices.networks",
            }
        )
    ),
}


def kind(value: Any) -> str:
    """The JSON type of a decoded value (Python's `bool` is an `int`: checked first)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def _number(value: int | float) -> Fraction | str:
    return Fraction(value) if not isinstance(value, float) or math.isfinite(value) else repr(value)


def key(value: Any, order: ListOrder, path: str = "") -> str:
    """A text that two values share exactly when they are equal under these rules (open lists sorted)."""
    match kind(value):
        case "object":
            fields = (f"{json.dumps(k)}:{key(v, order, _join(path, k))}" for k, v in sorted(value.items()))
            return "{" + ",".join(fields) + "}"
        case "list":
            items = [key(v, order, path) for v in value]
            return "[" + ",".join(sorted(items) if order.is_open(path) else items) + "]"
        case "number":
            return f"n{_number(value)}"
        case "boolean":
            return "true" if value else "false"
        case "null":
            return "null"
        case _:
            return json.dumps(value)


def _join(path: str, field: str) -> str:
    return f"{path}.{field}" if path else field


def _show(value: Any) -> str:
    return f"{kind(value)} {json.dumps(value)[:120]}"


def differences(expected: Any, actual: Any, order: ListOrder, path: str = "", where: str = "data") -> list[str]:
    """Where `actual` differs from `expected`, as readable lines (empty: equal)."""
    if kind(expected) != kind(actual):
        return [f"{where}: expected {_show(expected)}, given {_show(actual)}"]
    if isinstance(expected, dict):
        found = []
        for k in sorted(set(expected) | set(actual)):
            if k not in actual:
                found.append(f"{where}.{k}: missing")
            elif k not in expected:
                found.append(f"{where}.{k}: unexpected {_show(actual[k])}")
            else:
                found += differences(expected[k], actual[k], order, _join(path, k), f"{where}.{k}")
        return found
    if isinstance(expected, list):
        if order.is_open(path):
            return _multiset_differences(expected, actual, order, path, where)
        if len(expected) != len(actual):
            return [f"{where}: {len(expected)} items expected, {len(actual)} given (an ordered list)"]
        return [
            line
            for i, (e, a) in enumerate(zip(expected, actual, strict=True))
            for line in differences(e, a, order, path, f"{where}[{i}]")
        ]
    equal = _number(expected) == _number(actual) if kind(expected) == "number" else expected == actual
    return [] if equal else [f"{where}: expected {_show(expected)}, given {_show(actual)}"]


def _multiset_differences(expected: list[Any], actual: list[Any], order: ListOrder, path: str, where: str) -> list[str]:
    """Items equal in both are set aside (duplicates counted); what is left is paired in key order and
    compared field by field, so one changed item reads as the field that changed."""
    left: dict[str, list[int]] = {}
    for i, v in enumerate(expected):
        left.setdefault(key(v, order, path), []).append(i)
    unmatched = []
    for v in actual:
        indices = left.get(k := key(v, order, path))
        if indices:
            indices.pop()
        else:
            unmatched.append((k, v))
    missing = sorted((k, i) for k, indices in left.items() for i in indices)
    if not missing and not unmatched:
        return []
    found = []
    if len(expected) != len(actual):
        found.append(f"{where}: {len(expected)} items expected, {len(actual)} given (order open: a multiset)")
    unmatched.sort(key=lambda pair: pair[0])
    for (_, i), (_, v) in zip(missing, unmatched, strict=False):
        found += differences(expected[i], v, order, path, f"{where}[{i}, order open]")
    found += [f"{where}[{i}, order open]: missing {_show(expected[i])}" for _, i in missing[len(unmatched) :]]
    found += [f"{where}: unexpected {_show(v)}" for _, v in unmatched[len(missing) :]]
    return found


class Mismatch(AssertionError):
    """Two answers that should be equal are not; the message is the readable diff."""


def check(tier: str, expected: Any, actual: Any, what: str, limit: int = 20) -> None:
    """Raise Mismatch unless `actual` equals `expected` under the tier's list orders."""
    found = differences(expected, actual, LIST_ORDER[tier])
    if found:
        shown = "\n".join(found[:limit]) + (f"\n... and {len(found) - limit} more" if len(found) > limit else "")
        raise Mismatch(f"[{tier}] {what}:\n{shown}")
