"""The one place where refusals become GraphQL errors: a code from `ErrorCode`, the field, the reason.

Resolvers raise the domain exceptions of `resolvers/errors.py` and never build GraphQL errors; the
`FederationErrors` extension turns them into coded errors after execution, and masks every other
failure as "Unexpected error." (no stack trace or driver message reaches a caller).
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from resolvers import errors


class ErrorCode(Enum):
    """`extensions.code` of every error the registry answers."""

    BAD_USER_INPUT = "BAD_USER_INPUT"
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    FORBIDDEN = "FORBIDDEN"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"


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


def _unexpected(error: GraphQLError) -> bool:
    """An unexpected failure: not an error GraphQL itself raised (validation, permissions, coercion)."""
    original = error.original_error
    return not (original is None or isinstance(original, GraphQLError))


class FederationErrors(MaskErrors):
    """Refusals become coded errors; anything else unexpected is masked."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=_unexpected)

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        processed = []
        for error in errors:
            refused = to_graphql_error(error)
            if refused is not None:
                processed.append(refused)
            elif self.should_mask_error(error):
                processed.append(self.anonymise_error(error))
            else:
                processed.append(error)
        return processed
