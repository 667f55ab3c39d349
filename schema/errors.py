"""The one place where refusals become GraphQL errors: a code from `ErrorCode`, the field, the reason.

Resolvers raise the domain exceptions of `resolvers/errors.py` and never build GraphQL errors; the
schema tells every answer's errors through `answered_errors` (`PreparedSchema.execute`, `schema/prepared.py`):
refusals become coded errors, and every other failure is masked as "Unexpected error." (no stack trace or
driver message reaches a caller).
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import neo4j
from graphql import GraphQLError

from resolvers import errors
from resolvers.db import STATEMENT_TIMED_OUT


class ErrorCode(Enum):
    """`extensions.code` of every error the registry answers."""

    BAD_USER_INPUT = "BAD_USER_INPUT"
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    FORBIDDEN = "FORBIDDEN"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    # Refusals of the request itself, before anything runs (HTTP 4xx).
    BAD_REQUEST = "BAD_REQUEST"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    QUERY_TOO_COSTLY = "QUERY_TOO_COSTLY"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    PREFLIGHT_REQUIRED = "PREFLIGHT_REQUIRED"
    # While running.
    LIST_TOO_LONG = "LIST_TOO_LONG"
    DEADLINE_EXCEEDED = "DEADLINE_EXCEEDED"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


def coded(code: ErrorCode, message: str, **extensions: Any) -> dict[str, Any]:
    """A GraphQL error as JSON, for answers made outside GraphQL execution (e.g. a refused token)."""
    return {"message": message, "extensions": {"code": code.value, **extensions}}


def _message_and_extensions(error: errors.Refusal | errors.Unavailable) -> tuple[str, dict[str, Any]]:
    if isinstance(error, errors.Unavailable):
        return str(error), {"code": ErrorCode.SERVICE_UNAVAILABLE.value}
    if isinstance(error, errors.InvalidNode):
        problems = [{"field": field, "message": message} for field, message in error.problems]
        return error.message, {"code": ErrorCode.BAD_USER_INPUT.value, "field": error.argument, "problems": problems}
    if isinstance(error, errors.Conflict):
        return f"CONFLICT: {error.message}", {"code": ErrorCode.CONFLICT.value}
    if isinstance(error, errors.ListTooLong):
        return error.message, {"code": ErrorCode.LIST_TOO_LONG.value}
    code = ErrorCode.NOT_FOUND if isinstance(error, errors.NodeNotFound) else ErrorCode.BAD_USER_INPUT
    return f"{error.argument}: {error.message}", {"code": code.value, "field": error.argument}


def to_graphql_error(error: GraphQLError) -> GraphQLError | None:
    """The coded error for a refusal raised while resolving (None: not a refusal)."""
    original = error.original_error
    if not isinstance(original, (errors.Refusal, errors.Unavailable)):
        return None
    message, extensions = _message_and_extensions(original)
    return GraphQLError(
        message, nodes=error.nodes, source=error.source, positions=error.positions, path=error.path,
        extensions=extensions,
    )  # fmt: skip


def should_mask(error: GraphQLError) -> bool:
    """An unexpected failure: not an error GraphQL itself raised (validation, permissions, coercion)."""
    original = error.original_error
    return not (original is None or isinstance(original, GraphQLError))


# Neo4j down or not answering: the driver's own errors, and our client-side statement timeout.
OUTAGES = (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired, TimeoutError, OSError)


def failure_code(original: BaseException | None) -> ErrorCode:
    """What a client may know of an unexpected failure: an outage, a deadline, or neither."""
    # Neo4j stopped a statement at its transaction timeout: the request's deadline.
    if isinstance(original, neo4j.exceptions.Neo4jError) and original.code and STATEMENT_TIMED_OUT in original.code:
        return ErrorCode.DEADLINE_EXCEEDED
    if isinstance(original, OUTAGES):
        return ErrorCode.SERVICE_UNAVAILABLE
    return ErrorCode.INTERNAL_SERVER_ERROR


_FAILURE_MESSAGES = {
    ErrorCode.DEADLINE_EXCEEDED: "The request ran past its deadline.",
    ErrorCode.SERVICE_UNAVAILABLE: "The database is unavailable; try again shortly.",
    ErrorCode.INTERNAL_SERVER_ERROR: "Unexpected error.",
}


def answered_errors(errors: list[GraphQLError]) -> list[GraphQLError]:
    """The errors as a caller is told them: refusals coded, unexpected failures masked, the rest as they are."""
    processed = []
    for error in errors:
        refused = to_graphql_error(error)
        if refused is not None:
            processed.append(refused)
        elif should_mask(error):
            processed.append(anonymised(error))
        else:
            processed.append(error)
    return processed


def anonymised(error: GraphQLError) -> GraphQLError:
    """An unexpected failure as a caller is told it: where, and whether it was an outage or a deadline."""
    code = failure_code(error.original_error)
    return GraphQLError(
        _FAILURE_MESSAGES[code], nodes=error.nodes, source=error.source, positions=error.positions,
        path=error.path, extensions={"code": code.value},
    )  # fmt: skip
