"""Why the registry refuses a read or a write, in the federation's words: one base, no GraphQL.

Resolvers raise these; `schema/errors.py` is the only place that turns them into GraphQL errors with
a code. Each names the argument or input field at fault (`argument`) as the caller wrote it.
"""

from __future__ import annotations


class Refusal(Exception):
    """A request the registry will not serve as asked; `argument` names what is at fault."""

    def __init__(self, argument: str, message: str) -> None:
        super().__init__(message)
        self.argument = argument
        self.message = message


class NodeNotFound(Refusal):
    """An id (or natural key) the caller gave matches no node."""

    def __init__(self, argument: str, message: str = "no such node") -> None:
        super().__init__(argument, message)


class InvalidNode(Refusal):
    """Properties break a rule of the model; `problems` pairs each field path (camelCase, under
    `argument`) with its reason."""

    def __init__(self, argument: str, problems: list[tuple[str, str]]) -> None:
        self.problems = [(f"{argument}.{field}" if field else argument, reason) for field, reason in problems]
        super().__init__(self.problems[0][0], "; ".join(f"{f}: {m}" for f, m in self.problems))


class BundleError(Refusal):
    """A bundle is well-formed but refers to something it does not contain (a dangling reference)."""


class PageError(Refusal):
    """A page request a list cannot serve (page size, sort key, cursor)."""


class EditRefused(Refusal):
    """An edge edit would break a rule of the model."""


class Conflict(Refusal):
    """A write would break a uniqueness rule; the message names the clashing key."""


class DocumentRejected(Refusal):
    """An upload is not an acceptable SLA document (too large, empty, wrong type)."""


class ListTooLong(Refusal):
    """A nested list holds more rows for one parent than a walk returns; `where` can narrow it."""


class Unavailable(Exception):
    """A store the request needs did not answer or is not configured; nothing was changed."""


class StorageUnavailable(Unavailable):
    """The object store for SLA documents did not answer or refused."""
