"""How the resolvers' refusals become GraphQL errors with a code, the field and the reason."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum

from graphql import GraphQLError

from resolvers.catalogue import PageError


class ErrorCode(Enum):
    BAD_USER_INPUT = "BAD_USER_INPUT"
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    FORBIDDEN = "FORBIDDEN"
    UNAUTHENTICATED = "UNAUTHENTICATED"


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
