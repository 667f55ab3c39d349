"""How the resolvers' refusals become GraphQL errors with a code, the field and the reason."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum

import neo4j
from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from resolvers.catalogue import PageError
from resolvers.loaders.walk import ListTooLong


class ErrorCode(Enum):
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


def user_error(code: ErrorCode, field: str, message: str) -> GraphQLError:
    return GraphQLError(f"{field}: {message}", extensions={"code": code.value, "field": field})


@contextmanager
def page_errors() -> Iterator[None]:
    """Turn a page request the list cannot serve into BAD_USER_INPUT naming the argument."""
    try:
        yield
    except PageError as error:
        raise user_error(ErrorCode.BAD_USER_INPUT, error.argument, str(error)) from None


def should_mask(error: GraphQLError) -> bool:
    """Hide unexpected failures (no stack trace or driver message leaks); keep our coded errors."""
    original = error.original_error
    return not (original is None or isinstance(original, GraphQLError))


# Neo4j down or not answering: the driver's own errors, and our client-side statement timeout.
OUTAGES = (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired, TimeoutError, OSError)
# Neo4j stopped a statement at its transaction timeout (the request's deadline), e.g.
# Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration.
_STATEMENT_TIMED_OUT = "Transaction.TransactionTimedOut"


def failure_code(original: BaseException | None) -> ErrorCode:
    """What a client may know of an unexpected failure: an outage, a deadline, or neither."""
    if isinstance(original, neo4j.exceptions.Neo4jError) and original.code and _STATEMENT_TIMED_OUT in original.code:
        return ErrorCode.DEADLINE_EXCEEDED
    if isinstance(original, OUTAGES):
        return ErrorCode.SERVICE_UNAVAILABLE
    return ErrorCode.INTERNAL_SERVER_ERROR


_FAILURE_MESSAGES = {
    ErrorCode.DEADLINE_EXCEEDED: "The request ran past its deadline.",
    ErrorCode.SERVICE_UNAVAILABLE: "The database is unavailable; try again shortly.",
    ErrorCode.INTERNAL_SERVER_ERROR: "Unexpected error.",
}


class MaskFailures(MaskErrors):
    """Strawberry's masking, with a code on what is masked: an outage (SERVICE_UNAVAILABLE), a deadline,
    a nested list over its maximum (LIST_TOO_LONG, with the reason), or INTERNAL_SERVER_ERROR."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=should_mask)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if isinstance(original, ListTooLong):
            message, code = str(original), ErrorCode.LIST_TOO_LONG
        else:
            code = failure_code(original)
            message = _FAILURE_MESSAGES[code]
        return GraphQLError(
            message, nodes=error.nodes, source=error.source, positions=error.positions, path=error.path,
            extensions={"code": code.value},
        )  # fmt: skip
