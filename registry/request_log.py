"""The request log: one JSON line per HTTP request (request id, operation, caller as subject@issuer —
never the token —, status, error codes, duration), the per-operation metrics of /graphql, and the JSON
line format of every log line the service writes."""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Send
from starlette.types import Scope as ASGIScope

from registry.metrics import count_graphql_request
from schema.refusals import REQUEST_ID
from schema.request_record import RECORD, RequestRecord

log = logging.getLogger("registry.requests")

GRAPHQL_PATH = "/graphql"
# Probes and scrapes that succeed are logged at DEBUG: every few seconds, they would drown the rest.
_QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
# Status logged when the client went away before an answer started (nginx's convention).
CLIENT_CLOSED = 499


class LogRequests:
    """ASGI middleware: opens the request's record for the inner layers to note into, then logs it and
    counts it. Outermost but for the latency histogram, so that refusals of the guard are logged too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: ASGIScope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        record = RequestRecord()
        token = RECORD.set(record)
        started = time.perf_counter()
        status = CLIENT_CLOSED

        async def send_noting(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_noting)
        except BaseException:
            status = 500 if status == CLIENT_CLOSED else status
            raise
        finally:
            RECORD.reset(token)
            duration_s = time.perf_counter() - started
            path = str(scope.get("path", ""))
            if path == GRAPHQL_PATH:
                count_graphql_request(record)
            quiet = path in _QUIET_PATHS and status < 400
            log.log(
                logging.DEBUG if quiet else logging.INFO,
                "request",
                extra={"fields": request_fields(scope, record, status, duration_s)},
            )


def request_fields(scope: ASGIScope, record: RequestRecord, status: int, duration_s: float) -> dict[str, Any]:
    return {
        "request_id": record.request_id,
        "method": scope.get("method"),
        "path": scope.get("path"),
        "operation": record.operation,
        "operation_type": record.operation_type,
        "caller": record.caller,
        "status": status,
        "codes": record.codes,
        "duration_ms": round(duration_s * 1000, 2),
    }


class JsonLines(logging.Formatter):
    """A log record as one JSON object on one line: time (UTC), level, logger, message, the request id
    of the request it was written for, the fields a line adds (`extra={"fields": {...}}`), a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,  # which worker, with `registry serve --workers N`
            "message": record.getMessage(),
        }
        request_id = REQUEST_ID.get()
        if request_id != "-":
            entry["request_id"] = request_id
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def json_log_config(base: dict[str, Any]) -> dict[str, Any]:
    """uvicorn's logging configuration with every line as JSON, and the registry's loggers through it."""
    config = {**base, "formatters": {name: {"()": JsonLines} for name in base["formatters"]}}
    config["loggers"] = {
        **base["loggers"],
        "registry": {"handlers": ["default"], "level": "INFO", "propagate": False},
    }
    return config
