"""Who may call a field: declared on the field, checked once by Strawberry, never re-checked by hand."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from schema.errors import ErrorCode
from schema.node import Info, request_context


class IsAdmin(BasePermission):
    """The caller's token carries an administrator entitlement of its issuer."""

    message = "FORBIDDEN: administrators only"
    error_extensions = {"code": ErrorCode.FORBIDDEN.value}  # noqa: RUF012 - Strawberry reads it per class

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return request_context(info).scope.admin


class IsWriter(BasePermission):
    """The caller is an administrator or carries the writer entitlement (the feeder)."""

    message = "FORBIDDEN: writers only"
    error_extensions = {"code": ErrorCode.FORBIDDEN.value}  # noqa: RUF012 - Strawberry reads it per class

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return request_context(info).scope.may_write
