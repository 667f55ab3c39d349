"""Comparing answers: equal data, whatever order lists come in where the query leaves order open."""

from __future__ import annotations

import json
from typing import Any


def canonical(value: Any, ordered: tuple[str, ...] = (), key: str = "") -> Any:
    """`value` with every list sorted, except lists under a key in `ordered` (their order is the answer)."""
    if isinstance(value, dict):
        return {k: canonical(v, ordered, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [canonical(v, ordered) for v in value]
        return items if key in ordered else sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return value


def differences(expected: Any, actual: Any, path: str = "data") -> list[str]:
    """Where two canonical answers differ, as readable paths."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = []
        for k in sorted(set(expected) | set(actual)):
            if k not in actual:
                found.append(f"{path}.{k}: missing")
            elif k not in expected:
                found.append(f"{path}.{k}: unexpected {json.dumps(actual[k])[:120]}")
            else:
                found += differences(expected[k], actual[k], f"{path}.{k}")
        return found
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{path}: {len(expected)} items expected, {len(actual)} given"]
        return [
            d for i, (e, a) in enumerate(zip(expected, actual, strict=True)) for d in differences(e, a, f"{path}[{i}]")
        ]
    if expected != actual:
        return [f"{path}: expected {json.dumps(expected)[:120]}, given {json.dumps(actual)[:120]}"]
    return []
