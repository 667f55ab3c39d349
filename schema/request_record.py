"""What the request log and the request metrics say of one request: its operation, its caller and the
error codes of its answer, noted by the layers that learn them (HTTP guard, token check, executor).

The HTTP layer opens a `RequestRecord` per request (`RECORD`); every other layer only notes into the
open one, and a request outside the HTTP layer (a test calling the schema directly) notes into none.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

from strawberry.extensions import SchemaExtension


@dataclass
class RequestRecord:
    operation: str | None = None  # the operation's name; None when it has none or none was parsed
    operation_type: str | None = None  # query, mutation; None when refused before parsing
    caller: str | None = None  # subject@issuer, "anonymous", or None when no token was looked at
    request_id: str | None = None  # set by the HTTP guard (a caller's own X-Request-Id, or a new one)
    codes: list[str] = field(default_factory=list)  # distinct error codes of the answer, in order

    def note_codes(self, codes: Iterable[object]) -> None:
        for code in codes:
            if isinstance(code, str) and code not in self.codes:
                self.codes.append(code)


RECORD: ContextVar[RequestRecord | None] = ContextVar("request_record", default=None)


def current_record() -> RequestRecord:
    """The open request's record, or a throw-away one outside a request."""
    return RECORD.get() or RequestRecord()


def note_operation(name: str | None, operation_type: str | None) -> None:
    """Note the operation's name and type in the open request's record (none outside a request)."""
    record = RECORD.get()
    if record is not None:
        record.operation = name
        record.operation_type = operation_type


class RecordOperation(SchemaExtension):
    """Notes the executed operation's name and type (the name comes from the document when the request
    names none and the document holds one operation)."""

    def on_validate(self) -> Iterator[None]:
        # Noted before validation, so that a refused operation is counted under its name too.
        context = self.execution_context
        if context.graphql_document is not None:
            try:
                operation_type: str | None = context.operation_type.value
            except RuntimeError:  # operationName names no operation of the document
                operation_type = None
            note_operation(context.operation_name, operation_type)
        yield
