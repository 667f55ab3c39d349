"""Errors a client caused, told apart from the service's own: who may introspect, codes on parse and
validation errors, and logging by kind (a client's error at INFO in one line, an unexpected one at ERROR with its
traceback and the request's id)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Literal

import strawberry
from graphql import GraphQLError, GraphQLSyntaxError, NoSchemaIntrospectionCustomRule, validate
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

from resolvers.context import RequestContext
from schema.errors import ErrorCode, should_mask

log = logging.getLogger("registry.requests")

# Set by the HTTP layer for each request, so that an unexpected error's log line names it.
REQUEST_ID: ContextVar[str] = ContextVar("request_id", default="-")


def _has_code(error: GraphQLError) -> bool:
    return bool(error.extensions and error.extensions.get("code"))


Introspection = Literal["off", "authenticated", "anyone"]
INTROSPECTION_FIELD = re.compile(r"__(schema|type)\b")


class IntrospectionPolicy(SchemaExtension):
    """Refuses `__schema` and `__type` to anonymous callers ("authenticated") or to all ("off")."""

    def __init__(self, allowed: Introspection) -> None:
        self.allowed = allowed

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if self.allowed != "anyone" and context.graphql_document is not None and self._refused(context):
            found = validate(context.schema._schema, context.graphql_document, [NoSchemaIntrospectionCustomRule])
            if found:
                who = "anyone" if self.allowed == "off" else "anonymous callers"
                error = GraphQLError(
                    f"Introspection is not allowed to {who}.",
                    nodes=found[0].nodes,
                    extensions={"code": ErrorCode.GRAPHQL_VALIDATION_FAILED.value},
                )
                # A new list: the validation cache's lists are shared between requests.
                context.pre_execution_errors = [*(context.pre_execution_errors or []), error]
        yield

    def _refused(self, context: ExecutionContext) -> bool:
        if context.query is not None and not INTROSPECTION_FIELD.search(context.query):
            return False
        if self.allowed == "off":
            return True
        request = context.context
        return not isinstance(request, RequestContext) or request.scope.anonymous


class FederationSchema(strawberry.Schema):
    """The schema, giving the errors graphql-core raises without a code one, and logging errors by kind
    instead of Strawberry's one ERROR with a traceback for all (a FORBIDDEN answer cost 1.5 KB of log).

    Strawberry hands every error here once, before masking: parse and validation errors before
    execution (no result yet), a refusal of the variables or of the operation name from execution."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        for error in errors:
            if not _has_code(error) and error.path is None and not should_mask(error):
                if isinstance(error, GraphQLSyntaxError):
                    code = ErrorCode.GRAPHQL_PARSE_FAILED
                elif execution_context is not None and execution_context.result is None:
                    code = ErrorCode.GRAPHQL_VALIDATION_FAILED
                else:
                    code = ErrorCode.BAD_USER_INPUT
                error.extensions = {**(error.extensions or {}), "code": code.value}
            if should_mask(error):
                log.error(
                    "request %s: unexpected error at %s", REQUEST_ID.get(), error.path, exc_info=error.original_error
                )
            else:
                code = (error.extensions or {}).get("code", "GRAPHQL_ERROR")
                log.info("request %s: %s %s", REQUEST_ID.get(), code, error.message)
