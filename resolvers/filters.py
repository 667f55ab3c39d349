"""Filters compiled into Cypher predicates over parameters (never values); each kind declares its own."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class FilterError(ValueError):
    """A filter the label does not know (a programming error in the schema layer, not the caller's)."""


def compile_where(predicates: Mapping[str, str], where: Mapping[str, Any] | None) -> tuple[str, dict[str, Any]]:
    """The predicate for `where` (filter name -> value), from `predicates` (filter name -> predicate
    over `n` and `$v`, e.g. a kind's `filters`), and the parameters it reads (as `p.f.<name>`).

    Unset (None) filters are left out; an empty list is a filter that matches nothing."""
    clauses: list[str] = []
    values: dict[str, Any] = {}
    for name, value in sorted((where or {}).items()):
        if value is None:
            continue
        if name not in predicates:
            raise FilterError(f"no filter {name!r} here")
        clauses.append(predicates[name].replace("$v", f"p.f.{name}"))
        values[name] = value
    return (" AND ".join(clauses) or "true"), values
